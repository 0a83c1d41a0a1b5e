import { MANIFEST_TYPE, resourceName } from './helpers';
import { policyGroupIds, policyGroupKey, sameCluster, serviceTargetPort, TargetGroupBinding, targetGroupBindings } from './k8s';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { describeRef, IngressSource, overlapsTcp, RefKey } from '../../template/ingress';
import { AppModel, LoadBalancerInfo, namespaceOf, ResourceId } from '../../template/model';

/** TGB2: a TargetGroupBinding whose targets nothing lets its load balancer reach. */
export const targetGroupBindingUnreachable: Rule = {
  id: 'TGB2',
  name: 'targetGroupBindingUnreachable',
  level: 'error',
  resourceTypes: [MANIFEST_TYPE],
  info: 'A TargetGroupBinding on a target group of the app that a listener or listener rule of a load balancer with security groups forwards to, but no security group of its targets (ip targets: the node security groups of its cluster and the groups of the SecurityGroupPolicies of its namespace; instance targets: the node security groups) has an ingress rule from the load balancer\'s security groups covering the target port (traffic is dropped).',
  explanation: 'Without spec.networking the AWS Load Balancer Controller registers the targets of a TargetGroupBinding but writes no security group rule: the rule from the load balancer security group to the pods\' port (ip) or the NodePorts (instance) must exist in the template, or every target is unhealthy.',
  check(model: AppModel, resource: ResourceId) {
    const found = new Set<string>();
    for (const binding of targetGroupBindings(model, resource)) {
      const gap = unreachable(model, binding);
      if (gap !== undefined) found.add(gap);
    }
    if (found.size === 0) return undefined;
    return `${resourceName(resource)} has ${[...found].join('; ')}; add that ingress rule on the targets' security group (AlbIngressBackendRules.addTargetGroupBinding), or every target is unhealthy.`;
  },
};

/**
 * The finding for one binding: undefined when some load balancer reaches its targets, or when
 * anything it depends on cannot be read (the target group, its load balancers and their security
 * groups, the cluster, a target security group whose rules may be outside the app).
 */
function unreachable(model: AppModel, binding: TargetGroupBinding): string | undefined {
  const cluster = binding.object.cluster;
  const targetGroup = binding.targetGroup;
  if (targetGroup === undefined || cluster === undefined) return undefined;
  const instance = binding.targetType === 'instance';
  const targets = targetSecurityGroups(model, binding, cluster, !instance);
  if (targets === undefined) return undefined;
  const port = instance ? undefined : serviceTargetPort(model, binding);
  const [from, to] = instance ? [Boundaries.NODEPORT_RANGE_START, Boundaries.NODEPORT_RANGE_END]
    : port !== undefined ? [port, port] : [0, Boundaries.MAX_PORT];
  const ports = instance ? `the NodePorts (TCP ${from}-${to})` : port !== undefined ? `TCP ${port}` : 'any TCP port';

  const loadBalancers = new Map<string, LoadBalancerInfo>();
  for (const f of targetGroup.forwarders) {
    const lb = f.loadBalancer;
    if (lb && lb.setsSecurityGroups && !lb.securityGroups.includes(undefined)) loadBalancers.set(lb.key, lb);
  }
  const blocked = [...loadBalancers.values()].filter((lb) => {
    const lbSgs = lb.securityGroups as RefKey[];
    // spec.networking that may name the load balancer: the controller writes the rule itself.
    const byController = (binding.networking ?? []).some((rule) => rule.from.some((peer) =>
      peer.kind !== 'securityGroup' || mayBeFrom(model, { kind: 'securityGroup', securityGroup: peer.securityGroup }, lbSgs)));
    const inTemplate = targets.some((sg) => (model.ingressByTarget.get(sg) ?? [])
      .some((r) => overlapsTcp(r, from, to) && mayBeFrom(model, r.source, lbSgs)));
    return !byController && !inTemplate;
  });
  if (blocked.length === 0) return undefined;
  return `TargetGroupBinding ${binding.name} (${instance ? 'instance' : 'ip'} targets) on target group ${targetGroup.logicalId}, but no security group of its targets `
    + `(${targets.map(describeRef).join(', ')}) lets ${blocked.map((lb) => `load balancer ${lb.logicalId} (${lb.securityGroups.map((sg) => describeRef(sg!)).join(', ')})`).join(' or ')} in on ${ports}`;
}

/**
 * The security groups the targets of a binding may carry: the node security groups of its cluster
 * and, for ip targets, the groups of the SecurityGroupPolicies of its namespace and cluster.
 * Undefined when one cannot be known (a node group or policy with a group that cannot be
 * resolved), or is not a group of the app (its rules may be outside the template).
 */
function targetSecurityGroups(model: AppModel, binding: TargetGroupBinding, cluster: string, pods: boolean): RefKey[] | undefined {
  if (model.nodeGroupsOf(cluster).some((g) => g.securityGroups.includes(undefined))) return undefined;
  const targets = new Set<RefKey>();
  for (const [sg, clusters] of model.nodeSecurityGroups) {
    if (clusters.has(cluster) || clusters.has(undefined)) targets.add(sg);
  }
  if (pods) {
    for (const policy of model.securityGroupPolicies) {
      const namespace = namespaceOf(policy);
      const otherNamespace = namespace !== undefined && binding.namespace !== undefined && namespace !== binding.namespace;
      if (!sameCluster(policy.cluster, cluster) || otherNamespace) continue;
      for (const value of policyGroupIds(policy)) {
        const sg = policyGroupKey(model, policy, value);
        if (sg === undefined) return undefined;
        targets.add(sg);
      }
    }
  }
  return [...targets].every((sg) => model.isResolvedSecurityGroup(sg)) ? [...targets] : undefined;
}

/**
 * Whether traffic from the load balancer's security groups may come from a rule's source: one of
 * them, an address range (which may hold the load balancer's addresses), or a source that cannot be
 * resolved (a parameter or an import may name one of them); a literal id or a group of the app
 * other than theirs cannot.
 */
function mayBeFrom(model: AppModel, source: IngressSource, lbSgs: readonly RefKey[]): boolean {
  if (source.kind !== 'securityGroup') return true;
  const sg = source.securityGroup;
  if (sg === undefined || lbSgs.includes(sg)) return true;
  return !model.isResolvedSecurityGroup(sg) && !sg.startsWith('lit:');
}
