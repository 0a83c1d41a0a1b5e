import { App, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { includeFindings, packFindings, rulesOf } from '../util';

function ecsApp(open: ec2.IPeer): App {
  const app = new App();
  const stack = new Stack(app, 'Ecs');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const asg = new autoscaling.AutoScalingGroup(stack, 'Asg', {
    vpc,
    instanceType: new ec2.InstanceType('m6i.large'),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    requireImdsv2: true,
  });
  cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: asg }));
  asg.connections.allowFrom(open, ec2.Port.tcpRange(32768, 65535));
  return app;
}

describe('ECS1 ecsDynamicPortsOpenToInternet', () => {
  test('CDK: dynamic ports open to any IPv4 on a capacity provider instance SG is an error', () => {
    expect(packFindings(ecsApp(ec2.Peer.anyIpv4())).filter((x) => x.rule === 'ECS1')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('TCP 32768-65535 from 0.0.0.0/0') }),
    ]);
  });

  test('CDK: dynamic ports from a VPC CIDR is not ECS1', () => {
    expect(rulesOf(packFindings(ecsApp(ec2.Peer.ipv4('10.0.0.0/16'))))).not.toContain('ECS1');
  });

  test('raw template: all traffic from ::/0 overlaps the range; an SG no capacity provider uses is not checked', () => {
    const sg = { 'Fn::GetAtt': ['InstanceSg', 'GroupId'] };
    const template: any = {
      Resources: {
        InstanceSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'ecs', VpcId: 'vpc-1' } },
        Open: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: sg, IpProtocol: '-1', CidrIpv6: '::/0' } },
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { SecurityGroupIds: [sg] } } },
        Asg: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1', VPCZoneIdentifier: ['subnet-1'], LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: '1' } } },
        Cp: { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: { Ref: 'Asg' } } } },
      },
    };
    expect(rulesOf(includeFindings(template))).toEqual(['ECS1']);
    delete template.Resources.Cp;
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });
});
