export const DEFAULT_DESCRIPTION = 'EKS node-only security group: kubelet and node ingress restricted to declared sources';
