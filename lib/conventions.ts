/**
 * EKS and Kubernetes names and limits the library relies on, in one place: the constructs write
 * them and the rules read them, so the two cannot drift. (Ports and ranges are in boundaries.ts.)
 * Not exported from the package: these are facts of EKS and Kubernetes, not options.
 */

/** The tag key prefix of security groups and Auto Scaling groups of a cluster: `kubernetes.io/cluster/<name>`. */
export const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';

/** The value EKS and the AWS Load Balancer Controller use for a resource the cluster owns. */
export const CLUSTER_TAG_OWNED = 'owned';

/** The prefix of the AWS Load Balancer Controller's Ingress annotations. */
export const ALB_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io/';
/** The load balancer's own security groups. */
export const SECURITY_GROUPS_ANNOTATION = `${ALB_ANNOTATION_PREFIX}security-groups`;
/** Whether the controller manages the targets' security group rules (honoured only with SECURITY_GROUPS_ANNOTATION). */
export const MANAGE_BACKEND_RULES_ANNOTATION = `${ALB_ANNOTATION_PREFIX}manage-backend-security-group-rules`;
/** `instance` (NodePorts, the controller's default) or `ip`. */
export const TARGET_TYPE_ANNOTATION = `${ALB_ANNOTATION_PREFIX}target-type`;
/** The Ingress class the controller serves by default. */
export const ALB_INGRESS_CLASS = 'alb';

/** The API group of SecurityGroupPolicy (the VPC resource controller's CRD). */
export const SECURITY_GROUP_POLICY_GROUP = 'vpcresources.k8s.aws';
/** The API version this library writes SecurityGroupPolicies in. */
export const SECURITY_GROUP_POLICY_API_VERSION = `${SECURITY_GROUP_POLICY_GROUP}/v1beta1`;
/** The API version of Ingress. */
export const INGRESS_API_VERSION = 'networking.k8s.io/v1';

/** The most security groups a SecurityGroupPolicy may give pods (EKS user guide; the CRD does not enforce it). */
export const MAX_POD_SECURITY_GROUPS = 5;

/** A DNS-1123 label (a namespace): lower-case alphanumerics and '-', at most 63 characters. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_LABEL_MAX_LENGTH = 63;
/** A DNS-1123 subdomain (most object names): labels joined by '.', at most 253 characters. */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS_1123_SUBDOMAIN_MAX_LENGTH = 253;

/** The IMDS hop limit of hardened nodes: 2 lets pods on the node reach IMDSv2. */
export const DEFAULT_HOP_LIMIT = 2;
/** The hop limits a hardened node accepts: 1 (pods cannot reach IMDS) or 2. */
export const ALLOWED_HOP_LIMITS: readonly number[] = [1, 2];
/** The most hops that still keep IMDS answers on the node (IMDS2 reports more). */
export const MAX_NODE_HOP_LIMIT = 2;

/** The API version of EKS Auto Mode's NodeClass (`kind: NodeClass`). */
export const NODE_CLASS_API_VERSION = 'eks.amazonaws.com/v1';
/**
 * The group and kind of EKS Auto Mode's NodeClass, whose `securityGroupSelectorTerms` give its
 * nodes their security groups; a NodePool names its NodeClass by them.
 * https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 */
export const NODE_CLASS_GROUP = 'eks.amazonaws.com';
export const NODE_CLASS_KIND = 'NodeClass';
/** The API version of NodePool, Karpenter's, which EKS Auto Mode runs. */
export const NODE_POOL_API_VERSION = 'karpenter.sh/v1';
/** The name EKS gives its built-in NodeClass; a NodeClass of ours must not take it. */
export const BUILT_IN_NODE_CLASS_NAME = 'default';
/** The access policy of an EKS Auto Mode node role's `EC2` access entry. */
export const AUTO_NODE_ACCESS_POLICY = 'AmazonEKSAutoNodePolicy';

/** The API group of the AWS Load Balancer Controller's TargetGroupBinding. */
export const TARGET_GROUP_BINDING_GROUP = 'elbv2.k8s.aws';
/** The API version this library writes TargetGroupBindings in. */
export const TARGET_GROUP_BINDING_API_VERSION = `${TARGET_GROUP_BINDING_GROUP}/v1beta1`;

/**
 * The port of the AWS APIs that nodes call through interface VPC endpoints and through the S3
 * gateway endpoint (HTTPS). Kept here and not in `Boundaries`, which holds the cluster's own
 * ports: this one is AWS's.
 */
export const AWS_API_PORT = 443;
