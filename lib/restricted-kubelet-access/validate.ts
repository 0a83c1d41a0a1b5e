import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Boundaries } from '../boundaries';
import { describePeer, PeerKind, peerKind } from '../private/peers';

/** Every problem with the webhook ports asked for; an empty list when there is none. */
export function validateWebhookPorts(ports: number[]): string[] {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const port of ports) {
    if (Token.isUnresolved(port)) continue;
    if (port === Boundaries.KUBELET_READ_ONLY_PORT) {
      problems.push(
        `webhookPorts: ${port} is the kubelet's unauthenticated read-only port and is never opened; remove it`,
      );
    } else if (port === Boundaries.KUBELET_PORT) {
      problems.push(
        `webhookPorts: ${port} is the kubelet port, which this construct already opens from the cluster security group; remove it`,
      );
    } else if (!Number.isInteger(port) || port < 1 || port > Boundaries.MAX_PORT) {
      problems.push(`webhookPorts: ${port} is not a TCP port; use whole numbers from 1 to ${Boundaries.MAX_PORT}`);
    } else if (seen.has(port)) {
      problems.push(`webhookPorts: ${port} appears twice; list each port once`);
    }
    seen.add(port);
  }
  return problems;
}

/**
 * Every problem with the extra sources asked for on the kubelet port: only security groups may
 * reach it, never a CIDR (IPv4 or IPv6, tokens included) or a prefix list.
 */
export function validateKubeletSources(sources: ec2.IPeer[]): string[] {
  const problems: string[] = [];
  for (const source of sources) {
    const kind = peerKind(source);
    if (kind !== PeerKind.SECURITY_GROUP) {
      problems.push(
        `additionalKubeletSources: ${describePeer(source)} is ${/^[aeiouIU]/.test(kind) ? 'an' : 'a'} ${kind}, but TCP ${Boundaries.KUBELET_PORT} (kubelet) may only be reached from security groups; pass the security group of the client instead (for example the node security group that metrics-server runs on)`,
      );
    }
  }
  return problems;
}
