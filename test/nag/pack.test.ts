import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { cliRules, compliantTemplate, includeFindings, packFindings, rulesOf } from './util';
import { KubeletBoundaryStack } from '../../examples/kubelet-boundary';
import { EksNetworkingChecks } from '../../lib';
import { RULES } from '../../lib/nag/rules';

describe('EksNetworkingChecks', () => {
  test('pins every rule ID and level: users acknowledge findings by them', () => {
    expect(RULES.map((r) => `${r.id}:${r.level}`)).toEqual([
      'KUB1:error', 'KUB2:error', 'KUB3:warning', 'KUB4:error',
      'API1:error', 'API2:warning',
      'PRIV1:error', 'VPCE1:warning',
      'NG1:warning', 'NG2:warning', 'NG3:error', 'NG4:warning',
      'IMDS1:error', 'IMDS2:warning',
      'LB1:error', 'LB2:warning', 'LB3:error',
      'TGB1:error', 'TGB2:error',
      'ECS1:error', 'NACL1:warning',
      'PSG1:error', 'PSG2:warning', 'PSG3:warning', 'PSG4:warning', 'PSG5:warning', 'PSG6:warning', 'PSG7:warning', 'PSG8:warning',
      'PSG9:warning', 'PSG10:error', 'PSG11:warning', 'ADDON1:error',
    ]);
  });

  test('is a cdk-nag pack named EksNetworking, constructible with no arguments', () => {
    const pack = new EksNetworkingChecks();
    expect(pack.name).toBe('EksNetworking');
    expect(pack.readPackName).toBe('EksNetworking');
  });

  test('a finding reads EksNetworking-<ID> with its level and one sentence naming the resource', () => {
    const app = new App();
    const stack = new Stack(app, 'Default');
    new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_29, kubectlLayer: new KubectlV29Layer(stack, 'Kubectl') });
    app.synth();
    const report = new EksNetworkingChecks().validateScope(app);
    const ng1 = report.violations.find((v) => v.ruleName === 'EksNetworking-NG1')!;
    expect(ng1.severity).toBe('warning');
    expect(ng1.violatingResources).toEqual([expect.objectContaining({ constructPath: 'Default/Cluster/NodegroupDefaultCapacity/Resource' })]);
    expect(ng1.description).toMatch(/^AWS::EKS::Nodegroup ClusterNodegroupDefaultCapacity\w+ runs on the cluster security group because it has no launch template; .*HardenedNodeSecurityGroup\)\.$/);
  });

  test('over a default eks.Cluster with its default node group it finds what the catalog predicts', () => {
    const app = new App();
    const stack = new Stack(app, 'Default');
    new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_29, kubectlLayer: new KubectlV29Layer(stack, 'Kubectl') });
    // NG1: the default node group has no launch template, so it shares the cluster SG.
    // API2: the default endpoint is public and private, with no public CIDRs (0.0.0.0/0).
    expect(rulesOf(packFindings(app))).toEqual(['API2', 'NG1']);
  });

  test('over this library\'s example app it finds nothing', () => {
    const app = new App();
    new KubeletBoundaryStack(app, 'Example');
    expect(packFindings(app)).toEqual([]);
  });

  test('the compliant raw template passes every rule, in the pack and in the command-line checker', () => {
    expect(includeFindings(compliantTemplate())).toEqual([]);
    expect(cliRules(compliantTemplate())).toEqual([]);
  });

  test('each finding is one sentence that names the resource and ends with the fix', () => {
    const template = compliantTemplate();
    template.Resources.Open = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['NodeSg', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, CidrIp: '10.0.0.0/8' } };
    const [finding] = includeFindings(template);
    expect(finding.message).toBe('AWS::EC2::SecurityGroupIngress Open lets an address range reach the kubelet (TCP 10250) on nodes: TCP 10250 from 10.0.0.0/8 into NodeSg; allow TCP 10250 from the cluster security group only (RestrictedKubeletAccess does).');
  });

  test('a rule is acknowledged by its ID on the construct', () => {
    const app = new App();
    const stack = new Stack(app, 'Default');
    const cluster = new eks.Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_29, kubectlLayer: new KubectlV29Layer(stack, 'Kubectl') });
    Validations.of(cluster).acknowledge({ id: 'EksNetworking-API2', reason: 'A test cluster.' });
    expect(rulesOf(packFindings(app))).toEqual(['NG1']);
  });
});
