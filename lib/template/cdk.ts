import * as fs from 'fs';
import * as path from 'path';
import { CfnCondition, CfnElement, CfnMapping, CfnOutput, CfnParameter, CfnResource, IPostProcessor, IResolvable, IResolveContext, Stack, Stage, Token } from 'aws-cdk-lib';
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
 * `_toCloudFormation()`, the fragment synthesis itself resolves and merges into the template. A
 * resource whose entry is its type, properties, metadata and condition alone (no raw overrides, no
 * `DependsOn`, no policies: see `isPlain`) is rendered as that method renders it, from its
 * `cfnProperties`, `renderProperties()` and `cfnOptions`, without the entries it leaves empty; every
 * fragment of a stack is resolved in one `stack.resolve()` call, as synthesis resolves a template.
 */
export function stackInputs(scope: IConstruct): StackInput[] {
  return appInputs(scope).inputs;
}

/** The templates of an app (see `stackInputs`), with the stack and logical id of each of its resources. */
export interface AppInputs {
  readonly inputs: StackInput[];
  /** Each resource of the app (rendered or listed by type): its stack's id and its logical id. */
  readonly resources: ReadonlyMap<CfnResource, { readonly stackId: string; readonly logicalId: string }>;
}

/**
 * `stackInputs`, with the stack and logical id of every resource, so that callers need not resolve
 * them again.
 *
 * With `templatePaths`, the templates a synthesis of the app has just written (what aws-cdk-lib
 * gives a validation plugin), each stack whose template is among them, and the nested stacks
 * under it, is read from the template synthesis wrote instead of rendered: the same template,
 * without rendering it again. Other stacks are rendered.
 */
export function appInputs(scope: IConstruct, templatePaths?: readonly string[]): AppInputs {
  const byStack = new Map<Stack, CfnElement[]>();
  for (const node of scope.node.findAll()) {
    if (!CfnElement.isCfnElement(node)) continue;
    const list = byStack.get(node.stack);
    if (list) list.push(node);
    else byStack.set(node.stack, [node]);
  }
  const written = new Set((templatePaths ?? []).map((p) => path.resolve(p)));
  const resources = new Map<CfnResource, { stackId: string; logicalId: string }>();
  const renderings: Rendering[] = [];
  const inputs = [...byStack].map(([stack, elements]) => {
    const template = written.size > 0 ? writtenTemplate(stack, written) : undefined;
    if (template) return stackInputOf(stack, template, elements, resources);
    const rendering = stackInput(stack, elements, resources);
    renderings.push(rendering);
    return rendering.input;
  });
  renderClusterRoles(inputs, renderings, resources);
  return { inputs, resources };
}

/**
 * The template synthesis wrote for a stack, when the stack (or, for a nested stack, its top-level
 * stack) is among the templates just written; undefined when it is not, or cannot be read.
 */
