import { NODE_GROUP_TYPES, resourceName } from './helpers';
import { clusterHasPolicies } from './k8s';
import { Rule } from './rule';
import { canTrunk } from '../../private/trunking';
import { TemplateModel } from '../model/template-model';

/** PSG5: node groups that cannot run pods with their own security groups. */
export const nodegroupCannotTrunk: Rule = {
  id: 'PSG5',
  name: 'nodegroupCannotTrunk',
  level: 'warning',
  resourceTypes: NODE_GROUP_TYPES,
  info: 'SecurityGroupPolicies on a cluster with node groups of instance types that cannot trunk (t family, non-Nitro).',
  explanation: 'Only Nitro instance types that support trunk network interfaces (no t family) can give pods their own security groups; pods selected by a policy stay Pending on other nodes.',
  check(model: TemplateModel, logicalId: string) {
    const group = model.nodeGroupsById.get(logicalId);
    if (!group || group.instanceTypes === undefined || !clusterHasPolicies(model, group.cluster)) return undefined;
    const bad = group.instanceTypes.filter((t) => !canTrunk(t));
    if (bad.length === 0) return undefined;
    return `${resourceName(model, logicalId)} uses instance types ${bad.join(', ')} that cannot trunk while SecurityGroupPolicies target its cluster; use Nitro types that support trunking (not the t family), or keep policy-selected pods off these nodes.`;
  },
};
