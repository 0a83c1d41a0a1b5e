import { Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Boundaries } from '../../lib';
import { validateKubeletAccessProps, validateKubeletSources, validateNodeSecurityGroup, validateWebhookPorts } from '../../lib/restricted-kubelet-access/validate';

describe('validateWebhookPorts', () => {
  test('accepts the defaults', () => {
    expect(validateWebhookPorts(Boundaries.DEFAULT_WEBHOOK_PORTS)).toEqual([]);
  });

  test('reports every bad port at once', () => {
    expect(validateWebhookPorts([10255, 0, 1.5, 10250])).toHaveLength(4);
  });

  test('reports a token port instead of skipping it: it cannot be checked, so it fails closed', () => {
    expect(validateWebhookPorts([Lazy.number({ produce: () => 9443 })])).toEqual([
      expect.stringMatching(/^webhookPorts: a token \(at index 0\); pass a literal port number/),
    ]);
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

describe('validateKubeletAccessProps', () => {
  test('a cluster without a cluster security group id, and the cluster security group as an extra source', () => {
    const stack = new Stack();
    const clusterSg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'ClusterSg', 'sg-0aaaaaaaaaaaaaaaa');
    expect(validateKubeletAccessProps({ clusterPath: 'Default/C', clusterSecurityGroupId: undefined, webhookPorts: [], additionalKubeletSources: [] }))
      .toEqual([expect.stringMatching(/^cluster: 'Default\/C' has no cluster security group id/)]);
    expect(validateKubeletAccessProps({ clusterPath: 'Default/C', clusterSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa', webhookPorts: [], additionalKubeletSources: [clusterSg] }))
      .toEqual([expect.stringMatching(/^additionalKubeletSources: the cluster security group is already the kubelet's source/)]);
  });
});

describe('validateNodeSecurityGroup', () => {
  test('a security group of another VPC is reported; one that cannot be compared is not', () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const other = new ec2.Vpc(stack, 'Other', { maxAzs: 1, natGateways: 0 });
    const input = { clusterSecurityGroupId: 'sg-0aaaaaaaaaaaaaaaa', clusterVpc: vpc, added: [] as string[] };
    expect(validateNodeSecurityGroup({ ...input, securityGroup: new ec2.SecurityGroup(stack, 'Same', { vpc }) })).toEqual([]);
    expect(validateNodeSecurityGroup({ ...input, securityGroup: new ec2.SecurityGroup(stack, 'Stray', { vpc: other }) }))
      .toEqual([expect.stringMatching(/^nodeSecurityGroups: 'Default\/Stray' is in VPC 'Default\/Other'/)]);
    expect(validateNodeSecurityGroup({ ...input, securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-0bbbbbbbbbbbbbbbb') })).toEqual([]);
  });
});
