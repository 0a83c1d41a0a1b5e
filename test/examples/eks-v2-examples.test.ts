import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleApp } from './example-app';
import { EksV2AutoModeStack } from '../../examples/eks-v2-auto-mode';
import { EksV2NodeGroupsStack } from '../../examples/eks-v2-node-groups';
import { EXAMPLE_ENV } from '../../examples/kubernetes-version';
import { packFindings } from '../nag/util';
import { coversTcpPort, ingressRules, jsonWithReferences, sgRef, v2ClusterLogicalId, v2ClusterSgRef } from '../util';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The violations of cdk-nag's AwsSolutions pack left unacknowledged, with where they are. */
function awsSolutionsViolations(app: ReturnType<typeof exampleApp>): string[] {
  return new AwsSolutionsChecks().validateScope(app).violations
    .map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`);
}

/** The kubelet boundary both stacks draw with HardenedNodeSecurityGroup and RestrictedKubeletAccess. */
function describeKubeletBoundary(template: () => Template): void {
  test('TCP 10250 on the node SG has the cluster SG as its only source', () => {
    const t = template();
    const rules = ingressRules(t).filter((r) => same(r.groupId, sgRef(t, 'Nodes')) && r.ipProtocol !== '-1' && coversTcpPort(r, 10250));
    expect(rules.map((r) => r.sourceSecurityGroupId)).toEqual([v2ClusterSgRef(t)]);
  });

  test('no CIDR or prefix list reaches 10250 anywhere', () => {
    expect(ingressRules(template()).filter((r) => coversTcpPort(r, 10250) && r.sourceSecurityGroupId === undefined)).toEqual([]);
  });

  test('the cluster SG lets the node SG in on 443 (private endpoint)', () => {
    const t = template();
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: v2ClusterSgRef(t), SourceSecurityGroupId: sgRef(t, 'Nodes'), IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
    });
  });

  test('the cluster endpoint is private, in the private subnets, with every control plane log type', () => {
    template().hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.34',
      ResourcesVpcConfig: Match.objectLike({
        EndpointPublicAccess: false,
        EndpointPrivateAccess: true,
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet2') }],
      }),
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({ Type: type })) } },
    });
  });
}

/** The logical ids of the resources RestrictedKubeletAccess creates. */
function kubeletRuleIds(template: Template): string[] {
  return [
    ...Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress')),
    ...Object.keys(template.findResources('AWS::EC2::SecurityGroupEgress')),
  ].filter((id) => id.startsWith('KubeletAccess')).sort();
}

describe('example: EksV2NodeGroupsStack (aws-eks-v2, Auto Mode off)', () => {
  const app = exampleApp();
  const stack = new EksV2NodeGroupsStack(app, 'EksV2NodeGroups', { env: EXAMPLE_ENV });
  // Synthesizes the app (aspects, tags among them, run then) before the template is read.
  const findings = packFindings(app);
  const template = Template.fromStack(stack);

  test('the EksNetworking pack and AwsSolutions find nothing unacknowledged; no construct warning', () => {
    expect(findings).toEqual([]);
    expect(awsSolutionsViolations(app)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  describeKubeletBoundary(() => template);

  test('Auto Mode is off', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: false } });
  });

  test('the launch template attaches the node SG only, with IMDSv2 required and hop limit 2', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        SecurityGroupIds: [sgRef(template, 'Nodes')],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
        NetworkInterfaces: Match.absent(),
      }),
    });
  });

  test('the one node group uses the hardened launch template, in the private subnets', () => {
    const lt = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ClusterName: { Ref: v2ClusterLogicalId(template) },
      LaunchTemplate: { Id: { Ref: lt }, Version: { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] } },
      Subnets: [{ Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet2') }],
    });
  });

  test('the node group is created after the kubelet and API rules', () => {
    const [nodegroup] = Object.values(template.findResources('AWS::EKS::Nodegroup')) as any[];
    expect(kubeletRuleIds(template).length).toBeGreaterThan(0);
    expect(nodegroup.DependsOn).toEqual(expect.arrayContaining(kubeletRuleIds(template)));
  });

  test('no kubectl provider: nothing in the stack applies a manifest', () => {
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('example: EksV2AutoModeStack (aws-eks-v2, Auto Mode on)', () => {
  const app = exampleApp();
  const stack = new EksV2AutoModeStack(app, 'EksV2AutoMode', { env: EXAMPLE_ENV });
  const findings = packFindings(app);
  const template = Template.fromStack(stack);
  const nodeSgId = (sgRef(template, 'Nodes') as any)['Fn::GetAtt'].join('.');
  const manifests = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')) as any[];
  const objects: any[] = manifests.flatMap((m) => jsonWithReferences(m.Properties.Manifest));
  const nodeClass = objects.find((o) => o.kind === 'NodeClass');
  const nodePool = objects.find((o) => o.kind === 'NodePool');

  test('the EksNetworking pack (NG4 included) and AwsSolutions find nothing unacknowledged; no construct warning', () => {
    expect(findings).toEqual([]);
    expect(awsSolutionsViolations(app)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  describeKubeletBoundary(() => template);

  test('Auto Mode is on with the built-in node pools off', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: true, NodePools: [] } });
  });

  test('no managed node group and one manifest: the NodeClass and the NodePool', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    expect(manifests).toHaveLength(1);
    expect(objects.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual(['eks.amazonaws.com/v1/NodeClass', 'karpenter.sh/v1/NodePool']);
  });

  test('the NodeClass selects only the node SG, by id: never the cluster SG', () => {
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([{ id: nodeSgId }]);
    expect(JSON.stringify(nodeClass)).not.toContain(v2ClusterLogicalId(template));
  });

  test('the NodeClass launches nodes in the private subnets, without public IP addresses, with the node role', () => {
    expect(nodeClass.spec.subnetSelectorTerms.map((t: any) => t.id)).toEqual([
      expect.stringMatching(/^VpcPrivateSubnet1Subnet[0-9A-F]{8}$/),
      expect.stringMatching(/^VpcPrivateSubnet2Subnet[0-9A-F]{8}$/),
    ]);
    expect(nodeClass.spec.advancedNetworking).toEqual({ associatePublicIPAddress: false });
    expect(nodeClass.spec.role).toEqual(expect.stringMatching(/^NodePoolNodeRole[0-9A-F]{8}$/));
  });

  test('the NodePool launches its nodes from that NodeClass', () => {
    expect(nodePool.spec.template.spec.nodeClassRef).toEqual({ group: 'eks.amazonaws.com', kind: 'NodeClass', name: nodeClass.metadata.name });
  });

  test('the node role has an EC2 access entry with AmazonEKSAutoNodePolicy', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: { Ref: v2ClusterLogicalId(template) },
      PrincipalArn: { 'Fn::GetAtt': [nodeClass.spec.role, 'Arn'] },
      Type: 'EC2',
      AccessPolicies: [{
        AccessScope: { Type: 'cluster' },
        PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy']] },
      }],
    });
  });

  test('the manifest is applied after the access entry and the kubelet and API rules', () => {
    const accessEntry = Object.keys(template.findResources('AWS::EKS::AccessEntry', { Properties: { Type: 'EC2' } }));
    expect(accessEntry).toHaveLength(1);
    expect(manifests[0].DependsOn).toEqual(expect.arrayContaining([...accessEntry, ...kubeletRuleIds(template)]));
  });
});
