import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EksNetworkingChecks } from '../../lib';
import { check } from '../../lib/cli/checker';
import { clusterFixture, restrictedNodes } from '../util';

/** A cluster with restricted nodes, and in a second stack an ingress that opens the kubelet to a VPN range. */
function appWithOpenKubelet(): { app: App; open: ec2.CfnSecurityGroupIngress; vpnStack: Stack } {
  const f = clusterFixture();
  const nodes = restrictedNodes(f);
  nodes.addNodegroup('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
  const vpnStack = new Stack(f.app, 'Vpn');
  const open = new ec2.CfnSecurityGroupIngress(vpnStack, 'Kubelet', {
    groupId: nodes.securityGroup.securityGroupId, ipProtocol: 'tcp', fromPort: 10250, toPort: 10250, cidrIp: '10.8.0.0/16',
  });
  return { app: f.app, open, vpnStack };
}

describe('acknowledgements reach the command-line checker', () => {
  test('GIVEN no acknowledgement THEN the pack and the CLI both report KUB1', () => {
    const { app } = appWithOpenKubelet();
    const out = app.synth().directory;
    expect(new EksNetworkingChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual(['EksNetworking-KUB1']);
    expect(check([out]).findings.map((f) => `${f.ruleId} ${f.constructPath}`)).toEqual(['EksNetworking-KUB1 Vpn/Kubelet']);
  });

  test.each([
    ['the construct', (x: { open: ec2.CfnSecurityGroupIngress }) => x.open],
    ['a parent (its stack)', (x: { vpnStack: Stack }) => x.vpnStack],
  ])('GIVEN README\'s acknowledgement on %s THEN the CLI on cdk.out counts it as acknowledged, as the pack does', (_where, on) => {
    const built = appWithOpenKubelet();
    Validations.of(on(built as any)).acknowledge({ id: 'EksNetworking-KUB1', reason: 'The VPN range runs the node debugging tools.' });
    const out = built.app.synth().directory;
    expect(new EksNetworkingChecks().validateScope(built.app).violations).toEqual([]);
    const result = check([out]);
    expect(result.findings).toEqual([]);
    expect(result.acknowledged).toBe(1);
  });

  test('an acknowledgement of another rule, or on a sibling construct, does not hide the finding', () => {
    const built = appWithOpenKubelet();
    Validations.of(built.open).acknowledge({ id: 'EksNetworking-KUB3', reason: 'not this one' });
    new ec2.CfnSecurityGroupIngress(built.vpnStack, 'KubeletSibling', {
      groupId: built.open.groupId!, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.8.0.0/16',
    });
    Validations.of(built.vpnStack.node.findChild('KubeletSibling')).acknowledge({ id: 'EksNetworking-KUB1', reason: 'a sibling' });
    const result = check([built.app.synth().directory]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['EksNetworking-KUB1']);
    expect(result.acknowledged).toBe(0);
  });
});
