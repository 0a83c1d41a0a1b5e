import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { clusterFixture } from '../../util';
import { CLUSTER_SG, compliantTemplate, includeFindings, NODE_SG, packFindings, rulesOf } from '../util';

describe('NG2 launchTemplateAddsClusterSecurityGroup', () => {
  test('CDK: a node launch template with the cluster SG next to its own is a warning', () => {
    const f = clusterFixture();
    const own = new ec2.SecurityGroup(f.stack, 'Own', { vpc: f.vpc });
    const lt = new ec2.LaunchTemplate(f.stack, 'Lt', { securityGroup: own, httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED });
    lt.addSecurityGroup(f.cluster.clusterSecurityGroup);
    f.cluster.addNodegroupCapacity('Ng', { launchTemplateSpec: { id: lt.launchTemplateId! } });
    expect(packFindings(f.app).filter((x) => x.rule === 'NG2')).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'Test/Lt/Resource' }),
    ]);
  });

  test('raw template: the cluster SG on a network interface next to the node SG is a warning', () => {
    const template = compliantTemplate();
    const data = template.Resources.NodeLaunchTemplate.Properties.LaunchTemplateData;
    delete data.SecurityGroupIds;
    data.NetworkInterfaces = [{ DeviceIndex: 0, Groups: [NODE_SG, CLUSTER_SG] }];
    expect(rulesOf(includeFindings(template))).toContain('NG2');
  });

  test('raw template: a launch template no node group uses is not checked; the compliant one passes', () => {
    const template = compliantTemplate();
    template.Resources.Spare = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { SecurityGroupIds: [NODE_SG, CLUSTER_SG] } } };
    expect(rulesOf(includeFindings(template))).not.toContain('NG2');
  });
});
