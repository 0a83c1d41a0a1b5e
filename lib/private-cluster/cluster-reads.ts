import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { EksModule, eksModuleOf } from '../private/clusters';
import { stackInputs } from '../template/cdk';
import { AppModel } from '../template/model';

/**
 * What PrivateClusterEndpoints reads from a cluster beyond what `lib/private/clusters.ts` reads:
 * whether its private endpoint is on, and the security groups of its kubectl handler.
 */

/**
 * Whether the cluster's private API endpoint is on: true or false when the cluster is created in
 * this app and its template says so in every branch, undefined otherwise (an imported cluster, a
 * token, a condition that differs between branches).
 *
 * It is read from the cluster's template, as the EksNetworkingChecks pack reads it: aws-eks-v2
 * writes `AWS::EKS::Cluster` `ResourcesVpcConfig.EndpointPrivateAccess`, aws-eks writes
 * `Custom::AWSCDK-EKS-Cluster` `Config.resourcesVpcConfig.endpointPrivateAccess`; neither module
 * offers the endpoint access of a cluster as a public property.
 */
export function privateEndpointAccessOf(cluster: eksRefs.IClusterRef): boolean | undefined {
  if (!(cluster instanceof eks.Cluster) && !(cluster instanceof eksv2.Cluster)) return undefined;
  const clusters = [...AppModel.fromStacks(stackInputs(cluster)).clusters.values()];
  if (clusters.length !== 1) return undefined;
  const values = new Set(clusters[0].variants.map((v) => v.endpointPrivateAccess));
  return values.size === 1 ? [...values][0] : undefined;
}

/**
 * The security groups of the Lambda functions that call the EKS and STS APIs and the cluster's
 * API from inside the VPC, as far as synthesis can know them:
 *
 * - aws-eks: the kubectl handler runs in the VPC, on `kubectlSecurityGroup` (the cluster security
 *   group for a cluster of the app), when the cluster has `kubectlPrivateSubnets` (a private
 *   endpoint), as aws-eks's own KubectlProvider decides; and the cluster handler runs on
 *   `clusterHandlerSecurityGroup` when the cluster is created with `placeClusterHandlerInVpc` and
 *   that group. Both are public attributes, given to an imported cluster as
 *   `kubectlSecurityGroupId` and `clusterHandlerSecurityGroupId`. (aws-eks creates its kubectl
 *   provider only with the first manifest, so its functions cannot be read here.)
 * - aws-eks-v2: the functions of the cluster's `kubectlProvider` (created with the cluster from
 *   `kubectlProviderOptions`) that run in the VPC: `securityGroups`, or the cluster security
 *   group when none are given.
 *
 * Not known, and so not returned: an aws-eks cluster handler placed in the VPC without
 * `clusterHandlerSecurityGroup` (its function then creates a security group of its own), and a
 * kubectl provider imported by attributes (its functions are not in the app).
 */
export function kubectlSecurityGroupsOf(cluster: eksRefs.IClusterRef): ec2.ISecurityGroup[] {
  switch (eksModuleOf(cluster)) {
    case EksModule.AWS_EKS: {
      const c = cluster as eks.ICluster;
      return [
        ...(c.kubectlPrivateSubnets !== undefined && c.kubectlSecurityGroup !== undefined ? [c.kubectlSecurityGroup] : []),
        ...(c.clusterHandlerSecurityGroup !== undefined ? [c.clusterHandlerSecurityGroup] : []),
      ];
    }
    case EksModule.AWS_EKS_V2: {
      const provider = (cluster as eksv2.ICluster).kubectlProvider;
      if (provider === undefined) return [];
      return provider.node.findAll()
        .filter((c): c is lambda.Function => c instanceof lambda.Function && c.isBoundToVpc)
        .flatMap((fn) => fn.connections.securityGroups);
    }
    default:
      return [];
  }
}
