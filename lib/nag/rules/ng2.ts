import { isClusterSg, LAUNCH_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { TemplateModel } from '../model/template-model';

/** NG2: a node launch template puts the cluster SG next to its own. */
export const launchTemplateAddsClusterSecurityGroup: Rule = {
  id: 'NG2',
  name: 'launchTemplateAddsClusterSecurityGroup',
  level: 'warning',
  resourceTypes: LAUNCH_TYPES,
  info: 'A node launch template or launch configuration that attaches the cluster security group next to its own.',
  explanation: 'With the cluster security group on the nodes, its self rule opens every port between nodes and control plane again, which undoes the dedicated node security group.',
  check(model: TemplateModel, logicalId: string) {
    const launch = model.nodeLaunch(logicalId);
    if (!launch) return undefined;
    const cluster = launch.securityGroups.find(isClusterSg);
    if (cluster === undefined || launch.securityGroups.length < 2) return undefined;
    return `${resourceName(model, logicalId)} attaches the cluster security group of ${cluster.slice('clustersg:'.length)} next to its own security groups; remove it and allow what is needed with rules between the node and cluster security groups.`;
  },
};
