import { AppTemplates, StackTemplate } from './evaluate';

/**
 * What one branch of an app assumes: the value of each condition and bounded parameter (one with
 * `AllowedValues`) it depends on, as `Variant.assumed` writes them (`true`, `'prod'`), each key
 * prefixed by the id of its stack (`<stack>#condition:IsProd`, `<stack>#param:Env`), since
 * conditions and parameters are a template's own. Empty: every branch.
 *
 * Branches let a rule read resources of different templates, or of one template under different
 * conditions, together: a path that exists when A is true and a cluster that needs it when A is
 * false are told apart.
 */
export type Branch = ReadonlyMap<string, string>;

/** The branch that holds everywhere. */
export const EVERY_BRANCH: Branch = new Map();

/** The branch of a variant of a resource of a stack. */
export function branchOf(stack: StackTemplate, assumed: ReadonlyMap<string, string>): Branch {
  if (assumed.size === 0) return EVERY_BRANCH;
  return new Map([...assumed].map(([key, value]) => [`${stack.id}#${key}`, value]));
}

/** Both branches at once; undefined when they contradict each other. */
export function joinBranches(a: Branch, b: Branch): Branch | undefined {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  const out = new Map(a);
  for (const [key, value] of b) {
    if (out.has(key) && out.get(key) !== value) return undefined;
    out.set(key, value);
  }
  return out;
}

/** Whether a branch holds in a world (a world assigns every key a branch may name). */
export function holdsIn(branch: Branch, world: Branch): boolean {
  for (const [key, value] of branch) {
    if (world.get(key) !== value) return false;
  }
  return true;
}

/** At most this many worlds are told apart; past it a rule reads the app as one world it cannot decide. */
const MAX_WORLDS = 256;

/**
 * The ways an app can be deployed, as far as some branches tell them apart: every assignment of
 * their conditions (true or false) and parameters (each allowed value) that the templates allow
 * (conditions whose definitions contradict each other are left out).
 */
export class Worlds {
  /** The worlds of some branches; undefined when there are more than MAX_WORLDS. */
  static of(app: AppTemplates, branches: Iterable<Branch>): Worlds | undefined {
    const domains = new Map<string, string[]>();
    for (const branch of branches) {
      for (const key of branch.keys()) {
        if (domains.has(key)) continue;
        const { stack, kind, name } = splitKey(key);
        const allowed = kind === 'param' ? app.stack(stack)?.allowedValues(name)?.map((v) => `'${v}'`) : undefined;
        domains.set(key, allowed ?? ['true', 'false']);
      }
    }
    const keys = [...domains.keys()].sort();
    if (keys.reduce((n, k) => n * domains.get(k)!.length, 1) > MAX_WORLDS) return undefined;
    let worlds: Array<Map<string, string>> = [new Map()];
    for (const key of keys) worlds = worlds.flatMap((w) => domains.get(key)!.map((v) => new Map([...w, [key, v]])));
    return new Worlds(app, keys, worlds.filter((w) => possible(app, w)));
  }

  private constructor(private readonly app: AppTemplates, private readonly keys: readonly string[], readonly all: readonly Branch[]) {}

  /**
   * Some of the worlds in words, as briefly as is still true: undefined when they are all of them,
   * else `when A is true` (the clauses they share, when every world with them is among them), or
   * each world's clauses (`when A is true and B is 'x' or when ...`). Keys that do not tell the
   * worlds from the others are left out, and so is a condition the parameters named decide.
   */
  describe(some: readonly Branch[]): string | undefined {
    const inSome = new Set(some.map((w) => this.id(w)));
    if (this.all.every((w) => inSome.has(this.id(w)))) return undefined;
    // A key tells the worlds apart when changing it alone takes one of them out; with conditions
    // that depend on each other, that may not be enough, and then every key is named.
    const telling = this.keys.filter((key) => some.some((w) => this.all.some((o) => !inSome.has(this.id(o))
      && [...w].every(([k, v]) => k === key || o.get(k) === v))));
    return this.describeWith(some, inSome, telling, true) ?? this.describeWith(some, inSome, this.keys, true)
      ?? this.describeWith(some, inSome, this.keys, false)!;
  }

  /** Some worlds in words with the clauses of some keys, when those words are exact; undefined otherwise. */
  private describeWith(some: readonly Branch[], inSome: ReadonlySet<string>, keys: readonly string[], brief: boolean): string | undefined {
    const clausesOf = (w: Branch) => keys.filter((key) => !(brief && this.decidedByParams(key, w))).map((key) => `${splitKey(key).name} is ${w.get(key)}`);
    // Words are exact when every world they describe is one of `some`.
    const exact = (sets: ReadonlyArray<readonly string[]>) => this.all
      .filter((w) => sets.some((set) => set.every((c) => clausesOf(w).includes(c))))
      .every((w) => inSome.has(this.id(w)));
    const shared = clausesOf(some[0]).filter((c) => some.every((w) => clausesOf(w).includes(c)));
    if (shared.length > 0 && exact([shared])) return `when ${shared.join(' and ')}`;
    const each = some.map(clausesOf).filter((set) => set.length > 0);
    if (each.length < some.length || !exact(each)) return undefined;
    return [...new Set(each.map((set) => `when ${set.join(' and ')}`))].join(' or ');
  }

  private id(world: Branch): string {
    return this.keys.map((k) => world.get(k)).join('\u0000');
  }

  /** Whether a condition key of a world is decided by the parameters the world names in its stack. */
  private decidedByParams(key: string, world: Branch): boolean {
    const { stack, kind, name } = splitKey(key);
    if (kind !== 'condition') return false;
    const params = paramsOf(world, stack);
    return params.size > 0 && this.app.stack(stack)?.conditionUnder(name, params) !== undefined;
  }
}

/** Whether the templates allow a world: in each stack, its conditions can take their values with its parameters' values. */
function possible(app: AppTemplates, world: Branch): boolean {
  const stacks = new Set([...world.keys()].map((k) => splitKey(k).stack));
  return [...stacks].every((id) => {
    const conditions = new Map<string, boolean>();
    for (const [key, value] of world) {
      const k = splitKey(key);
      if (k.stack === id && k.kind === 'condition') conditions.set(k.name, value === 'true');
    }
    return app.stack(id)?.satisfiable(conditions, paramsOf(world, id)) ?? true;
  });
}

/** The parameters a world names in a stack, with their values unquoted. */
function paramsOf(world: Branch, stack: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of world) {
    const k = splitKey(key);
    if (k.stack === stack && k.kind === 'param') params.set(k.name, value.replace(/^'(.*)'$/s, '$1'));
  }
  return params;
}

function splitKey(key: string): { stack: string; kind: string; name: string } {
  const hash = key.lastIndexOf('#');
  const rest = key.slice(hash + 1);
  const colon = rest.indexOf(':');
  return { stack: key.slice(0, hash), kind: rest.slice(0, colon), name: rest.slice(colon + 1) };
}
