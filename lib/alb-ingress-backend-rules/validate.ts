import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Boundaries } from '../boundaries';

/** A TCP port range as a rule would write it; undefined ends are tokens. */
export interface TcpRange {
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
}

/** The protocol and range an `ec2.Port` writes, read without resolving tokens. */
export function rangeOf(port: ec2.Port): TcpRange {
  const json = port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
  const known = (n: number | undefined) => (n === undefined || Token.isUnresolved(n) ? undefined : n);
  return { protocol: String(json.ipProtocol), from: known(json.fromPort), to: known(json.toPort) };
}

/**
 * Every problem with the backend ports asked for: only TCP, never all traffic, and inside the
 * range the target type uses (NodePorts for EKS instance targets).
 */
export function validatePorts(ports: ec2.Port[], within: { start: number; end: number; what: string } | undefined): string[] {
  const problems: string[] = [];
  for (const port of ports) {
    const r = rangeOf(port);
    if (r.protocol === '-1') {
      problems.push(`ports: ${port.toString()} is all traffic; a load balancer needs only TCP ports, so pass ec2.Port.tcp() or ec2.Port.tcpRange()`);
    } else if (r.protocol !== 'tcp' && r.protocol !== '6') {
      problems.push(`ports: ${port.toString()} is not TCP; an Application Load Balancer reaches its targets over TCP, so pass ec2.Port.tcp() or ec2.Port.tcpRange()`);
    } else if (within && r.from !== undefined && r.to !== undefined && (r.from < within.start || r.to > within.end)) {
      problems.push(`ports: ${port.toString()} is outside the ${within.what} (${within.start}-${within.end}); pass ports inside it`);
    } else if (r.from !== undefined && r.to !== undefined && (r.from < 1 || r.to > Boundaries.MAX_PORT || r.from > r.to)) {
      problems.push(`ports: ${port.toString()} is not a valid TCP range; use ports from 1 to ${Boundaries.MAX_PORT}`);
    }
  }
  return problems;
}

/** Kubernetes object names: DNS-1123 subdomains. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Namespaces: DNS-1123 labels. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with an Ingress's name and namespace (tokens are not checked). */
export function validateObjectName(name: string, namespace: string): string[] {
  const problems: string[] = [];
  if (!Token.isUnresolved(name) && (name.length > 253 || !DNS_1123_SUBDOMAIN.test(name))) {
    problems.push(`name: '${name}' is not a Kubernetes object name; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
  if (!Token.isUnresolved(namespace) && (namespace.length > 63 || !DNS_1123_LABEL.test(namespace))) {
    problems.push(`namespace: '${namespace}' is not a Kubernetes namespace name; use lower-case letters, digits and '-', at most 63 characters`);
  }
  return problems;
}

/**
 * Problems when user annotations set one of the annotations this construct owns to another value.
 */
export function validateAnnotations(theirs: { [key: string]: string }, ours: { [key: string]: string }): string[] {
  return Object.entries(ours)
    .filter(([key, value]) => key in theirs && theirs[key] !== value)
    .map(([key, value]) => `annotations: '${key}' is '${theirs[key]}', but AlbIngressBackendRules sets it to '${value}' to own the load balancer to target rules; remove it from annotations`);
}
