import { CfnElement, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { asObject, asString, at, JsonObject } from './json';
import { CLUSTER_TYPES, getAttArgs } from './refs';
import { INDEXED_TYPES } from './template-model';

/**
 * The part of a stack's CloudFormation template that the model reads, resolved as synthesis
 * writes it: the resources of the types the model indexes, the roles of its clusters, and the
 * parameter names. Other resources are never rendered, which keeps the pack's cost close to the
 * resources it checks.
 *
 * This is the one place the library reaches into aws-cdk-lib's internals: each element's
 * `_toCloudFormation()`, the fragment synthesis itself resolves and merges into the template.
 */
export function stackTemplate(stack: Stack): JsonObject {
  const resources: { [logicalId: string]: unknown } = {};
  const parameters: { [name: string]: unknown } = {};
  const byId = new Map<string, CfnResource>();
  const render = (element: CfnElement) => {
    const toCloudFormation = (element as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
    if (typeof toCloudFormation !== 'function') {
      throw new Error(`hardened-eks-networking: this aws-cdk-lib has no CfnElement._toCloudFormation(); check ${stack.node.path} with eks-networking-check on its synthesized template instead`);
    }
    Object.assign(resources, asObject(at(stack.resolve(toCloudFormation.call(element)), 'Resources')) ?? {});
  };
  for (const element of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(element) || element.stack !== stack) continue;
    if (element instanceof CfnParameter) {
      parameters[stack.resolve(element.logicalId)] = { Type: element.type };
    } else if (CfnResource.isCfnResource(element)) {
      if (INDEXED_TYPES.has(element.cfnResourceType)) render(element);
      else byId.set(stack.resolve(element.logicalId), element);
    }
  }
  // Roles are read only for clusters (PSG3): render those alone.
  for (const resource of Object.values(resources)) {
    if (!CLUSTER_TYPES.includes(asString(at(resource, 'Type')) ?? '')) continue;
    const roleArn = at(resource, 'Properties', 'RoleArn') ?? at(resource, 'Properties', 'Config', 'roleArn');
    const [roleId] = getAttArgs(at(roleArn, 'Fn::GetAtt'));
    const role = roleId !== undefined ? byId.get(roleId) : undefined;
    if (role) render(role);
  }
  return { Parameters: parameters, Resources: resources };
}
