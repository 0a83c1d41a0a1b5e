import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { EksNetworkingChecks, RestrictedKubeletAccess } from 'hardened-eks-networking';
import { HardenedEksNetworkingError } from 'hardened-eks-networking/lib/errors';
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

  test('a CIDR as a kubelet source fails with the library error and its stable code', () => {
    const other = new App();
    const errorStack = new PlatformStack(other, 'Other');
    const cluster = errorStack.node.findChild('Cluster') as eks.Cluster;
    let caught: unknown;
    try {
      new RestrictedKubeletAccess(errorStack, 'OpenKubelet', { cluster, additionalKubeletSources: [ec2.Peer.ipv4('10.0.0.0/16')] });
    } catch (e) {
      caught = e;
    }
    expect(HardenedEksNetworkingError.isHardenedEksNetworkingError(caught)).toBe(true);
    expect(caught).toBeInstanceOf(HardenedEksNetworkingError);
    expect((caught as HardenedEksNetworkingError).constructPath).toBe('Other/OpenKubelet');
    expect((caught as HardenedEksNetworkingError).codes).toEqual(['kubeletSourceNotSecurityGroup']);
  });
});
