import { asArray, asObject, asString, intrinsic, JsonObject } from './json';

const OPEN = '\u{E000}';
const CLOSE = '\u{E001}';
const PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g');

/**
 * A JSON document written in a template as a string or as an `Fn::Join` around references (as
 * CDK writes Kubernetes manifests and add-on configuration). Each reference is kept: strings of
 * the parsed document may hold placeholders, which `parts()` turns back into the reference.
 */
export class EmbeddedJson {
  /**
   * Parses the document, or returns undefined when it is not a string or a join of one, or does
   * not parse (a reference outside a JSON string, for example).
   */
  static parse(value: unknown): EmbeddedJson | undefined {
    const references: unknown[] = [];
    const text = flatten(value, references);
    if (text === undefined) return undefined;
    try {
      return new EmbeddedJson(JSON.parse(text), references);
    } catch {
      return undefined;
    }
  }

  private constructor(
    /** The parsed document, strings possibly holding placeholders. */
    public readonly document: unknown,
    private readonly references: readonly unknown[],
  ) {}

  /**
   * A string of the document split into literal text and references, in order. Undefined for a
   * value that is not a string.
   */
  parts(value: unknown): Array<string | { readonly reference: unknown }> | undefined {
    const s = asString(value);
    if (s === undefined) return undefined;
    const out: Array<string | { readonly reference: unknown }> = [];
    let last = 0;
    for (const match of s.matchAll(PLACEHOLDER)) {
      if (match.index! > last) out.push(s.slice(last, match.index));
      out.push({ reference: this.references[Number(match[1])] });
      last = match.index! + match[0].length;
    }
    if (last < s.length) out.push(s.slice(last));
    return out;
  }

  /** A string of the document as literal text, or undefined when it holds a reference. */
  literal(value: unknown): string | undefined {
    const parts = this.parts(value);
    if (parts === undefined) return undefined;
    return parts.every((p) => typeof p === 'string') ? parts.join('') : undefined;
  }

  /**
   * A comma-separated list (as in `alb.ingress.kubernetes.io/security-groups`), each item a
   * literal string or a reference; items that mix text and references are `{ reference: undefined }`.
   */
  list(value: unknown): Array<string | { readonly reference: unknown }> {
    const s = asString(value);
    if (s === undefined) return [];
    return s.split(',').map((item) => item.trim()).filter((item) => item !== '').map((item) => {
      const parts = this.parts(item)!;
      if (parts.length === 1) return parts[0];
      return { reference: undefined };
    });
  }
}

/** Kubernetes objects of a manifest document (a list, a single object, or a `List` kind). */
export function kubernetesObjects(document: unknown): JsonObject[] {
  const items = Array.isArray(document) ? document : [document];
  const out: JsonObject[] = [];
  for (const item of items) {
    const o = asObject(item);
    if (!o) continue;
    if (asString(o.kind)?.endsWith('List') && Array.isArray(o.items)) {
      out.push(...kubernetesObjects(o.items));
    } else {
      out.push(o);
    }
  }
  return out;
}

function flatten(value: unknown, references: unknown[]): string | undefined {
  const s = asString(value);
  if (s !== undefined) return s;
  const fn = intrinsic(value);
  if (!fn || fn.name !== 'Fn::Join') return undefined;
  const [separator, parts] = asArray(fn.args);
  const sep = asString(separator);
  if (sep === undefined || !Array.isArray(parts)) return undefined;
  const texts: string[] = [];
  for (const part of parts) {
    const text = asString(part) ?? flatten(part, references);
    if (text !== undefined) {
      texts.push(text);
    } else {
      references.push(part);
      texts.push(`${OPEN}${references.length - 1}${CLOSE}`);
    }
  }
  return texts.join(sep);
}
