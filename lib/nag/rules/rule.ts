import { AppModel, ResourceId } from '../../template/model';

/** How serious a finding is. */
export type RuleLevel = 'error' | 'warning';

/**
 * One rule of the catalog. `check` returns the finding, one sentence naming the resource, the
 * offending value and the fix, or undefined when the resource complies or the rule does not apply.
 */
export interface Rule {
  /** The short code of the catalog: findings read `EksNetworking-<id>`. */
  readonly id: string;
  /** What the rule finds, as a function name. */
  readonly name: string;
  readonly level: RuleLevel;
  /** The resource types the rule is dispatched on. */
  readonly resourceTypes: readonly string[];
  /** The catalog's description of a finding. */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  check(model: AppModel, resource: ResourceId): string | undefined;
}
