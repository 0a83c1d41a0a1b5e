import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { HardenedNodeSecurityGroup, PrivateClusterEndpoints, RestrictedKubeletAccess } from '../../../lib';
import { clusterFixture } from '../../util';
import { cliRules, compliantTemplate, includeFindings, NODE_SG, packFindings, rulesOf, TestFinding } from '../util';

const priv1 = (findings: TestFinding[]) => findings.filter((x) => x.rule === 'PRIV1');

/**
 * An aws-eks cluster with the given endpoint access, and a node group on a HardenedNodeSecurityGroup
 * with closed egress (unless `allowAllOutbound`) restricted by RestrictedKubeletAccess; with the
 * endpoints of PrivateClusterEndpoints when `endpoints` is set.
 */
function cluster(options: { endpoints?: boolean; allowAllOutbound?: boolean; endpointAccess?: eks.EndpointAccess } = {}) {
  const f = clusterFixture({ endpointAccess: options.endpointAccess });
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: options.allowAllOutbound ?? false });
  new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
  const endpoints = options.endpoints
    ? new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] })
    : undefined;
  nodes.addNodegroup('Workers');
  return { ...f, nodes, endpoints };
}

/** The compliant raw template with the node SG's egress closed: TCP 443 to the cluster SG only. */
function closedTemplate(): any {
  const template = compliantTemplate();
  template.Resources.NodeSg.Properties.VpcId = 'vpc-1';
  template.Resources.ApiEgress = {
    Type: 'AWS::EC2::SecurityGroupEgress',
    Properties: { GroupId: NODE_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] } },
  };
  return template;
}

const ENDPOINT_SG = { 'Fn::GetAtt': ['EndpointSg', 'GroupId'] };

