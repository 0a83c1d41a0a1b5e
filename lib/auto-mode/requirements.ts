/** How a NodePool requirement matches a node label's values (Karpenter's operators). */
export enum NodePoolRequirementOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label's value is none of the values. */
  NOT_IN = 'NotIn',
  /** The label exists; takes no values. */
  EXISTS = 'Exists',
  /** The label does not exist; takes no values. */
  DOES_NOT_EXIST = 'DoesNotExist',
  /** The label's value, a number, is greater than the one value. */
  GT = 'Gt',
  /** The label's value, a number, is less than the one value. */
  LT = 'Lt',
}

/** A requirement on the nodes a NodePool launches, on a well-known or EKS Auto Mode label. */
export interface NodePoolRequirement {
  /** The label, for example `eks.amazonaws.com/instance-category` or `karpenter.sh/capacity-type`. */
  readonly key: string;
  /** How the label's value must match. */
  readonly operator: NodePoolRequirementOperator;
  /**
   * The values: at least one for In and NotIn, exactly one for Gt and Lt, none for Exists and
   * DoesNotExist.
   *
   * @default - none
   */
  readonly values?: string[];
}
