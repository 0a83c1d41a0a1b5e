import { StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { KubeletBoundaryStack } from './kubelet-boundary';
import { AlbIngressBackendRules, BackendTargetType } from '../lib';

/**
 * The kubelet boundary cluster, with an internet-facing ALB in front of a Service through the AWS
 * Load Balancer Controller (install it in the cluster yourself, for example with eks.AlbController):
 * instance targets, so the ALB reaches the nodes on NodePorts. The rule from the ALB security group
 * to the node security group is owned here, the Ingress tells the controller to leave node rules
 * alone, and changes to the node security group's ingress rules are sent to an SNS topic.
 */
export class AlbInstanceTargetsStack extends KubeletBoundaryStack {
  public readonly albRules: AlbIngressBackendRules;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.albRules = new AlbIngressBackendRules(this, 'WebAlb', {
      vpc: this.vpc,
      cluster: this.cluster,
      targets: this.nodes,
      targetType: BackendTargetType.EKS_INSTANCE,
      watchSecurityGroupChanges: true,
    });

    this.albRules.addIngress('WebIngress', {
      name: 'web',
      namespace: 'shop',
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}]',
      },
      rules: [{ paths: [{ path: '/', serviceName: 'web', servicePort: 80 }] }],
    });
  }
}
