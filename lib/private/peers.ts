import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describeValue } from './values';

/** What kind of source an `ec2.IPeer` is, read from the rule it would write. */
export enum PeerKind {
  SECURITY_GROUP = 'security group',
  IPV4_CIDR = 'IPv4 CIDR',
  IPV6_CIDR = 'IPv6 CIDR',
  PREFIX_LIST = 'prefix list',
  UNKNOWN = 'unknown',
}

/** Classifies a peer by the ingress rule it would produce, without resolving tokens. */
export function peerKind(peer: ec2.IPeer): PeerKind {
  const config = peer.toIngressRuleConfig();
  if (config.sourceSecurityGroupId !== undefined) return PeerKind.SECURITY_GROUP;
  if (config.cidrIp !== undefined) return PeerKind.IPV4_CIDR;
  if (config.cidrIpv6 !== undefined) return PeerKind.IPV6_CIDR;
  if (config.sourcePrefixListId !== undefined) return PeerKind.PREFIX_LIST;
  return PeerKind.UNKNOWN;
}

/**
 * A peer's value for messages: its CIDR or prefix list, `a token` when that is unresolved, or
 * else its unique id; never a raw token.
 */
export function describePeer(peer: ec2.IPeer): string {
  const config = peer.toIngressRuleConfig();
  const value = config.cidrIp ?? config.cidrIpv6 ?? config.sourcePrefixListId;
  if (value !== undefined) return describeValue(value);
  return describeValue(peer.uniqueId);
}
