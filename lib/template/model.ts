import { Branch, branchOf, joinBranches } from './branches';
import { AppTemplates, StackTemplate, Variant } from './evaluate';
import { CLUSTER_SECURITY_GROUP_ATTRIBUTE, EgressRule, implicitEgress, IngressRule, normaliseEgress, normaliseIngress, RefKey, unknownEgress } from './ingress';
import { asArray, asBoolean, asNumber, asObject, asString, at, JsonObject } from './json';
import { EmbeddedJson, kubernetesObjects } from './manifests';
import { StackInput } from './stack-input';
import { keyOf, partsOf, Sym, text, unknownValue } from './values';
import { CLUSTER_TAG_PREFIX, NODE_CLASS_GROUP, NODE_CLASS_KIND, SECURITY_GROUP_POLICY_GROUP, TARGET_GROUP_BINDING_GROUP } from '../conventions';

/** A resource of the app: its stack and logical id. `key` is the key of its `Ref`. */
export interface ResourceId {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly key: string;
}

/** The endpoint settings and Kubernetes version of a cluster in one branch of its template. */
export interface ClusterVariant {
  readonly when?: string;
  /** The branch, as `Branch` writes it. */
  readonly branch: Branch;
  /** `SubnetIds` (`Config.resourcesVpcConfig.subnetIds`), by key; undefined entries could not be resolved. */
  readonly subnets: ReadonlyArray<RefKey | undefined>;
  /**
   * The Kubernetes version (`Version`, or `Config.version` of the aws-eks custom resource): a
   * literal string (`1.33`), a symbol when it cannot be resolved (a parameter, an import), or
   * undefined when absent (EKS then picks its default version at creation).
   */
  readonly version?: string | Sym;
  /** Whether the public endpoint is on; undefined when it cannot be resolved. */
  readonly endpointPublicAccess?: boolean;
  /** Whether the private endpoint is on; undefined when it cannot be resolved. */
  readonly endpointPrivateAccess?: boolean;
  /**
   * The public access CIDRs: undefined when absent (EKS's default), a list of values (literal
   * strings or symbols), or a symbol when the whole list cannot be resolved.
   */
  readonly publicAccessCidrs?: readonly unknown[] | Sym;
  /**
   * Whether EKS Auto Mode is on (`ComputeConfig.Enabled`, `Config.computeConfig.enabled` of the
   * aws-eks custom resource): false when absent, undefined when it cannot be resolved.
   */
  readonly autoMode?: boolean;
  /**
   * The built-in node pools of EKS Auto Mode (`ComputeConfig.NodePools`): undefined when absent
   * (none), a list of values (literal strings or symbols), or a symbol when the whole list cannot
   * be resolved.
   */
  readonly nodePools?: readonly unknown[] | Sym;
}

/** An EKS cluster of the app (L1, aws-eks-v2, or the aws-eks custom resource). */
export interface ClusterInfo extends ResourceId {
  /** The key of the cluster security group. */
  readonly clusterSecurityGroup: RefKey;
  /** The cluster SG and the additional security groups of `ResourcesVpcConfig`, in any branch. */
  readonly controlPlaneSecurityGroups: ReadonlySet<RefKey>;
  readonly variants: readonly ClusterVariant[];
  /** The cluster role, when it is a role of the app. */
  readonly role?: ResourceId;
  /** Whether EKS Auto Mode is on in some branch (aws-eks-v2's default). */
  readonly autoMode: boolean;
}

/** A launch template or launch configuration, in one branch of its template. */
export interface LaunchInfo extends ResourceId {
  readonly kind: 'launch template' | 'launch configuration';
  readonly when?: string;
  readonly assumed: ReadonlyMap<string, string>;
  /** Whether it sets security groups at all. */
  readonly setsSecurityGroups: boolean;
  /** Its security groups; undefined entries could not be resolved. */
  readonly securityGroups: ReadonlyArray<RefKey | undefined>;
  readonly httpTokens: unknown;
  readonly hopLimit: unknown;
  readonly instanceType?: string;
  /**
   * The SSM parameter path of its image when that path names a Windows image (`ImageId` given by
   * an `AWS::SSM::Parameter::Value<...>` parameter, `resolve:ssm:<path>` or `{{resolve:ssm:<path>}}`,
   * the path containing "windows"); undefined otherwise, and when the image cannot be read.
   */
  readonly windowsImage?: string;
}

/**
 * EKS nodes, in one branch: a managed node group, an Auto Scaling group tagged for a cluster, or
 * the EKS Auto Mode nodes of a NodeClass (its id is that of the manifest that declares it).
 */
export interface NodeGroupInfo extends ResourceId {
  readonly kind: 'managed node group' | 'Auto Scaling group' | 'NodeClass';
  /** The NodeClass's name, for the nodes of a NodeClass; `<unresolved name>` when it holds a reference. */
  readonly nodeClass?: string;
  readonly when?: string;
  /** The branch it exists in (its own and its launch template's), as `Branch` writes it. */
  readonly branch: Branch;
  /** The cluster's key, when the cluster is in the app. */
  readonly cluster?: string;
  /** The launch template or configuration; undefined when there is none or it is not in the app. */
  readonly launch?: LaunchInfo;
  /** Whether it names a launch template or configuration that is not in the app. */
  readonly launchUnresolved: boolean;
  /**
   * The security groups its nodes carry; undefined entries could not be resolved. For a NodeClass:
   * those its `securityGroupSelectorTerms` select by `id`; a term by `tags` or `name`, or no terms
   * at all, is an undefined entry.
   */
  readonly securityGroups: ReadonlyArray<RefKey | undefined>;
  /**
   * Its launch template sets security groups and the cluster SG is not among them. A NodeClass's
   * nodes are on dedicated SGs when each of its terms selects an SG by id, none the cluster SG.
   */
  readonly dedicated: boolean;
  /** Instance types, literal ones only; undefined when some could not be resolved. */
  readonly instanceTypes?: readonly string[];
  /**
   * What makes its nodes Windows nodes, in words (`AmiType WINDOWS_CORE_2019_x86_64`, `image
   * /aws/service/ami-windows-latest/...`); undefined when they are not, or it cannot be read.
   */
  readonly windows?: string;
  /**
   * The subnets its nodes run in (`Subnets` of a managed node group, `VPCZoneIdentifier` of an
   * Auto Scaling group), by key; undefined entries could not be resolved (a list parameter, for
   * one). Undefined for the nodes of a NodeClass.
   */
  readonly subnets?: ReadonlyArray<RefKey | undefined>;
}

/** A `kubernetes.io/cluster/<name>` tag. */
export interface ClusterTag {
  /** The key of the cluster it names, when that cluster is in the app. */
  readonly cluster?: string;
  /** The name, when it is literal text. */
  readonly literal?: string;
}

/** The labels of a Kubernetes object, literal keys; a value is null when it holds a reference. */
export type LabelSet = ReadonlyMap<string, string | null>;

/**
 * The pod template of a workload of a manifest: a Pod itself, or the `template` of a Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, or (`spec.jobTemplate.spec.template`) CronJob.
 */
export interface PodTemplateInfo {
  /** The workload. */
  readonly workload: KubernetesObject;
  readonly kind: string;
  /** The workload's namespace (`default` when absent); undefined when it holds a reference. */
  readonly namespace?: string;
  /** The pod's labels; undefined when a label key cannot be read. */
  readonly labels?: LabelSet;
  /** The pod spec as written. */
  readonly spec: JsonObject;
  /** `spec.serviceAccountName` (`default` when absent); undefined when it holds a reference. */
  readonly serviceAccountName?: string;
}

/** A subnet's default route to the internet: a route of its route table to an internet gateway. */
export interface InternetRoute {
  readonly association: ResourceId;
  /** The branch of the association it holds in. */
  readonly associationWhen?: string;
  readonly route: ResourceId;
  /** The branch of the route it holds in. */
  readonly routeWhen?: string;
  /** `0.0.0.0/0` or `::/0`. */
  readonly destination: string;
  /** The internet gateway, in words. */
  readonly gateway: string;
}

