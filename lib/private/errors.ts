import { IConstruct } from 'constructs';
import { CODE_PREFIX, ErrorCode, HardenedEksNetworkingError } from '../errors';

/**
 * One problem with a construct's props, as its error lists it: the prop, the value and the fix,
 * then the code. Only `problem()` makes one, so none can lack a code.
 */
export type Problem = string & { readonly __isProblem: true };

/** A problem with its stable code at the end: `<text> [hardened-eks-networking:<code>]`. */
export function problem(code: ErrorCode, text: string): Problem {
  return `${text} [${CODE_PREFIX}${code}]` as Problem;
}

/** The problems, each after a prefix that says where it comes from (`addIngress('Web'): `). */
export function prefixed(prefix: string, problems: Problem[]): Problem[] {
  return problems.map((p) => `${prefix}${p}` as Problem);
}

/** Throws once, listing every problem, when there is any. */
export function throwIfProblems(scope: IConstruct, problems: Problem[]): void {
  if (problems.length > 0) {
    throw new HardenedEksNetworkingError(scope.node.path, problems);
  }
}
