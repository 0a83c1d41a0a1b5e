import { Boundaries } from '../../boundaries';
import { describePorts, describeRef, describeSource, IngressRule } from '../model/ingress';
import { RefKey } from '../model/refs';
import { TemplateModel } from '../model/template-model';

/** Resource types that declare ingress rules. */
export const INGRESS_TYPES: readonly string[] = ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'];

/** Resource types of EKS nodes. */
export const NODE_GROUP_TYPES: readonly string[] = ['AWS::EKS::Nodegroup', 'AWS::AutoScaling::AutoScalingGroup'];

export const LAUNCH_TYPES: readonly string[] = ['AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'];

export const CLUSTER_RESOURCE_TYPES: readonly string[] = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

export const MANIFEST_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';

/** The ingress rules a resource declares whose target is a node security group. */
export function nodeIngress(model: TemplateModel, logicalId: string): IngressRule[] {
  return (model.ingressByResource.get(logicalId) ?? [])
    .filter((r) => r.target !== undefined && model.nodeSecurityGroups.has(r.target));
}

/** "AWS::EC2::SecurityGroup NodesC12DF151". */
export function resourceName(model: TemplateModel, logicalId: string): string {
  return `${model.typeOf(logicalId) ?? 'resource'} ${logicalId}`;
}

/** One offending ingress rule in words: "TCP 10250 from 0.0.0.0/0 into NodeSg". */
export function describeIngress(rule: IngressRule): string {
  return `${describePorts(rule)} from ${describeSource(rule.source)} into ${rule.target ? describeRef(rule.target) : 'an unresolved security group'}`;
}

/** A finding about ingress rules of one resource. */
export function ingressFinding(model: TemplateModel, logicalId: string, rules: IngressRule[], what: string, fix: string): string | undefined {
  if (rules.length === 0) return undefined;
  return `${resourceName(model, logicalId)} ${what}: ${rules.map(describeIngress).join('; ')}; ${fix}.`;
}

/** Whether the key is a cluster security group. */
export function isClusterSg(key: RefKey | undefined): boolean {
  return key !== undefined && key.startsWith('clustersg:');
}

/** A key that names a resource or cluster SG of this template (others cannot be resolved to what they point to). */
export function isResolvedSg(key: RefKey | undefined): boolean {
  return key !== undefined && (key.startsWith('res:') || key.startsWith('clustersg:'));
}

/** Whether a source SG is a dedicated node SG of one of the clusters of the target SG. */
export function isDedicatedNodeSgOfSameCluster(model: TemplateModel, target: RefKey, source: RefKey): boolean {
  if (isClusterSg(source)) return false;
  const sourceClusters = model.clustersOfNodeSecurityGroup(source);
  if (sourceClusters.size === 0) return false;
  const targetClusters = model.clustersOfNodeSecurityGroup(target);
  if (targetClusters.has(undefined) || sourceClusters.has(undefined)) return true;
  return [...targetClusters].some((c) => sourceClusters.has(c));
}

/** The control-plane SGs of the clusters a node SG belongs to. */
export function controlPlaneSgsOf(model: TemplateModel, nodeSg: RefKey): Set<RefKey> {
  const out = new Set<RefKey>();
  for (const clusterId of model.clustersOfNodeSecurityGroup(nodeSg)) {
    const cluster = clusterId !== undefined ? model.clusters.get(clusterId) : undefined;
    cluster?.controlPlaneSecurityGroups.forEach((sg) => out.add(sg));
  }
  return out;
}

export const KUBELET = Boundaries.KUBELET_PORT;
export const KUBELET_READ_ONLY = Boundaries.KUBELET_READ_ONLY_PORT;
