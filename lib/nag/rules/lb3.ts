import { isNodeSgOf, MANIFEST_TYPE, resourceName } from './helpers';
import { albIngresses } from './k8s';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { overlapsTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** LB3: an Ingress opted out of backend rules, but nothing lets its LB reach the NodePorts. */
export const nodePortsUnreachableFromLoadBalancer: Rule = {
  id: 'LB3',
  name: 'nodePortsUnreachableFromLoadBalancer',
  level: 'error',
  resourceTypes: [MANIFEST_TYPE],
  info: 'An Ingress with instance targets that opted out of backend management (own security-groups, backend management not turned on), but no node security group rule from its load balancer security groups covers any NodePort (traffic is dropped).',
  explanation: 'Once the controller no longer manages node rules, the rule from the load balancer security group to the NodePort range must exist in the template, or every target is unhealthy.',
  check(model: AppModel, resource: ResourceId) {
    const bad = albIngresses(model, resource).filter((i) => {
      const lbSgs = i.ownSecurityGroups;
      if (!i.instanceTargets || i.backendManagement || !lbSgs?.length || lbSgs.includes(undefined)) return false;
      return !lbSgs.some((lb) => (model.ingressBySource.get(lb!) ?? []).some((r) => r.target !== undefined
        && isNodeSgOf(model, r.target, i.cluster)
        && overlapsTcp(r, Boundaries.NODEPORT_RANGE_START, Boundaries.NODEPORT_RANGE_END)));
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} has Ingress ${bad.map((i) => i.name).join(', ')} with instance targets and its own load balancer security groups, `
      + `but no node security group lets them reach the NodePorts (TCP ${Boundaries.NODEPORT_RANGE_START}-${Boundaries.NODEPORT_RANGE_END}); add that ingress rule on the node security group (AlbIngressBackendRules).`;
  },
};
