import { resourceName } from './helpers';
import { clusterHasPolicies, cniEnv } from './k8s';
import { Rule } from './rule';
import { asObject } from '../../template/json';
import { AppModel, ResourceId } from '../../template/model';

/** PSG2: pods SGs are asked for, but the VPC CNI does not enable pod ENIs. */
export const podEniNotEnabled: Rule = {
  id: 'PSG2',
  name: 'podEniNotEnabled',
  level: 'warning',
  resourceTypes: ['AWS::EKS::Addon'],
  info: 'SecurityGroupPolicies on a cluster whose vpc-cni add-on configuration does not set ENABLE_POD_ENI "true".',
  explanation: 'Without ENABLE_POD_ENI the VPC CNI never attaches trunk and branch network interfaces, so SecurityGroupPolicies select pods but give them no security groups.',
  check(model: AppModel, resource: ResourceId) {
    const addon = model.addons.get(resource.key);
    if (!addon || addon.name !== 'vpc-cni' || addon.configuration === null || !clusterHasPolicies(model, addon.cluster)) return undefined;
    const value = cniEnv(asObject(addon.configuration?.document)).ENABLE_POD_ENI;
    if (value === 'true') return undefined;
    return `${resourceName(resource)} has ENABLE_POD_ENI ${value === undefined ? 'unset' : `'${value}'`} while SecurityGroupPolicies target its cluster; set env.ENABLE_POD_ENI to "true" in configurationValues (PodSecurityGroupPolicy's cluster enablement does).`;
  },
};
