/**
 * How a label selector requirement relates a label's value to its values.
 */
export enum LabelSelectorOperator {
  /** The label's value is one of `values`. */
  IN = 'In',
  /** The label's value is none of `values`. */
  NOT_IN = 'NotIn',
  /** The label exists, whatever its value (no `values`). */
  EXISTS = 'Exists',
  /** The label does not exist (no `values`). */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * A requirement of a label selector (Kubernetes `matchExpressions`).
 */
export interface LabelSelectorRequirement {
  /** The label key. */
  readonly key: string;

  /** How the label relates to `values`. */
  readonly operator: LabelSelectorOperator;

  /**
   * The values: at least one for IN and NOT_IN, none for EXISTS and DOES_NOT_EXIST.
   *
   * @default - none
   */
  readonly values?: string[];
}

/**
 * A Kubernetes label selector: every label of `matchLabels` and every requirement of
 * `matchExpressions` must hold.
 */
export interface LabelSelector {
  /**
   * Labels that must have these values.
   *
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };

  /**
   * Requirements on labels.
   *
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorRequirement[];
}
