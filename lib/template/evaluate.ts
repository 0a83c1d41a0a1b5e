import { asArray, asObject, asString, intrinsic, JsonObject } from './json';
import { StackInput } from './stack-input';
import { isLiteral, keyOf, NO_PARTS, NO_VALUE, Sym, text, unknownValue } from './values';

/**
 * What a branch of the template assumes: the truth of conditions' undecided comparisons, and the
 * value of parameters bounded by `AllowedValues`.
 */
export interface Assumptions {
  /** Comparisons (`Fn::Equals` the template alone does not decide), by key, assumed true or false. */
  readonly atoms: ReadonlyMap<string, boolean>;
  /** Parameters with `AllowedValues`, each assumed to hold one of them. */
  readonly params: ReadonlyMap<string, string>;
}

const NO_ASSUMPTIONS: Assumptions = { atoms: new Map(), params: new Map() };

/** What a variant that holds in every branch assumes: nothing (one map for all, never modified). */
const ASSUMES_NOTHING: ReadonlyMap<string, string> = new Map();

/** One way a resource can be deployed: its properties under some assumptions. */
export interface Variant {
  /** The properties, intrinsics evaluated. */
  readonly properties: JsonObject;
  /** The condition in words ("when IsDev is true"); undefined when the properties hold in every branch. */
  readonly when?: string;
  /** What the branch assumes about each condition (`condition:<name>`) and bounded parameter (`param:<name>`) it depends on. */
  readonly assumed: ReadonlyMap<string, string>;
}

/** At most this many branches are read per resource; past it, undecided `Fn::If`s are unknown values. */
const MAX_VARIANTS = 32;

/** A condition's value under assumptions, or the comparison that must be assumed to decide it. */
type Decision = { readonly value: boolean } | { readonly missing: string } | { readonly unknown: true };

const PSEUDO_APP_WIDE = ['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::URLSuffix'];

/**
 * One template of an app, able to evaluate its intrinsic functions as CloudFormation would:
 * references to its resources, parameters and conditions, and, through the app, imports and
 * nested stacks.
 */
export class StackTemplate {
  readonly resources: { readonly [logicalId: string]: JsonObject };
  readonly parameters: { readonly [name: string]: JsonObject };
  private readonly conditions: JsonObject;
  private readonly mappings: JsonObject;
  private readonly conditionDecisions = new Map<string, boolean | undefined>();
  private readonly evaluating = new Set<string>();
  /** The symbols of its resources' `Ref`s and attributes, made once each. */
  private readonly refs = new Map<string, Sym>();
  private readonly attributes = new Map<string, Map<string, Sym>>();
  /** Whether the template can branch at all: it declares conditions, or parameters with `AllowedValues`. */
  private readonly branches: boolean;

  constructor(readonly input: StackInput, readonly app: AppTemplates) {
    const t = input.template;
    const all = asObject(t.Resources) ?? {};
    const ids = Object.keys(all);
    if (ids.every((id) => asObject(all[id]) !== undefined)) {
      this.resources = all as { readonly [logicalId: string]: JsonObject };
    } else {
      const resources: { [id: string]: JsonObject } = {};
      for (const id of ids) {
        const o = asObject(all[id]);
        if (o) resources[id] = o;
      }
      this.resources = resources;
    }
    const parameters: { [name: string]: JsonObject } = {};
    for (const [name, p] of Object.entries(asObject(t.Parameters) ?? {})) parameters[name] = asObject(p) ?? {};
    this.parameters = parameters;
    this.conditions = asObject(t.Conditions) ?? {};
    this.mappings = asObject(t.Mappings) ?? {};
    this.branches = Object.keys(this.conditions).length > 0 || Object.values(parameters).some((p) => allowedValues(p) !== undefined);
  }

  get id(): string {
    return this.input.id;
  }

  /** The key of a resource of this template: the key of its `Ref`. */
  resourceKey(logicalId: string): string {
    return `res:${this.id}/${logicalId}`;
  }

  /** The type of a resource of this template. */
  typeOf(logicalId: string): string | undefined {
    return asString(this.resources[logicalId]?.Type);
  }

