/**
 * The command-line inputs, read into the templates of one app: template files, folders of
 * template files, and cloud assemblies (`cdk.out`) with their stage assemblies and nested stacks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { asObject, asString, at, JsonObject } from '../template/json';
import { InputError, isTemplate, parseDocument, parseTemplate } from '../template/parse';
import { StackInput } from '../template/stack-input';

/** What reading the command-line inputs produced. */
export interface AppInputs {
  /** Every template read, in the order of the inputs. */
  readonly stacks: StackInput[];
  /** One line for each input, or part of one, that could not be read: it names the file and the fix. */
  readonly problems: string[];
  /** One line for each file of a folder that was skipped, not being a CloudFormation template. */
  readonly notes: string[];
  /** The rules acknowledged on constructs, as a cloud assembly records them. */
  readonly acknowledgements: Acknowledgement[];
}

/**
 * A rule acknowledged on a construct, and so on every construct below it: what
 * `Validations.of(scope).acknowledge({ id, reason })` records in a cloud assembly's manifest.
 */
export interface Acknowledgement {
  /** The construct path, without a leading slash (`Shop/OpenKubelet`). */
  readonly path: string;
  /** The rule ID as recorded: `EksNetworking-KUB1`, or qualified, `Annotation::EksNetworking-KUB1`. */
  readonly id: string;
  readonly reason: string;
}

/** The metadata type of an acknowledgement in a cloud assembly (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`). */
const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';

/**
 * Reads the command-line inputs into the templates of one app. Never throws for bad input: what
 * cannot be read becomes a line in `problems`, and every other input is still read.
 *
 * - a file is one template;
 * - a folder with a `manifest.json` is a cloud assembly: its stacks, the stacks of its stage
 *   assemblies (ids prefixed with the stage's folder), and their nested stacks;
 * - any other folder: each of its `*.json`, `*.yaml`, `*.yml` and `*.template` files that is a
 *   CloudFormation template (not recursively).
 */
export function readInputs(inputs: string[]): AppInputs {
  const done = new Set<string>();
  const parts: AppInputs[] = [];
  for (const input of inputs) {
    const key = path.resolve(input);
    if (done.has(key)) {
      parts.push(note(`${input}: given more than once; read once`));
      continue;
    }
    done.add(key);
    const read = readInput(input);
    const ids = new Set(parts.flatMap((p) => p.stacks.map((s) => s.id)));
    parts.push(read.stacks.some((s) => ids.has(s.id)) ? withIdPrefix(read, `${input}:`) : read);
  }
  return merge(parts);
}

function readInput(input: string): AppInputs {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch (e) {
    const missing = ['ENOENT', 'ENOTDIR'].includes(String((e as NodeJS.ErrnoException).code));
    return problem(missing ? `${input}: no such file or folder` : `${input}: cannot be read (${systemReason(e)})`);
  }
  if (stat.isFile()) return attempt(() => stack({ id: input, location: input, template: parseTemplate(readText(input), input) }));
  if (!stat.isDirectory()) return problem(`${input}: not a file or a folder; pass template files or a cdk.out folder`);
  return fs.existsSync(path.join(input, 'manifest.json')) ? readAssembly(input, '', []) : readTemplateFolder(input);
}

/** Reads a cloud assembly: its stacks (with their nested stacks) and its stage assemblies. */
function readAssembly(dir: string, idPrefix: string, outer: string[]): AppInputs {
  const manifestFile = path.join(dir, 'manifest.json');
  let artifacts: JsonObject | undefined;
  try {
    artifacts = asObject(at(parseDocument(readText(manifestFile), manifestFile), 'artifacts'));
  } catch (e) {
    return problem(inputErrorMessage(e));
  }
  const parts = Object.entries(artifacts ?? {}).map(([artifactId, artifact]) => {
    const properties = at(artifact, 'properties');
    switch (asString(at(artifact, 'type'))) {
      case 'aws:cloudformation:stack':
        return readStackArtifact(dir, idPrefix, artifactId, properties, stackMetadata(dir, artifact));
      case 'cdk:cloud-assembly':
        return readStageAssembly(dir, idPrefix, artifactId, asString(at(properties, 'directoryName')), [...outer, path.resolve(dir)]);
      default:
        return empty();
    }
  });
  const read = merge(parts);
  if (read.stacks.length === 0 && read.problems.length === 0 && idPrefix === '') {
    return problem(`${dir}: a cloud assembly with no stacks; check that the app defines stacks, then run cdk synth again`);
  }
  return read;
}

