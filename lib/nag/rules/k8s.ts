import { ALB_ANNOTATION_PREFIX, ALB_INGRESS_CLASS, MANAGE_BACKEND_RULES_ANNOTATION, SECURITY_GROUPS_ANNOTATION, TARGET_TYPE_ANNOTATION } from '../../conventions';
import { RefKey } from '../../template/ingress';
import { asArray, asNumber, asObject, asString, at, JsonObject } from '../../template/json';
import { AddonInfo, AppModel, KubernetesObject, LabelSet, labelsOf, namespaceOf, PodTemplateInfo, ResourceId, TargetGroupInfo } from '../../template/model';


/** An Ingress the AWS Load Balancer Controller serves, as the LB rules read it. */
export interface AlbIngress {
  readonly name: string;
  readonly cluster?: string;
  readonly instanceTargets: boolean;
  /** The LB security groups it names (`security-groups`); undefined when it names none. */
  readonly ownSecurityGroups?: ReadonlyArray<RefKey | undefined>;
  /** Whether the controller manages node SG rules for it. */
  readonly backendManagement: boolean;
}

/** The object's `namespace/name`. */
export function objectName(o: KubernetesObject): string {
  const name = o.source.literal(at(o.object, 'metadata', 'name')) ?? '<unresolved name>';
  const namespace = o.source.literal(at(o.object, 'metadata', 'namespace')) ?? 'default';
  return `${namespace}/${name}`;
}

/**
 * The Ingresses of a manifest resource that the AWS Load Balancer Controller serves: every Ingress
 * unless it names a class other than `alb` and carries no `alb.ingress.kubernetes.io/` annotation.
 */
export function albIngresses(model: AppModel, resource: ResourceId): AlbIngress[] {
  const out: AlbIngress[] = [];
  for (const o of model.kubernetesObjectsByResource.get(resource.key) ?? []) {
    if (asString(o.object.kind) !== 'Ingress') continue;
    const annotations = asObject(at(o.object, 'metadata', 'annotations')) ?? {};
    const className = o.source.literal(at(o.object, 'spec', 'ingressClassName') ?? annotations['kubernetes.io/ingress.class']);
    const hasAlbAnnotation = Object.keys(annotations).some((k) => k.startsWith(ALB_ANNOTATION_PREFIX));
    if (className !== undefined && className !== ALB_INGRESS_CLASS && !hasAlbAnnotation) continue;
    const targetType = o.source.literal(annotations[TARGET_TYPE_ANNOTATION]) ?? 'instance';
    const sgAnnotation = annotations[SECURITY_GROUPS_ANNOTATION];
    const ownSecurityGroups = sgAnnotation === undefined ? undefined : o.source.list(sgAnnotation).map((item) =>
      typeof item === 'string' ? (item.startsWith('sg-') ? model.securityGroupKey(item) : undefined) : model.securityGroupKey(item.reference));
    const manage = o.source.literal(annotations[MANAGE_BACKEND_RULES_ANNOTATION]);
    out.push({
      name: objectName(o),
      cluster: o.cluster,
      instanceTargets: targetType === 'instance',
      ownSecurityGroups,
      // Without its own LB SGs the controller creates one and manages node rules, whatever the flag.
      backendManagement: ownSecurityGroups === undefined || manage === 'true',
    });
  }
  return out;
}

/** SecurityGroupPolicy objects (vpcresources.k8s.aws). */
export function securityGroupPolicies(model: AppModel, resource?: ResourceId): KubernetesObject[] {
  return resource === undefined
    ? model.securityGroupPolicies
    : model.securityGroupPolicies.filter((p) => p.declaredBy.key === resource.key);
}

/** Whether SecurityGroupPolicies target the cluster (a policy of an unknown cluster counts for every cluster). */
export function clusterHasPolicies(model: AppModel, clusterId: string | undefined): boolean {
  return securityGroupPolicies(model).some((p) => p.cluster === undefined || clusterId === undefined || p.cluster === clusterId);
}

/** The `groupIds` of a SecurityGroupPolicy, as written. */
export function policyGroupIds(policy: KubernetesObject): readonly unknown[] {
  return asArray(at(policy.object, 'spec', 'securityGroups', 'groupIds'));
}

