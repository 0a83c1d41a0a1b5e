import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HardenedNodeSecurityGroup } from '../../../lib';
import { clusterFixture } from '../../util';
import { compliantTemplate, includeFindings, ingress, NODE_SG, packFindings, rulesOf } from '../util';

describe('LB1 nodePortsOpenToInternet', () => {
  test('CDK: NodePorts open to any IPv4 on the node SG is an error', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    nodes.connections.allowFrom(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(30000, 32767));
    expect(packFindings(f.app).filter((x) => x.rule === 'LB1')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('TCP 30000-32767 from 0.0.0.0/0') }),
    ]);
  });

  test('CDK: NodePorts from a load balancer SG is fine', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
    const alb = new ec2.SecurityGroup(f.stack, 'Alb', { vpc: f.vpc });
    nodes.connections.allowFrom(alb, ec2.Port.tcpRange(30000, 32767));
    expect(rulesOf(packFindings(f.app))).not.toContain('LB1');
  });

  test('raw template: one NodePort from ::/0 is an error; from a private CIDR it is not', () => {
    const template = compliantTemplate();
    template.Resources.One = ingress(NODE_SG, 'tcp', 31000, 31000, { CidrIpv6: '::/0' });
    expect(rulesOf(includeFindings(template))).toContain('LB1');
    template.Resources.One = ingress(NODE_SG, 'tcp', 31000, 31000, { CidrIp: '10.0.0.0/8' });
    expect(rulesOf(includeFindings(template))).not.toContain('LB1');
  });
});
