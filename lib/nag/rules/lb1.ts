import { INGRESS_TYPES, ingressFinding, nodeIngress } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { isWholeInternet, overlapsTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** LB1: NodePorts open to the internet. */
export const nodePortsOpenToInternet: Rule = {
  id: 'LB1',
  name: 'nodePortsOpenToInternet',
  level: 'error',
  resourceTypes: INGRESS_TYPES,
  info: `A node security group ingress covers any of TCP ${Boundaries.NODEPORT_RANGE_START}-${Boundaries.NODEPORT_RANGE_END} (NodePorts) from 0.0.0.0/0 or ::/0.`,
  explanation: 'NodePorts expose every Service of type NodePort or LoadBalancer on every node. Only the load balancer\'s security group needs them.',
  check(model: AppModel, resource: ResourceId) {
    const bad = nodeIngress(model, resource).filter((r) =>
      overlapsTcp(r, Boundaries.NODEPORT_RANGE_START, Boundaries.NODEPORT_RANGE_END) && isWholeInternet(r.source));
    return ingressFinding(model, resource, bad, `opens NodePorts (TCP ${Boundaries.NODEPORT_RANGE_START}-${Boundaries.NODEPORT_RANGE_END}) to the internet`,
      'allow the NodePort range from the load balancer security group only (AlbIngressBackendRules)');
  },
};
