import { inBranches, LAUNCH_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { describeRef } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** NG2: a node launch template puts the cluster SG next to its own. */
export const launchTemplateAddsClusterSecurityGroup: Rule = {
  id: 'NG2',
  name: 'launchTemplateAddsClusterSecurityGroup',
  level: 'warning',
  resourceTypes: LAUNCH_TYPES,
  info: 'A node launch template or launch configuration that attaches the cluster security group next to its own.',
  explanation: 'With the cluster security group on the nodes, its self rule opens every port between nodes and control plane again, which undoes the dedicated node security group.',
  check(model: AppModel, resource: ResourceId) {
    const launches = model.nodeLaunch(resource.key);
    const bad = launches.flatMap((launch) => {
      const cluster = launch.securityGroups.find((sg) => model.isClusterSecurityGroup(sg));
      return cluster === undefined || launch.securityGroups.length < 2 ? [] : [{ text: describeRef(cluster), when: launch.when }];
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} attaches ${inBranches(bad, launches.map((l) => l.when))} next to its own security groups; remove it and allow what is needed with rules between the node and cluster security groups.`;
  },
};
