import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { vpcCniConfiguration } from './cni-configuration';
import { validateSecurityGroupsForPodsProps } from './validate';
import { clusterNameOf, clusterRoleOf, sameCluster, validateClusterModule } from '../private/clusters';
import { throwIfProblems } from '../private/errors';
import { warn } from '../private/warnings';

/**
 * How the VPC CNI enforces the security groups of pods.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/security-groups-pods-deployment.html
 */
export enum PodSecurityGroupEnforcingMode {
  /**
   * Only the pod's security groups apply to its traffic, even between pods on the same node (the
   * VPC CNI's default). TCP early demux is turned off so that kubelet probes reach the pods.
   */
  STRICT = 'strict',

  /**
   * The pod's and the node's security groups apply; traffic between pods on the same node is not
   * filtered. Needed with NodeLocal DNSCache, NetworkPolicy (the VPC CNI's network policy agent
   * or Calico) and Services with externalTrafficPolicy: Local.
   */
  STANDARD = 'standard',
}

/**
 * Properties of SecurityGroupsForPods.
 */
export interface SecurityGroupsForPodsProps {
  /**
   * The cluster whose VPC CNI and cluster role to configure: an aws-eks or an aws-eks-v2 cluster,
   * created in this app or imported.
   */
  readonly cluster: eksRefs.IClusterRef;

  /**
   * How the VPC CNI enforces pods' security groups.
   *
   * @default PodSecurityGroupEnforcingMode.STRICT - the VPC CNI's default, and the stricter one
   */
  readonly enforcingMode?: PodSecurityGroupEnforcingMode;

  /**
   * Whether pods' traffic leaves the VPC through an external NAT (AWS_VPC_K8S_CNI_EXTERNALSNAT
   * "true"): needed for pods with their own security groups in private subnets to reach the
   * internet through a NAT gateway, since their traffic is not source-NATed by the node.
   *
   * @default false
   */
  readonly externalSnat?: boolean;

  /**
   * The version of the vpc-cni add-on.
   *
   * @default - the add-on version EKS installs by default for the cluster's Kubernetes version
   */
  readonly addonVersion?: string;

  /**
   * The cluster role, to attach AmazonEKSVPCResourceController to. An imported cluster exposes no role.
   *
   * @default - the role of an `eks.Cluster` (of aws-eks or aws-eks-v2); for an imported cluster a warning says to attach the policy yourself
   */
  readonly clusterRole?: iam.IRole;
}

/**
 * Turns on security groups for pods on a cluster: the vpc-cni managed add-on with pod ENIs on,
 * and the AmazonEKSVPCResourceController managed policy on the cluster role.
 *
 * Side effects: this construct owns the cluster's `vpc-cni` add-on (`AWS::EKS::Addon`, conflicts
 * resolved by overwriting the self-managed `aws-node` configuration) and attaches a managed
 * policy to the cluster role. Do not declare another vpc-cni add-on for the cluster.
 *
 * Warns, acknowledgeable with
 * `Validations.of(pods).acknowledge({ id: 'hardened-eks-networking:clusterRoleUnknown', reason })`,
 * when the cluster role cannot be changed here.
 *
 * What only the whole app shows is checked by the EksNetworkingChecks pack, on the add-on: strict
 * mode while the cluster's manifests hold a NetworkPolicy, a NodeLocal DNSCache or a Service with
 * externalTrafficPolicy: Local (PSG7). Acknowledge it on this construct:
 * `Validations.of(pods).acknowledge({ id: 'EksNetworking-PSG7', reason })`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html
 */
export class SecurityGroupsForPods extends Construct {
  /** The vpc-cni add-on. */
  public readonly addon: eks.CfnAddon;

  /** The enforcing mode of the VPC CNI. */
  public readonly enforcingMode: PodSecurityGroupEnforcingMode;

  /** The cluster it turns security groups for pods on for. */
  private readonly cluster: eksRefs.IClusterRef;

  constructor(scope: Construct, id: string, props: SecurityGroupsForPodsProps) {
    super(scope, id);

    const other = this.node.root.node.findAll()
      .find((c): c is SecurityGroupsForPods => c instanceof SecurityGroupsForPods && c !== this && sameCluster(c.cluster, props.cluster));
    throwIfProblems(this, [
      ...validateClusterModule('cluster', props.cluster),
      ...validateSecurityGroupsForPodsProps({ addonVersion: props.addonVersion, otherOnCluster: other?.node.path }),
    ]);

    this.cluster = props.cluster;
    this.enforcingMode = props.enforcingMode ?? PodSecurityGroupEnforcingMode.STRICT;
    this.addon = new eks.CfnAddon(this, 'VpcCni', {
      clusterName: clusterNameOf(props.cluster),
      addonName: 'vpc-cni',
      addonVersion: props.addonVersion,
      resolveConflicts: 'OVERWRITE',
      configurationValues: Stack.of(this).toJsonString(vpcCniConfiguration(this.enforcingMode, props.externalSnat ?? false)),
    });

    const role = props.clusterRole ?? clusterRoleOf(props.cluster);
    const policy = iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController');
    if (role instanceof iam.Role) {
      role.addManagedPolicy(policy);
    } else {
      warn(this, 'clusterRoleUnknown', role === undefined
        ? 'the cluster role is not known here (an imported cluster exposes none), so AmazonEKSVPCResourceController could not be attached: attach it to the cluster role yourself, or pass clusterRole.'
        : 'the cluster role is imported, so AmazonEKSVPCResourceController could not be attached: attach it to the cluster role where the role is defined.');
    }
  }
}
