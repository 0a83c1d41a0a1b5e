import { EgressPath, egressPaths, pathHolds } from './endpoint-paths';
import { CLUSTER_RESOURCE_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { AWS_API_PORT } from '../../conventions';
import { Branch, holdsIn, Worlds } from '../../template/branches';
import { RefKey } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** The services nodes pull images from: the ECR API, the ECR registry, and S3 (the layers). */
const IMAGE_SERVICES = ['ecr.api', 'ecr.dkr', 's3'];

/** PRIV1: a private-only cluster whose nodes have no way to ECR and S3. */
export const privateClusterNodesCannotPullImages: Rule = {
  id: 'PRIV1',
  name: 'privateClusterNodesCannotPullImages',
  level: 'error',
  resourceTypes: CLUSTER_RESOURCE_TYPES,
  info: `A cluster with private endpoint access only whose node groups (or EKS Auto Mode NodeClasses) have no path on TCP ${AWS_API_PORT} to ecr.api, ecr.dkr or s3: no egress to 0.0.0.0/0 or ::/0, and no VPC endpoint of that service in their VPC that their security groups' egress reaches (an interface endpoint through one of its security groups, a CIDR or a prefix list; a gateway endpoint through a CIDR or a prefix list).`,
  explanation: 'A cluster without a public endpoint usually runs in subnets without internet access: its nodes pull images only through VPC endpoints for the ECR API, the ECR registry and S3 (which serves the image layers), and only when their security groups let them reach those endpoints. Without one, nodes cannot pull images: pods stay in ImagePullBackOff, and nodes may not join.',
  check(model: AppModel, resource: ResourceId) {
    const cluster = model.clusters.get(resource.key);
    const privateOnly = cluster?.variants.filter((v) => v.endpointPrivateAccess === true && v.endpointPublicAccess === false) ?? [];
    // A node group with a security group that cannot be resolved may have any egress.
    const groups = model.nodeGroupsOf(resource.key).filter((g) => !g.securityGroups.includes(undefined));
    if (privateOnly.length === 0 || groups.length === 0) return undefined;
    const paths = groups.map((g) => {
      const sgs = g.securityGroups as RefKey[];
      const vpc = sgs.map((sg) => model.vpcOfSecurityGroup(sg)).find((v) => v !== undefined) ?? model.vpcOfCluster(resource.key);
      return new Map(IMAGE_SERVICES.map((s) => [s, egressPaths(model, sgs, vpc, s)]));
    });
    const branches: Branch[] = [...privateOnly, ...groups].map((x) => x.branch);
    paths.forEach((m) => m.forEach((list) => list.forEach((p: EgressPath) => branches.push(p.branch, ...p.unless))));
    const worlds = Worlds.of(model.app, branches);
    if (!worlds) return undefined;
    const cut = new Map<string, Map<string, Branch[]>>();
    for (const world of worlds.all.filter((w) => privateOnly.some((v) => holdsIn(v.branch, w)))) {
      groups.forEach((g, i) => {
        if (!holdsIn(g.branch, world)) return;
        for (const [service, list] of paths[i]) {
          if (list.some((p) => pathHolds(p, world))) continue;
          const ofGroup = cut.get(g.logicalId) ?? new Map<string, Branch[]>();
          ofGroup.set(service, [...ofGroup.get(service) ?? [], world]);
          cut.set(g.logicalId, ofGroup);
        }
      });
    }
    if (cut.size === 0) return undefined;
    const when = worlds.describe(worlds.all.filter((w) => privateOnly.some((v) => holdsIn(v.branch, w))));
    const described = [...cut].map(([group, services]) => {
      const byCondition = new Map<string, string[]>();
      for (const [service, ws] of services) {
        const condition = worlds.describe(ws) ?? '';
        byCondition.set(condition, [...byCondition.get(condition) ?? [], service]);
      }
      return `${group} to ${[...byCondition].map(([c, s]) => `${s.join(' and ')}${c === '' ? '' : ` (${c})`}`).join(', and to ')}`;
    });
    return `${resourceName(resource)} has private endpoint access only${when === undefined ? '' : ` (${when})`}, and its nodes have no path on TCP ${AWS_API_PORT} `
      + `(no VPC endpoint of the service that their security groups reach, no egress to 0.0.0.0/0) to where they pull images from: ${described.join('; ')}; `
      + `in the cluster's VPC add interface endpoints for ecr.api and ecr.dkr and a gateway endpoint for s3, and allow the nodes TCP ${AWS_API_PORT} to them (PrivateClusterEndpoints does).`;
  },
};