/**
 * The security group a `groupIds` entry of a SecurityGroupPolicy names: a reference embedded in
 * the manifest, or a literal id (which cannot be resolved to a group of the app); undefined when
 * it mixes text and references, or is not a string.
 */
export function policyGroupKey(model: AppModel, policy: KubernetesObject, value: unknown): RefKey | undefined {
  const parts = policy.source.parts(value);
  if (parts === undefined || parts.length !== 1) return undefined;
  const [part] = parts;
  return typeof part === 'string' ? model.securityGroupKey(part) : model.securityGroupKey(part.reference);
}

/** Whether two objects' clusters may be the same: an unknown cluster (outside the app) matches any. */
export function sameCluster(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** True, false, or undefined when it cannot be told (a value holds a reference, or is not in the app). */
export type Maybe = boolean | undefined;

/** Every one holds: false when one does not, else undefined when one cannot be told. */
function all(results: readonly Maybe[]): Maybe {
  if (results.includes(false)) return false;
  return results.includes(undefined) ? undefined : true;
}

/**
 * Whether a label selector (`matchLabels`, `matchExpressions` with In, NotIn, Exists,
 * DoesNotExist) of an object selects labels, as Kubernetes' LabelSelectorAsSelector does: an
 * empty selector selects everything, an unknown operator nothing. Undefined when a value it
 * compares cannot be read (a reference in the selector or the labels), or the labels are unknown.
 */
export function selectorMatches(o: KubernetesObject, selector: unknown, labels: LabelSet | undefined): Maybe {
  const s = asObject(selector);
  if (!s) return undefined;
  const results: Maybe[] = [];
  for (const [key, value] of Object.entries(asObject(s.matchLabels) ?? {})) {
    results.push(requirement(labels, o.source.literal(key), 'In', [o.source.literal(value)]));
  }
  for (const e of asArray(s.matchExpressions)) {
    const values = asArray(at(e, 'values')).map((v) => o.source.literal(v));
    results.push(requirement(labels, o.source.literal(at(e, 'key')), o.source.literal(at(e, 'operator')), values));
  }
  return all(results);
}

function requirement(labels: LabelSet | undefined, key: string | undefined, operator: string | undefined,
  values: ReadonlyArray<string | undefined>): Maybe {
  if (labels === undefined || key === undefined || operator === undefined) return undefined;
  const has = labels.has(key);
  switch (operator) {
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'In':
    case 'NotIn': {
      if (!has) return operator === 'NotIn';
      const value = labels.get(key);
      const listed = value !== null && values.includes(value);
      if (!listed && (value === null || values.includes(undefined))) return undefined;
      return listed === (operator === 'In');
    }
    // The selector API rejects other operators: the VPC resource controller then matches nothing.
    default: return false;
  }
}

/**
 * Whether a SecurityGroupPolicy gives a pod template's pods their own security groups, as the VPC
 * resource controller matches them: a policy with security groups and a selector, whose
 * `podSelector` selects the pod's labels and whose `serviceAccountSelector` selects the labels of
 * the pod's ServiceAccount (a ServiceAccount manifest of the app in the pod's namespace), each
 * that it has. Namespaces and clusters are not compared here.
 */
export function policySelects(model: AppModel, policy: KubernetesObject, pod: PodTemplateInfo): Maybe {
  const spec = asObject(at(policy.object, 'spec'));
  const podSelector = spec?.podSelector ?? null;
  const accountSelector = spec?.serviceAccountSelector ?? null;
  if ((podSelector === null && accountSelector === null) || policyGroupIds(policy).length === 0) return false;
  const results: Maybe[] = [];
  if (podSelector !== null) results.push(selectorMatches(policy, podSelector, pod.labels));
  if (accountSelector !== null) {
    const accounts = pod.namespace === undefined || pod.serviceAccountName === undefined ? []
      : (model.serviceAccounts.get(`${pod.namespace}/${pod.serviceAccountName}`) ?? []).filter((a) => sameCluster(a.cluster, pod.workload.cluster));
    // A ServiceAccount outside the app has unknown labels: only an empty selector is sure to select it.
    const matches = accounts.length === 0 ? [selectorMatches(policy, accountSelector, undefined)]
      : accounts.map((a) => selectorMatches(policy, accountSelector, labelsOf(a, at(a.object, 'metadata', 'labels'))));
    results.push(matches.every((m) => m === matches[0]) ? matches[0] : undefined);
  }
  return all(results);
}

/** The SecurityGroupPolicies of the app that surely select a pod template's pods: same namespace, same cluster (or unknown). */
export function policiesSelecting(model: AppModel, pod: PodTemplateInfo): KubernetesObject[] {
  if (pod.namespace === undefined) return [];
  return model.securityGroupPolicies.filter((p) => namespaceOf(p) === pod.namespace && sameCluster(p.cluster, pod.workload.cluster)
    && policySelects(model, p, pod) === true);
}

/** The `env` (or `init.env`) map of vpc-cni add-on configuration values, as literal strings. */
export function cniEnv(config: JsonObject | undefined, init = false): { readonly [name: string]: string | undefined } {
  const env = asObject(init ? at(config, 'init', 'env') : at(config, 'env')) ?? {};
  const out: { [name: string]: string | undefined } = {};
  for (const [k, v] of Object.entries(env)) out[k] = asString(v);
  return out;
}

/** How a vpc-cni add-on runs security groups for pods. */
export interface PodSecurityGroupsSettings {
  /** The parsed configuration values. */
  readonly document: JsonObject | undefined;
  /**
   * `POD_SECURITY_GROUP_ENFORCING_MODE` as written: undefined when unset (strict, the VPC CNI's
   * default), null when it holds a reference (it cannot be read).
   */
  readonly enforcingMode: string | null | undefined;
  /** Whether strict mode applies: set to "strict", or unset. */
  readonly strict: boolean;
}

/**
 * The security groups for pods settings of a vpc-cni add-on, when they are on or asked for
 * (ENABLE_POD_ENI "true", or SecurityGroupPolicies target its cluster); undefined for any other
 * add-on, and for one without configuration values or whose values do not parse. PSG4 and PSG7
 * read strict mode here.
 */
export function podSecurityGroups(model: AppModel, addon: AddonInfo | undefined): PodSecurityGroupsSettings | undefined {
  if (!addon || addon.name !== 'vpc-cni' || !addon.configuration) return undefined;
  const document = asObject(addon.configuration.document);
  if (cniEnv(document).ENABLE_POD_ENI !== 'true' && !clusterHasPolicies(model, addon.cluster)) return undefined;
  const written = at(document, 'env', 'POD_SECURITY_GROUP_ENFORCING_MODE');
  const enforcingMode = written === undefined ? undefined : addon.configuration.literal(written) ?? null;
  return { document, enforcingMode, strict: enforcingMode === undefined || enforcingMode === 'strict' };
}

/** A peer of a TargetGroupBinding's `spec.networking.ingress[].from`. */
export interface NetworkingPeer {
  readonly kind: 'ipBlock' | 'securityGroup' | 'unknown';
  /** For an `ipBlock`: its `cidr` as literal text; undefined when it holds a reference. */
  readonly cidr?: string;
  /** For a `securityGroup`: the key of its `groupID`; undefined when it cannot be resolved. */
  readonly securityGroup?: RefKey;
}

/** An entry of a TargetGroupBinding's `spec.networking.ingress`. */
export interface NetworkingIngress {
  readonly from: readonly NetworkingPeer[];
  /** Its `ports` in words: "TCP 8080", "all UDP ports"; "all TCP ports" when absent or empty (the CRD's default). */
  readonly ports: string;
}

/** A TargetGroupBinding (elbv2.k8s.aws) of a manifest, as the TGB rules read it. */
export interface TargetGroupBinding {
  readonly object: KubernetesObject;
  /** `namespace/name`. */
  readonly name: string;
  /** Its namespace (`default` when absent); undefined when it holds a reference. */
  readonly namespace?: string;
  /** The target group `spec.targetGroupARN` points to, when it is one of the app. */
  readonly targetGroup?: TargetGroupInfo;
  /**
   * `spec.targetType`, or when absent the target group's `TargetType` (the controller's webhook
   * reads it from the target group); undefined when it cannot be read.
   */
  readonly targetType?: string;
  /** `spec.networking.ingress`; undefined when there is no `spec.networking`. */
  readonly networking?: readonly NetworkingIngress[];
  /** `spec.serviceRef.name`, when literal. */
  readonly serviceName?: string;
  /** `spec.serviceRef.port` (a number, or a port name), when literal. */
  readonly servicePort?: number | string;
}

/** The TargetGroupBindings of a manifest resource. */
export function targetGroupBindings(model: AppModel, resource: ResourceId): TargetGroupBinding[] {
  return model.targetGroupBindings.filter((o) => o.declaredBy.key === resource.key).map((o) => {
    const spec = asObject(at(o.object, 'spec')) ?? {};
    const arn = o.source.parts(spec.targetGroupARN);
    const tgKey = arn !== undefined && arn.length === 1 && typeof arn[0] !== 'string' ? arn[0].reference?.resource : undefined;
    const targetGroup = tgKey !== undefined ? model.targetGroups.get(tgKey) : undefined;
    const written = spec.targetType;
    const port = at(spec, 'serviceRef', 'port');
    const networking = spec.networking === undefined ? undefined
      : asArray(at(spec, 'networking', 'ingress')).map((rule) => ({
        from: asArray(at(rule, 'from')).map((peer) => networkingPeer(model, o, peer)),
        ports: networkingPorts(o, at(rule, 'ports')),
      }));
    return {
      object: o,
      name: objectName(o),
      namespace: namespaceOf(o),
      targetGroup,
      targetType: written === undefined ? targetGroup?.targetType : o.source.literal(written),
      networking,
      serviceName: o.source.literal(at(spec, 'serviceRef', 'name')),
      servicePort: typeof port === 'number' ? port : o.source.literal(port),
    };
  });
}

function networkingPeer(model: AppModel, o: KubernetesObject, peer: unknown): NetworkingPeer {
  const cidr = at(peer, 'ipBlock', 'cidr');
  if (cidr !== undefined) return { kind: 'ipBlock', cidr: o.source.literal(cidr) };
  const groupId = at(peer, 'securityGroup', 'groupID');
  if (groupId === undefined) return { kind: 'unknown' };
  const parts = o.source.parts(groupId);
  const securityGroup = parts === undefined || parts.length !== 1 ? undefined
    : typeof parts[0] === 'string' ? model.securityGroupKey(parts[0]) : model.securityGroupKey(parts[0].reference);
  return { kind: 'securityGroup', securityGroup };
}

function networkingPorts(o: KubernetesObject, ports: unknown): string {
  const list = asArray(ports);
  if (list.length === 0) return 'all TCP ports';
  return list.map((p) => {
    const protocol = (o.source.literal(at(p, 'protocol')) ?? 'TCP').toUpperCase();
    const port = at(p, 'port');
    if (port === undefined) return `all ${protocol} ports`;
    return `${protocol} ${typeof port === 'number' ? port : o.source.literal(port) ?? 'an unresolved port'}`;
  }).join(', ');
}

/**
 * The port the pods behind a TargetGroupBinding's Service listen on: the `targetPort` (or, when
 * absent, the `port`) of the Service's port that `spec.serviceRef.port` names, when the Service is
 * a manifest of the app in the binding's namespace and cluster and the port is a number; undefined
 * otherwise (a named target port, a Service outside the app, branches that disagree).
 */
export function serviceTargetPort(model: AppModel, binding: TargetGroupBinding): number | undefined {
  const { namespace, serviceName, servicePort } = binding;
  if (namespace === undefined || serviceName === undefined || servicePort === undefined) return undefined;
  const services = (model.services.get(`${namespace}/${serviceName}`) ?? []).filter((s) => sameCluster(s.cluster, binding.object.cluster));
  const ports = services.map((s) => {
    const entry = asArray(at(s.object, 'spec', 'ports')).find((p) => (typeof servicePort === 'number'
      ? asNumber(at(p, 'port')) === servicePort
      : s.source.literal(at(p, 'name')) === servicePort));
    if (entry === undefined) return undefined;
    const targetPort = at(entry, 'targetPort');
    return typeof (targetPort ?? at(entry, 'port')) === 'number' ? (targetPort ?? at(entry, 'port')) as number : undefined;
  });
  return ports.length > 0 && ports.every((p) => p !== undefined && p === ports[0]) ? ports[0] : undefined;
}
