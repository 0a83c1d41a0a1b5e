import * as eks from 'aws-cdk-lib/aws-eks';
import { clusterFixture } from '../../util';
import { compliantTemplate, includeFindings, packFindings, rulesOf } from '../util';

describe('API2 publicEndpointOpenToInternet', () => {
  test('CDK: the default public and private endpoint is a warning', () => {
    const f = clusterFixture({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE });
    expect(packFindings(f.app).filter((x) => x.rule === 'API2')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('from 0.0.0.0/0 (no publicAccessCidrs: the EKS default)') }),
    ]);
  });

  test('CDK: public access limited to CIDRs, or private only, is fine', () => {
    const f = clusterFixture({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24') });
    expect(rulesOf(packFindings(f.app))).not.toContain('API2');
    expect(rulesOf(packFindings(clusterFixture({ endpointAccess: eks.EndpointAccess.PRIVATE }).app))).not.toContain('API2');
  });

  test('raw template: ::/0 among the public CIDRs is a warning; an unresolved CIDR is not', () => {
    const template = compliantTemplate();
    const vpc = template.Resources.Cluster.Properties.ResourcesVpcConfig;
    vpc.EndpointPublicAccess = true;
    vpc.PublicAccessCidrs = ['203.0.113.0/24', '::/0'];
    expect(includeFindings(template).filter((x) => x.rule === 'API2')).toEqual([expect.objectContaining({ message: expect.stringContaining('from ::/0') })]);
    template.Parameters = { Cidr: { Type: 'String' } };
    vpc.PublicAccessCidrs = [{ Ref: 'Cidr' }];
    expect(rulesOf(includeFindings(template))).not.toContain('API2');
  });
});
