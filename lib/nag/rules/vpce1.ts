import { branchCondition, resourceName } from './helpers';
import { Rule } from './rule';
import { AWS_API_PORT } from '../../conventions';
import { coversTcp, describePorts, describeSource, IngressRule, isWholeInternet, RefKey } from '../../template/ingress';
import { AppModel, ClusterInfo, ResourceId } from '../../template/model';

/** VPCE1: the security group of interface endpoints in a hardened cluster's VPC lets anything in on TCP 443. */
export const endpointSecurityGroupOpen: Rule = {
  id: 'VPCE1',
  name: 'endpointSecurityGroupOpen',
  level: 'warning',
  resourceTypes: ['AWS::EC2::SecurityGroup'],
  info: `A security group of interface VPC endpoints (SecurityGroupIds of an AWS::EC2::VPCEndpoint of type Interface) in the VPC of a cluster with node groups on dedicated security groups, with an ingress covering TCP ${AWS_API_PORT} from 0.0.0.0/0, ::/0 or the VPC's CIDR (its CidrBlock, literal or Fn::GetAtt).`,
  explanation: 'The interface endpoints of a private cluster carry the nodes\' calls to ECR, STS, EKS and the other AWS APIs. Open to every address or to the whole VPC (aws-cdk-lib\'s InterfaceVpcEndpoint opens the VPC\'s CIDR by default), they answer any host of the VPC, past the boundary the dedicated node security groups draw. Allow TCP 443 from the node security groups only.',
  check(model: AppModel, resource: ResourceId) {
    const endpoints = (model.vpcEndpointsBySecurityGroup.get(resource.key) ?? []).filter((e) => e.type === 'Interface');
    if (endpoints.length === 0) return undefined;
    const hardened = [...model.clusters.values()].filter((c) => model.nodeGroupsOf(c.key).some((g) => g.dedicated));
    const inCluster = endpoints.flatMap((e) => {
      const cluster = e.vpc === undefined ? undefined : hardened.find((c) => vpcsOf(model, c).has(e.vpc!));
      return cluster ? [{ endpoint: e, cluster, vpc: e.vpc! }] : [];
    });
    if (inCluster.length === 0) return undefined;
    const vpcCidrs = new Set(inCluster.flatMap((x) => [...model.vpcCidrKeys(x.vpc)]));
    const open = (model.ingressByTarget.get(resource.key) ?? []).filter((r) => coversTcp(r, AWS_API_PORT)
      && (isWholeInternet(r.source) || ((r.source.kind === 'ipv4' || r.source.kind === 'ipv6') && vpcCidrs.has(r.source.key ?? ''))));
    if (open.length === 0) return undefined;
    const names = [...new Set(inCluster.map((x) => x.endpoint.logicalId))];
    const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    const rules = open.map((r) => describeOpen(model, r, resource.key));
    return `${resourceName(resource)} is the security group of interface endpoints ${listed} in the VPC of ${inCluster[0].cluster.logicalId}, whose nodes are on dedicated security groups, `
      + `and lets TCP ${AWS_API_PORT} in from more than the nodes: ${[...new Set(rules)].join('; ')}; allow TCP ${AWS_API_PORT} from the node security groups only (PrivateClusterEndpoints does).`;
  },
};

/** The VPCs of a cluster: its subnets', and its dedicated node security groups'. */
function vpcsOf(model: AppModel, cluster: ClusterInfo): Set<RefKey> {
  const vpcs = new Set<RefKey>();
  const own = model.vpcOfCluster(cluster.key);
  if (own !== undefined) vpcs.add(own);
  for (const g of model.nodeGroupsOf(cluster.key).filter((n) => n.dedicated)) {
    for (const sg of g.securityGroups) {
      const vpc = sg === undefined ? undefined : model.vpcOfSecurityGroup(sg);
      if (vpc !== undefined) vpcs.add(vpc);
    }
  }
  return vpcs;
}

/** "TCP 443 from the VPC's CIDR (Vpc.CidrBlock), declared by X (when A is true)"; a rule of the group itself is not said to be declared. */
function describeOpen(model: AppModel, r: IngressRule, group: string): string {
  const source = isWholeInternet(r.source) ? describeSource(r.source) : `the VPC's CIDR (${r.source.value ?? r.source.unresolved})`;
  const declaredBy = model.resource(r.declaredBy);
  const condition = declaredBy ? branchCondition([r.when], model.variantsOf(declaredBy).map((v) => v.when)) : undefined;
  const by = declaredBy && declaredBy.key !== group ? `, declared by ${declaredBy.logicalId}` : '';
  return `${describePorts(r)} from ${source}${by}${condition === undefined ? '' : ` (${condition})`}`;
}
