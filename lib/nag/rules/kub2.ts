import { INGRESS_TYPES, ingressFinding, isDedicatedNodeSgOfSameCluster, KUBELET_READ_ONLY, nodeIngress } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** KUB2: the kubelet's read-only port is reachable from outside the nodes. */
export const kubeletReadOnlyPortOpen: Rule = {
  id: 'KUB2',
  name: 'kubeletReadOnlyPortOpen',
  level: 'error',
  resourceTypes: INGRESS_TYPES,
  info: `A node security group ingress covers TCP ${Boundaries.KUBELET_READ_ONLY_PORT} (kubelet read-only API) from a source other than a dedicated node security group of the cluster.`,
  explanation: 'The read-only kubelet API is unauthenticated and lists pods and node details. Nothing outside the nodes needs it.',
  check(model: AppModel, resource: ResourceId) {
    const bad = nodeIngress(model, resource).filter((r) => coversTcp(r, KUBELET_READ_ONLY)
      && !(r.source.kind === 'securityGroup' && r.source.securityGroup !== undefined
        && isDedicatedNodeSgOfSameCluster(model, r.target!, r.source.securityGroup)));
    return ingressFinding(model, resource, bad, `lets a source other than the nodes reach the kubelet read-only port (TCP ${Boundaries.KUBELET_READ_ONLY_PORT})`,
      `remove the rule or narrow its ports so that ${Boundaries.KUBELET_READ_ONLY_PORT} is not covered`);
  },
};
