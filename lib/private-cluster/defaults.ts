import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { OptionalClusterEndpoint } from './optional-endpoint';

/** An interface endpoint a private cluster gets: its construct id (part of the API), its service, and who calls it. */
export interface InterfaceEndpointSpec {
  readonly id: string;
  readonly service: ec2.InterfaceVpcEndpointAwsService;
  readonly usedBy: string;
}

/**
 * The interface endpoints every private cluster gets, from the EKS user guide's private cluster
 * requirements (https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html, read in
 * the awsdocs/amazon-eks-user-guide source, latest/ug/clusters/private-clusters.adoc): its table
 * of endpoints without the ones it marks optional (X-Ray, SSM: see OptionalClusterEndpoint), plus
 * Auto Scaling, which it asks for with Cluster Autoscaler. Route 53 (`com.amazonaws.route53`, for
 * ExternalDNS) is left out: its service name has no Region and aws-cdk-lib has no constant for it.
 * S3 is the gateway endpoint, below.
 */
export const REQUIRED_INTERFACE_ENDPOINTS: readonly InterfaceEndpointSpec[] = [
  { id: 'EcrApi', service: ec2.InterfaceVpcEndpointAwsService.ECR, usedBy: 'image pulls: ECR API (authorization tokens, manifests)' },
  { id: 'EcrDkr', service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER, usedBy: 'image pulls: the ECR registry (the layers come from S3)' },
  { id: 'Ec2', service: ec2.InterfaceVpcEndpointAwsService.EC2, usedBy: 'the VPC CNI (network interfaces, IP addresses), and the EKS optimized AMI naming the node' },
  { id: 'Sts', service: ec2.InterfaceVpcEndpointAwsService.STS, usedBy: 'IAM roles for service accounts (IRSA), and the kubectl handler' },
  { id: 'Logs', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS, usedBy: 'node and pod logs sent to CloudWatch Logs' },
  { id: 'ElasticLoadBalancing', service: ec2.InterfaceVpcEndpointAwsService.ELASTIC_LOAD_BALANCING, usedBy: 'the AWS Load Balancer Controller' },
  { id: 'AutoScaling', service: ec2.InterfaceVpcEndpointAwsService.AUTOSCALING, usedBy: 'Cluster Autoscaler' },
  { id: 'Eks', service: ec2.InterfaceVpcEndpointAwsService.EKS, usedBy: 'the EKS API: node bootstrap introspection, and the kubectl handler (DescribeCluster)' },
  { id: 'EksAuth', service: ec2.InterfaceVpcEndpointAwsService.EKS_AUTH, usedBy: 'EKS Pod Identity (the EKS Auth API)' },
];

/** The interface endpoints created on request, by the choice that asks for each. */
export const OPTIONAL_INTERFACE_ENDPOINTS: { readonly [choice in OptionalClusterEndpoint]: InterfaceEndpointSpec } = {
  [OptionalClusterEndpoint.SSM]: { id: 'Ssm', service: ec2.InterfaceVpcEndpointAwsService.SSM, usedBy: 'the SSM Agent' },
  [OptionalClusterEndpoint.SSM_MESSAGES]: { id: 'SsmMessages', service: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, usedBy: 'the SSM Agent and Session Manager' },
  [OptionalClusterEndpoint.EC2_MESSAGES]: { id: 'Ec2Messages', service: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES, usedBy: 'the SSM Agent' },
  [OptionalClusterEndpoint.XRAY]: { id: 'XRay', service: ec2.InterfaceVpcEndpointAwsService.XRAY, usedBy: 'traces sent to X-Ray' },
  [OptionalClusterEndpoint.KMS]: { id: 'Kms', service: ec2.InterfaceVpcEndpointAwsService.KMS, usedBy: 'KMS encryption from pods and CSI drivers' },
  [OptionalClusterEndpoint.SQS]: { id: 'Sqs', service: ec2.InterfaceVpcEndpointAwsService.SQS, usedBy: 'Karpenter\'s interruption queue' },
  [OptionalClusterEndpoint.CLOUDWATCH_MONITORING]: { id: 'Monitoring', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING, usedBy: 'CloudWatch metrics' },
  [OptionalClusterEndpoint.ELASTIC_FILESYSTEM]: { id: 'ElasticFileSystem', service: ec2.InterfaceVpcEndpointAwsService.ELASTIC_FILESYSTEM, usedBy: 'the EFS CSI driver' },
};

/** The description of the endpoint security group. */
export const ENDPOINT_SECURITY_GROUP_DESCRIPTION = 'EKS private cluster VPC endpoints: HTTPS from node and kubectl handler security groups only';
