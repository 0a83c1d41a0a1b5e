import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { acknowledgeEksV2Findings } from './acknowledgements';
import { ALL_CLUSTER_LOGGING_V2, KUBERNETES_VERSION_V2 } from './kubernetes-version';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../lib';

/**
 * KubeletBoundaryStack on aws-eks-v2: a private-endpoint cluster with EKS Auto Mode off, whose
 * managed nodes run on a node-only security group. The kubelet (TCP 10250) is reachable from the
 * cluster security group only, nodes reach the private API endpoint on TCP 443, and IMDSv2 is
 * required with a hop limit of 2.
 *
 * aws-eks-v2 creates the cluster with `AWS::EKS::Cluster` and grants access with access entries,
 * so this stack needs no kubectl provider: nothing in it applies a Kubernetes manifest.
 */
export class EksV2NodeGroupsStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: eksv2.Cluster;
  public readonly nodes: HardenedNodeSecurityGroup;
  public readonly workers: eksv2.Nodegroup;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });

    this.cluster = new eksv2.Cluster(this, 'Cluster', {
      vpc,
      version: KUBERNETES_VERSION_V2,
      endpointAccess: eksv2.EndpointAccess.PRIVATE,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      // Auto Mode off: managed node groups only, and none but the one added below.
      defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      clusterLogging: ALL_CLUSTER_LOGGING_V2,
    });

    this.nodes = new HardenedNodeSecurityGroup(this, 'Nodes', { vpc, cluster: this.cluster });

    const kubeletAccess = new RestrictedKubeletAccess(this, 'KubeletAccess', {
      cluster: this.cluster,
      nodeSecurityGroups: [this.nodes.securityGroup],
    });

    const workers = this.workers = this.nodes.addNodegroupV2('Workers', {
      instanceTypes: [new ec2.InstanceType('m6i.large')],
      minSize: 2,
      maxSize: 4,
    });
    // Nodes can join only once they reach the private endpoint: create the rules first.
    workers.node.addDependency(kubeletAccess);

    acknowledgeEksV2Findings(this.cluster, [workers]);
  }
}
