import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { OptionalClusterEndpoint } from './optional-endpoint';
import { problem, Problem } from '../private/errors';
import { describeVpcId, differentVpcs, securityGroupVpcId } from '../private/vpcs';

/** The props of a PrivateClusterEndpoints this file checks, with what was read from the cluster and the VPC. */
export interface EndpointsInput {
  /** The construct path of the cluster, for messages. */
  readonly clusterPath: string;
  /** `vpc` as given. */
  readonly vpc?: ec2.IVpc;
  /** The cluster's VPC, when the cluster knows it (an imported cluster may not). */
  readonly clusterVpc?: ec2.IVpc;
  /** Whether `subnets` was given. */
  readonly subnetsGiven: boolean;
  /**
   * How many subnets were selected; undefined when there is no VPC to select from. `selectionError`
   * is what aws-cdk-lib said when the selection failed.
   */
  readonly subnetCount?: number;
  readonly selectionError?: string;
  readonly optionalEndpoints: OptionalClusterEndpoint[];
}

/** Every problem with the props of a PrivateClusterEndpoints; an empty list when there is none. */
export function validateEndpointsProps(input: EndpointsInput): Problem[] {
  const problems: Problem[] = [];
  const vpc = input.vpc ?? input.clusterVpc;
  if (vpc === undefined) {
    problems.push(problem('endpointVpcUnknown', `vpc: not given, and cluster '${input.clusterPath}' was imported without its VPC; pass vpc (the cluster's VPC), or import the cluster with vpc`));
  } else if (input.vpc !== undefined && input.clusterVpc !== undefined && differentVpcs(input.vpc.vpcId, input.clusterVpc.vpcId)) {
    problems.push(problem('endpointVpcNotClusterVpc', `vpc: ${describeVpcId(input.vpc.vpcId)} is not the cluster's VPC (${describeVpcId(input.clusterVpc.vpcId)}); nodes use the endpoints of their own VPC only, so pass the cluster's VPC or omit vpc`));
  } else {
    problems.push(...validateVpcDns(vpc));
    if (input.selectionError !== undefined) {
      problems.push(problem('endpointSubnetsEmpty', `subnets: the selection fails (${input.selectionError}); select the subnets of the nodes`));
    } else if (input.subnetCount === 0) {
      problems.push(problem('endpointSubnetsEmpty', input.subnetsGiven
        ? 'subnets: selects no subnet; select the subnets of the nodes'
        : `subnets: not given, and VPC ${describeVpcId(vpc.vpcId)} has no private or isolated subnet for the endpoints; pass subnets (the subnets of the nodes), or add private or isolated subnets to the VPC`));
    }
  }
  problems.push(...validateOptionalEndpoints(input.optionalEndpoints));
  return problems;
}

/**
 * The problem when interface endpoints cannot have private DNS names in the VPC: a VPC this app
 * creates with DNS hostnames or DNS support off. (An imported VPC cannot be checked.)
 */
export function validateVpcDns(vpc: ec2.IVpc): Problem[] {
  if (vpc instanceof ec2.Vpc && !(vpc.dnsHostnamesEnabled && vpc.dnsSupportEnabled)) {
    return [problem('endpointVpcDnsDisabled', `vpc: '${vpc.node.path}' has enableDnsHostnames or enableDnsSupport off, and interface endpoints have private DNS names only with both on; create the VPC with both on (the default)`)];
  }
  return [];
}

/** Every problem with the optional endpoints asked for. */
export function validateOptionalEndpoints(endpoints: OptionalClusterEndpoint[]): Problem[] {
  const seen = new Set<OptionalClusterEndpoint>();
  const problems: Problem[] = [];
  for (const endpoint of endpoints) {
    if (seen.has(endpoint)) {
      problems.push(problem('optionalEndpointDuplicate', `optionalEndpoints: ${endpoint} appears twice; list each endpoint once`));
    }
    seen.add(endpoint);
  }
  return problems;
}

/** One more node security group, and what it is checked against. */
export interface EndpointsNodeSecurityGroupInput {
  readonly securityGroup: ec2.ISecurityGroup;
  /** The VPC of the endpoints. */
  readonly vpc: ec2.IVpc;
  /** The ids of the node security groups already added. */
  readonly added: string[];
  /** The construct path of the cluster, for messages. */
  readonly clusterPath: string;
  /** Whether the cluster's private endpoint is on; undefined when it cannot be known. */
  readonly privateEndpointAccess?: boolean;
  /** The cluster security group id; undefined for a cluster imported without it. */
  readonly clusterSecurityGroupId?: string;
}

/** Every problem with one more node security group; an empty list when there is none. */
export function validateEndpointsNodeSecurityGroup(input: EndpointsNodeSecurityGroupInput): Problem[] {
  const problems: Problem[] = [];
  const { securityGroup } = input;
  const path = securityGroup.node.path;
  if (input.added.includes(securityGroup.securityGroupId)) {
    problems.push(problem('endpointNodeSecurityGroupDuplicate', `nodeSecurityGroups: '${path}' was added twice; add each node security group once`));
  }
  const sgVpcId = securityGroupVpcId(securityGroup);
  if (sgVpcId !== undefined && differentVpcs(sgVpcId, input.vpc.vpcId)) {
    problems.push(problem('endpointNodeSecurityGroupOtherVpc', `nodeSecurityGroups: '${path}' is in VPC ${describeVpcId(sgVpcId)}, not in the VPC of the endpoints (${describeVpcId(input.vpc.vpcId)}); a security group rule cannot name a group of another VPC here, so pass a node security group of the cluster's VPC`));
  }
  if (!securityGroup.allowAllOutbound) {
    if (input.privateEndpointAccess === false) {
      problems.push(problem('endpointAccessPublicOnly', `nodeSecurityGroups: '${path}' allows no outbound traffic but what it is given, and cluster '${input.clusterPath}' has its private endpoint off (endpoint access public only), so its nodes could never reach the API server; set the cluster's endpointAccess to PRIVATE or PUBLIC_AND_PRIVATE`));
    }
    if (input.clusterSecurityGroupId === undefined) {
      problems.push(problem('endpointClusterSecurityGroupUnknown', `nodeSecurityGroups: '${path}' allows no outbound traffic but what it is given, and cluster '${input.clusterPath}' was imported without clusterSecurityGroupId, so the egress to the private API endpoint cannot be written; import the cluster with clusterSecurityGroupId`));
    }
  }
  return problems;
}

/** The problem when no node security group was ever given (checked at synthesis). */
export function validateSomeEndpointsNodeSecurityGroup(count: number): Problem[] {
  return count === 0
    ? [problem('endpointNodeSecurityGroupMissing', 'nodeSecurityGroups: none given, so no node may reach the endpoints; pass the node security groups in nodeSecurityGroups or call addNodeSecurityGroup()')]
    : [];
}
