import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { RULES_BY_TYPE, runRule } from './rules';
import { AppInputs, appInputs } from '../template/cdk';
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
  /** The stack and logical id of each CfnResource of the app being validated. */
  private ids?: AppInputs['resources'];
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
   * Called by aws-cdk-lib's validation during synthesis (`Validations.of(app).addPlugins(pack)`):
   * checks the app, reading the templates synthesis has just written (`context.templatePaths`)
   * rather than rendering them again.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const app = (context as { readonly appConstruct?: IConstruct }).appConstruct;
    // Without the construct tree, cdk-nag's own validate says what is missing.
    if (app === undefined) return super.validate(context);
    return this.check(app, context.templatePaths);
  }

  /**
   * Checks a construct tree. Call `app.synth()` first: tags and other values that Aspects add at
   * synthesis are part of what the rules read.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.check(scope);
  }

  /** Models the whole app once (from the templates just written, or by rendering), then walks `scope`. */
  private check(scope: IConstruct, templatePaths?: readonly string[]): PolicyValidationPluginReport {
    this.messages.clear();
    const { inputs, resources } = appInputs(scope.node.root, templatePaths);
    this.model = AppModel.fromStacks(inputs);
    this.ids = resources;
    let report: PolicyValidationPluginReport;
    try {
      report = super.validateScope(scope);
    } finally {
      this.model = undefined;
      this.ids = undefined;
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
    let model = this.model;
    let id = this.ids?.get(node);
    if (!model) {
      // Called outside validateScope: model the app for this resource alone.
      const { inputs, resources } = appInputs(node.node.root);
      model = AppModel.fromStacks(inputs);
      id = resources.get(node);
    }
    const resource = id && model.resourceIn(id.stackId, id.logicalId);
    if (resource === undefined) return;
    for (const rule of rules) {
      const message = runRule(rule, model, resource);
      // A compliant resource is no finding: cdk-nag records nothing for it.
      if (message === undefined) continue;
      this.messages.set(key(`${this.packName}-${rule.id}`, node.node.path), message);
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level === 'error' ? NagMessageLevel.ERROR : NagMessageLevel.WARN,
        node,
        rule: () => NagRuleCompliance.NON_COMPLIANT,
      });
    }
  }
}

function key(ruleName: string, constructPath: string | undefined): string {
  return `${ruleName}|${constructPath ?? ''}`;
}
