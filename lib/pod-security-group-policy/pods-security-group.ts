import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { validatePodsSecurityGroupProps } from './validate';
import { Boundaries } from '../boundaries';
import { droppedRules, RuleDirection } from '../private/dropped-rules';
import { throwIfProblems } from '../private/errors';

/**
 * Properties of a PodsSecurityGroup.
 */
export interface PodsSecurityGroupProps {
  /** The VPC of the cluster. */
  readonly vpc: ec2.IVpc;

  /**
   * The nodes the pods run on (a HardenedNodeSecurityGroup, or the node security group): the
   * kubelet probes the pods from them, and CoreDNS runs on them.
   */
  readonly nodes: ec2.IConnectable;

  /**
   * The TCP ports the kubelet probes the pods on.
   *
   * @default - every TCP port
   */
  readonly probePorts?: ec2.Port[];

  /**
   * Description of the security group. EC2 takes up to 255 characters of a-z, A-Z, 0-9, spaces
   * and `._-:/()#,@[]+=&;{}!$*`; anything else fails at synth time.
   *
   * @default 'Pods with their own security group: kubelet probes in, CoreDNS out'
   */
  readonly description?: string;
}

/**
 * A security group for pods of a SecurityGroupPolicy, with what the EKS best-practices guide
 * requires: the nodes may reach the pods (kubelet liveness and readiness probes), and the pods
 * may reach CoreDNS on the nodes on TCP and UDP 53. It allows no other egress: add what the pods
 * need with `connections.allowTo()` (a database, an API).
 *
 * Use it as the `targets` of AlbIngressBackendRules with ip targets.
 *
 * Side effects: ingress on TCP and UDP 53 from this security group is added to the nodes'
 * security groups, where CoreDNS runs. A node security group that drops these rules (imported
 * with `mutable: false`) fails at synth time, since the pods could not resolve names without them.
 *
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/sgpp.html
 */
export class PodsSecurityGroup extends Construct implements ec2.IConnectable {
  /** The security group of the pods. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** Connections of the pods' security group. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: PodsSecurityGroupProps) {
    super(scope, id);

    throwIfProblems(this, validatePodsSecurityGroupProps(props));

    const sg = new ec2.SecurityGroup(this, 'Resource', {
      vpc: props.vpc,
      description: props.description ?? 'Pods with their own security group: kubelet probes in, CoreDNS out',
      allowAllOutbound: false,
    });
    this.securityGroup = sg;
    this.connections = sg.connections;

    const probePorts = props.probePorts ?? [ec2.Port.allTcp()];
    for (const port of probePorts) {
      sg.connections.allowFrom(props.nodes, port, `Kubelet probes from the nodes: ${port.toString()}`);
    }
    const dns = [ec2.Port.tcp(Boundaries.DNS_PORT), ec2.Port.udp(Boundaries.DNS_PORT)];
    sg.connections.allowTo(props.nodes, dns[0], 'CoreDNS on the nodes (TCP)');
    sg.connections.allowTo(props.nodes, dns[1], 'CoreDNS on the nodes (UDP)');

    // A node security group imported with mutable: false drops these rules without a word: the
    // pods would resolve no name (CoreDNS), and, on nodes without all outbound traffic, fail their
    // probes. Fail closed instead.
    throwIfProblems(this, droppedRules(this, props.nodes.connections.securityGroups.flatMap((nodeSg) => [
      ...dns.map((port) => ({
        prop: 'nodes', direction: RuleDirection.INGRESS, group: nodeSg, peer: sg, port, peerDescription: 'from the pods security group (CoreDNS)',
      })),
      ...probePorts.map((port) => ({
        prop: 'nodes', direction: RuleDirection.EGRESS, group: nodeSg, peer: sg, port, peerDescription: 'to the pods security group (kubelet probes)',
      })),
    ])));
  }
}