  /**
   * The ways a resource can be deployed: one variant per combination of the conditions its
   * properties depend on. With `read`, only the properties at those paths (`"A"`, `"A.B"`) are
   * evaluated, and only the conditions they depend on are branched on.
   */
  variants(logicalId: string, read?: readonly string[]): Variant[] {
    const resource = this.resources[logicalId];
    if (!resource) return [];
    const properties = read ? pick(resource.Properties, read) : resource.Properties;
    if (!this.branches) {
      // Nothing to branch on: no condition decides anything, no parameter is bounded.
      return [{ properties: asObject(this.evaluate(properties, NO_ASSUMPTIONS)) ?? {}, assumed: ASSUMES_NOTHING }];
    }
    const conditionNames = new Set<string>();
    const paramNames = new Set<string>();
    collectBranchPoints(properties, conditionNames, paramNames, this.parameters);
    const own = asString(resource.Condition);
    if (own !== undefined) conditionNames.add(own);
    for (const name of conditionNames) this.paramsOfCondition(name, paramNames, new Set());
    const bounded = [...paramNames].filter((p) => allowedValues(this.parameters[p]) !== undefined).sort();
    const names = [...conditionNames].sort();
    if (names.length === 0 && bounded.length === 0) {
      return [{ properties: asObject(this.evaluate(properties, NO_ASSUMPTIONS)) ?? {}, assumed: ASSUMES_NOTHING }];
    }

    // Branch on bounded parameters (those with the fewest values first, within half the budget),
    // then on every comparison a condition leaves undecided, while the budget lasts. What is not
    // branched on stays unknown: an `Fn::If` on it evaluates to an unknown value.
    let product = 1;
    const branched: string[] = [];
    for (const p of bounded.sort((a, b) => allowedValues(this.parameters[a])!.length - allowedValues(this.parameters[b])!.length)) {
      const count = allowedValues(this.parameters[p])!.length;
      if (product * count > MAX_VARIANTS / 2) continue;
      product *= count;
      branched.push(p);
    }
    let envs: Assumptions[] = [NO_ASSUMPTIONS];
    for (const p of branched.sort()) {
      envs = envs.flatMap((env) => allowedValues(this.parameters[p])!.map((v) => ({ atoms: env.atoms, params: new Map([...env.params, [p, v]]) })));
    }
    const decided: Array<{ env: Assumptions; values: Map<string, boolean> }> = [];
    const queue = [...envs];
    while (queue.length > 0) {
      const env = queue.shift()!;
      const values = new Map<string, boolean>();
      let split: string | undefined;
      for (const name of names) {
        const d = this.decide({ Condition: name }, env);
        if ('missing' in d && decided.length + queue.length + 2 <= MAX_VARIANTS) {
          split = d.missing;
          break;
        }
        if ('value' in d) values.set(name, d.value);
      }
      if (split !== undefined) {
        for (const truth of [true, false]) queue.push({ atoms: new Map([...env.atoms, [split, truth]]), params: env.params });
      } else {
        decided.push({ env, values });
      }
    }

    const out: BranchProperties[] = [];
    for (const { env, values } of decided) {
      if (own !== undefined && values.get(own) === false) continue;
      const evaluated = asObject(this.evaluate(properties, env)) ?? {};
      const assumed = new Map<string, string>();
      const label = new Map<string, string>();
      for (const p of branched) {
        assumed.set(`param:${p}`, `'${env.params.get(p)}'`);
        label.set(p, `'${env.params.get(p)}'`);
      }
      const byParams: Assumptions = { atoms: new Map(), params: env.params };
      for (const [n, v] of values) {
        if (this.isDecidedAlone(n)) continue;
        assumed.set(`condition:${n}`, String(v));
        // A condition the parameters' values decide says nothing more than they do.
        if (branched.length === 0 || !('value' in this.decide({ Condition: n }, byParams))) label.set(n, String(v));
      }
      out.push({ properties: evaluated, assumed, label, key: keyOf(evaluated) });
    }
    return mergeVariants(out, own);
  }

