import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { clusterFixture, restrictedNodes } from '../../util';
import { compliantTemplate, includeFindings, packFindings, rulesOf } from '../util';

describe('NG1 nodegroupOnClusterSecurityGroup', () => {
  test('CDK: a node group without a launch template is a warning', () => {
    const f = clusterFixture();
    f.cluster.addNodegroupCapacity('Plain', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    expect(packFindings(f.app).filter((x) => x.rule === 'NG1')).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'Test/Cluster/NodegroupPlain/Resource', message: expect.stringContaining('because it has no launch template') }),
    ]);
  });

  test('CDK: a node group on the hardened launch template is fine', () => {
    const f = clusterFixture();
    const nodes = restrictedNodes(f);
    nodes.addNodegroup('Workers');
    expect(rulesOf(packFindings(f.app))).not.toContain('NG1');
  });

  test('raw template: a launch template without security groups is a warning; one referenced by an unknown id is not applicable', () => {
    const template = compliantTemplate();
    delete template.Resources.NodeLaunchTemplate.Properties.LaunchTemplateData.SecurityGroupIds;
    expect(includeFindings(template).filter((x) => x.rule === 'NG1')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('its launch template NodeLaunchTemplate sets no security groups') }),
    ]);
    template.Resources.Nodes.Properties.LaunchTemplate = { Id: 'lt-0123456789abcdef0', Version: '1' };
    expect(rulesOf(includeFindings(template))).not.toContain('NG1');
  });

  test('raw template: a launch template referenced by name is resolved', () => {
    const template = compliantTemplate();
    template.Resources.NodeLaunchTemplate.Properties.LaunchTemplateName = 'nodes';
    template.Resources.Nodes.Properties.LaunchTemplate = { Name: 'nodes' };
    expect(includeFindings(template)).toEqual([]);
  });
});
