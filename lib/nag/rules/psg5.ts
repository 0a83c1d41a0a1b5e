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
  info: 'SecurityGroupPolicies on a cluster with node groups of instance types that cannot trunk (t family, non-Nitro).',
  explanation: 'Only Nitro instance types that support trunk network interfaces (no t family) can give pods their own security groups; pods selected by a policy stay Pending on other nodes.',
  check(model: AppModel, resource: ResourceId) {
    const groups = model.nodeGroupsById.get(resource.key) ?? [];
    const bad = groups.flatMap((group) => {
      if (group.instanceTypes === undefined || !clusterHasPolicies(model, group.cluster)) return [];
      const types = group.instanceTypes.filter((t) => !canTrunk(t));
      return types.length === 0 ? [] : [{ text: types.join(', '), when: group.when }];
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} uses instance types ${inBranches(bad, groups.map((g) => g.when))} that cannot trunk while SecurityGroupPolicies target its cluster; use Nitro types that support trunking (not the t family), or keep policy-selected pods off these nodes.`;
  },
};