function serviceName(suffix: string): object {
  return { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${suffix}`]] };
}

/** `closedTemplate()` with ECR interface endpoints and an S3 gateway endpoint in vpc-1, and node egress on 443 to them. */
function endpointsTemplate(): any {
  const template = closedTemplate();
  const interfaceEndpoint = (suffix: string) => ({
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: { VpcId: 'vpc-1', ServiceName: serviceName(suffix), VpcEndpointType: 'Interface', PrivateDnsEnabled: true, SubnetIds: ['subnet-1'], SecurityGroupIds: [ENDPOINT_SG] },
  });
  Object.assign(template.Resources, {
    EndpointSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'endpoints', VpcId: 'vpc-1' } },
    EndpointSgFromNodes: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: ENDPOINT_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: NODE_SG } },
    EcrApi: interfaceEndpoint('ecr.api'),
    EcrDkr: interfaceEndpoint('ecr.dkr'),
    S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: 'vpc-1', ServiceName: serviceName('s3'), RouteTableIds: ['rtb-1'] } },
    EndpointsEgress: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: NODE_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: ENDPOINT_SG } },
    S3Egress: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: NODE_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: 'pl-6da54004' } },
  });
  return template;
}

/** PRIV1 in the pack (through CfnInclude) and in the command-line checker, which must agree; the pack's findings. */
function rawFindings(template: object): TestFinding[] {
  const findings = priv1(includeFindings(template));
  expect(cliRules(template).filter((r) => r === 'PRIV1')).toEqual(findings.map((f) => f.rule));
  return findings;
}

describe('PRIV1 privateClusterNodesCannotPullImages', () => {
  test('CDK: a private cluster with PrivateClusterEndpoints and closed node egress is fine', () => {
    expect(rulesOf(packFindings(cluster({ endpoints: true }).app))).not.toContain('PRIV1');
  });

  test('CDK: a private cluster whose nodes have closed egress and no endpoints is an error on the cluster, naming the three services', () => {
    expect(priv1(packFindings(cluster().app))).toEqual([expect.objectContaining({
      severity: 'error',
      path: 'Test/Cluster/Resource/Resource/Default',
      message: expect.stringMatching(/^Custom::AWSCDK-EKS-Cluster Cluster\w+ has private endpoint access only, and its nodes have no path on TCP 443 .* NodesWorkers\w+ to ecr\.api and ecr\.dkr and s3; .*\(PrivateClusterEndpoints does\)\.$/),
    })]);
  });

  test('CDK: without the ECR registry endpoint it names ecr.dkr only', () => {
    const f = cluster({ endpoints: true });
    f.endpoints!.node.tryRemoveChild('EcrDkr');
    const [finding] = priv1(packFindings(f.app));
    expect(finding.message).toMatch(/NodesWorkers\w+ to ecr\.dkr; /);
  });

  test('CDK: nodes that allow all outbound traffic have a path (an egress to 0.0.0.0/0), endpoints or not', () => {
    expect(rulesOf(packFindings(cluster({ allowAllOutbound: true }).app))).not.toContain('PRIV1');
  });

  test('CDK: a cluster with a public endpoint too is not checked', () => {
    expect(rulesOf(packFindings(cluster({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE }).app))).not.toContain('PRIV1');
  });

  test('CDK: endpoints the nodes have no egress to are no path; egress to an interface endpoint\'s SG reaches it, never the S3 gateway endpoint', () => {
    const build = (egressToEndpoints: boolean) => {
      const f = cluster();
      const endpointSg = new ec2.SecurityGroup(f.stack, 'EndpointSg', { vpc: f.vpc, allowAllOutbound: false });
      endpointSg.addIngressRule(f.nodes.securityGroup, ec2.Port.tcp(443));
      new ec2.InterfaceVpcEndpoint(f.stack, 'EcrApi', { vpc: f.vpc, service: ec2.InterfaceVpcEndpointAwsService.ECR, securityGroups: [endpointSg], open: false });
      new ec2.InterfaceVpcEndpoint(f.stack, 'EcrDkr', { vpc: f.vpc, service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, securityGroups: [endpointSg], open: false });
      f.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      if (egressToEndpoints) f.nodes.securityGroup.addEgressRule(endpointSg, ec2.Port.tcp(443));
      return priv1(packFindings(f.app)).map((x) => x.message);
    };
    expect(build(false)).toEqual([expect.stringMatching(/NodesWorkers\w+ to ecr\.api and ecr\.dkr and s3; /)]);
    expect(build(true)).toEqual([expect.stringMatching(/NodesWorkers\w+ to s3; /)]);
  });

  test('raw template: a node SG without egress rules allows all outbound traffic: no finding', () => {
    expect(rawFindings(compliantTemplate())).toEqual([]);
  });

  test('raw template: closed egress and no endpoints is an error; with ECR and S3 endpoints the nodes reach it is fine', () => {
    expect(rawFindings(closedTemplate())).toEqual([expect.objectContaining({
      path: 'Included/Template/Cluster',
      message: expect.stringContaining('Nodes to ecr.api and ecr.dkr and s3;'),
    })]);
    expect(rawFindings(endpointsTemplate())).toEqual([]);
  });

  test('raw template: inline egress to 0.0.0.0/0 on 443 is a path to every service; on 80 it is none', () => {
    const template = closedTemplate();
    template.Resources.NodeSg.Properties.SecurityGroupEgress = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }];
    expect(rawFindings(template)).toEqual([]);
    template.Resources.NodeSg.Properties.SecurityGroupEgress[0].FromPort = 80;
    template.Resources.NodeSg.Properties.SecurityGroupEgress[0].ToPort = 80;
    expect(rawFindings(template)).toHaveLength(1);
  });

  test('raw template: endpoints of another VPC are no path; of a VPC that cannot be resolved, they are', () => {
    const template = endpointsTemplate();
    for (const id of ['EcrApi', 'EcrDkr', 'S3']) template.Resources[id].Properties.VpcId = 'vpc-2';
    expect(rawFindings(template)[0].message).toContain('Nodes to ecr.api and ecr.dkr and s3;');
    template.Parameters = { EndpointVpc: { Type: 'AWS::EC2::VPC::Id' } };
    for (const id of ['EcrApi', 'EcrDkr', 'S3']) template.Resources[id].Properties.VpcId = { Ref: 'EndpointVpc' };
    expect(rawFindings(template)).toEqual([]);
  });

  test('raw template: an S3 gateway endpoint is reached through a prefix list or a CIDR, never a security group', () => {
    const template = endpointsTemplate();
    const s3Egress = template.Resources.S3Egress.Properties;
    template.Resources.S3Egress.Properties = { ...s3Egress, DestinationPrefixListId: undefined, DestinationSecurityGroupId: ENDPOINT_SG };
    expect(rawFindings(template)[0].message).toContain('Nodes to s3;');
    template.Resources.S3Egress.Properties = { ...template.Resources.S3Egress.Properties, DestinationSecurityGroupId: undefined, CidrIp: '10.0.0.0/16' };
    expect(rawFindings(template)).toEqual([]);
  });

  test('raw template: an endpoint present in one branch only is a finding in the other, naming its condition', () => {
    const template = endpointsTemplate();
    template.Parameters = { Mode: { Type: 'String' } };
    template.Conditions = { WithDkr: { 'Fn::Equals': [{ Ref: 'Mode' }, 'private'] } };
    template.Resources.EcrDkr.Condition = 'WithDkr';
    expect(rawFindings(template)[0].message).toContain('Nodes to ecr.dkr (when WithDkr is false);');
  });

  test('raw template: paths in complementary branches (an endpoint when A, an egress to 0.0.0.0/0 when not A) leave no gap', () => {
    const template = endpointsTemplate();
    template.Parameters = { Mode: { Type: 'String' } };
    template.Conditions = { WithDkr: { 'Fn::Equals': [{ Ref: 'Mode' }, 'private'] }, WithoutDkr: { 'Fn::Not': [{ Condition: 'WithDkr' }] } };
    template.Resources.EcrDkr.Condition = 'WithDkr';
    template.Resources.AnyEgress = {
      Type: 'AWS::EC2::SecurityGroupEgress',
      Condition: 'WithoutDkr',
      Properties: { GroupId: NODE_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' },
    };
    expect(rawFindings(template)).toEqual([]);
  });

  test('raw template: a cluster private in one branch only is a finding under that branch', () => {
    const template = closedTemplate();
    template.Parameters = { Access: { Type: 'String', AllowedValues: ['private', 'public'] } };
    template.Conditions = { IsPrivate: { 'Fn::Equals': [{ Ref: 'Access' }, 'private'] } };
    template.Resources.Cluster.Properties.ResourcesVpcConfig.EndpointPublicAccess = { 'Fn::If': ['IsPrivate', false, true] };
    const [finding] = rawFindings(template);
    expect(finding.message).toMatch(/has private endpoint access only \(when Access is 'private'\), .* Nodes to ecr\.api and ecr\.dkr and s3 \(when Access is 'private'\);/);
  });

  test('raw template: egress or a service name given by a parameter is unknown, a path: no finding, no crash', () => {
    const egress = closedTemplate();
    egress.Parameters = { Egress: { Type: 'String' } };
    egress.Resources.ApiEgress.Properties = { GroupId: NODE_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: { Ref: 'Egress' } };
    expect(rawFindings(egress)).toEqual([]);
    const name = endpointsTemplate();
    name.Parameters = { Service: { Type: 'String' } };
    name.Resources.EcrDkr.Properties.ServiceName = { Ref: 'Service' };
    name.Resources.EcrApi.Properties.ServiceName = { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.ecr.api' };
    expect(rawFindings(name)).toEqual([]);
  });
});
