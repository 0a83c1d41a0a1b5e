import { asNumber, asString, JsonObject } from './json';
import { References, RefKey } from './refs';
import { Boundaries } from '../../boundaries';

/** Where an ingress rule lets traffic come from. */
export type SourceKind = 'ipv4' | 'ipv6' | 'prefixList' | 'securityGroup' | 'unknown';

export interface IngressSource {
  readonly kind: SourceKind;
  /** The CIDR or prefix list id when it is a literal; undefined when it cannot be resolved. */
  readonly value?: string;
  /** The key of the source security group, when it resolves. */
  readonly securityGroup?: RefKey;
}

/** An ingress rule, inline on a security group or standalone, normalised. */
export interface IngressRule {
  /** The logical id of the resource that declares the rule. */
  readonly declaredBy: string;
  /** The security group the rule lets traffic into; undefined when it cannot be resolved. */
  readonly target?: RefKey;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or `unknown` (a token). */
  readonly protocol: string;
  /** Port range; undefined ends when they cannot be resolved. */
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly source: IngressSource;
}

const PROTOCOLS: { readonly [value: string]: string } = {
  '-1': 'all', 'all': 'all', 'tcp': 'tcp', '6': 'tcp', 'udp': 'udp', '17': 'udp', 'icmp': 'icmp', '1': 'icmp', 'icmpv6': 'icmpv6', '58': 'icmpv6',
};

export function normaliseIngress(declaredBy: string, target: RefKey | undefined, props: JsonObject, refs: References): IngressRule {
  const rawProtocol = props.IpProtocol;
  const protocolText = typeof rawProtocol === 'number' ? String(rawProtocol) : asString(rawProtocol)?.toLowerCase();
  const protocol = protocolText === undefined ? 'unknown' : PROTOCOLS[protocolText] ?? protocolText;
  return {
    declaredBy,
    target,
    protocol,
    fromPort: asNumber(props.FromPort),
    toPort: asNumber(props.ToPort),
    source: normaliseSource(props, refs),
  };
}

function normaliseSource(props: JsonObject, refs: References): IngressSource {
  if (props.CidrIp !== undefined) return { kind: 'ipv4', value: asString(props.CidrIp) };
  if (props.CidrIpv6 !== undefined) return { kind: 'ipv6', value: asString(props.CidrIpv6) };
  if (props.SourcePrefixListId !== undefined) return { kind: 'prefixList', value: asString(props.SourcePrefixListId) };
  const sg = props.SourceSecurityGroupId ?? props.SourceSecurityGroupName;
  if (sg !== undefined) return { kind: 'securityGroup', securityGroup: refs.securityGroup(sg) };
  return { kind: 'unknown' };
}

/**
 * Whether the rule lets TCP traffic to `port` through: its protocol is TCP or all, and its range
 * includes the port. A range that cannot be resolved counts as covering it.
 */
export function coversTcp(rule: IngressRule, port: number): boolean {
  return overlapsTcp(rule, port, port);
}

/** Whether the rule lets TCP traffic to any port of `[from, to]` through. */
export function overlapsTcp(rule: IngressRule, from: number, to: number): boolean {
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
      return source.value ?? `an unresolved ${source.kind === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR`;
    case 'prefixList':
      return source.value ? `prefix list ${source.value}` : 'an unresolved prefix list';
    case 'securityGroup':
      return source.securityGroup ? `security group ${describeRef(source.securityGroup)}` : 'an unresolved security group';
    default:
      return 'an unknown source';
  }
}

/** A reference key in words. */
export function describeRef(key: RefKey): string {
  const [kind, ...rest] = key.split(':');
  const name = rest.join(':');
  switch (kind) {
    case 'res': return name;
    case 'clustersg': return `the cluster security group of ${name}`;
    case 'param': return `parameter ${name}`;
    case 'import': return `import ${name}`;
    default: return name;
  }
}

/** The protocol and ports of a rule in words: "TCP 10250", "TCP 0-65535", "all traffic". */
export function describePorts(rule: IngressRule): string {
  if (rule.protocol === 'all') return 'all traffic';
  const range = rule.fromPort === undefined || rule.toPort === undefined
    ? 'unresolved ports'
    : rule.fromPort === rule.toPort ? String(rule.fromPort) : `${rule.fromPort}-${rule.toPort}`;
  return `${rule.protocol.toUpperCase()} ${range}`;
}
