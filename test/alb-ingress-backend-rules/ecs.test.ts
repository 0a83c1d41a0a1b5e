import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlbIngressBackendRules, BackendTargetType } from '../../lib';
import { packFindings } from '../nag/util';
import { coversTcpPort, ingressRules, sgRef } from '../util';

function ecsApp(options: { capacityProvider: boolean }) {
  const app = new App();
  const stack = new Stack(app, 'Ecs');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const instanceType = new ec2.InstanceType('m6i.large');
  const machineImage = ecs.EcsOptimizedImage.amazonLinux2023();
  let asg: autoscaling.AutoScalingGroup;
  if (options.capacityProvider) {
    asg = new autoscaling.AutoScalingGroup(stack, 'Instances', { vpc, instanceType, machineImage, requireImdsv2: true });
    cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: asg }));
  } else {
    // Capacity added to the cluster directly, without a capacity provider.
    asg = cluster.addCapacity('Instances', { instanceType, machineImage });
  }
  const rules = new AlbIngressBackendRules(stack, 'AlbRules', { vpc, targets: asg, targetType: BackendTargetType.ECS_DYNAMIC_PORTS });
  const task = new ecs.Ec2TaskDefinition(stack, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
  task.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    memoryLimitMiB: 256,
    portMappings: [{ containerPort: 80, hostPort: 0 }],
  });
  const service = new ecs.Ec2Service(stack, 'Service', { cluster, taskDefinition: task });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true, securityGroup: rules.loadBalancerSecurityGroup });
  alb.addListener('Http', { port: 80 }).addTargets('Web', { port: 80, targets: [service], healthCheck: { port: 'traffic-port' } });
  return { app, stack, rules };
}

describe('AlbIngressBackendRules: ECS bridge mode with dynamic host ports', () => {
  test.each([
    ['a capacity provider', true],
    ['an Auto Scaling group', false],
  ])('with %s: one rule from the ALB SG on 32768-65535, never all traffic, never a CIDR', (_name, capacityProvider) => {
    const { stack } = ecsApp({ capacityProvider });
    const template = Template.fromStack(stack);
    const instances = sgRef(template, capacityProvider ? 'InstancesInstanceSecurityGroup' : 'ClusterInstancesInstanceSecurityGroup');
    const onInstances = ingressRules(template).filter((r) => JSON.stringify(r.groupId) === JSON.stringify(instances));
    // The listener registers the same rule for the service; it is written once.
    expect(onInstances).toEqual([expect.objectContaining({
      ipProtocol: 'tcp', fromPort: 32768, toPort: 65535, sourceSecurityGroupId: sgRef(template, 'AlbRulesLoadBalancerSecurityGroup'),
    })]);
    expect(ingressRules(template).filter((r) => coversTcpPort(r, 40000) && r.sourceSecurityGroupId === undefined)).toEqual([]);
  });

  test('the ALB uses the load balancer SG, whose only egress goes to the instances', () => {
    const { stack } = ecsApp({ capacityProvider: true });
    const template = Template.fromStack(stack);
    const lb = sgRef(template, 'AlbRulesLoadBalancerSecurityGroup');
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { SecurityGroups: [lb] });
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { GroupId: lb } }));
    expect(egress.map((e: any) => e.Properties.DestinationSecurityGroupId)).toEqual([sgRef(template, 'InstancesInstanceSecurityGroup')]);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPort: 'traffic-port' });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { NetworkMode: 'bridge', ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 80, HostPort: 0, Protocol: 'tcp' }] })] });
  });

  test('the pack finds no ECS1 on it', () => {
    const { app } = ecsApp({ capacityProvider: true });
    expect(packFindings(app).filter((f) => f.rule === 'ECS1')).toEqual([]);
  });

  test('ingressAnnotations() does not apply to ECS', () => {
    const { rules } = ecsApp({ capacityProvider: true });
    expect(() => rules.ingressAnnotations()).toThrow(/^Ecs\/AlbRules: targetType: ECS_DYNAMIC_PORTS has no Kubernetes Ingress/);
  });
});
