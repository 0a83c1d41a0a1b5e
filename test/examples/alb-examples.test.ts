import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { exampleApp } from './example-app';
import { AlbInstanceTargetsStack } from '../../examples/alb-instance-targets';
import { EcsDynamicPortsStack } from '../../examples/ecs-dynamic-ports';
import { EXAMPLE_ENV } from '../../examples/kubernetes-version';
import { kubernetesErrors } from '../fixtures';
import { packFindings } from '../nag/util';
import { coversTcpPort, ingressRules, kubernetesObjects } from '../util';

const validateIngress = (value: unknown) => kubernetesErrors(Ingress, value);

function ingressObjects(stack: Stack): any[] {
  return kubernetesObjects(Template.fromStack(stack), 'Ingress');
}

describe('example: AlbInstanceTargetsStack and EcsDynamicPortsStack', () => {
  const app = exampleApp();
  const eks = new AlbInstanceTargetsStack(app, 'AlbInstanceTargets', { env: EXAMPLE_ENV });
  const ecs = new EcsDynamicPortsStack(app, 'EcsDynamicPorts', { env: EXAMPLE_ENV });
  const findings = packFindings(app);

  test('the EksNetworking pack finds nothing on them', () => {
    expect(findings).toEqual([]);
  });

  test('cdk-nag AwsSolutions finds nothing unacknowledged', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toEqual([]);
  });

  test('every Ingress manifest validates against the Kubernetes Ingress schema', () => {
    const objects = ingressObjects(eks);
    expect(objects).toHaveLength(1);
    expect(objects.map(validateIngress)).toEqual([[]]);
    expect(objects[0].metadata.annotations['alb.ingress.kubernetes.io/manage-backend-security-group-rules']).toBe('false');
  });

  test('no NodePort and no dynamic host port is reachable from any CIDR', () => {
    for (const [stack, port] of [[eks, 31000], [ecs, 40000]] as Array<[Stack, number]>) {
      expect(ingressRules(Template.fromStack(stack)).filter((r) => coversTcpPort(r, port) && r.sourceSecurityGroupId === undefined)).toEqual([]);
    }
  });

  test('the ECS instances run on a launch template (not a launch configuration) with IMDSv2', () => {
    const template = Template.fromStack(ecs);
    template.resourceCountIs('AWS::AutoScaling::LaunchConfiguration', 0);
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } });
  });

  test('the target group the ECS service registers with is alarmed, to an encrypted topic', () => {
    const template = Template.fromStack(ecs);
    for (const metric of ['UnHealthyHostCount', 'HealthyHostCount']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^WebAlbWatchTopic') }],
      });
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});
