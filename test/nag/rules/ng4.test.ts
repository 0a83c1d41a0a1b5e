import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { App, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { cliRules, compliantTemplate, includeFindings, manifest, packFindings, rulesOf, TestFinding } from '../util';

/** An aws-eks-v2 Auto Mode cluster 'Cluster' in stack 'V2', with a dedicated security group 'NodeSg' in its VPC that allows all outbound traffic. */
interface AutoModeFixture {
  readonly app: App;
  readonly stack: Stack;
  readonly cluster: eksv2.Cluster;
  readonly nodeSg: ec2.SecurityGroup;
}

function autoModeCluster(options: { nodePools?: string[]; endpointAccess?: eksv2.EndpointAccess } = {}): AutoModeFixture {
  const app = new App();
  const stack = new Stack(app, 'V2');
  const cluster = new eksv2.Cluster(stack, 'Cluster', {
    version: eksv2.KubernetesVersion.V1_33,
    endpointAccess: options.endpointAccess ?? eksv2.EndpointAccess.PRIVATE,
    // Tests only synthesize: the oldest layer is enough.
    kubectlProviderOptions: { kubectlLayer: new KubectlV29Layer(stack, 'Kubectl') },
    ...(options.nodePools ? { compute: { nodePools: options.nodePools } } : {}),
  });
  // Nodes may send anything out (to ECR and S3 among others): egress (PRIV1) is not what these tests are about.
  const nodeSg = new ec2.SecurityGroup(stack, 'NodeSg', { vpc: cluster.vpc, allowAllOutbound: true });
  return { app, stack, cluster, nodeSg };
}

/** An Auto Mode NodeClass 'private' with these security group selector terms. */
function nodeClass(terms: object[]): object {
  return {
    apiVersion: 'eks.amazonaws.com/v1',
    kind: 'NodeClass',
    metadata: { name: 'private' },
    spec: { role: 'AutoModeNodeRole', subnetSelectorTerms: [{ tags: { Name: 'private' } }], securityGroupSelectorTerms: terms },
  };
}

const ng4 = (findings: TestFinding[]) => findings.filter((x) => x.rule === 'NG4');

describe('NG4 autoModeNodesOnClusterSecurityGroup', () => {
  test('CDK: an Auto Mode cluster with its default built-in node pools is a warning on the cluster', () => {
    const f = autoModeCluster();
    expect(ng4(packFindings(f.app))).toEqual([{
      rule: 'NG4',
      severity: 'warning',
      path: 'V2/Cluster/Resource',
      message: expect.stringMatching(/^AWS::EKS::Cluster Cluster\w+ runs EKS Auto Mode nodes on the cluster security group: its built-in node pools system, general-purpose use the built-in NodeClass, which attaches it; set ComputeConfig\.NodePools to \[\] and launch Auto Mode nodes from a NodeClass whose securityGroupSelectorTerms select a dedicated node security group by id, with rules from the cluster security group\.$/),
    }]);
  });

  test('CDK: no built-in node pools and no NodeClass in the app: nothing is said (nodes may come from GitOps)', () => {
    const f = autoModeCluster({ nodePools: [] });
    expect(rulesOf(packFindings(f.app))).toEqual([]);
  });

  test('CDK: a NodeClass selecting a dedicated security group by id is compliant, and that group is a node security group (KUB1, API1)', () => {
    const f = autoModeCluster({ nodePools: [] });
    f.cluster.addManifest('NodeClass', nodeClass([{ id: f.nodeSg.securityGroupId }]));
    f.nodeSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(10250), 'kubelet from anywhere');
    const findings = packFindings(f.app);
    expect(ng4(findings)).toEqual([]);
    expect(findings.filter((x) => x.rule === 'KUB1')).toEqual([expect.objectContaining({
      path: 'V2/NodeSg/Resource',
      message: expect.stringContaining('TCP 10250 from 0.0.0.0/0 into NodeSg'),
    })]);
    // Its nodes are on dedicated security groups: nothing lets them reach the private endpoint yet.
    expect(findings.filter((x) => x.rule === 'API1')).toEqual([expect.objectContaining({
      path: 'V2/Cluster/Resource',
      message: expect.stringMatching(/node groups Clustermanifest\w+ cannot reach on TCP 443/),
    })]);
  });

  test('CDK: with an ingress on the cluster security group from the NodeClass\'s group on 443, API1 is satisfied; KUB4 until the kubelet rule', () => {
    const build = (kubelet: boolean) => {
      const f = autoModeCluster({ nodePools: [] });
      f.cluster.addManifest('NodeClass', nodeClass([{ id: f.nodeSg.securityGroupId }]));
      new ec2.CfnSecurityGroupIngress(f.stack, 'ApiFromNodes', {
        groupId: f.cluster.clusterSecurityGroupId, sourceSecurityGroupId: f.nodeSg.securityGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443,
      });
      if (kubelet) {
        new ec2.CfnSecurityGroupIngress(f.stack, 'KubeletFromControlPlane', {
          groupId: f.nodeSg.securityGroupId, sourceSecurityGroupId: f.cluster.clusterSecurityGroupId, ipProtocol: 'tcp', fromPort: 10250, toPort: 10250,
        });
      }
      return packFindings(f.app);
    };
    // Auto Mode nodes on a dedicated group, as node groups on one: the control plane must reach the kubelet.
    expect(build(false)).toEqual([expect.objectContaining({
      rule: 'KUB4',
      path: 'V2/Cluster/manifest-NodeClass/Resource/Default',
      message: expect.stringMatching(/runs on dedicated security groups that nothing lets the control plane reach on TCP 10250/),
    })]);
    expect(rulesOf(build(true))).toEqual([]);
  });

  test('CDK: a NodeClass selecting two security groups tagged for the cluster is NG3 on its manifest', () => {
    const f = autoModeCluster({ nodePools: [] });
    const second = new ec2.SecurityGroup(f.stack, 'SecondSg', { vpc: f.cluster.vpc });
    for (const sg of [f.nodeSg, second]) Tags.of(sg).add(`kubernetes.io/cluster/${f.cluster.clusterName}`, 'owned');
    f.cluster.addManifest('NodeClass', nodeClass([{ id: f.nodeSg.securityGroupId }, { id: second.securityGroupId }]));
    expect(packFindings(f.app).filter((x) => x.rule === 'NG3')).toEqual([expect.objectContaining({
      path: 'V2/Cluster/manifest-NodeClass/Resource/Default',
      message: expect.stringContaining('2 security groups tagged kubernetes.io/cluster/...'),
    })]);
  });

  test('CDK: a NodeClass selecting the cluster security group is a warning on its manifest', () => {
    const f = autoModeCluster({ nodePools: [] });
    f.cluster.addManifest('NodeClass', nodeClass([{ id: f.cluster.clusterSecurityGroupId }]));
    expect(ng4(packFindings(f.app))).toEqual([{
      rule: 'NG4',
      severity: 'warning',
      path: 'V2/Cluster/manifest-NodeClass/Resource/Default',
      message: expect.stringMatching(/^Custom::AWSCDK-EKS-KubernetesResource Clustermanifest\w+ puts EKS Auto Mode nodes on the cluster security group: NodeClass private selects the cluster security group of Cluster\w+; launch Auto Mode nodes from a NodeClass/),
    }]);
  });

  test('CDK: a NodeClass selecting by tags or name is unknown: no finding, and its nodes are not on dedicated groups (no API1)', () => {
    const f = autoModeCluster({ nodePools: [] });
    f.cluster.addManifest('NodeClass', nodeClass([{ tags: { 'kubernetes.io/cluster/prod': 'owned' } }, { name: 'eks-cluster-sg-*' }]));
    expect(rulesOf(packFindings(f.app))).toEqual([]);
  });

  test('CDK: a NodeClass selecting a security group given by a parameter is not NG4; that group is a node SG, as a launch template\'s would be (API1, KUB4)', () => {
    const f = autoModeCluster({ nodePools: [] });
    const param = new CfnParameter(f.stack, 'NodeSgId', { type: 'AWS::EC2::SecurityGroup::Id' });
    f.cluster.addManifest('NodeClass', nodeClass([{ id: param.valueAsString }]));
    const findings = packFindings(f.app);
    expect(findings.filter((x) => /could not check/.test(x.message))).toEqual([]);
    // Nothing reaches the parameter's group on 10250 or lets it reach 443: KUB4 and API1, as for a launch template's.
    expect(rulesOf(findings)).toEqual(['API1', 'KUB4']);
  });
});

