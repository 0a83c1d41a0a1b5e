import { Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { DEFAULT_WEBHOOK_PORTS, TCP } from './defaults';
import { validateKubeletAccessProps, validateNodeSecurityGroup, validateSomeNodeSecurityGroup } from './validate';
import { Boundaries } from '../boundaries';
import { clusterSecurityGroupIdOf, clusterVpcOf, validateClusterModule } from '../private/clusters';
import { throwIfProblems } from '../private/errors';

/**
 * Properties of a RestrictedKubeletAccess.
 */
export interface RestrictedKubeletAccessProps {
  /**
   * The cluster whose cluster security group (the one EKS creates and attaches to the control
   * plane's network interfaces) is the only source of kubelet and webhook traffic: an aws-eks or
   * an aws-eks-v2 cluster, created in this app or imported with `fromClusterAttributes()` and its
   * `clusterSecurityGroupId`.
   */
  readonly cluster: eksRefs.IClusterRef;

  /**
   * Dedicated node security groups (one per node group, or one shared) to restrict. More can be
   * added with `addNodeSecurityGroup()`. A security group this app creates in another VPC than
   * the cluster's fails at synth time.
   *
   * @default - none yet; at least one must be added before synthesis
   */
  readonly nodeSecurityGroups?: ec2.ISecurityGroup[];

  /**
   * TCP ports of webhooks and aggregated API servers that run in pods on the nodes and that the
   * control plane must call, opened from the cluster security group only.
   *
   * Defaults, as terraform-aws-eks opens them: 4443 (metrics-server), 6443 (API-server-style
   * webhooks such as Gatekeeper and Prometheus Adapter), 8443 (Karpenter, Kyverno),
   * 9443 (controller-runtime webhooks: AWS Load Balancer Controller, cert-manager),
   * 10251 (other controllers' webhooks). Pass `[]` to open none. 10250 is always opened;
   * 10255 is never opened and is rejected here. A token (a CloudFormation parameter, for
   * example) fails at synth time: it cannot be checked against 10250 and 10255, so the boundary
   * fails closed.
   *
   * @default [4443, 6443, 8443, 9443, 10251]
   */
  readonly webhookPorts?: number[];

  /**
   * Other security groups that may reach the kubelet (TCP 10250) on the nodes, for example a
   * monitoring agent's. Only security groups are accepted: a CIDR (IPv4 or IPv6) or a prefix
   * list fails at synth time.
   *
   * @default - only the cluster security group reaches the kubelet
   */
  readonly additionalKubeletSources?: ec2.IPeer[];
}

/**
 * Restricts the kubelet (TCP 10250) on dedicated node security groups to the EKS cluster
 * security group, and opens what the control plane and the nodes still need between them:
 *
 * - node SG ingress TCP 10250 and the webhook ports from the cluster SG;
 * - cluster SG egress TCP 10250 and the webhook ports to the node SG;
 * - cluster SG ingress TCP 443 from the node SG (nodes reach a private API endpoint), and the
 *   node SG egress that goes with it.
 *
 * TCP 10255 (the kubelet's read-only port) is never opened.
 *
 * Side effects: rules are added to the cluster security group, which EKS owns. Every rule is
 * written as a standalone `AWS::EC2::SecurityGroupIngress` or `AWS::EC2::SecurityGroupEgress`,
 * because aws-eks imports the cluster security group with `allowAllOutbound: true` and would
 * silently drop egress rules added through it.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
 */
export class RestrictedKubeletAccess extends Construct {
  /** The id of the cluster security group: the only source of kubelet traffic. */
  public readonly clusterSecurityGroupId: string;

  private readonly webhookPorts: number[];
  private readonly additionalKubeletSources: ec2.IPeer[];
  private readonly nodeSecurityGroupIds: string[] = [];
  private readonly clusterVpc?: ec2.IVpc;

  constructor(scope: Construct, id: string, props: RestrictedKubeletAccessProps) {
    super(scope, id);

    this.webhookPorts = props.webhookPorts ?? [...DEFAULT_WEBHOOK_PORTS];
    this.additionalKubeletSources = props.additionalKubeletSources ?? [];
    const clusterSecurityGroupId = clusterSecurityGroupIdOf(props.cluster);
    // A cluster of neither module has no cluster security group to read: say only that.
    throwIfProblems(this, validateClusterModule('cluster', props.cluster));
    throwIfProblems(this, [
      ...validateKubeletAccessProps({
        clusterPath: props.cluster.node.path,
        clusterSecurityGroupId,
        webhookPorts: this.webhookPorts,
        additionalKubeletSources: this.additionalKubeletSources,
      }),
    ]);
    this.clusterSecurityGroupId = clusterSecurityGroupId!;
    this.clusterVpc = clusterVpcOf(props.cluster);

    for (const sg of props.nodeSecurityGroups ?? []) {
      this.addNodeSecurityGroup(sg);
    }

    this.node.addValidation({ validate: () => validateSomeNodeSecurityGroup(this.nodeSecurityGroupIds.length) });
  }

  /**
   * Restricts one more dedicated node security group, for example another node group's.
   *
   * @param securityGroup a node security group other than the cluster security group, in the cluster's VPC
   */
  public addNodeSecurityGroup(securityGroup: ec2.ISecurityGroup): void {
    throwIfProblems(this, validateNodeSecurityGroup({
      securityGroup,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      clusterVpc: this.clusterVpc,
      added: this.nodeSecurityGroupIds,
    }));
    const nodeSgId = securityGroup.securityGroupId;
    this.nodeSecurityGroupIds.push(nodeSgId);

    // Named after the security group's own unique id, so that adding or removing one node group
    // never renames (and so replaces) the rules of another.
    const scope = new Construct(this, Names.nodeUniqueId(securityGroup.node));
    const clusterSg = this.clusterSecurityGroupId;

    this.allowTcpFromCluster(scope, 'Kubelet', nodeSgId, Boundaries.KUBELET_PORT, 'kubelet API from the EKS control plane only');
    // Every webhook port is a literal here: the validation rejects tokens.
    for (const port of this.webhookPorts) {
      this.allowTcpFromCluster(scope, `Webhook${port}`, nodeSgId, port, `webhook port ${port}, called by the EKS control plane`);
    }

    for (const source of this.additionalKubeletSources) {
      new ec2.CfnSecurityGroupIngress(scope, `KubeletFrom${source.uniqueId}`, {
        groupId: nodeSgId,
        ipProtocol: TCP,
        fromPort: Boundaries.KUBELET_PORT,
        toPort: Boundaries.KUBELET_PORT,
        sourceSecurityGroupId: source.toIngressRuleConfig().sourceSecurityGroupId,
        description: 'kubelet API from an additional security group',
      });
    }

    new ec2.CfnSecurityGroupIngress(scope, 'ApiIngress', {
      groupId: clusterSg,
      ipProtocol: TCP,
      fromPort: Boundaries.KUBERNETES_API_PORT,
      toPort: Boundaries.KUBERNETES_API_PORT,
      sourceSecurityGroupId: nodeSgId,
      description: 'Kubernetes API (private endpoint) from nodes',
    });
    new ec2.CfnSecurityGroupEgress(scope, 'ApiEgress', {
      groupId: nodeSgId,
      ipProtocol: TCP,
      fromPort: Boundaries.KUBERNETES_API_PORT,
      toPort: Boundaries.KUBERNETES_API_PORT,
      destinationSecurityGroupId: clusterSg,
      description: 'Kubernetes API (private endpoint) from nodes',
    });
  }

  /** Node SG ingress from the cluster SG, and the cluster SG egress that goes with it. */
  private allowTcpFromCluster(scope: Construct, id: string, nodeSgId: string, port: number, what: string): void {
    new ec2.CfnSecurityGroupIngress(scope, `${id}Ingress`, {
      groupId: nodeSgId,
      ipProtocol: TCP,
      fromPort: port,
      toPort: port,
      sourceSecurityGroupId: this.clusterSecurityGroupId,
      description: what,
    });
    new ec2.CfnSecurityGroupEgress(scope, `${id}Egress`, {
      groupId: this.clusterSecurityGroupId,
      ipProtocol: TCP,
      fromPort: port,
      toPort: port,
      destinationSecurityGroupId: nodeSgId,
      description: what,
    });
  }
}
