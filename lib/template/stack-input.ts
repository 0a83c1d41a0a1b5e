import { JsonObject } from './json';

/**
 * One CloudFormation template of an app, as the model reads it: a stack of a cloud assembly, a
 * nested stack, or a template file given on its own. The model of an app is built from a list of
 * these, whoever produced them (the cdk-nag pack from the construct tree, the command-line checker
 * from a cloud assembly or files).
 */
export interface StackInput {
  /** Unique within the app: the artifact id, a nested stack's asset file, or the file path. */
  readonly id: string;
  /**
   * The name CloudFormation knows the stack by (`AWS::StackName`), when known: a cloud assembly's
   * `stackName`. Undefined for a template file given alone and for nested stacks.
   */
  readonly stackName?: string;
  /** Where findings of this template point: the template file, or the stack's construct path. */
  readonly location: string;
  /** The parsed template (long-form intrinsics only: YAML short forms are mapped when read). */
  readonly template: JsonObject;
  /**
   * For a nested stack: the stack that holds its `AWS::CloudFormation::Stack` resource, and that
   * resource's logical id (its `Parameters` feed the nested template's parameters, and
   * `Fn::GetAtt [resource, Outputs.X]` reads the nested template's outputs).
   */
  readonly parent?: { readonly stackId: string; readonly logicalId: string };
  /** The construct path of each resource, by logical id, where the template's producer records it (a cloud assembly's manifest). */
  readonly constructPaths?: { readonly [logicalId: string]: string };
}
