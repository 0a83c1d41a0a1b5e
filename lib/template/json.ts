/**
 * Small, total accessors over parsed CloudFormation JSON: every one returns undefined for a value
 * of the wrong shape instead of throwing, so rules never crash on unusual templates.
 */

/** A JSON object. */
export type JsonObject = { readonly [key: string]: unknown };

/** A plain JSON object: not an array, and not a symbol of an evaluated template (see values.ts). */
export function asObject(value: unknown): JsonObject | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A number, or a string holding one (CloudFormation accepts both for ports). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A boolean, or the strings "true"/"false". */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** The value at a path of keys, or undefined as soon as one is missing. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    const o = asObject(current);
    if (!o) return undefined;
    current = o[key];
  }
  return current;
}

/** The one intrinsic function of an object like `{ "Ref": "X" }`, if it is one. */
export function intrinsic(value: unknown): { readonly name: string; readonly args: unknown } | undefined {
  const o = asObject(value);
  if (!o) return undefined;
  const keys = Object.keys(o);
  if (keys.length !== 1) return undefined;
  const name = keys[0];
  return name === 'Ref' || name.startsWith('Fn::') ? { name, args: o[name] } : undefined;
}
