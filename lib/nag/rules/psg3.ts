import { CLUSTER_RESOURCE_TYPES, resourceName } from './helpers';
import { clusterHasPolicies } from './k8s';
import { Rule } from './rule';
import { asArray, asString, at, intrinsic } from '../model/json';
import { TemplateModel } from '../model/template-model';

const POLICY = 'AmazonEKSVPCResourceController';

/** PSG3: the cluster role cannot manage branch network interfaces. */
export const clusterRoleLacksVpcResourceController: Rule = {
  id: 'PSG3',
  name: 'clusterRoleLacksVpcResourceController',
  level: 'warning',
  resourceTypes: CLUSTER_RESOURCE_TYPES,
  info: 'SecurityGroupPolicies on a cluster whose role (in the template) lacks AmazonEKSVPCResourceController.',
  explanation: 'The VPC resource controller creates the trunk and branch network interfaces of pods with the cluster role; the EKS default cluster role has only AmazonEKSClusterPolicy.',
  check(model: TemplateModel, logicalId: string) {
    const cluster = model.clusters.get(logicalId);
    if (!cluster || cluster.roleId === undefined || !clusterHasPolicies(model, logicalId)) return undefined;
    const arns = asArray(at(model.resources[cluster.roleId], 'Properties', 'ManagedPolicyArns')).map(literalText);
    if (arns.some((a) => a === undefined || a.endsWith(`/${POLICY}`))) return undefined;
    return `${resourceName(model, logicalId)} has SecurityGroupPolicies but its role ${cluster.roleId} lacks the ${POLICY} managed policy; attach arn:aws:iam::aws:policy/${POLICY} to the cluster role.`;
  },
};

/** The literal text of a string or a join, with references left out; undefined for anything else. */
function literalText(value: unknown): string | undefined {
  const s = asString(value);
  if (s !== undefined) return s;
  const fn = intrinsic(value);
  if (fn?.name !== 'Fn::Join') return undefined;
  const [sep, parts] = asArray(fn.args);
  return asArray(parts).map((p) => asString(p) ?? '').join(asString(sep) ?? '');
}
