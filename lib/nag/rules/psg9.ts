import { inBranches, MANIFEST_TYPE, resourceName } from './helpers';
import { objectName, policyGroupIds, policyGroupKey, securityGroupPolicies } from './k8s';
import { Rule } from './rule';
import { describeRef, RefKey } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';
import { keyOf } from '../../template/values';

/** PSG9: pods get several security groups, but not exactly one tagged for the cluster. */
export const podSecurityGroupsNotOneTagged: Rule = {
  id: 'PSG9',
  name: 'podSecurityGroupsNotOneTagged',
  level: 'warning',
  resourceTypes: [MANIFEST_TYPE],
  info: 'A SecurityGroupPolicy that gives pods two or more security groups of which none, or more than one, carries the tag kubernetes.io/cluster/<name> of its cluster (the cluster security group counts as tagged).',
  explanation: 'When a pod has several security groups, the AWS Load Balancer Controller updates the rules of the one tagged kubernetes.io/cluster/<name> to let load balancer traffic in; EKS recommends tagging exactly one (shared or owned). With none or two tagged, the controller fails to reconcile the pod\'s targets.',
  check(model: AppModel, resource: ResourceId) {
    const found = securityGroupPolicies(model, resource).flatMap((p) => {
      // Each group once: the pods get a group listed twice once.
      const groups = new Map<string, RefKey | undefined>();
      for (const g of policyGroupIds(p)) {
        const key = policyGroupKey(model, p, g);
        groups.set(key ?? `written:${keyOf(g)}`, key);
      }
      if (groups.size < 2) return [];
      const tagged: RefKey[] = [];
      let unknown = 0;
      for (const key of groups.values()) {
        const isTagged = key === undefined ? undefined : model.securityGroupTaggedFor(key, p.cluster);
        if (isTagged === true) tagged.push(key!);
        else if (isTagged === undefined) unknown++;
      }
      let text: string;
      if (tagged.length > 1) text = `SecurityGroupPolicy ${objectName(p)} gives pods ${groups.size} security groups, ${tagged.length} of them tagged kubernetes.io/cluster/... (${tagged.map(describeRef).join(', ')})`;
      else if (tagged.length === 0 && unknown === 0) text = `SecurityGroupPolicy ${objectName(p)} gives pods ${groups.size} security groups, none of them tagged kubernetes.io/cluster/...`;
      else return [];
      return [{ text, when: p.when }];
    });
    if (found.length === 0) return undefined;
    return `${resourceName(resource)} gives pods several security groups without exactly one tagged for their cluster: ${inBranches(found, model.variantsOf(resource).map((v) => v.when))}; tag exactly one of them kubernetes.io/cluster/<cluster name> (shared or owned) so that the AWS Load Balancer Controller can let load balancer traffic in to the pods.`;
  },
};
