import { resourceName } from './helpers';
import { Rule } from './rule';
import { AppModel, ResourceId } from '../../template/model';

/** ADDON1: two managed add-ons of one name on one cluster. */
export const duplicateAddon: Rule = {
  id: 'ADDON1',
  name: 'duplicateAddon',
  level: 'error',
  resourceTypes: ['AWS::EKS::Addon'],
  info: 'More than one managed add-on of the same name (a second vpc-cni, for example) for one cluster.',
  explanation: 'EKS holds one add-on of each name per cluster: the second fails to create, or two stacks overwrite each other\'s configuration (for vpc-cni, ENABLE_POD_ENI and the enforcing mode of security groups for pods).',
  check(model: AppModel, resource: ResourceId) {
    const addon = model.addons.get(resource.key);
    if (!addon || addon.name === undefined || addon.cluster === undefined) return undefined;
    const others = [...model.addons.values()].filter((a) => a.key !== addon.key && a.name === addon.name && a.cluster === addon.cluster);
    if (others.length === 0) return undefined;
    const cluster = model.clusters.get(addon.cluster)!;
    return `${resourceName(resource)} is one of ${others.length + 1} ${addon.name} add-ons of cluster ${cluster.logicalId} (also ${others.map((a) => a.logicalId).join(', ')}); keep one add-on of each name per cluster and put all its configuration there (one SecurityGroupsForPods per cluster for vpc-cni).`;
  },
};
