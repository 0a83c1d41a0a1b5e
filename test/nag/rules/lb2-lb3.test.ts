import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HardenedNodeSecurityGroup } from '../../../lib';
import { clusterFixture } from '../../util';
import { compliantTemplate, includeFindings, ingress, manifest, NODE_SG, packFindings, rulesOf } from '../util';

function ingressObject(annotations: Record<string, string>, extra: object = {}): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop', annotations },
    spec: { ingressClassName: 'alb', rules: [], ...extra },
  };
}

describe('LB2 controllerManagesNodeRules and LB3 nodePortsUnreachableFromLoadBalancer', () => {
  test('CDK: an instance-target Ingress without its own SGs is LB2', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Web', ingressObject({ 'alb.ingress.kubernetes.io/target-type': 'instance' }));
    expect(packFindings(f.app).filter((x) => x.rule.startsWith('LB'))).toEqual([
      expect.objectContaining({ rule: 'LB2', severity: 'warning', message: expect.stringContaining('Ingress shop/web with instance targets') }),
    ]);
  });

  test('CDK: the flag alone does nothing without own SGs (fact 1): still LB2', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Web', ingressObject({ 'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false' }));
    expect(rulesOf(packFindings(f.app))).toContain('LB2');
  });

  test('CDK: own SG and the flag, with the NodePort rule from that SG: nothing', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const alb = new ec2.SecurityGroup(f.stack, 'Alb', { vpc: f.vpc });
    nodes.connections.allowFrom(alb, ec2.Port.tcpRange(30000, 32767));
    f.cluster.addManifest('Web', ingressObject({
      'alb.ingress.kubernetes.io/security-groups': alb.securityGroupId,
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
    }));
    expect(rulesOf(packFindings(f.app)).filter((r) => r.startsWith('LB'))).toEqual([]);
  });

  test('CDK: own SG (a token in an Fn::Join manifest) but no NodePort rule from it is LB3', () => {
    const f = clusterFixture();
    new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const alb = new ec2.SecurityGroup(f.stack, 'Alb', { vpc: f.vpc });
    f.cluster.addManifest('Web', ingressObject({
      'alb.ingress.kubernetes.io/security-groups': `${alb.securityGroupId},sg-0123456789abcdef0`,
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
    }));
    expect(packFindings(f.app).filter((x) => x.rule.startsWith('LB'))).toEqual([
      expect.objectContaining({ rule: 'LB3', severity: 'error', message: expect.stringContaining('no node security group lets them reach the NodePorts') }),
    ]);
  });

  test('raw template: ip targets and Ingresses of other classes are not checked', () => {
    const template = compliantTemplate();
    template.Resources.Ip = manifest([ingressObject({ 'alb.ingress.kubernetes.io/target-type': 'ip' })]);
    template.Resources.Nginx = manifest([{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'n' }, spec: { ingressClassName: 'nginx' } }]);
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });

  test('raw template: a literal LB SG with a NodePort rule from it passes; backend management on is LB2', () => {
    const template = compliantTemplate();
    template.Resources.LbRule = ingress(NODE_SG, 'tcp', 30000, 32767, { SourceSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa' });
    template.Resources.Web = manifest([ingressObject({ 'alb.ingress.kubernetes.io/security-groups': 'sg-0aaaaaaaaaaaaaaaa' })]);
    expect(rulesOf(includeFindings(template))).toEqual([]);
    template.Resources.Web = manifest([ingressObject({
      'alb.ingress.kubernetes.io/security-groups': 'sg-0aaaaaaaaaaaaaaaa',
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
    })]);
    expect(rulesOf(includeFindings(template))).toEqual(['LB2']);
  });
});
