import { Token } from 'aws-cdk-lib';

/**
 * A value the user passed, as a message prints it: `a token` when any part of it is unresolved
 * (never the raw `${Token[...]}` text or its encoded number), a string in quotes, anything else
 * as it prints. Messages that print a token say what could not be checked next to it.
 */
export function describeValue(value: unknown): string {
  if (Token.isUnresolved(value)) return 'a token';
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}
