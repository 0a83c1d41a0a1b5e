import { CfnParameter } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { PodSecurityGroupEnforcingMode, SecurityGroupsForPods } from '../../../lib';
import { clusterFixture } from '../../util';
import { cliRules, compliantTemplate, includeFindings, manifest, packFindings, rulesOf } from '../util';

const DENY_ALL = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'payments' }, spec: { podSelector: {} } };
const NODE_LOCAL_DNS = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-local-dns', namespace: 'kube-system' }, spec: {} };

function service(externalTrafficPolicy: string): object {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', externalTrafficPolicy, ports: [{ port: 80 }] } };
}

/** A vpc-cni add-on with pod ENIs on and early demux off, in the given mode (unset: strict by default). */
function cni(mode?: unknown): object {
  const reference = typeof mode === 'object';
  const env = { ENABLE_POD_ENI: 'true', ...(mode === undefined ? {} : { POD_SECURITY_GROUP_ENFORCING_MODE: reference ? '@@' : mode }) };
  const document = JSON.stringify({ env, init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } } });
  // A reference inside the JSON string, as CDK writes tokens: { "Fn::Join": ["", [before, ref, after]] }.
  const [before, after] = document.split('@@');
  const values = reference ? { 'Fn::Join': ['', [before, mode, after]] } : document;
  return { Type: 'AWS::EKS::Addon', Properties: { AddonName: 'vpc-cni', ClusterName: { Ref: 'Cluster' }, ConfigurationValues: values } };
}

function psg7(findings: ReturnType<typeof packFindings>) {
  return findings.filter((x) => x.rule === 'PSG7');
}

