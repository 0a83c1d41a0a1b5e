import { INGRESS_TYPES, ingressFinding, KUBELET, nodeIngress } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp, isAddressRange } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** KUB1: the kubelet port of a node SG is open to a CIDR or a prefix list. */
export const kubeletOpenToAddressRange: Rule = {
  id: 'KUB1',
  name: 'kubeletOpenToAddressRange',
  level: 'error',
  resourceTypes: INGRESS_TYPES,
  info: `A node security group ingress covers TCP ${Boundaries.KUBELET_PORT} (kubelet) from a CIDR (any, IPv4 or IPv6) or a prefix list.`,
  explanation: 'The kubelet API serves logs, exec and node and pod details. Only the EKS control plane (the cluster security group) needs it; an address range exposes it to every host in the range.',
  check(model: AppModel, resource: ResourceId) {
    const bad = nodeIngress(model, resource).filter((r) => coversTcp(r, KUBELET) && isAddressRange(r.source));
    return ingressFinding(model, resource, bad, `lets an address range reach the kubelet (TCP ${Boundaries.KUBELET_PORT}) on nodes`,
      `allow TCP ${Boundaries.KUBELET_PORT} from the cluster security group only (RestrictedKubeletAccess does)`);
  },
};
