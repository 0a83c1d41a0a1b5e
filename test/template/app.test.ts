import * as path from 'path';
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AlbIngressBackendRules, BackendTargetType, HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../../lib';
import { check } from '../../lib/cli/checker';
import { packFindings } from '../nag/util';
import { testCluster } from '../util';

/**
 * The app the issue describes: network and cluster, node groups, security, and an application
 * stack with an Ingress, each in its own stack, with references between them.
 */
function threeStackApp(options: { openKubelet?: boolean } = {}): { app: App; appStack: Stack } {
  const app = new App();
  const network = new Stack(app, 'Network');
  const vpc = new ec2.Vpc(network, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = testCluster(network, vpc);

  // aws-eks maps a node role in the cluster's aws-auth: it must live beside the cluster.
  const nodeRole = new iam.Role(network, 'NodeRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    managedPolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly']
      .map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
  });

  const nodeStack = new Stack(app, 'Nodes');
  const nodes = new HardenedNodeSecurityGroup(nodeStack, 'Nodes', { vpc, cluster });
  nodes.addNodegroup('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')], nodeRole });

  const security = new Stack(app, 'Security');
  new RestrictedKubeletAccess(security, 'Kubelet', { cluster, nodeSecurityGroups: [nodes.securityGroup] });

  const appStack = new Stack(app, 'Shop');
  const alb = new AlbIngressBackendRules(appStack, 'WebAlb', { vpc, cluster, targets: nodes, targetType: BackendTargetType.EKS_INSTANCE });
  alb.addIngress('WebIngress', { name: 'web', namespace: 'shop', rules: [{ paths: [{ path: '/', serviceName: 'web', servicePort: 80 }] }] });
  if (options.openKubelet) {
    new ec2.CfnSecurityGroupIngress(appStack, 'OpenKubelet', {
      groupId: nodes.securityGroup.securityGroupId, ipProtocol: 'tcp', fromPort: 10250, toPort: 10250, cidrIp: '0.0.0.0/0',
    });
  }
  return { app, appStack };
}

describe('an app of several stacks, read as one', () => {
  test('GIVEN cluster, node groups, kubelet rules and an Ingress in four stacks THEN the pack finds nothing', () => {
    const { app } = threeStackApp();
    expect(packFindings(app)).toEqual([]);
  });

  test('GIVEN an ingress in the app stack opening 10250 on the imported node SG THEN KUB1 on that rule, in its own stack', () => {
    const { app } = threeStackApp({ openKubelet: true });
    expect(packFindings(app)).toEqual([expect.objectContaining({
      rule: 'KUB1',
      path: 'Shop/OpenKubelet',
      message: expect.stringContaining('TCP 10250 from 0.0.0.0/0 into NodesC12DF151'),
    })]);
  });

  test('the command-line checker agrees on both cloud assemblies', () => {
    for (const openKubelet of [false, true]) {
      const { app } = threeStackApp({ openKubelet });
      const out = app.synth().directory;
      const result = check([out]);
      expect(result.problems).toEqual([]);
      expect(result.templates.map((t) => path.basename(t)).sort())
        .toEqual(['Network.template.json', 'Nodes.template.json', 'Security.template.json', 'Shop.template.json']);
      expect(result.findings.map((f) => `${f.ruleId} ${path.basename(f.template)} ${f.logicalId}`))
        .toEqual(openKubelet ? ['EksNetworking-KUB1 Shop.template.json OpenKubelet'] : []);
    }
  });

  test('nested stacks and stages: a parameter passed to a nested stack, and a nested output, are what they point to', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const parent = new Stack(stage, 'Platform');
    const vpc = new ec2.Vpc(parent, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = testCluster(parent, vpc);
    const nodes = new HardenedNodeSecurityGroup(parent, 'Nodes', { vpc, cluster });
    new RestrictedKubeletAccess(parent, 'Kubelet', { cluster, nodeSecurityGroups: [nodes.securityGroup] });
    // The node SG reaches the nested stack as a parameter.
    const rules = new NestedStack(parent, 'Rules');
    new ec2.CfnSecurityGroupIngress(rules, 'ReadOnlyKubelet', {
      groupId: nodes.securityGroup.securityGroupId, ipProtocol: 'tcp', fromPort: 10255, toPort: 10255, cidrIp: '10.0.0.0/8',
    });
    // A security group of the nested stack reaches the parent as an output: a node SG of the cluster there.
    const extra = new ec2.SecurityGroup(rules, 'Extra', { vpc });
    new ec2.CfnSecurityGroupIngress(parent, 'ExtraFromWorld', {
      groupId: extra.securityGroupId, ipProtocol: 'tcp', fromPort: 30000, toPort: 32767, cidrIp: '0.0.0.0/0',
    });
    nodes.addNodegroup('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    (nodes.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyOverride('LaunchTemplateData.SecurityGroupIds.1', extra.securityGroupId);

    const findings = packFindings(app);
    expect(findings.map((f) => `${f.rule} ${f.path}`).sort()).toEqual([
      'KUB2 Prod/Platform/Rules/ReadOnlyKubelet',
      'LB1 Prod/Platform/ExtraFromWorld',
    ]);
  });
});

