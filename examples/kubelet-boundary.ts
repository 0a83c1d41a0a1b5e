import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import { acknowledgeEksFindings } from './acknowledgements';
import { kubectlLayer, KUBERNETES_VERSION } from './kubernetes-version';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../lib';

/**
 * A private-endpoint EKS cluster whose managed nodes run on a node-only security group: the
 * kubelet (TCP 10250) is reachable from the cluster security group only, nodes reach the private
 * API endpoint on TCP 443, and IMDSv2 is required with a hop limit of 2.
 */
export class KubeletBoundaryStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: eks.Cluster;
  public readonly nodes: HardenedNodeSecurityGroup;
  public readonly workers: eks.Nodegroup;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });

    this.cluster = new eks.Cluster(this, 'Cluster', {
      vpc,
      version: KUBERNETES_VERSION,
      kubectlLayer: kubectlLayer(this),
      endpointAccess: eks.EndpointAccess.PRIVATE,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacity: 0,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
    });

    this.nodes = new HardenedNodeSecurityGroup(this, 'Nodes', { vpc, cluster: this.cluster });

    const kubeletAccess = new RestrictedKubeletAccess(this, 'KubeletAccess', {
      cluster: this.cluster,
      nodeSecurityGroups: [this.nodes.securityGroup],
    });

    const workers = this.workers = this.nodes.addNodegroup('Workers', {
      instanceTypes: [new ec2.InstanceType('m6i.large')],
      minSize: 2,
      maxSize: 4,
    });
    // Nodes can join only once they reach the private endpoint: create the rules first.
    workers.node.addDependency(kubeletAccess);

    acknowledgeEksFindings(this, this.cluster, [workers]);
  }
}
