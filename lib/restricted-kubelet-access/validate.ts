import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Boundaries } from '../boundaries';
import { problem, Problem } from '../private/errors';
import { describePeer, PeerKind, peerKind } from '../private/peers';
import { describeVpcId, differentVpcs, securityGroupVpcId } from '../private/vpcs';

/** The props of a RestrictedKubeletAccess this file checks, with what was read from the cluster. */
export interface KubeletAccessInput {
  /** The construct path of the cluster, for messages. */
  readonly clusterPath: string;
  /** The cluster security group id, or undefined when the cluster has none (imported without it). */
  readonly clusterSecurityGroupId?: string;
  readonly webhookPorts: number[];
  readonly additionalKubeletSources: ec2.IPeer[];
}

/** Every problem with the props of a RestrictedKubeletAccess; an empty list when there is none. */
export function validateKubeletAccessProps(input: KubeletAccessInput): Problem[] {
  const problems = [
    ...validateWebhookPorts(input.webhookPorts),
    ...validateKubeletSources(input.additionalKubeletSources),
  ];
  if (input.clusterSecurityGroupId === undefined) {
    problems.push(problem('clusterSecurityGroupUnknown', `cluster: '${input.clusterPath}' has no cluster security group id; import it with eks.Cluster.fromClusterAttributes({ clusterSecurityGroupId, ... })`));
  } else if (input.additionalKubeletSources.some((source) => source.toIngressRuleConfig().sourceSecurityGroupId === input.clusterSecurityGroupId)) {
    problems.push(problem('kubeletSourceIsClusterSecurityGroup', 'additionalKubeletSources: the cluster security group is already the kubelet\'s source; remove it'));
  }
  return problems;
}

/**
 * Every problem with the webhook ports asked for; an empty list when there is none. A token is a
 * problem too: it cannot be checked against the kubelet's ports, and the rule written with it
 * could open either, so this boundary fails closed.
 */
export function validateWebhookPorts(ports: number[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<number>();
  ports.forEach((port, index) => {
    if (Token.isUnresolved(port)) {
      problems.push(
        problem('webhookPortUnresolved', `webhookPorts: a token (at index ${index}); pass a literal port number: a webhook port must be checked against ${Boundaries.KUBELET_PORT} (kubelet), ${Boundaries.KUBELET_READ_ONLY_PORT} (kubelet read-only) and 1-${Boundaries.MAX_PORT} before it is opened, and a token cannot be, so this security boundary fails closed`),
      );
      return;
    }
    if (port === Boundaries.KUBELET_READ_ONLY_PORT) {
      problems.push(
        problem('webhookPortIsKubeletReadOnly', `webhookPorts: ${port} is the kubelet's unauthenticated read-only port and is never opened; remove it`),
      );
    } else if (port === Boundaries.KUBELET_PORT) {
      problems.push(
        problem('webhookPortIsKubelet', `webhookPorts: ${port} is the kubelet port, which this construct already opens from the cluster security group; remove it`),
      );
    } else if (!Number.isInteger(port) || port < 1 || port > Boundaries.MAX_PORT) {
      problems.push(problem('webhookPortInvalid', `webhookPorts: ${port} is not a TCP port; use whole numbers from 1 to ${Boundaries.MAX_PORT}`));
    } else if (seen.has(port)) {
      problems.push(problem('webhookPortDuplicate', `webhookPorts: ${port} appears twice; list each port once`));
    }
    seen.add(port);
  });
  return problems;
}

/**
 * Every problem with the extra sources asked for on the kubelet port: only security groups may
 * reach it, never a CIDR (IPv4 or IPv6, tokens included) or a prefix list.
 */
export function validateKubeletSources(sources: ec2.IPeer[]): Problem[] {
  const problems: Problem[] = [];
  for (const source of sources) {
    const kind = peerKind(source);
    if (kind !== PeerKind.SECURITY_GROUP) {
      problems.push(
        problem('kubeletSourceNotSecurityGroup', `additionalKubeletSources: ${describePeer(source)} is ${/^[aeiouIU]/.test(kind) ? 'an' : 'a'} ${kind}, but TCP ${Boundaries.KUBELET_PORT} (kubelet) may only be reached from security groups; pass the security group of the client instead (for example the node security group that metrics-server runs on)`),
      );
    }
  }
  return problems;
}

/** A node security group to restrict, and what it is checked against. */
export interface NodeSecurityGroupInput {
  readonly securityGroup: ec2.ISecurityGroup;
  readonly clusterSecurityGroupId: string;
  /** The cluster's VPC, when the cluster knows it (an imported cluster may not). */
  readonly clusterVpc?: ec2.IVpc;
  /** The ids of the node security groups already restricted. */
  readonly added: string[];
}

/** Every problem with one more node security group; an empty list when there is none. */
export function validateNodeSecurityGroup(input: NodeSecurityGroupInput): Problem[] {
  const problems: Problem[] = [];
  const { securityGroup } = input;
  const sgId = securityGroup.securityGroupId;
  if (sgId === input.clusterSecurityGroupId) {
    problems.push(problem('nodeSecurityGroupIsClusterSecurityGroup', 'nodeSecurityGroups: the cluster security group is not a dedicated node security group; pass the node security group of a launch template (HardenedNodeSecurityGroup creates one)'));
  }
  if (input.added.includes(sgId)) {
    problems.push(problem('nodeSecurityGroupDuplicate', `nodeSecurityGroups: '${securityGroup.node.path}' was added twice; add each node security group once`));
  }
  const sgVpcId = securityGroupVpcId(securityGroup);
  if (sgVpcId !== undefined && input.clusterVpc !== undefined && differentVpcs(sgVpcId, input.clusterVpc.vpcId)) {
    problems.push(
      problem('nodeSecurityGroupOtherVpc', `nodeSecurityGroups: '${securityGroup.node.path}' is in VPC ${describeVpcId(sgVpcId)}, not in the cluster's VPC (${describeVpcId(input.clusterVpc.vpcId)}); its rules would name a security group the control plane's network interfaces can never reach, so pass a node security group of the cluster's VPC`),
    );
  }
  return problems;
}

/** The problem when no node security group was ever given (checked at synthesis). */
export function validateSomeNodeSecurityGroup(count: number): Problem[] {
  return count === 0
    ? [problem('nodeSecurityGroupMissing', 'nodeSecurityGroups: none given; pass the dedicated node security groups in nodeSecurityGroups or call addNodeSecurityGroup()')]
    : [];
}
