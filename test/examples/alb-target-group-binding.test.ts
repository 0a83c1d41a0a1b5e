import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleApp } from './example-app';
import { AlbTargetGroupBindingStack } from '../../examples/alb-target-group-binding';
import { EXAMPLE_ENV } from '../../examples/kubernetes-version';
import { describeWithFixtures, fixtureValidator, fixtureYaml } from '../fixtures';
import { packFindings } from '../nag/util';
import { coversTcpPort, ingressRules, kubernetesObjects } from '../util';

const validateBinding = fixtureValidator(() => fixtureYaml('targetgroupbindings.crd.yaml').spec.versions.find((v: any) => v.name === 'v1beta1').schema.openAPIV3Schema);

describe('example: AlbTargetGroupBindingStack', () => {
  const app = exampleApp();
  const stack = new AlbTargetGroupBindingStack(app, 'AlbTargetGroupBinding', { env: EXAMPLE_ENV });
  const findings = packFindings(app);
  const template = Template.fromStack(stack);

  test('both packs find nothing unacknowledged', () => {
    expect(findings).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
  });

  test('the binding names the CDK target group, the api Service and ip targets, and writes no networking', () => {
    const [binding] = kubernetesObjects(template, 'TargetGroupBinding');
    expect(binding.spec).toEqual({
      serviceRef: { name: 'api', port: 8080 },
      targetGroupARN: expect.any(String),
      targetType: 'ip',
    });
  });

  describeWithFixtures('against the TargetGroupBinding CRD in ../shared/fixtures', () => {
    test('the binding validates', () => {
      const [binding] = kubernetesObjects(template, 'TargetGroupBinding');
      expect(validateBinding({ ...binding, spec: { ...binding.spec, targetGroupARN: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api/0123456789abcdef' } })).toEqual([]);
    });
  });

  test('the pods (on the node security group) are reached on 8080 from the load balancer only, and 8080 from no CIDR', () => {
    const rules = ingressRules(template).filter((r) => coversTcpPort(r, 8080));
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter((r) => r.sourceSecurityGroupId === undefined)).toEqual([]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAlbRulesLoadBalancerSecurityGroup'), 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
    });
  });

  test('the target group\'s health is alarmed to the topic of the security group watch', () => {
    const topic = { Ref: Match.stringLikeRegexp('^ApiAlbRulesWatchTopic') };
    for (const metric of ['UnHealthyHostCount', 'HealthyHostCount']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, AlarmActions: [topic], OKActions: [topic] });
    }
    template.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: topic })] });
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });
});