/** What makes a subnet of the app public. */
export interface SubnetPublicity {
  readonly subnet: ResourceId;
  /** The branches of the subnet in which `MapPublicIpOnLaunch` is true. */
  readonly mapPublicIpOnLaunch: ReadonlyArray<string | undefined>;
  /** Every branch of the subnet. */
  readonly branches: ReadonlyArray<string | undefined>;
  readonly internetRoutes: readonly InternetRoute[];
}

/** A Kubernetes object of a `Custom::AWSCDK-EKS-KubernetesResource` manifest. */
export interface KubernetesObject {
  readonly declaredBy: ResourceId;
  /** The branch of the manifest resource it is read in; undefined in every branch. */
  readonly when?: string;
  /** That branch, as `Branch` writes it. */
  readonly branch: Branch;
  readonly cluster?: string;
  readonly object: JsonObject;
  /** The manifest document, to read strings that embed references. */
  readonly source: EmbeddedJson;
}

/** A managed add-on. */
export interface AddonInfo extends ResourceId {
  readonly name?: string;
  readonly cluster?: string;
  /** The parsed configuration values; undefined when absent, null when they do not parse. */
  readonly configuration?: EmbeddedJson | null;
}

/** A Fargate profile (L1 or the aws-eks custom resource). */
export interface FargateProfileInfo extends ResourceId {
  readonly cluster?: string;
  /** Literal namespace selectors (may hold `*` and `?` wildcards). */
  readonly namespaces: readonly string[];
}

/** A load balancer of the app (`AWS::ElasticLoadBalancingV2::LoadBalancer`), its branches read together. */
export interface LoadBalancerInfo extends ResourceId {
  /**
   * Whether it sets `SecurityGroups` in every branch. An Application Load Balancer without them is
   * on the VPC's default security group, which the template does not name; a Network Load
   * Balancer without them has none.
   */
  readonly setsSecurityGroups: boolean;
  /** Its security groups, in any branch; undefined entries could not be resolved (a list parameter, for one). */
  readonly securityGroups: ReadonlyArray<RefKey | undefined>;
}

/** A listener or listener rule that forwards to a target group, with its load balancer. */
export interface TargetGroupForwarder {
  /** The `AWS::ElasticLoadBalancingV2::Listener` or `AWS::ElasticLoadBalancingV2::ListenerRule`. */
  readonly by: ResourceId;
  /** Its load balancer; undefined when that is not in the app (or its listener is not). */
  readonly loadBalancer?: LoadBalancerInfo;
}

/** A target group of the app (`AWS::ElasticLoadBalancingV2::TargetGroup`), its branches read together. */
export interface TargetGroupInfo extends ResourceId {
  /**
   * `TargetType`: `instance` when absent (CloudFormation's default); undefined when it cannot be
   * resolved or differs between branches.
   */
  readonly targetType?: string;
  /**
   * The listeners (`DefaultActions`) and listener rules (`Actions`) of the app that forward to it,
   * by `TargetGroupArn` or `ForwardConfig.TargetGroups`, in any branch.
   */
  readonly forwarders: readonly TargetGroupForwarder[];
}

/** A VPC endpoint of the app (`AWS::EC2::VPCEndpoint`), in one branch. */
export interface VpcEndpointInfo extends ResourceId {
  readonly when?: string;
  readonly branch: Branch;
  /**
   * `ServiceName` as evaluated: a literal (`com.amazonaws.eu-west-1.ecr.api`), text around symbols
   * (`Fn::Join` or `Fn::Sub` of the Region), or a symbol when it cannot be read.
   */
  readonly serviceName: unknown;
  /** `VpcEndpointType`: `Gateway` when absent (CloudFormation's default); undefined when it cannot be resolved. */
  readonly type?: string;
  /** The key of its `VpcId`; undefined when it cannot be resolved. */
  readonly vpc?: RefKey;
  /**
   * `SecurityGroupIds`, by key. An undefined entry could not be resolved; an interface endpoint
   * without them is on the VPC's default security group, which the template cannot name: one
   * undefined entry.
   */
  readonly securityGroups: ReadonlyArray<RefKey | undefined>;
}

/** Resource types of EKS clusters, whose `ClusterSecurityGroupId` attribute is the cluster SG. */
export const CLUSTER_TYPES: readonly string[] = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];
const MANAGED_NODEGROUP = 'AWS::EKS::Nodegroup';
const ASG = 'AWS::AutoScaling::AutoScalingGroup';
const LAUNCH_TEMPLATE = 'AWS::EC2::LaunchTemplate';
const LAUNCH_CONFIGURATION = 'AWS::AutoScaling::LaunchConfiguration';
const SUBNET = 'AWS::EC2::Subnet';
const SUBNET_ROUTE_TABLE_ASSOCIATION = 'AWS::EC2::SubnetRouteTableAssociation';
const ROUTE = 'AWS::EC2::Route';
const INTERNET_GATEWAY = 'AWS::EC2::InternetGateway';
const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';
const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const SECURITY_GROUP_EGRESS = 'AWS::EC2::SecurityGroupEgress';
const VPC_ENDPOINT = 'AWS::EC2::VPCEndpoint';
const VPC = 'AWS::EC2::VPC';
/** Every Windows AMI type of managed node groups starts with it (WINDOWS_CORE_2019_x86_64, ...). */
const WINDOWS_AMI_TYPE_PREFIX = 'WINDOWS_';
/** The type prefix of a parameter whose value CloudFormation reads from SSM at deployment. */
const SSM_PARAMETER_TYPE_PREFIX = 'AWS::SSM::Parameter::Value<';
/** Kinds whose `spec.template` is a pod template (a CronJob's is in `spec.jobTemplate.spec.template`). */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Every resource type whose properties the model reads; of other resources only the type matters. */
export const INDEXED_TYPES: ReadonlySet<string> = new Set([
  ...CLUSTER_TYPES, MANAGED_NODEGROUP, ASG, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION,
  'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::NetworkAclEntry',
  'Custom::AWSCDK-EKS-KubernetesResource', 'AWS::EKS::Addon',
  'AWS::EKS::FargateProfile', 'Custom::AWSCDK-EKS-FargateProfile', 'AWS::ECS::CapacityProvider',
  'AWS::CloudFormation::Stack', SUBNET, SUBNET_ROUTE_TABLE_ASSOCIATION, ROUTE,
  LOAD_BALANCER, LISTENER, LISTENER_RULE, TARGET_GROUP, SECURITY_GROUP_EGRESS, VPC_ENDPOINT, VPC,
]);

/**
 * The properties the model reads of each type (paths of keys); other properties are neither
 * evaluated nor branched on. Types not listed are read whole.
 */
const READ: { readonly [type: string]: readonly string[] } = {
  'AWS::EKS::Cluster': ['Name', 'Version', 'ResourcesVpcConfig', 'RoleArn', 'ComputeConfig'],
  'Custom::AWSCDK-EKS-Cluster': ['Config.name', 'Config.version', 'Config.resourcesVpcConfig', 'Config.roleArn', 'Config.computeConfig'],
  [LAUNCH_TEMPLATE]: ['LaunchTemplateName', 'LaunchTemplateData.SecurityGroupIds', 'LaunchTemplateData.SecurityGroups',
    'LaunchTemplateData.NetworkInterfaces', 'LaunchTemplateData.MetadataOptions', 'LaunchTemplateData.InstanceType',
    'LaunchTemplateData.ImageId'],
  [LAUNCH_CONFIGURATION]: ['SecurityGroups', 'MetadataOptions', 'InstanceType', 'ImageId'],
  [MANAGED_NODEGROUP]: ['ClusterName', 'LaunchTemplate', 'InstanceTypes', 'AmiType', 'Subnets'],
  [ASG]: ['Tags', 'LaunchConfigurationName', 'LaunchTemplate', 'MixedInstancesPolicy.LaunchTemplate', 'VPCZoneIdentifier'],
  'AWS::EC2::SecurityGroup': ['SecurityGroupIngress', 'Tags', 'VpcId'],
  'AWS::IAM::Role': ['ManagedPolicyArns'],
  [SUBNET]: ['MapPublicIpOnLaunch'],
  [SUBNET_ROUTE_TABLE_ASSOCIATION]: ['SubnetId', 'RouteTableId'],
  [ROUTE]: ['RouteTableId', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'GatewayId'],
  [LOAD_BALANCER]: ['SecurityGroups'],
  [LISTENER]: ['LoadBalancerArn', 'DefaultActions'],
  [LISTENER_RULE]: ['ListenerArn', 'Actions'],
  [TARGET_GROUP]: ['TargetType'],
  [VPC_ENDPOINT]: ['ServiceName', 'VpcEndpointType', 'VpcId', 'SecurityGroupIds'],
  [VPC]: ['CidrBlock'],
};

