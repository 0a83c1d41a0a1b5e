import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, WATCHED_EVENTS } from './defaults';
import { AlbIngressOptions } from './ingress';
import { ingressManifest, validateIngressOptions } from './ingress-manifest';
import { AppliedIngress, validateAnnotations, validateBackendRulesProps, validateHasCluster, validateHasIngress, validateIngressIsNew } from './validate';
import { Boundaries } from '../boundaries';
import { ALB_INGRESS_CLASS, MANAGE_BACKEND_RULES_ANNOTATION, SECURITY_GROUPS_ANNOTATION, TARGET_TYPE_ANNOTATION } from '../conventions';
import { applyManifest, manifestText, validateCanApply, validateClusterModule } from '../private/clusters';
import { droppedRules, RuleDirection } from '../private/dropped-rules';
import { prefixed, throwIfProblems } from '../private/errors';

/**
 * What the load balancer sends traffic to, and so which ports the rules open.
 */
export enum BackendTargetType {
  /**
   * EKS with `target-type: instance`: the load balancer reaches Services on the nodes' NodePorts
   * (TCP 30000-32767 unless narrowed).
   */
  EKS_INSTANCE = 'EKS_INSTANCE',

  /**
   * EKS with `target-type: ip`: the load balancer reaches pods on their container ports, on the
   * security group of the pods (the node security group, or a pods security group of
   * PodSecurityGroupPolicy). No NodePort rule.
   */
  EKS_IP = 'EKS_IP',

  /**
   * ECS on EC2 in bridge mode with `hostPort: 0`: the load balancer reaches containers on the
   * container instances' dynamic host ports (TCP 32768-65535 unless narrowed).
   */
  ECS_DYNAMIC_PORTS = 'ECS_DYNAMIC_PORTS',
}

/**
 * Properties of an AlbIngressBackendRules.
 */
export interface AlbIngressBackendRulesProps {
  /**
   * The targets of the load balancer: a HardenedNodeSecurityGroup (or the node security group) for
   * EKS instance targets, the pods' security group for ip targets, or the Auto Scaling group (or
   * its security group) of the ECS container instances.
   */
  readonly targets: ec2.IConnectable;

  /**
   * What the load balancer sends traffic to.
   *
   * @default BackendTargetType.EKS_INSTANCE
   */
  readonly targetType?: BackendTargetType;

  /**
   * The TCP ports the load balancer reaches the targets on. For EKS instance targets they must lie
   * in the NodePort range; for ip targets they are the container ports and are required. All
   * traffic, UDP, and any CIDR are never opened. An empty list fails at synth time (omit the prop
   * for the defaults), and so does a port whose number is a token: it cannot be checked, so the
   * boundary fails closed.
   *
   * @default - the NodePort range 30000-32767 for EKS_INSTANCE; 32768-65535 for ECS_DYNAMIC_PORTS; none for EKS_IP (required)
   */
  readonly ports?: ec2.Port[];

  /**
   * The load balancer's security group. For EKS it is named in the Ingress annotation
   * `alb.ingress.kubernetes.io/security-groups`; for ECS pass it to the `ApplicationLoadBalancer`.
   *
   * @default - a security group is created, with no egress but to the targets on the ports above
   */
  readonly loadBalancerSecurityGroup?: ec2.ISecurityGroup;

  /**
   * The VPC in which to create the load balancer security group.
   *
   * @default - required unless loadBalancerSecurityGroup is given
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Other security groups for the load balancer, named in the Ingress annotation next to the
   * load balancer security group (for example a shared WAF or allow-list group). They get no rule
   * to the targets.
   *
   * @default - none
   */
  readonly additionalLoadBalancerSecurityGroups?: ec2.ISecurityGroup[];

  /**
   * The cluster to which `addIngress()` applies Ingress manifests: an aws-eks or an aws-eks-v2
   * cluster (with a kubectl provider), created in this app or imported.
   *
   * @default - `addIngress()` is not available; `ingressManifestJson()` is
   */
  readonly cluster?: eksRefs.IClusterRef;

  /**
   * Whether to watch the target security groups for ingress rule changes: an EventBridge rule on
   * CloudTrail's AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress and
   * ModifySecurityGroupRules calls against them, sending each event to an SNS topic. EventBridge
   * receives these events only from a CloudTrail trail that logs management events.
   *
   * @default false
   */
  readonly watchSecurityGroupChanges?: boolean;

  /**
   * The SNS topic for security group change events.
   *
   * @default - when watching, a topic encrypted with a new KMS key is created
   */
  readonly watchTopic?: sns.ITopic;
}

