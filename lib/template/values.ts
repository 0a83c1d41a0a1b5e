/**
 * The values of a template once intrinsic functions are evaluated: JSON literals, and symbols for
 * what only a deployment knows (a resource's physical id, an attribute, a parameter, an import
 * from outside the app). Two symbols denote the same thing exactly when their keys are equal, so
 * `{ "Fn::Sub": "${ClusterName}" }` and `{ "Ref": "ClusterName" }` compare equal, and so do a
 * `Ref` in one stack and the `Fn::ImportValue` of its export in another.
 */

/** What a symbol stands for. */
export type SymbolKind =
  /** A resource's `Ref` (its physical id, or a security group's id). */
  | 'resource'
  /** A resource's `Fn::GetAtt` attribute. */
  | 'attribute'
  /** A parameter whose value the template does not fix. */
  | 'parameter'
  /** A pseudo parameter (`AWS::Region`, `AWS::StackName` of a stack whose name is unknown, ...). */
  | 'pseudo'
  /** An `Fn::ImportValue` of an export that no stack of the app produces. */
  | 'import'
  /** A string made of literal text and other symbols (`Fn::Sub`, `Fn::Join`). */
  | 'text'
  /** Anything else: equal to nothing but itself. */
  | 'unknown';

/** The parts of a symbol that is not text. */
export const NO_PARTS: ReadonlyArray<string | Sym> = Object.freeze([]);

/** A value only a deployment knows. */
export class Sym {
  /**
   * @param kind what it stands for
   * @param key equal for two symbols exactly when they denote the same value
   * @param description the value in words, for findings
   * @param list whether it is a list (a `List<...>` or `CommaDelimitedList` parameter, `Fn::Split`)
   * @param parts for text: its literal and symbolic parts, in order
   * @param resource for a resource's `Ref` or attribute: the key of the resource
   */
  constructor(
    readonly kind: SymbolKind,
    readonly key: string,
    readonly description: string,
    readonly list: boolean = false,
    readonly parts: ReadonlyArray<string | Sym> = NO_PARTS,
    readonly resource?: string,
  ) {}
}

// Only makes each unknown value's key unique (STYLE bars module state; nothing reads this count,
// and no behaviour depends on its value).
let unknownCounter = 0;

/** A value that cannot be evaluated, equal to nothing else. */
export function unknownValue(description: string, list = false): Sym {
  return new Sym('unknown', `unknown:${++unknownCounter}`, description, list);
}

/** The value `AWS::NoValue` stands for: removed from the object or list that holds it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/**
 * A string made of parts: a plain string when every part is literal, the symbol itself when it is
 * one symbol alone, otherwise a text symbol.
 */
export function text(parts: ReadonlyArray<string | Sym>): string | Sym {
  const merged: Array<string | Sym> = [];
  for (const part of parts) {
    const flat = part instanceof Sym && part.kind === 'text' ? part.parts : [part];
    for (const p of flat) {
      if (p === '') continue;
      const last = merged[merged.length - 1];
      if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
      else merged.push(p);
    }
  }
  if (merged.length === 0) return '';
  if (merged.length === 1) return merged[0];
  const key = merged.map((p) => (typeof p === 'string' ? JSON.stringify(p) : `{${p.key}}`)).join('+');
  const description = merged.map((p) => (typeof p === 'string' ? p : `\${${p.description}}`)).join('');
  return new Sym('text', `text:${key}`, description, false, merged);
}

/** The parts of a string value: one literal, a symbol, or a text's parts. */
export function partsOf(value: string | Sym): ReadonlyArray<string | Sym> {
  if (typeof value === 'string') return [value];
  return value.kind === 'text' ? value.parts : [value];
}

/** A key two values share exactly when they are equal: `lit:<text>` for a literal, the symbol's key otherwise. */
export function keyOf(value: unknown): string {
  if (value instanceof Sym) return value.key;
  if (typeof value === 'string') return `lit:${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `lit:${String(value)}`;
  return `json:${JSON.stringify(value, (_k, v) => (v instanceof Sym ? `{${v.key}}` : v))}`;
}

/** Whether a value holds no symbol anywhere: CloudFormation would pass it on as written. */
export function isLiteral(value: unknown): boolean {
  if (value instanceof Sym) return false;
  if (Array.isArray(value)) return value.every(isLiteral);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(isLiteral);
  return true;
}

/** A value in words: a literal as written, a symbol by its description. */
export function describeValue(value: unknown): string {
  if (value instanceof Sym) return value.description;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v) => (v instanceof Sym ? `\${${v.description}}` : v));
}
