/** The vpc-cni add-on configuration values: every value a string, unknown keys rejected by EKS. */
export function vpcCniConfiguration(mode: string, externalSnat: boolean): { [key: string]: unknown } {
  return {
    env: {
      ENABLE_POD_ENI: 'true',
      POD_SECURITY_GROUP_ENFORCING_MODE: mode,
      ...(externalSnat ? { AWS_VPC_K8S_CNI_EXTERNALSNAT: 'true' } : {}),
    },
    // Kubelet probes reach pods on branch interfaces only with TCP early demux off (strict mode).
    ...(mode === 'strict' ? { init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } } } : {}),
  };
}