/**
 * Owns the path from an Application Load Balancer to its targets: the load balancer security
 * group, the ingress rules from it on the targets' security groups, the Ingress annotations that
 * keep the AWS Load Balancer Controller from rewriting those rules, and, optionally, an alert when
 * anyone changes them.
 *
 * Side effects: ingress rules are added to the targets' security groups (the node, pods or
 * container instance security group), which this construct does not own.
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#security-groups
 */
export class AlbIngressBackendRules extends Construct implements ec2.IConnectable {
  /** The load balancer security group. */
  public readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;

  /** Connections of the load balancer security group, for its listeners' ingress. */
  public readonly connections: ec2.Connections;

  /** What the load balancer sends traffic to. */
  public readonly targetType: BackendTargetType;

  /** The topic that receives security group change events, when watching. */
  public readonly watchTopic?: sns.ITopic;

  private readonly additionalLoadBalancerSecurityGroups: ec2.ISecurityGroup[];
  private readonly cluster?: eksRefs.IClusterRef;
  private readonly ingresses: AppliedIngress[] = [];

  constructor(scope: Construct, id: string, props: AlbIngressBackendRulesProps) {
    super(scope, id);

    this.targetType = props.targetType ?? BackendTargetType.EKS_INSTANCE;
    const targetGroups = props.targets.connections.securityGroups;
    throwIfProblems(this, [...(props.cluster ? validateClusterModule('cluster', props.cluster) : []), ...validateBackendRulesProps({
      ports: props.ports,
      portsRequired: this.targetType === BackendTargetType.EKS_IP,
      within: this.targetType === BackendTargetType.EKS_INSTANCE
        ? { start: Boundaries.NODEPORT_RANGE_START, end: Boundaries.NODEPORT_RANGE_END, what: 'NodePort range' }
        : undefined,
      hasLoadBalancerSecurityGroup: props.loadBalancerSecurityGroup !== undefined,
      hasVpc: props.vpc !== undefined,
      targetSecurityGroupCount: targetGroups.length,
      hasWatchTopic: props.watchTopic !== undefined,
      watching: props.watchSecurityGroupChanges ?? false,
    })]);
    const ports = props.ports ?? defaultPorts(this.targetType);

    this.cluster = props.cluster;
    this.additionalLoadBalancerSecurityGroups = props.additionalLoadBalancerSecurityGroups ?? [];
    this.loadBalancerSecurityGroup = props.loadBalancerSecurityGroup ?? new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc!,
      description: 'Application Load Balancer: egress only to its targets',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [this.loadBalancerSecurityGroup] });

    for (const port of ports) {
      for (const target of targetGroups) {
        // In a target security group of another stack, the rule is created beside the load
        // balancer security group (remoteRule), so that stack never depends on this one.
        target.addIngressRule(this.loadBalancerSecurityGroup, port, `From the load balancer: ${port.toString()}`, true);
        this.loadBalancerSecurityGroup.addEgressRule(target, port, `To the targets: ${port.toString()}`);
      }
    }
    const lb = this.loadBalancerSecurityGroup;
    throwIfProblems(this, droppedRules(this, targetGroups.flatMap((target) => ports.flatMap((port) => [
      { prop: 'targets', direction: RuleDirection.INGRESS, group: target, peer: lb, port, peerDescription: 'from the load balancer' },
      { prop: 'loadBalancerSecurityGroup', direction: RuleDirection.EGRESS, group: lb, peer: target, port, peerDescription: 'to the targets' },
    ]))));

    if (props.watchSecurityGroupChanges) {
      this.watchTopic = this.watch(targetGroups, props.watchTopic);
    }
  }

  /**
   * The Ingress annotations that make the AWS Load Balancer Controller use the load balancer
   * security group and leave the targets' security group rules alone:
   * `security-groups` (the load balancer security group and any additional ones),
   * `manage-backend-security-group-rules: "false"` and `target-type`.
   *
   * `manage-backend-security-group-rules: "false"` alone does nothing: the controller honours it
   * only when the Ingress also names its own security groups, so the two always come together.
   */
  public ingressAnnotations(): { [key: string]: string } {
    throwIfProblems(this, validateHasIngress(this.targetType === BackendTargetType.ECS_DYNAMIC_PORTS));
    return {
      [SECURITY_GROUPS_ANNOTATION]: [this.loadBalancerSecurityGroup, ...this.additionalLoadBalancerSecurityGroups]
        .map((sg) => sg.securityGroupId).join(','),
      [MANAGE_BACKEND_RULES_ANNOTATION]: 'false',
      [TARGET_TYPE_ANNOTATION]: this.targetType === BackendTargetType.EKS_IP ? 'ip' : 'instance',
    };
  }

  /**
   * Applies an Ingress to the cluster as a Kubernetes manifest (of aws-eks or aws-eks-v2, as the
   * cluster is), with the annotations of `ingressAnnotations()` merged into its own. An
   * annotation of its own that sets one of them to another value fails at synth time, and so
   * does an Ingress whose name and namespace another `addIngress()` call already applied to the
   * cluster (of this or another AlbIngressBackendRules): the second manifest would overwrite the
   * first. An aws-eks-v2 cluster without a kubectl provider fails at synth time too: use
   * `ingressManifestJson()` and apply the text yourself.
   *
   * @param id the construct id of the manifest, a child of this construct
   * @param options the Ingress
   * @returns the manifest construct, for dependencies
   */
  public addIngress(id: string, options: AlbIngressOptions): Construct {
    const ours = this.ingressAnnotations();
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    throwIfProblems(this, prefixed(`addIngress('${id}'): `, [
      ...validateHasCluster(this.cluster !== undefined),
      ...(this.cluster ? validateCanApply('cluster', this.cluster, 'the Ingress', 'apply the text of ingressManifestJson() with your GitOps tool') : []),
      ...validateIngressOptions(options, namespace),
      ...validateIngressIsNew(options.name, namespace, this.ingressesOnCluster()),
      ...validateAnnotations(options.annotations ?? {}, ours),
    ]));
    const manifest = ingressManifest(options, namespace, { ...options.annotations, ...ours }, options.ingressClassName ?? ALB_INGRESS_CLASS);
    const applied = applyManifest(this, id, this.cluster!, [manifest]) as Construct;
    this.ingresses.push({ owner: this.node.path, id, name: options.name, namespace });
    return applied;
  }

  /**
   * The Ingress that `addIngress()` would apply, as JSON text (which is YAML too), for GitOps
   * tools such as Argo CD or Flux, with the same checks. The load balancer security group ids in
   * it are known at deploy time only: the text resolves where the app uses it (a `CfnOutput`,
   * an SSM parameter).
   *
   * @param options the Ingress
   */
  public ingressManifestJson(options: AlbIngressOptions): string {
    const ours = this.ingressAnnotations();
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    throwIfProblems(this, prefixed('ingressManifestJson(): ', [
      ...validateIngressOptions(options, namespace),
      ...validateAnnotations(options.annotations ?? {}, ours),
    ]));
    const manifest = ingressManifest(options, namespace, { ...options.annotations, ...ours }, options.ingressClassName ?? ALB_INGRESS_CLASS);
    return manifestText(this, [manifest]);
  }

  /** The Ingresses that this and every other AlbIngressBackendRules of the app applied to this cluster. */
  private ingressesOnCluster(): AppliedIngress[] {
    return this.node.root.node.findAll()
      .filter((c): c is AlbIngressBackendRules => c instanceof AlbIngressBackendRules && c.cluster !== undefined && c.cluster === this.cluster)
      .flatMap((rules) => rules.ingresses);
  }

  private watch(targetGroups: ec2.ISecurityGroup[], topic: sns.ITopic | undefined): sns.ITopic {
    const groupIds = targetGroups.map((sg) => sg.securityGroupId);
    let watchTopic = topic;
    if (watchTopic === undefined) {
      const key = new kms.Key(this, 'WatchTopicKey', {
        description: `Encrypts security group change events of ${this.node.path}`,
        enableKeyRotation: true,
      });
      // EventBridge publishes to the encrypted topic with this key.
      key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      watchTopic = new sns.Topic(this, 'WatchTopic', { masterKey: key, enforceSSL: true });
    }
    new events.Rule(this, 'WatchRule', {
      description: `Ingress rule changes on the targets of ${this.node.path}`,
      eventPattern: {
        source: ['aws.ec2'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['ec2.amazonaws.com'],
          eventName: [...WATCHED_EVENTS],
          // Authorize/Revoke name the group in requestParameters.groupId; ModifySecurityGroupRules in
          // requestParameters.ModifySecurityGroupRulesRequest.GroupId.
          $or: [
            { requestParameters: { groupId: groupIds } },
            { requestParameters: { ModifySecurityGroupRulesRequest: { GroupId: groupIds } } },
          ],
        },
      },
      targets: [new targets.SnsTopic(watchTopic)],
    });
    return watchTopic;
  }
}

function defaultPorts(targetType: BackendTargetType): ec2.Port[] {
  switch (targetType) {
    case BackendTargetType.EKS_INSTANCE:
      return [ec2.Port.tcpRange(Boundaries.NODEPORT_RANGE_START, Boundaries.NODEPORT_RANGE_END)];
    case BackendTargetType.ECS_DYNAMIC_PORTS:
      return [ec2.Port.tcpRange(Boundaries.ECS_DYNAMIC_PORT_RANGE_START, Boundaries.ECS_DYNAMIC_PORT_RANGE_END)];
    default:
      return [];
  }
}
