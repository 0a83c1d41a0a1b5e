import * as eks from 'aws-cdk-lib/aws-eks';
import { clusterFixture } from '../../util';
import { compliantTemplate, includeFindings, packFindings, rulesOf } from '../util';

function addon(name: string, cluster: unknown = { Ref: 'Cluster' }): object {
  return { Type: 'AWS::EKS::Addon', Properties: { AddonName: name, ClusterName: cluster } };
}

describe('ADDON1 duplicateAddon', () => {
  test('CDK: two vpc-cni add-ons on one cluster are an error on each, naming the other', () => {
    const f = clusterFixture();
    new eks.Addon(f.stack, 'CniA', { cluster: f.cluster, addonName: 'vpc-cni' });
    new eks.Addon(f.stack, 'CniB', { cluster: f.cluster, addonName: 'vpc-cni' });
    new eks.Addon(f.stack, 'Dns', { cluster: f.cluster, addonName: 'coredns' });
    const findings = packFindings(f.app).filter((x) => x.rule === 'ADDON1');
    expect(findings.map((x) => x.path).sort()).toEqual(['Test/CniA/Resource', 'Test/CniB/Resource']);
    expect(findings[0]).toEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/is one of 2 vpc-cni add-ons of cluster Cluster\w* \(also CniB\w*\)/) }));
  });

  test('raw template: one add-on of each name per cluster is fine; the same name by Ref and by the cluster name is a duplicate', () => {
    const template = compliantTemplate();
    template.Resources.Cni = addon('vpc-cni');
    template.Resources.Proxy = addon('kube-proxy', 'prod');
    expect(rulesOf(includeFindings(template))).toEqual([]);
    template.Resources.Cni2 = addon('vpc-cni', 'prod');
    expect(rulesOf(includeFindings(template))).toEqual(['ADDON1', 'ADDON1']);
  });

  test('raw template: add-ons of a cluster outside the template are not compared (the rule does not apply)', () => {
    const template = compliantTemplate();
    template.Resources.Cni = addon('vpc-cni', { Ref: 'OtherCluster' });
    template.Resources.Cni2 = addon('vpc-cni', { Ref: 'OtherCluster' });
    template.Parameters = { OtherCluster: { Type: 'String' } };
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });
});
