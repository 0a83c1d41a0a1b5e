import { Names, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { LabelSelector } from './selectors';
import { emptySelectorWarnings, validateClusterTag, validatePolicy } from './validate';
import { CLUSTER_TAG_OWNED, CLUSTER_TAG_PREFIX, SECURITY_GROUP_POLICY_API_VERSION } from '../conventions';
import { applyManifest, clusterNameOf, clusterSecurityGroupIdOf, manifestText, validateCanApply, validateClusterModule } from '../private/clusters';
import { throwIfProblems } from '../private/errors';
import { warn } from '../private/warnings';

/**
 * Properties of a PodSecurityGroupPolicy.
 */
export interface PodSecurityGroupPolicyProps {
  /**
   * The cluster to apply the SecurityGroupPolicy to: an aws-eks or an aws-eks-v2 cluster (with a
   * kubectl provider, unless `apply` is false), created in this app or imported. Its VPC CNI must
   * run with pod ENIs on (SecurityGroupsForPods does that), or it is an EKS Auto Mode cluster of
   * Kubernetes 1.36 or later.
   */
  readonly cluster: eksRefs.IClusterRef;

  /**
   * Whether to apply the policy to the cluster as a Kubernetes manifest of the app. Set it to
   * false to apply `manifestJson` with a GitOps tool (Argo CD, Flux) instead; the
   * EksNetworkingChecks pack then cannot see the policy.
   *
   * @default true
   */
  readonly apply?: boolean;

  /** The namespace of the pods (and of the policy). */
  readonly namespace: string;

  /**
   * The name of the SecurityGroupPolicy object.
   *
   * @default - a name derived from the construct path
   */
  readonly name?: string;

  /**
   * Selects pods by their labels. Set exactly one of podSelector and serviceAccountSelector.
   *
   * An empty selector (`{}`: no matchLabels, no matchExpressions) selects every pod in the
   * namespace; it is allowed, with an acknowledgeable warning (`selectorSelectsAllPods`).
   *
   * @default - none
   */
  readonly podSelector?: LabelSelector;

  /**
   * Selects pods by the labels of their service account. Set exactly one of podSelector and
   * serviceAccountSelector.
   *
   * An empty selector (`{}`) selects every service account, so every pod in the namespace; it is
   * allowed, with an acknowledgeable warning (`selectorSelectsAllPods`).
   *
   * @default - none
   */
  readonly serviceAccountSelector?: LabelSelector;

  /**
   * The security groups of the selected pods, 1 to 5. They replace the node's security groups on
   * the pods' branch network interfaces: include one that lets the pods reach CoreDNS
   * (PodsSecurityGroup does), and on Fargate the cluster security group.
   */
  readonly securityGroups: ec2.ISecurityGroup[];

  /**
   * Of two or more `securityGroups`, the one to tag `kubernetes.io/cluster/<name>`: the AWS Load
   * Balancer Controller updates the rules of that group, and only of that one, to route load
   * balancer traffic to the pods (the EKS user guide asks for exactly one tagged group). It must
   * be one of `securityGroups`. A security group this app does not create cannot be tagged here:
   * tag it where it is defined (a warning says so). The cluster security group carries the tag
   * already (EKS writes it): among `securityGroups`, it is the tagged one.
   *
   * @default - none with one security group, or when `securityGroups` hold the cluster security group; otherwise required
   */
  readonly clusterTaggedSecurityGroup?: ec2.ISecurityGroup;
}

/**
 * Gives pods their own security groups: a `SecurityGroupPolicy` (vpcresources.k8s.aws/v1beta1)
 * applied to the cluster as a Kubernetes manifest, or taken as JSON text for GitOps.
 *
 * Warns, acknowledgeable with
 * `Validations.of(policy).acknowledge({ id: 'hardened-eks-networking:selectorSelectsAllPods', reason })`,
 * when a selector is empty and so selects every pod of the namespace.
 *
 * What only the whole app shows is checked by the EksNetworkingChecks pack, on the policy's
 * manifest: node groups of the cluster that cannot trunk (PSG5), a Fargate profile that selects
 * the namespace while the policy lacks the cluster security group (PSG6), and an EKS Auto Mode
 * cluster below Kubernetes 1.36 (PSG8). Acknowledge them on this construct, e.g.
 * `Validations.of(policy).acknowledge({ id: 'EksNetworking-PSG8', reason })`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html
 */
export class PodSecurityGroupPolicy extends Construct {
  /** The name of the SecurityGroupPolicy object. */
  public readonly policyName: string;

  /**
   * The manifest resource that applies the policy (an aws-eks or aws-eks-v2
   * `KubernetesManifest`, as the cluster is).
   *
   * @default - none when `apply` is false
   */
  public readonly manifest?: Construct;

  /**
   * The SecurityGroupPolicy as JSON text (which is YAML too), for GitOps tools. The security
   * group ids in it are known at deploy time only: the text resolves where the app uses it (a
   * `CfnOutput`, an SSM parameter).
   */
  public readonly manifestJson: string;

  constructor(scope: Construct, id: string, props: PodSecurityGroupPolicyProps) {
    super(scope, id);

    this.policyName = props.name ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase();
    const apply = props.apply ?? true;
    throwIfProblems(this, [
      ...validateClusterModule('cluster', props.cluster),
      ...(apply ? validateCanApply('cluster', props.cluster, 'the SecurityGroupPolicy', 'set apply: false and apply manifestJson with your GitOps tool') : []),
      ...validatePolicy({ ...props, name: this.policyName }),
      ...validateClusterTag(props.securityGroups, props.clusterTaggedSecurityGroup, clusterSecurityGroupIdOf(props.cluster)),
    ]);
    for (const warning of emptySelectorWarnings(props)) {
      warn(this, 'selectorSelectsAllPods', warning);
    }

    const tagged = props.clusterTaggedSecurityGroup;
    // EKS tags the cluster security group itself.
    if (tagged !== undefined && tagged.securityGroupId !== clusterSecurityGroupIdOf(props.cluster)) {
      if (tagged.node.defaultChild instanceof ec2.CfnSecurityGroup) {
        Tags.of(tagged).add(`${CLUSTER_TAG_PREFIX}${clusterNameOf(props.cluster)}`, CLUSTER_TAG_OWNED);
      } else {
        warn(this, 'clusterTagNotWritten', `clusterTaggedSecurityGroup: '${tagged.node.path}' is not created in this app, so it cannot be tagged ${CLUSTER_TAG_PREFIX}<cluster name> here; tag it where it is defined, or acknowledge this warning if it carries the tag.`);
      }
    }

    const selector = (s: LabelSelector) => ({
      ...(s.matchLabels ? { matchLabels: s.matchLabels } : {}),
      ...(s.matchExpressions ? {
        matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values ? { values: e.values } : {}) })),
      } : {}),
    });
    const manifest = {
      apiVersion: SECURITY_GROUP_POLICY_API_VERSION,
      kind: 'SecurityGroupPolicy',
      metadata: { name: this.policyName, namespace: props.namespace },
      spec: {
        ...(props.podSelector ? { podSelector: selector(props.podSelector) } : {}),
        ...(props.serviceAccountSelector ? { serviceAccountSelector: selector(props.serviceAccountSelector) } : {}),
        securityGroups: { groupIds: props.securityGroups.map((sg) => sg.securityGroupId) },
      },
    };
    this.manifestJson = manifestText(this, [manifest]);
    if (apply) {
      this.manifest = applyManifest(this, 'Resource', props.cluster, [manifest]) as Construct;
    }
  }
}
