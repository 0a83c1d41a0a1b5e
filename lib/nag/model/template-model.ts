import { IngressRule, normaliseIngress } from './ingress';
import { asArray, asBoolean, asNumber, asObject, asString, at, intrinsic, JsonObject } from './json';
import { EmbeddedJson, kubernetesObjects } from './manifests';
import { CLUSTER_TYPES, References, RefKey } from './refs';

/** An EKS cluster of the template (L1, aws-eks-v2, or the aws-eks custom resource). */
export interface ClusterInfo {
  readonly logicalId: string;
  /** The literal cluster name, when the template sets one. */
  readonly name?: string;
  /** The key of the cluster security group. */
  readonly clusterSecurityGroup: RefKey;
  /** The cluster SG and the additional security groups of `ResourcesVpcConfig`. */
  readonly controlPlaneSecurityGroups: ReadonlySet<RefKey>;
  /** Whether the public endpoint is on; undefined when it cannot be resolved. */
  readonly endpointPublicAccess?: boolean;
  /** Whether the private endpoint is on; undefined when it cannot be resolved. */
  readonly endpointPrivateAccess?: boolean;
  /** The public access CIDRs as written (literal strings or references); undefined when absent. */
  readonly publicAccessCidrs?: readonly unknown[];
  /** The logical id of the cluster role, when it is a role of the template. */
  readonly roleId?: string;
  /** Whether EKS Auto Mode is on (aws-eks-v2's default). */
  readonly autoMode: boolean;
}

/** A launch template or launch configuration. */
export interface LaunchInfo {
  readonly logicalId: string;
  readonly kind: 'launch template' | 'launch configuration';
  /** Whether it sets security groups at all. */
  readonly setsSecurityGroups: boolean;
  /** Its security groups; undefined entries could not be resolved. */
  readonly securityGroups: ReadonlyArray<RefKey | undefined>;
  readonly httpTokens: unknown;
  readonly hopLimit: unknown;
  readonly instanceType?: string;
}

/** EKS nodes: a managed node group, or an Auto Scaling group tagged for a cluster. */
export interface NodeGroupInfo {
  readonly logicalId: string;
  readonly kind: 'managed node group' | 'Auto Scaling group';
  /** The cluster's logical id, when the cluster is in the template. */
  readonly cluster?: string;
  /** The launch template or configuration; undefined when there is none or it is not in the template. */
  readonly launch?: LaunchInfo;
  /** Whether it names a launch template or configuration that is not in the template. */
  readonly launchUnresolved: boolean;
  /** The security groups its nodes carry; undefined entries could not be resolved. */
  readonly securityGroups: ReadonlyArray<RefKey | undefined>;
  /** Its launch template sets security groups and the cluster SG is not among them. */
  readonly dedicated: boolean;
  /** Instance types, literal ones only; undefined when some could not be resolved. */
  readonly instanceTypes?: readonly string[];
}

/** A Kubernetes object of a `Custom::AWSCDK-EKS-KubernetesResource` manifest. */
export interface KubernetesObject {
  readonly declaredBy: string;
  readonly cluster?: string;
  readonly object: JsonObject;
  /** The manifest document, to read strings that embed references. */
  readonly source: EmbeddedJson;
}

/** A managed add-on. */
export interface AddonInfo {
  readonly logicalId: string;
  readonly name?: string;
  readonly cluster?: string;
  /** The parsed configuration values; undefined when absent, null when they do not parse. */
  readonly configuration?: EmbeddedJson | null;
}

/** A Fargate profile (L1 or the aws-eks custom resource). */
export interface FargateProfileInfo {
  readonly logicalId: string;
  readonly cluster?: string;
  /** Literal namespace selectors (may hold `*` and `?` wildcards). */
  readonly namespaces: readonly string[];
}

const MANAGED_NODEGROUP = 'AWS::EKS::Nodegroup';
const ASG = 'AWS::AutoScaling::AutoScalingGroup';
const LAUNCH_TEMPLATE = 'AWS::EC2::LaunchTemplate';
const LAUNCH_CONFIGURATION = 'AWS::AutoScaling::LaunchConfiguration';
export const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';

/** Every resource type the model reads; other resources never matter to a rule. */
export const INDEXED_TYPES: ReadonlySet<string> = new Set([
  ...CLUSTER_TYPES, MANAGED_NODEGROUP, ASG, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION,
  'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::NetworkAclEntry',
  'Custom::AWSCDK-EKS-KubernetesResource', 'AWS::EKS::Addon',
  'AWS::EKS::FargateProfile', 'Custom::AWSCDK-EKS-FargateProfile', 'AWS::ECS::CapacityProvider',
]);
export const SECURITY_GROUP_POLICY_API = 'vpcresources.k8s.aws/';

