import { Arn, Aws, Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { nodeClassManifest, nodePoolManifest } from './manifests';
import { NodePoolRequirement } from './requirements';
import { validateNodePoolProps } from './validate';
import { AUTO_NODE_ACCESS_POLICY } from '../conventions';
import {
  applyManifest, clusterNameOf, clusterSecurityGroupIdOf, clusterVpcOf, manifestText, validateCanApply, validateClusterModule,
} from '../private/clusters';
import { throwIfProblems } from '../private/errors';

/**
 * Properties of a HardenedNodePool.
 */
export interface HardenedNodePoolProps {
  /**
   * The EKS Auto Mode cluster: an aws-eks-v2 cluster (with a kubectl provider, unless `apply` is
   * false), created in this app or imported. Create it with `compute: { nodePools: [] }`: the
   * built-in node pools launch their nodes on the cluster security group.
   */
  readonly cluster: eksRefs.IClusterRef;

  /**
   * The dedicated node security group the nodes carry, and the only one: for example
   * `HardenedNodeSecurityGroup.securityGroup`, restricted with `RestrictedKubeletAccess`. Never
   * the cluster security group.
   */
  readonly securityGroup: ec2.ISecurityGroup;

  /**
   * The subnets the nodes are launched in.
   *
   * @default - the private subnets of the cluster's VPC
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The IAM role of the nodes. It needs the access entry this construct creates (type `EC2`,
   * AmazonEKSAutoNodePolicy), and the cluster role must be allowed to pass it to EC2
   * (AmazonEKSComputePolicy allows it).
   *
   * @default - a role with AmazonEKSWorkerNodeMinimalPolicy and AmazonEC2ContainerRegistryPullOnly
   */
  readonly nodeRole?: iam.IRole;

  /**
   * The name of the NodeClass and of the NodePool.
   *
   * @default - a name derived from the construct path
   */
  readonly name?: string;

  /**
   * Requirements on the nodes the NodePool launches.
   *
   * @default - on-demand instances of the c, m and r categories
   */
  readonly requirements?: NodePoolRequirement[];

  /**
   * Whether to apply the NodeClass and the NodePool to the cluster as a Kubernetes manifest of the
   * app. Set it to false to apply `manifestJson` with a GitOps tool instead.
   *
   * @default true
   */
  readonly apply?: boolean;
}

/**
 * EKS Auto Mode nodes on a dedicated node security group: a NodeClass (`eks.amazonaws.com/v1`)
 * that selects only that security group, private subnets and no public IP addresses, a NodePool
 * (`karpenter.sh/v1`) that uses it, the nodes' IAM role, and the role's `EC2` access entry with
 * AmazonEKSAutoNodePolicy, which EKS creates itself only for its built-in NodeClass.
 *
 * Auto Mode's built-in NodeClass attaches the cluster security group, the boundary that
 * `HardenedNodeSecurityGroup` and `RestrictedKubeletAccess` remove for node groups. Use those two
 * for the security group and its rules, and this construct for the nodes.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html
 */
export class HardenedNodePool extends Construct {
  /** The name of the NodeClass and of the NodePool. */
  public readonly nodePoolName: string;

  /** The nodes' IAM role. */
  public readonly nodeRole: iam.IRole;

  /** The access entry of the nodes' role (type `EC2`, AmazonEKSAutoNodePolicy). */
  public readonly accessEntry: eks.CfnAccessEntry;

  /**
   * The manifest resource that applies the NodeClass and the NodePool.
   *
   * @default - none when `apply` is false
   */
  public readonly manifest?: Construct;

  /**
   * The NodeClass and the NodePool as JSON text (a `v1` `List`, which is YAML too), for GitOps
   * tools. The role name, subnet and security group ids in it are known at deploy time only: the
   * text resolves where the app uses it (a `CfnOutput`, an SSM parameter).
   */
  public readonly manifestJson: string;

  constructor(scope: Construct, id: string, props: HardenedNodePoolProps) {
    super(scope, id);

    this.nodePoolName = props.name ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase();
    const apply = props.apply ?? true;
    const vpc = clusterVpcOf(props.cluster);
    const subnetIds = selectSubnetIds(vpc, props.subnets);
    throwIfProblems(this, [
      ...validateClusterModule('cluster', props.cluster),
      ...(apply ? validateCanApply('cluster', props.cluster, 'the NodeClass and the NodePool', 'set apply: false and apply manifestJson with your GitOps tool') : []),
      ...validateNodePoolProps({
        name: this.nodePoolName,
        securityGroupId: props.securityGroup.securityGroupId,
        clusterSecurityGroupId: clusterSecurityGroupIdOf(props.cluster),
        subnetCount: subnetIds?.length,
        requirements: props.requirements,
      }),
    ]);

    this.nodeRole = props.nodeRole ?? new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `EKS Auto Mode nodes of ${this.node.path}`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodeMinimalPolicy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
      ],
    });

    // aws-cdk-lib's AccessEntry refuses access policies on an EC2 entry, which Auto Mode's custom
    // NodeClasses need (aws/aws-cdk#37496): the L1 writes what the EKS user guide says.
    this.accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: clusterNameOf(props.cluster),
      principalArn: this.nodeRole.roleArn,
      type: 'EC2',
      accessPolicies: [{
        policyArn: Arn.format({ partition: Aws.PARTITION, service: 'eks', region: '', account: 'aws', resource: 'cluster-access-policy', resourceName: AUTO_NODE_ACCESS_POLICY }),
        accessScope: { type: 'cluster' },
      }],
    });

    const manifest = [
      nodeClassManifest({
        name: this.nodePoolName,
        roleName: this.nodeRole.roleName,
        subnetIds: subnetIds!,
        securityGroupId: props.securityGroup.securityGroupId,
      }),
      nodePoolManifest({ name: this.nodePoolName, requirements: props.requirements }),
    ];
    this.manifestJson = manifestText(this, manifest);
    if (apply) {
      const applied = applyManifest(this, 'Resource', props.cluster, manifest) as Construct;
      // Nodes join only once their role has its access entry.
      applied.node.addDependency(this.accessEntry);
      this.manifest = applied;
    }
  }
}

/**
 * The ids of the selected subnets (of the cluster's VPC: the private and isolated ones unless
 * selected otherwise), or undefined when they cannot be known: an imported cluster without its
 * VPC, and no subnets given by object.
 */
function selectSubnetIds(vpc: ec2.IVpc | undefined, selection: ec2.SubnetSelection | undefined): string[] | undefined {
  if (vpc === undefined) return selection?.subnets?.map((s) => s.subnetId);
  if (selection !== undefined) return vpc.selectSubnets(selection).subnetIds;
  return [...vpc.privateSubnets, ...vpc.isolatedSubnets].map((s) => s.subnetId);
}
