import { Template, Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleApp } from './example-app';
import { EXAMPLE_ENV } from '../../examples/kubernetes-version';
import { PaymentsPodSecurityGroupsStack } from '../../examples/payments-pod-security-groups';
import { describeWithFixtures, fixtureJson, fixtureValidator, fixtureYaml } from '../fixtures';
import { packFindings } from '../nag/util';
import { kubernetesObjects } from '../util';

const validateCrd = fixtureValidator(() => fixtureYaml('securitygrouppolicies.crd.yaml').spec.versions[0].schema.openAPIV3Schema);
const validateCni = fixtureValidator(() => fixtureJson('vpc-cni-addon-configuration-schema.v1.15.1-eksbuild.1.json'));

describe('example: PaymentsPodSecurityGroupsStack', () => {
  const app = exampleApp();
  const stack = new PaymentsPodSecurityGroupsStack(app, 'PaymentsPodSecurityGroups', { env: EXAMPLE_ENV });
  const findings = packFindings(app);
  const template = Template.fromStack(stack);

  test('the EksNetworking pack and AwsSolutions find nothing unacknowledged; no construct warning', () => {
    expect(findings).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('the SecurityGroupPolicy gives the payments pods their security group', () => {
    const objects = kubernetesObjects(template, 'SecurityGroupPolicy');
    expect(objects).toHaveLength(1);
    expect(objects[0].metadata).toEqual(expect.objectContaining({ name: 'payments-api', namespace: 'payments' }));
  });

  describeWithFixtures('against the upstream schemas in ../shared/fixtures', () => {
    test('the SecurityGroupPolicy validates against the CRD', () => {
      expect(kubernetesObjects(template, 'SecurityGroupPolicy').map(validateCrd)).toEqual([[]]);
    });

    test('the vpc-cni configuration validates against the add-on schema', () => {
      const [addon] = Object.values(template.findResources('AWS::EKS::Addon')) as any[];
      expect(validateCni(JSON.parse(addon.Properties.ConfigurationValues))).toEqual([]);
    });
  });

  test('only the pods security group reaches the database', () => {
    const db = Object.keys(template.findResources('AWS::RDS::DBInstance'))[0];
    const dbSg = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('PaymentsDb') } });
    const dbSgId = Object.keys(dbSg)[0];
    const rules = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: { 'Fn::GetAtt': [dbSgId, 'GroupId'] } } })) as any[];
    expect(rules.map((r) => r.Properties.SourceSecurityGroupId)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^PaymentsPods/), 'GroupId'] }]);
    expect(db).toBeDefined();
  });
});
