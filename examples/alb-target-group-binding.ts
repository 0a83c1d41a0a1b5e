import { StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { acknowledgeInternetFacingAlb } from './acknowledgements';
import { KubeletBoundaryStack } from './kubelet-boundary';
import { AlbIngressBackendRules, BackendTargetType } from '../lib';

/**
 * The kubelet boundary cluster, with an internet-facing ALB owned end to end in CDK: the load
 * balancer, its listener and an ip target group are the app's, and a TargetGroupBinding lets the
 * AWS Load Balancer Controller (install it in the cluster yourself) register the pods of the `api`
 * Service in it, and nothing else. The binding writes no spec.networking, so the only rule from the
 * ALB to the pods is the one here, on the container port. The target group's health is alarmed,
 * and changes to the node security group's rules are watched, both to one encrypted SNS topic.
 */
export class AlbTargetGroupBindingStack extends KubeletBoundaryStack {
  public readonly albRules: AlbIngressBackendRules;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Pods on the VPC CNI use the network interfaces, so the security group, of their node.
    this.albRules = new AlbIngressBackendRules(this, 'ApiAlbRules', {
      vpc: this.vpc,
      cluster: this.cluster,
      targets: this.nodes,
      targetType: BackendTargetType.EKS_IP,
      ports: [ec2.Port.tcp(8080)],
      watchSecurityGroupChanges: true,
    });

    const alb = new elbv2.ApplicationLoadBalancer(this, 'ApiAlb', {
      vpc: this.vpc,
      internetFacing: true,
      securityGroup: this.albRules.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Api', {
      vpc: this.vpc,
      port: 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      healthCheck: { path: '/healthz' },
    });
    alb.addListener('Http', { port: 80, defaultTargetGroups: [this.targetGroup] });

    this.albRules.addTargetGroupBinding('ApiBinding', {
      targetGroup: this.targetGroup,
      serviceName: 'api',
      servicePort: 8080,
      namespace: 'shop',
    });

    acknowledgeInternetFacingAlb(alb, this.albRules);
  }
}
