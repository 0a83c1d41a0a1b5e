/**
 * Reading a CloudFormation template from text: JSON, or YAML with CloudFormation's short-form tags
 * (`!Ref`, `!Sub`, `!GetAtt a.b`, ...) mapped to their long forms, as CloudFormation and cfn-lint
 * read them.
 */
import * as YAML from 'yaml';
import { asObject, asString, JsonObject } from './json';

/**
 * Input the checker cannot read: a syntax error, or a document that is not a CloudFormation
 * template. Its message starts with the file name and says what to fix.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * Whether a parsed document is a CloudFormation template: it has a `Resources` object whose
 * entries each have a string `Type`.
 */
export function isTemplate(doc: unknown): boolean {
  const resources = asObject(asObject(doc)?.Resources);
  return resources !== undefined && Object.values(resources).every((r) => asString(asObject(r)?.Type) !== undefined);
}

/**
 * Parses a CloudFormation template, JSON or YAML, tolerating a UTF-8 byte order mark.
 *
 * Text whose first character is `{`, or a `.json` file, is read as JSON (so a broken JSON template
 * gets a JSON error); any other text as YAML (version 1.1, as CloudFormation reads it), with every
 * short-form tag mapped to its long form.
 *
 * @param text the file's content
 * @param file the file's name, to start error messages with
 * @throws InputError on a syntax error, or when the document is not a CloudFormation template
 */
export function parseTemplate(text: string, file: string): JsonObject {
  const doc = parseDocument(text, file);
  if (!isTemplate(doc)) {
    throw new InputError(`${file}: not a CloudFormation template (it needs a "Resources" object whose entries each have a "Type")`);
  }
  return doc as JsonObject;
}

/**
 * Parses a JSON or YAML document (the rules of `parseTemplate`), without checking that it is a
 * template.
 *
 * @throws InputError on a syntax error
 */
export function parseDocument(text: string, file: string): unknown {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const json = source.trimStart().startsWith('{') || file.toLowerCase().endsWith('.json');
  return json ? parseJson(source, file) : parseYaml(source, file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const { offset, reason } = locateJsonError(text) ?? fromJsonParseMessage((e as Error).message);
    throw syntaxError(file, 'JSON', text, offset, reason);
  }
}

/** `Unexpected end of JSON input in JSON at position 7` -> offset 7, reason `Unexpected end of JSON input`. */
function fromJsonParseMessage(message: string): { offset: number; reason: string } {
  const position = /in JSON at position (\d+)/.exec(message);
  return { offset: position ? Number(position[1]) : 0, reason: message.replace(/ in JSON at position \d+.*$/s, '') };
}

function syntaxError(file: string, language: 'JSON' | 'YAML', text: string, offset: number, reason: string): InputError {
  const { line, column } = lineAndColumn(text, offset);
  return new InputError(`${file}: ${language} syntax error at line ${line}, column ${column}: ${reason}`);
}

/** The 1-based line and column of an offset in a text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Where a text stops being JSON, and why (JSON.parse does not always say where), or undefined
 * when it is valid JSON.
 */
function locateJsonError(text: string): { offset: number; reason: string } | undefined {
  let i = 0;
  const found = () => (i >= text.length ? 'the end of the file' : JSON.stringify(text[i]));
  const stop = (reason: string): never => {
    throw { offset: i, reason };
  };
  const fail = (expected: string): never => stop(`Expected ${expected}, found ${found()}`);
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++;
        const hex = /^u[0-9a-fA-F]{4}/.test(text.slice(i, i + 5));
        if (!hex && !'"\\/bfnrt'.includes(text[i] ?? 'x')) fail('an escape sequence (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)');
        i += hex ? 5 : 1;
      } else if (text.charCodeAt(i) < 0x20) {
        stop(`Unescaped control character ${found()} in a string; write it as an escape such as \\n`);
      } else {
        i++;
      }
    }
    if (i >= text.length) fail('a closing \'"\'');
    i++;
  };
  const members = (close: string, member: () => void, what: string) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      member();
      space();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') fail(`',' or '${close}' after ${what}`);
      i++;
      space();
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return members('}', property, 'a property value');
    if (c === '[') return members(']', value, 'an array element');
    if (c === '"') return string();
    const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    literal.lastIndex = i;
    if (!literal.test(text)) fail('a value');
    i = literal.lastIndex;
  };
  const property = () => {
    if (text[i] !== '"') fail('a double-quoted property name');
    string();
    space();
    if (text[i] !== ':') fail('\':\' after a property name');
    i++;
    value();
  };
  try {
    value();
    space();
    if (i < text.length) fail('nothing after the JSON value');
    return undefined;
  } catch (e) {
    // Nesting too deep for this scanner (a RangeError): JSON.parse's own message will do.
    return e instanceof Error ? undefined : (e as { offset: number; reason: string });
  }
}

/**
 * The plain scalars of YAML 1.1 that are not strings, as PyYAML (cfn-lint's reader) resolves them:
 * `yes`/`no`/`on`/`off` are booleans, `0400` is octal, `1:20` is 80, `012345678912` (an account
 * id: not octal, not decimal) stays a string, as do `E3008` and `1e3` (a float needs a dot), and,
 * as in CloudFormation, which has no timestamp type, `2010-09-09`.
 */
