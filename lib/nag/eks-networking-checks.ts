import { CfnResource, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { RULES_BY_TYPE, runRule } from './rules';
import { stackInputs } from '../template/cdk';
import { AppModel } from '../template/model';

/**
 * cdk-nag 3 rule pack that finds broken EKS network boundaries in a synthesized CDK app: kubelet
 * and NodePort exposure, node security groups and launch templates, endpoint access, Load Balancer
 * Controller Ingresses, ECS dynamic ports, and security groups for pods.
 *
 * Findings read `EksNetworking-<ID>` (for example `EksNetworking-KUB1`); acknowledge one with
 * `Validations.of(construct).acknowledge({ id: 'EksNetworking-KUB1', reason })`.
 *
 * The templates of the whole app (every stack, nested stack and stage) are indexed once per
 * validation, with references between stacks resolved, and every rule reads that index; each
 * finding is reported on the construct of the resource in its own stack.
 *
 * @example
 *
 * declare const app: App;
 * Validations.of(app).addPlugins(new EksNetworkingChecks());
 */
export class EksNetworkingChecks extends NagPack {
  /** The plugin name: findings are `EksNetworking-<rule ID>`. */
  public readonly name = 'EksNetworking';

  private model?: AppModel;
  private readonly messages = new Map<string, string>();

  /**
   * @param scope optional scope, as cdk-nag's own packs take it
   * @param props cdk-nag pack options
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'EksNetworking';
  }

  /**
   * Checks a construct tree. Call `app.synth()` first: tags and other values that Aspects add at
   * synthesis are part of what the rules read.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.messages.clear();
    this.model = AppModel.fromStacks(stackInputs(scope.node.root));
    let report: PolicyValidationPluginReport;
    try {
      report = super.validateScope(scope);
    } finally {
      this.model = undefined;
    }
    // cdk-nag groups every resource of a rule under the first finding's text: give each its own.
    const violations = report.violations.flatMap((v) => v.violatingResources.map((resource) => ({
      ...v,
      description: this.messages.get(key(v.ruleName, resource.constructPath)) ?? v.description,
      violatingResources: [resource],
    })));
    return { ...report, violations };
  }

  protected checkResource(node: CfnResource): void {
    const rules = RULES_BY_TYPE.get(node.cfnResourceType);
    if (rules === undefined) return;
    const stack = Stack.of(node);
    const model = this.model ?? AppModel.fromStacks(stackInputs(node.node.root));
    const resource = model.resourceIn(stack.node.path, stack.resolve(node.logicalId));
    if (resource === undefined) return;
    for (const rule of rules) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level === 'error' ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
        node,
        rule: () => {
          const message = runRule(rule, model, resource);
          if (message === undefined) return NagRuleCompliance.COMPLIANT;
          this.messages.set(key(`${this.packName}-${rule.id}`, node.node.path), message);
          return NagRuleCompliance.NON_COMPLIANT;
        },
      });
    }
  }
}

function key(ruleName: string, constructPath: string | undefined): string {
  return `${ruleName}|${constructPath ?? ''}`;
}
