import * as fs from 'fs';
import * as path from 'path';
import { asArray, asObject, asString, at } from '../nag/model/json';
import { TemplateModel } from '../nag/model/template-model';
import { checkModel } from '../nag/rules';

/** A finding of the command-line checker. */
export interface CliFinding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  readonly template: string;
  readonly logicalId: string;
  readonly constructPath?: string;
  readonly message: string;
}

/** What checking some inputs produced. */
export interface CheckResult {
  readonly templates: string[];
  readonly findings: CliFinding[];
  /** Findings acknowledged in the templates' `cdk_nag` metadata. */
  readonly acknowledged: number;
}

/** Bad input: an unreadable file, or something that is not a CloudFormation template. */
export class InputError extends Error {}

/** The template files an input names: a template file, or every template of a cloud assembly folder. */
export function templateFiles(input: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    throw new InputError(`${input}: no such file or folder`);
  }
  if (stat.isFile()) return [input];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name.startsWith('assembly-')) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.template.json')) found.push(full);
    }
  };
  walk(input);
  if (found.length === 0) {
    throw new InputError(`${input}: a folder with no *.template.json files; pass a cdk.out folder (run cdk synth first) or template files`);
  }
  return found;
}

/** Reads and parses one template, or throws an InputError that says what is wrong with it. */
export function readTemplate(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${(e as Error).message})`);
  }
  let template: unknown;
  try {
    template = JSON.parse(text);
  } catch {
    const hint = /^\s*(AWSTemplateFormatVersion|Resources|Description|Parameters)\s*:/m.test(text)
      ? ' It looks like YAML: convert it to JSON first (for example with cfn-flip), or check it in a CDK app with CfnInclude and the EksNetworkingChecks pack.'
      : '';
    throw new InputError(`${file}: not JSON, so not a CloudFormation template this checker reads.${hint}`);
  }
  const resources = asObject(at(template, 'Resources'));
  if (!resources || Object.values(resources).some((r) => asString(at(r, 'Type')) === undefined)) {
    throw new InputError(`${file}: not a CloudFormation template (it needs a "Resources" object whose entries each have a "Type")`);
  }
  return template;
}

/** Runs every rule of the pack over each template of the inputs. */
export function check(inputs: string[]): CheckResult {
  const templates = inputs.flatMap(templateFiles);
  const findings: CliFinding[] = [];
  let acknowledged = 0;
  for (const file of templates) {
    const template = readTemplate(file);
    const model = TemplateModel.fromTemplate(template);
    for (const finding of checkModel(model)) {
      const ruleId = `EksNetworking-${finding.rule.id}`;
      const metadata = at(model.resources[finding.logicalId], 'Metadata');
      const acks = asArray(at(metadata, 'cdk_nag', 'rules_to_suppress')).map((s) => asString(at(s, 'id')));
      if (acks.includes(ruleId)) {
        acknowledged++;
        continue;
      }
      findings.push({
        ruleId,
        level: finding.rule.level,
        template: file,
        logicalId: finding.logicalId,
        constructPath: asString(at(metadata, 'aws:cdk:path')),
        message: finding.message,
      });
    }
  }
  return { templates, findings, acknowledged };
}

/** The findings as a readable table. */
export function formatTable(result: CheckResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    lines.push(`${f.level.toUpperCase().padEnd(7)} ${f.ruleId.padEnd(20)} ${f.template}  ${f.logicalId}${f.constructPath ? ` (${f.constructPath})` : ''}`);
    lines.push(`        ${f.message}`);
  }
  const errors = result.findings.filter((f) => f.level === 'error').length;
  const warnings = result.findings.length - errors;
  lines.push(`${errors} errors, ${warnings} warnings${result.acknowledged ? `, ${result.acknowledged} acknowledged` : ''} in ${result.templates.length} templates`);
  return lines.join('\n');
}
