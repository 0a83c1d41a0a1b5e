import { Annotations, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { AlbIngressBackendRules, HardenedNodePool, PrivateClusterEndpoints } from '../lib';

/** cdk-nag's finding id for an AWS managed policy on a role. */
function managedPolicy(name: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
}

const LAMBDA_BASIC = managedPolicy('service-role/AWSLambdaBasicExecutionRole');
const LAMBDA_VPC = managedPolicy('service-role/AWSLambdaVPCAccessExecutionRole');
const PROVIDER_REASON = 'aws-eks custom resource provider: aws-cdk-lib writes its Lambda functions, roles and waiter state machine; an application cannot change them.';

/**
 * The AwsSolutions findings that remain on an example stack, each acknowledged with its reason.
 * None is on this library's constructs: they are on what aws-cdk-lib's `eks.Cluster` and
 * `eks.Nodegroup` create, which an application does not control.
 */
export function acknowledgeEksFindings(stack: Stack, cluster: eks.Cluster, nodegroups: eks.Nodegroup[]): void {
  // The custom resource providers aws-eks adds to every stack with an eks.Cluster.
  const providerFindings = [
    LAMBDA_BASIC,
    LAMBDA_VPC,
    'AwsSolutions-L1',
    'AwsSolutions-SF1',
    'AwsSolutions-SF2',
    ...['Handler886CB40B', 'IsCompleteHandler7073F4DA', 'OnEventHandler42BEBAE0', 'ProviderframeworkisComplete26D7B0CB', 'ProviderframeworkonTimeout0B47CA38']
      .map((fn) => `AwsSolutions-IAM5[Resource::<${fn}.Arn>:*]`),
  ];
  for (const providerId of ['@aws-cdk--aws-eks.ClusterResourceProvider', '@aws-cdk--aws-eks.KubectlProvider']) {
    const provider = stack.node.tryFindChild(providerId);
    if (provider) {
      acknowledge(provider, providerFindings, PROVIDER_REASON);
    }
  }

  acknowledge(cluster, [managedPolicy('AmazonEKSClusterPolicy')], 'EKS requires AmazonEKSClusterPolicy on the cluster role.');
  acknowledge(cluster, [
    LAMBDA_BASIC,
    LAMBDA_VPC,
    managedPolicy('AmazonEC2ContainerRegistryPullOnly'),
    'AwsSolutions-IAM4[Policy::{"Fn::If":["ClusterHasEcrPublic8EE1114E",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
  ], 'The kubectl handler of aws-eks runs in the VPC and pulls its image: aws-eks attaches these managed policies.');
  acknowledge(cluster, ['AwsSolutions-IAM5[Resource::*]'],
    'The aws-eks cluster creation role must describe and tag resources that do not exist yet.');

  for (const nodegroup of nodegroups) {
    acknowledge(nodegroup, [
      managedPolicy('AmazonEKSWorkerNodePolicy'),
      managedPolicy('AmazonEKS_CNI_Policy'),
      managedPolicy('AmazonEC2ContainerRegistryReadOnly'),
    ], 'EKS managed nodes require these managed policies on the node role.');
  }
}

const KUBECTL_PROVIDER_REASON = 'aws-eks-v2 kubectl provider: aws-cdk-lib writes its Lambda functions and roles; an application cannot change them.';

/**
 * The AwsSolutions findings that remain on an aws-eks-v2 example stack, each acknowledged with its
 * reason. None is on this library's constructs: they are on what aws-cdk-lib's `eksv2.Cluster`
 * (its role and, when it has one, its kubectl provider) and `eksv2.Nodegroup` create.
 */
export function acknowledgeEksV2Findings(cluster: eksv2.Cluster, nodegroups: eksv2.Nodegroup[]): void {
  acknowledge(cluster.role, [managedPolicy('AmazonEKSClusterPolicy')], 'EKS requires AmazonEKSClusterPolicy on the cluster role.');

  // aws-eks-v2 creates the kubectl provider inside the cluster, and only when asked to.
  const provider = cluster.kubectlProvider;
  if (provider) {
    const handler = provider.node.findChild('Handler');
    const handlerId = logicalIdOf(handler.node.defaultChild as CfnElement);
    const hasEcrPublic = logicalIdOf(handler.node.findChild('HasEcrPublic') as CfnElement);
    acknowledge(provider, [
      LAMBDA_BASIC,
      LAMBDA_VPC,
      managedPolicy('AmazonEC2ContainerRegistryReadOnly'),
      `AwsSolutions-IAM4[Policy::{"Fn::If":["${hasEcrPublic}",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]`,
      'AwsSolutions-L1',
      `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
    ], KUBECTL_PROVIDER_REASON);
  }

  for (const nodegroup of nodegroups) {
    acknowledge(nodegroup, [
      managedPolicy('AmazonEKSWorkerNodePolicy'),
      managedPolicy('AmazonEKS_CNI_Policy'),
      managedPolicy('AmazonEC2ContainerRegistryReadOnly'),
    ], 'EKS managed nodes require these managed policies on the node role.');
  }
}

/**
 * The AwsSolutions findings that EKS Auto Mode adds to an aws-eks-v2 example stack, on top of
 * those of `acknowledgeEksV2Findings()`: the managed policies of the cluster role (aws-cdk-lib),
 * and of the node role a HardenedNodePool creates (this library).
 */
export function acknowledgeAutoModeFindings(cluster: eksv2.Cluster, nodePools: HardenedNodePool[]): void {
  acknowledge(cluster.role, [
    managedPolicy('AmazonEKSComputePolicy'),
    managedPolicy('AmazonEKSBlockStoragePolicy'),
    managedPolicy('AmazonEKSLoadBalancingPolicy'),
    managedPolicy('AmazonEKSNetworkingPolicy'),
  ], 'EKS Auto Mode requires these managed policies on the cluster role: with them it launches the nodes, their volumes and network interfaces, and load balancers.');

  for (const nodePool of nodePools) {
    acknowledge(nodePool.nodeRole, [
      managedPolicy('AmazonEKSWorkerNodeMinimalPolicy'),
      managedPolicy('AmazonEC2ContainerRegistryPullOnly'),
    ], 'EKS Auto Mode nodes need these managed policies on their node role (EKS user guide, Auto Mode node IAM role); HardenedNodePool attaches them, and its access entry gives the nodes AmazonEKSAutoNodePolicy.');
  }
}

/**
 * The AwsSolutions findings that remain on the ECS example, each acknowledged with its reason.
 */
export function acknowledgeEcsFindings(
  instances: autoscaling.AutoScalingGroup,
  albRules: AlbIngressBackendRules,
  alb: elbv2.ApplicationLoadBalancer,
): void {
  acknowledge(instances, ['AwsSolutions-AS3'], 'Scaling events are visible in the Auto Scaling activity history; the example adds no notification topic.');
  acknowledge(instances, ['AwsSolutions-IAM5[Action::ecs:Submit*]', 'AwsSolutions-IAM5[Resource::*]'],
    'The ECS agent policy that aws-ecs attaches to container instances: the agent registers with and reports to any cluster task.');
  acknowledge(albRules.loadBalancerSecurityGroup, ['AwsSolutions-EC23'], 'An internet-facing load balancer: its listener is open to the internet on port 80.');
  acknowledge(alb, ['AwsSolutions-ELB2'], 'Access logs need an S3 bucket of their own, left out of this example; enable them in production.');
}

/**
 * The AwsSolutions findings that remain on the payments database, each acknowledged with its reason.
 */
export function acknowledgeDatabaseFindings(database: rds.DatabaseInstance): void {
  acknowledge(database, ['AwsSolutions-SMG4'], 'Rotating the generated secret needs a rotation Lambda in the VPC, left out of this example; add it with database.addRotationSingleUser().');
}

/** Security groups for pods need this managed policy on the cluster role (EKS user guide). */
export function acknowledgeVpcResourceControllerPolicy(cluster: eks.Cluster): void {
  acknowledge(cluster, [managedPolicy('AmazonEKSVPCResourceController')],
    'Security groups for pods require AmazonEKSVPCResourceController on the cluster role: the VPC resource controller manages branch network interfaces with it.');
}

/** The logical id of a template element, as cdk-nag writes it into a finding id. */
function logicalIdOf(element: CfnElement): string {
  return Stack.of(element).resolve(element.logicalId);
}

function acknowledge(scope: IConstruct, ids: string[], reason: string): void {
  for (const id of ids) {
    if (id.split('::').length > 2) {
      // aws-cdk-lib 2.258 rejects acknowledgement IDs with more than one '::', and cdk-nag names
      // managed-policy findings 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:...]'. Record the
      // acknowledgement in the metadata that Validations.acknowledge() writes and cdk-nag reads.
      scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
    } else {
      Validations.of(scope).acknowledge({ id, reason });
    }
  }
}

/** The AwsSolutions findings on an example's internet-facing ALB, each with its reason. */
export function acknowledgeInternetFacingAlb(alb: elbv2.ApplicationLoadBalancer, albRules: AlbIngressBackendRules): void {
  acknowledge(alb, ['AwsSolutions-ELB2'],
    'An example: access logs need a log bucket of the account\'s own logging setup, which an example cannot know.');
  acknowledge(albRules.loadBalancerSecurityGroup, ['AwsSolutions-EC23'],
    'The load balancer is internet-facing: its listener accepts TCP 80 from anywhere, and it reaches only the pods, on 8080.');
}

/**
 * The findings on a private cluster example: the S3 prefix list lookup of PrivateClusterEndpoints
 * (this library; aws-cdk-lib's AwsCustomResource, whose one function serves the whole stack), and
 * aws-eks-v2's warning about isolated subnets, which the endpoints answer.
 */
export function acknowledgePrivateClusterFindings(cluster: eksv2.Cluster, endpoints: PrivateClusterEndpoints): void {
  const stack = Stack.of(endpoints);
  acknowledge(endpoints, ['AwsSolutions-IAM5[Resource::*]'],
    'EC2 DescribePrefixLists supports no resource-level permissions: the lookup of the S3 prefix list can only be granted on *.');
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (provider) {
    acknowledge(provider, [LAMBDA_BASIC, 'AwsSolutions-L1'],
      'The singleton function of aws-cdk-lib\'s AwsCustomResource: aws-cdk-lib chooses its runtime and attaches the basic execution role; it runs outside the VPC and only reads the S3 prefix list.');
  }
  // aws-cdk-lib adds this warning with Annotations.addWarningV2() under its bare ID, which only
  // Annotations.acknowledgeWarning() matches.
  Annotations.of(cluster).acknowledgeWarning('@aws-cdk/aws-eks:isolatedSubnetsForKubectlPrivateSubnets',
    'The isolated subnets reach STS, EKS, ECR, S3 and the other AWS APIs through the VPC endpoints of PrivateClusterEndpoints.');
}
