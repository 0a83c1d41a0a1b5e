import { CLUSTER_RESOURCE_TYPES, isResolvedSg, resourceName } from './helpers';
import { Rule } from './rule';
import { Boundaries } from '../../boundaries';
import { coversTcp } from '../model/ingress';
import { TemplateModel } from '../model/template-model';

/** API1: nodes on dedicated SGs cannot reach a private endpoint. */
export const privateEndpointUnreachableFromNodes: Rule = {
  id: 'API1',
  name: 'privateEndpointUnreachableFromNodes',
  level: 'error',
  resourceTypes: CLUSTER_RESOURCE_TYPES,
  info: `A cluster with private endpoint access whose node groups on dedicated security groups have no ingress on a control-plane security group covering TCP ${Boundaries.KUBERNETES_API_PORT} from them (a CIDR or an unresolved source counts as a path).`,
  explanation: 'Nodes on dedicated security groups do not carry the cluster security group, so its self rule no longer lets them reach the private API endpoint: they cannot join the cluster.',
  check(model: TemplateModel, logicalId: string) {
    const cluster = model.clusters.get(logicalId);
    if (!cluster || cluster.endpointPrivateAccess !== true) return undefined;
    const rules = [...cluster.controlPlaneSecurityGroups].flatMap((sg) => model.ingressByTarget.get(sg) ?? [])
      .filter((r) => coversTcp(r, Boundaries.KUBERNETES_API_PORT));
    const cut = model.nodeGroupsOf(logicalId).filter((g) => g.dedicated && !rules.some((r) =>
      r.source.kind === 'ipv4' || r.source.kind === 'ipv6' || r.source.kind === 'prefixList' || r.source.kind === 'unknown'
      || (r.source.kind === 'securityGroup' && (!isResolvedSg(r.source.securityGroup) || g.securityGroups.includes(r.source.securityGroup)))));
    if (cut.length === 0) return undefined;
    return `${resourceName(model, logicalId)} has a private endpoint that node groups ${cut.map((g) => g.logicalId).join(', ')} cannot reach on TCP ${Boundaries.KUBERNETES_API_PORT} from their dedicated security groups; add an ingress rule on the cluster security group from each node security group on TCP ${Boundaries.KUBERNETES_API_PORT} (RestrictedKubeletAccess does).`;
  },
};
