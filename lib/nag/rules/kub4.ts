import { isPossiblePath, KUBELET, NODE_GROUP_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** KUB4: nodes on dedicated SGs that the control plane cannot reach on the kubelet port. */
export const kubeletUnreachableFromControlPlane: Rule = {
  id: 'KUB4',
  name: 'kubeletUnreachableFromControlPlane',
  level: 'error',
  resourceTypes: NODE_GROUP_TYPES,
  info: `A node group on dedicated security groups that nothing can reach on TCP ${Boundaries.KUBELET_PORT} from the control plane (no rule from a control-plane security group, a CIDR, a prefix list or an unresolved security group).`,
  explanation: 'When a launch template sets security groups, EKS does not attach the cluster security group to the nodes. Without a kubelet rule from the control plane, kubectl logs, exec and port-forward fail.',
  check(model: AppModel, resource: ResourceId) {
    const cut = (model.nodeGroupsById.get(resource.key) ?? []).filter((group) => {
      if (!group.dedicated || group.cluster === undefined) return false;
      const controlPlane = [...model.clusters.get(group.cluster)!.controlPlaneSecurityGroups];
      return !group.securityGroups.some((sg) => sg === undefined || (model.ingressByTarget.get(sg) ?? []).some((r) =>
        coversTcp(r, KUBELET) && isPossiblePath(model, r, controlPlane)));
    });
    if (cut.length === 0) return undefined;
    const cluster = model.clusters.get(cut[0].cluster!)!;
    const when = cut.length === (model.nodeGroupsById.get(resource.key) ?? []).length ? '' : ` (${[...new Set(cut.map((g) => g.when))].join(' or ')})`;
    return `${resourceName(resource)} runs on dedicated security groups${when} that nothing lets the control plane reach on TCP ${Boundaries.KUBELET_PORT} (kubelet); add an ingress rule from the cluster security group of ${cluster.logicalId} (RestrictedKubeletAccess does).`;
  },
};
