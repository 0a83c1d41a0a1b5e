import { asArray, asString, intrinsic, JsonObject } from './json';

/**
 * What a reference points to, as a key two references share exactly when they point to the same
 * thing: `res:<logicalId>`, `clustersg:<cluster logicalId>`, `lit:<value>`, `param:<name>`,
 * `import:<export name>`. Undefined when it cannot be resolved.
 */
export type RefKey = string;

/** Resource types of EKS clusters, whose `ClusterSecurityGroupId` attribute is the cluster SG. */
export const CLUSTER_TYPES: readonly string[] = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

/** Resolves references against the resources and parameters of one template. */
export class References {
  constructor(
    private readonly resources: { readonly [logicalId: string]: JsonObject },
    private readonly parameters: { readonly [name: string]: unknown },
  ) {}

  /** The key of a security group reference: `Ref`, `Fn::GetAtt [x, GroupId]`, a literal id, a parameter or an import. */
  securityGroup(value: unknown): RefKey | undefined {
    const literal = asString(value);
    if (literal !== undefined) return literal === '' ? undefined : `lit:${literal}`;
    const fn = intrinsic(value);
    if (!fn) return undefined;
    if (fn.name === 'Ref') return this.ref(fn.args);
    if (fn.name === 'Fn::GetAtt') {
      const [id, attribute] = getAttArgs(fn.args);
      if (id === undefined || !(id in this.resources)) return undefined;
      const type = asString(this.resources[id].Type);
      if (attribute === 'GroupId' && type === 'AWS::EC2::SecurityGroup') return `res:${id}`;
      if (attribute === 'ClusterSecurityGroupId' && type !== undefined && CLUSTER_TYPES.includes(type)) return `clustersg:${id}`;
      return undefined;
    }
    if (fn.name === 'Fn::ImportValue') {
      const name = asString(fn.args);
      return name === undefined ? undefined : `import:${name}`;
    }
    return undefined;
  }

  /** The logical id a `Ref` or `Fn::GetAtt` points to, if it is a resource of the template. */
  resourceId(value: unknown): string | undefined {
    const fn = intrinsic(value);
    if (!fn) return undefined;
    const id = fn.name === 'Ref' ? asString(fn.args) : fn.name === 'Fn::GetAtt' ? getAttArgs(fn.args)[0] : undefined;
    return id !== undefined && id in this.resources ? id : undefined;
  }

  private ref(target: unknown): RefKey | undefined {
    const name = asString(target);
    if (name === undefined || name.startsWith('AWS::')) return undefined;
    if (name in this.resources) return `res:${name}`;
    if (name in this.parameters) return `param:${name}`;
    return undefined;
  }
}

/** `Fn::GetAtt` takes `[id, attribute]` or `"id.attribute"`. */
export function getAttArgs(args: unknown): [string | undefined, string | undefined] {
  const s = asString(args);
  if (s !== undefined) {
    const dot = s.indexOf('.');
    return dot < 0 ? [s, undefined] : [s.slice(0, dot), s.slice(dot + 1)];
  }
  const [id, attribute] = asArray(args);
  return [asString(id), asString(attribute)];
}
