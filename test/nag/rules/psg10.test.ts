import { CfnParameter } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { clusterFixture, ClusterFixture } from '../../util';
import { cliRules, compliantTemplate, includeFindings, manifest, manifestWithRefs, packFindings, securityGroupPolicy, TestFinding } from '../util';

const ONE_SG = { securityGroups: { groupIds: ['sg-0aaaaaaaaaaaaaaaa'] } };
const POD_SELECTOR = { podSelector: { matchLabels: { app: 'api' } } };

/** A workload of a kind, its pod template (or the Pod itself) with these labels and spec. */
function workload(kind: string, labels: object, spec: object, namespace = 'payments'): any {
  const pod = { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'api:1' }], ...spec } };
  const metadata = { name: 'api', namespace };
  switch (kind) {
    case 'Pod': return { apiVersion: 'v1', kind, metadata: { ...metadata, labels }, spec: pod.spec };
    case 'CronJob': return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '@hourly', jobTemplate: { spec: { template: pod } } } };
    case 'Job': return { apiVersion: 'batch/v1', kind, metadata, spec: { template: pod } };
    default: return { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: labels }, template: pod } };
  }
}

const deployment = (labels: object, spec: object, namespace?: string) => workload('Deployment', labels, spec, namespace);

/** A cluster fixture whose role may manage branch interfaces (no PSG3). */
function fixture(): ClusterFixture {
  const f = clusterFixture();
  f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
  return f;
}

function psg10(findings: TestFinding[]): TestFinding[] {
  return findings.filter((x) => x.rule === 'PSG10');
}

/** The compliant template with a policy and a workload, in one manifest resource each. */
function template(policySpec: object, ...workloads: object[]): any {
  const t = compliantTemplate();
  t.Resources.Policy = manifest([securityGroupPolicy(policySpec)]);
  t.Resources.App = manifest(workloads);
  return t;
}