/** The compliant template, its cluster in EKS Auto Mode with these ComputeConfig node pools. */
function autoModeTemplate(nodePools: unknown): any {
  const template = compliantTemplate();
  template.Resources.Cluster.Properties.ComputeConfig = { Enabled: true, NodePools: nodePools, NodeRoleArn: { 'Fn::GetAtt': ['NodeRole', 'Arn'] } };
  return template;
}

/** A NodeClass manifest whose one term selects this security group value by id (written as CDK does, an Fn::Join). */
function nodeClassManifest(sg: unknown, clusterName: unknown = { Ref: 'Cluster' }): object {
  const [before, after] = JSON.stringify([nodeClass([{ id: '<sg>' }])]).split('<sg>');
  return manifest({ 'Fn::Join': ['', [before, sg, after]] }, clusterName);
}

describe('NG4 over raw templates', () => {
  test('built-in node pools are NG4 on the cluster, in the pack and in the command-line checker; none is compliant', () => {
    expect(ng4(includeFindings(autoModeTemplate(['system'])))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('AWS::EKS::Cluster Cluster runs EKS Auto Mode nodes on the cluster security group: its built-in node pools system use the built-in NodeClass') }),
    ]);
    expect(cliRules(autoModeTemplate(['system', 'general-purpose']))).toEqual(['NG4']);
    expect(cliRules(autoModeTemplate([]))).toEqual([]);
    const absent = autoModeTemplate(undefined);
    delete absent.Resources.Cluster.Properties.ComputeConfig.NodePools;
    expect(cliRules(absent)).toEqual([]);
  });

  test('Auto Mode off, or node pools and Enabled given by parameters, are not findings', () => {
    const off = autoModeTemplate(['system']);
    off.Resources.Cluster.Properties.ComputeConfig.Enabled = false;
    expect(cliRules(off)).toEqual([]);
    const pools = autoModeTemplate({ Ref: 'Pools' });
    pools.Parameters = { Pools: { Type: 'CommaDelimitedList' } };
    expect(cliRules(pools)).toEqual([]);
    const enabled = autoModeTemplate(['system']);
    enabled.Parameters = { Auto: { Type: 'String' } };
    enabled.Resources.Cluster.Properties.ComputeConfig.Enabled = { Ref: 'Auto' };
    expect(cliRules(enabled)).toEqual([]);
  });

  test('node pools under a condition are reported with it', () => {
    const template = autoModeTemplate({ 'Fn::If': ['BuiltIn', ['general-purpose'], []] });
    template.Parameters = { Pools: { Type: 'String', AllowedValues: ['builtin', 'own'] } };
    template.Conditions = { BuiltIn: { 'Fn::Equals': [{ Ref: 'Pools' }, 'builtin'] } };
    expect(ng4(includeFindings(template))).toEqual([
      expect.objectContaining({ message: expect.stringContaining("its built-in node pools general-purpose (when Pools is 'builtin') use the built-in NodeClass") }),
    ]);
  });

  test('a NodeClass selecting the cluster security group is NG4 on the manifest; one selecting the node SG is compliant', () => {
    const template = autoModeTemplate([]);
    template.Resources.NodeClass = nodeClassManifest({ 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] });
    expect(ng4(includeFindings(template))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('Custom::AWSCDK-EKS-KubernetesResource NodeClass puts EKS Auto Mode nodes on the cluster security group: NodeClass private selects the cluster security group of Cluster;') }),
    ]);
    template.Resources.NodeClass = nodeClassManifest({ 'Fn::GetAtt': ['NodeSg', 'GroupId'] });
    expect(cliRules(template)).toEqual([]);
  });

  test('a NodeClass\'s security groups are node SGs of its cluster: a kubelet rule from a CIDR on one is KUB1', () => {
    const template = autoModeTemplate([]);
    template.Resources.Other = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'auto mode nodes', VpcId: 'vpc-1' } };
    template.Resources.OtherKubelet = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: 'Other' }, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, CidrIp: '10.0.0.0/8' } };
    expect(cliRules(template)).toEqual([]);
    template.Resources.NodeClass = nodeClassManifest({ Ref: 'Other' });
    // Other is a dedicated node SG now: the control plane cannot reach its nodes' API endpoint path either (API1).
    expect(cliRules(template)).toEqual(['API1', 'KUB1']);
  });

  test('the aws-eks custom resource cluster is read by Config.computeConfig', () => {
    const template = compliantTemplate();
    template.Resources.Cluster = {
      Type: 'Custom::AWSCDK-EKS-Cluster',
      Properties: {
        ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:provider',
        Config: {
          name: 'prod',
          roleArn: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] },
          resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'], endpointPrivateAccess: true, endpointPublicAccess: false },
          computeConfig: { enabled: true, nodePools: ['general-purpose'] },
        },
      },
    };
    expect(ng4(includeFindings(template))).toEqual([expect.objectContaining({ message: expect.stringContaining('Custom::AWSCDK-EKS-Cluster Cluster runs EKS Auto Mode nodes') })]);
  });

  test('a NodeClass on a cluster without Auto Mode, or of a cluster outside the app, is not NG4', () => {
    const standard = compliantTemplate();
    standard.Resources.NodeClass = nodeClassManifest({ 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] });
    expect(cliRules(standard)).toEqual([]);
    const outside = autoModeTemplate([]);
    outside.Resources.NodeClass = nodeClassManifest({ 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] }, 'another-cluster');
    expect(cliRules(outside)).toEqual([]);
  });
});
