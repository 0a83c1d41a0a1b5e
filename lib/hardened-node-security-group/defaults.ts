/** IMDSv2 hop limit that lets pods on the node (one hop further) reach IMDS: EKS's recommendation. */
export const DEFAULT_HOP_LIMIT = 2;

/** The hop limits a node launch template may use: 2 (pods reach IMDS) or 1 (only the host does). */
export const ALLOWED_HOP_LIMITS: readonly number[] = [1, 2];

/** The tag the AWS Load Balancer Controller looks for, once per node, is `<prefix><cluster name>`. */
export const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';

/** EKS tags the cluster SG `owned`; the node SG belongs to the same cluster in the same way. */
export const CLUSTER_TAG_VALUE = 'owned';

export const DEFAULT_DESCRIPTION = 'EKS node-only security group: kubelet and node ingress restricted to declared sources';
