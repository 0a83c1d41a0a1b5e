import { ALB_ANNOTATION_PREFIX, ALB_INGRESS_CLASS, MANAGE_BACKEND_RULES_ANNOTATION, SECURITY_GROUPS_ANNOTATION, TARGET_TYPE_ANNOTATION } from '../../conventions';
import { RefKey } from '../../template/ingress';
import { asArray, asObject, asString, at, JsonObject } from '../../template/json';
import { AddonInfo, AppModel, KubernetesObject, ResourceId } from '../../template/model';


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
