import { CfnParameter, Fn, Lazy } from 'aws-cdk-lib';
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

  test('upstream: aws-cdk-lib rejects a token hop limit on a LaunchTemplate with an error annotation', () => {
    // Why the construct rejects a token hop limit itself: the launch template would fail `cdk synth`
    // anyway, with "HttpPutResponseHopLimit must between 1 and 64". If aws-cdk-lib ever accepts
    // tokens here, this test fails and the construct's rule can be revisited.
    const f = clusterFixture();
    new ec2.LaunchTemplate(f.stack, 'Lt', { httpPutResponseHopLimit: new CfnParameter(f.stack, 'Hop', { type: 'Number' }).valueAsNumber });
    Annotations.fromStack(f.stack).hasError('/Test/Lt', Match.stringLikeRegexp('HttpPutResponseHopLimit must between 1 and 64'));
  });

  test('a token hop limit fails at synth time with our message, before aws-cdk-lib fails on it', () => {
    // GIVEN
    const f = clusterFixture();
    const hop = new CfnParameter(f.stack, 'Hop', { type: 'Number' });
    // WHEN / THEN
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc, cluster: f.cluster, httpPutResponseHopLimit: hop.valueAsNumber,
    })).toThrow(/^Test\/Nodes: httpPutResponseHopLimit: a token, which cannot be checked to be 1 or 2 \(and aws-cdk-lib rejects a token hop limit\); pass the literal 1 or 2 \[hardened-eks-networking:hopLimitUnresolved\]$/);
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Lazy', {
      vpc: f.vpc, cluster: f.cluster, httpPutResponseHopLimit: Lazy.number({ produce: () => 2 }),
    })).toThrow(/httpPutResponseHopLimit: a token/);
  });

  test('launchTemplateProps.httpPutResponseHopLimit as a token is described as a token, never printed raw', () => {
    const f = clusterFixture();
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', {
      vpc: f.vpc, cluster: f.cluster, launchTemplateProps: { httpPutResponseHopLimit: Lazy.number({ produce: () => 2 }) },
    })).toThrow(/^Test\/Nodes: launchTemplateProps.httpPutResponseHopLimit: a token is set in the wrong place/);
  });

  test('a vpc other than the cluster\'s fails at synth time, naming both', () => {
    // GIVEN
    const f = clusterFixture();
    const other = new ec2.Vpc(f.stack, 'OtherVpc', { maxAzs: 1, natGateways: 0 });
    // WHEN / THEN
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: other, cluster: f.cluster }))
      .toThrow(/^Test\/Nodes: vpc: 'Test\/OtherVpc' is not the cluster's VPC \('Test\/Vpc'\); .*pass the cluster's VPC \(cluster.vpc\) \[hardened-eks-networking:vpcNotClusterVpc\]$/);
  });

  test('an imported vpc with another literal id than the cluster\'s fails; with the same id, it passes', () => {
    const f = clusterFixture();
    const imported = eks.Cluster.fromClusterAttributes(f.stack, 'Imported', {
      clusterName: 'prod', vpc: ec2.Vpc.fromVpcAttributes(f.stack, 'ClusterVpc', { vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZones: ['us-east-1a'] }),
    });
    const other = ec2.Vpc.fromVpcAttributes(f.stack, 'Other', { vpcId: 'vpc-0bbbbbbbbbbbbbbbb', availabilityZones: ['us-east-1a'] });
    const same = ec2.Vpc.fromVpcAttributes(f.stack, 'Same', { vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZones: ['us-east-1a'] });
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: other, cluster: imported }))
      .toThrow(/vpc: 'vpc-0bbbbbbbbbbbbbbbb' is not the cluster's VPC \('vpc-0aaaaaaaaaaaaaaaa'\)/);
    new HardenedNodeSecurityGroup(f.stack, 'Fine', { vpc: same, cluster: imported });
    Template.fromStack(f.stack).resourceCountIs('AWS::EC2::LaunchTemplate', 1);
    expectNoWarnings(f);
  });

  test('a vpc that cannot be compared with the cluster\'s (a token id, or a cluster without vpc) is used as it is', () => {
    const f = clusterFixture();
    const tokenVpc = ec2.Vpc.fromVpcAttributes(f.stack, 'TokenVpc', { vpcId: Fn.importValue('vpc-id'), availabilityZones: ['us-east-1a'] });
    const noVpc = eks.Cluster.fromClusterAttributes(f.stack, 'NoVpc', { clusterName: 'prod' });
    new HardenedNodeSecurityGroup(f.stack, 'A', { vpc: tokenVpc, cluster: f.cluster });
    new HardenedNodeSecurityGroup(f.stack, 'B', { vpc: f.vpc, cluster: noVpc });
    Template.fromStack(f.stack).resourceCountIs('AWS::EC2::LaunchTemplate', 2);
    expectNoWarnings(f);
  });

  test.each([
    ['256 characters', 'n'.repeat(256), /securityGroupName: '(n){40}\.\.\.' \(256 characters\) is too long; EC2 takes at most 255/],
    ['a name starting with sg-', 'sg-nodes', /securityGroupName: 'sg-nodes' starts with 'sg-', which EC2 reserves for security group ids; pick a name that does not/],
    ['a character EC2 rejects', 'nodes?prod', /securityGroupName: 'nodes\?prod' has characters EC2 rejects \('\?'\); use a-z, A-Z, 0-9, spaces and/],
    ['an empty name', '', /securityGroupName: '' is empty/],
  ])('securityGroupName with %s fails at synth time', (_name, securityGroupName, message) => {
    const f = clusterFixture();
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, securityGroupName }))
      .toThrow(message);
  });

  test('a securityGroupName with every character EC2 allows passes through', () => {
    const f = clusterFixture();
    const name = 'eks nodes._-:/()#,@[]+=&;{}!$* 01';
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, securityGroupName: name });
    Template.fromStack(f.stack).hasResourceProperties('AWS::EC2::SecurityGroup', { GroupName: name });
    expectNoWarnings(f);
  });

  test('a description EC2 rejects fails at synth time', () => {
    const f = clusterFixture();
    expect(() => new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, description: 'nœuds du cluster' }))
      .toThrow(/description: 'nœuds du cluster' has characters EC2 rejects \('œ'\)/);
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
