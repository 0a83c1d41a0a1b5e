import { branchCondition, Found, inBranches, NODE_GROUP_TYPES, resourceName } from './helpers';
import { clusterHasPolicies } from './k8s';
import { Rule } from './rule';
import { AppModel, ResourceId, SubnetPublicity } from '../../template/model';

/** PSG11: nodes in public subnets, where pods with their own security groups cannot reach the internet. */
export const podSecurityGroupsInPublicSubnets: Rule = {
  id: 'PSG11',
  name: 'podSecurityGroupsInPublicSubnets',
  level: 'warning',
  resourceTypes: NODE_GROUP_TYPES,
  info: 'SecurityGroupPolicies on a cluster with a node group (Subnets of a managed node group, VPCZoneIdentifier of an Auto Scaling group) in public subnets: MapPublicIpOnLaunch true, or a route table whose route to 0.0.0.0/0 or ::/0 goes to an internet gateway.',
  explanation: 'Source NAT is off for pods with their own security groups, so on nodes in a public subnet they have no internet access; EKS recommends nodes in private subnets behind a NAT gateway, with external SNAT on in the VPC CNI.',
  check(model: AppModel, resource: ResourceId) {
    const groups = model.nodeGroupsById.get(resource.key) ?? [];
    const found: Found[] = groups.flatMap((group) => {
      if (!clusterHasPolicies(model, group.cluster)) return [];
      // Subnets that cannot be resolved (literal ids, parameters, imports from outside the app) are not read.
      const subnets = [...new Set(group.subnets ?? [])].flatMap((key) => {
        const publicity = key === undefined ? undefined : model.subnetPublicity(key);
        return publicity ? [describePublicity(model, publicity)] : [];
      });
      return subnets.length === 0 ? [] : [{ text: subnets.join(', '), when: group.when }];
    });
    if (found.length === 0) return undefined;
    return `${resourceName(resource)} runs nodes in public subnets ${inBranches(found, groups.map((g) => g.when))} while SecurityGroupPolicies target its cluster, so pods with their own security groups get no source NAT there and cannot reach the internet; run these nodes in private subnets with a NAT gateway and set AWS_VPC_K8S_CNI_EXTERNALSNAT "true" in the vpc-cni configuration.`;
  },
};

/** A public subnet in words: "PublicSubnet1 (MapPublicIpOnLaunch true; route 0.0.0.0/0 to internet gateway Igw)". */
function describePublicity(model: AppModel, p: SubnetPublicity): string {
  const reasons: string[] = [];
  if (p.mapPublicIpOnLaunch.length > 0) {
    const condition = branchCondition(p.mapPublicIpOnLaunch, p.branches);
    reasons.push(`MapPublicIpOnLaunch true${condition === undefined ? '' : ` ${condition}`}`);
  }
  for (const r of p.internetRoutes) {
    const conditions = [
      branchCondition([r.associationWhen], model.variantsOf(r.association).map((v) => v.when)),
      branchCondition([r.routeWhen], model.variantsOf(r.route).map((v) => v.when)),
    ].filter((c): c is string => c !== undefined);
    const reason = `route ${r.destination} to internet gateway ${r.gateway}${conditions.length === 0 ? '' : ` ${conditions.join(' and ')}`}`;
    if (!reasons.includes(reason)) reasons.push(reason);
  }
  return `${p.subnet.logicalId} (${reasons.join(', ')})`;
}
