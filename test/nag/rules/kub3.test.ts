import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../../../lib';
import { clusterFixture, restrictedNodes } from '../../util';
import { compliantTemplate, includeFindings, ingress, NODE_SG, packFindings, rulesOf } from '../util';

describe('KUB3 kubeletOpenToOtherSecurityGroup', () => {
  test('CDK: an additional kubelet source is a warning to acknowledge', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const monitoring = new ec2.SecurityGroup(f.stack, 'Monitoring', { vpc: f.vpc });
    new RestrictedKubeletAccess(f.stack, 'Kubelet', {
      cluster: f.cluster, nodeSecurityGroups: [nodes.securityGroup], additionalKubeletSources: [monitoring],
    });
    expect(packFindings(f.app).filter((x) => x.rule === 'KUB3')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('from security group Monitoring') }),
    ]);
  });

  test('CDK: the cluster SG as the only source is fine', () => {
    const f = clusterFixture();
    restrictedNodes(f);
    expect(rulesOf(packFindings(f.app))).not.toContain('KUB3');
  });

  test('raw template: an imported security group (cannot be resolved) is reported', () => {
    const template = compliantTemplate();
    template.Resources.Imported = ingress(NODE_SG, 'tcp', 10250, 10250, { SourceSecurityGroupId: { 'Fn::ImportValue': 'shared-sg' } });
    expect(includeFindings(template).filter((x) => x.rule === 'KUB3')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('import shared-sg') }),
    ]);
  });

  test('raw template: the compliant template is fine', () => {
    expect(rulesOf(includeFindings(compliantTemplate()))).not.toContain('KUB3');
  });
});
