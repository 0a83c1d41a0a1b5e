import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HardenedNodeSecurityGroup, PrivateClusterEndpoints, RestrictedKubeletAccess } from '../../../lib';
import { clusterFixture } from '../../util';
import { cliRules, compliantTemplate, includeFindings, NODE_SG, packFindings, rulesOf, TestFinding } from '../util';

const vpce1 = (findings: TestFinding[]) => findings.filter((x) => x.rule === 'VPCE1');

/** A private aws-eks cluster whose node group is on a HardenedNodeSecurityGroup (a hardened cluster), with PrivateClusterEndpoints. */
function hardened(options: { nodegroup?: boolean } = {}) {
  const f = clusterFixture();
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: false });
  new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
  const endpoints = new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
  if (options.nodegroup ?? true) nodes.addNodegroup('Workers');
  return { ...f, nodes, endpoints };
}

const ENDPOINT_SG = { 'Fn::GetAtt': ['EndpointSg', 'GroupId'] };

/**
 * The compliant raw template in a VPC of its own (10.0.0.0/16), with an ECR interface endpoint on
 * EndpointSg, which lets the node SG in on 443.
 */
function endpointTemplate(): any {
  const template = compliantTemplate();
  template.Resources.NodeSg.Properties.VpcId = { Ref: 'Vpc' };
  Object.assign(template.Resources, {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    EndpointSg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'endpoints',
        VpcId: { Ref: 'Vpc' },
        SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: NODE_SG }],
      },
    },
    EcrApi: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: 'com.amazonaws.eu-west-1.ecr.api', VpcEndpointType: 'Interface', SubnetIds: ['subnet-1'], SecurityGroupIds: [ENDPOINT_SG] },
    },
  });
  return template;
}

/** The template with one more ingress on EndpointSg. */
function openedTo(source: object, template = endpointTemplate()): any {
  template.Resources.EndpointSg.Properties.SecurityGroupIngress.push({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...source });
  return template;
}

/** VPCE1 in the pack (through CfnInclude) and in the command-line checker, which must agree; the pack's findings. */
function rawFindings(template: object): TestFinding[] {
  const findings = vpce1(includeFindings(template));
  expect(cliRules(template).filter((r) => r === 'VPCE1')).toEqual(findings.map((f) => f.rule));
  return findings;
}

