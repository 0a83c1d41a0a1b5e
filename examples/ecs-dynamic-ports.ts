import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeEcsFindings } from './acknowledgements';
import { AlbIngressBackendRules, BackendTargetType } from '../lib';

/**
 * ECS on EC2 in bridge mode with dynamic host ports (hostPort 0) behind an Application Load
 * Balancer: the container instances accept TCP 32768-65535 from the ALB security group only,
 * never all traffic and never a CIDR.
 */
export class EcsDynamicPortsStack extends Stack {
  public readonly albRules: AlbIngressBackendRules;
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Instances', {
      vpc,
      instanceType: new ec2.InstanceType('m6i.large'),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
      requireImdsv2: true,
      minCapacity: 2,
      maxCapacity: 4,
      blockDevices: [{ deviceName: '/dev/xvda', volume: autoscaling.BlockDeviceVolume.ebs(30, { encrypted: true }) }],
    });
    cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(this, 'Capacity', { autoScalingGroup: this.autoScalingGroup }));

    this.albRules = new AlbIngressBackendRules(this, 'WebAlb', {
      vpc,
      targets: this.autoScalingGroup,
      targetType: BackendTargetType.ECS_DYNAMIC_PORTS,
      watchSecurityGroupChanges: true,
    });

    const task = new ecs.Ec2TaskDefinition(this, 'Task', { networkMode: ecs.NetworkMode.BRIDGE });
    task.addContainer('web', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      memoryLimitMiB: 256,
      portMappings: [{ containerPort: 80, hostPort: 0 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logRetention: logs.RetentionDays.ONE_MONTH }),
    });
    const service = new ecs.Ec2Service(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: 2,
      minHealthyPercent: 50,
      circuitBreaker: { rollback: true },
    });

    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      securityGroup: this.albRules.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    const targetGroup = alb.addListener('Http', { port: 80 }).addTargets('Web', {
      port: 80,
      targets: [service],
      // cfn-lint E3049: with dynamic host ports the health check must use the traffic port.
      healthCheck: { port: 'traffic-port', interval: Duration.seconds(30) },
    });
    // The service registers with a target group of the app: alarm on its health.
    this.albRules.addTargetHealthAlarms('Web', targetGroup);

    acknowledgeEcsFindings(this.autoScalingGroup, this.albRules, alb);
  }
}