describe('PSG7 strictModeNeedsStandard', () => {
  test('CDK: SecurityGroupsForPods in strict mode (default) next to a NodeLocal DNSCache is a warning on the add-on naming it and the fix', () => {
    // GIVEN
    const f = clusterFixture();
    f.cluster.addManifest('NodeLocalDns', NODE_LOCAL_DNS);
    // WHEN
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    // THEN
    expect(psg7(packFindings(f.app))).toEqual([{
      rule: 'PSG7',
      severity: 'warning',
      path: 'Test/PodSgs/VpcCni',
      message: expect.stringMatching(/^AWS::EKS::Addon PodSgsVpcCni\w+ runs pods security groups in strict mode while the manifests of cluster Cluster\w+ hold NodeLocal DNSCache \(DaemonSet kube-system\/node-local-dns\), which need standard mode; set POD_SECURITY_GROUP_ENFORCING_MODE "standard" \(SecurityGroupsForPods: enforcingMode PodSecurityGroupEnforcingMode.STANDARD\)\.$/),
    }]);
  });

  test('CDK: standard mode, or strict mode with none of these objects, is compliant', () => {
    const f = clusterFixture();
    f.cluster.addManifest('NodeLocalDns', NODE_LOCAL_DNS);
    f.cluster.addManifest('Deny', DENY_ALL);
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster, enforcingMode: PodSecurityGroupEnforcingMode.STANDARD });
    expect(rulesOf(packFindings(f.app))).toEqual([]);

    const g = clusterFixture();
    g.cluster.addManifest('Web', service('Cluster'));
    new SecurityGroupsForPods(g.stack, 'PodSgs', { cluster: g.cluster });
    expect(rulesOf(packFindings(g.app))).toEqual([]);
  });

  test('CDK: an eks.Addon whose enforcing mode is a parameter is reported: the mode could not be read', () => {
    const f = clusterFixture();
    const mode = new CfnParameter(f.stack, 'EnforcingMode');
    new eks.Addon(f.stack, 'VpcCni', {
      cluster: f.cluster,
      addonName: 'vpc-cni',
      configurationValues: { env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: mode.valueAsString } },
    });
    f.cluster.addManifest('Deny', DENY_ALL);
    expect(psg7(packFindings(f.app))).toEqual([expect.objectContaining({
      path: 'Test/VpcCni/Resource',
      message: expect.stringContaining('runs pods security groups with a POD_SECURITY_GROUP_ENFORCING_MODE that could not be read (strict unless it is "standard") while the manifests of cluster Cluster'),
    })]);
  });

  test('raw template: explicit strict mode next to a NetworkPolicy and externalTrafficPolicy: Local names both; the CLI agrees', () => {
    const template = compliantTemplate();
    template.Resources.Cni = cni('strict');
    template.Resources.Objects = manifest([DENY_ALL, service('Local')]);
    expect(includeFindings(template)).toEqual([expect.objectContaining({
      rule: 'PSG7',
      message: 'AWS::EKS::Addon Cni runs pods security groups in strict mode while the manifests of cluster Cluster hold NetworkPolicy payments/deny-all, Service shop/web with externalTrafficPolicy: Local, which need standard mode; set POD_SECURITY_GROUP_ENFORCING_MODE "standard" (SecurityGroupsForPods: enforcingMode PodSecurityGroupEnforcingMode.STANDARD).',
    })]);
    expect(cliRules(template)).toEqual(['PSG7']);
  });

  test('raw template: standard mode, pods security groups off, or externalTrafficPolicy: Cluster are compliant', () => {
    const template = compliantTemplate();
    template.Resources.Objects = manifest([DENY_ALL, NODE_LOCAL_DNS]);
    template.Resources.Cni = cni('standard');
    expect(rulesOf(includeFindings(template))).toEqual([]);
    // Pod ENIs off and no SecurityGroupPolicy: pods security groups are not on.
    template.Resources.Cni = { Type: 'AWS::EKS::Addon', Properties: { AddonName: 'vpc-cni', ClusterName: { Ref: 'Cluster' }, ConfigurationValues: '{"env":{"WARM_IP_TARGET":"2"}}' } };
    expect(rulesOf(includeFindings(template))).toEqual([]);
    template.Resources.Cni = cni();
    template.Resources.Objects = manifest([service('Cluster')]);
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });

  test('raw template: a NetworkPolicy of another cluster of the app does not count; one of a cluster outside the app counts for every cluster', () => {
    const template = compliantTemplate();
    template.Resources.Cni = cni();
    template.Resources.Other = { Type: 'AWS::EKS::Cluster', Properties: { Name: 'other', RoleArn: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] }, ResourcesVpcConfig: { SubnetIds: ['subnet-1'], EndpointPrivateAccess: true, EndpointPublicAccess: false } } };
    template.Resources.Objects = manifest([DENY_ALL], { Ref: 'Other' });
    expect(psg7(includeFindings(template))).toEqual([]);
    template.Resources.Objects = manifest([DENY_ALL], 'external');
    expect(psg7(includeFindings(template))).toEqual([expect.objectContaining({ message: expect.stringContaining('hold NetworkPolicy payments/deny-all') })]);
  });

  test('raw template: an enforcing mode and an object name given by parameters are reported, not crashed on', () => {
    const template = compliantTemplate();
    template.Parameters = { Mode: { Type: 'String' }, PolicyName: { Type: 'String' } };
    template.Resources.Cni = cni({ Ref: 'Mode' });
    const [before, after] = JSON.stringify([{ ...DENY_ALL, metadata: { name: '@@', namespace: 'payments' } }]).split('@@');
    template.Resources.Objects = manifest({ 'Fn::Join': ['', [before, { Ref: 'PolicyName' }, after]] });
    expect(includeFindings(template)).toEqual([expect.objectContaining({
      rule: 'PSG7',
      message: expect.stringMatching(/with a POD_SECURITY_GROUP_ENFORCING_MODE that could not be read \(strict unless it is "standard"\) while the manifests of cluster Cluster hold NetworkPolicy payments\/<unresolved name>, which need standard mode/),
    })]);
  });
});
