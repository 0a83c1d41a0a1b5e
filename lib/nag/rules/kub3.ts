import { controlPlaneSgsOf, INGRESS_TYPES, ingressFinding, KUBELET, nodeIngress, sharesCluster } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** KUB3: the kubelet is reachable from a security group that is neither the control plane nor nodes. */
export const kubeletOpenToOtherSecurityGroup: Rule = {
  id: 'KUB3',
  name: 'kubeletOpenToOtherSecurityGroup',
  level: 'warning',
  resourceTypes: INGRESS_TYPES,
  info: `A node security group ingress covers TCP ${Boundaries.KUBELET_PORT} from a security group that is neither a control-plane security group nor a node security group of the cluster (unresolved security groups included).`,
  explanation: 'Besides the control plane, only metrics-server (which runs on the nodes) scrapes the kubelet. Any other security group widens who can read logs and exec into pods.',
  check(model: AppModel, resource: ResourceId) {
    const bad = nodeIngress(model, resource).filter((r) => {
      if (!coversTcp(r, KUBELET) || r.source.kind !== 'securityGroup') return false;
      const source = r.source.securityGroup;
      return source === undefined || (!controlPlaneSgsOf(model, r.target!).has(source) && !sharesCluster(model, r.target!, source));
    });
    return ingressFinding(model, resource, bad, `lets a security group outside the cluster reach the kubelet (TCP ${Boundaries.KUBELET_PORT})`,
      'remove the rule, or acknowledge it with the reason that client needs the kubelet');
  },
};