/**
 * Properties read apart from the others of their type, each in its own branches, so that reading
 * them does not split the branches the other rules read: a security group's egress, a subnet's VPC.
 */
const READ_APART = {
  egress: ['SecurityGroupEgress'],
  subnetVpc: ['VpcId'],
} as const;

/**
 * Everything the rules need about the templates of an app, indexed once: every stack, nested
 * stack and stage, with intrinsic functions evaluated, imports resolved to their exports, and each
 * resource read in every branch of the conditions it depends on. Rules look things up here; none
 * re-scans a template.
 */
export class AppModel {
  /** Builds the model of an app from its templates. */
  static fromStacks(inputs: readonly StackInput[]): AppModel {
    return new AppModel(new AppTemplates(inputs));
  }

  /** Builds the model of a single template (the parsed JSON of a CloudFormation template). */
  static fromTemplate(template: unknown, id = 'template'): AppModel {
    return AppModel.fromStacks([{ id, location: id, template: asObject(template) ?? {} }]);
  }

  readonly clusters = new Map<string, ClusterInfo>();
  /** Launch templates and configurations, each in its branches. */
  readonly launches = new Map<string, LaunchInfo[]>();
  readonly nodeGroups: NodeGroupInfo[] = [];
  /** Node groups by their key, each in its branches. */
  readonly nodeGroupsById = new Map<string, NodeGroupInfo[]>();
  /** Node groups by the key of their launch template or configuration. */
  readonly nodeGroupsByLaunch = new Map<string, NodeGroupInfo[]>();
  /** Node groups by the key of their cluster. */
  private readonly nodeGroupsByCluster = new Map<string, NodeGroupInfo[]>();
  /** Node security groups, each with the clusters it is a node SG of (`undefined` for an unknown cluster). */
  readonly nodeSecurityGroups = new Map<RefKey, Set<string | undefined>>();
  /** Security groups tagged `kubernetes.io/cluster/...` (the cluster SG counts too). */
  readonly taggedSecurityGroups = new Set<RefKey>();
  /** Cluster security groups, with their cluster's key. */
  readonly clusterSecurityGroups = new Map<RefKey, string>();
  readonly ingress: IngressRule[] = [];
  readonly ingressByResource = new Map<string, IngressRule[]>();
  readonly ingressByTarget = new Map<RefKey, IngressRule[]>();
  /** Ingress rules by their source security group. */
  readonly ingressBySource = new Map<RefKey, IngressRule[]>();
  readonly kubernetesObjects: KubernetesObject[] = [];
  readonly kubernetesObjectsByResource = new Map<string, KubernetesObject[]>();
  /** Kubernetes objects by the key of their cluster (`undefined`: a cluster outside the app, or unknown). */
  readonly kubernetesObjectsByCluster = new Map<string | undefined, KubernetesObject[]>();
  /** The SecurityGroupPolicy objects (vpcresources.k8s.aws) among them. */
  readonly securityGroupPolicies: KubernetesObject[] = [];
  /** Pod templates of workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob), by the key of their manifest resource. */
  readonly podTemplatesByResource = new Map<string, PodTemplateInfo[]>();
  /** ServiceAccount objects by `namespace/name` (literal ones only). */
  readonly serviceAccounts = new Map<string, KubernetesObject[]>();
  /** Service objects (`v1`) by `namespace/name` (literal ones only). */
  readonly services = new Map<string, KubernetesObject[]>();
  /** The TargetGroupBinding objects (elbv2.k8s.aws) of manifests. */
  readonly targetGroupBindings: KubernetesObject[] = [];
  /** Load balancers by their key. */
  readonly loadBalancers = new Map<string, LoadBalancerInfo>();
  /** Target groups by their key. */
  readonly targetGroups = new Map<string, TargetGroupInfo>();
  /**
   * The `kubernetes.io/cluster/<name>` tags of security groups of the app, in each branch of their
   * template.
   */
  readonly securityGroupClusterTags = new Map<RefKey, Array<{ readonly when?: string; readonly tags: readonly ClusterTag[] }>>();
  /** Managed add-ons by their key. */
  readonly addons = new Map<string, AddonInfo>();
  readonly fargateProfiles: FargateProfileInfo[] = [];
  /** Security groups of ECS container instances, with the key of the capacity provider's Auto Scaling group. */
  readonly ecsInstanceSecurityGroups = new Map<RefKey, string>();
  /** Network ACL entries in their branches, by key. */
  readonly networkAclEntries = new Map<string, Variant[]>();
  /**
   * Egress rules by the key of their security group, for the security groups of the app
   * (`AWS::EC2::SecurityGroup`): inline, standalone, and the implicit all-traffic rule of a group
   * that declares none. The egress of any other group (the cluster security group, a literal id,
   * a parameter) is not known.
   */
  readonly egressByGroup = new Map<RefKey, EgressRule[]>();
  /** VPC endpoints, each in its branches. */
  readonly vpcEndpoints: VpcEndpointInfo[] = [];
  /** VPC endpoints by the key of each of their security groups. */
  readonly vpcEndpointsBySecurityGroup = new Map<RefKey, VpcEndpointInfo[]>();

  private readonly resourceIds = new Map<string, ResourceId>();
  private readonly variantCache = new Map<string, Variant[]>();
  private readonly clustersByName = new Map<string, string>();
  /** The literal name of each cluster, when every branch gives it the same one; null otherwise. */
  private readonly literalClusterNames = new Map<string, string | null>();
  private readonly launchTemplatesByName = new Map<string, string>();
  /** Route table associations by the key of their subnet. */
  private readonly associationsBySubnet = new Map<string, Array<{ association: ResourceId; when?: string; routeTable: string }>>();
  /** Routes to an internet gateway by the key of their route table. */
  private readonly internetRoutesByTable = new Map<string, Array<{ route: ResourceId; when?: string; destination: string; gateway: string }>>();
  private readonly publicityCache = new Map<string, SubnetPublicity | undefined>();

