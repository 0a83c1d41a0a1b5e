import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EksNetworkingChecks } from 'hardened-eks-networking';
import { PlatformStack } from '../lib/platform-stack';

describe('PlatformStack', () => {
  const app = new App();
  const stack = new PlatformStack(app, 'Platform');
  // Synthesize first: Aspects add tags the checks read.
  app.synth();
  const template = Template.fromStack(stack);

  test('the kubelet port of the nodes is open to the cluster security group only', () => {
    const nodeSg = stack.resolve(stack.nodes.securityGroup.securityGroupId);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: nodeSg, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterSecurityGroupId'] },
    });
  });

  test('the nodes require IMDSv2', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ MetadataOptions: Match.objectLike({ HttpTokens: 'required' }) }),
    });
  });

  test('the EKS network boundary checks find nothing', () => {
    expect(new EksNetworkingChecks().validateScope(app).violations).toEqual([]);
  });
});
