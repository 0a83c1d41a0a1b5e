import { CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { droppedRules, RuleDirection } from '../../lib/private/dropped-rules';
import { validateSecurityGroupDescription, validateSecurityGroupName } from '../../lib/private/security-group-names';
import { describeValue } from '../../lib/private/values';
import { describeVpcId, differentVpcs } from '../../lib/private/vpcs';

describe('describeValue', () => {
  test('a token of any kind reads "a token", never its raw text or encoded number', () => {
    const stack = new Stack();
    const param = new CfnParameter(stack, 'P');
    const number = new CfnParameter(stack, 'N', { type: 'Number' });
    for (const token of [
      Lazy.string({ produce: () => 'x' }),
      Lazy.number({ produce: () => 1 }),
      Lazy.list({ produce: () => ['x'] }),
      param.valueAsString,
      number.valueAsNumber,
      `prefix-${param.valueAsString}`,
    ]) {
      expect(describeValue(token)).toBe('a token');
    }
  });

  test('literal values read as they are, strings quoted', () => {
    expect(describeValue('web')).toBe("'web'");
    expect(describeValue(9443)).toBe('9443');
    expect(describeValue(undefined)).toBe('undefined');
  });
});

describe('validateSecurityGroupName and validateSecurityGroupDescription (EC2 CreateSecurityGroup limits)', () => {
  test('accept every character EC2 allows, up to 255 characters', () => {
    expect(validateSecurityGroupName('securityGroupName', 'a-Z 0._-:/()#,@[]+=&;{}!$*')).toEqual([]);
    expect(validateSecurityGroupName('securityGroupName', 'n'.repeat(255))).toEqual([]);
    expect(validateSecurityGroupDescription('description', 'd'.repeat(255))).toEqual([]);
    expect(validateSecurityGroupName('securityGroupName', undefined)).toEqual([]);
  });

  test('report every problem of one name at once', () => {
    expect(validateSecurityGroupName('securityGroupName', `sg-${'é'.repeat(300)}`)).toEqual([
      expect.stringMatching(/^securityGroupName: '.{40}\.\.\.' \(303 characters\) is too long; EC2 takes at most 255/),
      expect.stringMatching(/^securityGroupName: '.{40}\.\.\.' has characters EC2 rejects \('é'\)/),
      expect.stringMatching(/^securityGroupName: .* starts with 'sg-'/),
    ]);
  });

  test('a description may start with sg-; a name may not', () => {
    expect(validateSecurityGroupDescription('description', 'sg- for nodes')).toEqual([]);
    expect(validateSecurityGroupName('securityGroupName', 'sg-nodes')).toHaveLength(1);
  });

  test('skip a token instead of parsing it', () => {
    const token = Lazy.string({ produce: () => 'sg-?' });
    expect(validateSecurityGroupName('securityGroupName', token)).toEqual([]);
    expect(validateSecurityGroupDescription('description', token)).toEqual([]);
  });
});

describe('differentVpcs and describeVpcId', () => {
  const stack = new Stack();
  const a = new ec2.Vpc(stack, 'A', { maxAzs: 1, natGateways: 0 });
  const b = new ec2.Vpc(stack, 'B', { maxAzs: 1, natGateways: 0 });

  test('two VPCs this app creates, or two literal ids, are told apart', () => {
    expect(differentVpcs(a.vpcId, b.vpcId)).toBe(true);
    expect(differentVpcs(a.vpcId, a.vpcId)).toBe(false);
    expect(differentVpcs('vpc-1', 'vpc-2')).toBe(true);
    expect(differentVpcs('vpc-1', 'vpc-1')).toBe(false);
  });

  test('an imported token, or a literal next to a VPC this app creates, cannot be: not different', () => {
    expect(differentVpcs(Fn.importValue('vpc'), b.vpcId)).toBe(false);
    expect(differentVpcs('vpc-1', a.vpcId)).toBe(false);
  });

  test('a VPC reads as its literal id, the path of the Vpc, or "a token"', () => {
    expect(describeVpcId('vpc-1')).toBe("'vpc-1'");
    expect(describeVpcId(a.vpcId)).toBe("'Default/A'");
    expect(describeVpcId(Fn.importValue('vpc'))).toBe('a token');
  });
});

describe('droppedRules', () => {
  test('reports a rule that a security group imported with mutable: false dropped, and not one that was written', () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const source = new ec2.SecurityGroup(stack, 'Source', { vpc });
    const frozen = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Frozen', 'sg-1', { mutable: false });
    const open = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Open', 'sg-2');
    const port = ec2.Port.udp(53);
    for (const target of [frozen, open]) target.addIngressRule(source, port);
    const rule = { prop: 'nodes', direction: RuleDirection.INGRESS, peer: source, port, peerDescription: 'from the source' };
    expect(droppedRules(stack, [{ ...rule, group: frozen }, { ...rule, group: open }])).toEqual([
      "nodes: security group 'Default/Frozen' did not take the ingress rule for UDP 53 from the source (an imported security group with mutable: false drops rules); import it with mutable: true, or pass a security group this app can change [hardened-eks-networking:ruleDropped]",
    ]);
  });

  test('the same ports on another protocol do not count', () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const source = new ec2.SecurityGroup(stack, 'Source', { vpc });
    const target = new ec2.SecurityGroup(stack, 'Target', { vpc });
    target.addIngressRule(source, ec2.Port.tcp(53));
    expect(droppedRules(stack, [{ prop: 'nodes', direction: RuleDirection.INGRESS, group: target, peer: source, port: ec2.Port.udp(53), peerDescription: '' }]))
      .toHaveLength(1);
  });

  test('egress is not checked on a group that allows all outbound traffic (the rule is covered)', () => {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const all = new ec2.SecurityGroup(stack, 'All', { vpc });
    const peer = new ec2.SecurityGroup(stack, 'Peer', { vpc });
    all.addEgressRule(peer, ec2.Port.tcp(80));
    expect(droppedRules(stack, [{ prop: 'x', direction: RuleDirection.EGRESS, group: all, peer, port: ec2.Port.tcp(80), peerDescription: '' }])).toEqual([]);
  });
});
