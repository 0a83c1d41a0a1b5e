import { AWS_API_PORT } from '../../conventions';
import { Branch, EVERY_BRANCH, holdsIn, joinBranches } from '../../template/branches';
import { coversTcp, EgressRule, IngressSource, isWholeInternet, RefKey } from '../../template/ingress';
import { AppModel, VpcEndpointInfo } from '../../template/model';
import { partsOf, Sym } from '../../template/values';

/**
 * Where nodes' traffic to an AWS service can go, read from their security groups' egress and the
 * VPC endpoints of the app (PRIV1).
 */

/** A way out that holds in `branch`, unless one of `unless` holds too (the implicit egress rule, gone once a standalone rule exists). */
export interface EgressPath {
  readonly branch: Branch;
  readonly unless: readonly Branch[];
}

/** Whether a path holds in a world. */
export function pathHolds(path: EgressPath, world: Branch): boolean {
  return holdsIn(path.branch, world) && !path.unless.some((b) => holdsIn(b, world));
}

/**
 * Whether a VPC endpoint may be one of a service: its `ServiceName` ends with `.<service>`
 * (`com.amazonaws.<region>.ecr.api`, literal or built with `Fn::Join` or `Fn::Sub` around the
 * Region), or its end cannot be read.
 */
export function mayServe(endpoint: VpcEndpointInfo, service: string): boolean {
  const name = endpoint.serviceName;
  if (typeof name !== 'string' && !(name instanceof Sym && name.kind === 'text')) return true;
  const parts = partsOf(name);
  const last = parts[parts.length - 1];
  return typeof last !== 'string' || last.endsWith(`.${service}`);
}

/**
 * The ways out on TCP 443 from nodes on some security groups to a service, in the VPC `vpc`
 * (undefined: unknown): an egress to 0.0.0.0/0 or ::/0, to a CIDR that cannot be resolved, or of
 * a group whose egress is not known, reaches every service; otherwise an egress reaches an
 * endpoint of the service in that VPC (or one that may be it: see `AppModel.mayBeSame`): an interface
 * endpoint through a CIDR, a prefix list, one of its security groups or a group that cannot be
 * resolved, a gateway endpoint through a CIDR or a prefix list.
 */
export function egressPaths(model: AppModel, groups: readonly RefKey[], vpc: RefKey | undefined, service: string): EgressPath[] {
  const endpoints = model.vpcEndpoints.filter((e) => mayServe(e, service) && model.mayBeSame(e.vpc, vpc));
  return groups.flatMap((sg) => {
    const rules = model.egressByGroup.get(sg);
    if (rules === undefined) return [{ branch: EVERY_BRANCH, unless: [] }];
    const standalone = rules.filter((r) => r.declaredBy !== sg).map((r) => r.branch);
    return rules.filter((r) => coversTcp(r, AWS_API_PORT)).flatMap((r) => {
      const unless = r.implicit ? standalone : [];
      if (reachesAnything(r.destination)) return [{ branch: r.branch, unless }];
      return endpoints.filter((e) => reaches(model, r, e)).flatMap((e) => {
        const branch = joinBranches(r.branch, e.branch);
        return branch ? [{ branch, unless }] : [];
      });
    });
  });
}

/** The whole internet, or a destination that may be it. */
function reachesAnything(d: IngressSource): boolean {
  return isWholeInternet(d) || d.kind === 'unknown' || ((d.kind === 'ipv4' || d.kind === 'ipv6') && d.value === undefined);
}

function reaches(model: AppModel, rule: EgressRule, endpoint: VpcEndpointInfo): boolean {
  const d = rule.destination;
  const type = endpoint.type;
  if (d.kind !== 'securityGroup') return type === undefined || type === 'Interface' || type === 'Gateway';
  if (type !== undefined && type !== 'Interface') return false;
  const sg = d.securityGroup;
  return sg === undefined || !model.isResolvedSecurityGroup(sg)
    || endpoint.securityGroups.includes(undefined) || endpoint.securityGroups.includes(sg);
}
