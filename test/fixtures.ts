import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import * as YAML from 'yaml';

/**
 * The upstream data in ../shared/fixtures that no npm package carries (the SecurityGroupPolicy CRD,
 * the vpc-cni add-on schema, the VPC resource controller limits), as CI has it beside the clone.
 */
export const FIXTURES = path.join(__dirname, '..', '..', 'shared', 'fixtures');

/** Whether ../shared/fixtures is there: a fresh clone has no ../shared beside it. */
export const HAS_FIXTURES = fs.existsSync(FIXTURES);

/**
 * `describe` where ../shared/fixtures is there, `describe.skip` where it is not, so jest reports
 * the tests that need it as skipped. Jest still runs a skipped block's body to collect its tests:
 * read fixtures in tests or hooks, never in the body.
 */
export const describeWithFixtures = HAS_FIXTURES ? describe : describe.skip;

export function fixtureJson(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

export function fixtureYaml(name: string): any {
  return YAML.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

/** A validator of a JSON schema: returns the errors as readable lines, [] when valid. */
export function schemaValidator(schema: object): (value: unknown) => string[] {
  // Formats (date-time, int32) describe fields this library never writes: not checked.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  // The vpc-cni add-on schema is draft-06.
  ajv.addMetaSchema(draft06);
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
}

/**
 * A validator of a schema in ../shared/fixtures that reads and compiles it on its first call, so a
 * test file can declare it at the top and still load where the folder is absent.
 */
export function fixtureValidator(loadSchema: () => object): (value: unknown) => string[] {
  let validate: ((value: unknown) => string[]) | undefined;
  return (value) => {
    validate ??= schemaValidator(loadSchema());
    return validate(value);
  };
}

/**
 * The errors of a Kubernetes core object (e.g. `Ingress` or `NetworkPolicy` of
 * `kubernetes-models/networking.k8s.io/v1`) against the Kubernetes OpenAPI schema, [] when valid.
 *
 * The schema checks types, enums and required fields but lets unknown fields through (a v1beta1
 * `spec.backend` passes): where the shape matters, a test pins it with its own assertion.
 */
export function kubernetesErrors(model: new (data: any) => { validate(): void }, value: unknown): string[] {
  try {
    new model(value).validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}
