import { CfnResource, Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/** What synthesis knows of the VPC an id names: a literal id, or an `AWS::EC2::VPC` of this app. */
interface VpcIdentity {
  readonly literal?: string;
  readonly resource?: IConstruct;
}

function identityOf(vpcId: string): VpcIdentity | undefined {
  if (!Token.isUnresolved(vpcId)) return { literal: vpcId };
  const reference = Tokenization.reverse(vpcId);
  if (reference instanceof Reference && reference.displayName === 'Ref'
    && reference.target instanceof CfnResource && reference.target.cfnResourceType === 'AWS::EC2::VPC') {
    return { resource: reference.target };
  }
  return undefined;
}

/**
 * Whether two VPC ids certainly name different VPCs: two different literal ids, or two different
 * VPCs this app creates. Anything else (an imported token, a literal next to a VPC this app
 * creates, which might be the same VPC looked up) cannot be told apart at synth time: false.
 */
export function differentVpcs(a: string, b: string): boolean {
  if (a === b) return false;
  const x = identityOf(a);
  const y = identityOf(b);
  if (x?.literal !== undefined && y?.literal !== undefined) return x.literal !== y.literal;
  if (x?.resource !== undefined && y?.resource !== undefined) return x.resource !== y.resource;
  return false;
}

/** A VPC id for messages: the literal id, the path of the VPC this app creates, or `a token`. */
export function describeVpcId(vpcId: string): string {
  const identity = identityOf(vpcId);
  if (identity?.literal !== undefined) return `'${identity.literal}'`;
  if (identity?.resource !== undefined) {
    const node = identity.resource.node;
    // An L2 Vpc holds its CfnVPC as 'Resource': name the Vpc the user wrote.
    return `'${node.id === 'Resource' && node.scope ? node.scope.node.path : node.path}'`;
  }
  return 'a token';
}

/** The VPC id of a security group this app creates (an `AWS::EC2::SecurityGroup`), or undefined. */
export function securityGroupVpcId(securityGroup: ec2.ISecurityGroup): string | undefined {
  const resource = securityGroup.node.defaultChild;
  return resource instanceof ec2.CfnSecurityGroup ? resource.vpcId : undefined;
}