  private constructor(readonly app: AppTemplates) {
    // Every resource, and those the model reads by type, each in template order.
    const all: Array<{ id: ResourceId; type: string }> = [];
    for (const stack of app.stacks) {
      for (const logicalId of Object.keys(stack.resources)) {
        const id: ResourceId = { stack, logicalId, key: stack.resourceKey(logicalId) };
        this.resourceIds.set(id.key, id);
        const type = stack.typeOf(logicalId) ?? '';
        if (INDEXED_TYPES.has(type)) all.push({ id, type });
      }
    }
    const ofTypes = (...types: string[]) => all.filter((r) => types.includes(r.type)).map((r) => r.id);

    // Order matters: clusters and launch templates first, then what refers to them.
    for (const id of ofTypes(...CLUSTER_TYPES)) this.addCluster(id);
    for (const id of ofTypes(LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION)) this.addLaunch(id);
    for (const { id, type } of all) {
      switch (type) {
        case MANAGED_NODEGROUP: this.addManagedNodegroup(id); break;
        case ASG: this.addAutoScalingGroup(id); break;
        case SECURITY_GROUP: this.addSecurityGroup(id); break;
        case SECURITY_GROUP_EGRESS:
          for (const v of this.variantsOf(id)) {
            this.addEgress(normaliseEgress(id.key, this.securityGroupKey(v.properties.GroupId), v.properties,
              (sg) => this.securityGroupKey(sg), v.when, branchOf(id.stack, v.assumed)));
          }
          break;
        case VPC_ENDPOINT: this.addVpcEndpoint(id); break;
        case 'AWS::EC2::SecurityGroupIngress':
          for (const v of this.variantsOf(id)) {
            this.addIngress(id, this.securityGroupKey(v.properties.GroupId ?? v.properties.GroupName), v.properties, v.when);
          }
          break;
        case 'Custom::AWSCDK-EKS-KubernetesResource': this.addManifest(id); break;
        case 'AWS::EKS::Addon': this.addAddon(id); break;
        case 'AWS::EKS::FargateProfile':
        case 'Custom::AWSCDK-EKS-FargateProfile':
          this.addFargateProfile(id, type === 'AWS::EKS::FargateProfile');
          break;
        case 'AWS::EC2::NetworkAclEntry': this.networkAclEntries.set(id.key, this.variantsOf(id)); break;
        case SUBNET_ROUTE_TABLE_ASSOCIATION: this.addRouteTableAssociation(id); break;
        case ROUTE: this.addRoute(id); break;
        default: break;
      }
    }
    this.addLoadBalancing(ofTypes(LOAD_BALANCER), ofTypes(LISTENER), ofTypes(LISTENER_RULE), ofTypes(TARGET_GROUP));
    for (const id of ofTypes('AWS::ECS::CapacityProvider')) {
      for (const v of this.variantsOf(id)) {
        const asgKey = resourceKeyOf(at(v.properties, 'AutoScalingGroupProvider', 'AutoScalingGroupArn'));
        const asg = asgKey !== undefined ? this.resourceIds.get(asgKey) : undefined;
        if (!asg) continue;
        for (const asgVariant of this.variantsOf(asg)) {
          for (const launch of this.asgLaunch(asgVariant.properties).launches) {
            for (const sg of launch.securityGroups) if (sg !== undefined) this.ecsInstanceSecurityGroups.set(sg, asg.key);
          }
        }
      }
    }
    for (const cluster of this.clusters.values()) {
      this.addNodeSecurityGroup(cluster.clusterSecurityGroup, cluster.key);
      this.taggedSecurityGroups.add(cluster.clusterSecurityGroup);
    }
  }

  /** A resource of the app by its key. */
  resource(key: string): ResourceId | undefined {
    return this.resourceIds.get(key);
  }

  /** A resource of the app by its stack's id (for a CDK app, the stack's construct path) and logical id. */
  resourceIn(stackId: string, logicalId: string): ResourceId | undefined {
    const stack = this.app.stack(stackId);
    return stack ? this.resourceIds.get(stack.resourceKey(logicalId)) : undefined;
  }

  /** Every resource of the app. */
  allResources(): Iterable<ResourceId> {
    return this.resourceIds.values();
  }

  /** The key of the cluster a `ClusterName` value names (a `Ref` to it, its name, or an import of either). */
  clusterOf(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    return this.clustersByName.get(keyOf(value));
  }

  /**
   * The key of a security group value: what it points to. Undefined when it cannot be resolved at
   * all (an unknown value, an empty string).
   */
  securityGroupKey(value: unknown): RefKey | undefined {
    if (value === '' || value === undefined) return undefined;
    if (value instanceof Sym && (value.kind === 'unknown' || value.list)) return undefined;
    if (typeof value !== 'string' && !(value instanceof Sym)) return undefined;
    return keyOf(value);
  }

  /** Whether a key is the cluster security group of a cluster of the app. */
  isClusterSecurityGroup(key: RefKey | undefined): boolean {
    return key !== undefined && this.clusterSecurityGroups.has(key);
  }

  /** Whether a key names a security group or cluster security group of the app (others cannot be resolved to what they point to). */
  isResolvedSecurityGroup(key: RefKey | undefined): boolean {
    if (key === undefined) return false;
    if (this.clusterSecurityGroups.has(key)) return true;
    return this.resourceIds.get(key)?.stack.typeOf(this.resourceIds.get(key)!.logicalId) === 'AWS::EC2::SecurityGroup';
  }

  /**
   * The key of the VPC of a security group of the app (`VpcId`), when every branch gives it the same
   * one and it can be resolved; undefined otherwise (a group the app does not hold, a default VPC).
   */
  vpcOfSecurityGroup(sg: RefKey): RefKey | undefined {
    const id = this.resourceIds.get(sg);
    if (!id || this.typeOf(sg) !== SECURITY_GROUP) return undefined;
    return sameKey(this.variantsOf(id).map((v) => this.referenceKey(v.properties.VpcId)));
  }

  /**
   * The key of a cluster's VPC: the `VpcId` of its subnets (`AWS::EC2::Subnet` of the app), when they
   * all name one; undefined when none of them is a subnet of the app, or they name several or an
   * unresolved one.
   */
  vpcOfCluster(clusterKey: string): RefKey | undefined {
    const subnets = new Set(this.clusters.get(clusterKey)?.variants.flatMap((v) => v.subnets) ?? []);
    const vpcs = [...subnets].flatMap((key) => {
      const subnet = key === undefined ? undefined : this.resourceIds.get(key);
      if (!subnet || this.typeOf(subnet.key) !== SUBNET) return [];
      return this.readApart(subnet, READ_APART.subnetVpc).map((v) => this.referenceKey(v.properties.VpcId));
    });
    return sameKey(vpcs);
  }

  /**
   * The keys a CIDR value has when it is the `CidrBlock` of a VPC of the app: its
   * `Fn::GetAtt [Vpc, CidrBlock]`, and the literal CIDR it is written with. Empty for a VPC the app
   * does not hold.
   */
  vpcCidrKeys(vpc: RefKey): ReadonlySet<string> {
    const id = this.resourceIds.get(vpc);
    if (!id || this.typeOf(vpc) !== VPC) return new Set();
    const keys = new Set([`att:${id.stack.id}/${id.logicalId}.CidrBlock`]);
    for (const v of this.variantsOf(id)) {
      if (typeof v.properties.CidrBlock === 'string') keys.add(keyOf(v.properties.CidrBlock));
    }
    return keys;
  }

  /**
   * Whether two references (VPC ids, for one) may point to the same thing: unless both are known
   * and differ (two literal ids, two resources of the app, or a literal id and a resource of the
   * app). A parameter, an import from outside the app or a value that cannot be resolved may be
   * anything.
   */
  mayBeSame(a: RefKey | undefined, b: RefKey | undefined): boolean {
    if (a === undefined || b === undefined || a === b) return true;
    const known = (k: RefKey) => k.startsWith('lit:') || this.resourceIds.has(k);
    return !(known(a) && known(b));
  }

  /** Launch templates or configurations that EKS nodes use, in their branches; empty for any other resource. */
  nodeLaunch(key: string): LaunchInfo[] {
    return this.nodeGroupsByLaunch.has(key) ? this.launches.get(key) ?? [] : [];
  }

  /** The type of a resource of the app. */
  typeOf(key: string): string | undefined {
    const id = this.resourceIds.get(key);
    return id?.stack.typeOf(id.logicalId);
  }

  /** The clusters a node SG belongs to; empty when it is not a node SG. */
  clustersOfNodeSecurityGroup(key: RefKey): ReadonlySet<string | undefined> {
    return this.nodeSecurityGroups.get(key) ?? new Set();
  }

  /** Node groups of a cluster. */
  nodeGroupsOf(clusterKey: string): NodeGroupInfo[] {
    return [...this.nodeGroupsByCluster.get(clusterKey) ?? []];
  }

