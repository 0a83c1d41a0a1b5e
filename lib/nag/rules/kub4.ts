import { isPossiblePath, KUBELET, MANIFEST_TYPE, NODE_GROUP_TYPES, pathGaps, resourceName } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** KUB4: nodes on dedicated SGs that the control plane cannot reach on the kubelet port. */
export const kubeletUnreachableFromControlPlane: Rule = {
  id: 'KUB4',
  name: 'kubeletUnreachableFromControlPlane',
  level: 'error',
  // The nodes of an EKS Auto Mode NodeClass are a node group of its manifest.
  resourceTypes: [...NODE_GROUP_TYPES, MANIFEST_TYPE],
  info: `A node group (or an EKS Auto Mode NodeClass) on dedicated security groups that nothing can reach on TCP ${Boundaries.KUBELET_PORT} from the control plane (no rule from a control-plane security group, a CIDR, a prefix list or an unresolved security group).`,
  explanation: 'When a launch template sets security groups, EKS does not attach the cluster security group to the nodes. Without a kubelet rule from the control plane, kubectl logs, exec and port-forward fail.',
  check(model: AppModel, resource: ResourceId) {
    const groups = model.nodeGroupsById.get(resource.key) ?? [];
    const cut = groups.flatMap((group) => {
      if (!group.dedicated || group.cluster === undefined || group.securityGroups.includes(undefined)) return [];
      const controlPlane = [...model.clusters.get(group.cluster)!.controlPlaneSecurityGroups];
      const rules = group.securityGroups.flatMap((sg) => model.ingressByTarget.get(sg!) ?? []);
      const gap = pathGaps(model, rules, (r) => coversTcp(r, KUBELET) && isPossiblePath(model, r, controlPlane));
      return gap === 'always' ? [] : [{ group, gap }];
    });
    if (cut.length === 0) return undefined;
    const cluster = model.clusters.get(cut[0].group.cluster!)!;
    const fix = `add an ingress rule from the cluster security group of ${cluster.logicalId} that exists in every branch (RestrictedKubeletAccess does)`;
    const never = cut.filter((c) => c.gap === 'never');
    if (never.length > 0) {
      const when = never.length === groups.length ? '' : ` (${[...new Set(never.map((c) => c.group.when))].join(' or ')})`;
      return `${resourceName(resource)} runs on dedicated security groups${when} that nothing lets the control plane reach on TCP ${Boundaries.KUBELET_PORT} (kubelet); ${fix}.`;
    }
    return `${resourceName(resource)} runs on dedicated security groups that the control plane cannot reach on TCP ${Boundaries.KUBELET_PORT} (kubelet) in some branches (${[...new Set(cut.map((c) => c.gap))].join('; ')}); ${fix}.`;
  },
};
