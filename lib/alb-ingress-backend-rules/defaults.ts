/** Annotation prefix of the AWS Load Balancer Controller. */
export const ALB_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io/';

export const SECURITY_GROUPS_ANNOTATION = `${ALB_ANNOTATION_PREFIX}security-groups`;
export const MANAGE_BACKEND_RULES_ANNOTATION = `${ALB_ANNOTATION_PREFIX}manage-backend-security-group-rules`;
export const TARGET_TYPE_ANNOTATION = `${ALB_ANNOTATION_PREFIX}target-type`;

/** The IngressClass of the AWS Load Balancer Controller. */
export const DEFAULT_INGRESS_CLASS = 'alb';

export const DEFAULT_NAMESPACE = 'default';

/** The CloudTrail calls that change the ingress rules of a security group. */
export const WATCHED_EVENTS: readonly string[] = [
  'AuthorizeSecurityGroupIngress',
  'RevokeSecurityGroupIngress',
  'ModifySecurityGroupRules',
];