function writtenTemplate(stack: Stack, written: ReadonlySet<string>): JsonObject | undefined {
  let top = stack;
  while (top.nestedStackParent) top = top.nestedStackParent;
  const outdir = (s: Stack) => Stage.of(s)?.outdir;
  const topDir = outdir(top);
  const dir = outdir(stack);
  if (topDir === undefined || dir === undefined || !written.has(path.resolve(topDir, top.templateFile))) return undefined;
  try {
    return asObject(JSON.parse(fs.readFileSync(path.resolve(dir, stack.templateFile), 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * A stack's input from the template synthesis wrote, with the logical id of each of its resources.
 * Synthesis writes a stack's resources in the order of its elements in the construct tree (depth
 * first, nested stacks apart), one entry each: when the template's resources match the stack's
 * resources one for one in that order, type for type, that order gives their logical ids;
 * otherwise (an element that writes resources of its own, an override of a type, a logical id
 * that JavaScript would reorder) each logical id is resolved.
 */
function stackInputOf(stack: Stack, template: JsonObject, elements: readonly CfnElement[],
  ids: Map<CfnResource, { stackId: string; logicalId: string }>): StackInput {
  const stackId = stack.node.path;
  const resources = elements.filter((e): e is CfnResource => CfnResource.isCfnResource(e));
  const written = asObject(template.Resources) ?? {};
  const logicalIds = Object.keys(written);
  const synthesized = resources.filter(synthesizes);
  const aligned = logicalIds.length === synthesized.length && logicalIds.every((logicalId, i) =>
    !ARRAY_INDEX.test(logicalId) && at(written[logicalId], 'Type') === synthesized[i].cfnResourceType);
  if (aligned) {
    synthesized.forEach((r, i) => ids.set(r, { stackId, logicalId: logicalIds[i] }));
  } else {
    const [resolved] = resolveAll(stack, [synthesized.map((r) => r.logicalId)]) as [string[]];
    synthesized.forEach((r, i) => ids.set(r, { stackId, logicalId: resolved[i] }));
  }
  return { ...placeOf(stack), template };
}

/** Keys JavaScript orders before all others in an object. */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** A stack's id, name, location and parent, as its input gives them. */
function placeOf(stack: Stack): Omit<StackInput, 'template'> {
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  return {
    id: stack.node.path,
    stackName: parent || Token.isUnresolved(stack.stackName) ? undefined : stack.stackName,
    location: stack.node.path,
    parent: parent && resource ? { stackId: parent.node.path, logicalId: parent.resolve(resource.logicalId) } : undefined,
  };
}

type Template = { [section: string]: { [name: string]: unknown } };

function stackInput(stack: Stack, elements: readonly CfnElement[], ids: Map<CfnResource, { stackId: string; logicalId: string }>): Rendering {
  const stackId = stack.node.path;
  const template: Template = {
    Resources: {}, Parameters: {}, Conditions: {}, Mappings: {}, Outputs: {},
  };
  // Each element, in the order synthesis writes them: rendered in full, or (resources the model does not read) by type.
  const rendered: CfnElement[] = [];
  const listed: CfnResource[] = [];
  const order: Array<{ readonly element: CfnElement; readonly index: number; readonly full: boolean }> = [];
  for (const element of elements) {
    if (CfnResource.isCfnResource(element)) {
      const type = writtenType(element);
      if (type === undefined || INDEXED_TYPES.has(type)) order.push({ element, index: rendered.push(element) - 1, full: true });
      else if (synthesizes(element)) order.push({ element, index: listed.push(element) - 1, full: false });
    } else if (element instanceof CfnParameter || element instanceof CfnCondition || element instanceof CfnMapping
      // Outputs matter when another stack reads them: exports, and a nested stack's outputs.
      || (element instanceof CfnOutput && (element.exportName !== undefined || stack.nested))) {
      order.push({ element, index: rendered.push(element) - 1, full: true });
    }
  }
  // One resolution for the stack, as synthesis resolves the template: every fragment, and the logical ids of the resources listed by type.
  const [fragments, logicalIds] = resolveAll(stack, [rendered.map(fragmentOf), listed.map((r) => r.logicalId)]) as [unknown[], string[]];
  const unrendered = new Map<string, CfnResource>();
  for (const { element, index, full } of order) {
    if (full) {
      merge(template, fragments[index], element, stackId, ids);
    } else {
      const logicalId = logicalIds[index];
      template.Resources[logicalId] = { Type: writtenType(listed[index]) };
      unrendered.set(logicalId, listed[index]);
      ids.set(listed[index], { stackId, logicalId });
    }
  }
  return { stack, input: { ...placeOf(stack), template: template as JsonObject }, unrendered };
}

/** A stack being rendered: its input, and the resources so far listed by type only, by logical id. */
interface Rendering {
  readonly stack: Stack;
  readonly input: StackInput;
  readonly unrendered: Map<string, CfnResource>;
}

/**
 * Roles are read only for clusters (PSG3): renders those alone, in the cluster's stack (`Fn::GetAtt`)
 * or in the stack that exports their ARN (`Fn::ImportValue`, as aws-cdk-lib's references between
 * stacks write it).
 */
function renderClusterRoles(inputs: readonly StackInput[], renderings: readonly Rendering[],
  ids: Map<CfnResource, { stackId: string; logicalId: string }>): void {
  const byId = new Map(renderings.map((r) => [r.input.id, r]));
  let exports: Map<string, { readonly stackId: string; readonly value: unknown }> | undefined;
  const exported = (name: string) => {
    if (exports === undefined) {
      exports = new Map();
      for (const input of inputs) {
        for (const output of Object.values(asObject(input.template.Outputs) ?? {})) {
          const exportName = at(output, 'Export', 'Name');
          if (typeof exportName === 'string') exports.set(exportName, { stackId: input.id, value: at(output, 'Value') });
        }
      }
    }
    return exports.get(name);
  };
  const roles = new Map<Rendering, CfnResource[]>();
  for (const input of inputs) {
    for (const resource of Object.values(asObject(input.template.Resources) ?? {})) {
      if (!CLUSTER_TYPES.includes(asString(at(resource, 'Type')) ?? '')) continue;
      let roleArn = at(resource, 'Properties', 'RoleArn') ?? at(resource, 'Properties', 'Config', 'roleArn');
      let stackId = input.id;
      const importName = at(roleArn, 'Fn::ImportValue');
      if (typeof importName === 'string') {
        const found = exported(importName);
        if (!found) continue;
        ({ stackId, value: roleArn } = found);
      }
      const getAtt = at(roleArn, 'Fn::GetAtt');
      const roleId = Array.isArray(getAtt) ? asString(getAtt[0]) : undefined;
      const rendering = byId.get(stackId);
      const role = roleId !== undefined ? rendering?.unrendered.get(roleId) : undefined;
      if (!rendering || !role) continue;
      const list = roles.get(rendering) ?? [];
      if (!list.includes(role)) list.push(role);
      roles.set(rendering, list);
    }
  }
  for (const [rendering, list] of roles) {
    const [fragments] = resolveAll(rendering.stack, [list.map(fragmentOf)]) as [unknown[]];
    fragments.forEach((fragment, i) => merge(rendering.input.template as Template, fragment, list[i], rendering.input.id, ids));
  }
}

/** Merges a resolved fragment into the template; for a resource, records its logical id. */
function merge(template: Template, fragment: unknown, element: CfnElement, stackId: string,
  ids: Map<CfnResource, { stackId: string; logicalId: string }>): void {
  for (const [section, entries] of Object.entries(asObject(fragment) ?? {})) {
    const o = asObject(entries) ?? {};
    Object.assign(template[section] ??= {}, o);
    if (section === 'Resources' && CfnResource.isCfnResource(element)) {
      for (const logicalId of Object.keys(o)) ids.set(element, { stackId, logicalId });
    }
  }
}

/**
 * Resolves values of a stack in one call of `stack.resolve`: what synthesis would produce for each,
 * item by item (a list of values resolves to the list of their resolutions; `undefined` ones stay).
 * aws-cdk-lib records a performance measure for each top-level resolution; one per stack keeps that
 * cost out of the pack's.
 */
function resolveAll(stack: Stack, lists: ReadonlyArray<readonly unknown[]>): unknown[][] {
  const indexed: { [key: string]: unknown } = {};
  lists.forEach((list, l) => list.forEach((value, i) => { indexed[`${l}.${i}`] = value; }));
  const resolved = asObject(stack.resolve(indexed)) ?? {};
  return lists.map((list, l) => list.map((_, i) => resolved[`${l}.${i}`]));
}

/** The type synthesis writes for a resource (an override may change it); undefined when only rendering tells. */
function writtenType(resource: CfnResource): string | undefined {
  const overrides = (resource as unknown as CfnResourceInternals).rawOverrides;
  if (typeof overrides !== 'object' || overrides === null || !('Type' in overrides)) return resource.cfnResourceType;
  const type = overrides.Type;
  return typeof type === 'string' && !Token.isUnresolved(type) ? type : undefined;
}

/** Whether a resource is written to its template (aws-iam's `Policy` is not, when empty or unattached). */
function synthesizes(resource: CfnResource): boolean {
  const own = resource as unknown as { shouldSynthesize(): boolean };
  return own.shouldSynthesize === (CfnResource.prototype as unknown as { shouldSynthesize(): boolean }).shouldSynthesize || own.shouldSynthesize();
}

/** The internals of a `CfnResource` that `_toCloudFormation()` reads. */
interface CfnResourceInternals {
  _toCloudFormation?: () => unknown;
  readonly rawOverrides?: { readonly [key: string]: unknown };
  readonly dependsOn?: ReadonlySet<unknown>;
  renderProperties(props: { [key: string]: unknown }): { [key: string]: unknown };
}

/** The fragment of an element, as a token: resolved with the others of its stack. */
function fragmentOf(element: CfnElement): IResolvable {
  const internals = element as unknown as CfnResourceInternals;
  if (typeof internals._toCloudFormation !== 'function') {
    throw new Error(`hardened-eks-networking: this aws-cdk-lib has no CfnElement._toCloudFormation(); check ${element.stack.node.path} with eks-networking-check on its synthesized template instead`);
  }
  if (CfnResource.isCfnResource(element) && isPlain(element)) return new PlainResourceFragment(element);
  return new Rendered(() => internals._toCloudFormation!.call(element));
}

/** A value produced when it is resolved. */
class Rendered implements IResolvable {
  readonly creationStack: string[] = [];
  constructor(private readonly produce: () => unknown) {}
  resolve(): unknown {
    return this.produce();
  }
  toString(): string {
    return Token.asString(this);
  }
}

/**
 * Whether a resource's entry in its template is made of its `Type`, `Properties`, `Metadata` and
 * `Condition` alone: it synthesizes through `CfnResource`'s own `_toCloudFormation()`, and has no
 * raw overrides (`addOverride`, `addPropertyOverride`, deletion overrides), no `DependsOn`, and
 * no creation, update, deletion or update-replace policy, version or description.
 */
function isPlain(resource: CfnResource): boolean {
  const internals = resource as unknown as CfnResourceInternals;
  if (internals._toCloudFormation !== (CfnResource.prototype as unknown as CfnResourceInternals)._toCloudFormation) return false;
  if (typeof internals.renderProperties !== 'function') return false;
  const overrides = internals.rawOverrides;
  if (overrides === undefined || typeof overrides !== 'object' || Object.keys(overrides).length > 0) return false;
  if (internals.dependsOn !== undefined && !(internals.dependsOn instanceof Set)) return false;
  if ((internals.dependsOn?.size ?? 0) > 0) return false;
  const o = resource.cfnOptions;
  return o.creationPolicy === undefined && o.updatePolicy === undefined && o.updateReplacePolicy === undefined
    && o.deletionPolicy === undefined && o.version === undefined && o.description === undefined;
}

/**
 * The fragment `CfnResource._toCloudFormation()` writes for a plain resource (see `isPlain`),
 * computed as it computes it, without the entries such a resource leaves empty: its properties
 * (`cfnProperties`, resolved, an empty object or list dropped, then `renderProperties`, kept when
 * one value is defined), its metadata (dropped when empty) and its condition's logical id. With no
 * raw overrides, its final deep merge changes nothing.
 */
class PlainResourceFragment implements IResolvable {
  readonly creationStack: string[] = [];
  constructor(private readonly resource: CfnResource) {}

  resolve(): unknown {
    const r = this.resource;
    const internals = r as unknown as CfnResourceInternals;
    const condition = r.cfnOptions.condition;
    const definition: { [key: string]: unknown } = {
      Type: r.cfnResourceType,
      Properties: new DropEmpty((r as unknown as { cfnProperties: unknown }).cfnProperties),
      Metadata: new DropEmpty(r.cfnOptions.metadata),
      Condition: condition && condition.logicalId,
    };
    return {
      Resources: {
        [r.logicalId]: new PostResolve(definition, (resolved) => {
          const def = resolved as { [key: string]: unknown };
          const props = internals.renderProperties((def.Properties || {}) as { [key: string]: unknown });
          if (props) {
            const hasDefined = Object.values(props).find((v) => v !== undefined);
            def.Properties = hasDefined !== undefined ? props : undefined;
          }
          return def;
        }),
      },
    };
  }

  toString(): string {
    return Token.asString(this);
  }
}

/** A value whose resolution is then processed, as aws-cdk-lib's `PostResolveToken`. */
class PostResolve implements IResolvable, IPostProcessor {
  readonly creationStack: string[] = [];
  constructor(private readonly value: unknown, private readonly processor: (resolved: unknown) => unknown) {}
  resolve(context: IResolveContext): unknown {
    context.registerPostProcessor(this);
    return this.value;
  }
  postProcess(input: unknown): unknown {
    return this.processor(input);
  }
  toString(): string {
    return Token.asString(this);
  }
}

/** A value resolved, then dropped when it is an empty object or list, as aws-cdk-lib's `ignoreEmpty`. */
class DropEmpty extends PostResolve {
  constructor(value: unknown) {
    super(value, (o) => {
      if (o === undefined || o === null) return o;
      if (Array.isArray(o) && o.length === 0) return undefined;
      if (typeof o === 'object' && Object.keys(o as object).length === 0) return undefined;
      return o;
    });
  }
}
