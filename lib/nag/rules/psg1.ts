import { MANIFEST_TYPE, resourceName } from './helpers';
import { objectName, policyGroupIds, securityGroupPolicies } from './k8s';
import { Rule } from './rule';
import { MAX_POD_SECURITY_GROUPS } from '../../conventions';
import { at } from '../../template/json';
import { AppModel, ResourceId } from '../../template/model';


/** PSG1: a SecurityGroupPolicy EKS will not apply as written. */
export const invalidSecurityGroupPolicy: Rule = {
  id: 'PSG1',
  name: 'invalidSecurityGroupPolicy',
  level: 'error',
  resourceTypes: [MANIFEST_TYPE],
  info: 'A SecurityGroupPolicy with both or neither selector, or with 0 or more than 5 security groups.',
  explanation: 'The EKS user guide allows exactly one of podSelector and serviceAccountSelector, and 1 to 5 security groups; the CRD does not enforce it, so such a policy is accepted and then does not do what it says.',
  check(model: AppModel, resource: ResourceId) {
    const problems = securityGroupPolicies(model, resource).flatMap((p) => {
      const selectors = ['podSelector', 'serviceAccountSelector'].filter((s) => at(p.object, 'spec', s) !== undefined);
      const groups = policyGroupIds(p).length;
      const out: string[] = [];
      if (selectors.length !== 1) out.push(`${objectName(p)} has ${selectors.length === 0 ? 'neither podSelector nor serviceAccountSelector' : 'both podSelector and serviceAccountSelector'}`);
      if (groups < 1 || groups > MAX_POD_SECURITY_GROUPS) out.push(`${objectName(p)} has ${groups} security groups`);
      return out;
    });
    if (problems.length === 0) return undefined;
    return `${resourceName(resource)}: SecurityGroupPolicy ${problems.join('; ')}; use exactly one selector and 1 to ${MAX_POD_SECURITY_GROUPS} security groups (PodSecurityGroupPolicy checks both).`;
  },
};
