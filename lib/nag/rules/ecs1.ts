import { INGRESS_TYPES, ingressFinding } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { isWholeInternet, overlapsTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** ECS1: ECS dynamic host ports open to the internet. */
export const ecsDynamicPortsOpenToInternet: Rule = {
  id: 'ECS1',
  name: 'ecsDynamicPortsOpenToInternet',
  level: 'error',
  resourceTypes: INGRESS_TYPES,
  info: `An ingress on an ECS container instance security group (of the launch template or configuration of an Auto Scaling group that an ECS capacity provider uses) covers any of TCP ${Boundaries.ECS_DYNAMIC_PORT_RANGE_START}-${Boundaries.ECS_DYNAMIC_PORT_RANGE_END} from 0.0.0.0/0 or ::/0.`,
  explanation: 'In bridge mode with hostPort 0, containers listen on dynamic host ports; only the load balancer\'s security group needs to reach them.',
  check(model: AppModel, resource: ResourceId) {
    const bad = (model.ingressByResource.get(resource.key) ?? []).filter((r) => r.target !== undefined
      && model.ecsInstanceSecurityGroups.has(r.target)
      && overlapsTcp(r, Boundaries.ECS_DYNAMIC_PORT_RANGE_START, Boundaries.ECS_DYNAMIC_PORT_RANGE_END)
      && isWholeInternet(r.source));
    return ingressFinding(model, resource, bad, `opens ECS dynamic host ports (TCP ${Boundaries.ECS_DYNAMIC_PORT_RANGE_START}-${Boundaries.ECS_DYNAMIC_PORT_RANGE_END}) to the internet`,
      'allow the dynamic port range from the load balancer security group only');
  },
};
