import { resourceName } from './helpers';
import { Rule } from './rule';
import { TemplateModel } from '../model/template-model';

/** NG1: a managed node group shares the cluster SG. */
export const nodegroupOnClusterSecurityGroup: Rule = {
  id: 'NG1',
  name: 'nodegroupOnClusterSecurityGroup',
  level: 'warning',
  resourceTypes: ['AWS::EKS::Nodegroup'],
  info: 'A managed node group with no launch template security groups: its nodes share the cluster security group and its self-referencing all-traffic rule.',
  explanation: 'On the cluster security group every node, the control plane and anything else carrying that group reach each other on every port, the kubelet included. A dedicated node security group makes the boundary explicit.',
  check(model: TemplateModel, logicalId: string) {
    const group = model.nodeGroupsById.get(logicalId);
    if (!group || group.launchUnresolved || group.launch?.setsSecurityGroups) return undefined;
    const why = group.launch ? `its launch template ${group.launch.logicalId} sets no security groups` : 'it has no launch template';
    return `${resourceName(model, logicalId)} runs on the cluster security group because ${why}; give it a launch template with a dedicated node security group (HardenedNodeSecurityGroup).`;
  },
};
