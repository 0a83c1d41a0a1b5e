import { NodePoolRequirement, NodePoolRequirementOperator } from './requirements';
import { BUILT_IN_NODE_CLASS_NAME } from '../conventions';
import { problem, Problem } from '../private/errors';
import { validateKubernetesName } from '../private/kubernetes-names';
import { describeValue } from '../private/values';

/** The props of a HardenedNodePool this file checks, with what was read from the cluster. */
export interface NodePoolInput {
  readonly name: string;
  readonly securityGroupId: string;
  /** The cluster security group id, or undefined when the cluster does not say (imported without it). */
  readonly clusterSecurityGroupId?: string;
  /** How many subnets were selected, or undefined when they cannot be known. */
  readonly subnetCount?: number;
  readonly requirements?: NodePoolRequirement[];
}

/** Every problem with the props of a HardenedNodePool; an empty list when there is none. */
export function validateNodePoolProps(input: NodePoolInput): Problem[] {
  const problems: Problem[] = [];
  const name = input.name;
  problems.push(...validateKubernetesName('name', name));
  if (name === BUILT_IN_NODE_CLASS_NAME) {
    problems.push(problem('nodeClassNameReserved', `name: '${name}' is the name of EKS Auto Mode's built-in NodeClass; pick another name`));
  }
  if (input.clusterSecurityGroupId !== undefined && input.securityGroupId === input.clusterSecurityGroupId) {
    problems.push(problem('nodeSecurityGroupIsClusterSecurityGroup', 'securityGroup: the cluster security group is not a dedicated node security group; pass the node security group of HardenedNodeSecurityGroup'));
  }
  if (input.subnetCount === undefined) {
    problems.push(problem('subnetsUnknown', 'subnets: the cluster was imported without its VPC, so its private subnets are unknown; pass subnets: { subnets: [...] }, or import the cluster with vpc'));
  } else if (input.subnetCount === 0) {
    problems.push(problem('subnetsUnknown', 'subnets: none selected (the cluster\'s VPC has no private or isolated subnet); pass subnets'));
  }
  (input.requirements ?? []).forEach((r, i) => {
    const count = (r.values ?? []).length;
    const key = describeValue(r.key);
    if ((r.operator === NodePoolRequirementOperator.IN || r.operator === NodePoolRequirementOperator.NOT_IN) && count === 0) {
      problems.push(problem('selectorValuesMissing', `requirements[${i}]: ${key} ${r.operator} has no values; give at least one`));
    } else if ((r.operator === NodePoolRequirementOperator.EXISTS || r.operator === NodePoolRequirementOperator.DOES_NOT_EXIST) && count > 0) {
      problems.push(problem('selectorValuesUnexpected', `requirements[${i}]: ${key} ${r.operator} takes no values; remove them`));
    } else if ((r.operator === NodePoolRequirementOperator.GT || r.operator === NodePoolRequirementOperator.LT) && count !== 1) {
      problems.push(problem('selectorValuesUnexpected', `requirements[${i}]: ${key} ${r.operator} takes exactly one value, a number; ${count} given`));
    }
  });
  return problems;
}
