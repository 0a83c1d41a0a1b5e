import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { includeFindings, packFindings } from '../util';

describe('NACL1 networkAclAllowsAllFromInternet', () => {
  function naclApp(cidr: ec2.AclCidr, traffic: ec2.AclTraffic): App {
    const app = new App();
    const stack = new Stack(app, 'Nacl');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const acl = new ec2.NetworkAcl(stack, 'Acl', { vpc });
    acl.addEntry('In', { ruleNumber: 100, cidr, traffic, direction: ec2.TrafficDirection.INGRESS, ruleAction: ec2.Action.ALLOW });
    return app;
  }

  test('CDK: all traffic in from anywhere is a warning', () => {
    expect(packFindings(naclApp(ec2.AclCidr.anyIpv4(), ec2.AclTraffic.allTraffic()))).toEqual([
      expect.objectContaining({ rule: 'NACL1', severity: 'warning', path: 'Nacl/Acl/In/Resource' }),
    ]);
  });

  test('CDK: HTTPS only from anywhere is fine', () => {
    expect(packFindings(naclApp(ec2.AclCidr.anyIpv4(), ec2.AclTraffic.tcpPort(443)))).toEqual([]);
  });

  test('raw template: IPv6 all traffic in is a warning; egress and deny are not', () => {
    const entry = (props: object) => ({ Type: 'AWS::EC2::NetworkAclEntry', Properties: { NetworkAclId: 'acl-1', RuleNumber: 100, Protocol: -1, RuleAction: 'allow', ...props } });
    expect(includeFindings({ Resources: { A: entry({ Ipv6CidrBlock: '::/0' }) } }).map((f) => f.rule)).toEqual(['NACL1']);
    expect(includeFindings({ Resources: { A: entry({ CidrBlock: '0.0.0.0/0', Egress: true }), B: entry({ CidrBlock: '0.0.0.0/0', RuleAction: 'deny' }) } })).toEqual([]);
  });
});
