import { branchCondition, CLUSTER_RESOURCE_TYPES, Found, inBranches, MANIFEST_TYPE, resourceName } from './helpers';
import { Rule } from './rule';
import { asString } from '../../template/json';
import { AppModel, ClusterInfo, ResourceId } from '../../template/model';

/** NG4: EKS Auto Mode nodes share the cluster SG. */
export const autoModeNodesOnClusterSecurityGroup: Rule = {
  id: 'NG4',
  name: 'autoModeNodesOnClusterSecurityGroup',
  level: 'warning',
  resourceTypes: [...CLUSTER_RESOURCE_TYPES, MANIFEST_TYPE],
  info: 'An EKS Auto Mode cluster whose nodes carry the cluster security group: built-in node pools (ComputeConfig.NodePools), or a NodeClass whose securityGroupSelectorTerms select the cluster security group by id.',
  explanation: 'The built-in node pools launch nodes from the built-in NodeClass, which attaches the cluster security group; on it every node, the control plane and anything else carrying that group reach each other on every port, the kubelet included. A NodeClass that selects a dedicated node security group makes the boundary explicit.',
  check(model: AppModel, resource: ResourceId) {
    const cluster = model.clusters.get(resource.key);
    return cluster ? builtInNodePools(cluster) : nodeClassesOnClusterSecurityGroup(model, resource);
  },
};

const FIX = 'launch Auto Mode nodes from a NodeClass whose securityGroupSelectorTerms select a dedicated node security group by id, with rules from the cluster security group';

/** A cluster whose built-in node pools are on, in the branches they are on in. */
function builtInNodePools(cluster: ClusterInfo): string | undefined {
  const found: Found[] = cluster.variants.flatMap((v) => {
    // Only the literal pool names: a list or a pool given by a parameter is unknown, not a finding.
    const pools = Array.isArray(v.nodePools) ? v.nodePools.map(asString).filter((p): p is string => p !== undefined) : [];
    return v.autoMode === true && pools.length > 0 ? [{ text: `its built-in node pools ${pools.join(', ')}`, when: v.when }] : [];
  });
  if (found.length === 0) return undefined;
  return `${resourceName(cluster)} runs EKS Auto Mode nodes on the cluster security group: ${inBranches(found, cluster.variants.map((v) => v.when))} use the built-in NodeClass, which attaches it; set ComputeConfig.NodePools to [] and ${FIX}.`;
}

/** NodeClasses of a manifest that select their Auto Mode cluster's own security group. */
function nodeClassesOnClusterSecurityGroup(model: AppModel, resource: ResourceId): string | undefined {
  const nodeClasses = (model.nodeGroupsById.get(resource.key) ?? []).filter((g) => g.kind === 'NodeClass');
  const found: Found[] = nodeClasses.flatMap((g) => {
    const cluster = g.cluster !== undefined ? model.clusters.get(g.cluster) : undefined;
    if (!cluster?.autoMode || !g.securityGroups.includes(cluster.clusterSecurityGroup)) return [];
    // Auto Mode may be on in some branches of the cluster's template only: say in which.
    const whens = cluster.variants.map((v) => v.when);
    const condition = branchCondition(cluster.variants.filter((v) => v.autoMode === true).map((v) => v.when), whens);
    const text = `NodeClass ${g.nodeClass} selects the cluster security group of ${cluster.logicalId}`;
    return [{ text: condition === undefined ? text : `${text} (${condition})`, when: g.when }];
  });
  if (found.length === 0) return undefined;
  return `${resourceName(resource)} puts EKS Auto Mode nodes on the cluster security group: ${inBranches(found, model.variantsOf(resource).map((v) => v.when))}; ${FIX}.`;
}
