import { Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { LabelSelectorOperator } from '../../lib';
import { emptySelectorWarnings, validatePodsSecurityGroupProps, validatePolicy } from '../../lib/pod-security-group-policy/validate';

describe('emptySelectorWarnings', () => {
  test('an empty selector warns; one with a label or an expression does not', () => {
    expect(emptySelectorWarnings({ namespace: 'payments', podSelector: {} })).toEqual([
      expect.stringMatching(/^podSelector: empty \(no matchLabels, no matchExpressions\), so it selects every pod in namespace 'payments'/),
    ]);
    expect(emptySelectorWarnings({ namespace: 'payments', podSelector: { matchLabels: { app: 'x' } } })).toEqual([]);
    expect(emptySelectorWarnings({ namespace: 'payments', serviceAccountSelector: { matchExpressions: [{ key: 'a', operator: LabelSelectorOperator.EXISTS }] } })).toEqual([]);
  });

  test('a token namespace is described as a token', () => {
    expect(emptySelectorWarnings({ namespace: Lazy.string({ produce: () => 'ns' }), serviceAccountSelector: {} })).toEqual([
      expect.stringMatching(/^serviceAccountSelector: empty .* every pod in namespace a token \(through every service account\)/),
    ]);
  });
});

describe('validatePolicy', () => {
  test('token label keys are skipped, and described as tokens where a message names them', () => {
    const key = Lazy.string({ produce: () => 'app' });
    const sg = ec2.SecurityGroup.fromSecurityGroupId(new Stack(), 'Sg', 'sg-1');
    expect(validatePolicy({ namespace: 'payments', name: 'p', podSelector: { matchExpressions: [{ key, operator: LabelSelectorOperator.EXISTS, values: ['x'] }] }, securityGroups: [sg] }))
      .toEqual(['podSelector.matchExpressions: a token Exists takes no values; remove them [hardened-eks-networking:selectorValuesUnexpected]']);
  });
});

describe('validatePodsSecurityGroupProps', () => {
  test('a description EC2 rejects is reported; the default and a token are not', () => {
    expect(validatePodsSecurityGroupProps({})).toEqual([]);
    expect(validatePodsSecurityGroupProps({ description: Lazy.string({ produce: () => '<' }) })).toEqual([]);
    // A control character is escaped, so the message stays on one line.
    expect(validatePodsSecurityGroupProps({ description: 'pods\n' })).toEqual([
      "description: 'pods\\u000a' has characters EC2 rejects ('\\u000a'); use a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* [hardened-eks-networking:securityGroupDescriptionInvalid]",
    ]);
  });
});
