import { Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Boundaries } from '../../lib';
import { validateKubeletSources, validateWebhookPorts } from '../../lib/restricted-kubelet-access/validate';

describe('validateWebhookPorts', () => {
  test('accepts the defaults', () => {
    expect(validateWebhookPorts(Boundaries.DEFAULT_WEBHOOK_PORTS)).toEqual([]);
  });

  test('reports every bad port at once', () => {
    expect(validateWebhookPorts([10255, 0, 1.5, 10250])).toHaveLength(4);
  });

  test('skips a token port instead of parsing it', () => {
    expect(validateWebhookPorts([Lazy.number({ produce: () => 10255 })])).toEqual([]);
  });
});

describe('validateKubeletSources', () => {
  test('accepts security groups only', () => {
    const sg = ec2.SecurityGroup.fromSecurityGroupId(new Stack(), 'Sg', 'sg-12345678');
    expect(validateKubeletSources([sg])).toEqual([]);
    expect(validateKubeletSources([ec2.Peer.ipv6('2001:db8::/32')])).toEqual([
      expect.stringMatching(/^additionalKubeletSources: '2001:db8::\/32' is an IPv6 CIDR/),
    ]);
  });

  test('a peer of the wrong kind is named by its value', () => {
    expect(validateKubeletSources([ec2.Peer.ipv4('192.168.0.0/24'), ec2.Peer.prefixList('pl-1')])).toEqual([
      expect.stringContaining("'192.168.0.0/24' is an IPv4 CIDR"),
      expect.stringContaining("'pl-1' is a prefix list"),
    ]);
  });
});
