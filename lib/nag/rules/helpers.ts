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

/** Whether two node SGs belong to a cluster in common (an unknown cluster matches any). */
export function sharesCluster(model: TemplateModel, a: RefKey, b: RefKey): boolean {
  const ofA = model.clustersOfNodeSecurityGroup(a);
  const ofB = model.clustersOfNodeSecurityGroup(b);
  if (ofA.size === 0 || ofB.size === 0) return false;
  if (ofA.has(undefined) || ofB.has(undefined)) return true;
  return [...ofA].some((c) => ofB.has(c));
}

/** Whether a node SG belongs to the cluster (an unknown cluster on either side matches). */
export function isNodeSgOf(model: TemplateModel, sg: RefKey, cluster: string | undefined): boolean {
  const clusters = model.clustersOfNodeSecurityGroup(sg);
  return clusters.size > 0 && (cluster === undefined || clusters.has(cluster) || clusters.has(undefined));
}

/** Whether a source SG is a dedicated node SG of one of the clusters of the target SG. */
export function isDedicatedNodeSgOfSameCluster(model: TemplateModel, target: RefKey, source: RefKey): boolean {
  return !isClusterSg(source) && sharesCluster(model, target, source);
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
