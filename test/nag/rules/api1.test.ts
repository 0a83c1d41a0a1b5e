import * as eks from 'aws-cdk-lib/aws-eks';
import { HardenedNodeSecurityGroup } from '../../../lib';
import { clusterFixture, restrictedNodes } from '../../util';
import { compliantTemplate, includeFindings, packFindings, rulesOf } from '../util';

describe('API1 privateEndpointUnreachableFromNodes', () => {
  test('CDK: a private endpoint and hardened nodes without the 443 rule is an error', () => {
    const f = clusterFixture({ endpointAccess: eks.EndpointAccess.PRIVATE });
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    nodes.addNodegroup('Workers');
    expect(packFindings(f.app).filter((x) => x.rule === 'API1')).toEqual([
      expect.objectContaining({ severity: 'error', path: 'Test/Cluster/Resource/Resource/Default', message: expect.stringMatching(/node groups NodesWorkers\w+ cannot reach on TCP 443/) }),
    ]);
  });

  test('CDK: RestrictedKubeletAccess opens 443 and it is fine', () => {
    const f = clusterFixture({ endpointAccess: eks.EndpointAccess.PRIVATE });
    const nodes = restrictedNodes(f);
    nodes.addNodegroup('Workers');
    expect(rulesOf(packFindings(f.app))).not.toContain('API1');
  });

  test('raw template: without the 443 rule it is an error, and only with a private endpoint', () => {
    const template = compliantTemplate();
    delete template.Resources.ApiFromNodes;
    expect(rulesOf(includeFindings(template))).toContain('API1');
    template.Resources.Cluster.Properties.ResourcesVpcConfig.EndpointPrivateAccess = false;
    template.Resources.Cluster.Properties.ResourcesVpcConfig.EndpointPublicAccess = true;
    template.Resources.Cluster.Properties.ResourcesVpcConfig.PublicAccessCidrs = ['203.0.113.0/24'];
    expect(rulesOf(includeFindings(template))).not.toContain('API1');
  });
});