/**
 * Everything the rules need about one CloudFormation template, indexed once. Rules look things up
 * here; none re-scans the template.
 */
export class TemplateModel {
  /** Builds the model of a template (the parsed JSON of a CloudFormation template). */
  static fromTemplate(template: unknown): TemplateModel {
    return new TemplateModel(asObject(template) ?? {});
  }

  readonly resources: { readonly [logicalId: string]: JsonObject };
  readonly refs: References;
  readonly clusters = new Map<string, ClusterInfo>();
  readonly launches = new Map<string, LaunchInfo>();
  readonly nodeGroups: NodeGroupInfo[] = [];
  /** Node groups by their logical id. */
  readonly nodeGroupsById = new Map<string, NodeGroupInfo>();
  /** Node groups by the logical id of their launch template or configuration. */
  readonly nodeGroupsByLaunch = new Map<string, NodeGroupInfo[]>();
  /** Node security groups, each with the clusters it is a node SG of (`undefined` for an unknown cluster). */
  readonly nodeSecurityGroups = new Map<RefKey, Set<string | undefined>>();
  /** Security groups tagged `kubernetes.io/cluster/...` (the cluster SG counts too). */
  readonly taggedSecurityGroups = new Set<RefKey>();
  readonly ingress: IngressRule[] = [];
  readonly ingressByResource = new Map<string, IngressRule[]>();
  readonly ingressByTarget = new Map<RefKey, IngressRule[]>();
  /** Ingress rules by their source security group. */
  readonly ingressBySource = new Map<RefKey, IngressRule[]>();
  readonly kubernetesObjects: KubernetesObject[] = [];
  readonly kubernetesObjectsByResource = new Map<string, KubernetesObject[]>();
  /** The SecurityGroupPolicy objects (vpcresources.k8s.aws) among them. */
  readonly securityGroupPolicies: KubernetesObject[] = [];
  /** Managed add-ons by their logical id. */
  readonly addons = new Map<string, AddonInfo>();
  readonly fargateProfiles: FargateProfileInfo[] = [];
  /** Security groups of ECS container instances, by the capacity provider's Auto Scaling group. */
  readonly ecsInstanceSecurityGroups = new Map<RefKey, string>();

  private readonly clustersByName = new Map<string, string>();
  private readonly launchTemplatesByName = new Map<string, string>();

  private constructor(template: JsonObject) {
    const resources: { [id: string]: JsonObject } = {};
    for (const [id, resource] of Object.entries(asObject(template.Resources) ?? {})) {
      const r = asObject(resource);
      if (r) resources[id] = r;
    }
    this.resources = resources;
    this.refs = new References(resources, asObject(template.Parameters) ?? {});

    // Order matters: clusters and launch templates first, then what refers to them.
    for (const [id, r] of this.entries()) {
      const type = asString(r.Type) ?? '';
      if (CLUSTER_TYPES.includes(type)) this.addCluster(id, type, props(r));
      else if (type === LAUNCH_TEMPLATE) this.addLaunchTemplate(id, props(r));
      else if (type === LAUNCH_CONFIGURATION) this.addLaunchConfiguration(id, props(r));
    }
    for (const [id, r] of this.entries()) {
      const type = asString(r.Type) ?? '';
      const p = props(r);
      switch (type) {
        case MANAGED_NODEGROUP: this.addManagedNodegroup(id, p); break;
        case ASG: this.addAutoScalingGroup(id, p); break;
        case 'AWS::EC2::SecurityGroup': this.addSecurityGroup(id, p); break;
        case 'AWS::EC2::SecurityGroupIngress':
          this.addIngress(id, this.refs.securityGroup(p.GroupId ?? p.GroupName), p);
          break;
        case 'Custom::AWSCDK-EKS-KubernetesResource': this.addManifest(id, p); break;
        case 'AWS::EKS::Addon':
          this.addons.set(id, {
            logicalId: id,
            name: asString(p.AddonName),
            cluster: this.clusterOf(p.ClusterName),
            configuration: p.ConfigurationValues === undefined ? undefined : EmbeddedJson.parse(p.ConfigurationValues) ?? null,
          });
          break;
        case 'AWS::EKS::FargateProfile':
          this.addFargateProfile(id, p.ClusterName, p.Selectors, 'Namespace');
          break;
        case 'Custom::AWSCDK-EKS-FargateProfile':
          this.addFargateProfile(id, at(p, 'Config', 'clusterName'), at(p, 'Config', 'selectors'), 'namespace');
          break;
        default:
          break;
      }
    }
    for (const [, r] of this.entries()) {
      if (asString(r.Type) === 'AWS::ECS::CapacityProvider') {
        const asgId = this.refs.resourceId(at(r, 'Properties', 'AutoScalingGroupProvider', 'AutoScalingGroupArn'));
        const launch = asgId ? this.asgLaunch(props(this.resources[asgId])).launch : undefined;
        for (const sg of launch?.securityGroups ?? []) {
          if (sg !== undefined) this.ecsInstanceSecurityGroups.set(sg, asgId!);
        }
      }
    }
    for (const cluster of this.clusters.values()) {
      this.addNodeSecurityGroup(cluster.clusterSecurityGroup, cluster.logicalId);
      this.taggedSecurityGroups.add(cluster.clusterSecurityGroup);
    }
  }

