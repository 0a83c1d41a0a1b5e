import { Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { TargetGroupBindingOptions } from './ingress';
import { validateObjectName } from './validate';
import { Boundaries } from '../boundaries';
import { TARGET_GROUP_BINDING_API_VERSION } from '../conventions';
import { problem, Problem } from '../private/errors';
import { describeValue } from '../private/values';

/** The target type a TargetGroupBinding writes for a backend target type. */
export type BindingTargetType = 'instance' | 'ip';

/**
 * Every problem with a TargetGroupBinding's options. `networking` is never written: the
 * controller then writes no security group rule, and the rules stay this construct's. A caller
 * that passes one anyway (from JavaScript, where nothing stops it) is told so.
 */
export function validateBindingOptions(options: TargetGroupBindingOptions, namespace: string, targetType: BindingTargetType): Problem[] {
  const problems: Problem[] = [...validateObjectName(options.name ?? options.serviceName, namespace)];
  if ('networking' in (options as object)) {
    problems.push(problem('bindingNetworking', 'networking: is set, but the TargetGroupBinding must not write spec.networking: with it the AWS Load Balancer Controller writes the target rules itself, which this construct owns; remove it'));
  }
  const port = options.servicePort;
  if (!Token.isUnresolved(port) && (!Number.isInteger(port) || port < 1 || port > Boundaries.MAX_PORT)) {
    problems.push(problem('servicePortInvalid', `servicePort: ${port} of Service ${describeValue(options.serviceName)} is not a port; use 1 to ${Boundaries.MAX_PORT}`));
  }
  const declared = declaredTargetType(options.targetGroup);
  if (declared !== undefined && declared !== targetType) {
    problems.push(problem('targetGroupTypeMismatch', `targetGroup: '${options.targetGroup.node.path}' has target type '${declared}', but the targets are reached as '${targetType}' targets; create the target group with targetType: elbv2.TargetType.${targetType.toUpperCase()}`));
  }
  return problems;
}

/**
 * The target type a target group of this app declares, when it can be read: a created target
 * group whose type was given (or set by the targets added to it). Undefined for imported ones.
 */
function declaredTargetType(targetGroup: elbv2.IApplicationTargetGroup): string | undefined {
  const resource = targetGroup.node.defaultChild;
  if (!(resource instanceof elbv2.CfnTargetGroup)) return undefined;
  const value: unknown = resource.stack.resolve(resource.targetType);
  return typeof value === 'string' ? value : undefined;
}

/** The TargetGroupBinding manifest (elbv2.k8s.aws/v1beta1), without `spec.networking`. */
export function targetGroupBindingManifest(
  options: TargetGroupBindingOptions,
  namespace: string,
  targetType: BindingTargetType,
): Record<string, unknown> {
  return {
    apiVersion: TARGET_GROUP_BINDING_API_VERSION,
    kind: 'TargetGroupBinding',
    metadata: { name: options.name ?? options.serviceName, namespace },
    spec: {
      serviceRef: { name: options.serviceName, port: options.servicePort },
      targetGroupARN: options.targetGroup.targetGroupArn,
      targetType,
    },
  };
}
