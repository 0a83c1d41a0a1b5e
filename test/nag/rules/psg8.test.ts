import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { cliRules, compliantTemplate, includeFindings, manifest, packFindings, rulesOf } from '../util';

const POLICY = {
  apiVersion: 'vpcresources.k8s.aws/v1beta1',
  kind: 'SecurityGroupPolicy',
  metadata: { name: 'db-access', namespace: 'payments' },
  spec: { podSelector: { matchLabels: { app: 'api' } }, securityGroups: { groupIds: ['sg-0aaaaaaaaaaaaaaaa'] } },
};

/** An aws-eks-v2 cluster (EKS Auto Mode unless `nodegroups`) of a version, with a SecurityGroupPolicy. */
function v2App(version: (stack: Stack) => eksv2.KubernetesVersion, nodegroups = false): App {
  const app = new App();
  const stack = new Stack(app, 'V2');
  const cluster = new eksv2.Cluster(stack, 'Cluster', {
    version: version(stack),
    endpointAccess: eksv2.EndpointAccess.PRIVATE,
    kubectlProviderOptions: { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') },
    ...(nodegroups ? { defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 } : {}),
  });
  if (nodegroups) cluster.addNodegroupCapacity('Ng', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
  cluster.addManifest('Policy', POLICY);
  return app;
}

/** The compliant template, its cluster in EKS Auto Mode at a version (no built-in node pools, which NG4 reports). */
function autoModeTemplate(version?: unknown): any {
  const template = compliantTemplate();
  Object.assign(template.Resources.Cluster.Properties, {
    ComputeConfig: { Enabled: true, NodePools: [] },
    ...(version === undefined ? {} : { Version: version }),
  });
  template.Resources.P = manifest([POLICY]);
  return template;
}

const psg8 = (findings: ReturnType<typeof packFindings>) => findings.filter((x) => x.rule === 'PSG8');

describe('PSG8 securityGroupPolicyOnOldAutoMode', () => {
  test('CDK: a SecurityGroupPolicy on an aws-eks-v2 Auto Mode cluster of Kubernetes 1.33 is a warning on the manifest', () => {
    expect(psg8(packFindings(v2App(() => eksv2.KubernetesVersion.V1_33)))).toEqual([{
      rule: 'PSG8',
      severity: 'warning',
      path: 'V2/Cluster/manifest-Policy/Resource/Default',
      message: expect.stringMatching(/^Custom::AWSCDK-EKS-KubernetesResource Clustermanifest\w+ applies SecurityGroupPolicy payments\/db-access on EKS Auto Mode cluster Cluster\w+, where it runs Kubernetes 1\.33; SecurityGroupPolicy works on Auto Mode from 1\.36: run Kubernetes 1\.36 or later, or run these pods on a cluster with managed node groups\.$/),
    }]);
  });

  test('CDK: Auto Mode at 1.36, or managed node groups at 1.33, are compliant', () => {
    expect(psg8(packFindings(v2App(() => eksv2.KubernetesVersion.of('1.36'))))).toEqual([]);
    expect(psg8(packFindings(v2App(() => eksv2.KubernetesVersion.V1_33, true)))).toEqual([]);
  });

  test('CDK: a Kubernetes version given by a parameter cannot be read, and the finding says so', () => {
    const app = v2App((stack) => eksv2.KubernetesVersion.of(new CfnParameter(stack, 'K8sVersion').valueAsString));
    expect(psg8(packFindings(app))).toEqual([expect.objectContaining({
      message: expect.stringMatching(/, where the Kubernetes version could not be read \(.*K8sVersion.*\); SecurityGroupPolicy works on Auto Mode from 1\.36/),
    })]);
  });

  test('raw template: Auto Mode below 1.36 is PSG8; 1.36, 1.37 and a cluster without Auto Mode are compliant; the CLI agrees', () => {
    expect(rulesOf(includeFindings(autoModeTemplate('1.35')))).toEqual(['PSG8']);
    expect(cliRules(autoModeTemplate('1.35'))).toEqual(['PSG8']);
    expect(rulesOf(includeFindings(autoModeTemplate('1.36')))).toEqual([]);
    expect(rulesOf(includeFindings(autoModeTemplate('1.37')))).toEqual([]);
    const standard = compliantTemplate();
    standard.Resources.Cluster.Properties.Version = '1.33';
    standard.Resources.P = manifest([POLICY]);
    expect(rulesOf(includeFindings(standard))).toEqual([]);
  });

  test('raw template: Auto Mode without any SecurityGroupPolicy is compliant', () => {
    const template = autoModeTemplate('1.33');
    delete template.Resources.P;
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });

  test('raw template: the aws-eks custom resource cluster is read by Config.version', () => {
    const template = compliantTemplate();
    template.Resources.Cluster = {
      Type: 'Custom::AWSCDK-EKS-Cluster',
      Properties: {
        ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:provider',
        Config: {
          name: 'prod',
          version: '1.34',
          roleArn: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] },
          resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'], endpointPrivateAccess: true, endpointPublicAccess: false },
          computeConfig: { enabled: true },
        },
      },
    };
    template.Resources.P = manifest([POLICY]);
    expect(psg8(includeFindings(template))).toEqual([expect.objectContaining({ message: expect.stringContaining('on EKS Auto Mode cluster Cluster, where it runs Kubernetes 1.34;') })]);
  });

  test('raw template: a version given by a parameter cannot be read; with AllowedValues each branch is judged', () => {
    const template = autoModeTemplate({ Ref: 'K8sVersion' });
    template.Parameters = { K8sVersion: { Type: 'String' } };
    expect(psg8(includeFindings(template))).toEqual([expect.objectContaining({ message: expect.stringMatching(/where the Kubernetes version could not be read \(.*K8sVersion.*\); SecurityGroupPolicy works on Auto Mode from 1\.36/) })]);
    template.Parameters.K8sVersion.AllowedValues = ['1.35', '1.36'];
    expect(psg8(includeFindings(template))).toEqual([expect.objectContaining({ message: expect.stringContaining("where it runs Kubernetes 1.35 (when K8sVersion is '1.35');") })]);
  });

  test('raw template: a policy of a cluster outside the app does not apply', () => {
    const template = autoModeTemplate('1.33');
    template.Resources.P = manifest([POLICY], 'external');
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });
});
