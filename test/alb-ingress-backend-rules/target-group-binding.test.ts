import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngressBackendRules, BackendTargetType, HardenedNodeSecurityGroup, PodsSecurityGroup, TargetGroupBindingOptions } from '../../lib';
import { describeWithFixtures, fixtureValidator, fixtureYaml } from '../fixtures';
import { clusterFixture, kubernetesObjects, v2ClusterFixture } from '../util';

const validateBinding = fixtureValidator(() => fixtureYaml('targetgroupbindings.crd.yaml').spec.versions.find((v: any) => v.name === 'v1beta1').schema.openAPIV3Schema);

/** A cluster, pods on their own security group, an ALB owned in CDK on the rules' security group, and an ip target group on a listener. */
function ipFixture(props: { targetHealthAlarms?: boolean; minimumHealthyTargets?: number; watchTopic?: (stack: Stack) => sns.ITopic } = {}) {
  const f = clusterFixture();
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
  const pods = new PodsSecurityGroup(f.stack, 'Pods', { vpc: f.vpc, nodes });
  const rules = new AlbIngressBackendRules(f.stack, 'ApiAlb', {
    vpc: f.vpc,
    cluster: f.cluster,
    targets: pods,
    targetType: BackendTargetType.EKS_IP,
    ports: [ec2.Port.tcp(8080)],
    targetHealthAlarms: props.targetHealthAlarms,
    minimumHealthyTargets: props.minimumHealthyTargets,
    watchTopic: props.watchTopic?.(f.stack),
  });
  const alb = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc, internetFacing: true, securityGroup: rules.loadBalancerSecurityGroup });
  const targetGroup = new elbv2.ApplicationTargetGroup(f.stack, 'Api', { vpc: f.vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
  alb.addListener('Http', { port: 80, defaultTargetGroups: [targetGroup] });
  return { ...f, nodes, pods, rules, alb, targetGroup };
}

const API: Omit<TargetGroupBindingOptions, 'targetGroup'> = { serviceName: 'api', servicePort: 8080, namespace: 'shop' };

function bindings(stack: Stack): any[] {
  return kubernetesObjects(Template.fromStack(stack), 'TargetGroupBinding');
}

describe('AlbIngressBackendRules.addTargetGroupBinding', () => {
  test('GIVEN an ip target group of the app WHEN bound THEN the binding names it, the Service and ip targets, and has no networking', () => {
    const f = ipFixture();
    f.rules.addTargetGroupBinding('ApiBinding', { targetGroup: f.targetGroup, ...API });
    const [binding] = bindings(f.stack);
    expect(binding).toEqual({
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: expect.objectContaining({ name: 'api', namespace: 'shop' }),
      spec: { serviceRef: { name: 'api', port: 8080 }, targetGroupARN: expect.anything(), targetType: 'ip' },
    });
    expect(binding.spec).not.toHaveProperty('networking');
    // The only rule to the pods is this construct's, from the load balancer's group, on the container port.
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pods'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAlbLoadBalancerSecurityGroup'), 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
    });
  });

  describeWithFixtures('against the TargetGroupBinding CRD in ../shared/fixtures', () => {
    test('the binding validates against the v1beta1 schema', () => {
      const f = ipFixture();
      f.rules.addTargetGroupBinding('ApiBinding', { targetGroup: f.targetGroup, ...API });
      const [binding] = bindings(f.stack);
      expect(validateBinding({ ...binding, spec: { ...binding.spec, targetGroupARN: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api/0123456789abcdef' } })).toEqual([]);
    });

    test('the schema is strict enough to catch a broken binding (the test could fail)', () => {
      expect(validateBinding({ spec: { serviceRef: { name: 'api' }, targetType: 'pod' } })).not.toEqual([]);
    });
  });

  test('GIVEN a bound target group THEN two alarms on its health go to the construct\'s encrypted topic, for alarm and OK', () => {
    const f = ipFixture({ minimumHealthyTargets: 2 });
    f.rules.addTargetGroupBinding('ApiBinding', { targetGroup: f.targetGroup, ...API });
    const template = Template.fromStack(f.stack);
    const topic = { Ref: Match.stringLikeRegexp('^ApiAlbWatchTopic') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UnHealthyHostCount',
      Namespace: 'AWS/ApplicationELB',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 3,
      Statistic: 'Maximum',
      AlarmActions: [topic],
      OKActions: [topic],
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HealthyHostCount',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 2,
      Statistic: 'Minimum',
      AlarmActions: [topic],
      TreatMissingData: 'breaching',
      Dimensions: Match.arrayWith([Match.objectLike({ Name: 'LoadBalancer' }), Match.objectLike({ Name: 'TargetGroup' })]),
    });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(f.rules.watchTopic).toBeDefined();
  });

  test('GIVEN targetHealthAlarms: false THEN no alarm and no topic; GIVEN a watchTopic THEN alarms go there', () => {
    const off = ipFixture({ targetHealthAlarms: false });
    off.rules.addTargetGroupBinding('ApiBinding', { targetGroup: off.targetGroup, ...API });
    Template.fromStack(off.stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Template.fromStack(off.stack).resourceCountIs('AWS::SNS::Topic', 0);

    const given = ipFixture({ watchTopic: (stack) => new sns.Topic(stack, 'OnCall') });
    given.rules.addTargetGroupBinding('ApiBinding', { targetGroup: given.targetGroup, ...API });
    Template.fromStack(given.stack).allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^OnCall') }] });
    Template.fromStack(given.stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('GIVEN an instance target group for ip targets, networking, or ECS THEN each fails with its code', () => {
    const f = ipFixture();
    const instanceGroup = new elbv2.ApplicationTargetGroup(f.stack, 'Nodes80', { vpc: f.vpc, port: 80, targetType: elbv2.TargetType.INSTANCE });
    expect(() => f.rules.addTargetGroupBinding('Wrong', { targetGroup: instanceGroup, ...API }))
      .toThrow("Test/ApiAlb: addTargetGroupBinding('Wrong'): targetGroup: 'Test/Nodes80' has target type 'instance', but the targets are reached as 'ip' targets; create the target group with targetType: elbv2.TargetType.IP [hardened-eks-networking:targetGroupTypeMismatch]");
    const withNetworking = { targetGroup: f.targetGroup, ...API, networking: { ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] } } as TargetGroupBindingOptions;
    expect(() => f.rules.addTargetGroupBinding('Open', withNetworking)).toThrow(/networking: is set, but the TargetGroupBinding must not write spec\.networking.*\[hardened-eks-networking:bindingNetworking\]$/);
    const ecs = new AlbIngressBackendRules(f.stack, 'EcsAlb', { vpc: f.vpc, targets: f.nodes, targetType: BackendTargetType.ECS_DYNAMIC_PORTS });
    expect(() => ecs.addTargetGroupBinding('Ecs', { targetGroup: f.targetGroup, ...API })).toThrow(/\[hardened-eks-networking:bindingOnEcs\]$/);
    expect(bindings(f.stack)).toEqual([]);
  });

  test('GIVEN minimumHealthyTargets 0 THEN it fails at synth time', () => {
    expect(() => ipFixture({ minimumHealthyTargets: 0 })).toThrow(/minimumHealthyTargets: 0 is not a whole number of at least 1.*\[hardened-eks-networking:minimumHealthyTargetsInvalid\]$/);
  });

  test('GIVEN an aws-eks-v2 cluster without a kubectl provider WHEN bound THEN kubectlProviderMissing; the JSON text is offered instead', () => {
    const f = v2ClusterFixture();
    const pods = new ec2.SecurityGroup(f.stack, 'Pods', { vpc: f.vpc });
    const rules = new AlbIngressBackendRules(f.stack, 'ApiAlb', { vpc: f.vpc, cluster: f.cluster, targets: pods, targetType: BackendTargetType.EKS_IP, ports: [ec2.Port.tcp(8080)] });
    const alb = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc, securityGroup: rules.loadBalancerSecurityGroup });
    const targetGroup = new elbv2.ApplicationTargetGroup(f.stack, 'Api', { vpc: f.vpc, port: 8080, targetType: elbv2.TargetType.IP });
    alb.addListener('Http', { port: 80, defaultTargetGroups: [targetGroup] });
    expect(() => rules.addTargetGroupBinding('ApiBinding', { targetGroup, ...API })).toThrow(/\[hardened-eks-networking:kubectlProviderMissing\]$/);
    const text = JSON.stringify(f.stack.resolve(rules.targetGroupBindingJson({ targetGroup, ...API })));
    expect(text).toContain('\\"kind\\":\\"TargetGroupBinding\\"');
    expect(text).not.toContain('networking');
  });

  test('GIVEN an aws-eks-v2 cluster with a kubectl provider WHEN bound THEN its provider applies the binding', () => {
    const f = v2ClusterFixture({ kubectl: true });
    const pods = new ec2.SecurityGroup(f.stack, 'Pods', { vpc: f.vpc });
    const rules = new AlbIngressBackendRules(f.stack, 'ApiAlb', { vpc: f.vpc, cluster: f.cluster, targets: pods, targetType: BackendTargetType.EKS_IP, ports: [ec2.Port.tcp(8080)] });
    const alb = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc, securityGroup: rules.loadBalancerSecurityGroup });
    const targetGroup = new elbv2.ApplicationTargetGroup(f.stack, 'Api', { vpc: f.vpc, port: 8080, targetType: elbv2.TargetType.IP });
    alb.addListener('Http', { port: 80, defaultTargetGroups: [targetGroup] });
    rules.addTargetGroupBinding('ApiBinding', { targetGroup, ...API });
    expect(bindings(f.stack).map((b) => b.spec.targetType)).toEqual(['ip']);
    Template.fromStack(f.stack).hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('KubectlProvider'), 'Arn'] },
    });
  });

  test('GIVEN an ECS target group THEN addTargetHealthAlarms adds the two alarms', () => {
    const f = clusterFixture();
    const instances = new ec2.SecurityGroup(f.stack, 'Instances', { vpc: f.vpc });
    const rules = new AlbIngressBackendRules(f.stack, 'EcsAlb', { vpc: f.vpc, targets: instances, targetType: BackendTargetType.ECS_DYNAMIC_PORTS });
    const alb = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc: f.vpc, securityGroup: rules.loadBalancerSecurityGroup });
    const targetGroup = new elbv2.ApplicationTargetGroup(f.stack, 'Web', { vpc: f.vpc, port: 80, targetType: elbv2.TargetType.INSTANCE });
    alb.addListener('Http', { port: 80, defaultTargetGroups: [targetGroup] });
    expect(rules.addTargetHealthAlarms('Web', targetGroup)).toHaveLength(2);
    Template.fromStack(f.stack).resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });
});
