import { LAUNCH_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { TemplateModel } from '../model/template-model';

/** NG3: nodes carry more than one SG tagged for the cluster. */
export const severalClusterTaggedSecurityGroups: Rule = {
  id: 'NG3',
  name: 'severalClusterTaggedSecurityGroups',
  level: 'error',
  resourceTypes: LAUNCH_TYPES,
  info: 'A node launch template or launch configuration with more than one security group tagged kubernetes.io/cluster/... (the cluster security group counts as tagged).',
  explanation: 'The AWS Load Balancer Controller needs exactly one security group tagged kubernetes.io/cluster/<name> on a node\'s network interface; with two it cannot choose and fails to reconcile targets.',
  check(model: TemplateModel, logicalId: string) {
    const launch = model.nodeLaunch(logicalId);
    if (!launch) return undefined;
    const tagged = launch.securityGroups.filter((sg): sg is string => sg !== undefined && model.taggedSecurityGroups.has(sg));
    if (tagged.length < 2) return undefined;
    return `${resourceName(model, logicalId)} attaches ${tagged.length} security groups tagged kubernetes.io/cluster/... (${tagged.map((k) => k.replace(/^\w+:/, '')).join(', ')}); keep the tag on exactly one of them.`;
  },
};