  /**
   * What makes a subnet of the app public: `MapPublicIpOnLaunch` true, or a route table associated
   * with it whose route to `0.0.0.0/0` or `::/0` goes to an internet gateway (of the app, or a
   * literal `igw-` id). Undefined when the key is no subnet of the app (a literal id, a parameter,
   * an import from outside the app) or the subnet is private in every branch.
   */
  subnetPublicity(key: RefKey): SubnetPublicity | undefined {
    if (this.publicityCache.has(key)) return this.publicityCache.get(key);
    const subnet = this.resourceIds.get(key);
    let publicity: SubnetPublicity | undefined;
    if (subnet && subnet.stack.typeOf(subnet.logicalId) === SUBNET) {
      const variants = this.variantsOf(subnet);
      const mapPublicIpOnLaunch = variants.filter((v) => asBoolean(v.properties.MapPublicIpOnLaunch) === true).map((v) => v.when);
      const internetRoutes: InternetRoute[] = (this.associationsBySubnet.get(key) ?? []).flatMap((a) =>
        (this.internetRoutesByTable.get(a.routeTable) ?? []).map((r) => ({
          association: a.association, associationWhen: a.when, route: r.route, routeWhen: r.when, destination: r.destination, gateway: r.gateway,
        })));
      if (mapPublicIpOnLaunch.length > 0 || internetRoutes.length > 0) {
        publicity = { subnet, mapPublicIpOnLaunch, branches: variants.map((v) => v.when), internetRoutes };
      }
    }
    this.publicityCache.set(key, publicity);
    return publicity;
  }

  /**
   * Whether a security group carries the `kubernetes.io/cluster/<name>` tag of a cluster (any value:
   * the AWS Load Balancer Controller reads the key): true in every branch of its template, false
   * in none, undefined when that cannot be told (a group the app does not hold, a tag naming a
   * cluster outside the app that may be this one, a tag in some branches only). The cluster security group carries its
   * cluster's tag (EKS tags it `owned`). For a cluster outside the app (`cluster` undefined), any
   * cluster's tag counts.
   */
  securityGroupTaggedFor(sg: RefKey, cluster: string | undefined): boolean | undefined {
    const ofClusterSg = this.clusterSecurityGroups.get(sg);
    if (ofClusterSg !== undefined) return cluster === undefined || ofClusterSg === cluster;
    if (!this.isResolvedSecurityGroup(sg)) return undefined;
    const clusterName = cluster === undefined ? undefined : this.literalClusterNames.get(cluster);
    const branches = (this.securityGroupClusterTags.get(sg) ?? []).map(({ tags }) => {
      if (tags.length === 0) return false;
      if (cluster === undefined || tags.some((t) => t.cluster === cluster)) return true;
      // A name that is no cluster of the app may still be this one's, unless both names are literal.
      return tags.some((t) => t.cluster === undefined && (t.literal === undefined || typeof clusterName !== 'string')) ? undefined : false;
    });
    if (branches.length > 0 && branches.every((b) => b === true)) return true;
    if (branches.every((b) => b === false)) return false;
    return undefined;
  }

  /** Some properties of a resource read apart from the others of its type (see READ_APART), in their own branches. */
  private readApart(id: ResourceId, paths: readonly string[]): Variant[] {
    const key = `${id.key}|${paths.join(',')}`;
    let variants = this.variantCache.get(key);
    if (variants === undefined) {
      variants = id.stack.variants(id.logicalId, paths);
      this.variantCache.set(key, variants);
    }
    return variants;
  }

  /** The key of a reference (a VPC id, for one); undefined when it cannot be resolved at all. */
  private referenceKey(value: unknown): RefKey | undefined {
    return this.securityGroupKey(value);
  }

  /** A resource's properties (those the model reads of its type) in each branch of the conditions they depend on. */
  variantsOf(id: ResourceId): Variant[] {
    let variants = this.variantCache.get(id.key);
    if (variants === undefined) {
      variants = id.stack.variants(id.logicalId, READ[id.stack.typeOf(id.logicalId) ?? '']);
      this.variantCache.set(id.key, variants);
    }
    return variants;
  }

  private addCluster(id: ResourceId): void {
    const isCustom = id.stack.typeOf(id.logicalId) === 'Custom::AWSCDK-EKS-Cluster';
    const clusterSecurityGroup = `att:${id.stack.id}/${id.logicalId}.${CLUSTER_SECURITY_GROUP_ATTRIBUTE}`;
    const controlPlane = new Set<RefKey>([clusterSecurityGroup]);
    const variants: ClusterVariant[] = [];
    let role: ResourceId | undefined;
    let autoMode = false;
    this.clustersByName.set(id.key, id.key);
    for (const v of this.variantsOf(id)) {
      const config = isCustom ? asObject(v.properties.Config) ?? {} : v.properties;
      const vpc = asObject(isCustom ? config.resourcesVpcConfig : config.ResourcesVpcConfig) ?? {};
      const field = (l1: string, custom: string) => (isCustom ? vpc[custom] : vpc[l1]);
      for (const sg of asArray(field('SecurityGroupIds', 'securityGroupIds'))) {
        const key = this.securityGroupKey(sg);
        if (key !== undefined) controlPlane.add(key);
      }
      const compute = asObject(isCustom ? config.computeConfig : config.ComputeConfig) ?? {};
      const enabled = compute[isCustom ? 'enabled' : 'Enabled'];
      const pools = compute[isCustom ? 'nodePools' : 'NodePools'];
      const publicRaw = field('EndpointPublicAccess', 'endpointPublicAccess');
      const privateRaw = field('EndpointPrivateAccess', 'endpointPrivateAccess');
      const cidrs = field('PublicAccessCidrs', 'publicAccessCidrs');
      const version = isCustom ? config.version : config.Version;
      variants.push({
        when: v.when,
        branch: branchOf(id.stack, v.assumed),
        subnets: this.subnetKeys(field('SubnetIds', 'subnetIds')),
        version: typeof version === 'string' || version instanceof Sym ? version : version === undefined ? undefined : unknownValue('a Kubernetes version that is not a string'),
        // EKS defaults: public endpoint on, private endpoint off.
        endpointPublicAccess: publicRaw === undefined ? true : asBoolean(publicRaw),
        endpointPrivateAccess: privateRaw === undefined ? false : asBoolean(privateRaw),
        publicAccessCidrs: cidrs === undefined ? undefined : cidrs instanceof Sym ? cidrs : asArray(cidrs),
        autoMode: enabled === undefined ? false : asBoolean(enabled),
        nodePools: pools === undefined ? undefined : pools instanceof Sym ? pools : asArray(pools),
      });
      const name = isCustom ? config.name : config.Name;
      if (name !== undefined && (typeof name === 'string' || (name instanceof Sym && name.kind !== 'unknown'))) {
        this.clustersByName.set(keyOf(name), id.key);
      }
      const literal = typeof name === 'string' ? name : null;
      this.literalClusterNames.set(id.key, this.literalClusterNames.has(id.key) && this.literalClusterNames.get(id.key) !== literal ? null : literal);
      const roleKey = resourceKeyOf(isCustom ? config.roleArn : config.RoleArn);
      role = role ?? (roleKey !== undefined ? this.resourceIds.get(roleKey) : undefined);
      autoMode = autoMode || variants[variants.length - 1].autoMode === true;
    }
    this.clusters.set(id.key, { ...id, clusterSecurityGroup, controlPlaneSecurityGroups: controlPlane, variants, role, autoMode });
    this.clusterSecurityGroups.set(clusterSecurityGroup, id.key);
  }

  private addLaunch(id: ResourceId): void {
    const isTemplate = id.stack.typeOf(id.logicalId) === LAUNCH_TEMPLATE;
    const list: LaunchInfo[] = [];
    for (const v of this.variantsOf(id)) {
      const p = v.properties;
      const settings = isTemplate ? asObject(p.LaunchTemplateData) ?? {} : p;
      const groupValues = isTemplate ? [settings.SecurityGroupIds, settings.SecurityGroups,
        ...asArray(settings.NetworkInterfaces).map((ni) => at(ni, 'Groups'))] : [p.SecurityGroups];
      const groups: Array<RefKey | undefined> = [];
      let sets = false;
      for (const value of groupValues) {
        if (value === undefined) continue;
        if (Array.isArray(value)) {
          sets = sets || value.length > 0;
          groups.push(...value.map((sg) => this.securityGroupKey(sg)));
        } else {
          // A list parameter or another value that cannot be resolved: groups are set, but unknown.
          sets = true;
          groups.push(undefined);
        }
      }
      list.push({
        ...id,
        kind: isTemplate ? 'launch template' : 'launch configuration',
        when: v.when,
        assumed: v.assumed,
        setsSecurityGroups: sets,
        securityGroups: groups,
        httpTokens: at(settings, 'MetadataOptions', 'HttpTokens'),
        hopLimit: at(settings, 'MetadataOptions', 'HttpPutResponseHopLimit'),
        instanceType: asString(settings.InstanceType),
        windowsImage: this.windowsImage(settings.ImageId),
      });
      const name = isTemplate ? p.LaunchTemplateName : undefined;
      if (name !== undefined && !(name instanceof Sym && name.kind === 'unknown')) this.launchTemplatesByName.set(keyOf(name), id.key);
    }
    this.launches.set(id.key, list);
  }

