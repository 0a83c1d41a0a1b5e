import { HardenedNodeSecurityGroup } from '../../../lib';
import { clusterFixture, restrictedNodes } from '../../util';
import { compliantTemplate, includeFindings, ingress, NODE_SG, packFindings, rulesOf } from '../util';

describe('KUB4 kubeletUnreachableFromControlPlane', () => {
  test('CDK: a hardened node group without RestrictedKubeletAccess is an error', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    nodes.addNodegroup('Workers');
    expect(packFindings(f.app).filter((x) => x.rule === 'KUB4')).toEqual([
      expect.objectContaining({ severity: 'error', path: 'Test/Nodes/Workers/Resource' }),
    ]);
  });

  test('CDK: with RestrictedKubeletAccess it is fine', () => {
    const f = clusterFixture();
    const nodes = restrictedNodes(f);
    nodes.addNodegroup('Workers');
    expect(rulesOf(packFindings(f.app))).not.toContain('KUB4');
  });

  test('raw template: without the kubelet rule it is an error; a CIDR counts as a path', () => {
    const template = compliantTemplate();
    delete template.Resources.KubeletFromCluster;
    expect(rulesOf(includeFindings(template))).toContain('KUB4');
    template.Resources.Vpc = ingress(NODE_SG, 'tcp', 10250, 10250, { CidrIp: '10.0.0.0/16' });
    expect(rulesOf(includeFindings(template))).not.toContain('KUB4');
  });
});
