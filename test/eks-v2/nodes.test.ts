import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { AlbIngressBackendRules, HardenedNodeSecurityGroup, PodSecurityGroupPolicy, RestrictedKubeletAccess, SecurityGroupsForPods } from '../../lib';
import { HardenedEksNetworkingError } from '../../lib/errors';
import { clusterFixture, coversTcpPort, ingressRules, sgRef, thrown, v2ClusterFixture, v2ClusterLogicalId, v2ClusterSgRef } from '../util';

/** A stack of its own, for clusters and VPCs that are only imported. */
function bareStack(): Stack {
  return new Stack(new App(), 'Test');
}

function importedVpc(scope: Construct, id: string, vpcId: string): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, id, { vpcId, availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] });
}

describe('HardenedNodeSecurityGroup on aws-eks-v2 clusters', () => {
  test('GIVEN a v2 cluster with node groups only WHEN addNodegroupV2 THEN an AWS::EKS::Nodegroup of the cluster uses the hardened launch template', () => {
    // GIVEN
    const f = v2ClusterFixture({ nodegroups: true });
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    // WHEN
    const nodegroup = nodes.addNodegroupV2('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    // THEN
    expect(nodegroup).toBeInstanceOf(eksv2.Nodegroup);
    const template = Template.fromStack(f.stack);
    const lt = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    // defaultCapacity: 0: the only node group is ours.
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ClusterName: { Ref: v2ClusterLogicalId(template) },
      InstanceTypes: ['m6i.large'],
      LaunchTemplate: { Id: { Ref: lt }, Version: { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] } },
      DiskSize: Match.absent(),
      RemoteAccess: Match.absent(),
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        SecurityGroupIds: [sgRef(template, 'Nodes')],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      }),
    });
    template.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: false } });
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('GIVEN a v2 cluster with Auto Mode on (the default) WHEN addNodegroupV2 THEN the node group uses the hardened launch template and Auto Mode stays on', () => {
    // GIVEN
    const f = v2ClusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    // WHEN
    nodes.addNodegroupV2('Workers');
    // THEN
    const template = Template.fromStack(f.stack);
    const lt = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    template.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: Match.objectLike({ Enabled: true }) });
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ClusterName: { Ref: v2ClusterLogicalId(template) },
      LaunchTemplate: { Id: { Ref: lt }, Version: { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] } },
    });
  });

  test('GIVEN a cluster of one module WHEN the node group method of the other module is called THEN nodegroupOtherModule names the method to call', () => {
    // GIVEN
    const v2 = v2ClusterFixture({ nodegroups: true });
    const v2Nodes = new HardenedNodeSecurityGroup(v2.stack, 'Nodes', { vpc: v2.vpc, cluster: v2.cluster });
    const v1 = clusterFixture();
    const v1Nodes = new HardenedNodeSecurityGroup(v1.stack, 'Nodes', { vpc: v1.vpc, cluster: v1.cluster });
    // WHEN / THEN
    expect(thrown(() => v2Nodes.addNodegroup('Workers'))).toBe(
      "Test/Nodes: addNodegroup('Workers'): cluster: 'Test/Cluster' is not an aws-eks cluster, and addNodegroup() creates a node group of aws-eks; "
      + 'call addNodegroupV2() instead [hardened-eks-networking:nodegroupOtherModule]');
    expect(thrown(() => v1Nodes.addNodegroupV2('Workers'))).toBe(
      "Test/Nodes: addNodegroupV2('Workers'): cluster: 'Test/Cluster' is not an aws-eks-v2 cluster, and addNodegroupV2() creates a node group of aws-eks-v2; "
      + 'call addNodegroup() instead [hardened-eks-networking:nodegroupOtherModule]');
    Template.fromStack(v2.stack).resourceCountIs('AWS::EKS::Nodegroup', 0);
    Template.fromStack(v1.stack).resourceCountIs('AWS::EKS::Nodegroup', 0);
  });

  test('GIVEN a v2 cluster WHEN addNodegroupV2 gets options EKS rejects next to a launch template THEN they are reported with addNodegroup\'s checks', () => {
    const f = v2ClusterFixture({ nodegroups: true });
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const error = (() => {
      try {
        nodes.addNodegroupV2('Workers', { diskSize: 50, remoteAccess: { sshKeyName: 'key' } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(HardenedEksNetworkingError.isHardenedEksNetworkingError(error)).toBe(true);
    expect((error as HardenedEksNetworkingError).codes).toEqual(['nodegroupDiskSize', 'nodegroupRemoteAccess']);
    expect((error as HardenedEksNetworkingError).problems.every((p) => p.startsWith("addNodegroupV2('Workers'): "))).toBe(true);
    Template.fromStack(f.stack).resourceCountIs('AWS::EKS::Nodegroup', 0);
  });

  test('GIVEN imported clusters of both modules WHEN each adds its node group THEN the node group and the security group tag name the imported cluster', () => {
    // GIVEN
    const stack = bareStack();
    const vpc = importedVpc(stack, 'ClusterVpc', 'vpc-0aaaaaaaaaaaaaaaa');
    const v1 = eks.Cluster.fromClusterAttributes(stack, 'V1', { clusterName: 'prod-v1', vpc });
    const v2 = eksv2.Cluster.fromClusterAttributes(stack, 'V2', { clusterName: 'prod-v2', vpc });
    // WHEN
    new HardenedNodeSecurityGroup(stack, 'V1Nodes', { vpc, cluster: v1 }).addNodegroup('Workers');
    new HardenedNodeSecurityGroup(stack, 'V2Nodes', { vpc, cluster: v2 }).addNodegroupV2('Workers');
    // THEN
    const template = Template.fromStack(stack);
    for (const [prefix, name] of [['V1Nodes', 'prod-v1'], ['V2Nodes', 'prod-v2']]) {
      const lt = Object.keys(template.findResources('AWS::EC2::LaunchTemplate')).find((id) => id.startsWith(prefix))!;
      template.hasResourceProperties('AWS::EKS::Nodegroup', {
        ClusterName: name,
        LaunchTemplate: { Id: { Ref: lt }, Version: { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] } },
        Subnets: ['subnet-0aaaaaaaaaaaaaaaa'],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        VpcId: 'vpc-0aaaaaaaaaaaaaaaa',
        Tags: Match.arrayWith([{ Key: `kubernetes.io/cluster/${name}`, Value: 'owned' }]),
      });
    }
  });

  test('GIVEN clusters imported without their VPC WHEN a node group is added THEN clusterVpcUnknown, not aws-cdk-lib\'s error', () => {
    const stack = bareStack();
    const vpc = importedVpc(stack, 'ClusterVpc', 'vpc-0aaaaaaaaaaaaaaaa');
    const v1 = eks.Cluster.fromClusterAttributes(stack, 'V1', { clusterName: 'prod-v1' });
    const v2 = eksv2.Cluster.fromClusterAttributes(stack, 'V2', { clusterName: 'prod-v2' });
    expect(thrown(() => new HardenedNodeSecurityGroup(stack, 'V1Nodes', { vpc, cluster: v1 }).addNodegroup('Workers'))).toBe(
      "Test/V1Nodes: addNodegroup('Workers'): cluster: 'Test/V1' was imported without its VPC, which a managed node group needs for its subnets; import the cluster with vpc [hardened-eks-networking:clusterVpcUnknown]",
    );
    expect(thrown(() => new HardenedNodeSecurityGroup(stack, 'V2Nodes', { vpc, cluster: v2 }).addNodegroupV2('Workers')))
      .toMatch(/^Test\/V2Nodes: addNodegroupV2\('Workers'\): cluster: 'Test\/V2' was imported without its VPC.*\[hardened-eks-networking:clusterVpcUnknown\]$/);
  });
});

describe('RestrictedKubeletAccess on aws-eks-v2 clusters', () => {
  test('GIVEN a created v2 cluster WHEN its node SG is restricted THEN only the cluster SG reaches 10250, and nodes reach the cluster SG on 443', () => {
    // GIVEN
    const f = v2ClusterFixture({ nodegroups: true });
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    // WHEN
    const access = new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup] });
    // THEN
    const template = Template.fromStack(f.stack);
    const nodeSg = sgRef(template, 'Nodes');
    const clusterSg = v2ClusterSgRef(template);
    expect(f.stack.resolve(access.clusterSecurityGroupId)).toEqual(clusterSg);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: nodeSg, SourceSecurityGroupId: clusterSg, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: clusterSg, DestinationSecurityGroupId: nodeSg, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: clusterSg, SourceSecurityGroupId: nodeSg, IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
    });
    // Besides the nodes themselves, the cluster SG is the only source of 10250 on the node SG.
    expect(ingressRules(template)
      .filter((r) => JSON.stringify(r.groupId) === JSON.stringify(nodeSg) && coversTcpPort(r, 10250))
      .map((r) => r.sourceSecurityGroupId)
      .filter((source) => JSON.stringify(source) !== JSON.stringify(nodeSg))).toEqual([clusterSg]);
  });

  test('GIVEN a v2 cluster imported with clusterSecurityGroupId and vpc THEN 10250 is opened from that SG, and a node SG of another VPC fails', () => {
    // GIVEN
    const stack = bareStack();
    const vpc = importedVpc(stack, 'ClusterVpc', 'vpc-0aaaaaaaaaaaaaaaa');
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', clusterSecurityGroupId: 'sg-0cccccccccccccccc', vpc });
    const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
    // WHEN
    const access = new RestrictedKubeletAccess(stack, 'Kubelet', { cluster, nodeSecurityGroups: [nodes.securityGroup] });
    // THEN
    const template = Template.fromStack(stack);
    const nodeSg = sgRef(template, 'Nodes');
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: nodeSg, SourceSecurityGroupId: 'sg-0cccccccccccccccc', IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: 'sg-0cccccccccccccccc', DestinationSecurityGroupId: nodeSg, FromPort: 10250, ToPort: 10250,
    });
    // The imported cluster's VPC is read: a node SG of another VPC is refused.
    const other = new ec2.SecurityGroup(stack, 'Other', { vpc: importedVpc(stack, 'OtherVpc', 'vpc-0bbbbbbbbbbbbbbbb') });
    expect(thrown(() => access.addNodeSecurityGroup(other)))
      .toMatch(/^Test\/Kubelet: nodeSecurityGroups: 'Test\/Other' is in VPC 'vpc-0bbbbbbbbbbbbbbbb', not in the cluster's VPC \('vpc-0aaaaaaaaaaaaaaaa'\); .* \[hardened-eks-networking:nodeSecurityGroupOtherVpc\]$/);
  });

  test('GIVEN a v2 cluster imported without clusterSecurityGroupId THEN clusterSecurityGroupUnknown says how to import it', () => {
    const stack = bareStack();
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod' });
    expect(thrown(() => new RestrictedKubeletAccess(stack, 'Kubelet', { cluster }))).toBe(
      "Test/Kubelet: cluster: 'Test/Imported' has no cluster security group id; import it with eks.Cluster.fromClusterAttributes({ clusterSecurityGroupId, ... }) "
      + '[hardened-eks-networking:clusterSecurityGroupUnknown]');
  });
});

