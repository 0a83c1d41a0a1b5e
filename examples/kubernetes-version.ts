// The one place the examples choose their Kubernetes version. kubectl must be within one minor
// version of the cluster, so the layer package changes with it: to move to 1.35, install
// @aws-cdk/lambda-layer-kubectl-v35 (and update EXAMPLE_KUBECTL_LAYER in .projenrc.ts), then
// change every V34 and V1_34 below.
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** The Kubernetes version of every example cluster: in EKS standard support. */
export const KUBERNETES_VERSION = eks.KubernetesVersion.V1_34;

/** The same version for the aws-eks-v2 example clusters, whose module has a KubernetesVersion of its own. */
export const KUBERNETES_VERSION_V2 = eksv2.KubernetesVersion.V1_34;

/** The kubectl layer that matches KUBERNETES_VERSION and KUBERNETES_VERSION_V2. */
export function kubectlLayer(scope: Construct): KubectlV34Layer {
  return new KubectlV34Layer(scope, 'KubectlLayer');
}

/** Account and region of the example stacks; cdk.json carries their availability zones. */
export const EXAMPLE_ENV = { account: '111122223333', region: 'eu-west-1' };

/** Every control plane log type, which the aws-eks-v2 example clusters send to CloudWatch Logs. */
export const ALL_CLUSTER_LOGGING_V2: eksv2.ClusterLoggingTypes[] = [
  eksv2.ClusterLoggingTypes.API,
  eksv2.ClusterLoggingTypes.AUDIT,
  eksv2.ClusterLoggingTypes.AUTHENTICATOR,
  eksv2.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eksv2.ClusterLoggingTypes.SCHEDULER,
];
