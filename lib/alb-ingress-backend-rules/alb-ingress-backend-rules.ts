import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, WATCHED_EVENTS } from './defaults';
import { AlbIngressOptions, TargetGroupBindingOptions } from './ingress';
import { ingressManifest, validateIngressOptions } from './ingress-manifest';
import { BindingTargetType, targetGroupBindingManifest, validateBindingOptions } from './target-group-binding';
import { AppliedIngress, validateAnnotations, validateBackendRulesProps, validateHasCluster, validateHasIngress, validateIngressIsNew } from './validate';
import { Boundaries } from '../boundaries';
import { ALB_INGRESS_CLASS, MANAGE_BACKEND_RULES_ANNOTATION, SECURITY_GROUPS_ANNOTATION, TARGET_TYPE_ANNOTATION } from '../conventions';
import { applyManifest, manifestText, validateCanApply, validateClusterModule } from '../private/clusters';
import { droppedRules, RuleDirection } from '../private/dropped-rules';
import { prefixed, problem, throwIfProblems } from '../private/errors';

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
   * The SNS topic for security group change events and target health alarms.
   *
   * @default - when watching or alarming, a topic encrypted with a new KMS key is created
   */
  readonly watchTopic?: sns.ITopic;

  /**
   * Whether `addTargetGroupBinding()` and `addTargetHealthAlarms()` add CloudWatch alarms on the
   * target group's `UnHealthyHostCount` (above 0) and `HealthyHostCount` (below
   * `minimumHealthyTargets`), sending to the topic of `watchTopic`. A target group that the AWS
   * Load Balancer Controller creates for an Ingress is not in the app, so it cannot be alarmed
   * from CDK: bind a CDK-owned target group instead.
   *
   * @default true
   */
  readonly targetHealthAlarms?: boolean;

  /**
   * The fewest healthy targets each alarmed target group should have.
   *
   * @default 1
   */
  readonly minimumHealthyTargets?: number;
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


  private readonly additionalLoadBalancerSecurityGroups: ec2.ISecurityGroup[];
  private readonly cluster?: eksRefs.IClusterRef;
  private readonly ingresses: AppliedIngress[] = [];
  private readonly alarmTargetHealth: boolean;
  private readonly minimumHealthyTargets: number;
  private readonly givenTopic?: sns.ITopic;
  private topic?: sns.ITopic;

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
      watching: (props.watchSecurityGroupChanges ?? false) || (props.targetHealthAlarms ?? true),
      minimumHealthyTargets: props.minimumHealthyTargets,
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

    this.alarmTargetHealth = props.targetHealthAlarms ?? true;
    this.minimumHealthyTargets = props.minimumHealthyTargets ?? 1;
    this.givenTopic = props.watchTopic;
    if (props.watchSecurityGroupChanges) {
      this.watch(targetGroups);
    }
  }

  /**
   * The topic that receives security group change events and target health alarms, once
   * watching or an alarm made one; the given `watchTopic` otherwise.
   */
  public get watchTopic(): sns.ITopic | undefined {
    return this.topic ?? this.givenTopic;
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

  /**
   * Binds a target group this app owns to a Kubernetes Service: a TargetGroupBinding
   * (`elbv2.k8s.aws/v1beta1`) applied to the cluster, with which the AWS Load Balancer Controller
   * registers the Service's targets (pod IPs for `EKS_IP`, NodePorts for `EKS_INSTANCE`) and
   * nothing else. It writes no `spec.networking`, so the controller writes no security group rule:
   * this construct's rules from the load balancer to the targets are the only ones. Adds the
   * target health alarms too, unless `targetHealthAlarms` is false.
   *
   * @param id the construct id of the manifest, a child of this construct
   * @param options the target group and the Service
   * @returns the manifest construct, for dependencies
   */
  public addTargetGroupBinding(id: string, options: TargetGroupBindingOptions): Construct {
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    const targetType = this.bindingTargetType();
    throwIfProblems(this, prefixed(`addTargetGroupBinding('${id}'): `, [
      ...validateHasCluster(this.cluster !== undefined),
      ...(this.cluster ? validateCanApply('cluster', this.cluster, 'the TargetGroupBinding', 'apply the text of targetGroupBindingJson() with your GitOps tool') : []),
      ...(targetType === undefined ? [] : validateBindingOptions(options, namespace, targetType)),
    ]));
    const manifest = applyManifest(this, id, this.cluster!, [targetGroupBindingManifest(options, namespace, targetType!)]) as Construct;
    if (this.alarmTargetHealth) this.addTargetHealthAlarms(`${id}Health`, options.targetGroup);
    return manifest;
  }

  /**
   * The TargetGroupBinding that `addTargetGroupBinding()` would apply, as JSON text (which is
   * YAML too) for GitOps tools, with the same checks. The target group ARN in it is known at
   * deploy time only: the text resolves where the app uses it (a `CfnOutput`, an SSM parameter).
   * It adds no alarm: call `addTargetHealthAlarms()` for that.
   *
   * @param options the target group and the Service
   */
  public targetGroupBindingJson(options: TargetGroupBindingOptions): string {
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    const targetType = this.bindingTargetType();
    throwIfProblems(this, prefixed('targetGroupBindingJson(): ', targetType === undefined ? [] : validateBindingOptions(options, namespace, targetType)));
    return manifestText(this, [targetGroupBindingManifest(options, namespace, targetType!)]);
  }

  /**
   * CloudWatch alarms on a target group's health: `UnHealthyHostCount` above 0 and
   * `HealthyHostCount` below `minimumHealthyTargets`, each for 3 minutes, sent to the topic of
   * `watchTopic`. For a target group this app owns: one that `addTargetGroupBinding()` binds
   * (which calls this), or one an ECS service registers with.
   *
   * @param id the prefix of the alarms' construct ids
   * @param targetGroup a target group attached to a load balancer (its metrics name both)
   * @returns the two alarms
   */
  public addTargetHealthAlarms(id: string, targetGroup: elbv2.IApplicationTargetGroup): cloudwatch.Alarm[] {
    const topic = new cwActions.SnsAction(this.alertTopic());
    const alarms = [
      new cloudwatch.Alarm(this, `${id}Unhealthy`, {
        alarmDescription: `Unhealthy targets in ${targetGroup.node.path} (behind ${this.node.path})`,
        metric: targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, `${id}Healthy`, {
        alarmDescription: `Fewer than ${this.minimumHealthyTargets} healthy targets in ${targetGroup.node.path} (behind ${this.node.path})`,
        metric: targetGroup.metrics.healthyHostCount({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MINIMUM }),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        threshold: this.minimumHealthyTargets,
        evaluationPeriods: 3,
        // No data means no healthy target reported.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    ];
    for (const alarm of alarms) {
      alarm.addAlarmAction(topic);
      alarm.addOkAction(topic);
    }
    return alarms;
  }

  /** The TargetGroupBinding target type, or undefined (with the error thrown) for ECS. */
  private bindingTargetType(): BindingTargetType | undefined {
    if (this.targetType === BackendTargetType.ECS_DYNAMIC_PORTS) {
      throwIfProblems(this, [problem('bindingOnEcs', 'targetType: ECS_DYNAMIC_PORTS has no Kubernetes Service to bind; ECS services register with their target groups themselves, so call addTargetHealthAlarms() for the alarms')]);
    }
    return this.targetType === BackendTargetType.EKS_IP ? 'ip' : 'instance';
  }

  /** The Ingresses that this and every other AlbIngressBackendRules of the app applied to this cluster. */
  private ingressesOnCluster(): AppliedIngress[] {
    return this.node.root.node.findAll()
      .filter((c): c is AlbIngressBackendRules => c instanceof AlbIngressBackendRules && c.cluster !== undefined && c.cluster === this.cluster)
      .flatMap((rules) => rules.ingresses);
  }

  /** The topic of events and alarms: the given one, or one encrypted with a key of its own, made once. */
  private alertTopic(): sns.ITopic {
    if (this.topic === undefined) {
      if (this.givenTopic !== undefined) {
        this.topic = this.givenTopic;
      } else {
        const key = new kms.Key(this, 'WatchTopicKey', {
          description: `Encrypts security group change events and target health alarms of ${this.node.path}`,
          enableKeyRotation: true,
        });
        // EventBridge and CloudWatch publish to the encrypted topic with this key.
        for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
          key.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
        }
        this.topic = new sns.Topic(this, 'WatchTopic', { masterKey: key, enforceSSL: true });
      }
    }
    return this.topic;
  }

  private watch(targetGroups: ec2.ISecurityGroup[]): void {
    const groupIds = targetGroups.map((sg) => sg.securityGroupId);
    const watchTopic = this.alertTopic();
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