function readStackArtifact(dir: string, idPrefix: string, artifactId: string, properties: unknown, metadata: unknown): AppInputs {
  const templateFile = asString(at(properties, 'templateFile'));
  if (templateFile === undefined) {
    return problem(`${path.join(dir, 'manifest.json')}: stack ${artifactId} has no "templateFile"; run cdk synth again`);
  }
  const stackName = asString(at(properties, 'stackName')) ?? artifactId;
  // The construct path of each resource, and the acknowledgements, from the stack's metadata.
  const constructPaths: { [logicalId: string]: string } = {};
  const acknowledgements: Acknowledgement[] = [];
  for (const [key, entries] of Object.entries(asObject(metadata) ?? {})) {
    const constructPath = key.replace(/^\//, '');
    for (const entry of Array.isArray(entries) ? entries : []) {
      const type = asString(at(entry, 'type'));
      const data = at(entry, 'data');
      if (type === 'aws:cdk:logicalId' && typeof data === 'string') constructPaths[data] = constructPath;
      if (type === ACKNOWLEDGED_RULES) {
        for (const [id, reason] of Object.entries(asObject(data) ?? {})) acknowledgements.push({ path: constructPath, id, reason: String(reason) });
      }
    }
  }
  const read = readStackTree(dir, idPrefix, { id: idPrefix + artifactId, stackName, location: inFolder(dir, templateFile), constructPaths }, []);
  return { ...read, acknowledgements: [...read.acknowledgements, ...acknowledgements] };
}

/**
 * The construct metadata of a stack artifact: in the manifest, or (newer cloud assemblies) in the
 * file its `additionalMetadataFile` names. Unreadable metadata is none: it only adds paths and
 * acknowledgements.
 */
function stackMetadata(dir: string, artifact: unknown): unknown {
  const inline = asObject(at(artifact, 'metadata')) ?? {};
  const file = asString(at(artifact, 'additionalMetadataFile'));
  if (file === undefined) return inline;
  try {
    return { ...inline, ...asObject(parseDocument(readText(inFolder(dir, file)), file)) };
  } catch {
    return inline;
  }
}

/** A stage's assembly: a cloud assembly in a subfolder, whose stacks are part of the same app. */
function readStageAssembly(dir: string, idPrefix: string, artifactId: string, directoryName: string | undefined, outer: string[]): AppInputs {
  const manifestFile = path.join(dir, 'manifest.json');
  if (directoryName === undefined) {
    return problem(`${manifestFile}: stage assembly ${artifactId} has no "directoryName"; run cdk synth again`);
  }
  const stageDir = inFolder(dir, directoryName);
  if (outer.includes(path.resolve(stageDir))) {
    return problem(`${manifestFile}: stage assembly ${artifactId} names its own folder or an outer one ("${directoryName}"); run cdk synth again`);
  }
  if (!fs.existsSync(path.join(stageDir, 'manifest.json'))) {
    return problem(`${manifestFile}: stage assembly ${artifactId} has no ${path.join(stageDir, 'manifest.json')}; run cdk synth again`);
  }
  return readAssembly(stageDir, `${idPrefix}${directoryName}/`, outer);
}

/** A stack of a cloud assembly and, recursively, the nested stacks its template holds. */
function readStackTree(dir: string, idPrefix: string, input: Omit<StackInput, 'template'>, outer: string[]): AppInputs {
  let template: JsonObject;
  try {
    template = parseTemplate(readText(input.location), input.location);
  } catch (e) {
    return problem(inputErrorMessage(e));
  }
  const nested = nestedStackFiles(template).map(({ logicalId, file }) => {
    const location = inFolder(dir, file);
    const where = `${input.location}: nested stack ${logicalId}`;
    if (!fs.existsSync(location)) return problem(`${where}: its template ${location} is missing; run cdk synth again`);
    if ([...outer, input.location].includes(location)) return problem(`${where}: its template ${file} nests itself`);
    const parent = { stackId: input.id, logicalId };
    return readStackTree(dir, idPrefix, { id: idPrefix + file, location, parent }, [...outer, input.location]);
  });
  return merge([stack({ ...input, template }), ...nested]);
}

/**
 * The nested stacks of a template whose templates a cloud assembly holds: each
 * `AWS::CloudFormation::Stack` resource with an `aws:asset:path` in its metadata.
 */
function nestedStackFiles(template: JsonObject): { logicalId: string; file: string }[] {
  return Object.entries(asObject(template.Resources) ?? {}).flatMap(([logicalId, resource]) => {
    const file = asString(at(resource, 'Metadata', 'aws:asset:path'));
    return at(resource, 'Type') === 'AWS::CloudFormation::Stack' && file !== undefined ? [{ logicalId, file }] : [];
  });
}

const TEMPLATE_EXTENSIONS = ['.json', '.yaml', '.yml', '.template'];

/** A folder of template files (not a cloud assembly): every template among its files. */
function readTemplateFolder(dir: string): AppInputs {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch (e) {
    return problem(`${dir}: cannot be read (${systemReason(e)})`);
  }
  const files = names
    .filter((name) => TEMPLATE_EXTENSIONS.includes(path.extname(name).toLowerCase()))
    .map((name) => path.join(dir, name))
    .filter(isFile);
  const read = merge(files.map(readFolderFile));
  if (read.stacks.length === 0 && read.problems.length === 0) {
    return merge([read, problem(`${dir}: a folder with no CloudFormation templates; pass a cdk.out folder (run cdk synth first) or template files`)]);
  }
  return read;
}

/**
 * One file of a folder of templates. A file that is not a template is skipped with a note; so is
 * one with a syntax error, unless it was meant as a template (a `.template` file, or one that
 * mentions `Resources`): that is a problem.
 */
function readFolderFile(file: string): AppInputs {
  let text: string;
  let doc: unknown;
  try {
    text = readText(file);
  } catch (e) {
    return problem(inputErrorMessage(e));
  }
  try {
    doc = parseDocument(text, file);
  } catch (e) {
    const message = inputErrorMessage(e);
    const meantAsTemplate = path.extname(file).toLowerCase() === '.template' || text.includes('Resources');
    return meantAsTemplate ? problem(message) : note(`${file}: skipped, not a CloudFormation template (${message.slice(file.length + 2)})`);
  }
  if (!isTemplate(doc)) return note(`${file}: skipped, not a CloudFormation template`);
  return stack({ id: file, location: file, template: doc as JsonObject });
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A file's text, or an InputError that names the file and why it cannot be read. */
function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${systemReason(e)})`);
  }
}

/** `EACCES: permission denied, open 'x'` -> `EACCES: permission denied`. */
function systemReason(e: unknown): string {
  return String((e as Error).message).replace(/, \w+ '.*'$/, '');
}

/** The message of an InputError; any other error is a bug, and is thrown again. */
function inputErrorMessage(e: unknown): string {
  if (e instanceof InputError) return e.message;
  throw e;
}

function attempt(read: () => AppInputs): AppInputs {
  try {
    return read();
  } catch (e) {
    return problem(inputErrorMessage(e));
  }
}

/** A file path inside a folder (an absolute path as it is). */
function inFolder(dir: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(dir, file);
}

/** The same stacks with ids made unique among other inputs' (parents' ids too). */
function withIdPrefix(read: AppInputs, prefix: string): AppInputs {
  const stacks = read.stacks.map((s) => ({
    ...s,
    id: prefix + s.id,
    ...(s.parent ? { parent: { ...s.parent, stackId: prefix + s.parent.stackId } } : {}),
  }));
  return { ...read, stacks };
}

function empty(): AppInputs {
  return { stacks: [], problems: [], notes: [], acknowledgements: [] };
}

function stack(input: StackInput): AppInputs {
  return { ...empty(), stacks: [input] };
}

function problem(message: string): AppInputs {
  return { ...empty(), problems: [message] };
}

function note(message: string): AppInputs {
  return { ...empty(), notes: [message] };
}

function merge(parts: AppInputs[]): AppInputs {
  return {
    stacks: parts.flatMap((p) => p.stacks),
    problems: parts.flatMap((p) => p.problems),
    notes: parts.flatMap((p) => p.notes),
    acknowledgements: parts.flatMap((p) => p.acknowledgements),
  };
}
