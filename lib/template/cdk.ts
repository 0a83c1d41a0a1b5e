import { CfnCondition, CfnElement, CfnMapping, CfnOutput, CfnParameter, CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { asObject, asString, at, JsonObject } from './json';
import { CLUSTER_TYPES, INDEXED_TYPES } from './model';
import { StackInput } from './stack-input';

/**
 * The templates of every stack under a construct (an app, a stage or a stack), nested stacks and
 * stages included, as the model reads them: resources of the types the model indexes are rendered
 * and resolved as synthesis writes them, with the roles of their clusters, parameters, conditions,
 * mappings and the outputs other stacks read; every other resource is listed by its type only. Resources the
 * model never reads are not rendered, which keeps the pack's cost close to the resources it checks.
 *
 * This is the one place the library reaches into aws-cdk-lib's internals: each element's
 * `_toCloudFormation()`, the fragment synthesis itself resolves and merges into the template.
 */
export function stackInputs(scope: IConstruct): StackInput[] {
  const byStack = new Map<Stack, CfnElement[]>();
  for (const node of scope.node.findAll()) {
    if (!CfnElement.isCfnElement(node)) continue;
    const list = byStack.get(node.stack);
    if (list) list.push(node);
    else byStack.set(node.stack, [node]);
  }
  return [...byStack].map(([stack, elements]) => stackInput(stack, elements));
}

function stackInput(stack: Stack, elements: readonly CfnElement[]): StackInput {
  const template: { [section: string]: { [name: string]: unknown } } = {
    Resources: {}, Parameters: {}, Conditions: {}, Mappings: {}, Outputs: {},
  };
  const render = (element: CfnElement) => {
    const toCloudFormation = (element as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
    if (typeof toCloudFormation !== 'function') {
      throw new Error(`hardened-eks-networking: this aws-cdk-lib has no CfnElement._toCloudFormation(); check ${stack.node.path} with eks-networking-check on its synthesized template instead`);
    }
    const fragment = asObject(stack.resolve(toCloudFormation.call(element))) ?? {};
    for (const [section, entries] of Object.entries(fragment)) {
      Object.assign(template[section] ??= {}, asObject(entries) ?? {});
    }
  };
  const unrendered = new Map<string, CfnResource>();
  for (const element of elements) {
    if (CfnResource.isCfnResource(element)) {
      if (INDEXED_TYPES.has(element.cfnResourceType)) {
        render(element);
      } else {
        const logicalId: string = stack.resolve(element.logicalId);
        template.Resources[logicalId] = { Type: element.cfnResourceType };
        unrendered.set(logicalId, element);
      }
    } else if (element instanceof CfnParameter || element instanceof CfnCondition || element instanceof CfnMapping
      // Outputs matter when another stack reads them: exports, and a nested stack's outputs.
      || (element instanceof CfnOutput && (element.exportName !== undefined || stack.nested))) {
      render(element);
    }
  }
  // Roles are read only for clusters (PSG3): render those alone.
  for (const resource of Object.values(template.Resources)) {
    if (!CLUSTER_TYPES.includes(asString(at(resource, 'Type')) ?? '')) continue;
    const roleArn = at(resource, 'Properties', 'RoleArn') ?? at(resource, 'Properties', 'Config', 'roleArn');
    const getAtt = at(roleArn, 'Fn::GetAtt');
    const roleId = Array.isArray(getAtt) ? asString(getAtt[0]) : undefined;
    const role = roleId !== undefined ? unrendered.get(roleId) : undefined;
    if (role) render(role);
  }
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  return {
    id: stack.node.path,
    stackName: parent || Token.isUnresolved(stack.stackName) ? undefined : stack.stackName,
    location: stack.node.path,
    template: template as JsonObject,
    parent: parent && resource ? { stackId: parent.node.path, logicalId: parent.resolve(resource.logicalId) } : undefined,
  };
}
