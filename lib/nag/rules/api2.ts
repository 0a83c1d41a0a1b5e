import { CLUSTER_RESOURCE_TYPES, inBranches, resourceName } from './helpers';
import { Rule } from './rule';
import { ANY_IPV4, ANY_IPV6 } from '../../template/ingress';
import { asString } from '../../template/json';
import { AppModel, ResourceId } from '../../template/model';
import { Sym } from '../../template/values';

/** API2: the public endpoint is open to the whole internet. */
export const publicEndpointOpenToInternet: Rule = {
  id: 'API2',
  name: 'publicEndpointOpenToInternet',
  level: 'warning',
  resourceTypes: CLUSTER_RESOURCE_TYPES,
  info: 'Public endpoint access with no public CIDRs (EKS default 0.0.0.0/0) or with 0.0.0.0/0 or ::/0.',
  explanation: 'A public endpoint open to every address lets anyone try credentials and probe the API server. Turn it off, or list the CIDRs that need it.',
  check(model: AppModel, resource: ResourceId) {
    const cluster = model.clusters.get(resource.key);
    const variants = cluster?.variants ?? [];
    const open = variants.flatMap((v) => {
      if (v.endpointPublicAccess !== true || v.publicAccessCidrs instanceof Sym) return [];
      const cidrs = v.publicAccessCidrs;
      const world = cidrs === undefined || cidrs.length === 0
        ? `${ANY_IPV4} (no publicAccessCidrs: the EKS default)`
        : cidrs.map(asString).find((c) => c === ANY_IPV4 || c === ANY_IPV6);
      return world === undefined ? [] : [{ text: world, when: v.when }];
    });
    if (open.length === 0) return undefined;
    return `${resourceName(resource)} has public endpoint access from ${inBranches(open, variants.map((v) => v.when))}; turn public access off (private endpoint) or set publicAccessCidrs to the CIDRs that need the API.`;
  },
};
