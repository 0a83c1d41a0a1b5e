import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { ALLOWED_HOP_LIMITS } from '../conventions';
import { problem, Problem } from '../private/errors';
import { validateSecurityGroupDescription, validateSecurityGroupName } from '../private/security-group-names';
import { describeValue } from '../private/values';
import { describeVpcId, differentVpcs } from '../private/vpcs';

/** The props this file checks, as plain values, so the checks stay pure. */
export interface NodeSecurityGroupInput {
  readonly vpc?: ec2.IVpc;
  /** The cluster's VPC, when the cluster knows it (an imported cluster may not). */
  readonly clusterVpc?: ec2.IVpc;
  readonly securityGroupName?: string;
  readonly description?: string;
  readonly httpPutResponseHopLimit?: number;
  readonly launchTemplateProps?: ec2.LaunchTemplateProps;
}

/** Every problem with the props of a HardenedNodeSecurityGroup; an empty list when there is none. */
export function validateNodeSecurityGroupProps(props: NodeSecurityGroupInput): Problem[] {
  const problems: Problem[] = [];
  if (props.vpc !== undefined && props.clusterVpc !== undefined && differentVpcs(props.vpc.vpcId, props.clusterVpc.vpcId)) {
    problems.push(
      problem('vpcNotClusterVpc', `vpc: ${describeVpcId(props.vpc.vpcId)} is not the cluster's VPC (${describeVpcId(props.clusterVpc.vpcId)}); a launch template's security groups must be in the VPC of the node group's subnets, which are the cluster's, so pass the cluster's VPC (cluster.vpc)`),
    );
  }
  problems.push(
    ...validateSecurityGroupName('securityGroupName', props.securityGroupName),
    ...validateSecurityGroupDescription('description', props.description),
  );
  const hop = props.httpPutResponseHopLimit;
  if (hop !== undefined && Token.isUnresolved(hop)) {
    // The hop limit decides who reaches the node role's credentials: fail closed.
    problems.push(
      problem('hopLimitUnresolved', 'httpPutResponseHopLimit: a token, which cannot be checked to be 1 or 2 (and aws-cdk-lib rejects a token hop limit); pass the literal 1 or 2'),
    );
  } else if (hop !== undefined && !ALLOWED_HOP_LIMITS.includes(hop)) {
    problems.push(
      problem('hopLimitInvalid', `httpPutResponseHopLimit: ${hop} is not allowed; use 2 (the default: pods reach IMDSv2 through the node) or 1 (only the node itself reaches IMDS)`),
    );
  }
  const lt = props.launchTemplateProps;
  if (lt) {
    if (lt.securityGroup !== undefined) {
      problems.push(
        problem('launchTemplateSecurityGroup', 'launchTemplateProps.securityGroup: is set, but the launch template must attach only the node security group this construct creates; remove it and use connections.allowFrom() to add rules to the node security group'),
      );
    }
    if (lt.role !== undefined || lt.instanceProfile !== undefined) {
      problems.push(
        problem('launchTemplateInstanceProfile', `launchTemplateProps.${lt.role !== undefined ? 'role' : 'instanceProfile'}: is set, but EKS managed node groups reject a launch template with an IAM instance profile; remove it and pass nodeRole to addNodegroup() instead`),
      );
    }
    if (lt.httpTokens !== undefined && lt.httpTokens !== ec2.LaunchTemplateHttpTokens.REQUIRED) {
      problems.push(
        problem('launchTemplateHttpTokens', `launchTemplateProps.httpTokens: ${describeValue(lt.httpTokens)} is not allowed; nodes require IMDSv2 tokens, so remove it`),
      );
    }
    if (lt.requireImdsv2 === false) {
      problems.push(problem('launchTemplateImdsv1', 'launchTemplateProps.requireImdsv2: false is not allowed; nodes require IMDSv2, so remove it'));
    }
    if (lt.httpEndpoint === false) {
      problems.push(problem('launchTemplateHttpEndpoint', 'launchTemplateProps.httpEndpoint: false is not allowed; EKS nodes read IMDS to join the cluster, so remove it'));
    }
    if (lt.httpPutResponseHopLimit !== undefined) {
      problems.push(
        problem('launchTemplateHopLimit', `launchTemplateProps.httpPutResponseHopLimit: ${describeValue(lt.httpPutResponseHopLimit)} is set in the wrong place; remove it and set httpPutResponseHopLimit on HardenedNodeSecurityGroup (1 or 2)`),
      );
    }
  }
  return problems;
}

/** The node group options this file checks, and what the launch template already sets. */
export interface NodegroupInput {
  /** The options of a node group of either module. */
  readonly options: eks.NodegroupOptions | eksv2.NodegroupOptions;
  readonly launchTemplateSetsInstanceType: boolean;
  readonly launchTemplateSetsImage: boolean;
}

/** Every combination of node group options that EKS rejects next to a launch template. */
export function validateNodegroupOptions(input: NodegroupInput): Problem[] {
  const { options } = input;
  const problems: Problem[] = [];
  if (options.launchTemplateSpec !== undefined) {
    problems.push(
      problem('nodegroupLaunchTemplateSpec', 'launchTemplateSpec: is set, but addNodegroup() uses the hardened launch template; remove it, or call cluster.addNodegroupCapacity() yourself with launchTemplateSpec'),
    );
  }
  if (options.diskSize !== undefined) {
    problems.push(
      problem('nodegroupDiskSize', `diskSize: ${describeValue(options.diskSize)} is rejected by EKS for a node group with a launch template; remove it and set blockDevices in launchTemplateProps`),
    );
  }
  if (options.remoteAccess !== undefined) {
    problems.push(
      problem('nodegroupRemoteAccess', 'remoteAccess: is rejected by EKS for a node group with a launch template; remove it and set keyPair in launchTemplateProps (prefer SSM Session Manager)'),
    );
  }
  if (input.launchTemplateSetsInstanceType && options.instanceTypes !== undefined && options.instanceTypes.length > 0) {
    problems.push(
      problem('nodegroupInstanceTypes', 'instanceTypes: is set, but launchTemplateProps.instanceType is set too, which EKS rejects; keep one of them'),
    );
  }
  if (input.launchTemplateSetsImage && options.amiType !== undefined) {
    problems.push(
      problem('nodegroupAmiType', `amiType: ${describeValue(options.amiType)} is set, but launchTemplateProps.machineImage sets a custom AMI, which EKS rejects together; remove amiType`),
    );
  }
  return problems;
}