const YAML_11_SCALARS: YAML.ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:null', default: true, test: /^(?:~|null|Null|NULL)?$/, resolve: () => null },
  { tag: 'tag:yaml.org,2002:bool', default: true, test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/, resolve: () => true },
  { tag: 'tag:yaml.org,2002:bool', default: true, test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/, resolve: () => false },
  {
    tag: 'tag:yaml.org,2002:int',
    default: true,
    test: /^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
    resolve: (text) => signed(text, (digits) => {
      if (digits.startsWith('0b')) return parseInt(digits.slice(2), 2);
      if (digits.startsWith('0x')) return parseInt(digits.slice(2), 16);
      if (digits.length > 1 && digits.startsWith('0')) return parseInt(digits, 8);
      return sexagesimal(digits);
    }),
  },
  {
    tag: 'tag:yaml.org,2002:float',
    default: true,
    test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    resolve: (text) => signed(text, (digits) => {
      if (/^\.inf$/i.test(digits)) return Infinity;
      if (/^\.nan$/i.test(digits)) return NaN;
      return digits.includes(':') ? sexagesimal(digits) : parseFloat(digits);
    }),
  },
];

/** A signed number: its sign applied to what `unsigned` makes of its digits, `_` left out. */
function signed(text: string, unsigned: (digits: string) => number): number {
  const digits = text.replace(/_/g, '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * unsigned(/^[-+]/.test(digits) ? digits.slice(1) : digits);
}

/** `1:20:30` -> 4830 (base 60); a plain number as itself. */
function sexagesimal(digits: string): number {
  return digits.split(':').reduce((total, part) => total * 60 + parseFloat(part), 0);
}

/**
 * YAML 1.1 as CloudFormation and cfn-lint read it: the scalars above; no merge keys; and none of
 * the binary, omap, pairs, set and timestamp types that CloudFormation does not support.
 */
const YAML_OPTIONS: YAML.DocumentOptions & YAML.ParseOptions & YAML.SchemaOptions = {
  version: '1.1',
  merge: false,
  prettyErrors: false,
  customTags: (tags) => [
    ...tags.filter((t) => typeof t !== 'string' && ['map', 'seq', 'str'].some((name) => t.tag === `tag:yaml.org,2002:${name}`)),
    ...YAML_11_SCALARS,
  ],
};

const RECURSIVE = Symbol('recursive alias');

function parseYaml(text: string, file: string): unknown {
  const doc = YAML.parseDocument(text, YAML_OPTIONS);
  const error = doc.errors[0];
  if (error) throw syntaxError(file, 'YAML', text, error.pos[0], error.message);
  // An anchor's value is converted once and shared by its aliases (so a document of nested
  // aliases costs no more than it reads); an alias inside its own anchor is an error.
  const converted = new Map<unknown, unknown>();
  const convert = (node: unknown): unknown => {
    if (!YAML.isAlias(node)) return withShortForm(node, contentOf(node, convert));
    const target = node.resolve(doc);
    const at = node.range?.[0] ?? 0;
    if (!target) throw syntaxError(file, 'YAML', text, at, `Unknown alias *${node.source}`);
    if (!converted.has(target)) {
      converted.set(target, RECURSIVE);
      converted.set(target, convert(target));
    }
    const value = converted.get(target);
    if (value === RECURSIVE) throw syntaxError(file, 'YAML', text, at, `Alias *${node.source} is inside its own anchor`);
    return value;
  };
  return convert(doc.contents) ?? null;
}

/** A node's value, before its tag: collections converted item by item, scalars as resolved. */
function contentOf(node: unknown, convert: (node: unknown) => unknown): unknown {
  if (YAML.isMap(node)) {
    // Object.fromEntries keeps a "__proto__" key as a key, as JSON.parse does.
    return Object.fromEntries(node.items.map((pair) => [keyOf(convert(pair.key)), convert(pair.value)]));
  }
  if (YAML.isSeq(node)) return node.items.map(convert);
  if (YAML.isScalar(node)) {
    // A short-form tag takes the scalar as written: `!Ref 80` refers to "80".
    return shortFormName(node) !== undefined ? String(node.source ?? node.value ?? '') : node.value;
  }
  return null;
}

function keyOf(key: unknown): string {
  if (typeof key === 'string') return key;
  return typeof key === 'object' && key !== null ? JSON.stringify(key) : String(key);
}

/**
 * The long-form key of a node's short-form tag (`!Ref` -> `Ref`, `!Condition` -> `Condition`,
 * `!Sub` -> `Fn::Sub`), or undefined when it has none.
 */
function shortFormName(node: unknown): string | undefined {
  const tag = YAML.isNode(node) ? node.tag : undefined;
  const name = tag?.match(/^!([A-Za-z][A-Za-z0-9]*)$/)?.[1];
  if (name === undefined) return undefined;
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** A node's value wrapped in its short form's long form: `!GetAtt a.b` -> `{"Fn::GetAtt": ["a", "b"]}`. */
function withShortForm(node: unknown, content: unknown): unknown {
  const name = shortFormName(node);
  if (name === undefined) return content;
  if (name === 'Fn::GetAtt' && typeof content === 'string') {
    const dot = content.indexOf('.');
    return { [name]: dot < 0 ? [content] : [content.slice(0, dot), content.slice(dot + 1)] };
  }
  return { [name]: content };
}
