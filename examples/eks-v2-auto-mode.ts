import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { acknowledgeAutoModeFindings, acknowledgeEksV2Findings } from './acknowledgements';
import { ALL_CLUSTER_LOGGING_V2, kubectlLayer, KUBERNETES_VERSION_V2 } from './kubernetes-version';
import { HardenedNodePool, HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../lib';

/**
 * A private-endpoint EKS Auto Mode cluster (aws-eks-v2) whose nodes run on a node-only security
 * group. The built-in node pools are off (`nodePools: []`): their NodeClass attaches the cluster
 * security group to every node. A HardenedNodePool launches the nodes instead, with a NodeClass
 * that selects the node security group only, private subnets and no public IP addresses. The
 * kubelet (TCP 10250) is reachable from the cluster security group only, and nodes reach the
 * private API endpoint on TCP 443.
 *
 * The kubectl provider applies the NodeClass and the NodePool.
 */
export class EksV2AutoModeStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: eksv2.Cluster;
  public readonly nodes: HardenedNodeSecurityGroup;
  public readonly nodePool: HardenedNodePool;

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
      defaultCapacityType: eksv2.DefaultCapacityType.AUTOMODE,
      // Auto Mode on, its built-in node pools off: their nodes carry the cluster security group.
      compute: { nodePools: [] },
      kubectlProviderOptions: { kubectlLayer: kubectlLayer(this) },
      clusterLogging: ALL_CLUSTER_LOGGING_V2,
    });

    this.nodes = new HardenedNodeSecurityGroup(this, 'Nodes', { vpc, cluster: this.cluster });

    const kubeletAccess = new RestrictedKubeletAccess(this, 'KubeletAccess', {
      cluster: this.cluster,
      nodeSecurityGroups: [this.nodes.securityGroup],
    });

    this.nodePool = new HardenedNodePool(this, 'NodePool', {
      cluster: this.cluster,
      securityGroup: this.nodes.securityGroup,
    });
    // Nodes can join only once they reach the private endpoint: create the rules first.
    this.nodePool.node.addDependency(kubeletAccess);

    acknowledgeEksV2Findings(this.cluster, []);
    acknowledgeAutoModeFindings(this.cluster, [this.nodePool]);
  }
}
