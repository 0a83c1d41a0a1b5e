import { CLUSTER_RESOURCE_TYPES, inBranches, isPossiblePath, pathGaps, resourceName } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** API1: nodes on dedicated SGs cannot reach a private endpoint. */
export const privateEndpointUnreachableFromNodes: Rule = {
  id: 'API1',
  name: 'privateEndpointUnreachableFromNodes',
  level: 'error',
  resourceTypes: CLUSTER_RESOURCE_TYPES,
  info: `A cluster with private endpoint access whose node groups on dedicated security groups have no ingress on a control-plane security group covering TCP ${Boundaries.KUBERNETES_API_PORT} from them (a CIDR or an unresolved source counts as a path).`,
  explanation: 'Nodes on dedicated security groups do not carry the cluster security group, so its self rule no longer lets them reach the private API endpoint: they cannot join the cluster.',
  check(model: AppModel, resource: ResourceId) {
    const cluster = model.clusters.get(resource.key);
    const privateIn = cluster?.variants.filter((v) => v.endpointPrivateAccess === true) ?? [];
    if (!cluster || privateIn.length === 0) return undefined;
    const rules = [...cluster.controlPlaneSecurityGroups].flatMap((sg) => model.ingressByTarget.get(sg) ?? [])
      .filter((r) => coversTcp(r, Boundaries.KUBERNETES_API_PORT));
    const cut = model.nodeGroupsOf(resource.key).filter((g) => g.dedicated).flatMap((g) => {
      const gap = pathGaps(model, rules, (r) => isPossiblePath(model, r, g.securityGroups));
      return gap === 'always' ? [] : [{ text: gap === 'never' ? g.logicalId : `${g.logicalId} (${gap})`, when: g.when }];
    });
    if (cut.length === 0) return undefined;
    const when = privateIn.length === cluster.variants.length ? '' : ` (${privateIn.map((v) => v.when).join(' or ')})`;
    const groups = inBranches(cut, model.nodeGroupsOf(resource.key).filter((g) => cut.some((c) => c.text.startsWith(g.logicalId))).map((g) => g.when)).replace(/; /g, ', ');
    return `${resourceName(resource)} has a private endpoint${when} that node groups ${groups} cannot reach on TCP ${Boundaries.KUBERNETES_API_PORT} from their dedicated security groups; add an ingress rule on the cluster security group from each node security group on TCP ${Boundaries.KUBERNETES_API_PORT}, in every branch (RestrictedKubeletAccess does).`;
  },
};