  /**
   * Evaluates a value of this template under some assumptions. Parts without intrinsic functions
   * are returned as they are (not copied): evaluated values are read, never modified.
   */
  evaluate(value: unknown, env: Assumptions = NO_ASSUMPTIONS): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        const v = this.evaluate(item, env);
        if (out === undefined) {
          if (v === item) continue;
          out = value.slice(0, i);
        }
        if (v !== NO_VALUE) out.push(v);
      }
      return out ?? value;
    }
    const o = asObject(value);
    if (!o) return value;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const name = keys[0];
      if (name === 'Ref' || name.startsWith('Fn::')) return this.evaluateFunction(name, o[name], env);
    }
    let out: { [key: string]: unknown } | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const item = o[k];
      const v = this.evaluate(item, env);
      if (out === undefined) {
        if (v === item) continue;
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = o[keys[j]];
      }
      if (v !== NO_VALUE) out[k] = v;
    }
    return out ?? o;
  }

  /** The value of a condition of this template when the template alone decides it. */
  conditionValue(name: string): boolean | undefined {
    if (!this.conditionDecisions.has(name)) {
      const d = this.decide({ Condition: name }, NO_ASSUMPTIONS);
      this.conditionDecisions.set(name, 'value' in d ? d.value : undefined);
    }
    return this.conditionDecisions.get(name);
  }

  /**
   * Whether the conditions can take the given values together while the bounded parameters hold
   * the given values: some truth of the comparisons the template leaves undecided makes each
   * condition take its value. True also when that cannot be told (a condition that cannot be
   * decided, or more comparisons than the branch budget can try): a branch is assumed possible
   * unless the template rules it out.
   */
  satisfiable(conditions: ReadonlyMap<string, boolean>, params: ReadonlyMap<string, string>): boolean {
    const queue: Assumptions[] = [{ atoms: new Map(), params }];
    for (let tried = 0; queue.length > 0; tried++) {
      if (tried >= MAX_VARIANTS * 2) return true;
      const env = queue.shift()!;
      let split: string | undefined;
      let fits = true;
      for (const [name, want] of conditions) {
        const d = this.decide({ Condition: name }, env);
        if ('value' in d && d.value !== want) fits = false;
        else if ('missing' in d) split = split ?? d.missing;
      }
      if (!fits) continue;
      if (split === undefined) return true;
      for (const truth of [true, false]) queue.push({ atoms: new Map([...env.atoms, [split, truth]]), params: env.params });
    }
    return false;
  }

  /** The value of a condition when the bounded parameters holding the given values decide it alone. */
  conditionUnder(name: string, params: ReadonlyMap<string, string>): boolean | undefined {
    const d = this.decide({ Condition: name }, { atoms: new Map(), params });
    return 'value' in d ? d.value : undefined;
  }

  /** The allowed values of a parameter, when it declares them. */
  allowedValues(name: string): string[] | undefined {
    return allowedValues(this.parameters[name]);
  }

  private isDecidedAlone(name: string): boolean {
    return this.conditionValue(name) !== undefined;
  }

  private evaluateFunction(name: string, args: unknown, env: Assumptions): unknown {
    switch (name) {
      case 'Ref': return this.ref(asString(args) ?? asString(this.evaluate(args, env)), env);
      case 'Fn::GetAtt': return this.getAtt(args, env);
      case 'Fn::Sub': return this.sub(args, env);
      case 'Fn::Join': {
        const [sep, list] = asArray(args);
        const separator = asString(this.evaluate(sep, env));
        const items = this.evaluate(list, env);
        if (separator === undefined || !Array.isArray(items)) return unknownValue(`a join of ${describeArg(list)}`);
        const parts: Array<string | Sym> = [];
        items.forEach((item, i) => {
          if (i > 0) parts.push(separator);
          parts.push(stringPart(item));
        });
        return text(parts);
      }
      case 'Fn::Select': {
        const [index, list] = asArray(args);
        const i = Number(this.evaluate(index, env));
        const items = this.evaluate(list, env);
        if (Array.isArray(items) && Number.isInteger(i) && i >= 0 && i < items.length) return items[i];
        return unknownValue(`item ${describeArg(index)} of ${items instanceof Sym ? items.description : 'a list'}`);
      }
      case 'Fn::Split': {
        const [sep, source] = asArray(args);
        const separator = asString(this.evaluate(sep, env));
        const s = this.evaluate(source, env);
        if (separator !== undefined && typeof s === 'string') return s.split(separator);
        return unknownValue(`a split of ${s instanceof Sym ? s.description : 'a value'}`, true);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = asArray(args).map((a) => this.evaluate(a, env));
        if (typeof map === 'string' && typeof top === 'string' && typeof second === 'string') {
          const found = asObject(asObject(this.mappings[map])?.[top])?.[second];
          if (found !== undefined) return this.evaluate(found, env);
        }
        return unknownValue(`a value of mapping ${describeArg(map)}`);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = asArray(args);
        const d = this.decide({ Condition: condition }, env);
        if ('value' in d) return this.evaluate(d.value ? whenTrue : whenFalse, env);
        const a = this.evaluate(whenTrue, env);
        const b = this.evaluate(whenFalse, env);
        return keyOf(a) === keyOf(b) ? a : unknownValue(`a value that depends on condition ${String(condition)}`);
      }
      case 'Fn::ImportValue': return this.app.importValue(this.evaluate(args, env));
      case 'Fn::GetAZs': return unknownValue('the availability zones', true);
      case 'Fn::Cidr': return unknownValue('CIDRs of Fn::Cidr', true);
      default: return unknownValue(`${name} of ${describeArg(args)}`);
    }
  }

  private ref(name: string | undefined, env: Assumptions): unknown {
    if (name === undefined) return unknownValue('a Ref to an unresolved name');
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name.startsWith('AWS::')) {
      if (name === 'AWS::StackName' && this.input.stackName !== undefined) return this.input.stackName;
      if (name === 'AWS::NotificationARNs') return unknownValue(name, true);
      const key = PSEUDO_APP_WIDE.includes(name) ? `pseudo:${name}` : `pseudo:${this.id}/${name}`;
      return new Sym('pseudo', key, name);
    }
    if (name in this.resources) {
      // One symbol per resource: symbols are values, and a template refers to a resource many times.
      let sym = this.refs.get(name);
      if (sym === undefined) {
        const key = this.resourceKey(name);
        sym = new Sym('resource', key, name, false, NO_PARTS, key);
        this.refs.set(name, sym);
      }
      return sym;
    }
    const param = this.parameters[name];
    if (param) {
      const assumed = env.params.get(name);
      if (assumed !== undefined) return assumed;
      const fromParent = this.app.parentParameter(this, name);
      if (fromParent !== undefined) return fromParent;
      const type = asString(param.Type) ?? '';
      return new Sym('parameter', `param:${this.id}/${name}`, `parameter ${name}`, type.startsWith('List<') || type === 'CommaDelimitedList');
    }
    return unknownValue(`Ref ${name} (not in the template)`);
  }

  private getAtt(args: unknown, env: Assumptions): unknown {
    const [id, attributeArg] = getAttArgs(args);
    const attribute = asString(attributeArg) ?? asString(this.evaluate(attributeArg, env));
    if (id === undefined || attribute === undefined) return unknownValue('an unresolved Fn::GetAtt');
    const type = this.typeOf(id);
    if (type === undefined) return unknownValue(`${id}.${attribute} (not in the template)`);
    if (type === 'AWS::EC2::SecurityGroup' && attribute === 'GroupId') return this.ref(id, env);
    if (type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
      const output = this.app.nestedOutput(this, id, attribute.slice('Outputs.'.length));
      if (output !== undefined) return output;
    }
    let ofResource = this.attributes.get(id);
    if (ofResource === undefined) this.attributes.set(id, ofResource = new Map());
    let sym = ofResource.get(attribute);
    if (sym === undefined) {
      sym = new Sym('attribute', `att:${this.id}/${id}.${attribute}`, `${id}.${attribute}`, false, NO_PARTS, this.resourceKey(id));
      ofResource.set(attribute, sym);
    }
    return sym;
  }

  private sub(args: unknown, env: Assumptions): unknown {
    const list = asArray(args);
    const template = asString(args) ?? asString(list[0]);
    if (template === undefined) return unknownValue('an unresolved Fn::Sub');
    const vars = asObject(list[1]) ?? {};
    const parts: Array<string | Sym> = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    for (const m of template.matchAll(re)) {
      parts.push(template.slice(last, m.index));
      last = m.index! + m[0].length;
      const name = m[1].trim();
      if (name.startsWith('!')) {
        parts.push(`\${${name.slice(1)}}`);
        continue;
      }
      let value: unknown;
      if (name in vars) value = this.evaluate(vars[name], env);
      else if (name.includes('.') && !name.startsWith('AWS::')) value = this.getAtt(name, env);
      else value = this.ref(name, env);
      parts.push(stringPart(value));
    }
    parts.push(template.slice(last));
    return text(parts);
  }

  /** Decides a condition expression under assumptions. */
  private decide(expression: unknown, env: Assumptions): Decision {
    const o = asObject(expression);
    if (typeof expression === 'boolean') return { value: expression };
    if (!o) return { unknown: true };
    if ('Condition' in o && Object.keys(o).length === 1) {
      const name = asString(o.Condition);
      const definition = name !== undefined ? this.conditions[name] : undefined;
      if (name === undefined || definition === undefined || this.evaluating.has(name)) return { unknown: true };
      this.evaluating.add(name);
      try {
        return this.decide(definition, env);
      } finally {
        this.evaluating.delete(name);
      }
    }
    const fn = intrinsic(o);
    if (!fn) return { unknown: true };
    const args = asArray(fn.args);
    switch (fn.name) {
      case 'Fn::Not': {
        const d = this.decide(args[0], env);
        return 'value' in d ? { value: !d.value } : d;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const short = fn.name === 'Fn::Or';
        let pending: Decision | undefined;
        for (const item of args) {
          const d = this.decide(item, env);
          if ('value' in d) {
            if (d.value === short) return { value: short };
          } else if (pending === undefined || 'unknown' in pending) {
            pending = d;
          }
        }
        return pending ?? { value: !short };
      }
      case 'Fn::Equals': {
        const a = this.evaluate(args[0], env);
        const b = this.evaluate(args[1], env);
        const ka = keyOf(a);
        const kb = keyOf(b);
        if (ka === kb) return { value: true };
        if (isLiteral(a) && isLiteral(b)) return { value: false };
        const atom = [ka, kb].sort().join(' == ');
        const assumed = env.atoms.get(atom);
        return assumed === undefined ? { missing: atom } : { value: assumed };
      }
      default:
        return { unknown: true };
    }
  }

  /** The parameters a condition's comparisons read (to branch on those with `AllowedValues`). */
  private paramsOfCondition(name: string, out: Set<string>, seen: Set<string>): void {
    if (seen.has(name)) return;
    seen.add(name);
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) { v.forEach(visit); return; }
      const o = asObject(v);
      if (!o) return;
      if (typeof o.Ref === 'string' && o.Ref in this.parameters) out.add(o.Ref);
      if (typeof o.Condition === 'string' && Object.keys(o).length === 1) this.paramsOfCondition(o.Condition, out, seen);
      Object.values(o).forEach(visit);
    };
    visit(this.conditions[name]);
  }
}

