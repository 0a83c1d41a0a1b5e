import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { HardenedNodePool, HardenedNodeSecurityGroup, NodePoolRequirementOperator } from '../../lib';

function autoModeFixture(options: { kubectl?: boolean } = {}) {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new eksv2.Cluster(stack, 'Cluster', {
    vpc,
    version: eksv2.KubernetesVersion.V1_29,
    compute: { nodePools: [] },
    ...(options.kubectl ?? true ? { kubectlProviderOptions: { kubectlLayer: new KubectlV29Layer(stack, 'Kubectl') } } : {}),
  });
  const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
  return { app, stack, vpc, cluster, nodes };
}

/** The objects of the one KubernetesManifest of the stack, with its tokens resolved. */
function appliedObjects(stack: Stack): any[] {
  const manifests = Template.fromStack(stack).findResources('Custom::AWSCDK-EKS-KubernetesResource');
  const ids = Object.keys(manifests);
  expect(ids).toHaveLength(1);
  const joined = manifests[ids[0]].Properties.Manifest as { 'Fn::Join': [string, unknown[]] };
  const text = joined['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`)).join('');
  return JSON.parse(text.replace(/"<(\{.*?\})>"/g, (_m, ref) => JSON.stringify(ref)));
}

describe('HardenedNodePool', () => {
  test('GIVEN an Auto Mode cluster WHEN a pool is added THEN its NodeClass selects only the node security group, private subnets, no public IPs', () => {
    const f = autoModeFixture();
    new HardenedNodePool(f.stack, 'Pool', { cluster: f.cluster, securityGroup: f.nodes.securityGroup, name: 'hardened' });
    const [nodeClass, nodePool] = appliedObjects(f.stack);
    expect(nodeClass).toMatchObject({ apiVersion: 'eks.amazonaws.com/v1', kind: 'NodeClass', metadata: { name: 'hardened' } });
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([{ id: expect.stringContaining('NodesC12DF151') }]);
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([
      { id: expect.stringContaining('VpcPrivateSubnet1') },
      { id: expect.stringContaining('VpcPrivateSubnet2') },
    ]);
    expect(nodeClass.spec.advancedNetworking).toEqual({ associatePublicIPAddress: false });
    expect(nodeClass.spec.role).toEqual(expect.stringContaining('PoolNodeRole'));
    expect(nodePool).toMatchObject({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      spec: { template: { spec: { nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: 'hardened' } } } },
    });
  });

  test('GIVEN a pool WHEN synthesized THEN the node role has an EC2 access entry with AmazonEKSAutoNodePolicy, which the manifest waits for', () => {
    const f = autoModeFixture();
    new HardenedNodePool(f.stack, 'Pool', { cluster: f.cluster, securityGroup: f.nodes.securityGroup });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      Type: 'EC2',
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PoolNodeRole'), 'Arn'] },
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('cluster-access-policy/AmazonEKSAutoNodePolicy$')])] } }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'EKS Auto Mode nodes of Test/Pool',
      ManagedPolicyArns: [
        { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonEKSWorkerNodeMinimalPolicy$')])] },
        { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonEC2ContainerRegistryPullOnly$')])] },
      ],
    });
    const manifest = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0];
    expect(manifest.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^PoolAccessEntry/)]));
  });

  test('GIVEN a node role and requirements WHEN given THEN the NodeClass names that role and the NodePool those requirements, and no role is created', () => {
    const f = autoModeFixture();
    const role = iam.Role.fromRoleName(f.stack, 'Role', 'auto-nodes');
    new HardenedNodePool(f.stack, 'Pool', {
      cluster: f.cluster,
      securityGroup: f.nodes.securityGroup,
      nodeRole: role,
      requirements: [{ key: 'kubernetes.io/arch', operator: NodePoolRequirementOperator.IN, values: ['arm64'] }],
    });
    const [nodeClass, nodePool] = appliedObjects(f.stack);
    expect(nodeClass.spec.role).toBe('auto-nodes');
    expect(nodePool.spec.template.spec.requirements).toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }]);
    Template.fromStack(f.stack).resourcePropertiesCountIs('AWS::IAM::Role', { Description: Match.stringLikeRegexp('Auto Mode nodes') }, 0);
  });

  test('GIVEN apply: false WHEN built THEN no manifest resource, and manifestJson is the NodeClass and NodePool without the prune label', () => {
    const f = autoModeFixture({ kubectl: false });
    const pool = new HardenedNodePool(f.stack, 'Pool', { cluster: f.cluster, securityGroup: f.nodes.securityGroup, name: 'gitops', apply: false });
    expect(pool.manifest).toBeUndefined();
    Template.fromStack(f.stack).resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
    const text = JSON.stringify(f.stack.resolve(pool.manifestJson));
    expect(text).toContain('\\"kind\\":\\"List\\"');
    expect(text).toContain('\\"kind\\":\\"NodeClass\\",\\"metadata\\":{\\"name\\":\\"gitops\\"}');
    expect(text).not.toContain('prune');
  });

  test('GIVEN a v2 cluster without a kubectl provider WHEN applied THEN it fails, saying how to add one or to take the text', () => {
    const f = autoModeFixture({ kubectl: false });
    expect(() => new HardenedNodePool(f.stack, 'Pool', { cluster: f.cluster, securityGroup: f.nodes.securityGroup }))
      .toThrow(/^Test\/Pool: cluster: 'Test\/Cluster' is an aws-eks-v2 cluster without a kubectl provider, so the NodeClass and the NodePool cannot be applied to it; create the cluster with kubectlProviderOptions: \{ kubectlLayer \}.*set apply: false and apply manifestJson with your GitOps tool \[hardened-eks-networking:kubectlProviderMissing\]$/);
  });

  test('GIVEN the cluster security group, the name default and bad requirements THEN every problem is listed with its code', () => {
    const f = autoModeFixture();
    const clusterSg = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'ClusterSg', f.cluster.clusterSecurityGroupId);
    let message = '';
    try {
      new HardenedNodePool(f.stack, 'Pool', {
        cluster: f.cluster,
        securityGroup: clusterSg,
        name: 'default',
        requirements: [
          { key: 'karpenter.sh/capacity-type', operator: NodePoolRequirementOperator.IN },
          { key: 'eks.amazonaws.com/instance-cpu', operator: NodePoolRequirementOperator.GT, values: ['4', '8'] },
        ],
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n').map((l) => /\[hardened-eks-networking:(\w+)\]$/.exec(l)?.[1]).filter(Boolean)).toEqual([
      'nodeClassNameReserved', 'nodeSecurityGroupIsClusterSecurityGroup', 'selectorValuesMissing', 'selectorValuesUnexpected',
    ]);
  });

  test('GIVEN a cluster imported without its VPC WHEN no subnets are given THEN it fails; WHEN subnets are given THEN they are selected', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', clusterSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa' });
    const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'NodeSg', 'sg-0bbbbbbbbbbbbbbbb');
    expect(() => new HardenedNodePool(stack, 'Pool', { cluster, securityGroup: sg, apply: false }))
      .toThrow(/subnets: the cluster was imported without its VPC.*\[hardened-eks-networking:subnetsUnknown\]$/);
    const subnet = ec2.Subnet.fromSubnetId(stack, 'Subnet', 'subnet-0123456789abcdef0');
    const pool = new HardenedNodePool(stack, 'Pool2', { cluster, securityGroup: sg, apply: false, subnets: { subnets: [subnet] }, name: 'imported', nodeRole: iam.Role.fromRoleName(stack, 'Role', 'auto-nodes') });
    const text = stack.resolve(pool.manifestJson) as string;
    expect(JSON.parse(text).items[0].spec).toMatchObject({ subnetSelectorTerms: [{ id: 'subnet-0123456789abcdef0' }], securityGroupSelectorTerms: [{ id: 'sg-0bbbbbbbbbbbbbbbb' }], role: 'auto-nodes' });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'prod', Type: 'EC2' });
  });

  test('GIVEN an aws-eks cluster imported with its VPC and kubectl role WHEN a pool is added THEN the NodeClass is applied with that role', () => {
    const stack = new Stack(new App(), 'Test');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', {
      clusterName: 'prod', vpc, clusterSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa', kubectlRoleArn: 'arn:aws:iam::111122223333:role/kubectl',
    });
    const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
    new HardenedNodePool(stack, 'Pool', { cluster, securityGroup: nodes.securityGroup, name: 'hardened' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', { ClusterName: 'prod', RoleArn: 'arn:aws:iam::111122223333:role/kubectl' });
    const [nodeClass] = appliedObjects(stack);
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ id: 'subnet-0aaaaaaaaaaaaaaaa' }]);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'prod', Type: 'EC2' });
  });
});
