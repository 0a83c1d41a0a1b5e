import { Boundaries } from '../../boundaries';
import { describePorts, describeRef, describeSource, IngressRule, RefKey } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** Resource types that declare ingress rules. */
export const INGRESS_TYPES: readonly string[] = ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'];

/** Resource types of EKS nodes. */
export const NODE_GROUP_TYPES: readonly string[] = ['AWS::EKS::Nodegroup', 'AWS::AutoScaling::AutoScalingGroup'];

export const LAUNCH_TYPES: readonly string[] = ['AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration'];

export const CLUSTER_RESOURCE_TYPES: readonly string[] = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

export const MANIFEST_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';

/** The ingress rules a resource declares whose target is a node security group. */
export function nodeIngress(model: AppModel, resource: ResourceId): IngressRule[] {
  return (model.ingressByResource.get(resource.key) ?? [])
    .filter((r) => r.target !== undefined && model.nodeSecurityGroups.has(r.target));
}

/** "AWS::EC2::SecurityGroup NodesC12DF151". */
export function resourceName(resource: ResourceId): string {
  return `${resource.stack.typeOf(resource.logicalId) ?? 'resource'} ${resource.logicalId}`;
}

/** Something a rule found in one branch of a resource (`when` undefined: in every branch). */
export interface Found {
  readonly text: string;
  readonly when?: string;
}

/**
 * What a rule found across the branches of a resource (`branches`: the condition of each branch),
 * each text once, with the condition under which it holds, as briefly as is still true: none when
 * found in every branch of a resource that always exists, the resource's own condition when found
 * in every branch of one that exists only under it, else the clauses its branches share
 * ("(when A is true)") or each branch's condition.
 */
export function inBranches(found: readonly Found[], branches: ReadonlyArray<string | undefined>): string {
  const groups = new Map<string, Array<string | undefined>>();
  for (const f of found) groups.set(f.text, [...groups.get(f.text) ?? [], f.when]);
  return [...groups].map(([text, whens]) => {
    const condition = branchCondition(whens, branches);
    return condition === undefined ? text : `${text} (${condition})`;
  }).join('; ');
}

/** The condition of some of a resource's branches, as briefly as is still true (see `inBranches`); undefined for none. */
export function branchCondition(whens: ReadonlyArray<string | undefined>, branches: ReadonlyArray<string | undefined>): string | undefined {
  const where = [...new Set(whens)];
  if (where.includes(undefined)) return undefined;
  const shared = sharedClauses(where as string[]);
  const everywhere = branches.every((b) => where.includes(b));
  if (everywhere) return shared.length > 0 ? `when ${shared.join(' and ')}` : undefined;
  const covered = branches.filter((b) => shared.every((c) => clauses(b).has(c))).every((b) => where.includes(b));
  return shared.length > 0 && covered ? `when ${shared.join(' and ')}` : where.join(' or ');
}

function clauses(when: string | undefined): Set<string> {
  return new Set((when ?? '').replace(/^when /, '').split(' and ').filter((c) => c !== ''));
}

/** The clauses ("A is true") every one of the conditions has. */
function sharedClauses(whens: readonly string[]): string[] {
  return [...clauses(whens[0])].filter((c) => whens.every((w) => clauses(w).has(c)));
}

/** One offending ingress rule in words: "TCP 10250 from 0.0.0.0/0 into NodeSg". */
export function describeIngress(rule: IngressRule): string {
  return `${describePorts(rule)} from ${describeSource(rule.source)} into ${rule.target ? describeRef(rule.target) : 'an unresolved security group'}`;
}

/** A finding about ingress rules of one resource, found in some of its branches. */
export function ingressFinding(model: AppModel, resource: ResourceId, rules: IngressRule[], what: string, fix: string): string | undefined {
  if (rules.length === 0) return undefined;
  const found = rules.map((r) => ({ text: describeIngress(r), when: r.when }));
  return `${resourceName(resource)} ${what}: ${inBranches(found, model.variantsOf(resource).map((v) => v.when))}; ${fix}.`;
}

/** Whether two node SGs belong to a cluster in common (an unknown cluster matches any). */
export function sharesCluster(model: AppModel, a: RefKey, b: RefKey): boolean {
  const ofA = model.clustersOfNodeSecurityGroup(a);
  const ofB = model.clustersOfNodeSecurityGroup(b);
  if (ofA.size === 0 || ofB.size === 0) return false;
  if (ofA.has(undefined) || ofB.has(undefined)) return true;
  return [...ofA].some((c) => ofB.has(c));
}

/** Whether a node SG belongs to the cluster (an unknown cluster on either side matches). */
export function isNodeSgOf(model: AppModel, sg: RefKey, cluster: string | undefined): boolean {
  const clusters = model.clustersOfNodeSecurityGroup(sg);
  return clusters.size > 0 && (cluster === undefined || clusters.has(cluster) || clusters.has(undefined));
}

/** Whether a source SG is a dedicated node SG of one of the clusters of the target SG. */
export function isDedicatedNodeSgOfSameCluster(model: AppModel, target: RefKey, source: RefKey): boolean {
  return !model.isClusterSecurityGroup(source) && sharesCluster(model, target, source);
}

/** The control-plane SGs of the clusters a node SG belongs to. */
export function controlPlaneSgsOf(model: AppModel, nodeSg: RefKey): Set<RefKey> {
  const out = new Set<RefKey>();
  for (const clusterKey of model.clustersOfNodeSecurityGroup(nodeSg)) {
    const cluster = clusterKey !== undefined ? model.clusters.get(clusterKey) : undefined;
    cluster?.controlPlaneSecurityGroups.forEach((sg) => out.add(sg));
  }
  return out;
}

/** Whether a rule's source can be a path for traffic from `from` (a CIDR, an unknown source or SG, or one of `from`). */
export function isPossiblePath(model: AppModel, rule: IngressRule, from: ReadonlyArray<RefKey | undefined>): boolean {
  const s = rule.source;
  if (s.kind !== 'securityGroup') return true;
  return !model.isResolvedSecurityGroup(s.securityGroup) || from.includes(s.securityGroup);
}

/**
 * Where traffic has no path through some rules: `'never'` when no rule is a path, `'always'` when
 * in every branch of its resource some rule is, else the condition of the branches without one
 * ("when P is '22'"). Only the branches of one resource can be told apart this way; when the
 * paths come from several resources that each exist in some branches only, their conditions are
 * named instead ("only when A is true or when B is true").
 */
export function pathGaps(model: AppModel, rules: readonly IngressRule[], isPath: (rule: IngressRule) => boolean): 'always' | 'never' | string {
  const paths = rules.filter(isPath);
  if (paths.length === 0) return 'never';
  const byResource = new Map<string, Set<string | undefined>>();
  for (const r of paths) byResource.set(r.declaredBy, (byResource.get(r.declaredBy) ?? new Set()).add(r.when));
  const gaps: string[] = [];
  for (const [key, whens] of byResource) {
    const resource = model.resource(key);
    const branches = resource ? model.variantsOf(resource).map((v) => v.when) : [undefined];
    const without = branches.filter((b) => !whens.has(b));
    if (without.length === 0 || whens.has(undefined)) return 'always';
    gaps.push(branchCondition(without, branches) ?? 'in every branch');
  }
  return byResource.size === 1 ? gaps[0] : `only ${[...new Set(paths.map((r) => r.when))].join(' or ')}`;
}

export const KUBELET = Boundaries.KUBELET_PORT;
export const KUBELET_READ_ONLY = Boundaries.KUBELET_READ_ONLY_PORT;
