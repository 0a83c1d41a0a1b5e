import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { OptionalClusterEndpoint } from '../../lib';
import {
  validateEndpointsNodeSecurityGroup, validateEndpointsProps, validateOptionalEndpoints, validateSomeEndpointsNodeSecurityGroup, validateVpcDns,
} from '../../lib/private-cluster/validate';

function fixture() {
  const stack = new Stack(new App(), 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return { stack, vpc };
}

const codes = (problems: string[]) => problems.map((p) => /\[hardened-eks-networking:([A-Za-z0-9]+)\]$/.exec(p)![1]);

describe('validateEndpointsProps', () => {
  test('GIVEN the cluster\'s VPC and subnets THEN no problem', () => {
    const { vpc } = fixture();
    expect(validateEndpointsProps({ clusterPath: 'Test/Cluster', clusterVpc: vpc, subnetsGiven: false, subnetCount: 2, optionalEndpoints: [] })).toEqual([]);
  });

  test('GIVEN no VPC anywhere THEN endpointVpcUnknown, and nothing about subnets', () => {
    expect(codes(validateEndpointsProps({ clusterPath: 'Test/Cluster', subnetsGiven: false, optionalEndpoints: [] }))).toEqual(['endpointVpcUnknown']);
  });

  test('GIVEN a vpc whose id is a token THEN it cannot be compared, and is not a problem', () => {
    const { stack, vpc } = fixture();
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: Lazy.string({ produce: () => 'vpc-0123456789abcdef0' }),
      availabilityZones: ['a'],
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'],
    });
    expect(validateEndpointsProps({ clusterPath: 'Test/Cluster', vpc: imported, clusterVpc: vpc, subnetsGiven: false, subnetCount: 1, optionalEndpoints: [] })).toEqual([]);
  });

  test('GIVEN two literal VPC ids THEN endpointVpcNotClusterVpc names both', () => {
    const { stack } = fixture();
    const a = ec2.Vpc.fromVpcAttributes(stack, 'A', { vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZones: ['a'] });
    const b = ec2.Vpc.fromVpcAttributes(stack, 'B', { vpcId: 'vpc-0bbbbbbbbbbbbbbbb', availabilityZones: ['a'] });
    expect(validateEndpointsProps({ clusterPath: 'Test/Cluster', vpc: a, clusterVpc: b, subnetsGiven: false, subnetCount: 1, optionalEndpoints: [] })).toEqual([
      'vpc: \'vpc-0aaaaaaaaaaaaaaaa\' is not the cluster\'s VPC (\'vpc-0bbbbbbbbbbbbbbbb\'); nodes use the endpoints of their own VPC only, so pass the cluster\'s VPC or omit vpc [hardened-eks-networking:endpointVpcNotClusterVpc]',
    ]);
  });

  test('GIVEN no subnet selected THEN endpointSubnetsEmpty, worded for the default and for a selection', () => {
    const { vpc } = fixture();
    const [byDefault] = validateEndpointsProps({ clusterPath: 'Test/Cluster', clusterVpc: vpc, subnetsGiven: false, subnetCount: 0, optionalEndpoints: [] });
    expect(byDefault).toMatch(/^subnets: not given, and VPC 'Test\/Vpc' has no private or isolated subnet/);
    const [given] = validateEndpointsProps({ clusterPath: 'Test/Cluster', clusterVpc: vpc, subnetsGiven: true, subnetCount: 0, optionalEndpoints: [] });
    expect(given).toBe('subnets: selects no subnet; select the subnets of the nodes [hardened-eks-networking:endpointSubnetsEmpty]');
  });

  test('GIVEN every problem at once THEN every one is listed', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, enableDnsSupport: false, enableDnsHostnames: false });
    expect(codes(validateEndpointsProps({
      clusterPath: 'Test/Cluster', clusterVpc: vpc, subnetsGiven: false, subnetCount: 0, optionalEndpoints: [OptionalClusterEndpoint.KMS, OptionalClusterEndpoint.KMS],
    }))).toEqual(['endpointVpcDnsDisabled', 'endpointSubnetsEmpty', 'optionalEndpointDuplicate']);
  });
});

describe('validateVpcDns', () => {
  test('GIVEN an imported VPC THEN it cannot be checked, and is not a problem', () => {
    const { stack } = fixture();
    expect(validateVpcDns(ec2.Vpc.fromVpcAttributes(stack, 'I', { vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZones: ['a'] }))).toEqual([]);
  });

  test('GIVEN DNS support off THEN endpointVpcDnsDisabled', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, enableDnsSupport: false, enableDnsHostnames: false });
    expect(codes(validateVpcDns(vpc))).toEqual(['endpointVpcDnsDisabled']);
  });
});