describe('a cluster of neither module', () => {
  const NOT_EKS = "cluster: 'Test/Cfn' is neither an aws-eks nor an aws-eks-v2 cluster of the aws-cdk-lib this library loads; "
    + 'pass an eks.Cluster or eks.Cluster.fromClusterAttributes() of aws-cdk-lib/aws-eks or aws-cdk-lib/aws-eks-v2 '
    + '(with two copies of aws-cdk-lib installed, keep one) [hardened-eks-networking:clusterNotEks]';

  test.each<[string, (stack: Stack, cluster: eks.CfnCluster, vpc: ec2.IVpc) => unknown]>([
    ['HardenedNodeSecurityGroup', (stack, cluster, vpc) => new HardenedNodeSecurityGroup(stack, 'Construct', { vpc, cluster })],
    ['RestrictedKubeletAccess', (stack, cluster) => new RestrictedKubeletAccess(stack, 'Construct', { cluster })],
    ['AlbIngressBackendRules', (stack, cluster, vpc) => new AlbIngressBackendRules(stack, 'Construct', {
      vpc, cluster, targets: new ec2.SecurityGroup(stack, 'Targets', { vpc }),
    })],
    ['PodSecurityGroupPolicy', (stack, cluster, vpc) => new PodSecurityGroupPolicy(stack, 'Construct', {
      cluster, namespace: 'payments', podSelector: { matchLabels: { app: 'payments-api' } }, securityGroups: [new ec2.SecurityGroup(stack, 'Pods', { vpc })],
    })],
    ['SecurityGroupsForPods', (stack, cluster) => new SecurityGroupsForPods(stack, 'Construct', { cluster })],
  ])('GIVEN an eks.CfnCluster as the cluster WHEN a %s is built THEN clusterNotEks', (_name, build) => {
    // GIVEN: an L1 is an IClusterRef too, but neither module's cluster.
    const stack = bareStack();
    const vpc = importedVpc(stack, 'Vpc', 'vpc-0aaaaaaaaaaaaaaaa');
    const cluster = new eks.CfnCluster(stack, 'Cfn', {
      roleArn: 'arn:aws:iam::111122223333:role/eks', resourcesVpcConfig: { subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] },
    });
    // WHEN
    let error: unknown;
    try {
      build(stack, cluster, vpc);
    } catch (e) {
      error = e;
    }
    // THEN
    expect(HardenedEksNetworkingError.isHardenedEksNetworkingError(error)).toBe(true);
    expect((error as HardenedEksNetworkingError).constructPath).toBe('Test/Construct');
    expect((error as HardenedEksNetworkingError).problems[0]).toBe(NOT_EKS);
  });
});
