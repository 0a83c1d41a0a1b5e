import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { HardenedNodeSecurityGroup, OptionalClusterEndpoint, PrivateClusterEndpoints, RestrictedKubeletAccess } from '../../lib';
import { clusterFixture, clusterSgRef, ingressRules, sgRef, testCluster, v2ClusterFixture, v2ClusterSgRef } from '../util';

/** The service name aws-cdk-lib writes for an endpoint of the stack's Region. */
function serviceName(suffix: string): unknown {
  return { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${suffix}`]] };
}

const REQUIRED = ['ecr.api', 'ecr.dkr', 'ec2', 'sts', 'logs', 'elasticloadbalancing', 'autoscaling', 'eks', 'eks-auth'];

/** Every standalone egress rule on a security group, as `protocol port -> destination`. */
interface Egress {
  readonly ipProtocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly destination: unknown;
  readonly description?: string;
}

function egressOf(template: Template, group: unknown): Egress[] {
  return Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
    .map((r: any) => r.Properties)
    .filter((p: any) => JSON.stringify(p.GroupId) === JSON.stringify(group))
    .map((p: any) => ({
      ipProtocol: p.IpProtocol,
      fromPort: p.FromPort,
      toPort: p.ToPort,
      destination: p.DestinationSecurityGroupId ?? p.DestinationPrefixListId ?? p.CidrIp,
      description: p.Description,
    }));
}

/** The sources of the ingress rules on a security group. */
function sourcesOf(template: Template, group: unknown): unknown[] {
  return ingressRules(template).filter((r) => JSON.stringify(r.groupId) === JSON.stringify(group)).map((r) => r.sourceSecurityGroupId);
}

/** The security group, the interface endpoints and the S3 endpoint of an aws-eks private cluster with hardened nodes. */
function endpoints(options: { allowAllOutbound?: boolean; optionalEndpoints?: OptionalClusterEndpoint[]; s3PrefixList?: boolean } = {}) {
  const f = clusterFixture();
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: options.allowAllOutbound ?? false });
  const construct = new PrivateClusterEndpoints(f.stack, 'Endpoints', {
    cluster: f.cluster,
    nodeSecurityGroups: [nodes.securityGroup],
    optionalEndpoints: options.optionalEndpoints,
    s3PrefixList: options.s3PrefixList ? ec2.PrefixList.fromPrefixListId(f.stack, 'S3PrefixList', 'pl-63a5400a') : undefined,
  });
  return { ...f, nodes, construct };
}

describe('PrivateClusterEndpoints', () => {
  describe('endpoints', () => {
    test('GIVEN a private aws-eks cluster WHEN the endpoints are created THEN every required interface endpoint has private DNS, the node subnets and only the endpoint SG', () => {
      const f = endpoints();
      const template = Template.fromStack(f.stack);
      const endpointSg = sgRef(template, 'EndpointsSecurityGroup');
      const privateSubnets = f.vpc.privateSubnets.map((s) => ({ Ref: f.stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) }));
      for (const suffix of REQUIRED) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          VpcEndpointType: 'Interface',
          ServiceName: serviceName(suffix),
          PrivateDnsEnabled: true,
          SubnetIds: privateSubnets,
          SecurityGroupIds: [endpointSg],
          VpcId: { Ref: f.stack.getLogicalId(f.vpc.node.defaultChild as ec2.CfnVPC) },
        });
      }
      // Nine interface endpoints and the S3 gateway endpoint, nothing else.
      template.resourceCountIs('AWS::EC2::VPCEndpoint', REQUIRED.length + 1);
      expect(f.construct.interfaceEndpoints).toHaveLength(REQUIRED.length);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN a private aws-eks cluster WHEN the endpoints are created THEN S3 is a gateway endpoint on the route tables of the node subnets', () => {
      const f = endpoints();
      const template = Template.fromStack(f.stack);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: serviceName('s3'),
        RouteTableIds: f.vpc.privateSubnets.map((s) => ({ Ref: f.stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable) })),
      });
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN optional endpoints WHEN the endpoints are created THEN they come after the required ones, with private DNS', () => {
      const f = endpoints({
        optionalEndpoints: [
          OptionalClusterEndpoint.SSM, OptionalClusterEndpoint.SSM_MESSAGES, OptionalClusterEndpoint.EC2_MESSAGES,
          OptionalClusterEndpoint.XRAY, OptionalClusterEndpoint.KMS, OptionalClusterEndpoint.SQS,
          OptionalClusterEndpoint.CLOUDWATCH_MONITORING, OptionalClusterEndpoint.ELASTIC_FILESYSTEM,
        ],
      });
      const template = Template.fromStack(f.stack);
      for (const suffix of ['ssm', 'ssmmessages', 'ec2messages', 'xray', 'kms', 'sqs', 'monitoring', 'elasticfilesystem']) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: serviceName(suffix), PrivateDnsEnabled: true, SecurityGroupIds: [sgRef(template, 'EndpointsSecurityGroup')] });
      }
      template.resourceCountIs('AWS::EC2::VPCEndpoint', REQUIRED.length + 8 + 1);
      expect(f.construct.interfaceEndpoints.map((e) => e.node.id).slice(REQUIRED.length)).toEqual(['Ssm', 'SsmMessages', 'Ec2Messages', 'XRay', 'Kms', 'Sqs', 'Monitoring', 'ElasticFileSystem']);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN no optional endpoints THEN no SSM endpoint is created', () => {
      const template = Template.fromStack(endpoints().stack);
      template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { ServiceName: serviceName('ssm') }, 0);
    });

    test('GIVEN a VPC with private and isolated subnets in each zone WHEN no subnets are given THEN each interface endpoint takes the private subnet of each zone, and S3 is on every route table', () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: 1,
        subnetConfiguration: [
          { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        ],
      });
      const cluster = testCluster(stack, vpc);
      const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
      new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, nodeSecurityGroups: [nodes.securityGroup] });
      const template = Template.fromStack(stack);
      const ref = (s: ec2.ISubnet) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) });
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: serviceName('ecr.dkr'), SubnetIds: vpc.privateSubnets.map(ref) });
      const gateway = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
      expect(gateway).toHaveLength(1);
      expect((gateway[0] as any).Properties.RouteTableIds).toHaveLength(4);
    });

    test('GIVEN subnets WHEN the endpoints are created THEN the interface endpoints and the S3 route tables use those subnets only', () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: 1,
        subnetConfiguration: [
          { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'Nodes', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        ],
      });
      const cluster = testCluster(stack, vpc);
      const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
      new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, subnets: { subnetGroupName: 'Nodes' }, nodeSecurityGroups: [nodes.securityGroup] });
      const template = Template.fromStack(stack);
      const nodeSubnets = vpc.selectSubnets({ subnetGroupName: 'Nodes' }).subnets;
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: serviceName('eks-auth'),
        SubnetIds: nodeSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })),
      });
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        RouteTableIds: nodeSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable) })),
      });
    });
  });

  describe('endpoint security group', () => {
    test('GIVEN an aws-eks private cluster WHEN created THEN the endpoint SG accepts TCP 443 only from the node SG and the kubectl handler SG (the cluster SG), and has no egress', () => {
      const f = endpoints();
      const template = Template.fromStack(f.stack);
      const endpointSg = sgRef(template, 'EndpointsSecurityGroup');
      const rules = ingressRules(template).filter((r) => JSON.stringify(r.groupId) === JSON.stringify(endpointSg));
      expect(rules.map((r) => ({ ...r, groupId: undefined }))).toEqual(expect.arrayContaining([
        expect.objectContaining({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: sgRef(template, 'Nodes') }),
        expect.objectContaining({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: clusterSgRef(template) }),
      ]));
      expect(rules).toHaveLength(2);
      expect(rules.every((r) => r.cidrIp === undefined && r.cidrIpv6 === undefined && r.sourcePrefixListId === undefined)).toBe(true);
      // allowAllOutbound false: only aws-cdk-lib's placeholder that matches no traffic.
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^EKS private cluster VPC endpoints'),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
      });
      expect(egressOf(template, endpointSg)).toEqual([]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN an aws-eks cluster handler placed in the VPC with its own SG WHEN created THEN that SG reaches the endpoints too', () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const handlerSg = new ec2.SecurityGroup(stack, 'HandlerSg', { vpc });
      const cluster = new eks.Cluster(stack, 'Cluster', {
        vpc,
        version: eks.KubernetesVersion.V1_29,
        kubectlLayer: new KubectlV29Layer(stack, 'Kubectl'),
        endpointAccess: eks.EndpointAccess.PRIVATE,
        defaultCapacity: 0,
        placeClusterHandlerInVpc: true,
        clusterHandlerSecurityGroup: handlerSg,
      });
      const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
      new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, nodeSecurityGroups: [nodes.securityGroup] });
      const template = Template.fromStack(stack);
      const endpointSg = sgRef(template, 'EndpointsSecurityGroup');
      expect(sourcesOf(template, endpointSg))
        .toEqual([clusterSgRef(template), sgRef(template, 'HandlerSg'), sgRef(template, 'Nodes')]);
    });

    test('GIVEN the cluster SG passed as a node SG too WHEN created THEN it gets one ingress rule, not two', () => {
      const f = clusterFixture();
      new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [f.cluster.clusterSecurityGroup] });
      const template = Template.fromStack(f.stack);
      template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { SourceSecurityGroupId: clusterSgRef(template), FromPort: 443, GroupId: sgRef(template, 'EndpointsSecurityGroup') }, 1);
    });

    test('GIVEN connections.allowDefaultPortFrom() WHEN another client is allowed THEN it reaches TCP 443', () => {
      const f = endpoints();
      const client = new ec2.SecurityGroup(f.stack, 'Client', { vpc: f.vpc });
      f.construct.connections.allowDefaultPortFrom(client);
      const template = Template.fromStack(f.stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sgRef(template, 'EndpointsSecurityGroup'), SourceSecurityGroupId: sgRef(template, 'Client'), FromPort: 443, ToPort: 443 });
    });
  });

  describe('node egress', () => {
    test('GIVEN a node SG with closed egress WHEN created THEN it gets exactly TCP 443 to the endpoint SG, the S3 prefix list and the cluster SG, besides its own inter-node rule', () => {
      const f = endpoints();
      const template = Template.fromStack(f.stack);
      const nodeSg = sgRef(template, 'Nodes');
      const lookup = Object.keys(template.findResources('Custom::AWS'));
      expect(lookup).toHaveLength(1);
      expect(egressOf(template, nodeSg).map(({ description: _d, ...rule }) => rule)).toEqual([
        { ipProtocol: '-1', fromPort: undefined, toPort: undefined, destination: nodeSg },
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, destination: sgRef(template, 'EndpointsSecurityGroup') },
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, destination: { 'Fn::GetAtt': [lookup[0], 'PrefixLists.0.PrefixListId'] } },
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, destination: clusterSgRef(template) },
      ]);
      // No DNS rule: the Amazon DNS server is not filtered by security groups.
      expect(egressOf(template, nodeSg).some((r) => r.fromPort === 53)).toBe(false);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN no s3PrefixList WHEN a node SG closes egress THEN the prefix list is looked up at deploy time with DescribePrefixLists', () => {
      const template = Template.fromStack(endpoints().stack);
      template.hasResourceProperties('Custom::AWS', {
        InstallLatestAwsSdk: false,
      });
      // The call is JSON text joined with the stack's Region.
      const call = JSON.stringify(Object.values(template.findResources('Custom::AWS'))[0]);
      expect(call).toContain('\\"service\\":\\"EC2\\",\\"action\\":\\"DescribePrefixLists\\"');
      expect(call).toContain('\\"Filters\\":[{\\"Name\\":\\"prefix-list-name\\",\\"Values\\":[\\"com.amazonaws.",{"Ref":"AWS::Region"},".s3\\"]}]');
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: 'ec2:DescribePrefixLists', Effect: 'Allow', Resource: '*' }] },
      });
    });

    test('GIVEN s3PrefixList WHEN a node SG closes egress THEN the egress names it and nothing is looked up', () => {
      const f = endpoints({ s3PrefixList: true });
      const template = Template.fromStack(f.stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: sgRef(template, 'Nodes'), DestinationPrefixListId: 'pl-63a5400a', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
      template.resourceCountIs('Custom::AWS', 0);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN a node SG with open egress WHEN created THEN no egress rule is added to it and nothing is looked up', () => {
      const f = endpoints({ allowAllOutbound: true });
      const template = Template.fromStack(f.stack);
      expect(egressOf(template, sgRef(template, 'Nodes'))).toEqual([]);
      template.resourceCountIs('Custom::AWS', 0);
      // Its nodes still reach the endpoints.
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sgRef(template, 'EndpointsSecurityGroup'), SourceSecurityGroupId: sgRef(template, 'Nodes'), FromPort: 443 });
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test.each([
      ['before', true],
      ['after', false],
    ])('GIVEN RestrictedKubeletAccess created %s WHEN synthesized THEN the node egress to the cluster SG is written once', (_when, before) => {
      const f = clusterFixture();
      const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: false });
      const kubelet = () => new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
      if (before) kubelet();
      new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
      if (!before) kubelet();
      const template = Template.fromStack(f.stack);
      const toCluster = egressOf(template, sgRef(template, 'Nodes')).filter((r) => JSON.stringify(r.destination) === JSON.stringify(clusterSgRef(template)));
      expect(toCluster).toEqual([{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, destination: clusterSgRef(template), description: 'Kubernetes API (private endpoint) from nodes' }]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN connections.allowTo() from the nodes to the endpoints WHEN synthesized THEN the egress to the endpoint SG is written once', () => {
      const f = endpoints();
      f.nodes.connections.allowTo(f.construct, ec2.Port.tcp(443));
      const template = Template.fromStack(f.stack);
      const toEndpoints = egressOf(template, sgRef(template, 'Nodes')).filter((r) => JSON.stringify(r.destination) === JSON.stringify(sgRef(template, 'EndpointsSecurityGroup')));
      expect(toEndpoints).toHaveLength(1);
    });

    test('GIVEN addNodeSecurityGroup() WHEN another node group is added THEN it reaches the endpoints and gets its own egress', () => {
      const f = endpoints();
      const gpu = new HardenedNodeSecurityGroup(f.stack, 'GpuNodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: false });
      f.construct.addNodeSecurityGroup(gpu.securityGroup);
      const template = Template.fromStack(f.stack);
      const gpuSg = sgRef(template, 'GpuNodes');
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sgRef(template, 'EndpointsSecurityGroup'), SourceSecurityGroupId: gpuSg, FromPort: 443, ToPort: 443 });
      expect(egressOf(template, gpuSg).filter((r) => r.fromPort === 443)).toHaveLength(3);
      // One lookup serves every node SG.
      template.resourceCountIs('Custom::AWS', 1);
    });
  });

  describe('aws-eks-v2', () => {
    test('GIVEN an aws-eks-v2 private cluster with a kubectl provider WHEN created THEN its handler SG (the cluster SG) and the node SG reach the endpoints, and closed node egress is written', () => {
      const f = v2ClusterFixture({ kubectl: true, nodegroups: true });
      const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: false });
      new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
      const template = Template.fromStack(f.stack);
      const endpointSg = sgRef(template, 'EndpointsSecurityGroup');
      const sources = sourcesOf(template, endpointSg);
      expect(sources).toEqual([v2ClusterSgRef(template), sgRef(template, 'Nodes')]);
      expect(egressOf(template, sgRef(template, 'Nodes')).filter((r) => r.fromPort === 443).map((r) => r.destination)).toEqual([
        endpointSg,
        { 'Fn::GetAtt': [Object.keys(template.findResources('Custom::AWS'))[0], 'PrefixLists.0.PrefixListId'] },
        v2ClusterSgRef(template),
      ]);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', REQUIRED.length + 1);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN kubectlProviderOptions.securityGroups WHEN created THEN those groups reach the endpoints', () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const kubectlSg = new ec2.SecurityGroup(stack, 'KubectlSg', { vpc });
      const cluster = new eksv2.Cluster(stack, 'Cluster', {
        vpc,
        version: eksv2.KubernetesVersion.V1_29,
        endpointAccess: eksv2.EndpointAccess.PRIVATE,
        kubectlProviderOptions: { kubectlLayer: new KubectlV29Layer(stack, 'Kubectl'), securityGroups: [kubectlSg] },
      });
      const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
      new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, nodeSecurityGroups: [nodes.securityGroup] });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sgRef(template, 'EndpointsSecurityGroup'), SourceSecurityGroupId: sgRef(template, 'KubectlSg'), FromPort: 443, ToPort: 443 });
    });

    test('GIVEN an aws-eks-v2 cluster without a kubectl provider WHEN created THEN only the node SG reaches the endpoints', () => {
      const f = v2ClusterFixture();
      const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
      new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
      const template = Template.fromStack(f.stack);
      const endpointSg = sgRef(template, 'EndpointsSecurityGroup');
      expect(sourcesOf(template, endpointSg)).toEqual([sgRef(template, 'Nodes')]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('imported clusters', () => {
    test('GIVEN an imported aws-eks cluster with its VPC, cluster SG and kubectl SG WHEN a node SG closes egress THEN the rules name them (endpoint access unknown: not checked)', () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', {
        clusterName: 'prod',
        vpc,
        clusterSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa',
        kubectlSecurityGroupId: 'sg-0cccccccccccccccc',
        kubectlPrivateSubnetIds: vpc.privateSubnets.map((s) => s.subnetId),
      });
      const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster, allowAllOutbound: false });
      new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, nodeSecurityGroups: [nodes.securityGroup], s3PrefixList: ec2.PrefixList.fromPrefixListId(stack, 'S3', 'pl-63a5400a') });
      const template = Template.fromStack(stack);
      const endpointSg = sgRef(template, 'EndpointsSecurityGroup');
      expect(sourcesOf(template, endpointSg))
        .toEqual(['sg-0cccccccccccccccc', sgRef(template, 'Nodes')]);
      expect(egressOf(template, sgRef(template, 'Nodes')).filter((r) => r.fromPort === 443).map((r) => r.destination))
        .toEqual([endpointSg, 'pl-63a5400a', 'sg-0aaaaaaaaaaaaaaaa']);
      // aws-eks imports the kubectl subnets without route tables, and says so; nothing else warns.
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
      expect(warnings.map((w) => w.id)).toEqual(['/Test/Imported/KubectlSubnet0', '/Test/Imported/KubectlSubnet1']);
    });

    test('GIVEN an aws-eks-v2 cluster imported without its VPC WHEN vpc is given THEN the endpoints are created in it', () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', clusterSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa' });
      const nodeSg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'NodeSg', 'sg-0bbbbbbbbbbbbbbbb');
      new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, vpc, nodeSecurityGroups: [nodeSg] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', REQUIRED.length + 1);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sgRef(template, 'EndpointsSecurityGroup'), SourceSecurityGroupId: 'sg-0bbbbbbbbbbbbbbbb', FromPort: 443 });
      // An imported group allows all outbound traffic unless imported otherwise: nothing added to it.
      template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('errors', () => {
    test('GIVEN a cluster imported without its VPC and no vpc THEN it fails with endpointVpcUnknown', () => {
      const stack = new Stack(new App(), 'Test');
      const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod' });
      expect(() => new PrivateClusterEndpoints(stack, 'Endpoints', { cluster })).toThrow(
        'Test/Endpoints: vpc: not given, and cluster \'Test/Imported\' was imported without its VPC; pass vpc (the cluster\'s VPC), or import the cluster with vpc [hardened-eks-networking:endpointVpcUnknown]');
    });

    test('GIVEN a vpc other than the cluster\'s THEN it fails with endpointVpcNotClusterVpc', () => {
      const f = clusterFixture();
      const other = new ec2.Vpc(f.stack, 'Other', { maxAzs: 1, natGateways: 0 });
      expect(() => new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, vpc: other })).toThrow(
        'Test/Endpoints: vpc: \'Test/Other\' is not the cluster\'s VPC (\'Test/Vpc\'); nodes use the endpoints of their own VPC only, so pass the cluster\'s VPC or omit vpc [hardened-eks-networking:endpointVpcNotClusterVpc]');
    });

    test('GIVEN a VPC without private or isolated subnets THEN it fails with endpointSubnetsEmpty', () => {
      const stack = new Stack(new App(), 'Test');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], publicSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] });
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', vpc });
      expect(() => new PrivateClusterEndpoints(stack, 'Endpoints', { cluster })).toThrow(
        'Test/Endpoints: subnets: not given, and VPC \'vpc-0123456789abcdef0\' has no private or isolated subnet for the endpoints; pass subnets (the subnets of the nodes), or add private or isolated subnets to the VPC [hardened-eks-networking:endpointSubnetsEmpty]');
    });

    test('GIVEN subnets that select nothing THEN it fails with endpointSubnetsEmpty', () => {
      const f = clusterFixture();
      expect(() => new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, subnets: { subnets: [] } })).toThrow(
        'Test/Endpoints: subnets: selects no subnet; select the subnets of the nodes [hardened-eks-networking:endpointSubnetsEmpty]');
      expect(() => new PrivateClusterEndpoints(f.stack, 'Endpoints2', { cluster: f.cluster, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toThrow(
        /^Test\/Endpoints2: subnets: the selection fails \(There are no 'Isolated' subnet groups in this VPC\. Available types: .*\); select the subnets of the nodes \[hardened-eks-networking:endpointSubnetsEmpty\]$/);
    });

    test('GIVEN a VPC with DNS hostnames off THEN it fails with endpointVpcDnsDisabled', () => {
      const stack = new Stack(new App(), 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, enableDnsHostnames: false });
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', vpc });
      expect(() => new PrivateClusterEndpoints(stack, 'Endpoints', { cluster })).toThrow(
        'Test/Endpoints: vpc: \'Test/Vpc\' has enableDnsHostnames or enableDnsSupport off, and interface endpoints have private DNS names only with both on; create the VPC with both on (the default) [hardened-eks-networking:endpointVpcDnsDisabled]');
    });

    test('GIVEN an optional endpoint listed twice THEN it fails with optionalEndpointDuplicate', () => {
      const f = clusterFixture();
      expect(() => new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, optionalEndpoints: [OptionalClusterEndpoint.SSM, OptionalClusterEndpoint.SSM] })).toThrow(
        'Test/Endpoints: optionalEndpoints: SSM appears twice; list each endpoint once [hardened-eks-networking:optionalEndpointDuplicate]');
    });

    test('GIVEN a node SG added twice THEN it fails with endpointNodeSecurityGroupDuplicate', () => {
      const f = endpoints();
      expect(() => f.construct.addNodeSecurityGroup(f.nodes.securityGroup)).toThrow(
        'Test/Endpoints: nodeSecurityGroups: \'Test/Nodes/Resource\' was added twice; add each node security group once [hardened-eks-networking:endpointNodeSecurityGroupDuplicate]');
    });

    test('GIVEN a node SG of another VPC THEN it fails with endpointNodeSecurityGroupOtherVpc', () => {
      const f = clusterFixture();
      const other = new ec2.Vpc(f.stack, 'Other', { maxAzs: 1, natGateways: 0 });
      const sg = new ec2.SecurityGroup(f.stack, 'Elsewhere', { vpc: other });
      expect(() => new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [sg] })).toThrow(
        'Test/Endpoints: nodeSecurityGroups: \'Test/Elsewhere\' is in VPC \'Test/Other\', not in the VPC of the endpoints (\'Test/Vpc\'); a security group rule cannot name a group of another VPC here, so pass a node security group of the cluster\'s VPC [hardened-eks-networking:endpointNodeSecurityGroupOtherVpc]');
    });

    test('GIVEN no node SG at all THEN synthesis fails with endpointNodeSecurityGroupMissing', () => {
      const f = clusterFixture();
      new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster });
      expect(() => f.app.synth()).toThrow(
        /Test\/Endpoints.*nodeSecurityGroups: none given, so no node may reach the endpoints; pass the node security groups in nodeSecurityGroups or call addNodeSecurityGroup\(\) \[hardened-eks-networking:endpointNodeSecurityGroupMissing\]/);
    });

    test('GIVEN an aws-eks cluster with a public endpoint only WHEN a node SG closes egress THEN it fails with endpointAccessPublicOnly', () => {
      const f = clusterFixture({ endpointAccess: eks.EndpointAccess.PUBLIC });
      const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: false });
      expect(() => new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] })).toThrow(
        'Test/Endpoints: nodeSecurityGroups: \'Test/Nodes/Resource\' allows no outbound traffic but what it is given, and cluster \'Test/Cluster\' has its private endpoint off (endpoint access public only), so its nodes could never reach the API server; set the cluster\'s endpointAccess to PRIVATE or PUBLIC_AND_PRIVATE [hardened-eks-networking:endpointAccessPublicOnly]');
    });

    test('GIVEN an aws-eks-v2 cluster with a public endpoint only WHEN a node SG closes egress THEN it fails with endpointAccessPublicOnly', () => {
      const app = new App();
      const stack = new Stack(app, 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const cluster = new eksv2.Cluster(stack, 'Cluster', { vpc, version: eksv2.KubernetesVersion.V1_29, endpointAccess: eksv2.EndpointAccess.PUBLIC });
      const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster, allowAllOutbound: false });
      expect(() => new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, nodeSecurityGroups: [nodes.securityGroup] })).toThrow(/\[hardened-eks-networking:endpointAccessPublicOnly\]$/);
    });

    test.each([
      ['public only, open egress', eks.EndpointAccess.PUBLIC, true],
      ['public and private, closed egress', eks.EndpointAccess.PUBLIC_AND_PRIVATE, false],
    ])('GIVEN %s THEN no error', (_name, endpointAccess, allowAllOutbound) => {
      const f = clusterFixture({ endpointAccess });
      const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound });
      new PrivateClusterEndpoints(f.stack, 'Endpoints', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
      expect(() => Template.fromStack(f.stack)).not.toThrow();
    });

    test('GIVEN a cluster imported without its cluster SG WHEN a node SG closes egress THEN it fails with endpointClusterSecurityGroupUnknown', () => {
      const stack = new Stack(new App(), 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', vpc });
      const closed = ec2.SecurityGroup.fromSecurityGroupId(stack, 'NodeSg', 'sg-0bbbbbbbbbbbbbbbb', { allowAllOutbound: false });
      expect(() => new PrivateClusterEndpoints(stack, 'Endpoints', { cluster, nodeSecurityGroups: [closed] })).toThrow(
        'Test/Endpoints: nodeSecurityGroups: \'Test/NodeSg\' allows no outbound traffic but what it is given, and cluster \'Test/Imported\' was imported without clusterSecurityGroupId, so the egress to the private API endpoint cannot be written; import the cluster with clusterSecurityGroupId [hardened-eks-networking:endpointClusterSecurityGroupUnknown]');
    });

    test('GIVEN a cluster of neither module THEN it fails with clusterNotEks', () => {
      const stack = new Stack(new App(), 'Test');
      const cluster = { node: stack.node, clusterRef: { clusterName: 'x', clusterArn: 'y' }, env: stack.env, stack } as any;
      expect(() => new PrivateClusterEndpoints(stack, 'Endpoints', { cluster })).toThrow(/\[hardened-eks-networking:clusterNotEks\]$/);
    });
  });
});
