import { CLUSTER_RESOURCE_TYPES, resourceName } from './helpers';
import { clusterHasPolicies } from './k8s';
import { Rule } from './rule';
import { asArray, asString } from '../../template/json';
import { AppModel, ResourceId } from '../../template/model';
import { partsOf, Sym } from '../../template/values';

const POLICY = 'AmazonEKSVPCResourceController';

/** PSG3: the cluster role cannot manage branch network interfaces. */
export const clusterRoleLacksVpcResourceController: Rule = {
  id: 'PSG3',
  name: 'clusterRoleLacksVpcResourceController',
  level: 'warning',
  resourceTypes: CLUSTER_RESOURCE_TYPES,
  info: 'SecurityGroupPolicies on a cluster whose role (in the template) lacks AmazonEKSVPCResourceController.',
  explanation: 'The VPC resource controller creates the trunk and branch network interfaces of pods with the cluster role; the EKS default cluster role has only AmazonEKSClusterPolicy.',
  check(model: AppModel, resource: ResourceId) {
    const cluster = model.clusters.get(resource.key);
    if (!cluster || cluster.role === undefined || !clusterHasPolicies(model, resource.key)) return undefined;
    const variants = model.variantsOf(cluster.role);
    const lacking = variants.some((v) => {
      const arns = v.properties.ManagedPolicyArns instanceof Sym ? [undefined] : asArray(v.properties.ManagedPolicyArns).map(literalEnd);
      return !arns.some((a) => a === undefined || a.endsWith(`/${POLICY}`));
    });
    if (!lacking) return undefined;
    return `${resourceName(resource)} has SecurityGroupPolicies but its role ${cluster.role.logicalId} lacks the ${POLICY} managed policy; attach arn:aws:iam::aws:policy/${POLICY} to the cluster role.`;
  },
};

/** The literal end of an ARN (`.../AmazonEKSVPCResourceController` after a partition reference); undefined when it ends in a reference. */
function literalEnd(value: unknown): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Sym)) return undefined;
  const parts = partsOf(value);
  const last = parts[parts.length - 1];
  return asString(last);
}