/**
 * The templates of an app, read together: exports and imports between them, and nested stacks
 * with their parents.
 */
export class AppTemplates {
  readonly stacks: StackTemplate[];
  private readonly byId = new Map<string, StackTemplate>();
  private readonly nestedByParent = new Map<string, StackTemplate>();
  private exports?: Map<string, { stack: StackTemplate; value: unknown }>;
  private readonly resolving = new Set<string>();

  constructor(inputs: readonly StackInput[]) {
    this.stacks = inputs.map((input) => new StackTemplate(input, this));
    for (const s of this.stacks) this.byId.set(s.id, s);
    for (const s of this.stacks) {
      if (s.input.parent) this.nestedByParent.set(`${s.input.parent.stackId}/${s.input.parent.logicalId}`, s);
    }
  }

  /** The stack of an id. */
  stack(id: string): StackTemplate | undefined {
    return this.byId.get(id);
  }

  /** The value an `Fn::ImportValue` of this name receives: the export's value, or an import symbol. */
  importValue(name: unknown): unknown {
    const key = keyOf(name);
    const found = this.exportTable().get(key);
    const value = found ? this.once(`import:${key}`, () => found.stack.evaluate(found.value)) : undefined;
    if (value !== undefined) return value;
    return new Sym('import', `import:${key}`, `import ${typeof name === 'string' ? name : name instanceof Sym ? name.description : '?'}`);
  }