describe('validateOptionalEndpoints', () => {
  test('GIVEN each endpoint once THEN no problem; GIVEN one three times THEN two problems', () => {
    expect(validateOptionalEndpoints([OptionalClusterEndpoint.SSM, OptionalClusterEndpoint.SSM_MESSAGES])).toEqual([]);
    expect(validateOptionalEndpoints([OptionalClusterEndpoint.SQS, OptionalClusterEndpoint.SQS, OptionalClusterEndpoint.SQS])).toEqual([
      'optionalEndpoints: SQS appears twice; list each endpoint once [hardened-eks-networking:optionalEndpointDuplicate]',
      'optionalEndpoints: SQS appears twice; list each endpoint once [hardened-eks-networking:optionalEndpointDuplicate]',
    ]);
  });
});

describe('validateEndpointsNodeSecurityGroup', () => {
  type Extra = { privateEndpointAccess?: boolean; clusterSecurityGroupId?: string };
  const input = (securityGroup: ec2.ISecurityGroup, vpc: ec2.IVpc, extra: Extra = {}) => ({
    securityGroup, vpc, added: [], clusterPath: 'Test/Cluster', clusterSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa', ...extra,
  });

  test('GIVEN closed egress and an endpoint access that cannot be known THEN no problem', () => {
    const { stack, vpc } = fixture();
    const sg = new ec2.SecurityGroup(stack, 'Nodes', { vpc, allowAllOutbound: false });
    expect(validateEndpointsNodeSecurityGroup(input(sg, vpc, { privateEndpointAccess: undefined }))).toEqual([]);
  });

  test('GIVEN closed egress and a public-only cluster THEN endpointAccessPublicOnly; GIVEN open egress THEN no problem', () => {
    const { stack, vpc } = fixture();
    const closed = new ec2.SecurityGroup(stack, 'Closed', { vpc, allowAllOutbound: false });
    const open = new ec2.SecurityGroup(stack, 'Open', { vpc });
    expect(codes(validateEndpointsNodeSecurityGroup(input(closed, vpc, { privateEndpointAccess: false })))).toEqual(['endpointAccessPublicOnly']);
    expect(validateEndpointsNodeSecurityGroup(input(open, vpc, { privateEndpointAccess: false, clusterSecurityGroupId: undefined }))).toEqual([]);
  });

  test('GIVEN closed egress and no cluster SG id THEN endpointClusterSecurityGroupUnknown', () => {
    const { stack, vpc } = fixture();
    const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-0bbbbbbbbbbbbbbbb', { allowAllOutbound: false });
    expect(codes(validateEndpointsNodeSecurityGroup(input(sg, vpc, { clusterSecurityGroupId: undefined })))).toEqual(['endpointClusterSecurityGroupUnknown']);
  });

  test('GIVEN a group of another VPC of the app THEN endpointNodeSecurityGroupOtherVpc; GIVEN an imported group THEN its VPC is unknown and not a problem', () => {
    const { stack, vpc } = fixture();
    const other = new ec2.Vpc(stack, 'Other', { maxAzs: 1, natGateways: 0 });
    expect(codes(validateEndpointsNodeSecurityGroup(input(new ec2.SecurityGroup(stack, 'Elsewhere', { vpc: other }), vpc)))).toEqual(['endpointNodeSecurityGroupOtherVpc']);
    expect(validateEndpointsNodeSecurityGroup(input(ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-0bbbbbbbbbbbbbbbb'), vpc))).toEqual([]);
  });

  test('GIVEN a group already added THEN endpointNodeSecurityGroupDuplicate', () => {
    const { stack, vpc } = fixture();
    const sg = new ec2.SecurityGroup(stack, 'Nodes', { vpc });
    expect(codes(validateEndpointsNodeSecurityGroup({ ...input(sg, vpc), added: [sg.securityGroupId] }))).toEqual(['endpointNodeSecurityGroupDuplicate']);
  });
});

describe('validateSomeEndpointsNodeSecurityGroup', () => {
  test('GIVEN none THEN endpointNodeSecurityGroupMissing; GIVEN one THEN no problem', () => {
    expect(codes(validateSomeEndpointsNodeSecurityGroup(0))).toEqual(['endpointNodeSecurityGroupMissing']);
    expect(validateSomeEndpointsNodeSecurityGroup(1)).toEqual([]);
  });
});
