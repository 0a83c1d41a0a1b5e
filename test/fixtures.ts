import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import * as YAML from 'yaml';

/** The upstream schemas and data in ../shared/fixtures, as CI has them beside the clone. */
export const FIXTURES = path.join(__dirname, '..', '..', 'shared', 'fixtures');

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
