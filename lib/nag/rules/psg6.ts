import { MANIFEST_TYPE, resourceName } from './helpers';
import { objectName, policyGroupIds, policyGroupKey, securityGroupPolicies } from './k8s';
import { Rule } from './rule';
import { namespaceMatches } from '../../private/glob';
import { at } from '../../template/json';
import { AppModel, ResourceId } from '../../template/model';

/** PSG6: Fargate pods selected by a policy lose the cluster SG. */
export const fargatePolicyWithoutClusterSecurityGroup: Rule = {
  id: 'PSG6',
  name: 'fargatePolicyWithoutClusterSecurityGroup',
  level: 'warning',
  resourceTypes: [MANIFEST_TYPE],
  info: 'A SecurityGroupPolicy in a namespace that a Fargate profile selects, without the cluster security group.',
  explanation: 'On Fargate a SecurityGroupPolicy replaces the pod\'s security groups; without the cluster security group the pod cannot reach the control plane or CoreDNS.',
  check(model: AppModel, resource: ResourceId) {
    const bad = securityGroupPolicies(model, resource).filter((p) => {
      const namespace = p.source.literal(at(p.object, 'metadata', 'namespace')) ?? 'default';
      const profiles = model.fargateProfiles.filter((f) => (f.cluster === undefined || p.cluster === undefined || f.cluster === p.cluster)
        && f.namespaces.some((n) => namespaceMatches(n, namespace)));
      if (profiles.length === 0) return false;
      const groups = policyGroupIds(p).map((g) => policyGroupKey(model, p, g) ?? null);
      if (groups.includes(null)) return false;
      const clusterSgs = profiles.map((f) => f.cluster ?? p.cluster).filter((c) => c !== undefined)
        .map((c) => model.clusters.get(c!)!.clusterSecurityGroup);
      return !groups.some((g) => g !== null && (clusterSgs.includes(g) || (clusterSgs.length === 0 && model.isClusterSecurityGroup(g))));
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} has SecurityGroupPolicy ${bad.map(objectName).join(', ')} in a namespace that a Fargate profile selects, without the cluster security group; add the cluster security group to its groupIds.`;
  },
};
