import { Token } from 'aws-cdk-lib';
import { problem, Problem } from './errors';
import { describeValue } from './values';
import { ErrorCode } from '../errors';

/**
 * EC2's limits on a security group's name and description in a VPC (CreateSecurityGroup): up to
 * 255 characters of a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*`; a name may not start with
 * `sg-`. CloudFormation passes both through, so a bad one fails only at deploy time.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
 */
const MAX_LENGTH = 255;
const ALLOWED_CHARACTER = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]$/;
const ALLOWED_DESCRIPTION = 'a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*';
const RESERVED_PREFIX = 'sg-';

/** Problems with a security group name EC2 would reject (a token is not parsed). */
export function validateSecurityGroupName(prop: string, name: string | undefined): Problem[] {
  if (name === undefined || Token.isUnresolved(name)) return [];
  if (name.length === 0) {
    return [problem('securityGroupNameInvalid', `${prop}: '' is empty; pass a name of 1 to ${MAX_LENGTH} characters, or omit ${prop} to let CloudFormation generate one`)];
  }
  const problems = checkText(prop, name, 'securityGroupNameInvalid');
  if (name.startsWith(RESERVED_PREFIX)) {
    problems.push(problem('securityGroupNameInvalid', `${prop}: ${describeValue(name)} starts with '${RESERVED_PREFIX}', which EC2 reserves for security group ids; pick a name that does not`));
  }
  return problems;
}

/** Problems with a security group description EC2 would reject (a token is not parsed). */
export function validateSecurityGroupDescription(prop: string, description: string | undefined): Problem[] {
  if (description === undefined || Token.isUnresolved(description)) return [];
  if (description.length === 0) {
    return [problem('securityGroupDescriptionInvalid', `${prop}: '' is empty, which EC2 rejects; pass a description of 1 to ${MAX_LENGTH} characters, or omit ${prop} for the default`)];
  }
  return checkText(prop, description, 'securityGroupDescriptionInvalid');
}

function checkText(prop: string, text: string, code: ErrorCode): Problem[] {
  const problems: Problem[] = [];
  const length = [...text].length;
  if (length > MAX_LENGTH) {
    problems.push(problem(code, `${prop}: ${describeValue(`${text.slice(0, 40)}...`)} (${length} characters) is too long; EC2 takes at most ${MAX_LENGTH}, so shorten it`));
  }
  const bad = [...new Set([...text].filter((c) => !ALLOWED_CHARACTER.test(c)))];
  if (bad.length > 0) {
    const shown = length > 60 ? `${text.slice(0, 40)}...` : text;
    problems.push(problem(code, `${prop}: ${describeValue(printable(shown))} has characters EC2 rejects (${bad.map((c) => `'${printable(c)}'`).join(', ')}); use ${ALLOWED_DESCRIPTION}`));
  }
  return problems;
}

/** Text with its control characters escaped (a newline reads `\u000a`), so a message stays on one line. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
