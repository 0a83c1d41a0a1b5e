import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import { HardenedNodeSecurityGroup, RestrictedKubeletAccess } from 'hardened-eks-networking';

/**
 * A private-endpoint EKS cluster whose nodes run on their own security group: the kubelet is
 * reachable from the control plane only, nodes reach the API on 443, IMDSv2 is required.
 */
export class PlatformStack extends Stack {
  public readonly nodes: HardenedNodeSecurityGroup;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new eks.Cluster(this, 'Cluster', {
      vpc,
      version: eks.KubernetesVersion.V1_34,
      kubectlLayer: new KubectlV34Layer(this, 'Kubectl'),
      endpointAccess: eks.EndpointAccess.PRIVATE,
      defaultCapacity: 0,
    });

    this.nodes = new HardenedNodeSecurityGroup(this, 'Nodes', { vpc, cluster });
    const kubelet = new RestrictedKubeletAccess(this, 'Kubelet', { cluster, nodeSecurityGroups: [this.nodes.securityGroup] });
    const workers = this.nodes.addNodegroup('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')], minSize: 2, maxSize: 4 });
    // Nodes join once they can reach the private endpoint.
    workers.node.addDependency(kubelet);
  }
}
