import { Duration, RemovalPolicy, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { acknowledgeDatabaseFindings, acknowledgeVpcResourceControllerPolicy } from './acknowledgements';
import { KubeletBoundaryStack } from './kubelet-boundary';
import { PodSecurityGroupPolicy, PodsSecurityGroup, SecurityGroupsForPods } from '../lib';

/**
 * The kubelet boundary cluster with security groups for pods: the pods of the payments API (in
 * namespace `payments`) run on their own security group, and only that security group may reach
 * the payments database.
 */
export class PaymentsPodSecurityGroupsStack extends KubeletBoundaryStack {
  public readonly database: rds.DatabaseInstance;
  public readonly podsSecurityGroup: PodsSecurityGroup;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The VPC CNI with pod ENIs on (strict mode), and the VPC resource controller policy on the
    // cluster role.
    new SecurityGroupsForPods(this, 'SecurityGroupsForPods', { cluster: this.cluster });

    // The pods' own security group: probes in from the nodes, CoreDNS out to them.
    this.podsSecurityGroup = new PodsSecurityGroup(this, 'PaymentsPods', { vpc: this.vpc, nodes: this.nodes });

    this.database = new rds.DatabaseInstance(this, 'PaymentsDb', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_9 }),
      instanceType: new ec2.InstanceType('m6i.large'),
      port: 5433,
      multiAz: true,
      storageEncrypted: true,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      backupRetention: Duration.days(7),
      iamAuthentication: true,
      cloudwatchLogsExports: ['postgresql'],
      credentials: rds.Credentials.fromGeneratedSecret('payments'),
    });
    // Only pods on the payments security group reach the database.
    this.database.connections.allowDefaultPortFrom(this.podsSecurityGroup);

    const namespace = this.cluster.addManifest('PaymentsNamespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'payments' },
    });
    const policy = new PodSecurityGroupPolicy(this, 'PaymentsApiPolicy', {
      cluster: this.cluster,
      namespace: 'payments',
      name: 'payments-api',
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments-api' } },
      securityGroups: [this.podsSecurityGroup.securityGroup],
    });
    policy.node.addDependency(namespace);

    acknowledgeDatabaseFindings(this.database);
    acknowledgeVpcResourceControllerPolicy(this.cluster);
  }
}
