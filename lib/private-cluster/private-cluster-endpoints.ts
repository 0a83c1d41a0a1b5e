import { AspectPriority, Aspects, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cr from 'aws-cdk-lib/custom-resources';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { Construct, IConstruct } from 'constructs';
import { kubectlSecurityGroupsOf, privateEndpointAccessOf } from './cluster-reads';
import { ENDPOINT_SECURITY_GROUP_DESCRIPTION, OPTIONAL_INTERFACE_ENDPOINTS, REQUIRED_INTERFACE_ENDPOINTS } from './defaults';
import { OptionalClusterEndpoint } from './optional-endpoint';
import { validateEndpointsNodeSecurityGroup, validateEndpointsProps, validateSomeEndpointsNodeSecurityGroup } from './validate';
import { Boundaries } from '../boundaries';
import { AWS_API_PORT } from '../conventions';
import { clusterSecurityGroupIdOf, clusterVpcOf, validateClusterModule } from '../private/clusters';
import { throwIfProblems } from '../private/errors';

export { OptionalClusterEndpoint } from './optional-endpoint';

/**
 * Properties of a PrivateClusterEndpoints.
 */
export interface PrivateClusterEndpointsProps {
  /**
   * The cluster whose nodes use the endpoints: an aws-eks or an aws-eks-v2 cluster, created in
   * this app or imported with `fromClusterAttributes()`. Its VPC (unless `vpc` is given), its
   * cluster security group (for nodes that close their egress), its endpoint access and its
   * kubectl handler's security groups are read from it.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
   */
  readonly cluster: eksRefs.IClusterRef;

  /**
   * The VPC of the cluster, where the endpoints are created. Another VPC than the cluster's (two
   * different literal ids, or two different VPCs of this app) fails at synth time.
   *
   * @default - the cluster's VPC; a cluster imported without `vpc` then fails at synth time
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of the nodes. Each interface endpoint gets a network interface in one of them per
   * Availability Zone (the first selected in each zone), and the S3 gateway endpoint is added to
   * the route tables of all of them.
   *
   * @default - the private and isolated subnets of the VPC
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The security groups of the nodes, which may reach the endpoints on TCP 443. More can be added
   * with `addNodeSecurityGroup()`.
   *
   * A group whose `allowAllOutbound` is false also gets the egress its nodes still need: TCP 443
   * to the endpoints, to S3 and to the cluster security group. A group this app creates in
   * another VPC fails at synth time.
   *
   * @default - none yet; at least one must be added before synthesis
   */
  readonly nodeSecurityGroups?: ec2.ISecurityGroup[];

  /**
   * Interface endpoints to create besides the ones every private cluster needs, for the features
   * that use them.
   *
   * @default - none
   */
  readonly optionalEndpoints?: OptionalClusterEndpoint[];

  /**
   * The S3 prefix list (`com.amazonaws.<region>.s3`, the prefix list of the S3 gateway endpoint's
   * service) that node security groups with closed egress may reach on TCP 443, for example
   * `ec2.PrefixList.fromPrefixListId(this, 'S3', 'pl-63a5400a')` or `ec2.PrefixList.fromLookup()`.
   * Used only when a node security group has `allowAllOutbound` false.
   *
   * @default - looked up at deploy time by a custom resource (EC2 DescribePrefixLists), created
   * only when a node security group has closed egress
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
   */
  readonly s3PrefixList?: ec2.IPrefixList;
}

/**
 * The VPC endpoints that EKS nodes and the usual add-ons need in a cluster without internet
 * egress, as the EKS user guide lists them, and the node egress that goes with them.
 *
 * In the cluster's VPC, it creates:
 *
 * - interface endpoints with private DNS names for ECR (API and registry), EC2, STS, CloudWatch
 *   Logs, Elastic Load Balancing, Auto Scaling, EKS and EKS Auth (Pod Identity), and the
 *   `optionalEndpoints`, in the node subnets;
 * - an S3 gateway endpoint on the route tables of the node subnets (image layers);
 * - one security group for the interface endpoints that accepts TCP 443 only from the node
 *   security groups and from the kubectl handler's security groups, with no egress.
 *
 * For each node security group whose `allowAllOutbound` is false, it writes the egress the nodes
 * still need: TCP 443 to the endpoint security group, to the S3 prefix list, and to the cluster
 * security group (the private API endpoint); each only when the app does not already write that
 * rule (RestrictedKubeletAccess writes the last one too). DNS needs no rule: security groups do not
 * filter traffic to the Amazon DNS server. Traffic between nodes is HardenedNodeSecurityGroup's.
 *
 * Side effects: egress rules on the node security groups with closed egress, as standalone
 * `AWS::EC2::SecurityGroupEgress` resources of this construct. Without `s3PrefixList`, a custom
 * resource looks up the S3 prefix list at deploy time; aws-cdk-lib puts its Lambda function (one
 * per stack) at the stack's root.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
 */
export class PrivateClusterEndpoints extends Construct implements ec2.IConnectable {
  /** The security group of the interface endpoints. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /**
   * Connections of the endpoint security group, default port TCP 443: use
   * `allowDefaultPortFrom()` for other clients of the endpoints.
   */
  public readonly connections: ec2.Connections;

  /** The interface endpoints, the required ones first, then the optional ones in the order asked. */
  public readonly interfaceEndpoints: ec2.IInterfaceVpcEndpoint[];

  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.IGatewayVpcEndpoint;

  private readonly cluster: eksRefs.IClusterRef;
  private readonly vpc: ec2.IVpc;
  private readonly clusterSecurityGroupId?: string;
  private readonly givenS3PrefixList?: ec2.IPrefixList;
  private readonly nodeSecurityGroupIds: string[] = [];
  /** The node security groups with closed egress, each with the scope of its rules. */
  private readonly closedNodeSecurityGroups: Array<{ readonly securityGroup: ec2.ISecurityGroup; readonly scope: Construct }> = [];
  /** The ids of the security groups the endpoint security group accepts. */
  private readonly sourceIds = new Set<string>();
  private privateEndpointAccess?: { readonly value?: boolean };
  private s3PrefixListId?: string;

  constructor(scope: Construct, id: string, props: PrivateClusterEndpointsProps) {
    super(scope, id);

    // A cluster of neither module has nothing to read: say only that.
    throwIfProblems(this, validateClusterModule('cluster', props.cluster));
    const clusterVpc = clusterVpcOf(props.cluster);
    const vpc = props.vpc ?? clusterVpc;
    const optionalEndpoints = props.optionalEndpoints ?? [];
    const selected = vpc === undefined ? undefined : selectSubnets(vpc, props.subnets);
    throwIfProblems(this, validateEndpointsProps({
      clusterPath: props.cluster.node.path,
      vpc: props.vpc,
      clusterVpc,
      subnetsGiven: props.subnets !== undefined,
      subnetCount: selected?.subnets?.length,
      selectionError: selected?.error,
      optionalEndpoints,
    }));
    this.cluster = props.cluster;
    this.vpc = vpc!;
    this.clusterSecurityGroupId = clusterSecurityGroupIdOf(props.cluster);
    this.givenS3PrefixList = props.s3PrefixList;
    const subnets = selected!.subnets!;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: ENDPOINT_SECURITY_GROUP_DESCRIPTION,
      // Endpoints answer; they never open connections.
      allowAllOutbound: false,
    });
    this.securityGroup = securityGroup;
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(AWS_API_PORT) });

    // An interface endpoint takes one subnet per Availability Zone.
    const endpointSubnets = onePerZone(subnets);
    const specs = [...REQUIRED_INTERFACE_ENDPOINTS, ...optionalEndpoints.map((e) => OPTIONAL_INTERFACE_ENDPOINTS[e])];
    this.interfaceEndpoints = specs.map((spec) => new ec2.InterfaceVpcEndpoint(this, spec.id, {
      vpc: this.vpc,
      service: spec.service,
      subnets: { subnets: endpointSubnets },
      securityGroups: [securityGroup],
      privateDnsEnabled: true,
      // No ingress from the whole VPC CIDR: only the node and kubectl handler security groups.
      open: false,
    }));
    this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3', {
      vpc: this.vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnets }],
    });

    for (const kubectl of kubectlSecurityGroupsOf(props.cluster)) {
      this.allowFrom(kubectl, 'HTTPS to the VPC endpoints from the kubectl handler');
    }
    for (const sg of props.nodeSecurityGroups ?? []) {
      this.addNodeSecurityGroup(sg);
    }

    this.node.addValidation({ validate: () => validateSomeEndpointsNodeSecurityGroup(this.nodeSecurityGroupIds.length) });
    // The node egress is written at synthesis, once every construct of the app has written its
    // rules, so that a rule another construct writes (the same rule twice fails the deployment)
    // is not written again.
    Aspects.of(this).add({ visit: (node: IConstruct) => { if (node === this) this.writeNodeEgress(); } }, { priority: AspectPriority.MUTATING });
  }

  /**
   * Lets the nodes of one more security group reach the endpoints, and, when its
   * `allowAllOutbound` is false, writes the egress its nodes still need (see the class).
   *
   * @param securityGroup a node security group of the cluster's VPC
   */
  public addNodeSecurityGroup(securityGroup: ec2.ISecurityGroup): void {
    const closed = !securityGroup.allowAllOutbound;
    throwIfProblems(this, validateEndpointsNodeSecurityGroup({
      securityGroup,
      vpc: this.vpc,
      added: this.nodeSecurityGroupIds,
      clusterPath: this.cluster.node.path,
      privateEndpointAccess: closed ? this.readPrivateEndpointAccess() : undefined,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
    }));
    this.nodeSecurityGroupIds.push(securityGroup.securityGroupId);
    this.allowFrom(securityGroup, 'HTTPS to the VPC endpoints from nodes');
    if (closed) {
      // Named after the security group's own unique id, so that adding or removing one node group
      // never renames (and so replaces) the rules of another.
      this.closedNodeSecurityGroups.push({ securityGroup, scope: new Construct(this, Names.nodeUniqueId(securityGroup.node)) });
      this.s3PrefixListId = this.s3PrefixListId ?? this.lookUpS3PrefixList();
    }
  }

  /** Ingress on the endpoint security group from a security group, once per group. */
  private allowFrom(source: ec2.ISecurityGroup, description: string): void {
    if (this.sourceIds.has(source.securityGroupId)) return;
    this.sourceIds.add(source.securityGroupId);
    this.securityGroup.addIngressRule(source, ec2.Port.tcp(AWS_API_PORT), description);
  }

  private readPrivateEndpointAccess(): boolean | undefined {
    this.privateEndpointAccess = this.privateEndpointAccess ?? { value: privateEndpointAccessOf(this.cluster) };
    return this.privateEndpointAccess.value;
  }

  /**
   * The id of the S3 prefix list: the one given, or a deploy-time lookup. The prefix list of a
   * gateway endpoint's service is AWS-managed and has no CloudFormation attribute, and
   * `ec2.PrefixList.fromLookup()` needs the account and Region at synth time (and a context
   * lookup), so the default is a custom resource that works in any stack, offline.
   */
  private lookUpS3PrefixList(): string {
    if (this.givenS3PrefixList !== undefined) return this.givenS3PrefixList.prefixListId;
    const prefixListName = ec2.GatewayVpcEndpointAwsService.S3.name;
    const lookup = new cr.AwsCustomResource(this, 'S3PrefixListLookup', {
      onUpdate: {
        service: 'EC2',
        action: 'DescribePrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: [prefixListName] }] },
        physicalResourceId: cr.PhysicalResourceId.of(prefixListName),
        outputPaths: [S3_PREFIX_LIST_ID_PATH],
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    return lookup.getResponseField(S3_PREFIX_LIST_ID_PATH);
  }

  /**
   * The egress of the node security groups with closed egress, each rule written unless the app
   * already writes it:
   *
   * - TCP 443 to the endpoint security group and to the S3 prefix list (the gateway endpoint);
   * - TCP 443 to the cluster security group, which the API server's private endpoint network
   *   interfaces carry.
   *
   * No DNS rule: security groups do not filter traffic to the Amazon DNS server (the VPC base + 2
   * and 169.254.169.253), so nodes and CoreDNS resolve names without one
   * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html, "Security group
   * basics"). A rule to the VPC CIDR on port 53 would only open DNS to every other host of the
   * VPC. A VPC whose DHCP options name other DNS servers needs egress to them, which only the
   * user knows.
   *
   * No rule between nodes: HardenedNodeSecurityGroup writes the egress to its own group when it
   * closes egress; pods reach CoreDNS on other nodes through it.
   */
  private writeNodeEgress(): void {
    const written = this.node.root.node.findAll().filter((c): c is ec2.CfnSecurityGroupEgress => c instanceof ec2.CfnSecurityGroupEgress);
    for (const { securityGroup, scope } of this.closedNodeSecurityGroups) {
      const nodeSgId = securityGroup.securityGroupId;
      const rules: NodeEgress[] = [
        { id: 'EndpointsEgress', port: AWS_API_PORT, destinationSecurityGroupId: this.securityGroup.securityGroupId, description: 'HTTPS to the VPC endpoints' },
        { id: 'S3Egress', port: AWS_API_PORT, destinationPrefixListId: this.s3PrefixListId!, description: 'HTTPS to S3 through the gateway endpoint' },
        { id: 'ApiEgress', port: Boundaries.KUBERNETES_API_PORT, destinationSecurityGroupId: this.clusterSecurityGroupId!, description: 'Kubernetes API (private endpoint) from nodes' },
      ];
      for (const { id, port, ...rule } of rules) {
        if (scope.node.tryFindChild(id) !== undefined || written.some((w) => sameEgress(w, nodeSgId, port, rule))) continue;
        new ec2.CfnSecurityGroupEgress(scope, id, { groupId: nodeSgId, ipProtocol: 'tcp', fromPort: port, toPort: port, ...rule });
      }
    }
  }
}

/** Where DescribePrefixLists answers the id of the one prefix list asked for. */
const S3_PREFIX_LIST_ID_PATH = 'PrefixLists.0.PrefixListId';

/** The subnets selected: the private and isolated ones of the VPC by default, or aws-cdk-lib's error for a selection it refuses. */
function selectSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): { readonly subnets?: ec2.ISubnet[]; readonly error?: string } {
  if (selection === undefined) return { subnets: [...vpc.privateSubnets, ...vpc.isolatedSubnets] };
  try {
    return { subnets: vpc.selectSubnets(selection).subnets };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The first subnet of each Availability Zone. aws-cdk-lib's `onePerAz` does not apply to subnets
 * given by object, and an interface endpoint takes one subnet per zone. Zones are compared as
 * CloudFormation writes them (`Fn::Select` of `Fn::GetAZs` in a stack without a Region); a subnet
 * whose zone is unknown (imported without it) is kept.
 */
function onePerZone(subnets: ec2.ISubnet[]): ec2.ISubnet[] {
  const seen = new Set<string>();
  return subnets.filter((subnet) => {
    let zone: string;
    try {
      zone = JSON.stringify(Stack.of(subnet).resolve(subnet.availabilityZone));
    } catch {
      return true;
    }
    if (seen.has(zone)) return false;
    seen.add(zone);
    return true;
  });
}

/** A TCP egress rule a node security group with closed egress needs. */
interface NodeEgress {
  readonly id: string;
  readonly port: number;
  readonly destinationSecurityGroupId?: string;
  readonly destinationPrefixListId?: string;
  readonly description: string;
}

/** Whether an egress rule of the app is the TCP rule from the group to the destination on the port (a rule EC2 would call a duplicate). */
function sameEgress(rule: ec2.CfnSecurityGroupEgress, groupId: string, port: number,
  destination: Pick<NodeEgress, 'destinationSecurityGroupId' | 'destinationPrefixListId'>): boolean {
  const stack = Stack.of(rule);
  const same = (a: unknown, b: unknown) => a === b
    || (a !== undefined && b !== undefined && JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b)));
  return (rule.ipProtocol === 'tcp' || rule.ipProtocol === '6')
    && rule.fromPort === port && rule.toPort === port
    && same(rule.groupId, groupId)
    && same(rule.destinationSecurityGroupId, destination.destinationSecurityGroupId)
    && same(rule.destinationPrefixListId, destination.destinationPrefixListId);
}
