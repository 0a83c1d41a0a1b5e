import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Boundaries } from '../boundaries';
import { problem, Problem } from '../private/errors';
import { validateKubernetesName, validateKubernetesNamespace } from '../private/kubernetes-names';
import { rangeOf } from '../private/ports';
import { describeValue } from '../private/values';

/** A range the backend ports must lie in, for messages named by what it is. */
export interface PortWindow {
  readonly start: number;
  readonly end: number;
  readonly what: string;
}

/** The props of an AlbIngressBackendRules this file checks, as plain values. */
export interface BackendRulesInput {
  /** The ports as given; undefined when the target type's defaults apply. */
  readonly ports?: ec2.Port[];
  /** Whether the target type has no default ports (ip targets). */
  readonly portsRequired: boolean;
  /** The range the ports must lie in (the NodePort range for instance targets). */
  readonly within?: PortWindow;
  readonly hasLoadBalancerSecurityGroup: boolean;
  readonly hasVpc: boolean;
  readonly targetSecurityGroupCount: number;
  readonly hasWatchTopic: boolean;
  /** Whether anything sends to the topic: the security group watch or target health alarms. */
  readonly watching: boolean;
  readonly minimumHealthyTargets?: number;
}

/** Every problem with the props of an AlbIngressBackendRules; an empty list when there is none. */
export function validateBackendRulesProps(input: BackendRulesInput): Problem[] {
  const problems: Problem[] = [];
  if (input.ports !== undefined && input.ports.length === 0) {
    problems.push(problem('portsEmpty', 'ports: an empty list, which would open nothing; omit ports for the target type\'s default ports, or pass the ports the load balancer reaches the targets on'));
  } else if (input.ports === undefined && input.portsRequired) {
    problems.push(problem('portsMissing', 'ports: none given, but ip targets are reached on their container ports; pass them, for example [ec2.Port.tcp(8080)]'));
  }
  problems.push(...validatePorts(input.ports ?? [], input.within));
  if (!input.hasLoadBalancerSecurityGroup && !input.hasVpc) {
    problems.push(problem('vpcMissing', 'vpc: required to create the load balancer security group; pass vpc, or pass loadBalancerSecurityGroup'));
  }
  if (input.targetSecurityGroupCount === 0) {
    problems.push(problem('targetsWithoutSecurityGroup', 'targets: has no security group; pass the node security group, the pods security group or the container instances\' Auto Scaling group'));
  }
  if (input.hasWatchTopic && !input.watching) {
    problems.push(problem('watchTopicWithoutWatching', 'watchTopic: is set, but neither watchSecurityGroupChanges nor targetHealthAlarms is on, so nothing is sent to it; set watchSecurityGroupChanges to true, or remove watchTopic'));
  }
  const minimum = input.minimumHealthyTargets;
  if (minimum !== undefined && !Token.isUnresolved(minimum) && (!Number.isInteger(minimum) || minimum < 1)) {
    problems.push(problem('minimumHealthyTargetsInvalid', `minimumHealthyTargets: ${minimum} is not a whole number of at least 1; pass how many healthy targets each target group should keep`));
  }
  return problems;
}

/**
 * Every problem with the backend ports asked for: only TCP, never all traffic, and inside the
 * range the target type uses (NodePorts for EKS instance targets). A token is a problem too: it
 * cannot be checked, and the rule written with it could open any port, so this boundary fails
 * closed.
 */
