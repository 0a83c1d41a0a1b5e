import { Lazy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { HardenedNodeSecurityGroup, InterNodeTraffic } from '../../lib';
import { clusterFixture, sgRef } from '../util';

function expectNoWarnings(f: { stack: import('aws-cdk-lib').Stack }): void {
  Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
}

describe('HardenedNodeSecurityGroup', () => {
  test('creates a node security group that allows all egress by default, explicitly', () => {
    // GIVEN
    const f = clusterFixture();
    // WHEN
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    // THEN
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('node-only'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
    });
    expectNoWarnings(f);
  });

  test('allowAllOutbound: false leaves no egress to the internet, but keeps node-to-node egress', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: false });
    const template = Template.fromStack(f.stack);
    const nodeSg = sgRef(template, 'Nodes');
    const sg = Object.values(template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('node-only') },
    }))[0] as any;
    expect(JSON.stringify(sg.Properties.SecurityGroupEgress ?? [])).not.toContain('0.0.0.0/0');
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: nodeSg, DestinationSecurityGroupId: nodeSg, IpProtocol: '-1',
    });
    expectNoWarnings(f);
  });

  test('lets nodes reach each other on all traffic by default (self rule)', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const template = Template.fromStack(f.stack);
    const nodeSg = sgRef(template, 'Nodes');
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: nodeSg, SourceSecurityGroupId: nodeSg, IpProtocol: '-1',
    });
  });

  test('InterNodeTraffic.DNS_AND_EPHEMERAL opens only CoreDNS 53 and 1025-65535 between nodes', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc, cluster: f.cluster, interNodeTraffic: InterNodeTraffic.DNS_AND_EPHEMERAL,
    });
    const template = Template.fromStack(f.stack);
    const nodeSg = sgRef(template, 'Nodes');
    for (const protocol of ['tcp', 'udp']) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: nodeSg, SourceSecurityGroupId: nodeSg, IpProtocol: protocol, FromPort: 53, ToPort: 53,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: nodeSg, SourceSecurityGroupId: nodeSg, IpProtocol: protocol, FromPort: 1025, ToPort: 65535,
      });
    }
    expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: nodeSg, IpProtocol: '-1' },
    }))).toHaveLength(0);
  });

  test('the launch template attaches only the node security group and requires IMDSv2 with hop limit 2', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        SecurityGroupIds: [sgRef(template, 'Nodes')],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      }),
    });
  });

  test('hop limit 1 is allowed', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, httpPutResponseHopLimit: 1 });
    Template.fromStack(f.stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ MetadataOptions: Match.objectLike({ HttpPutResponseHopLimit: 1 }) }),
    });
  });

  test.each([0, 3, 64])('hop limit %d fails at synth time naming the path, the value and the fix', (hop) => {
    const f = clusterFixture();
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc, cluster: f.cluster, httpPutResponseHopLimit: hop,
    })).toThrow(new RegExp(`^Test/Nodes: httpPutResponseHopLimit: ${hop} is not allowed; use 2 .* or 1`));
  });

  test('a token hop limit is not parsed: a warning says it could not be checked', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc, cluster: f.cluster, httpPutResponseHopLimit: Lazy.number({ produce: () => 2 }),
    });
    Annotations.fromStack(f.stack).hasWarning('/Test/Nodes', Match.stringLikeRegexp('httpPutResponseHopLimit is a token'));
  });

  test('launch template settings that would weaken the boundary are all reported at once', () => {
    const f = clusterFixture();
    const other = new ec2.SecurityGroup(f.stack, 'Other', { vpc: f.vpc });
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc,
      cluster: f.cluster,
      launchTemplateProps: {
        securityGroup: other,
        httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL,
        role: new iam.Role(f.stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
      },
    })).toThrow(/^Test\/Nodes: \d problems:\n  - launchTemplateProps.securityGroup: .*\n  - launchTemplateProps.role: .*\n  - launchTemplateProps.httpTokens: 'optional' is not allowed/);
  });

  test('other launch template settings pass through', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc,
      cluster: f.cluster,
      launchTemplateProps: {
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(50, { encrypted: true }) }],
      },
    });
    Template.fromStack(f.stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 50 } }],
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
      }),
    });
  });

  test('addNodegroup uses the hardened launch template, by id and latest version', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    nodes.addNodegroup('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    const template = Template.fromStack(f.stack);
    const lt = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      LaunchTemplate: { Id: { Ref: lt }, Version: { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] } },
      DiskSize: Match.absent(),
      RemoteAccess: Match.absent(),
    });
    expectNoWarnings(f);
  });

  test('launchTemplateSpec works with cluster.addNodegroupCapacity', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    f.cluster.addNodegroupCapacity('Workers', { launchTemplateSpec: nodes.launchTemplateSpec });
    const template = Template.fromStack(f.stack);
    const lt = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    template.hasResourceProperties('AWS::EKS::Nodegroup', { LaunchTemplate: Match.objectLike({ Id: { Ref: lt } }) });
  });

  test.each([
    ['diskSize', { diskSize: 50 }, /addNodegroup\('Workers'\): diskSize: 50 is rejected by EKS .* set blockDevices in launchTemplateProps/],
    ['remoteAccess', { remoteAccess: { sshKeyName: 'key' } }, /addNodegroup\('Workers'\): remoteAccess: is rejected by EKS/],
    ['launchTemplateSpec', { launchTemplateSpec: { id: 'lt-123' } }, /addNodegroup\('Workers'\): launchTemplateSpec: is set/],
  ] as Array<[string, eks.NodegroupOptions, RegExp]>)('addNodegroup rejects %s next to a launch template', (_name, options, message) => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    expect(() => nodes.addNodegroup('Workers', options)).toThrow(message);
    expect(() => nodes.addNodegroup('Workers', options)).toThrow(/^Test\/Nodes: /);
  });

  test('addNodegroup rejects instanceTypes and amiType when the launch template sets them', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc,
      cluster: f.cluster,
      launchTemplateProps: {
        instanceType: new ec2.InstanceType('m6i.large'),
        machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345678' }),
      },
    });
    expect(() => nodes.addNodegroup('Workers', {
      instanceTypes: [new ec2.InstanceType('m6i.xlarge')],
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
    })).toThrow(/instanceTypes: is set, but launchTemplateProps.instanceType is set too[\s\S]*amiType: 'AL2023_x86_64_STANDARD' is set/);
  });

  test('tags only the node security group kubernetes.io/cluster/<name>', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const template = Template.fromStack(f.stack);
    const tagged = Object.entries(template.toJSON().Resources as Record<string, any>)
      .filter(([, r]) => JSON.stringify(r.Properties?.Tags ?? []).includes('kubernetes.io/cluster/'))
      .map(([id, r]) => [id, r.Type]);
    expect(tagged).toEqual([[expect.stringMatching(/^Nodes/), 'AWS::EC2::SecurityGroup']]);
  });

  test('the cluster tag follows a generated cluster name (a token)', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const template = Template.fromStack(f.stack);
    const cluster = Object.keys(template.findResources('Custom::AWSCDK-EKS-Cluster'))[0];
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      Tags: Match.arrayWith([{ Key: { 'Fn::Join': ['', ['kubernetes.io/cluster/', { Ref: cluster }]] }, Value: 'owned' }]),
    });
  });

  test('outputs the node security group id, unless turned off', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    new HardenedNodeSecurityGroup(f.stack, 'Quiet', { vpc: f.vpc, cluster: f.cluster, nodeSecurityGroupIdOutput: false });
    const template = Template.fromStack(f.stack);
    const outputs = template.findOutputs('*');
    expect(Object.values(outputs).map((o: any) => o.Value)).toEqual([sgRef(template, 'Nodes')]);
  });

  test('is IConnectable: connections.allowFrom adds rules to the node security group', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const lb = new ec2.SecurityGroup(f.stack, 'Lb', { vpc: f.vpc, allowAllOutbound: false });
    nodes.connections.allowFrom(lb, ec2.Port.tcp(8080));
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: sgRef(template, 'Nodes'), SourceSecurityGroupId: sgRef(template, 'Lb'), FromPort: 8080,
    });
  });
});
