import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { clusterFixture, ClusterFixture } from '../../util';
import { cliRules, compliantTemplate, includeFindings, manifest, packFindings, securityGroupPolicy, TestFinding } from '../util';

const POLICY = securityGroupPolicy({ podSelector: { matchLabels: { app: 'api' } }, securityGroups: { groupIds: ['sg-0aaaaaaaaaaaaaaaa'] } });

/** A cluster fixture whose role may manage branch interfaces (no PSG3), with a SecurityGroupPolicy unless told otherwise. */
function fixture(withPolicy = true): ClusterFixture {
  const f = clusterFixture();
  f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
  if (withPolicy) f.cluster.addManifest('Policy', POLICY);
  return f;
}

function psg11(findings: TestFinding[]): TestFinding[] {
  return findings.filter((x) => x.rule === 'PSG11');
}

/**
 * The compliant template with a policy, a subnet (public by MapPublicIpOnLaunch, by a route to an
 * internet gateway, or private behind a NAT gateway) and the node group in it.
 */
function template(kind: 'map' | 'igw' | 'igw-literal' | 'nat', options: { destination?: string } = {}): any {
  const t = compliantTemplate();
  t.Resources.Policy = manifest([POLICY]);
  t.Resources.Vpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
  t.Resources.Igw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
  t.Resources.Subnet = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24', MapPublicIpOnLaunch: kind === 'map' } };
  t.Resources.Rt = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } };
  t.Resources.Assoc = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'Rt' } } };
  const target = kind === 'nat' || kind === 'map' ? { NatGatewayId: 'nat-0123456789abcdef0' } : { GatewayId: kind === 'igw-literal' ? 'igw-0123456789abcdef0' : { Ref: 'Igw' } };
  const destination = options.destination === '::/0' ? { DestinationIpv6CidrBlock: '::/0' } : { DestinationCidrBlock: options.destination ?? '0.0.0.0/0' };
  t.Resources.Default = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Rt' }, ...destination, ...target } };
  t.Resources.Nodes.Properties.Subnets = [{ Ref: 'Subnet' }];
  return t;
}

describe('PSG11 podSecurityGroupsInPublicSubnets', () => {
  test('CDK: a managed node group in the VPC\'s public subnets, with a policy on its cluster, is a warning naming each subnet and why', () => {
    const f = fixture();
    f.cluster.addNodegroupCapacity('Public', { instanceTypes: [new ec2.InstanceType('m6i.large')], subnets: { subnetType: ec2.SubnetType.PUBLIC } });
    const [finding] = psg11(packFindings(f.app));
    expect(finding).toEqual({
      rule: 'PSG11',
      severity: 'warning',
      path: 'Test/Cluster/NodegroupPublic/Resource',
      message: expect.stringMatching(/^AWS::EKS::Nodegroup \w+ runs nodes in public subnets VpcPublicSubnet1Subnet\w+ \(MapPublicIpOnLaunch true, route 0\.0\.0\.0\/0 to internet gateway VpcIGW\w+\), VpcPublicSubnet2Subnet\w+ \(.*\) while SecurityGroupPolicies target its cluster, .* set AWS_VPC_K8S_CNI_EXTERNALSNAT "true" in the vpc-cni configuration\.$/),
    });
  });

  test('CDK: private subnets, or public ones on a cluster without SecurityGroupPolicies, are fine', () => {
    const f = fixture();
    f.cluster.addNodegroupCapacity('Private', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    expect(psg11(packFindings(f.app))).toEqual([]);

    const g = fixture(false);
    g.cluster.addNodegroupCapacity('Public', { instanceTypes: [new ec2.InstanceType('m6i.large')], subnets: { subnetType: ec2.SubnetType.PUBLIC } });
    expect(psg11(packFindings(g.app))).toEqual([]);
  });

  test('CDK: self-managed capacity (an Auto Scaling group of the cluster) in public subnets is a warning on the group', () => {
    const f = fixture();
    f.cluster.addAutoScalingGroupCapacity('Self', { instanceType: new ec2.InstanceType('m6i.large'), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    expect(psg11(packFindings(f.app))).toEqual([expect.objectContaining({ path: 'Test/Cluster/Self/ASG' })]);
  });

  test('raw template: MapPublicIpOnLaunch, or a default route (IPv4 or IPv6) to an internet gateway of the template or a literal igw- id, is public; a NAT gateway is not', () => {
    expect(includeFindings(template('map'))).toEqual([expect.objectContaining({ rule: 'PSG11', path: 'Included/Template/Nodes', message: expect.stringContaining('public subnets Subnet (MapPublicIpOnLaunch true) while') })]);
    expect(includeFindings(template('igw'))).toEqual([expect.objectContaining({ rule: 'PSG11', message: expect.stringContaining('Subnet (route 0.0.0.0/0 to internet gateway Igw)') })]);
    expect(cliRules(template('igw', { destination: '::/0' }))).toEqual(['PSG11']);
    expect(cliRules(template('igw-literal'))).toEqual(['PSG11']);
    expect(cliRules(template('igw', { destination: '10.1.0.0/16' }))).toEqual([]);
    expect(includeFindings(template('nat'))).toEqual([]);
  });

  test('raw template: subnets that cannot be resolved are not read; a route in some branches only names its condition', () => {
    const literal = template('map');
    literal.Resources.Nodes.Properties.Subnets = ['subnet-0123456789abcdef0'];
    expect(cliRules(literal)).toEqual([]);
    const parameter = template('map');
    parameter.Parameters = { Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' } };
    parameter.Resources.Nodes.Properties.Subnets = { Ref: 'Subnets' };
    expect(cliRules(parameter)).toEqual([]);
    const noPolicy = template('map');
    delete noPolicy.Resources.Policy;
    expect(cliRules(noPolicy)).toEqual([]);

    const branch = template('igw');
    branch.Parameters = { Env: { Type: 'String' } };
    branch.Conditions = { Public: { 'Fn::Equals': [{ Ref: 'Env' }, 'sandbox'] } };
    branch.Resources.Default.Condition = 'Public';
    expect(includeFindings(branch)).toEqual([expect.objectContaining({ rule: 'PSG11', message: expect.stringContaining('Subnet (route 0.0.0.0/0 to internet gateway Igw when Public is true)') })]);
  });
});