  /** The launch template a `{ Id | LaunchTemplateId | Name | LaunchTemplateName }` spec names, in its branches. */
  private launchTemplateOf(spec: unknown): { launches: LaunchInfo[]; unresolved: boolean } {
    const o = asObject(spec);
    if (!o) return { launches: [], unresolved: false };
    const byId = o.Id ?? o.LaunchTemplateId;
    const byName = o.Name ?? o.LaunchTemplateName;
    const key = resourceKeyOf(byId) ?? resourceKeyOf(byName)
      ?? (byName !== undefined ? this.launchTemplatesByName.get(keyOf(byName)) : undefined);
    const launches = key !== undefined ? this.launches.get(key) ?? [] : [];
    return { launches, unresolved: launches.length === 0 && (byId !== undefined || byName !== undefined) };
  }

  private asgLaunch(p: JsonObject): { launches: LaunchInfo[]; unresolved: boolean } {
    if (p.LaunchConfigurationName !== undefined) {
      const key = resourceKeyOf(p.LaunchConfigurationName);
      const launches = key !== undefined ? this.launches.get(key) ?? [] : [];
      return { launches, unresolved: launches.length === 0 };
    }
    return this.launchTemplateOf(p.LaunchTemplate ?? at(p, 'MixedInstancesPolicy', 'LaunchTemplate', 'LaunchTemplateSpecification'));
  }

