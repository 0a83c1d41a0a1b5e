import { inBranches, resourceName } from './helpers';
import { Rule } from './rule';
import { AppModel, ResourceId } from '../../template/model';

/** NG1: a managed node group shares the cluster SG. */
export const nodegroupOnClusterSecurityGroup: Rule = {
  id: 'NG1',
  name: 'nodegroupOnClusterSecurityGroup',
  level: 'warning',
  resourceTypes: ['AWS::EKS::Nodegroup'],
  info: 'A managed node group with no launch template security groups: its nodes share the cluster security group and its self-referencing all-traffic rule.',
  explanation: 'On the cluster security group every node, the control plane and anything else carrying that group reach each other on every port, the kubelet included. A dedicated node security group makes the boundary explicit.',
  check(model: AppModel, resource: ResourceId) {
    const groups = model.nodeGroupsById.get(resource.key) ?? [];
    const shared = groups.filter((g) => !g.launchUnresolved && !g.launch?.setsSecurityGroups);
    if (shared.length === 0) return undefined;
    const why = shared.map((g) => ({ text: g.launch ? `its launch template ${g.launch.logicalId} sets no security groups` : 'it has no launch template', when: g.when }));
    return `${resourceName(resource)} runs on the cluster security group because ${inBranches(why, groups.map((g) => g.when))}; give it a launch template with a dedicated node security group (HardenedNodeSecurityGroup).`;
  },
};