  /** The logical id of the cluster a `ClusterName` value names: a `Ref` to it, or its literal name. */
  clusterOf(value: unknown): string | undefined {
    const id = this.refs.resourceId(value);
    if (id !== undefined) return this.clusters.has(id) ? id : undefined;
    const name = asString(value);
    return name === undefined ? undefined : this.clustersByName.get(name);
  }

  /** A launch template or configuration that EKS nodes use; undefined for any other resource. */
  nodeLaunch(logicalId: string): LaunchInfo | undefined {
    return this.nodeGroupsByLaunch.has(logicalId) ? this.launches.get(logicalId) : undefined;
  }

  /** The type of a resource of the template. */
  typeOf(logicalId: string): string | undefined {
    return asString(this.resources[logicalId]?.Type);
  }

  /** The clusters a node SG belongs to; empty when it is not a node SG. */
  clustersOfNodeSecurityGroup(key: RefKey): ReadonlySet<string | undefined> {
    return this.nodeSecurityGroups.get(key) ?? new Set();
  }

  /** Node groups of a cluster. */
  nodeGroupsOf(clusterId: string): NodeGroupInfo[] {
    return this.nodeGroups.filter((g) => g.cluster === clusterId);
  }

  private *entries(): Iterable<[string, JsonObject]> {
    yield* Object.entries(this.resources);
  }

  private addCluster(id: string, type: string, p: JsonObject): void {
    const isCustom = type === 'Custom::AWSCDK-EKS-Cluster';
    const config = isCustom ? asObject(p.Config) ?? {} : p;
    const vpc = asObject(isCustom ? config.resourcesVpcConfig : config.ResourcesVpcConfig) ?? {};
    const field = (l1: string, custom: string) => (isCustom ? vpc[custom] : vpc[l1]);
    const clusterSecurityGroup = `clustersg:${id}`;
    const controlPlane = new Set<RefKey>([clusterSecurityGroup]);
    for (const sg of asArray(field('SecurityGroupIds', 'securityGroupIds'))) {
      const key = this.refs.securityGroup(sg);
      if (key !== undefined) controlPlane.add(key);
    }
    const publicRaw = field('EndpointPublicAccess', 'endpointPublicAccess');
    const privateRaw = field('EndpointPrivateAccess', 'endpointPrivateAccess');
    const cidrs = field('PublicAccessCidrs', 'publicAccessCidrs');
    const name = asString(isCustom ? config.name : config.Name);
    const info: ClusterInfo = {
      logicalId: id,
      name,
      clusterSecurityGroup,
      controlPlaneSecurityGroups: controlPlane,
      // EKS defaults: public endpoint on, private endpoint off.
      endpointPublicAccess: publicRaw === undefined ? true : asBoolean(publicRaw),
      endpointPrivateAccess: privateRaw === undefined ? false : asBoolean(privateRaw),
      publicAccessCidrs: cidrs === undefined ? undefined : asArray(cidrs),
      roleId: this.refs.resourceId(isCustom ? config.roleArn : config.RoleArn),
      autoMode: asBoolean(at(config, isCustom ? 'computeConfig' : 'ComputeConfig', isCustom ? 'enabled' : 'Enabled')) === true,
    };
    this.clusters.set(id, info);
    if (name !== undefined) this.clustersByName.set(name, id);
  }

