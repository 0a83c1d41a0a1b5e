import { inBranches, NODE_GROUP_TYPES, resourceName } from './helpers';
import { clusterHasPolicies } from './k8s';
import { Rule } from './rule';
import { canTrunk } from '../../private/trunking';
import { AppModel, ResourceId } from '../../template/model';

/** PSG5: node groups that cannot run pods with their own security groups. */
export const nodegroupCannotTrunk: Rule = {
  id: 'PSG5',
  name: 'nodegroupCannotTrunk',
  level: 'warning',
  resourceTypes: NODE_GROUP_TYPES,
  info: 'SecurityGroupPolicies on a cluster with node groups of instance types that cannot trunk (t family, non-Nitro), or of Windows nodes (a WINDOWS_ AmiType, or a launch template or configuration image from an SSM parameter path containing "windows").',
  explanation: 'Only Linux nodes of Nitro instance types that support trunk network interfaces (no t family) can give pods their own security groups: pods selected by a policy stay Pending on other Linux nodes, and Windows nodes do not support security groups for pods at all.',
  check(model: AppModel, resource: ResourceId) {
    const groups = model.nodeGroupsById.get(resource.key) ?? [];
    const bad = groups.flatMap((group) => {
      if (!clusterHasPolicies(model, group.cluster)) return [];
      const out: Array<{ text: string; when?: string }> = [];
      const types = (group.instanceTypes ?? []).filter((t) => !canTrunk(t));
      if (types.length > 0) out.push({ text: `instance types ${types.join(', ')} that cannot trunk`, when: group.when });
      if (group.windows !== undefined) out.push({ text: `Windows nodes (${group.windows})`, when: group.when });
      return out;
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} uses ${inBranches(bad, groups.map((g) => g.when))} while SecurityGroupPolicies target its cluster; use Linux nodes of Nitro types that support trunking (not the t family), or keep policy-selected pods off these nodes.`;
  },
};
