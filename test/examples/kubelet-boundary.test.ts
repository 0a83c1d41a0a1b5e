import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleApp } from './example-app';
import { KubeletBoundaryStack } from '../../examples/kubelet-boundary';
import { EXAMPLE_ENV } from '../../examples/kubernetes-version';
import { clusterSgRef, coversTcpPort, ingressRules, sgRef } from '../util';

// Seed 004's checklist, asserted on the example app a user copies.
describe('example: KubeletBoundaryStack', () => {
  const app = exampleApp();
  const stack = new KubeletBoundaryStack(app, 'KubeletBoundary', { env: EXAMPLE_ENV });
  // Aspects (tags among them) run at synthesis: synthesize before reading the template.
  app.synth();
  const template = Template.fromStack(stack);
  const nodeSg = sgRef(template, 'Nodes');
  const clusterSg = clusterSgRef(template);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  test('TCP 10250 on the node SG has the cluster SG as its only source', () => {
    const rules = ingressRules(template).filter((r) => same(r.groupId, nodeSg) && r.ipProtocol !== '-1' && coversTcpPort(r, 10250));
    expect(rules.map((r) => r.sourceSecurityGroupId)).toEqual([clusterSg]);
  });

  test('no 0.0.0.0/0, ::/0 or other CIDR, and no prefix list, reaches 10250 anywhere', () => {
    expect(ingressRules(template).filter((r) => coversTcpPort(r, 10250) && r.sourceSecurityGroupId === undefined)).toEqual([]);
  });

  test('nothing opens 10255 but the nodes themselves (the inter-node self rule)', () => {
    expect(ingressRules(template).filter((r) => coversTcpPort(r, 10255) && !same(r.sourceSecurityGroupId, nodeSg))).toEqual([]);
  });

  test('the launch template attaches the node SG only, with IMDSv2 required and hop limit 2', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        SecurityGroupIds: [nodeSg],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
        NetworkInterfaces: Match.absent(),
      }),
    });
  });

  test('the cluster SG lets the node SG in on 443 (private endpoint)', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: clusterSg, SourceSecurityGroupId: nodeSg, IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
    });
  });

  test('the cluster SG egress to the node SG on 10250 is in the template', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: clusterSg, DestinationSecurityGroupId: nodeSg, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250,
    });
  });

  test('the node group uses the launch template and no other node group exists', () => {
    const lt = Object.keys(template.findResources('AWS::EC2::LaunchTemplate'))[0];
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      LaunchTemplate: { Id: { Ref: lt }, Version: { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] } },
    });
  });

  test('the node SG id is a stack output', () => {
    expect(Object.values(template.findOutputs('*')).map((o: any) => o.Value)).toContainEqual(nodeSg);
  });

  test('the cluster endpoint is private', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-Cluster', {
      Config: { resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true } },
    });
  });

  test('cdk-nag AwsSolutions finds nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`)).toEqual([]);
  });
});