export function validatePorts(ports: ec2.Port[], within: PortWindow | undefined): Problem[] {
  const problems: Problem[] = [];
  ports.forEach((port, index) => {
    const r = rangeOf(port);
    const protocol = r.protocol === '6' ? 'tcp' : r.protocol;
    if (protocol === '-1') {
      problems.push(problem('portAllTraffic', `ports: ${port.toString()} is all traffic; a load balancer needs only TCP ports, so pass ec2.Port.tcp() or ec2.Port.tcpRange()`));
    } else if (r.unresolved) {
      const checked = within ? `TCP in 1-${Boundaries.MAX_PORT} and inside the ${within.what} (${within.start}-${within.end})` : `TCP in 1-${Boundaries.MAX_PORT}`;
      problems.push(
        problem('portUnresolved', `ports: a token (${protocol.toUpperCase()}, at index ${index}); pass literal port numbers: a backend port must be checked to be ${checked} before it is opened, and a token cannot be, so this security boundary fails closed`),
      );
    } else if (protocol !== 'tcp') {
      problems.push(problem('portNotTcp', `ports: ${port.toString()} is not TCP; an Application Load Balancer reaches its targets over TCP, so pass ec2.Port.tcp() or ec2.Port.tcpRange()`));
    } else if (within && r.from !== undefined && r.to !== undefined && (r.from < within.start || r.to > within.end)) {
      problems.push(problem('portOutsideRange', `ports: ${port.toString()} is outside the ${within.what} (${within.start}-${within.end}); pass ports inside it`));
    } else if (r.from !== undefined && r.to !== undefined && (r.from < 1 || r.to > Boundaries.MAX_PORT || r.from > r.to)) {
      problems.push(problem('portInvalid', `ports: ${port.toString()} is not a valid TCP range; use ports from 1 to ${Boundaries.MAX_PORT}`));
    }
  });
  return problems;
}

/** Kubernetes object names: DNS-1123 subdomains. */

/** Problems with an Ingress's name and namespace (tokens are not checked). */
export function validateObjectName(name: string, namespace: string): Problem[] {
  return [...validateKubernetesName('name', name), ...validateKubernetesNamespace('namespace', namespace)];
}

/** An Ingress applied with `addIngress()`, and which AlbIngressBackendRules applied it. */
export interface AppliedIngress {
  /** The construct path of the AlbIngressBackendRules. */
  readonly owner: string;
  /** The construct id given to `addIngress()`. */
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
}

/**
 * The problem when an Ingress of the same name and namespace was already applied to the cluster:
 * the second manifest would overwrite the first. Tokens cannot be compared and are skipped.
 */
export function validateIngressIsNew(name: string, namespace: string, applied: AppliedIngress[]): Problem[] {
  if (Token.isUnresolved(name) || Token.isUnresolved(namespace)) return [];
  return applied
    .filter((a) => a.name === name && a.namespace === namespace)
    .map((a) => problem('ingressDuplicate', `name: '${name}' in namespace '${namespace}' is already the Ingress of addIngress('${a.id}') on ${a.owner}, and the second would overwrite the first in the cluster; give each Ingress its own name`));
}

/**
 * Problems when user annotations set one of the annotations this construct owns to another value.
 */
export function validateAnnotations(theirs: { [key: string]: string }, ours: { [key: string]: string }): Problem[] {
  return Object.entries(ours)
    .filter(([key, value]) => key in theirs && theirs[key] !== value)
    .map(([key, value]) => problem('annotationOverridden', `annotations: '${key}' is ${describeValue(theirs[key])}, but AlbIngressBackendRules sets this annotation itself (to ${describeValue(value)}) to own the load balancer to target rules; remove it from annotations`));
}

/** The problem when `addIngress()` has no cluster to apply the Ingress to. */
export function validateHasCluster(hasCluster: boolean): Problem[] {
  return hasCluster ? [] : [problem('clusterMissing', 'cluster: not set, so addIngress() has no cluster to apply the Ingress to; pass cluster')];
}

/** The problem when the target type has no Kubernetes Ingress (ECS). */
export function validateHasIngress(isEcs: boolean): Problem[] {
  return isEcs
    ? [problem('ingressOnEcs', 'targetType: ECS_DYNAMIC_PORTS has no Kubernetes Ingress, so ingressAnnotations() and addIngress() do not apply; pass loadBalancerSecurityGroup to the ApplicationLoadBalancer instead')]
    : [];
}
