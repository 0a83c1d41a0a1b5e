import { RefKey } from '../../template/ingress';
import { asArray, asObject, asString, at, JsonObject } from '../../template/json';
import { AppModel, KubernetesObject, ResourceId } from '../../template/model';

const ALB_PREFIX = 'alb.ingress.kubernetes.io/';

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
    const hasAlbAnnotation = Object.keys(annotations).some((k) => k.startsWith(ALB_PREFIX));
    if (className !== undefined && className !== 'alb' && !hasAlbAnnotation) continue;
    const targetType = o.source.literal(annotations[`${ALB_PREFIX}target-type`]) ?? 'instance';
    const sgAnnotation = annotations[`${ALB_PREFIX}security-groups`];
    const ownSecurityGroups = sgAnnotation === undefined ? undefined : o.source.list(sgAnnotation).map((item) =>
      typeof item === 'string' ? (item.startsWith('sg-') ? model.securityGroupKey(item) : undefined) : model.securityGroupKey(item.reference));
    const manage = o.source.literal(annotations[`${ALB_PREFIX}manage-backend-security-group-rules`]);
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