  private addLaunchTemplate(id: string, p: JsonObject): void {
    const data = asObject(p.LaunchTemplateData) ?? {};
    const onInterfaces = asArray(data.NetworkInterfaces).flatMap((ni) => [...asArray(at(ni, 'Groups'))]);
    this.addLaunch(id, 'launch template', [...asArray(data.SecurityGroupIds), ...asArray(data.SecurityGroups), ...onInterfaces], data);
    const name = asString(p.LaunchTemplateName);
    if (name !== undefined) this.launchTemplatesByName.set(name, id);
  }

  private addLaunchConfiguration(id: string, p: JsonObject): void {
    this.addLaunch(id, 'launch configuration', [...asArray(p.SecurityGroups)], p);
  }

  /** A launch template's data and a launch configuration share MetadataOptions and InstanceType. */
  private addLaunch(id: string, kind: LaunchInfo['kind'], groups: unknown[], settings: JsonObject): void {
    this.launches.set(id, {
      logicalId: id,
      kind,
      setsSecurityGroups: groups.length > 0,
      securityGroups: groups.map((sg) => this.refs.securityGroup(sg)),
      httpTokens: at(settings, 'MetadataOptions', 'HttpTokens'),
      hopLimit: at(settings, 'MetadataOptions', 'HttpPutResponseHopLimit'),
      instanceType: asString(settings.InstanceType),
    });
  }

  /** A launch template named by `{ Id | LaunchTemplateId }` or `{ Name | LaunchTemplateName }`. */
  private launchTemplateOf(spec: unknown): { launch?: LaunchInfo; unresolved: boolean } {
    const o = asObject(spec);
    if (!o) return { unresolved: false };
    const byId = o.Id ?? o.LaunchTemplateId;
    const byName = o.Name ?? o.LaunchTemplateName;
    const id = this.refs.resourceId(byId ?? byName)
      ?? (asString(byName) !== undefined ? this.launchTemplatesByName.get(asString(byName)!) : undefined);
    const launch = id !== undefined ? this.launches.get(id) : undefined;
    return { launch, unresolved: launch === undefined && (byId !== undefined || byName !== undefined) };
  }

  private asgLaunch(p: JsonObject): { launch?: LaunchInfo; unresolved: boolean } {
    if (p.LaunchConfigurationName !== undefined) {
      const id = this.refs.resourceId(p.LaunchConfigurationName);
      const launch = id !== undefined ? this.launches.get(id) : undefined;
      return { launch, unresolved: launch === undefined };
    }
    return this.launchTemplateOf(p.LaunchTemplate ?? at(p, 'MixedInstancesPolicy', 'LaunchTemplate', 'LaunchTemplateSpecification'));
  }

  private addManagedNodegroup(id: string, p: JsonObject): void {
    const cluster = this.clusterOf(p.ClusterName);
    const { launch, unresolved } = this.launchTemplateOf(p.LaunchTemplate);
    const types = asArray(p.InstanceTypes);
    let instanceTypes: string[] | undefined = types.map(asString).filter((t): t is string => t !== undefined);
    if (instanceTypes.length !== types.length) instanceTypes = undefined;
    else if (instanceTypes.length === 0) instanceTypes = launch?.instanceType !== undefined ? [launch.instanceType] : ['t3.medium'];
    this.addNodeGroup({ logicalId: id, kind: 'managed node group', cluster, launch, launchUnresolved: unresolved, instanceTypes });
  }

  private addAutoScalingGroup(id: string, p: JsonObject): void {
    const tagged = asArray(p.Tags).map((t) => clusterTag(at(t, 'Key'), this)).find((t) => t !== null);
    if (tagged === undefined) return;
    const { launch, unresolved } = this.asgLaunch(p);
    const overrides = asArray(at(p, 'MixedInstancesPolicy', 'LaunchTemplate', 'Overrides')).map((o) => asString(at(o, 'InstanceType')));
    const instanceTypes = overrides.length > 0
      ? (overrides.every((t) => t !== undefined) ? (overrides as string[]) : undefined)
      : launch?.instanceType !== undefined ? [launch.instanceType] : undefined;
    this.addNodeGroup({ logicalId: id, kind: 'Auto Scaling group', cluster: tagged.cluster, launch, launchUnresolved: unresolved, instanceTypes });
  }