describe('PSG10 podSecurityGroupsWithoutGracePeriod', () => {
  test('CDK: a Deployment with grace period 0 whose pods a policy selects by label is an error on the Deployment\'s manifest', () => {
    const f = fixture();
    f.cluster.addManifest('Policy', securityGroupPolicy({ ...POD_SELECTOR, ...ONE_SG }));
    f.cluster.addManifest('Api', deployment({ app: 'api', tier: 'web' }, { terminationGracePeriodSeconds: 0 }));
    expect(packFindings(f.app)).toEqual([{
      rule: 'PSG10',
      severity: 'error',
      path: 'Test/Cluster/manifest-Api/Resource/Default',
      message: expect.stringMatching(/^Custom::AWSCDK-EKS-KubernetesResource \w+ sets terminationGracePeriodSeconds: 0 on pods that a SecurityGroupPolicy gives their own security groups: Deployment payments\/api \(selected by SecurityGroupPolicy payments\/db-access\), so the VPC CNI never removes their network from the node and their branch network interfaces leak; remove terminationGracePeriodSeconds \(the default is 30 seconds\) or set it above 0\.$/),
    }]);
  });

  test('CDK: grace period 30, or absent, or pods the policy does not select, or another namespace, is fine', () => {
    const f = fixture();
    f.cluster.addManifest('Policy', securityGroupPolicy({ ...POD_SELECTOR, ...ONE_SG }));
    f.cluster.addManifest('Thirty', deployment({ app: 'api' }, { terminationGracePeriodSeconds: 30 }));
    f.cluster.addManifest('Default', deployment({ app: 'api' }, {}));
    f.cluster.addManifest('Other', deployment({ app: 'web' }, { terminationGracePeriodSeconds: 0 }));
    f.cluster.addManifest('Elsewhere', deployment({ app: 'api' }, { terminationGracePeriodSeconds: 0 }, 'shop'));
    expect(packFindings(f.app)).toEqual([]);
  });

  test('CDK: a policy that selects by service account selects the pods that run as a ServiceAccount of the app with its labels', () => {
    const f = fixture();
    f.cluster.addServiceAccount('Api', { name: 'api', namespace: 'payments', labels: { team: 'payments' } });
    f.cluster.addManifest('Policy', securityGroupPolicy({ serviceAccountSelector: { matchLabels: { team: 'payments' } }, ...ONE_SG }));
    f.cluster.addManifest('Runs', workload('StatefulSet', { app: 'x' }, { serviceAccountName: 'api', terminationGracePeriodSeconds: 0 }));
    // Another service account (the default one, not in the app: its labels are unknown) is not reported.
    f.cluster.addManifest('Default', workload('DaemonSet', { app: 'x' }, { terminationGracePeriodSeconds: 0 }));
    expect(psg10(packFindings(f.app))).toEqual([expect.objectContaining({
      path: 'Test/Cluster/manifest-Runs/Resource/Default',
      message: expect.stringContaining('StatefulSet payments/api (selected by SecurityGroupPolicy payments/db-access)'),
    })]);
  });

  test('CDK: a label given by a token cannot be read and is not reported', () => {
    const f = fixture();
    const app = new CfnParameter(f.stack, 'AppLabel');
    f.cluster.addManifest('Policy', securityGroupPolicy({ ...POD_SELECTOR, ...ONE_SG }));
    f.cluster.addManifest('Api', deployment({ app: app.valueAsString }, { terminationGracePeriodSeconds: 0 }));
    expect(packFindings(f.app)).toEqual([]);
  });

  test('raw template: every kind of workload, wherever its pod template is, is reported; a pod on the host network or on Windows is not', () => {
    for (const kind of ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']) {
      const t = template({ ...POD_SELECTOR, ...ONE_SG }, workload(kind, { app: 'api' }, { terminationGracePeriodSeconds: 0 }));
      const findings = includeFindings(t);
      expect(findings).toEqual([expect.objectContaining({ rule: 'PSG10', message: expect.stringContaining(`: ${kind} payments/api (selected by`) })]);
    }
    expect(cliRules(template({ ...POD_SELECTOR, ...ONE_SG }, deployment({ app: 'api' }, { terminationGracePeriodSeconds: 0, hostNetwork: true })))).toEqual([]);
    expect(cliRules(template({ ...POD_SELECTOR, ...ONE_SG }, deployment({ app: 'api' }, { terminationGracePeriodSeconds: 0, nodeSelector: { 'kubernetes.io/os': 'windows' } })))).toEqual([]);
    expect(cliRules(template({ ...POD_SELECTOR, ...ONE_SG }, deployment({ app: 'api' }, { terminationGracePeriodSeconds: 1 })))).toEqual([]);
  });

  test('raw template: matchExpressions In, NotIn, Exists and DoesNotExist select as Kubernetes does; an empty podSelector selects every pod', () => {
    const zero = (labels: object) => deployment(labels, { terminationGracePeriodSeconds: 0 });
    const selects = (podSelector: object, labels: object) => cliRules(template({ podSelector, ...ONE_SG }, zero(labels))).includes('PSG10');
    const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
    expect(selects(expr('app', 'In', ['api', 'web']), { app: 'web' })).toBe(true);
    expect(selects(expr('app', 'In', ['api']), { app: 'web' })).toBe(false);
    expect(selects(expr('app', 'In', ['api']), {})).toBe(false);
    expect(selects(expr('app', 'NotIn', ['web']), { app: 'api' })).toBe(true);
    expect(selects(expr('app', 'NotIn', ['web']), {})).toBe(true);
    expect(selects(expr('app', 'NotIn', ['web']), { app: 'web' })).toBe(false);
    expect(selects(expr('app', 'Exists'), { app: 'x' })).toBe(true);
    expect(selects(expr('app', 'Exists'), {})).toBe(false);
    expect(selects(expr('app', 'DoesNotExist'), {})).toBe(true);
    expect(selects(expr('app', 'DoesNotExist'), { app: 'x' })).toBe(false);
    expect(selects({ matchLabels: { app: 'api' }, ...expr('tier', 'In', ['web']) }, { app: 'api', tier: 'db' })).toBe(false);
    expect(selects({}, { anything: 'x' })).toBe(true);
    // A policy of no security groups selects nothing (the controller skips it).
    expect(cliRules(template({ ...POD_SELECTOR, securityGroups: { groupIds: [] } }, zero({ app: 'api' })))).toEqual(['PSG1']);
  });

  test('raw template: a policy with both selectors needs both; a ServiceAccount manifest gives the labels its selector reads', () => {
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'payments', labels: { team: 'payments' } } };
    const pod = deployment({ app: 'api' }, { serviceAccountName: 'api', terminationGracePeriodSeconds: 0 });
    const byAccount = { serviceAccountSelector: { matchLabels: { team: 'payments' } }, ...ONE_SG };
    expect(cliRules(template(byAccount, account, pod))).toEqual(['PSG10']);
    expect(cliRules(template({ ...byAccount, podSelector: { matchLabels: { app: 'web' } } }, account, pod))).toEqual(['PSG1']);
    expect(cliRules(template({ ...byAccount, ...POD_SELECTOR }, account, pod))).toEqual(['PSG1', 'PSG10']);
    // Without the ServiceAccount in the app its labels are unknown: not reported.
    expect(cliRules(template(byAccount, pod))).toEqual([]);
  });

  test('raw template: a grace period, label or namespace held by a reference is not read; a policy in some branches only names its condition', () => {
    const t = compliantTemplate();
    t.Parameters = { Label: { Type: 'String' }, Env: { Type: 'String' } };
    t.Resources.Policy = manifest([securityGroupPolicy({ ...POD_SELECTOR, ...ONE_SG })]);
    t.Resources.App = manifestWithRefs([deployment({ app: '@@0' }, { terminationGracePeriodSeconds: 0 })], [{ Ref: 'Label' }]);
    expect(cliRules(t)).toEqual([]);
    t.Resources.App = manifestWithRefs([deployment({ app: 'api' }, { terminationGracePeriodSeconds: 0 }, '@@0')], [{ Ref: 'Label' }]);
    expect(cliRules(t)).toEqual([]);
    t.Resources.App = manifestWithRefs([deployment({ app: 'api' }, { terminationGracePeriodSeconds: '@@0' })], [{ Ref: 'Label' }]);
    expect(cliRules(t)).toEqual([]);

    t.Conditions = { HasPolicy: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } };
    t.Resources.Policy.Condition = 'HasPolicy';
    t.Resources.App = manifest([deployment({ app: 'api' }, { terminationGracePeriodSeconds: 0 })]);
    const [finding] = includeFindings(t);
    expect(finding).toEqual(expect.objectContaining({ rule: 'PSG10', message: expect.stringContaining('(selected by SecurityGroupPolicy payments/db-access) (when HasPolicy is true)') }));
  });
});