  /** The value a nested stack's parameter receives from its parent, when the parent is in the app. */
  parentParameter(nested: StackTemplate, name: string): unknown {
    const parent = nested.input.parent;
    const stack = parent ? this.byId.get(parent.stackId) : undefined;
    if (!parent || !stack) return undefined;
    const given = asObject(asObject(stack.resources[parent.logicalId]?.Properties)?.Parameters)?.[name];
    if (given === undefined) return undefined;
    return this.once(`param:${nested.id}/${name}`, () => stack.evaluate(given));
  }

  /** The value of output `name` of the nested stack that resource `logicalId` of `parent` creates, when it is in the app. */
  nestedOutput(parent: StackTemplate, logicalId: string, name: string): unknown {
    const nested = this.nestedByParent.get(`${parent.id}/${logicalId}`);
    const value = asObject(asObject(nested?.input.template.Outputs)?.[name])?.Value;
    if (!nested || value === undefined) return undefined;
    return this.once(`out:${nested.id}/${name}`, () => nested.evaluate(value));
  }

  /**
   * Evaluates a value of another stack, unless that same value is already being evaluated (an
   * export, parameter or output that refers back to itself): then undefined, and the caller
   * keeps the reference unresolved.
   */
  private once(key: string, evaluate: () => unknown): unknown {
    if (this.resolving.has(key)) return undefined;
    this.resolving.add(key);
    try {
      return evaluate();
    } finally {
      this.resolving.delete(key);
    }
  }

