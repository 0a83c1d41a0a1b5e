import { asObject, asString, JsonObject } from './json';
import { partsOf, Sym } from './values';

const OPEN = '\u{E000}';
const CLOSE = '\u{E001}';
const PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g');

/**
 * A JSON document written in a template as a string, or as a string made of text and references
 * (an `Fn::Join` or `Fn::Sub`, as CDK writes Kubernetes manifests and add-on configuration), once
 * evaluated. Each reference is kept: strings of the parsed document may hold placeholders, which
 * `parts()` turns back into the reference's value.
 */
export class EmbeddedJson {
  /**
   * Parses the document, or returns undefined when it is not a string or a join of one, or does
   * not parse (a reference outside a JSON string, for example).
   */
  static parse(value: unknown): EmbeddedJson | undefined {
    if (typeof value !== 'string' && !(value instanceof Sym && value.kind === 'text')) return undefined;
    const references: Sym[] = [];
    const text = partsOf(value).map((part) => {
      if (typeof part === 'string') return part;
      references.push(part);
      return `${OPEN}${references.length - 1}${CLOSE}`;
    }).join('');
    try {
      return new EmbeddedJson(JSON.parse(text), references);
    } catch {
      return undefined;
    }
  }

  private constructor(
    /** The parsed document, strings possibly holding placeholders. */
    public readonly document: unknown,
    private readonly references: readonly Sym[],
  ) {}

  /**
   * A string of the document split into literal text and references, in order. Undefined for a
   * value that is not a string.
   */
  parts(value: unknown): Array<string | { readonly reference: Sym | undefined }> | undefined {
    const s = asString(value);
    if (s === undefined) return undefined;
    const out: Array<string | { readonly reference: Sym | undefined }> = [];
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
  list(value: unknown): Array<string | { readonly reference: Sym | undefined }> {
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
