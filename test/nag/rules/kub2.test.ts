import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../../../lib';
import { clusterFixture, restrictedNodes } from '../../util';
import { CLUSTER_SG, compliantTemplate, includeFindings, ingress, NODE_SG, packFindings, rulesOf } from '../util';

describe('KUB2 kubeletReadOnlyPortOpen', () => {
  test('CDK: 10255 from another security group is an error', () => {
    const f = clusterFixture();
    const nodes = restrictedNodes(f);
    const monitoring = new ec2.SecurityGroup(f.stack, 'Monitoring', { vpc: f.vpc });
    nodes.connections.allowFrom(monitoring, ec2.Port.tcp(10255));
    expect(packFindings(f.app).filter((x) => x.rule === 'KUB2')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('TCP 10255 from security group Monitoring') }),
    ]);
  });

  test('CDK: the inter-node self rule and another node group\'s SG are fine', () => {
    const f = clusterFixture();
    const a = new HardenedNodeSecurityGroup(f.stack, 'A', { vpc: f.vpc, cluster: f.cluster });
    const b = new HardenedNodeSecurityGroup(f.stack, 'B', { vpc: f.vpc, cluster: f.cluster });
    new RestrictedKubeletAccess(f.stack, 'Kubelet', { cluster: f.cluster, nodeSecurityGroups: [a.securityGroup, b.securityGroup] });
    a.addNodegroup('Ng');
    b.addNodegroup('Ng');
    a.connections.allowFrom(b, ec2.Port.allTraffic());
    expect(rulesOf(packFindings(f.app))).not.toContain('KUB2');
  });

  test('raw template: all traffic from the cluster SG covers 10255 and is an error', () => {
    const template = compliantTemplate();
    template.Resources.All = ingress(NODE_SG, '-1', undefined, undefined, { SourceSecurityGroupId: CLUSTER_SG });
    expect(rulesOf(includeFindings(template))).toContain('KUB2');
  });

  test('raw template: 10255 from a CIDR is an error; the compliant template is not', () => {
    const template = compliantTemplate();
    template.Resources.ReadOnly = ingress(NODE_SG, 'tcp', 10255, 10255, { CidrIp: '10.1.0.0/16' });
    expect(rulesOf(includeFindings(template))).toContain('KUB2');
    expect(rulesOf(includeFindings(compliantTemplate()))).not.toContain('KUB2');
  });
});
