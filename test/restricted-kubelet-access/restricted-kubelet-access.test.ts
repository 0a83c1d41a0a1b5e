import { CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../../lib';
import { clusterFixture, clusterSgRef, coversTcpPort, ingressRules, sgRef } from '../util';

function restricted(options: { endpointAccess?: eks.EndpointAccess } = {}) {
  const f = clusterFixture(options);
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
  const access = new RestrictedKubeletAccess(f.stack, 'Kubelet', {
    cluster: f.cluster,
    nodeSecurityGroups: [nodes.securityGroup],
  });
  return { ...f, nodes, access };
}

describe('RestrictedKubeletAccess', () => {
  describe.each([
    ['private', eks.EndpointAccess.PRIVATE],
    ['public', eks.EndpointAccess.PUBLIC],
    ['public and private', eks.EndpointAccess.PUBLIC_AND_PRIVATE],
  ])('with a %s endpoint', (_name, endpointAccess) => {
    test('opens TCP 10250 on the node SG from the cluster SG, and 443 on the cluster SG from the node SG', () => {
      const f = restricted({ endpointAccess });
      const template = Template.fromStack(f.stack);
      const nodeSg = sgRef(template, 'Nodes');
      const clusterSg = clusterSgRef(template);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: nodeSg, SourceSecurityGroupId: clusterSg, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: clusterSg, SourceSecurityGroupId: nodeSg, IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
      });
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });
  });

  test('the cluster SG is the only source of a rule on port 10250 of the node SG', () => {
    const f = restricted();
    const template = Template.fromStack(f.stack);
    const nodeSg = sgRef(template, 'Nodes');
    const onNodes = ingressRules(template).filter((r) => JSON.stringify(r.groupId) === JSON.stringify(nodeSg));
    const kubeletPortRules = onNodes.filter((r) => r.ipProtocol !== '-1' && coversTcpPort(r, 10250));
    expect(kubeletPortRules.map((r) => r.sourceSecurityGroupId)).toEqual([clusterSgRef(template)]);
    // The only other path to 10250 is the self rule between nodes (metrics-server runs on them).
    expect(onNodes.filter((r) => r.ipProtocol === '-1').map((r) => r.sourceSecurityGroupId)).toEqual([nodeSg]);
  });

  test('no CIDR and no prefix list reaches 10250, and nothing but the nodes themselves reaches 10255', () => {
    const f = restricted();
    const template = Template.fromStack(f.stack);
    const nodeSg = sgRef(template, 'Nodes');
    const rules = ingressRules(template);
    const open10250 = rules.filter((r) => coversTcpPort(r, 10250) && r.sourceSecurityGroupId === undefined);
    expect(open10250).toEqual([]);
    const open10255 = rules.filter((r) => coversTcpPort(r, 10255)
      && JSON.stringify(r.sourceSecurityGroupId) !== JSON.stringify(nodeSg));
    expect(open10255).toEqual([]);
  });

  test('writes the cluster SG egress to the node SG on 10250 as a standalone rule (fact 3)', () => {
    const f = restricted();
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: clusterSgRef(template),
      DestinationSecurityGroupId: sgRef(template, 'Nodes'),
      IpProtocol: 'tcp',
      FromPort: 10250,
      ToPort: 10250,
    });
  });

  test('upstream fact 3 still holds: egress added through cluster.clusterSecurityGroup is dropped', () => {
    // This is why the construct writes CfnSecurityGroupEgress. If aws-eks ever stops dropping the
    // rule, this test fails and the workaround can be revisited.
    const f = clusterFixture();
    const nodeSg = new ec2.SecurityGroup(f.stack, 'NodeSg', { vpc: f.vpc });
    f.cluster.clusterSecurityGroup.addEgressRule(nodeSg, ec2.Port.tcp(10250));
    Template.fromStack(f.stack).resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });

  test('lets nodes out to the cluster SG on 443, explicitly', () => {
    const f = restricted();
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: sgRef(template, 'Nodes'), DestinationSecurityGroupId: clusterSgRef(template), FromPort: 443, ToPort: 443,
    });
  });

  test('opens the default webhook ports from the cluster SG, in both directions', () => {
    const f = restricted();
    const template = Template.fromStack(f.stack);
    for (const port of [4443, 6443, 8443, 9443, 10251]) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: sgRef(template, 'Nodes'), SourceSecurityGroupId: clusterSgRef(template), FromPort: port, ToPort: port,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: clusterSgRef(template), DestinationSecurityGroupId: sgRef(template, 'Nodes'), FromPort: port, ToPort: port,
      });
    }
  });

  test('webhookPorts replaces the defaults; [] opens none', () => {
    const f = clusterFixture();
    const a = new ec2.SecurityGroup(f.stack, 'A', { vpc: f.vpc });
    const b = new ec2.SecurityGroup(f.stack, 'B', { vpc: f.vpc });
    new RestrictedKubeletAccess(f.stack, 'OnlyOne', { cluster: f.cluster, nodeSecurityGroups: [a], webhookPorts: [9443] });
    new RestrictedKubeletAccess(f.stack, 'None', { cluster: f.cluster, nodeSecurityGroups: [b], webhookPorts: [] });
    const template = Template.fromStack(f.stack);
    const ports = (group: unknown) => Object.values(template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: group },
    })).map((r: any) => r.Properties.FromPort).sort();
    expect(ports(sgRef(template, 'A'))).toEqual([10250, 9443]);
    expect(ports(sgRef(template, 'B'))).toEqual([10250]);
  });

  test.each([
    [10255, /webhookPorts: 10255 is the kubelet's unauthenticated read-only port and is never opened; remove it/],
    [10250, /webhookPorts: 10250 is the kubelet port, which this construct already opens/],
    [70000, /webhookPorts: 70000 is not a TCP port; use whole numbers from 1 to 65535/],
  ])('webhookPorts [%d] fails at synth time', (port, message) => {
    const f = clusterFixture();
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, webhookPorts: [port] }))
      .toThrow(message);
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet2', { cluster: f.cluster, webhookPorts: [port] }))
      .toThrow(/^Test\/Kubelet2: /);
  });

  test('a webhook port listed twice fails', () => {
    const f = clusterFixture();
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, webhookPorts: [9443, 9443] }))
      .toThrow(/webhookPorts: 9443 appears twice/);
  });

  test.each([
    ['an IPv4 CIDR', ec2.Peer.ipv4('10.0.0.0/16'), /additionalKubeletSources: '10.0.0.0\/16' is an IPv4 CIDR, but TCP 10250 \(kubelet\) may only be reached from security groups; pass the security group/],
    ['any IPv4', ec2.Peer.anyIpv4(), /'0.0.0.0\/0' is an IPv4 CIDR/],
    ['any IPv6', ec2.Peer.anyIpv6(), /'::\/0' is an IPv6 CIDR/],
    ['a prefix list', ec2.Peer.prefixList('pl-12345678'), /'pl-12345678' is a prefix list/],
  ])('asking for 10250 from %s fails at synth time', (_name, peer, message) => {
    const f = clusterFixture();
    const nodeSg = new ec2.SecurityGroup(f.stack, 'NodeSg', { vpc: f.vpc });
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet', {
      cluster: f.cluster, nodeSecurityGroups: [nodeSg], additionalKubeletSources: [peer],
    })).toThrow(message);
  });

  test('a CIDR that is a token is still a CIDR, and is described as a token, never printed raw', () => {
    const f = clusterFixture();
    const cidr = new CfnParameter(f.stack, 'Cidr');
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet', {
      cluster: f.cluster, additionalKubeletSources: [ec2.Peer.ipv4(cidr.valueAsString)],
    })).toThrow(/^Test\/Kubelet: additionalKubeletSources: a token is an IPv4 CIDR, but TCP 10250/);
  });

  test.each([
    ['a Lazy', () => Lazy.number({ produce: () => 9443 })],
    ['a parameter', () => new CfnParameter(new Stack(), 'P', { type: 'Number' }).valueAsNumber],
  ])('a webhook port that is %s fails at synth time: it cannot be checked, so the boundary fails closed', (_name, token) => {
    // GIVEN
    const f = clusterFixture();
    const nodeSg = new ec2.SecurityGroup(f.stack, 'NodeSg', { vpc: f.vpc });
    // WHEN / THEN
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet', {
      cluster: f.cluster, nodeSecurityGroups: [nodeSg], webhookPorts: [9443, token()],
    })).toThrow(/^Test\/Kubelet: webhookPorts: a token \(at index 1\); pass a literal port number: a webhook port must be checked against 10250 \(kubelet\), 10255 \(kubelet read-only\) and 1-65535 before it is opened, and a token cannot be, so this security boundary fails closed \[hardened-eks-networking:webhookPortUnresolved\]$/);
  });

  test('a node security group in another VPC than the cluster fails at synth time', () => {
    // GIVEN
    const f = clusterFixture();
    const otherVpc = new ec2.Vpc(f.stack, 'OtherVpc', { maxAzs: 1, natGateways: 0 });
    const stray = new ec2.SecurityGroup(f.stack, 'Stray', { vpc: otherVpc });
    const good = new ec2.SecurityGroup(f.stack, 'Good', { vpc: f.vpc });
    const access = new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [good] });
    // WHEN / THEN
    expect(() => access.addNodeSecurityGroup(stray))
      .toThrow(/^Test\/Kubelet: nodeSecurityGroups: 'Test\/Stray' is in VPC 'Test\/OtherVpc', not in the cluster's VPC \('Test\/Vpc'\); .*pass a node security group of the cluster's VPC \[hardened-eks-networking:nodeSecurityGroupOtherVpc\]$/);
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet2', { cluster: f.cluster, nodeSecurityGroups: [stray] }))
      .toThrow(/nodeSecurityGroups: 'Test\/Stray' is in VPC 'Test\/OtherVpc'/);
  });

  test('an additional security group may reach the kubelet', () => {
    const f = clusterFixture();
    const nodeSg = new ec2.SecurityGroup(f.stack, 'NodeSg', { vpc: f.vpc });
    const monitoring = new ec2.SecurityGroup(f.stack, 'Monitoring', { vpc: f.vpc });
    new RestrictedKubeletAccess(f.stack, 'Kubelet', {
      cluster: f.cluster, nodeSecurityGroups: [nodeSg], additionalKubeletSources: [monitoring],
    });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: sgRef(template, 'NodeSg'), SourceSecurityGroupId: sgRef(template, 'Monitoring'), FromPort: 10250,
    });
  });

  test('several node groups with their own node SGs on one cluster', () => {
    const f = clusterFixture();
    const general = new HardenedNodeSecurityGroup(f.stack, 'General', { vpc: f.vpc, cluster: f.cluster });
    const gpu = new HardenedNodeSecurityGroup(f.stack, 'Gpu', { vpc: f.vpc, cluster: f.cluster });
    const access = new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [general.securityGroup] });
    access.addNodeSecurityGroup(gpu.securityGroup);
    general.addNodegroup('Workers');
    gpu.addNodegroup('GpuWorkers');
    const template = Template.fromStack(f.stack);
    for (const group of ['General', 'Gpu']) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: sgRef(template, group), SourceSecurityGroupId: clusterSgRef(template), FromPort: 10250,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: clusterSgRef(template), SourceSecurityGroupId: sgRef(template, group), FromPort: 443,
      });
    }
    template.resourceCountIs('AWS::EKS::Nodegroup', 2);
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('with no node security group, synthesis fails with the fix', () => {
    const f = clusterFixture();
    new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster });
    expect(() => f.app.synth()).toThrow(/nodeSecurityGroups: none given; pass the dedicated node security groups/);
  });

  test('the cluster SG is not a node SG, and a node SG is added once', () => {
    const f = clusterFixture();
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet', {
      cluster: f.cluster, nodeSecurityGroups: [f.cluster.clusterSecurityGroup],
    })).toThrow(/the cluster security group is not a dedicated node security group/);
    const nodeSg = new ec2.SecurityGroup(f.stack, 'NodeSg', { vpc: f.vpc });
    const access = new RestrictedKubeletAccess(f.stack, 'Kubelet2', { cluster: f.cluster, nodeSecurityGroups: [nodeSg] });
    expect(() => access.addNodeSecurityGroup(nodeSg)).toThrow(/^Test\/Kubelet2: nodeSecurityGroups: 'Test\/NodeSg' was added twice/);
  });

  test('an imported cluster without its cluster SG id fails with the fix', () => {
    const f = clusterFixture();
    const imported = eks.Cluster.fromClusterAttributes(f.stack, 'Imported', { clusterName: 'prod' });
    expect(() => new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: imported }))
      .toThrow(/cluster: 'Test\/Imported' has no cluster security group id; import it with eks.Cluster.fromClusterAttributes/);
  });

  test('unresolved ids (imported, parameters) are used as they are', () => {
    const f = clusterFixture();
    const imported = eks.Cluster.fromClusterAttributes(f.stack, 'Imported', {
      clusterName: 'prod',
      clusterSecurityGroupId: Fn.importValue('prod-cluster-sg'),
    });
    const nodeSgId = new CfnParameter(f.stack, 'NodeSgId');
    const nodeSg = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'NodeSg', nodeSgId.valueAsString);
    new RestrictedKubeletAccess(f.stack, 'Kubelet', {
      cluster: imported,
      nodeSecurityGroups: [nodeSg],
      webhookPorts: [9443],
    });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { Ref: 'NodeSgId' }, SourceSecurityGroupId: { 'Fn::ImportValue': 'prod-cluster-sg' }, FromPort: 10250,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { Ref: 'NodeSgId' }, FromPort: 9443, ToPort: 9443,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::ImportValue': 'prod-cluster-sg' }, DestinationSecurityGroupId: { Ref: 'NodeSgId' }, FromPort: 10250,
    });
  });
});
