export const DEFAULT_NAMESPACE = 'default';

/** The CloudTrail calls that change the ingress rules of a security group. */
export const WATCHED_EVENTS: readonly string[] = [
  'AuthorizeSecurityGroupIngress',
  'RevokeSecurityGroupIngress',
  'ModifySecurityGroupRules',
];