  private addManagedNodegroup(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      const p = v.properties;
      const cluster = this.clusterOf(p.ClusterName);
      const { launches, unresolved } = this.launchTemplateOf(p.LaunchTemplate);
      const types = p.InstanceTypes instanceof Sym ? [p.InstanceTypes] : asArray(p.InstanceTypes);
      for (const launch of consistent(id.stack, v, launches)) {
        let instanceTypes: string[] | undefined = types.map(asString).filter((t): t is string => t !== undefined);
        if (instanceTypes.length !== types.length) instanceTypes = undefined;
        else if (instanceTypes.length === 0) instanceTypes = launch?.instanceType !== undefined ? [launch.instanceType] : ['t3.medium'];
        const amiType = asString(p.AmiType);
        const windows = amiType?.startsWith(WINDOWS_AMI_TYPE_PREFIX) ? `AmiType ${amiType}` : launch?.windowsImage !== undefined ? `image ${launch.windowsImage}` : undefined;
        this.addNodeGroup({
          ...id,
          kind: 'managed node group',
          when: joinWhen(v.when, launch?.when),
          branch: launchBranch(id.stack, v, launch),
          cluster,
          launch,
          launchUnresolved: unresolved,
          instanceTypes,
          windows,
          subnets: this.subnetKeys(p.Subnets),
        });
      }
    }
  }

  private addAutoScalingGroup(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      const p = v.properties;
      const tagged = asArray(p.Tags).map((t) => this.clusterTag(at(t, 'Key'))).find((t) => t !== null);
      if (tagged === undefined) continue;
      const { launches, unresolved } = this.asgLaunch(p);
      const overrides = asArray(at(p, 'MixedInstancesPolicy', 'LaunchTemplate', 'Overrides')).map((o) => asString(at(o, 'InstanceType')));
      for (const launch of consistent(id.stack, v, launches)) {
        const instanceTypes = overrides.length > 0
          ? (overrides.every((t) => t !== undefined) ? (overrides as string[]) : undefined)
          : launch?.instanceType !== undefined ? [launch.instanceType] : undefined;
        this.addNodeGroup({
          ...id,
          kind: 'Auto Scaling group',
          when: joinWhen(v.when, launch?.when),
          branch: launchBranch(id.stack, v, launch),
          cluster: tagged.cluster,
          launch,
          launchUnresolved: unresolved,
          instanceTypes,
          windows: launch?.windowsImage !== undefined ? `image ${launch.windowsImage}` : undefined,
          subnets: this.subnetKeys(p.VPCZoneIdentifier),
        });
      }
    }
  }

  private addNodeGroup(g: Omit<NodeGroupInfo, 'securityGroups' | 'dedicated' | 'nodeClass'>): void {
    const clusterSg = g.cluster !== undefined ? this.clusters.get(g.cluster)!.clusterSecurityGroup : undefined;
    let securityGroups: ReadonlyArray<RefKey | undefined>;
    if (g.launch?.setsSecurityGroups) {
      securityGroups = g.launch.securityGroups;
    } else if (g.launchUnresolved) {
      securityGroups = [undefined];
    } else {
      // Without security groups in a launch template, EKS puts the nodes on the cluster SG.
      securityGroups = [clusterSg];
    }
    const dedicated = g.launch?.setsSecurityGroups === true && !securityGroups.some((sg) => this.isClusterSecurityGroup(sg));
    this.indexNodeGroup({ ...g, securityGroups, dedicated });
  }

  /**
   * The nodes of an EKS Auto Mode NodeClass: the security groups its `securityGroupSelectorTerms`
   * select by `id` are node SGs of its cluster, as those of a node launch template are. A term by
   * `tags` or `name` selects groups the template cannot name, so it is unknown, and so are absent
   * terms; nodes with an unknown group are not on dedicated SGs (the unknown one may be the cluster SG).
   */
  private addNodeClass(o: KubernetesObject): void {
    const terms = at(o.object, 'spec', 'securityGroupSelectorTerms');
    const selected = Array.isArray(terms) && terms.length > 0 ? terms.map((term) => this.selectedSecurityGroup(o.source, term)) : [undefined];
    const known = selected.filter((sg): sg is RefKey => sg !== undefined);
    this.indexNodeGroup({
      ...o.declaredBy,
      kind: 'NodeClass',
      nodeClass: o.source.literal(at(o.object, 'metadata', 'name')) ?? '<unresolved name>',
      when: o.when,
      branch: o.branch,
      cluster: o.cluster,
      launchUnresolved: false,
      securityGroups: selected,
      dedicated: known.length === selected.length && !known.some((sg) => this.isClusterSecurityGroup(sg)),
    });
  }

  /** The security group a NodeClass selector term selects by `id` (a literal id or one reference); undefined for any other term. */
  private selectedSecurityGroup(source: EmbeddedJson, term: unknown): RefKey | undefined {
    const parts = source.parts(at(term, 'id'));
    if (parts === undefined || parts.length !== 1) return undefined;
    const [part] = parts;
    return typeof part === 'string' ? this.securityGroupKey(part) : this.securityGroupKey(part.reference);
  }

  private indexNodeGroup(group: NodeGroupInfo): void {
    this.nodeGroups.push(group);
    push(this.nodeGroupsById, group.key, group);
    if (group.launch) push(this.nodeGroupsByLaunch, group.launch.key, group);
    if (group.cluster !== undefined) push(this.nodeGroupsByCluster, group.cluster, group);
    for (const sg of group.securityGroups) {
      if (sg !== undefined) this.addNodeSecurityGroup(sg, group.cluster);
    }
  }

  private addNodeSecurityGroup(key: RefKey, cluster: string | undefined): void {
    const set = this.nodeSecurityGroups.get(key) ?? new Set<string | undefined>();
    set.add(cluster);
    this.nodeSecurityGroups.set(key, set);
  }

  private addSecurityGroup(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      for (const inline of asArray(v.properties.SecurityGroupIngress)) {
        const rule = asObject(inline);
        if (rule) this.addIngress(id, id.key, rule, v.when);
      }
      const tags = asArray(v.properties.Tags).map((t) => this.clusterTag(at(t, 'Key'))).filter((t): t is ClusterTag => t !== null);
      push(this.securityGroupClusterTags, id.key, { when: v.when, tags });
      const tag = tags[0];
      if (tag !== undefined) {
        this.taggedSecurityGroups.add(id.key);
        this.addNodeSecurityGroup(id.key, tag.cluster);
      }
    }
    if (!this.egressByGroup.has(id.key)) this.egressByGroup.set(id.key, []);
    for (const v of this.readApart(id, READ_APART.egress)) {
      const branch = branchOf(id.stack, v.assumed);
      const inline = v.properties.SecurityGroupEgress;
      if (inline === undefined || (Array.isArray(inline) && inline.length === 0)) {
        // CloudFormation treats an empty list as none: EC2 adds its all-traffic rule.
        this.addEgress(implicitEgress(id.key, v.when, branch));
      } else if (Array.isArray(inline)) {
        for (const item of inline) {
          const rule = asObject(item);
          this.addEgress(rule
            ? normaliseEgress(id.key, id.key, rule, (sg) => this.securityGroupKey(sg), v.when, branch)
            : unknownEgress(id.key, id.key, v.when, branch));
        }
      } else {
        // Egress given by a parameter or another value that cannot be read: unknown, never absent.
        this.addEgress(unknownEgress(id.key, id.key, v.when, branch));
      }
    }
  }

  /** Indexes an egress rule on the security group it leaves, when that is a security group of the app. */
  private addEgress(rule: EgressRule): void {
    if (rule.group === undefined || this.typeOf(rule.group) !== SECURITY_GROUP) return;
    push(this.egressByGroup, rule.group, rule);
  }

  private addVpcEndpoint(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      const p = v.properties;
      const groups = p.SecurityGroupIds;
      const endpoint: VpcEndpointInfo = {
        ...id,
        when: v.when,
        branch: branchOf(id.stack, v.assumed),
        serviceName: p.ServiceName,
        type: p.VpcEndpointType === undefined ? 'Gateway' : asString(p.VpcEndpointType),
        vpc: this.referenceKey(p.VpcId),
        securityGroups: Array.isArray(groups) && groups.length > 0 ? groups.map((sg) => this.securityGroupKey(sg)) : [undefined],
      };
      this.vpcEndpoints.push(endpoint);
      for (const sg of new Set(endpoint.securityGroups)) if (sg !== undefined) push(this.vpcEndpointsBySecurityGroup, sg, endpoint);
    }
  }

  private addIngress(declaredBy: ResourceId, target: RefKey | undefined, p: JsonObject, when: string | undefined): void {
    const rule = normaliseIngress(declaredBy.key, target, p, (v) => this.securityGroupKey(v), when);
    this.ingress.push(rule);
    push(this.ingressByResource, declaredBy.key, rule);
    if (target !== undefined) push(this.ingressByTarget, target, rule);
    if (rule.source.securityGroup !== undefined) push(this.ingressBySource, rule.source.securityGroup, rule);
  }

  private addManifest(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      const source = EmbeddedJson.parse(v.properties.Manifest);
      if (!source) continue;
      const cluster = this.clusterOf(v.properties.ClusterName);
      for (const object of kubernetesObjects(source.document)) {
        const o: KubernetesObject = { declaredBy: id, when: v.when, branch: branchOf(id.stack, v.assumed), cluster, object, source };
        this.kubernetesObjects.push(o);
        push(this.kubernetesObjectsByResource, id.key, o);
        push(this.kubernetesObjectsByCluster, cluster, o);
        const kind = asString(object.kind);
        const apiVersion = asString(object.apiVersion) ?? '';
        if (kind === 'SecurityGroupPolicy' && apiVersion.startsWith(`${SECURITY_GROUP_POLICY_GROUP}/`)) this.securityGroupPolicies.push(o);
        if (kind === NODE_CLASS_KIND && apiVersion.startsWith(`${NODE_CLASS_GROUP}/`)) this.addNodeClass(o);
        if (kind === 'ServiceAccount' && apiVersion === 'v1') this.addServiceAccount(o);
        if (kind === 'Service' && apiVersion === 'v1') this.addService(o);
        if (kind === 'TargetGroupBinding' && apiVersion.startsWith(`${TARGET_GROUP_BINDING_GROUP}/`)) this.targetGroupBindings.push(o);
        if (kind !== undefined) this.addPodTemplate(o, kind);
      }
    }
  }

  private addServiceAccount(o: KubernetesObject): void {
    const name = o.source.literal(at(o.object, 'metadata', 'name'));
    const namespace = namespaceOf(o);
    if (name !== undefined && namespace !== undefined) push(this.serviceAccounts, `${namespace}/${name}`, o);
  }

  private addService(o: KubernetesObject): void {
    const name = o.source.literal(at(o.object, 'metadata', 'name'));
    const namespace = namespaceOf(o);
    if (name !== undefined && namespace !== undefined) push(this.services, `${namespace}/${name}`, o);
  }

  /**
   * Load balancers, their listeners and listener rules, and the target groups these forward to,
   * each read in all its branches together.
   */
  private addLoadBalancing(loadBalancers: ResourceId[], listeners: ResourceId[], listenerRules: ResourceId[], targetGroups: ResourceId[]): void {
    for (const id of loadBalancers) {
      const variants = this.variantsOf(id);
      const securityGroups = new Set<RefKey | undefined>();
      for (const v of variants) {
        const groups = v.properties.SecurityGroups;
        if (Array.isArray(groups)) groups.forEach((sg) => securityGroups.add(this.securityGroupKey(sg)));
        else if (groups !== undefined) securityGroups.add(undefined);
      }
      this.loadBalancers.set(id.key, {
        ...id,
        setsSecurityGroups: variants.length > 0 && variants.every((v) => {
          const groups = v.properties.SecurityGroups;
          return Array.isArray(groups) ? groups.length > 0 : groups !== undefined;
        }),
        securityGroups: [...securityGroups],
      });
    }
    const forwarders = new Map<string, TargetGroupForwarder[]>();
    const forward = (by: ResourceId, loadBalancer: LoadBalancerInfo | undefined, actions: unknown) => {
      for (const action of asArray(actions)) {
        const arns = [at(action, 'TargetGroupArn'), ...asArray(at(action, 'ForwardConfig', 'TargetGroups')).map((t) => at(t, 'TargetGroupArn'))];
        for (const arn of arns) {
          const key = resourceKeyOf(arn);
          if (key !== undefined && !(forwarders.get(key) ?? []).some((f) => f.by.key === by.key)) push(forwarders, key, { by, loadBalancer });
        }
      }
    };
    const listenerLoadBalancers = new Map<string, LoadBalancerInfo | undefined>();
    for (const id of listeners) {
      for (const v of this.variantsOf(id)) {
        const key = resourceKeyOf(v.properties.LoadBalancerArn);
        const loadBalancer = key !== undefined ? this.loadBalancers.get(key) : undefined;
        listenerLoadBalancers.set(id.key, loadBalancer);
        forward(id, loadBalancer, v.properties.DefaultActions);
      }
    }
    for (const id of listenerRules) {
      for (const v of this.variantsOf(id)) {
        const key = resourceKeyOf(v.properties.ListenerArn);
        forward(id, key !== undefined ? listenerLoadBalancers.get(key) : undefined, v.properties.Actions);
      }
    }
    for (const id of targetGroups) {
      const types = new Set(this.variantsOf(id).map((v) => (v.properties.TargetType === undefined ? 'instance' : asString(v.properties.TargetType))));
      this.targetGroups.set(id.key, {
        ...id,
        targetType: types.size === 1 ? [...types][0] : undefined,
        forwarders: forwarders.get(id.key) ?? [],
      });
    }
  }

  /** Indexes the pod template of a workload object, if it is one. */
  private addPodTemplate(o: KubernetesObject, kind: string): void {
    let template: unknown;
    if (kind === 'Pod' && at(o.object, 'apiVersion') === 'v1') template = o.object;
    else if (kind === 'CronJob') template = at(o.object, 'spec', 'jobTemplate', 'spec', 'template');
    else if (WORKLOAD_KINDS.has(kind)) template = at(o.object, 'spec', 'template');
    const spec = asObject(at(template, 'spec'));
    if (!spec) return;
    const account = spec.serviceAccountName ?? spec.serviceAccount;
    push(this.podTemplatesByResource, o.declaredBy.key, {
      workload: o,
      kind,
      namespace: namespaceOf(o),
      labels: labelsOf(o, at(template, 'metadata', 'labels')),
      spec,
      serviceAccountName: account === undefined ? 'default' : o.source.literal(account),
    });
  }

  private addRouteTableAssociation(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      const subnet = resourceKeyOf(v.properties.SubnetId);
      const routeTable = resourceKeyOf(v.properties.RouteTableId);
      if (subnet !== undefined && routeTable !== undefined) push(this.associationsBySubnet, subnet, { association: id, when: v.when, routeTable });
    }
  }

  /** Indexes a route to `0.0.0.0/0` or `::/0` whose gateway is an internet gateway. */
  private addRoute(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      const p = v.properties;
      const routeTable = resourceKeyOf(p.RouteTableId);
      const destination = [p.DestinationCidrBlock, p.DestinationIpv6CidrBlock].find((d) => d === '0.0.0.0/0' || d === '::/0') as string | undefined;
      if (routeTable === undefined || destination === undefined) continue;
      const gatewayKey = resourceKeyOf(p.GatewayId);
      const gateway = gatewayKey !== undefined && this.typeOf(gatewayKey) === INTERNET_GATEWAY ? this.resourceIds.get(gatewayKey)!.logicalId
        : typeof p.GatewayId === 'string' && p.GatewayId.startsWith('igw-') ? p.GatewayId : undefined;
      if (gateway !== undefined) push(this.internetRoutesByTable, routeTable, { route: id, when: v.when, destination, gateway });
    }
  }

  /** The keys of a list of subnets: an undefined entry for each that cannot be resolved, or for a whole list that cannot. */
  private subnetKeys(value: unknown): Array<RefKey | undefined> {
    if (!Array.isArray(value)) return value === undefined ? [] : [undefined];
    return value.map((s) => (s instanceof Sym && !s.list && s.kind !== 'unknown' ? s.key : undefined));
  }

  /**
   * The SSM parameter path of an image id when it names a Windows image: a parameter of type
   * `AWS::SSM::Parameter::Value<...>` (as aws-cdk-lib writes `MachineImage.latestWindows` and
   * `fromSsmParameter`) whose default path is read as the image it names, or `resolve:ssm:<path>`
   * (`resolveSsmParameterAtLaunch`) and `{{resolve:ssm:<path>}}` written in the value.
   */
  private windowsImage(value: unknown): string | undefined {
    let path: string | undefined;
    if (value instanceof Sym && value.kind === 'parameter') {
      const parameter = this.parameterOf(value);
      if (asString(parameter?.Type)?.startsWith(SSM_PARAMETER_TYPE_PREFIX)) path = asString(parameter?.Default);
    } else if (typeof value === 'string' || (value instanceof Sym && value.kind === 'text')) {
      const written = partsOf(value).map((part) => (typeof part === 'string' ? part : '*')).join('');
      path = /^resolve:ssm:(.+)$/.exec(written)?.[1] ?? /\{\{resolve:ssm:([^}]+)\}\}/.exec(written)?.[1];
    }
    return path !== undefined && /windows/i.test(path) ? path : undefined;
  }

  /** The declaration of the parameter a symbol stands for. */
  private parameterOf(sym: Sym): JsonObject | undefined {
    for (const stack of this.app.stacks) {
      const prefix = `param:${stack.id}/`;
      if (!sym.key.startsWith(prefix)) continue;
      const parameter = stack.parameters[sym.key.slice(prefix.length)];
      if (parameter !== undefined) return parameter;
    }
    return undefined;
  }

  private addAddon(id: ResourceId): void {
    for (const v of this.variantsOf(id)) {
      const p = v.properties;
      this.addons.set(id.key, {
        ...id,
        name: asString(p.AddonName),
        cluster: this.clusterOf(p.ClusterName),
        configuration: p.ConfigurationValues === undefined ? undefined : EmbeddedJson.parse(p.ConfigurationValues) ?? null,
      });
    }
  }

  private addFargateProfile(id: ResourceId, l1: boolean): void {
    for (const v of this.variantsOf(id)) {
      const p = v.properties;
      const selectors = l1 ? p.Selectors : at(p, 'Config', 'selectors');
      this.fargateProfiles.push({
        ...id,
        cluster: this.clusterOf(l1 ? p.ClusterName : at(p, 'Config', 'clusterName')),
        namespaces: asArray(selectors).map((s) => asString(at(s, l1 ? 'Namespace' : 'namespace'))).filter((n): n is string => n !== undefined),
      });
    }
  }

  /**
   * Whether a tag key is `kubernetes.io/cluster/<name>` (literal, or text built with `Fn::Sub` or
   * `Fn::Join`): null when it is not, else the cluster it names when that cluster is in the app.
   */
  private clusterTag(key: unknown): ClusterTag | null {
    if (typeof key !== 'string' && !(key instanceof Sym && key.kind === 'text')) return null;
    const parts = partsOf(key);
    const first = parts[0];
    if (typeof first !== 'string' || !first.startsWith(CLUSTER_TAG_PREFIX)) return null;
    const name = text([first.slice(CLUSTER_TAG_PREFIX.length), ...parts.slice(1)]);
    if (name === '') return null;
    return { cluster: this.clusterOf(name), literal: typeof name === 'string' ? name : undefined };
  }
}

