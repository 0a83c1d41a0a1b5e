import { CLUSTER_RESOURCE_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { ANY_IPV4, ANY_IPV6 } from '../model/ingress';
import { asString } from '../model/json';
import { TemplateModel } from '../model/template-model';

/** API2: the public endpoint is open to the whole internet. */
export const publicEndpointOpenToInternet: Rule = {
  id: 'API2',
  name: 'publicEndpointOpenToInternet',
  level: 'warning',
  resourceTypes: CLUSTER_RESOURCE_TYPES,
  info: 'Public endpoint access with no public CIDRs (EKS default 0.0.0.0/0) or with 0.0.0.0/0 or ::/0.',
  explanation: 'A public endpoint open to every address lets anyone try credentials and probe the API server. Turn it off, or list the CIDRs that need it.',
  check(model: TemplateModel, logicalId: string) {
    const cluster = model.clusters.get(logicalId);
    if (!cluster || cluster.endpointPublicAccess !== true) return undefined;
    const cidrs = cluster.publicAccessCidrs;
    const world = cidrs === undefined || cidrs.length === 0
      ? `${ANY_IPV4} (no publicAccessCidrs: the EKS default)`
      : cidrs.map(asString).find((c) => c === ANY_IPV4 || c === ANY_IPV6);
    if (world === undefined) return undefined;
    return `${resourceName(model, logicalId)} has public endpoint access from ${world}; turn public access off (private endpoint) or set publicAccessCidrs to the CIDRs that need the API.`;
  },
};
