import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { problem, Problem } from './errors';

/** Which side of a security group a rule is on. */
export enum RuleDirection {
  INGRESS = 'ingress',
  EGRESS = 'egress',
}

/** A rule between two security groups that a construct asked for. */
export interface RequestedRule {
  /** The prop, as the user wrote it, that gave the security group the rule is on. */
  readonly prop: string;
  readonly direction: RuleDirection;
  /** The security group the rule is on. */
  readonly group: ec2.ISecurityGroup;
  /** The other security group: the source of an ingress rule, the destination of an egress rule. */
  readonly peer: ec2.ISecurityGroup;
  readonly port: ec2.Port;
  /** The peer for messages, for example `from the load balancer`. */
  readonly peerDescription: string;
}

/**
 * Every requested rule that no `AWS::EC2::SecurityGroupIngress` or `AWS::EC2::SecurityGroupEgress`
 * of the app writes, as a problem. A security group imported with `mutable: false` drops the rules
 * added to it without a word; so does any security group's egress when it allows all outbound
 * traffic, which is why egress is only checked on groups that do not.
 *
 * Security invariants fail closed: a construct calls this right after adding its rules and throws
 * on any problem, instead of leaving a boundary that silently lacks them.
 */
export function droppedRules(scope: IConstruct, requested: RequestedRule[]): Problem[] {
  const toCheck = requested.filter((r) => r.direction === RuleDirection.INGRESS || !r.group.allowAllOutbound);
  if (toCheck.length === 0) return [];
  const written = scope.node.root.node.findAll();
  const ingress = written.filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress);
  const egress = written.filter((c): c is ec2.CfnSecurityGroupEgress => c instanceof ec2.CfnSecurityGroupEgress);
  return toCheck
    .filter((r) => {
      const json = r.port.toRuleJson() as { ipProtocol: string; fromPort?: number; toPort?: number };
      const samePort = (rule: { ipProtocol: string; fromPort?: number; toPort?: number }) =>
        rule.ipProtocol === json.ipProtocol && rule.fromPort === json.fromPort && rule.toPort === json.toPort;
      const onGroup = (rule: { groupId?: string }) => rule.groupId === r.group.securityGroupId;
      return r.direction === RuleDirection.INGRESS
        ? !ingress.some((rule) => onGroup(rule) && rule.sourceSecurityGroupId === r.peer.securityGroupId && samePort(rule))
        : !egress.some((rule) => onGroup(rule) && rule.destinationSecurityGroupId === r.peer.securityGroupId && samePort(rule));
    })
    .map((r) => problem('ruleDropped', `${r.prop}: security group '${r.group.node.path}' did not take the ${r.direction} rule for ${r.port.toString()} ${r.peerDescription} (an imported security group with mutable: false drops rules); import it with mutable: true, or pass a security group this app can change`));
}