/** The namespace of a Kubernetes object (`default` when absent); undefined when it holds a reference. */
export function namespaceOf(o: KubernetesObject): string | undefined {
  const namespace = at(o.object, 'metadata', 'namespace');
  return namespace === undefined ? 'default' : o.source.literal(namespace);
}

/** The labels of an object's metadata; undefined when a key cannot be read. */
export function labelsOf(o: KubernetesObject, labels: unknown): LabelSet | undefined {
  const out = new Map<string, string | null>();
  for (const [key, value] of Object.entries(asObject(labels) ?? {})) {
    const literalKey = o.source.literal(key);
    if (literalKey === undefined) return undefined;
    out.set(literalKey, o.source.literal(value) ?? null);
  }
  return out;
}

/** The hop limit as a number, when it is one. */
export function hopLimitOf(launch: LaunchInfo): number | undefined {
  return asNumber(launch.hopLimit);
}

/** The key of the resource a `Ref` or `Fn::GetAtt` value points to. */
function resourceKeyOf(value: unknown): string | undefined {
  return value instanceof Sym ? value.resource : undefined;
}

/** The branch of a node group: its own variant's, with its launch template's. */
function launchBranch(stack: StackTemplate, v: Variant, launch: LaunchInfo | undefined): Branch {
  const own = branchOf(stack, v.assumed);
  if (!launch) return own;
  // `consistent` picks launch variants that fit; when none fits, all are read, and the node group's branch stands.
  return joinBranches(own, branchOf(launch.stack, launch.assumed)) ?? own;
}

/** The one key all of some keys are, when none is undefined; undefined otherwise. */
function sameKey(keys: ReadonlyArray<RefKey | undefined>): RefKey | undefined {
  const distinct = new Set(keys);
  return distinct.size === 1 ? [...distinct][0] : undefined;
}

/** The launch variants consistent with a resource variant's assumptions ([undefined] when there are none). */
function consistent(stack: StackTemplate, v: Variant, launches: LaunchInfo[]): Array<LaunchInfo | undefined> {
  if (launches.length === 0) return [undefined];
  // Conditions are a template's own: only branches of the same template can contradict each other.
  const fits = launches.filter((l) => l.stack !== stack || [...l.assumed].every(([name, value]) => {
    const mine = v.assumed.get(name);
    return mine === undefined || mine === value;
  }));
  // No branch of the launch template fits: the template would not deploy that way; read them all.
  return fits.length > 0 ? fits : launches;
}

function joinWhen(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined || b === a) return a;
  return `${a} and ${b.replace(/^when /, '')}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

