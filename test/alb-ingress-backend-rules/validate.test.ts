import { Lazy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { validateAnnotations, validateBackendRulesProps, validateIngressIsNew, validatePorts } from '../../lib/alb-ingress-backend-rules/validate';

const NODEPORTS = { start: 30000, end: 32767, what: 'NodePort range' };
const VALID = {
  portsRequired: false,
  within: NODEPORTS,
  hasLoadBalancerSecurityGroup: false,
  hasVpc: true,
  targetSecurityGroupCount: 1,
  hasWatchTopic: false,
  watching: false,
};

describe('validateBackendRulesProps', () => {
  test('accepts the defaults (ports omitted) and literal ports', () => {
    expect(validateBackendRulesProps(VALID)).toEqual([]);
    expect(validateBackendRulesProps({ ...VALID, ports: [ec2.Port.tcp(30080)] })).toEqual([]);
  });

  test('an empty list is not the defaults', () => {
    expect(validateBackendRulesProps({ ...VALID, ports: [] })).toEqual([expect.stringMatching(/^ports: an empty list, which would open nothing/)]);
    expect(validateBackendRulesProps({ ...VALID, portsRequired: true, ports: [] })).toEqual([expect.stringMatching(/^ports: an empty list/)]);
    expect(validateBackendRulesProps({ ...VALID, portsRequired: true })).toEqual([expect.stringMatching(/^ports: none given, but ip targets/)]);
  });

  test('reports every problem at once', () => {
    const problems = validateBackendRulesProps({
      ...VALID, hasVpc: false, targetSecurityGroupCount: 0, hasWatchTopic: true, ports: [ec2.Port.udp(31000)],
    });
    expect(problems).toHaveLength(4);
  });
});

describe('validatePorts', () => {
  test('reports a token port or range end instead of skipping it: it cannot be checked, so it fails closed', () => {
    const token = Lazy.number({ produce: () => 30080 });
    expect(validatePorts([ec2.Port.tcp(30080), ec2.Port.tcp(token), ec2.Port.tcpRange(30000, token)], NODEPORTS)).toEqual([
      expect.stringMatching(/^ports: a token \(TCP, at index 1\); pass literal port numbers: .* inside the NodePort range \(30000-32767\) .* fails closed \[hardened-eks-networking:portUnresolved\]$/),
      expect.stringMatching(/^ports: a token \(TCP, at index 2\)/),
    ]);
    expect(validatePorts([ec2.Port.tcp(token)], undefined)).toEqual([
      expect.stringMatching(/must be checked to be TCP in 1-65535 before it is opened/),
    ]);
  });

  test('never prints a raw token', () => {
    const token = Lazy.number({ produce: () => 1 });
    for (const port of [ec2.Port.tcp(token), ec2.Port.udp(token)]) {
      expect(validatePorts([port], NODEPORTS).join('\n')).not.toMatch(/Token|\d{3}e\+|IndirectPort/);
    }
  });
});

describe('validateIngressIsNew', () => {
  const applied = [{ owner: 'Stack/Alb', id: 'Web', name: 'web', namespace: 'shop' }];

  test('the same name and namespace is reported, naming the first addIngress()', () => {
    expect(validateIngressIsNew('web', 'shop', applied)).toEqual([
      "name: 'web' in namespace 'shop' is already the Ingress of addIngress('Web') on Stack/Alb, and the second would overwrite the first in the cluster; give each Ingress its own name [hardened-eks-networking:ingressDuplicate]",
    ]);
    expect(validateIngressIsNew('web', 'admin', applied)).toEqual([]);
    expect(validateIngressIsNew('api', 'shop', applied)).toEqual([]);
  });

  test('a token name or namespace cannot be compared and is skipped', () => {
    expect(validateIngressIsNew(Lazy.string({ produce: () => 'web' }), 'shop', applied)).toEqual([]);
    expect(validateIngressIsNew('web', Lazy.string({ produce: () => 'shop' }), applied)).toEqual([]);
  });
});

describe('validateAnnotations', () => {
  test('a conflicting value is printed, a token one is described as a token', () => {
    const ours = { 'alb.ingress.kubernetes.io/security-groups': Lazy.string({ produce: () => 'sg-1' }), 'alb.ingress.kubernetes.io/target-type': 'ip' };
    expect(validateAnnotations({ 'alb.ingress.kubernetes.io/security-groups': 'sg-2', 'alb.ingress.kubernetes.io/target-type': 'instance' }, ours)).toEqual([
      expect.stringMatching(/^annotations: 'alb.ingress.kubernetes.io\/security-groups' is 'sg-2', but AlbIngressBackendRules sets this annotation itself \(to a token\)/),
      expect.stringMatching(/^annotations: 'alb.ingress.kubernetes.io\/target-type' is 'instance', but AlbIngressBackendRules sets this annotation itself \(to 'ip'\)/),
    ]);
  });
});
