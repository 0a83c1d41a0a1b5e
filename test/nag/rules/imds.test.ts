import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { clusterFixture, restrictedNodes } from '../../util';
import { compliantTemplate, includeFindings, packFindings, rulesOf } from '../util';

describe('IMDS1 imdsv2NotRequired and IMDS2 imdsHopLimitTooHigh', () => {
  test('CDK: a node launch template without IMDSv2 and with hop limit 3', () => {
    const f = clusterFixture();
    const sg = new ec2.SecurityGroup(f.stack, 'Sg', { vpc: f.vpc });
    const lt = new ec2.LaunchTemplate(f.stack, 'Lt', { securityGroup: sg, httpPutResponseHopLimit: 3 });
    f.cluster.addNodegroupCapacity('Ng', { launchTemplateSpec: { id: lt.launchTemplateId! } });
    const findings = packFindings(f.app).filter((x) => x.rule.startsWith('IMDS'));
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'IMDS1', severity: 'error', path: 'Test/Lt/Resource', message: expect.stringContaining('HttpTokens not set (IMDSv1 allowed)') }),
      expect.objectContaining({ rule: 'IMDS2', severity: 'warning', path: 'Test/Lt/Resource', message: expect.stringContaining('HttpPutResponseHopLimit 3') }),
    ]);
  });

  test('CDK: the hardened launch template passes both', () => {
    const f = clusterFixture();
    const nodes = restrictedNodes(f);
    nodes.addNodegroup('Workers');
    expect(rulesOf(packFindings(f.app)).filter((r) => r.startsWith('IMDS'))).toEqual([]);
  });

  test('raw template: optional tokens, a token value and a launch configuration of a cluster ASG', () => {
    const template = compliantTemplate();
    template.Resources.NodeLaunchTemplate.Properties.LaunchTemplateData.MetadataOptions = { HttpTokens: 'optional', HttpPutResponseHopLimit: 4 };
    expect(rulesOf(includeFindings(template))).toEqual(['IMDS1', 'IMDS2']);

    const asg = compliantTemplate();
    asg.Parameters = { Tokens: { Type: 'String' } };
    asg.Resources.Lc = { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: 'ami-1', InstanceType: 'm6i.large', SecurityGroups: [{ 'Fn::GetAtt': ['NodeSg', 'GroupId'] }], MetadataOptions: { HttpTokens: { Ref: 'Tokens' } } } };
    asg.Resources.Asg = {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: { MinSize: '1', MaxSize: '2', LaunchConfigurationName: { Ref: 'Lc' }, VPCZoneIdentifier: ['subnet-1'], Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned', PropagateAtLaunch: true }] },
    };
    expect(includeFindings(asg).filter((x) => x.rule === 'IMDS1')).toEqual([
      expect.objectContaining({ path: 'Included/Template/Lc', message: expect.stringContaining('HttpTokens unresolved (parameter Tokens)') }),
    ]);
  });
});
