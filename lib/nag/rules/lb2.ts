import { MANIFEST_TYPE, resourceName } from './helpers';
import { albIngresses } from './k8s';
import { Rule } from './rule';
import { AppModel, ResourceId } from '../../template/model';

/** LB2: the controller will rewrite node SG rules for an Ingress. */
export const controllerManagesNodeRules: Rule = {
  id: 'LB2',
  name: 'controllerManagesNodeRules',
  level: 'warning',
  resourceTypes: [MANIFEST_TYPE],
  info: 'An Ingress with instance targets (the default) on which the AWS Load Balancer Controller will manage node security group rules (no own security-groups annotation, or backend management on).',
  explanation: 'With instance targets the controller adds and revokes NodePort rules on node security groups at every reconcile, so the node boundary is no longer what the template says. Own the LB-to-node rule and set security-groups with manage-backend-security-group-rules "false", or use ip targets.',
  check(model: AppModel, resource: ResourceId) {
    const bad = albIngresses(model, resource).filter((i) => i.instanceTargets && i.backendManagement);
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} has Ingress ${bad.map((i) => i.name).join(', ')} with instance targets on which the AWS Load Balancer Controller manages node security group rules; set alb.ingress.kubernetes.io/security-groups to your own load balancer security group with manage-backend-security-group-rules "false" (AlbIngressBackendRules), or use target-type ip.`;
  },
};