  private exportTable(): Map<string, { stack: StackTemplate; value: unknown }> {
    if (!this.exports) {
      this.exports = new Map();
      for (const stack of this.stacks) {
        for (const output of Object.values(asObject(stack.input.template.Outputs) ?? {})) {
          const o = asObject(output);
          const name = asObject(o?.Export)?.Name;
          if (name === undefined || o?.Value === undefined) continue;
          this.exports.set(keyOf(stack.evaluate(name)), { stack, value: o.Value });
        }
      }
    }
    return this.exports;
  }
}

/** `Fn::GetAtt` takes `[id, attribute]` or `"id.attribute"`. */
function getAttArgs(args: unknown): [string | undefined, unknown] {
  const s = asString(args);
  if (s !== undefined) {
    const dot = s.indexOf('.');
    return dot < 0 ? [s, undefined] : [s.slice(0, dot), s.slice(dot + 1)];
  }
  const [id, attribute] = asArray(args);
  return [asString(id), attribute];
}

/** Paths of keys split at their first dot: `"A.B.C"` is `["A", "B.C"]`. */
const SPLIT_PATHS = new Map<string, readonly [string, string | undefined]>();

function splitPath(path: string): readonly [string, string | undefined] {
  let split = SPLIT_PATHS.get(path);
  if (split === undefined) {
    const dot = path.indexOf('.');
    split = dot < 0 ? [path, undefined] : [path.slice(0, dot), path.slice(dot + 1)];
    SPLIT_PATHS.set(path, split);
  }
  return split;
}

/**
 * The parts of an object at some paths of keys, in a new object. A value the paths go through
 * that is an `Fn::If` is picked in each branch; any other intrinsic function there (an import, a
 * mapping, a parameter) is kept whole, to be evaluated as it is.
 */
function pick(value: unknown, paths: readonly string[]): JsonObject {
  const out: { [key: string]: unknown } = {};
  const source = asObject(value);
  if (!source) return out;
  const inner = new Map<string, string[] | 'whole'>();
  for (const path of paths) {
    const [head, rest] = splitPath(path);
    if (!(head in source)) continue;
    const seen = inner.get(head);
    if (rest === undefined) inner.set(head, 'whole');
    else if (seen === undefined) inner.set(head, [rest]);
    else if (seen !== 'whole') seen.push(rest);
  }
  for (const [head, rests] of inner) out[head] = rests === 'whole' ? source[head] : pickIn(source[head], rests);
  return out;
}

