import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { compliantTemplate, ingress, manifest, NODE_SG } from './util';
import { EksNetworkingChecks } from '../../lib';
import { RULES } from '../../lib/nag/rules';
import { AppModel } from '../../lib/template/model';

// Property: no template shape, however unusual, makes the model or a rule throw.
const IDS = ['A', 'B', 'C', 'D'];
const TYPES = [
  'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration',
  'AWS::AutoScaling::AutoScalingGroup', 'AWS::EKS::Nodegroup', 'AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster',
  'Custom::AWSCDK-EKS-KubernetesResource', 'Custom::AWSCDK-EKS-KubernetesPatch', 'AWS::EKS::Addon', 'AWS::EKS::FargateProfile',
  'Custom::AWSCDK-EKS-FargateProfile', 'AWS::ECS::CapacityProvider', 'AWS::EC2::NetworkAclEntry', 'AWS::IAM::Role', 'Custom::Unknown',
];
const KEYS = [
  'IpProtocol', 'FromPort', 'ToPort', 'CidrIp', 'CidrIpv6', 'SourcePrefixListId', 'SourceSecurityGroupId', 'GroupId', 'SecurityGroupIngress',
  'LaunchTemplate', 'LaunchTemplateData', 'LaunchTemplateName', 'LaunchConfigurationName', 'SecurityGroupIds', 'SecurityGroups', 'NetworkInterfaces',
  'Groups', 'MetadataOptions', 'HttpTokens', 'HttpPutResponseHopLimit', 'ClusterName', 'Tags', 'Key', 'Value', 'ResourcesVpcConfig',
  'Config', 'resourcesVpcConfig', 'EndpointPublicAccess', 'EndpointPrivateAccess', 'PublicAccessCidrs', 'endpointPrivateAccess',
  'ConfigurationValues', 'AddonName', 'Selectors', 'Namespace', 'AutoScalingGroupProvider', 'AutoScalingGroupArn', 'InstanceTypes',
  'InstanceType', 'Id', 'Name', 'RoleArn', 'roleArn', 'ManagedPolicyArns', 'Protocol', 'RuleAction', 'Egress', 'CidrBlock', 'Manifest',
  'MixedInstancesPolicy', 'Overrides', 'LaunchTemplateSpecification', 'ComputeConfig', 'Enabled', 'selectors', 'namespace', 'clusterName',
];
const STRINGS = ['sg-1', '0.0.0.0/0', '::/0', '10.0.0.0/8', 'tcp', '6', '-1', 'udp', 'required', 'optional', 'true', 'false', 'vpc-cni',
  'kubernetes.io/cluster/x', 'x', 'allow', 'payments', 'pay*', 't3.medium', 'm6i.large', '', '[{"kind":"Ingress"}]', 'not json'];

const { value: valueArb } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...STRINGS),
    fc.constantFrom(-1, 0, 2, 3, 53, 443, 10250, 10255, 30000, 32767, 65535, 1e9),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
    fc.record({ Ref: fc.constantFrom(...IDS, 'P', 'AWS::Region') }),
    fc.record({ 'Fn::GetAtt': fc.tuple(fc.constantFrom(...IDS), fc.constantFrom('GroupId', 'ClusterSecurityGroupId', 'Arn')) }),
    fc.record({ 'Fn::Join': fc.tuple(fc.constantFrom('', ','), fc.array(tie('value'), { maxLength: 3 })) }),
    fc.record({ 'Fn::ImportValue': tie('value') }),
    fc.record({ 'Fn::If': fc.tuple(fc.constant('Cond'), tie('value'), tie('value')) }),
  ),
}));

const kubernetesObject = fc.record({
  apiVersion: fc.constantFrom('vpcresources.k8s.aws/v1beta1', 'networking.k8s.io/v1', 'v1'),
  kind: fc.constantFrom('SecurityGroupPolicy', 'Ingress', 'List', 'ConfigMap'),
  metadata: fc.dictionary(fc.constantFrom('name', 'namespace', 'annotations'), valueArb, { maxKeys: 3 }),
  spec: fc.dictionary(fc.constantFrom('podSelector', 'serviceAccountSelector', 'securityGroups', 'ingressClassName', 'groupIds'), valueArb, { maxKeys: 3 }),
  items: valueArb,
}, { requiredKeys: [] });

const manifestArb = fc.oneof(
  fc.array(kubernetesObject, { maxLength: 3 }).map((objects) => JSON.stringify(objects)),
  fc.tuple(fc.array(kubernetesObject, { maxLength: 2 }), valueArb).map(([objects, ref]) => {
    const text = JSON.stringify(objects);
    const cut = Math.floor(text.length / 2);
    return { 'Fn::Join': ['', [text.slice(0, cut), ref, text.slice(cut)]] };
  }),
  valueArb,
);

const resourceArb = fc.record({
  Type: fc.constantFrom(...TYPES),
  Properties: fc.oneof(fc.dictionary(fc.constantFrom(...KEYS), valueArb, { maxKeys: 6 }), valueArb),
  manifest: manifestArb,
}).map(({ Type, Properties, manifest: text }) => ({
  Type,
  Properties: Type === 'Custom::AWSCDK-EKS-KubernetesResource' && typeof Properties === 'object' && Properties !== null && !Array.isArray(Properties)
    ? { ...Properties, Manifest: text }
    : Properties,
}));

const templateArb = fc.record({
  Parameters: fc.constantFrom(undefined, { P: { Type: 'String' } }, { P: { Type: 'AWS::EC2::SecurityGroup::Id', Default: 'sg-1' } }),
  Resources: fc.dictionary(fc.constantFrom(...IDS), resourceArb, { minKeys: 1, maxKeys: 4 }),
});

