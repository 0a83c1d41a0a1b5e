import { inBranches, LAUNCH_TYPES, MANIFEST_TYPE, resourceName } from './helpers';
import { Rule } from './rule';
import { describeRef } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** NG3: nodes carry more than one SG tagged for the cluster. */
export const severalClusterTaggedSecurityGroups: Rule = {
  id: 'NG3',
  name: 'severalClusterTaggedSecurityGroups',
  level: 'error',
  // A NodeClass of EKS Auto Mode gives its nodes the security groups it selects, as a launch template does.
  resourceTypes: [...LAUNCH_TYPES, MANIFEST_TYPE],
  info: 'A node launch template, launch configuration or EKS Auto Mode NodeClass with more than one security group tagged kubernetes.io/cluster/... (the cluster security group counts as tagged).',
  explanation: 'The AWS Load Balancer Controller needs exactly one security group tagged kubernetes.io/cluster/<name> on a node\'s network interface; with two it cannot choose and fails to reconcile targets.',
  check(model: AppModel, resource: ResourceId) {
    const launches: ReadonlyArray<{ securityGroups: ReadonlyArray<string | undefined>; when?: string }> = [
      ...model.nodeLaunch(resource.key),
      ...(model.nodeGroupsById.get(resource.key) ?? []).filter((g) => g.kind === 'NodeClass'),
    ];
    const bad = launches.flatMap((launch) => {
      const tagged = [...new Set(launch.securityGroups.filter((sg): sg is string => sg !== undefined && model.taggedSecurityGroups.has(sg)))];
      return tagged.length < 2 ? [] : [{ text: `${tagged.length} security groups tagged kubernetes.io/cluster/... (${tagged.map(describeRef).join(', ')})`, when: launch.when }];
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} attaches ${inBranches(bad, launches.map((l) => l.when))}; keep the tag on exactly one of them.`;
  },
};