describe('VPCE1 endpointSecurityGroupOpen', () => {
  test('CDK: PrivateClusterEndpoints lets only the node security group in: fine', () => {
    expect(rulesOf(packFindings(hardened().app))).not.toContain('VPCE1');
  });

  test('CDK: the endpoint security group opened to the VPC CIDR is a warning on it', () => {
    const f = hardened();
    f.endpoints.securityGroup.addIngressRule(ec2.Peer.ipv4(f.vpc.vpcCidrBlock), ec2.Port.tcp(443));
    expect(vpce1(packFindings(f.app))).toEqual([{
      rule: 'VPCE1',
      severity: 'warning',
      path: 'Test/Endpoints/SecurityGroup/Resource',
      message: expect.stringMatching(/^AWS::EC2::SecurityGroup EndpointsSecurityGroup\w+ is the security group of interface endpoints EndpointsEcrApi\w+, EndpointsEcrDkr\w+, EndpointsEc2\w+ and 6 more in the VPC of Cluster\w+, whose nodes are on dedicated security groups, and lets TCP 443 in from more than the nodes: TCP 443 from the VPC's CIDR \(Vpc\w+\.CidrBlock\); allow TCP 443 from the node security groups only \(PrivateClusterEndpoints does\)\.$/),
    }]);
  });

  test('CDK: aws-cdk-lib\'s InterfaceVpcEndpoint with its defaults (open to the VPC CIDR) is a warning on its own security group', () => {
    const f = hardened();
    new ec2.InterfaceVpcEndpoint(f.stack, 'Kms', { vpc: f.vpc, service: ec2.InterfaceVpcEndpointAwsService.KMS });
    expect(vpce1(packFindings(f.app))).toEqual([expect.objectContaining({ path: 'Test/Kms/SecurityGroup/Resource' })]);
  });

  test('CDK: open to 0.0.0.0/0 is a warning too', () => {
    const f = hardened();
    f.endpoints.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    expect(vpce1(packFindings(f.app))[0].message).toContain('TCP 443 from 0.0.0.0/0;');
  });

  test('CDK: without a node group on dedicated security groups in the VPC, there is no hardened cluster to warn about', () => {
    const f = hardened({ nodegroup: false });
    f.endpoints.securityGroup.addIngressRule(ec2.Peer.ipv4(f.vpc.vpcCidrBlock), ec2.Port.tcp(443));
    expect(rulesOf(packFindings(f.app))).not.toContain('VPCE1');
  });

  test('raw template: the node SG only is fine; the VPC CIDR (literal or Fn::GetAtt), 0.0.0.0/0 or ::/0 is a warning', () => {
    expect(rawFindings(endpointTemplate())).toEqual([]);
    for (const source of [{ CidrIp: '10.0.0.0/16' }, { CidrIp: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } }, { CidrIp: '0.0.0.0/0' }, { CidrIpv6: '::/0' }]) {
      expect(rawFindings(openedTo(source))).toEqual([expect.objectContaining({ path: 'Included/Template/EndpointSg', severity: 'warning' })]);
    }
  });

  test('raw template: a narrower CIDR, another port, or a gateway endpoint is no finding', () => {
    expect(rawFindings(openedTo({ CidrIp: '10.0.1.0/24' }))).toEqual([]);
    const port = openedTo({ CidrIp: '10.0.0.0/16' });
    port.Resources.EndpointSg.Properties.SecurityGroupIngress[1].FromPort = 8443;
    port.Resources.EndpointSg.Properties.SecurityGroupIngress[1].ToPort = 8443;
    expect(rawFindings(port)).toEqual([]);
    const gateway = openedTo({ CidrIp: '10.0.0.0/16' });
    gateway.Resources.EcrApi.Properties.VpcEndpointType = 'Gateway';
    expect(rawFindings(gateway)).toEqual([]);
  });

  test('raw template: an endpoint whose VPC cannot be resolved, or in another VPC, is not reported', () => {
    const unknown = openedTo({ CidrIp: '0.0.0.0/0' });
    unknown.Parameters = { EndpointVpc: { Type: 'AWS::EC2::VPC::Id' } };
    unknown.Resources.EcrApi.Properties.VpcId = { Ref: 'EndpointVpc' };
    expect(rawFindings(unknown)).toEqual([]);
    const other = openedTo({ CidrIp: '0.0.0.0/0' });
    other.Resources.EcrApi.Properties.VpcId = 'vpc-2';
    expect(rawFindings(other)).toEqual([]);
  });

  test('raw template: a standalone rule in one branch is named with its resource and condition', () => {
    const template = endpointTemplate();
    template.Parameters = { Mode: { Type: 'String' } };
    template.Conditions = { Shared: { 'Fn::Equals': [{ Ref: 'Mode' }, 'shared'] } };
    template.Resources.EndpointSgFromVpc = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Condition: 'Shared',
      Properties: { GroupId: ENDPOINT_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } },
    };
    expect(rawFindings(template)).toEqual([expect.objectContaining({
      message: expect.stringContaining('TCP 443 from the VPC\'s CIDR (Vpc.CidrBlock), declared by EndpointSgFromVpc (when Shared is true);'),
    })]);
  });

  test('raw template: an ingress given by a parameter is no finding, and no crash', () => {
    const template = endpointTemplate();
    template.Parameters = { Cidr: { Type: 'String' } };
    openedTo({ CidrIp: { Ref: 'Cidr' } }, template);
    expect(rawFindings(template)).toEqual([]);
  });
});
