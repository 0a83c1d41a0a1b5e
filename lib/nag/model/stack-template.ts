import { Stack } from 'aws-cdk-lib';

/**
 * The CloudFormation template of a stack, resolved, as synthesis writes it. This is the one place
 * the library reaches into aws-cdk-lib's internals (`Stack._toCloudFormation()`, protected): the
 * pack runs after synthesis and needs the whole template of each stack once, to index it.
 */
export function stackTemplate(stack: Stack): unknown {
  const toCloudFormation = (stack as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof toCloudFormation !== 'function') {
    throw new Error(`hardened-eks-networking: this aws-cdk-lib has no Stack._toCloudFormation(); check ${stack.node.path} with the command-line checker on its synthesized template instead`);
  }
  return stack.resolve(toCloudFormation.call(stack));
}
