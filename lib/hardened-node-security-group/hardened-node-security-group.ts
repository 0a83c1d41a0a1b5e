import { CfnOutput, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { DEFAULT_DESCRIPTION } from './defaults';
import { NodegroupInput, validateNodegroupOptions, validateNodeSecurityGroupProps } from './validate';
import { Boundaries } from '../boundaries';
import { CLUSTER_TAG_OWNED, CLUSTER_TAG_PREFIX, DEFAULT_HOP_LIMIT } from '../conventions';
import { clusterNameOf, clusterVpcOf, EksModule, eksModuleOf, validateClusterModule, validateNodegroupCluster } from '../private/clusters';
import { prefixed, problem, throwIfProblems } from '../private/errors';

/**
 * Which traffic nodes on the node security group may send each other.
 */
export enum InterNodeTraffic {
  /**
   * All protocols and ports between nodes of the security group (a self-referencing rule).
   *
   * With the VPC CNI, pod IPs live on the nodes' network interfaces, which carry the node
   * security group: pods on different nodes talking on any port need this rule.
   */
  ALL_TRAFFIC = 'ALL_TRAFFIC',

  /**
   * Only what EKS documents as required between nodes: CoreDNS on TCP and UDP 53, and the
   * ephemeral range 1025-65535 on TCP and UDP. Pod-to-pod traffic on other ports (below 1025)
   * across nodes is then blocked unless you allow it.
   */
  DNS_AND_EPHEMERAL = 'DNS_AND_EPHEMERAL',
}

/**
 * Properties of a HardenedNodeSecurityGroup.
 */
export interface HardenedNodeSecurityGroupProps {
  /**
   * The VPC of the cluster, where the node security group is created.
   *
   * A VPC that is certainly another one than `cluster.vpc` (another literal id, or another VPC
   * this app creates) fails at synth time; one that cannot be compared (an imported token id, or
   * a cluster imported without its VPC) is used as it is.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The cluster whose nodes use the security group: an aws-eks or an aws-eks-v2 cluster, created
   * in this app or imported with `fromClusterAttributes()`. Its name goes into the
   * `kubernetes.io/cluster/<name>` tag of the node security group.
   */
  readonly cluster: eksRefs.IClusterRef;

  /**
   * Description of the node security group.
   *
   * EC2 takes up to 255 characters of a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*`;
   * anything else fails at synth time.
   *
   * @default 'EKS node-only security group: kubelet and node ingress restricted to declared sources'
   */
  readonly description?: string;

  /**
   * Physical name of the node security group.
   *
   * EC2 takes 1 to 255 characters of a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*`, not
   * starting with `sg-`; anything else fails at synth time instead of at deployment.
   *
   * @default - CloudFormation generates a name
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
   */
  readonly securityGroupName?: string;

  /**
   * Whether nodes may send IPv4 traffic anywhere (one explicit egress rule to 0.0.0.0/0).
   *
   * Nodes pull images from ECR, and call EKS, STS and EC2 APIs, through NAT or VPC endpoints.
   * Set it to `false` to write egress yourself with `connections.allowTo()`;
   * RestrictedKubeletAccess then adds the node egress to the cluster security group on TCP 443.
   *
   * @default true - as the source guide does
   */
  readonly allowAllOutbound?: boolean;

  /**
   * Whether nodes may send IPv6 traffic anywhere (an egress rule to ::/0).
   *
   * @default false
   */
  readonly allowAllIpv6Outbound?: boolean;

  /**
   * Which traffic nodes of this security group may send each other.
   *
   * @default InterNodeTraffic.ALL_TRAFFIC
   */
  readonly interNodeTraffic?: InterNodeTraffic;

  /**
   * IMDSv2 hop limit of the node launch template: 2 lets pods reach IMDS through the node, 1
   * keeps IMDS to the node itself (pods then need IRSA or Pod Identity). Other values are
   * rejected at synth time, and so is a token (a CloudFormation parameter, for example): it
   * cannot be checked to be 1 or 2, and aws-cdk-lib's launch template rejects it too. IMDSv2
   * tokens are always required.
   *
   * @default 2
   * @see https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
   */
  readonly httpPutResponseHopLimit?: number;

  /**
   * Other settings of the node launch template (block devices, key pair, user data, machine
   * image, tags). `securityGroup`, `role`, `instanceProfile`, `httpTokens`, `requireImdsv2`,
   * `httpEndpoint` and `httpPutResponseHopLimit` are set by this construct and rejected here.
   *
   * @default - a launch template with only the node security group and IMDSv2 settings
   * @see https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
   */
  readonly launchTemplateProps?: ec2.LaunchTemplateProps;

  /**
   * Whether to add a stack output with the node security group id, for audits and for tools
   * outside CDK.
   *
   * @default true
   */
  readonly nodeSecurityGroupIdOutput?: boolean;
}

/**
 * A node-only security group for EKS managed node groups, and a launch template that attaches
 * only that security group.
 *
 * When a launch template sets security groups, EKS does not attach the cluster security group
 * to the nodes: the control plane then reaches the kubelet, and the nodes reach a private API
 * endpoint, only through the rules of `RestrictedKubeletAccess`. Use both together.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
 */
export class HardenedNodeSecurityGroup extends Construct implements ec2.IConnectable {
  /** The node security group. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** The launch template that attaches only the node security group and requires IMDSv2. */
  public readonly launchTemplate: ec2.ILaunchTemplate;

  /** The launch template to pass as `launchTemplateSpec` to `cluster.addNodegroupCapacity()`. */
  public readonly launchTemplateSpec: eks.LaunchTemplateSpec;

  /** Connections of the node security group: use `allowFrom()` and `allowTo()` to add rules. */
  public readonly connections: ec2.Connections;

  private readonly cluster: eksRefs.IClusterRef;
  private readonly launchTemplateSetsInstanceType: boolean;
  private readonly launchTemplateSetsImage: boolean;

  constructor(scope: Construct, id: string, props: HardenedNodeSecurityGroupProps) {
    super(scope, id);

    throwIfProblems(this, [
      ...validateClusterModule('cluster', props.cluster),
      ...validateNodeSecurityGroupProps({ ...props, clusterVpc: clusterVpcOf(props.cluster) }),
    ]);

    const hopLimit = props.httpPutResponseHopLimit ?? DEFAULT_HOP_LIMIT;
    const allowAllOutbound = props.allowAllOutbound ?? true;
    this.cluster = props.cluster;
    this.launchTemplateSetsInstanceType = props.launchTemplateProps?.instanceType !== undefined;
    this.launchTemplateSetsImage = props.launchTemplateProps?.machineImage !== undefined;

    const securityGroup = new ec2.SecurityGroup(this, 'Resource', {
      vpc: props.vpc,
      description: props.description ?? DEFAULT_DESCRIPTION,
      securityGroupName: props.securityGroupName,
      allowAllOutbound,
      allowAllIpv6Outbound: props.allowAllIpv6Outbound ?? false,
    });
    this.securityGroup = securityGroup;
    this.connections = securityGroup.connections;

    this.addInterNodeRules(securityGroup, props.interNodeTraffic ?? InterNodeTraffic.ALL_TRAFFIC, allowAllOutbound);

    // Exactly one SG per node carries the cluster tag: the cluster SG is not on these nodes.
    Tags.of(securityGroup).add(`${CLUSTER_TAG_PREFIX}${clusterNameOf(props.cluster)}`, CLUSTER_TAG_OWNED);

    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      ...props.launchTemplateProps,
      securityGroup,
      httpEndpoint: true,
      httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
      httpPutResponseHopLimit: hopLimit,
    });
    this.launchTemplate = launchTemplate;
    this.launchTemplateSpec = {
      id: launchTemplate.launchTemplateId!,
      version: launchTemplate.latestVersionNumber,
    };

    if (props.nodeSecurityGroupIdOutput ?? true) {
      new CfnOutput(this, 'NodeSecurityGroupId', {
        description: `Node-only security group of ${this.node.path}`,
        value: securityGroup.securityGroupId,
      });
    }
  }

  /**
   * Adds a managed node group of an aws-eks cluster that uses the hardened launch template.
   * For an aws-eks-v2 cluster, call `addNodegroupV2()`.
   *
   * Options that EKS rejects next to a launch template (`diskSize`, `remoteAccess`, and
   * `instanceTypes` or `amiType` when the launch template already sets them) fail at synth time.
   *
   * @param id the construct id of the node group, a child of this construct
   * @param options the node group's options, without `launchTemplateSpec`
   */
  public addNodegroup(id: string, options: eks.NodegroupOptions = {}): eks.Nodegroup {
    this.validateNodegroup('addNodegroup', id, EksModule.AWS_EKS, options);
    return new eks.Nodegroup(this, id, {
      ...options,
      cluster: this.cluster as eks.ICluster,
      launchTemplateSpec: this.launchTemplateSpec,
    });
  }

  /**
   * Adds a managed node group of an aws-eks-v2 cluster that uses the hardened launch template,
   * with the same checks as `addNodegroup()`. It works with Auto Mode on or off.
   *
   * @param id the construct id of the node group, a child of this construct
   * @param options the node group's options, without `launchTemplateSpec`
   */
  public addNodegroupV2(id: string, options: eksv2.NodegroupOptions = {}): eksv2.Nodegroup {
    this.validateNodegroup('addNodegroupV2', id, EksModule.AWS_EKS_V2, options);
    return new eksv2.Nodegroup(this, id, {
      ...options,
      cluster: this.cluster as eksv2.ICluster,
      launchTemplateSpec: this.launchTemplateSpec,
    });
  }

  private validateNodegroup(method: string, id: string, module: EksModule, options: NodegroupInput['options']): void {
    const other = module === EksModule.AWS_EKS ? 'addNodegroupV2' : 'addNodegroup';
    throwIfProblems(this, prefixed(`${method}('${id}'): `, [
      ...(eksModuleOf(this.cluster) === module ? validateNodegroupCluster(this.cluster) : [problem('nodegroupOtherModule',
        `cluster: '${this.cluster.node.path}' is not an ${module} cluster, and ${method}() creates a node group of ${module}; call ${other}() instead`)]),
      ...validateNodegroupOptions({
        options,
        launchTemplateSetsInstanceType: this.launchTemplateSetsInstanceType,
        launchTemplateSetsImage: this.launchTemplateSetsImage,
      }),
    ]));
  }

  private addInterNodeRules(sg: ec2.SecurityGroup, traffic: InterNodeTraffic, allowAllOutbound: boolean): void {
    const ports = traffic === InterNodeTraffic.ALL_TRAFFIC
      ? [ec2.Port.allTraffic()]
      : [
        ec2.Port.tcp(Boundaries.DNS_PORT),
        ec2.Port.udp(Boundaries.DNS_PORT),
        ec2.Port.tcpRange(Boundaries.NODE_EPHEMERAL_RANGE_START, Boundaries.NODE_EPHEMERAL_RANGE_END),
        ec2.Port.udpRange(Boundaries.NODE_EPHEMERAL_RANGE_START, Boundaries.NODE_EPHEMERAL_RANGE_END),
      ];
    for (const port of ports) {
      sg.addIngressRule(sg, port, `From other nodes: ${port.toString()}`);
      if (!allowAllOutbound) {
        sg.addEgressRule(sg, port, `To other nodes: ${port.toString()}`);
      }
    }
  }
}
