import { Branch } from './branches';
import { asNumber, asString, JsonObject } from './json';
import { describeValue, isLiteral, keyOf } from './values';
import { Boundaries } from '../boundaries';

/** What a security group reference points to (see `AppModel.securityGroupKey`). */
export type RefKey = string;

/** Where an ingress rule lets traffic come from, or an egress rule lets it go to. */
export type SourceKind = 'ipv4' | 'ipv6' | 'prefixList' | 'securityGroup' | 'unknown';

export interface IngressSource {
  readonly kind: SourceKind;
  /** The CIDR or prefix list id when it is a literal; undefined when it cannot be resolved. */
  readonly value?: string;
  /** The value in words when it cannot be resolved ("parameter SshCidr"). */
  readonly unresolved?: string;
  /** The key of the source security group, when it resolves. */
  readonly securityGroup?: RefKey;
  /**
   * For a CIDR or prefix list: the key of the value as written (`keyOf`), literal or not, to compare
   * it with another value (a VPC's `Fn::GetAtt [Vpc, CidrBlock]`, for one).
   */
  readonly key?: string;
}

/** The protocol and port range of a rule. */
export interface PortRange {
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or `unknown` (a token). */
  readonly protocol: string;
  /** Port range; undefined ends when they cannot be resolved. */
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** An ingress rule, inline on a security group or standalone, normalised. */
export interface IngressRule extends PortRange {
  /** The key of the resource that declares the rule. */
  readonly declaredBy: string;
  /** The security group the rule lets traffic into; undefined when it cannot be resolved. */
  readonly target?: RefKey;
  readonly source: IngressSource;
  /** The branch the rule exists in ("when IsDev is true"); undefined when it exists in every branch. */
  readonly when?: string;
}

const PROTOCOLS: { readonly [value: string]: string } = {
  '-1': 'all', 'all': 'all', 'tcp': 'tcp', '6': 'tcp', 'udp': 'udp', '17': 'udp', 'icmp': 'icmp', '1': 'icmp', 'icmpv6': 'icmpv6', '58': 'icmpv6',
};

/**
 * Normalises evaluated ingress properties (inline or standalone). `securityGroup` gives the key of
 * a security group value.
 */
export function normaliseIngress(declaredBy: string, target: RefKey | undefined, props: JsonObject,
  securityGroup: (value: unknown) => RefKey | undefined, when?: string): IngressRule {
  return {
    declaredBy,
    target,
    ...normalisePorts(props),
    source: normaliseSource(props, securityGroup),
    when,
  };
}

function normaliseSource(props: JsonObject, securityGroup: (value: unknown) => RefKey | undefined): IngressSource {
  const sg = props.SourceSecurityGroupId ?? props.SourceSecurityGroupName;
  return normalisePeer(props.CidrIp, props.CidrIpv6, props.SourcePrefixListId, sg, securityGroup);
}

/** The peer of a rule, from its CIDR, IPv6 CIDR, prefix list or security group value (the first given). */
function normalisePeer(cidrIp: unknown, cidrIpv6: unknown, prefixList: unknown, sg: unknown,
  securityGroup: (value: unknown) => RefKey | undefined): IngressSource {
  const range = (kind: SourceKind, value: unknown): IngressSource => (typeof value === 'string' && isLiteral(value)
    ? { kind, value, key: keyOf(value) }
    : { kind, unresolved: describeValue(value), key: keyOf(value) });
  if (cidrIp !== undefined) return range('ipv4', cidrIp);
  if (cidrIpv6 !== undefined) return range('ipv6', cidrIpv6);
  if (prefixList !== undefined) return range('prefixList', prefixList);
  if (sg !== undefined) return { kind: 'securityGroup', securityGroup: securityGroup(sg), unresolved: describeValue(sg) };
  return { kind: 'unknown' };
}

/**
 * An egress rule, inline on a security group (`SecurityGroupEgress`), standalone
 * (`AWS::EC2::SecurityGroupEgress`), or the one EC2 adds to a group that declares none, normalised.
 */
export interface EgressRule extends PortRange {
  /** The key of the resource that declares the rule (the security group, for an inline or implicit rule). */
  readonly declaredBy: string;
  /** The security group the rule lets traffic out of; undefined when it cannot be resolved. */
  readonly group?: RefKey;
  /** Where the rule lets traffic go (`CidrIp`, `CidrIpv6`, `DestinationPrefixListId`, `DestinationSecurityGroupId`). */
  readonly destination: IngressSource;
  /** The branch the rule exists in, in words; undefined when it exists in every branch of its resource. */
  readonly when?: string;
  /** The branch the rule exists in. */
  readonly branch: Branch;
  /**
   * Whether it is the rule EC2 adds to a group created without egress rules: all traffic to
   * 0.0.0.0/0. CloudFormation removes it when a standalone egress rule of the group is created,
   * so it holds only in the branches where none of them exists.
   */
  readonly implicit: boolean;
}

/** Normalises evaluated egress properties (inline or standalone). */
export function normaliseEgress(declaredBy: string, group: RefKey | undefined, props: JsonObject,
  securityGroup: (value: unknown) => RefKey | undefined, when: string | undefined, branch: Branch): EgressRule {
  return {
    declaredBy,
    group,
    ...normalisePorts(props),
    destination: normalisePeer(props.CidrIp, props.CidrIpv6, props.DestinationPrefixListId, props.DestinationSecurityGroupId, securityGroup),
    when,
    branch,
    implicit: false,
  };
}

/** The rule EC2 adds to a security group created without egress rules. */
export function implicitEgress(group: RefKey, when: string | undefined, branch: Branch): EgressRule {
  return { declaredBy: group, group, protocol: 'all', destination: { kind: 'ipv4', value: ANY_IPV4, key: keyOf(ANY_IPV4) }, when, branch, implicit: true };
}

/** An egress rule whose protocol, ports and destination cannot be read (egress given by a parameter, for one). */
export function unknownEgress(declaredBy: string, group: RefKey, when: string | undefined, branch: Branch): EgressRule {
  return { declaredBy, group, protocol: 'unknown', destination: { kind: 'unknown' }, when, branch, implicit: false };
}

function normalisePorts(props: JsonObject): PortRange {
  const rawProtocol = props.IpProtocol;
  const protocolText = typeof rawProtocol === 'number' ? String(rawProtocol) : asString(rawProtocol)?.toLowerCase();
  return {
    protocol: protocolText === undefined ? 'unknown' : PROTOCOLS[protocolText] ?? protocolText,
    fromPort: asNumber(props.FromPort),
    toPort: asNumber(props.ToPort),
  };
}

/**
 * Whether the rule lets TCP traffic to `port` through: its protocol is TCP or all, and its range
 * includes the port. A range that cannot be resolved counts as covering it.
 */
export function coversTcp(rule: PortRange, port: number): boolean {
  return overlapsTcp(rule, port, port);
}

/** Whether the rule lets TCP traffic to any port of `[from, to]` through. */
export function overlapsTcp(rule: PortRange, from: number, to: number): boolean {
  if (rule.protocol === 'all' || rule.protocol === 'unknown') return true;
  if (rule.protocol !== 'tcp') return false;
  const low = rule.fromPort === undefined || rule.fromPort < 0 ? 0 : rule.fromPort;
  const high = rule.toPort === undefined || rule.toPort < 0 ? Boundaries.MAX_PORT : rule.toPort;
  return low <= to && from <= high;
}

export const ANY_IPV4 = '0.0.0.0/0';
export const ANY_IPV6 = '::/0';

/** Whether the source is the whole internet, as a known value (an unknown CIDR is not). */
export function isWholeInternet(source: IngressSource): boolean {
  return (source.kind === 'ipv4' && source.value === ANY_IPV4) || (source.kind === 'ipv6' && source.value === ANY_IPV6);
}

/** Whether the source is an address range: a CIDR (known or not) or a prefix list. */
export function isAddressRange(source: IngressSource): boolean {
  return source.kind === 'ipv4' || source.kind === 'ipv6' || source.kind === 'prefixList';
}

/** The source in words, for findings. */
export function describeSource(source: IngressSource): string {
  switch (source.kind) {
    case 'ipv4':
    case 'ipv6':
      return source.value ?? `an unresolved ${source.kind === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR (${source.unresolved})`;
    case 'prefixList':
      return source.value ? `prefix list ${source.value}` : `an unresolved prefix list (${source.unresolved})`;
    case 'securityGroup':
      return source.securityGroup ? `security group ${describeRef(source.securityGroup)}` : `an unresolved security group (${source.unresolved})`;
    default:
      return 'an unknown source';
  }
}

/** A reference key in words (keys are those of `values.ts`: `res:<stack>/<id>`, `att:<stack>/<id>.<attribute>`, ...). */
export function describeRef(key: RefKey): string {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  const local = rest.slice(rest.lastIndexOf('/') + 1);
  switch (kind) {
    case 'res': return local;
    case 'att': {
      const [id, attribute] = [local.slice(0, local.indexOf('.')), local.slice(local.indexOf('.') + 1)];
      return attribute === CLUSTER_SECURITY_GROUP_ATTRIBUTE ? `the cluster security group of ${id}` : local;
    }
    case 'param': return `parameter ${local}`;
    case 'import': return `import ${rest.replace(/^lit:/, '')}`;
    default: return rest;
  }
}

/** The attribute of an EKS cluster that is its cluster security group. */
export const CLUSTER_SECURITY_GROUP_ATTRIBUTE = 'ClusterSecurityGroupId';

/** The protocol and ports of a rule in words: "TCP 10250", "TCP 0-65535", "all traffic". */
export function describePorts(rule: PortRange): string {
  if (rule.protocol === 'all') return 'all traffic';
  const range = rule.fromPort === undefined || rule.toPort === undefined
    ? 'unresolved ports'
    : rule.fromPort === rule.toPort ? String(rule.fromPort) : `${rule.fromPort}-${rule.toPort}`;
  return `${rule.protocol.toUpperCase()} ${range}`;
}
