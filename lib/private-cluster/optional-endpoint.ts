/**
 * An interface VPC endpoint that a private cluster needs only for a feature, created by
 * `PrivateClusterEndpoints` when listed in `optionalEndpoints`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
 */
export enum OptionalClusterEndpoint {
  /**
   * AWS Systems Manager (`ssm`): the SSM Agent on the nodes, for node management without SSH
   * (listed as optional in the EKS private cluster requirements). Karpenter also reads its AMI
   * ids from SSM parameters. The agent needs SSM_MESSAGES and EC2_MESSAGES too.
   *
   * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html
   */
  SSM = 'SSM',

  /** The SSM Agent's channel to Systems Manager and Session Manager (`ssmmessages`). */
  SSM_MESSAGES = 'SSM_MESSAGES',

  /** The channel the SSM Agent receives commands on when it does not use ssmmessages (`ec2messages`). */
  EC2_MESSAGES = 'EC2_MESSAGES',

  /**
   * AWS X-Ray (`xray`): traces sent to X-Ray by the ADOT collector or the X-Ray daemon (listed as
   * optional in the EKS private cluster requirements).
   */
  XRAY = 'XRAY',

  /** AWS KMS (`kms`): pods or CSI drivers that encrypt with KMS keys (EBS and EFS CSI, Secrets Store). */
  KMS = 'KMS',

  /** Amazon SQS (`sqs`): Karpenter's interruption queue, and workloads that use SQS. */
  SQS = 'SQS',

  /** Amazon CloudWatch (`monitoring`): metrics sent by the CloudWatch agent (Container Insights). */
  CLOUDWATCH_MONITORING = 'CLOUDWATCH_MONITORING',

  /** Amazon EFS (`elasticfilesystem`): the EFS CSI driver's controller. */
  ELASTIC_FILESYSTEM = 'ELASTIC_FILESYSTEM',
}