/** A template with one of everything the rules read, to mutate. */
function richTemplate(): any {
  const t = compliantTemplate();
  t.Parameters = { P: { Type: 'String' } };
  t.Resources.Udp = ingress(NODE_SG, 'udp', 53, 53, { CidrIp: '10.0.0.0/8' });
  t.Resources.Wide = ingress(NODE_SG, '-1', -1, -1, { CidrIpv6: '::/0' });
  t.Resources.NodeSg.Properties.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 30000, ToPort: 32767, SourceSecurityGroupId: 'sg-lb' }];
  t.Resources.Lc = { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { SecurityGroups: [NODE_SG], MetadataOptions: { HttpTokens: 'optional' } } };
  t.Resources.Asg = { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { LaunchConfigurationName: { Ref: 'Lc' }, Tags: [{ Key: { 'Fn::Join': ['', ['kubernetes.io/cluster/', { Ref: 'Cluster' }]] }, Value: 'owned' }] } };
  t.Resources.Cp = { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: { Ref: 'Asg' } } } };
  t.Resources.Custom = { Type: 'Custom::AWSCDK-EKS-Cluster', Properties: { Config: { name: 'c2', roleArn: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] }, resourcesVpcConfig: { endpointPrivateAccess: true, securityGroupIds: [NODE_SG] } } } };
  const objects = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'w', annotations: { 'alb.ingress.kubernetes.io/security-groups': '@@', 'alb.ingress.kubernetes.io/target-type': 'instance' } } },
    { apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy', metadata: { name: 'p', namespace: 'payments' }, spec: { podSelector: {}, securityGroups: { groupIds: ['@@'] } } },
  ];
  const [a, b, c] = JSON.stringify(objects).split('@@');
  t.Resources.M = manifest({ 'Fn::Join': ['', [a, { 'Fn::GetAtt': ['NodeSg', 'GroupId'] }, b, { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] }, c]] });
  t.Resources.Cni = { Type: 'AWS::EKS::Addon', Properties: { AddonName: 'vpc-cni', ClusterName: 'prod', ConfigurationValues: '{"env":{"ENABLE_POD_ENI":"true"},"init":{"env":{}}}' } };
  t.Resources.Fp = { Type: 'Custom::AWSCDK-EKS-FargateProfile', Properties: { Config: { clusterName: { Ref: 'Cluster' }, selectors: [{ namespace: 'pay*' }] } } };
  t.Resources.Acl = { Type: 'AWS::EC2::NetworkAclEntry', Properties: { Protocol: -1, RuleAction: 'allow', CidrBlock: '0.0.0.0/0' } };
  return t;
}

/** Every path of keys and indexes in a JSON value. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** The rich template with a few values replaced (or removed) anywhere in it. */
const mutatedArb = fc.array(fc.tuple(fc.nat(), valueArb, fc.boolean()), { minLength: 1, maxLength: 5 }).map((mutations) => {
  const t = richTemplate();
  for (const [n, value, remove] of mutations) {
    const all = paths(t).filter((p) => p.length >= 2);
    const path = all[n % all.length];
    let parent: any = t;
    for (const key of path.slice(0, -1)) parent = parent[key];
    if (remove && !Array.isArray(parent)) delete parent[path[path.length - 1]];
    else parent[path[path.length - 1]] = value;
  }
  return t;
});

describe('robustness', () => {
  test('the rich template reaches the finding paths of rules of every family', () => {
    const model = AppModel.fromTemplate(richTemplate());
    const fired = new Set<string>();
    for (const resource of model.allResources()) {
      for (const rule of RULES) {
        if (rule.resourceTypes.includes(model.typeOf(resource.key)!) && rule.check(model, resource) !== undefined) fired.add(rule.id);
      }
    }
    expect([...fired].sort()).toEqual(['API2', 'ECS1', 'IMDS1', 'KUB1', 'KUB2', 'LB1', 'NACL1', 'PSG4']);
  });

  test('the model and every rule never throw on mutations of a realistic template', () => {
    fc.assert(fc.property(mutatedArb, (template) => {
      const model = AppModel.fromTemplate(template);
      for (const resource of model.allResources()) {
        for (const rule of RULES) {
          if (rule.resourceTypes.includes(model.typeOf(resource.key) as string)) {
            const message = rule.check(model, resource);
            expect(message === undefined || (typeof message === 'string' && message.endsWith('.'))).toBe(true);
          }
        }
      }
    }), { seed: 20261122, numRuns: 1500 });
  });

  test('the model and every rule never throw, on any template shape', () => {
    fc.assert(fc.property(templateArb, (template) => {
      const model = AppModel.fromTemplate(template);
      for (const resource of model.allResources()) {
        for (const rule of RULES) {
          if (rule.resourceTypes.includes(model.typeOf(resource.key) as string)) {
            const message = rule.check(model, resource);
            expect(message === undefined || (typeof message === 'string' && message.endsWith('.'))).toBe(true);
          }
        }
      }
    }), { seed: 20261122, numRuns: 500 });
  });

  test('the pack never reports a rule that threw, on any CfnResource properties', () => {
    fc.assert(fc.property(templateArb, (template) => {
      const app = new App();
      const stack = new Stack(app, 'Generated');
      for (const [id, resource] of Object.entries(template.Resources)) {
        const r = resource as any;
        new CfnResource(stack, id, { type: r.Type, properties: typeof r.Properties === 'object' && r.Properties !== null && !Array.isArray(r.Properties) ? r.Properties : {} });
      }
      const report = new EksNetworkingChecks().validateScope(app);
      for (const v of report.violations) {
        expect(v.description).not.toMatch(/could not check|Rule threw an error/);
      }
    }), { seed: 20261122, numRuns: 60 });
  });
});
