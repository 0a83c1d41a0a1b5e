import { isResolvedSg, KUBELET, NODE_GROUP_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp, isAddressRange } from '../model/ingress';
import { TemplateModel } from '../model/template-model';

/** KUB4: nodes on dedicated SGs that the control plane cannot reach on the kubelet port. */
export const kubeletUnreachableFromControlPlane: Rule = {
  id: 'KUB4',
  name: 'kubeletUnreachableFromControlPlane',
  level: 'error',
  resourceTypes: NODE_GROUP_TYPES,
  info: `A node group on dedicated security groups that nothing can reach on TCP ${Boundaries.KUBELET_PORT} from the control plane (no rule from a control-plane security group, a CIDR, a prefix list or an unresolved security group).`,
  explanation: 'When a launch template sets security groups, EKS does not attach the cluster security group to the nodes. Without a kubelet rule from the control plane, kubectl logs, exec and port-forward fail.',
  check(model: TemplateModel, logicalId: string) {
    const group = model.nodeGroupsById.get(logicalId);
    if (!group || !group.dedicated || group.cluster === undefined) return undefined;
    const controlPlane = model.clusters.get(group.cluster)!.controlPlaneSecurityGroups;
    const reachable = group.securityGroups.some((sg) => sg === undefined || (model.ingressByTarget.get(sg) ?? []).some((r) =>
      coversTcp(r, KUBELET) && (isAddressRange(r.source) || r.source.kind === 'unknown'
        || (r.source.kind === 'securityGroup' && (!isResolvedSg(r.source.securityGroup) || controlPlane.has(r.source.securityGroup!))))));
    if (reachable) return undefined;
    return `${resourceName(model, logicalId)} runs on dedicated security groups that nothing lets the control plane reach on TCP ${Boundaries.KUBELET_PORT} (kubelet); add an ingress rule from the cluster security group of ${group.cluster} (RestrictedKubeletAccess does).`;
  },
};
