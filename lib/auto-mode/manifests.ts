import { NodePoolRequirement, NodePoolRequirementOperator } from './requirements';
import { NODE_CLASS_API_VERSION, NODE_CLASS_GROUP, NODE_CLASS_KIND, NODE_POOL_API_VERSION } from '../conventions';

/** The requirements of a HardenedNodePool when none are given: on-demand c, m and r instances. */
export const DEFAULT_REQUIREMENTS: readonly NodePoolRequirement[] = [
  { key: 'eks.amazonaws.com/instance-category', operator: NodePoolRequirementOperator.IN, values: ['c', 'm', 'r'] },
  { key: 'karpenter.sh/capacity-type', operator: NodePoolRequirementOperator.IN, values: ['on-demand'] },
];

/** What a NodeClass of a HardenedNodePool is made of. */
export interface NodeClassInput {
  readonly name: string;
  readonly roleName: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
}

/**
 * The NodeClass: only the dedicated node security group (selected by id, so no other group with a
 * matching tag or name joins it), the given subnets by id, and no public IP addresses.
 */
export function nodeClassManifest(input: NodeClassInput): Record<string, unknown> {
  return {
    apiVersion: NODE_CLASS_API_VERSION,
    kind: NODE_CLASS_KIND,
    metadata: { name: input.name },
    spec: {
      role: input.roleName,
      subnetSelectorTerms: input.subnetIds.map((id) => ({ id })),
      securityGroupSelectorTerms: [{ id: input.securityGroupId }],
      advancedNetworking: { associatePublicIPAddress: false },
    },
  };
}

/** The NodePool that launches nodes from the NodeClass of the same name. */
export function nodePoolManifest(input: { readonly name: string; readonly requirements?: NodePoolRequirement[] }): Record<string, unknown> {
  return {
    apiVersion: NODE_POOL_API_VERSION,
    kind: 'NodePool',
    metadata: { name: input.name },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: NODE_CLASS_GROUP, kind: NODE_CLASS_KIND, name: input.name },
          requirements: (input.requirements ?? DEFAULT_REQUIREMENTS).map((r) => ({
            key: r.key,
            operator: r.operator,
            ...(r.values !== undefined ? { values: r.values } : {}),
          })),
        },
      },
    },
  };
}