  private addNodeGroup(g: Omit<NodeGroupInfo, 'securityGroups' | 'dedicated'>): void {
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
    const dedicated = g.launch?.setsSecurityGroups === true && !securityGroups.some((sg) => sg?.startsWith('clustersg:'));
    const group: NodeGroupInfo = { ...g, securityGroups, dedicated };
    this.nodeGroups.push(group);
    this.nodeGroupsById.set(group.logicalId, group);
    if (g.launch) {
      const list = this.nodeGroupsByLaunch.get(g.launch.logicalId) ?? [];
      list.push(group);
      this.nodeGroupsByLaunch.set(g.launch.logicalId, list);
    }
    for (const sg of securityGroups) {
      if (sg !== undefined) this.addNodeSecurityGroup(sg, g.cluster);
    }
  }

  private addNodeSecurityGroup(key: RefKey, cluster: string | undefined): void {
    const set = this.nodeSecurityGroups.get(key) ?? new Set<string | undefined>();
    set.add(cluster);
    this.nodeSecurityGroups.set(key, set);
  }

  private addSecurityGroup(id: string, p: JsonObject): void {
    const key = `res:${id}`;
    for (const inline of asArray(p.SecurityGroupIngress)) {
      const rule = asObject(inline);
      if (rule) this.addIngress(id, key, rule);
    }
    const tag = asArray(p.Tags).map((t) => clusterTag(at(t, 'Key'), this)).find((t) => t !== null);
    if (tag !== undefined) {
      this.taggedSecurityGroups.add(key);
      this.addNodeSecurityGroup(key, tag.cluster);
    }
  }

  private addIngress(declaredBy: string, target: RefKey | undefined, p: JsonObject): void {
    const rule = normaliseIngress(declaredBy, target, p, this.refs);
    this.ingress.push(rule);
    push(this.ingressByResource, declaredBy, rule);
    if (target !== undefined) push(this.ingressByTarget, target, rule);
    if (rule.source.securityGroup !== undefined) push(this.ingressBySource, rule.source.securityGroup, rule);
  }

  private addManifest(id: string, p: JsonObject): void {
    const source = EmbeddedJson.parse(p.Manifest);
    if (!source) return;
    const cluster = this.clusterOf(p.ClusterName);
    for (const object of kubernetesObjects(source.document)) {
      const o: KubernetesObject = { declaredBy: id, cluster, object, source };
      this.kubernetesObjects.push(o);
      push(this.kubernetesObjectsByResource, id, o);
      if (asString(object.kind) === 'SecurityGroupPolicy' && (asString(object.apiVersion) ?? '').startsWith(SECURITY_GROUP_POLICY_API)) {
        this.securityGroupPolicies.push(o);
      }
    }
  }

  private addFargateProfile(id: string, clusterName: unknown, selectors: unknown, namespaceKey: string): void {
    this.fargateProfiles.push({
      logicalId: id,
      cluster: this.clusterOf(clusterName),
      namespaces: asArray(selectors).map((s) => asString(at(s, namespaceKey))).filter((n): n is string => n !== undefined),
    });
  }
}

function props(resource: JsonObject | undefined): JsonObject {
  return asObject(resource?.Properties) ?? {};
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Whether a tag key is `kubernetes.io/cluster/<name>`, literal or as CDK writes it
 * (`Fn::Join ["", ["kubernetes.io/cluster/", { Ref: cluster }]]`): null when it is not, else the
 * cluster it names when that cluster is in the template.
 */
function clusterTag(key: unknown, model: TemplateModel): { cluster?: string } | null {
  const literal = asString(key);
  if (literal !== undefined) {
    return literal.startsWith(CLUSTER_TAG_PREFIX) ? { cluster: model.clusterOf(literal.slice(CLUSTER_TAG_PREFIX.length)) } : null;
  }
  const fn = intrinsic(key);
  if (fn?.name !== 'Fn::Join') return null;
  const [separator, parts] = asArray(fn.args);
  const list = asArray(parts);
  const first = asString(list[0]);
  if (asString(separator) !== '' || first === undefined || !first.startsWith(CLUSTER_TAG_PREFIX)) return null;
  const rest = first.slice(CLUSTER_TAG_PREFIX.length);
  if (rest === '' && list.length === 2) return { cluster: model.clusterOf(list[1]) };
  return { cluster: rest !== '' && list.length === 1 ? model.clusterOf(rest) : undefined };
}

/** The hop limit as a number, when it is one. */
export function hopLimitOf(launch: LaunchInfo): number | undefined {
  return asNumber(launch.hopLimit);
}
