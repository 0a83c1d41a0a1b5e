import { App, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct, IConstruct } from 'constructs';
import { problem, Problem } from './errors';

/**
 * The constructs take a cluster as `IClusterRef`, which the `ICluster` of aws-eks and of
 * aws-eks-v2 both extend: jsii has no unions, and an interface of our own would be accepted by
 * neither cluster in Python, Java, .NET or Go, where interfaces are nominal. This file reads
 * what the constructs need from either cluster, created or imported.
 */

/** Which aws-cdk-lib module a cluster belongs to. */
export enum EksModule {
  AWS_EKS = 'aws-eks',
  AWS_EKS_V2 = 'aws-eks-v2',
}

let importedPrototypes: { v1: object; v2: object } | undefined;

/**
 * The prototypes of the clusters that `fromClusterAttributes()` returns in each module. Their
 * classes are not exported, so one throwaway import of each, in an app of its own, shows them.
 */
function imported(): { v1: object; v2: object } {
  if (importedPrototypes === undefined) {
    // Never synthesized: autoSynth off, so `cdk synth` does not write it into the cloud assembly.
    const stack = new Stack(new App({ autoSynth: false }), 'Probe');
    importedPrototypes = {
      v1: Object.getPrototypeOf(eks.Cluster.fromClusterAttributes(stack, 'V1', { clusterName: 'probe' })),
      v2: Object.getPrototypeOf(eksv2.Cluster.fromClusterAttributes(stack, 'V2', { clusterName: 'probe' })),
    };
  }
  return importedPrototypes;
}

/** The module of a cluster, or undefined when it is neither module's cluster (another aws-cdk-lib copy, or an L1). */
export function eksModuleOf(cluster: eksRefs.IClusterRef): EksModule | undefined {
  if (cluster instanceof eks.Cluster || imported().v1.isPrototypeOf(cluster)) return EksModule.AWS_EKS;
  if (cluster instanceof eksv2.Cluster || imported().v2.isPrototypeOf(cluster)) return EksModule.AWS_EKS_V2;
  return undefined;
}

/** The problem when a cluster is of neither module, for the prop that took it. */
export function validateClusterModule(prop: string, cluster: eksRefs.IClusterRef): Problem[] {
  return eksModuleOf(cluster) === undefined
    ? [problem('clusterNotEks', `${prop}: '${cluster.node.path}' is neither an aws-eks nor an aws-eks-v2 cluster of the aws-cdk-lib this library loads; pass an eks.Cluster or eks.Cluster.fromClusterAttributes() of aws-cdk-lib/aws-eks or aws-cdk-lib/aws-eks-v2 (with two copies of aws-cdk-lib installed, keep one)`)]
    : [];
}

/** A cluster of either module, as the `ICluster` members both modules share. */
type AnyCluster = eks.ICluster | eksv2.ICluster;

function asCluster(cluster: eksRefs.IClusterRef): AnyCluster {
  return cluster as AnyCluster;
}

/** A getter of an imported cluster throws when its attribute was not given: undefined then. */
function attribute<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The cluster's name. */
export function clusterNameOf(cluster: eksRefs.IClusterRef): string {
  return asCluster(cluster).clusterName;
}

/** The cluster security group id, or undefined for an imported cluster that was not given one. */
export function clusterSecurityGroupIdOf(cluster: eksRefs.IClusterRef): string | undefined {
  return attribute(() => asCluster(cluster).clusterSecurityGroupId);
}

/** The VPC of a cluster, or undefined for an imported cluster that was not given one. */
export function clusterVpcOf(cluster: eksRefs.IClusterRef): ec2.IVpc | undefined {
  return attribute(() => asCluster(cluster).vpc);
}

/** The cluster role of a cluster this app creates, in either module; undefined for an imported one. */
export function clusterRoleOf(cluster: eksRefs.IClusterRef): iam.IRole | undefined {
  if (cluster instanceof eks.Cluster || cluster instanceof eksv2.Cluster) return cluster.role;
  return undefined;
}

/** The same cluster object, or two clusters of the same literal name. */
export function sameCluster(a: eksRefs.IClusterRef, b: eksRefs.IClusterRef): boolean {
  if (a === b) return true;
  const [nameA, nameB] = [clusterNameOf(a), clusterNameOf(b)];
  return !Token.isUnresolved(nameA) && nameA === nameB;
}

/**
 * The problem when manifests cannot be applied to the cluster: an aws-eks-v2 cluster applies them
 * only through a kubectl provider, which it has only when created with `kubectlProviderOptions`
 * (or imported with `kubectlProvider`). `what` names the manifest, `gitOps` says how to take it
 * instead.
 */
export function validateCanApply(prop: string, cluster: eksRefs.IClusterRef, what: string, gitOps: string): Problem[] {
  const module = eksModuleOf(cluster);
  if (module === EksModule.AWS_EKS_V2 && (cluster as eksv2.ICluster).kubectlProvider === undefined) {
    return [problem('kubectlProviderMissing', `${prop}: '${cluster.node.path}' is an aws-eks-v2 cluster without a kubectl provider, so ${what} cannot be applied to it; create the cluster with kubectlProviderOptions: { kubectlLayer } (or import it with kubectlProvider), or ${gitOps}`)];
  }
  // An aws-eks cluster of the app has its own kubectl provider; an imported one needs a role for it.
  if (module === EksModule.AWS_EKS && !(cluster instanceof eks.Cluster)
    && (cluster as eks.ICluster).kubectlProvider === undefined && (cluster as eks.ICluster).kubectlRole === undefined) {
    return [problem('kubectlProviderMissing', `${prop}: '${cluster.node.path}' is an aws-eks cluster imported without kubectlRoleArn (or kubectlProvider), so ${what} cannot be applied to it; import it with kubectlRoleArn, or ${gitOps}`)];
  }
  return [];
}

/**
 * The problem when a node group cannot be made: both modules' Nodegroup reads the cluster's VPC
 * for its subnets, which a cluster imported without `vpc` does not have.
 */
export function validateNodegroupCluster(cluster: eksRefs.IClusterRef): Problem[] {
  return clusterVpcOf(cluster) === undefined
    ? [problem('clusterVpcUnknown', `cluster: '${cluster.node.path}' was imported without its VPC, which a managed node group needs for its subnets; import the cluster with vpc`)]
    : [];
}

/** Applies manifests to a cluster of either module, as a construct `id` under `scope`. */
export function applyManifest(scope: Construct, id: string, cluster: eksRefs.IClusterRef, manifest: Record<string, unknown>[]): IConstruct {
  return eksModuleOf(cluster) === EksModule.AWS_EKS_V2
    ? new eksv2.KubernetesManifest(scope, id, { cluster: cluster as eksv2.ICluster, manifest })
    : new eks.KubernetesManifest(scope, id, { cluster: cluster as eks.ICluster, manifest });
}

/**
 * Manifests as JSON text, for GitOps tools (JSON is YAML too). Values known only at deploy time,
 * such as security group ids, are tokens that resolve where the text is used in the app (a
 * CfnOutput, an SSM parameter, an asset).
 */
export function manifestText(scope: IConstruct, manifest: Record<string, unknown>[]): string {
  // A copy: KubernetesManifest adds its prune label to the objects it applies, and the text is
  // rendered later, at synthesis.
  const copy = structuredClone(manifest);
  return Stack.of(scope).toJsonString(copy.length === 1 ? copy[0] : { apiVersion: 'v1', kind: 'List', items: copy });
}
