import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { acknowledgeEksV2Findings, acknowledgePrivateClusterFindings } from './acknowledgements';
import { ALL_CLUSTER_LOGGING_V2, KUBERNETES_VERSION_V2 } from './kubernetes-version';
import { HardenedNodeSecurityGroup, PrivateClusterEndpoints, RestrictedKubeletAccess } from '../lib';

/**
 * Seed 001's private mode: an aws-eks-v2 cluster whose API endpoint is private only, in a VPC with
 * isolated subnets and no route to the internet. The nodes' security group allows no egress but
 * what the constructs open: the kubelet and API rules with the cluster security group, and HTTPS
 * to the VPC endpoints (ECR, S3, STS, EC2, CloudWatch Logs, Elastic Load Balancing, Auto Scaling,
 * EKS and EKS Auth) through which the nodes reach AWS.
 */
export class PrivateClusterStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: eksv2.Cluster;
  public readonly nodes: HardenedNodeSecurityGroup;
  public readonly endpoints: PrivateClusterEndpoints;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const vpc = this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Nodes', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    this.cluster = new eksv2.Cluster(this, 'Cluster', {
      vpc,
      vpcSubnets: [isolated],
      version: KUBERNETES_VERSION_V2,
      endpointAccess: eksv2.EndpointAccess.PRIVATE,
      defaultCapacityType: eksv2.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      clusterLogging: ALL_CLUSTER_LOGGING_V2,
    });

    // No egress but what the constructs open.
    this.nodes = new HardenedNodeSecurityGroup(this, 'Nodes', { vpc, cluster: this.cluster, allowAllOutbound: false });
    const kubeletAccess = new RestrictedKubeletAccess(this, 'KubeletAccess', {
      cluster: this.cluster,
      nodeSecurityGroups: [this.nodes.securityGroup],
    });
    this.endpoints = new PrivateClusterEndpoints(this, 'Endpoints', {
      cluster: this.cluster,
      nodeSecurityGroups: [this.nodes.securityGroup],
    });

    const workers = this.nodes.addNodegroupV2('Workers', {
      instanceTypes: [new ec2.InstanceType('m6i.large')],
      subnets: isolated,
      minSize: 2,
      maxSize: 4,
    });
    // Nodes join only once they reach the API server and, through the endpoints, ECR and EKS.
    workers.node.addDependency(kubeletAccess, this.endpoints);

    acknowledgeEksV2Findings(this.cluster, [workers]);
    acknowledgePrivateClusterFindings(this.cluster, this.endpoints);
  }
}
