import { Acknowledgement, readInputs } from './inputs';
import { checkModel } from '../nag/rules';
import { asArray, asString, at } from '../template/json';
import { AppModel } from '../template/model';

/** A finding of the command-line checker. */
export interface CliFinding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  /** The template file of the resource. */
  readonly template: string;
  readonly logicalId: string;
  readonly constructPath?: string;
  readonly message: string;
}

/** What checking some inputs produced. */
export interface CheckResult {
  readonly templates: string[];
  readonly findings: CliFinding[];
  /**
   * Findings acknowledged: with `Validations.of(construct).acknowledge()` on the construct or a
   * parent (as the cloud assembly records it), or in a resource's `cdk_nag` metadata.
   */
  readonly acknowledged: number;
  /** Inputs that could not be read, each with the reason: the run fails, but every other input is checked. */
  readonly problems: string[];
  /** Files passed over, each with the reason. */
  readonly notes: string[];
}

/** Reads the inputs as one app and runs every rule of the pack over it. */
export function check(inputs: string[]): CheckResult {
  const { stacks, problems, notes, acknowledgements } = readInputs(inputs);
  const model = AppModel.fromStacks(stacks);
  const findings: CliFinding[] = [];
  let acknowledged = 0;
  for (const { rule, resource, message } of checkModel(model)) {
    const ruleId = `EksNetworking-${rule.id}`;
    const metadata = at(resource.stack.resources[resource.logicalId], 'Metadata');
    const constructPath = asString(at(metadata, 'aws:cdk:path')) ?? resource.stack.input.constructPaths?.[resource.logicalId];
    const acks = asArray(at(metadata, 'cdk_nag', 'rules_to_suppress')).map((s) => asString(at(s, 'id')));
    if (acks.includes(ruleId) || (constructPath !== undefined && acknowledges(acknowledgements, ruleId, constructPath))) {
      acknowledged++;
      continue;
    }
    findings.push({
      ruleId,
      level: rule.level,
      template: resource.stack.input.location,
      logicalId: resource.logicalId,
      constructPath,
      message,
    });
  }
  return { templates: stacks.map((s) => s.location), findings, acknowledged, problems, notes };
}

/** Whether the rule is acknowledged on the construct or one of its parents (by its ID, qualified or not). */
function acknowledges(acknowledgements: readonly Acknowledgement[], ruleId: string, constructPath: string): boolean {
  return acknowledgements.some((a) => (a.id === ruleId || a.id.endsWith(`::${ruleId}`))
    && (constructPath === a.path || constructPath.startsWith(`${a.path}/`)));
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
  const unread = result.problems.length > 0 ? `; ${result.problems.length} input${result.problems.length === 1 ? '' : 's'} could not be read` : '';
  lines.push(`${errors} errors, ${warnings} warnings${result.acknowledged ? `, ${result.acknowledged} acknowledged` : ''} in ${result.templates.length} templates${unread}`);
  return lines.join('\n');
}