/** The parts of a value at some paths of keys: an object's, each branch's of an `Fn::If`, or the value whole. */
function pickIn(value: unknown, paths: readonly string[]): unknown {
  const fn = intrinsic(value);
  if (fn === undefined) return asObject(value) ? pick(value, paths) : value;
  const args = fn.args;
  if (fn.name !== 'Fn::If' || !Array.isArray(args) || args.length !== 3) return value;
  return { 'Fn::If': [args[0], pickIn(args[1], paths), pickIn(args[2], paths)] };
}

/** The allowed values of a parameter, when it declares them. */
function allowedValues(parameter: JsonObject | undefined): string[] | undefined {
  const values = asArray(parameter?.AllowedValues).map((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : asString(v)));
  return values.length > 0 && values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

/**
 * The conditions of `Fn::If`s whose branches differ, and the parameters referenced directly (by
 * `Ref` or in an `Fn::Sub`), anywhere in a value.
 */
function collectBranchPoints(value: unknown, conditions: Set<string>, params: Set<string>, declared: { readonly [name: string]: unknown }): void {
  if (Array.isArray(value)) {
    for (const item of value) collectBranchPoints(item, conditions, params, declared);
    return;
  }
  const o = asObject(value);
  if (!o) return;
  const fn = intrinsic(o);
  if (fn?.name === 'Fn::If') {
    const [condition, a, b] = asArray(fn.args);
    if (typeof condition === 'string' && JSON.stringify(a) !== JSON.stringify(b)) conditions.add(condition);
  } else if (fn?.name === 'Ref' && typeof fn.args === 'string' && fn.args in declared) {
    params.add(fn.args);
  } else if (fn?.name === 'Fn::Sub') {
    const template = asString(fn.args) ?? asString(asArray(fn.args)[0]) ?? '';
    for (const m of template.matchAll(/\$\{([^}!.]*)\}/g)) {
      if (m[1].trim() in declared) params.add(m[1].trim());
    }
  }
  for (const item of Object.values(o)) collectBranchPoints(item, conditions, params, declared);
}

/** The properties of one branch, with what it assumes and what of that its label says. */
interface BranchProperties {
  readonly properties: JsonObject;
  readonly assumed: ReadonlyMap<string, string>;
  readonly label: ReadonlyMap<string, string>;
  readonly key: string;
}

/**
 * Branches with the same properties are one variant: it keeps the assumptions they all share. Its
 * label names the resource's own condition and the assumptions that tell it from other variants;
 * a variant that holds in every branch has none.
 */
function mergeVariants(all: readonly BranchProperties[], own: string | undefined): Variant[] {
  const groups = new Map<string, BranchProperties[]>();
  for (const v of all) {
    const list = groups.get(v.key) ?? [];
    list.push(v);
    groups.set(v.key, list);
  }
  const common = (members: readonly BranchProperties[], of: 'assumed' | 'label') => {
    const out = new Map<string, string>();
    for (const [name, value] of members[0]?.[of] ?? []) {
      if (members.every((m) => m[of].get(name) === value)) out.set(name, value);
    }
    return out;
  };
  const everywhere = common(all, 'label');
  const out: Variant[] = [];
  for (const members of groups.values()) {
    const label = [...common(members, 'label')].filter(([name]) => name === own || !everywhere.has(name));
    const when = label.length === 0 ? undefined : `when ${label.map(([n, v]) => `${n} is ${v}`).join(' and ')}`;
    out.push({ properties: members[0].properties, when, assumed: common(members, 'assumed') });
  }
  return out;
}

/** A value as part of a string: literal text, or a symbol. */
function stringPart(value: unknown): string | Sym {
  if (value instanceof Sym) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return unknownValue('a value that is not a string');
}

function describeArg(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Sym) return value.description;
  return JSON.stringify(value) ?? String(value);
}
