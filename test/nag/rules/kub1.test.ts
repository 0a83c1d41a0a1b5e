import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { clusterFixture, restrictedNodes } from '../../util';
import { compliantTemplate, includeFindings, ingress, NODE_SG, packFindings, rulesOf } from '../util';

describe('KUB1 kubeletOpenToAddressRange', () => {
  test('CDK: a CIDR allowed to 10250 on the node SG is an error', () => {
    const f = clusterFixture();
    const nodes = restrictedNodes(f);
    nodes.connections.allowFrom(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcpRange(10000, 11000));
    const findings = packFindings(f.app).filter((x) => x.rule === 'KUB1');
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', path: 'Test/Nodes/Resource/Resource', message: expect.stringContaining('TCP 10000-11000 from 10.0.0.0/8') })]);
  });

  test('CDK: the restricted kubelet access finds nothing', () => {
    const f = clusterFixture();
    restrictedNodes(f);
    expect(rulesOf(packFindings(f.app))).not.toContain('KUB1');
  });

  test.each([
    ['all traffic from ::/0', ingress(NODE_SG, '-1', undefined, undefined, { CidrIpv6: '::/0' })],
    ['a prefix list', ingress(NODE_SG, 6, 10250, 10250, { SourcePrefixListId: 'pl-123' })],
    ['a CIDR parameter (unknown value, still a CIDR)', ingress(NODE_SG, 'tcp', 0, 65535, { CidrIp: { Ref: 'Cidr' } })],
  ])('raw template: %s is an error', (_name, rule) => {
    const template = compliantTemplate();
    template.Parameters = { Cidr: { Type: 'String' } };
    template.Resources.Open = rule;
    expect(rulesOf(includeFindings(template))).toContain('KUB1');
  });

  test('raw template: a CIDR on another port is fine', () => {
    const template = compliantTemplate();
    template.Resources.Https = ingress(NODE_SG, 'tcp', 443, 443, { CidrIp: '10.0.0.0/8' });
    expect(rulesOf(includeFindings(template))).not.toContain('KUB1');
  });
});
