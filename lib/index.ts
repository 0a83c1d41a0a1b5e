export * from './boundaries';
export * from './hardened-node-security-group/hardened-node-security-group';
export * from './restricted-kubelet-access/restricted-kubelet-access';
export * from './nag/eks-networking-checks';
export * from './alb-ingress-backend-rules/alb-ingress-backend-rules';
export * from './alb-ingress-backend-rules/ingress';
