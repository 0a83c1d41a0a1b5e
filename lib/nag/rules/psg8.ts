import { Found, inBranches, MANIFEST_TYPE, resourceName } from './helpers';
import { objectName, securityGroupPolicies } from './k8s';
import { Rule } from './rule';
import { AppModel, ResourceId } from '../../template/model';
import { describeValue } from '../../template/values';

/**
 * The first Kubernetes version whose EKS Auto Mode clusters apply SecurityGroupPolicies. Older
 * guides said security groups for pods cannot be used with EKS Auto Mode; "Applies to: EKS Auto
 * Mode clusters running Kubernetes 1.36 or later":
 * https://docs.aws.amazon.com/eks/latest/userguide/auto-sgp.html
 */
const AUTO_MODE_SGP_MINOR = 36;

/** PSG8: SecurityGroupPolicies on an EKS Auto Mode cluster of a version that ignores them. */
export const securityGroupPolicyOnOldAutoMode: Rule = {
  id: 'PSG8',
  name: 'securityGroupPolicyOnOldAutoMode',
  level: 'warning',
  resourceTypes: [MANIFEST_TYPE],
  info: 'SecurityGroupPolicies on an EKS Auto Mode cluster whose Kubernetes version is below 1.36 or cannot be read.',
  explanation: 'EKS Auto Mode supports security groups for pods (SecurityGroupPolicy) from Kubernetes 1.36 only; on an older Auto Mode cluster the policy gives its pods no security groups of their own.',
  check(model: AppModel, resource: ResourceId) {
    const byCluster = new Map<string, string[]>();
    for (const p of securityGroupPolicies(model, resource)) {
      if (p.cluster === undefined || !model.clusters.get(p.cluster)!.autoMode) continue;
      byCluster.set(p.cluster, [...new Set([...byCluster.get(p.cluster) ?? [], objectName(p)])]);
    }
    const problems = [...byCluster].flatMap(([key, policies]) => {
      const cluster = model.clusters.get(key)!;
      const found: Found[] = cluster.variants.flatMap((v) => {
        const problem = versionProblem(v.version);
        return problem === undefined ? [] : [{ text: problem, when: v.when }];
      });
      if (found.length === 0) return [];
      return [`SecurityGroupPolicy ${policies.join(', ')} on EKS Auto Mode cluster ${cluster.logicalId}, where ${inBranches(found, cluster.variants.map((v) => v.when))}`];
    });
    if (problems.length === 0) return undefined;
    return `${resourceName(resource)} applies ${problems.join('; ')}; SecurityGroupPolicy works on Auto Mode from 1.${AUTO_MODE_SGP_MINOR}: run Kubernetes 1.${AUTO_MODE_SGP_MINOR} or later, or run these pods on a cluster with managed node groups.`;
  },
};

/** What keeps a version from applying SecurityGroupPolicies on Auto Mode, in words; undefined when it does apply them. */
function versionProblem(version: unknown): string | undefined {
  if (version === undefined) return 'the Kubernetes version could not be read (none is set: EKS picks its default at creation)';
  const match = typeof version === 'string' ? /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(version.trim()) : null;
  if (!match) return `the Kubernetes version could not be read (${describeValue(version)})`;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > 1 || (major === 1 && minor >= AUTO_MODE_SGP_MINOR)) return undefined;
  return `it runs Kubernetes ${version}`;
}
