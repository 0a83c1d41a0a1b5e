import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { clusterFixture, ClusterFixture } from '../../util';
import { CLUSTER_SG, cliRules, compliantTemplate, includeFindings, manifestWithRefs, packFindings, rulesOf, securityGroupPolicy } from '../util';

const POD_SELECTOR = { podSelector: { matchLabels: { app: 'api' } } };

/** A cluster fixture whose role may manage branch interfaces (no PSG3), with two pods security groups. */
function fixture(): ClusterFixture & { a: ec2.SecurityGroup; b: ec2.SecurityGroup } {
  const f = clusterFixture();
  f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
  const a = new ec2.SecurityGroup(f.stack, 'PodsA', { vpc: f.vpc });
  const b = new ec2.SecurityGroup(f.stack, 'PodsB', { vpc: f.vpc });
  return { ...f, a, b };
}

function policyOf(groupIds: unknown[]): object {
  return securityGroupPolicy({ ...POD_SELECTOR, securityGroups: { groupIds } });
}

/** The compliant template with two pods SGs (PodsA tagged for the cluster when asked) and a policy of the given groups. */
function template(groupIds: string[], tagA = false): any {
  const t = compliantTemplate();
  t.Resources.PodsA = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'pods a', VpcId: 'vpc-1', ...(tagA ? { Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'shared' }] } : {}) } };
  t.Resources.PodsB = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'pods b', VpcId: 'vpc-1' } };
  const refs: Record<string, unknown> = { A: { 'Fn::GetAtt': ['PodsA', 'GroupId'] }, B: { Ref: 'PodsB' }, ClusterSg: CLUSTER_SG };
  const written = groupIds.map((g) => (g in refs ? `@@${Object.keys(refs).indexOf(g)}` : g));
  t.Resources.Policy = manifestWithRefs([policyOf(written)], Object.values(refs));
  return t;
}

describe('PSG9 podSecurityGroupsNotOneTagged', () => {
  test('CDK: two pods security groups, neither tagged for the cluster, is a warning on the policy\'s manifest', () => {
    const f = fixture();
    f.cluster.addManifest('Policy', policyOf([f.a.securityGroupId, f.b.securityGroupId]));
    expect(packFindings(f.app)).toEqual([{
      rule: 'PSG9',
      severity: 'warning',
      path: 'Test/Cluster/manifest-Policy/Resource/Default',
      message: expect.stringMatching(/^Custom::AWSCDK-EKS-KubernetesResource \w+ gives pods several security groups without exactly one tagged for their cluster: SecurityGroupPolicy payments\/db-access gives pods 2 security groups, none of them tagged kubernetes\.io\/cluster\/\.\.\.; tag exactly one of them kubernetes\.io\/cluster\/<cluster name> \(shared or owned\) .*\.$/),
    }]);
  });

  test('CDK: the cluster security group (EKS tags it) next to an untagged group is fine; next to a group tagged for the cluster it is two', () => {
    const f = fixture();
    f.cluster.addManifest('Policy', policyOf([f.cluster.clusterSecurityGroupId, f.a.securityGroupId]));
    expect(packFindings(f.app)).toEqual([]);

    const g = fixture();
    Tags.of(g.a).add(`kubernetes.io/cluster/${g.cluster.clusterName}`, 'owned');
    g.cluster.addManifest('Policy', policyOf([g.cluster.clusterSecurityGroupId, g.a.securityGroupId]));
    expect(packFindings(g.app)).toEqual([expect.objectContaining({
      rule: 'PSG9',
      message: expect.stringContaining('gives pods 2 security groups, 2 of them tagged kubernetes.io/cluster/... (the cluster security group of Cluster9EE0221C, PodsA'),
    })]);
  });

  test('CDK: exactly one group tagged for the cluster is fine; one security group alone is fine', () => {
    const f = fixture();
    Tags.of(f.a).add(`kubernetes.io/cluster/${f.cluster.clusterName}`, 'shared');
    f.cluster.addManifest('Policy', policyOf([f.a.securityGroupId, f.b.securityGroupId]));
    f.cluster.addManifest('Single', securityGroupPolicy({ ...POD_SELECTOR, securityGroups: { groupIds: [f.b.securityGroupId] } }, 'payments', 'single'));
    expect(packFindings(f.app)).toEqual([]);
  });

  test('raw template: none tagged is PSG9, one tagged (any value) is fine, the cluster SG and a tagged group are PSG9', () => {
    expect(rulesOf(includeFindings(template(['A', 'B'])))).toEqual(['PSG9']);
    expect(rulesOf(includeFindings(template(['A', 'B'], true)))).toEqual([]);
    expect(rulesOf(includeFindings(template(['ClusterSg', 'B'])))).toEqual([]);
    expect(rulesOf(includeFindings(template(['ClusterSg', 'A'], true)))).toEqual(['PSG9']);
    expect(cliRules(template(['ClusterSg', 'A'], true))).toEqual(['PSG9']);
  });

  test('raw template: a group that cannot be resolved (a literal id) is unknown: reported only when two others are tagged', () => {
    expect(rulesOf(includeFindings(template(['A', 'sg-0aaaaaaaaaaaaaaaa'])))).toEqual([]);
    expect(rulesOf(includeFindings(template(['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'])))).toEqual([]);
    expect(rulesOf(includeFindings(template(['A', 'ClusterSg', 'sg-0aaaaaaaaaaaaaaaa'], true)))).toEqual(['PSG9']);
    // The same group twice is one group.
    expect(rulesOf(includeFindings(template(['B', 'B'])))).toEqual([]);
  });

  test('raw template: a tag for another cluster does not count; a tag in some branches only is unknown', () => {
    const other = template(['A', 'B'], true);
    other.Resources.PodsA.Properties.Tags = [{ Key: 'kubernetes.io/cluster/other', Value: 'owned' }];
    expect(cliRules(other)).toEqual(['PSG9']);

    const branch = template(['A', 'B']);
    branch.Parameters = { Tag: { Type: 'String', AllowedValues: ['yes', 'no'] } };
    branch.Conditions = { Tagged: { 'Fn::Equals': [{ Ref: 'Tag' }, 'yes'] } };
    branch.Resources.PodsA.Properties.Tags = { 'Fn::If': ['Tagged', [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned' }], { Ref: 'AWS::NoValue' }] };
    expect(cliRules(branch)).toEqual([]);
  });
});
