// Benchmark of the EksNetworking pack (npm run bench). Never a test: it prints, it asserts nothing.
//
// For this repository's example app, and for apps of about 1k, 4k and 16k resources (stacks of one EKS cluster and managed node groups,
// each on its own security group, launch template and ingress rules), it times, after synthesis:
//   - the EksNetworking pack,
//   - cdk-nag's AwsSolutions pack on the same app,
//   - a no-op walk: a pack whose check only resolves each resource's properties (the floor of any
//     cdk-nag pack),
// and prints the ratios and the growth per 4x resources. Each time is the median of 5 runs after a
// warm-up run, each after a full garbage collection (node --expose-gc). Last, it times the
// constructs' synthesis against the same resources written by hand.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, CfnOutput, CfnResource, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { AlbInstanceTargetsStack } from '../examples/alb-instance-targets';
import { EcsDynamicPortsStack } from '../examples/ecs-dynamic-ports';
import { KubeletBoundaryStack } from '../examples/kubelet-boundary';
import { PaymentsPodSecurityGroupsStack } from '../examples/payments-pod-security-groups';
import { Boundaries, EksNetworkingChecks, HardenedNodeSecurityGroup, RestrictedKubeletAccess } from '../lib';

const EXAMPLE_STACKS = {
  KubeletBoundary: KubeletBoundaryStack,
  AlbInstanceTargets: AlbInstanceTargetsStack,
  EcsDynamicPorts: EcsDynamicPortsStack,
  PaymentsPodSecurityGroups: PaymentsPodSecurityGroupsStack,
};

/** The floor: visit every resource and resolve its properties, check nothing. */
class NoopWalk extends NagPack {
  public readonly name = 'NoopWalk';
  constructor() {
    super();
    this.packName = 'NoopWalk';
  }
  protected checkResource(node: CfnResource): void {
    Stack.of(node).resolve((node as unknown as { _toCloudFormation(): unknown })._toCloudFormation());
  }
}

/** Synthesized apps go to one temp folder, removed at the end; assets are not copied. */
const OUTDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'hen-bench-'));
let apps = 0;
function newApp(): App {
  return new App({
    outdir: path.join(OUTDIR, String(apps++)),
    context: { 'aws:cdk:enable-path-metadata': false, 'aws:cdk:disable-asset-staging': true },
  });
}

const RESOURCES_PER_STACK = 400;
const RESOURCES_PER_NODE_GROUP = 10;

/** An app of about `target` resources. */
function buildApp(target: number): { app: App; resources: number } {
  const app = newApp();
  const stacks = Math.ceil(target / RESOURCES_PER_STACK);
  const groupsPerStack = Math.floor((RESOURCES_PER_STACK - 2) / RESOURCES_PER_NODE_GROUP);
  for (let s = 0; s < stacks; s++) {
    const stack = new Stack(app, `Bench${s}`);
    const role = new CfnResource(stack, 'ClusterRole', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    const cluster = new eks.CfnCluster(stack, 'Cluster', {
      roleArn: role.getAtt('Arn').toString(),
      resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'], endpointPrivateAccess: true, endpointPublicAccess: false },
    });
    const clusterSg = cluster.attrClusterSecurityGroupId;
    for (let g = 0; g < groupsPerStack; g++) {
      const sg = new ec2.CfnSecurityGroup(stack, `NodeSg${g}`, { groupDescription: 'nodes', vpcId: 'vpc-1' });
      const rule = (id: string, props: Omit<ec2.CfnSecurityGroupIngressProps, 'groupId'>) =>
        new ec2.CfnSecurityGroupIngress(stack, `${id}${g}`, { groupId: sg.attrGroupId, ...props });
      rule('Self', { ipProtocol: '-1', sourceSecurityGroupId: sg.attrGroupId });
      rule('Kubelet', { ipProtocol: 'tcp', fromPort: 10250, toPort: 10250, sourceSecurityGroupId: clusterSg });
      rule('Webhook', { ipProtocol: 'tcp', fromPort: 9443, toPort: 9443, sourceSecurityGroupId: clusterSg });
      rule('NodePorts', { ipProtocol: 'tcp', fromPort: 30000, toPort: 32767, sourceSecurityGroupId: 'sg-0123456789abcdef0' });
      rule('Https', { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '10.0.0.0/8' });
      new ec2.CfnSecurityGroupIngress(stack, `Api${g}`, { groupId: clusterSg, ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: sg.attrGroupId });
      const lt = new ec2.CfnLaunchTemplate(stack, `Lt${g}`, {
        launchTemplateData: { securityGroupIds: [sg.attrGroupId], metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 } },
      });
      const nodeRole = new CfnResource(stack, `NodeRole${g}`, { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
      new eks.CfnNodegroup(stack, `Nodes${g}`, {
        clusterName: cluster.ref,
        nodeRole: nodeRole.getAtt('Arn').toString(),
        subnets: ['subnet-1'],
        instanceTypes: ['m6i.large'],
        launchTemplate: { id: lt.ref, version: lt.attrLatestVersionNumber },
      });
    }
  }
  app.synth();
  const resources = app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
  return { app, resources };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Median of `runs` timed calls after one warm-up call, each after a full garbage collection. */
function medianMs(f: () => void, runs = 5): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // aws-cdk-lib records a performance.measure entry per top-level Stack.resolve() call; left to
    // grow, the buffer (a million entries by 16k resources) slows every pack alike.
    performance.clearMeasures();
    gc?.();
    const start = process.hrtime.bigint();
    f();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** This repository's example app: EKS clusters, their providers, ECS, RDS; mostly resources the pack does not read. */
function exampleApp(): { app: App; resources: number } {
  const app = newApp();
  for (const [id, StackClass] of Object.entries(EXAMPLE_STACKS)) new StackClass(app, id);
  app.synth();
  return { app, resources: app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length };
}

const rows: Array<{ name: string; resources: number; pack: number; aws: number; walk: number; findings: number }> = [];
for (const target of [0, 1000, 4000, 16000]) {
  const { app, resources } = target === 0 ? exampleApp() : buildApp(target);
  let findings = 0;
  const pack = medianMs(() => { findings = new EksNetworkingChecks().validateScope(app).violations.length; });
  const aws = medianMs(() => new AwsSolutionsChecks().validateScope(app));
  const walk = medianMs(() => new NoopWalk().validateScope(app));
  rows.push({ name: target === 0 ? 'examples' : 'generated', resources, pack, aws, walk, findings });
}

const f = (n: number) => n.toFixed(0).padStart(8);
const r = (n: number) => n.toFixed(2).padStart(8);
console.log(`node ${process.version}, ${os.cpus().length} cores; times in ms, median of 5 runs${gc ? ', GC between runs' : ''}`);
console.log('app        resources  EksNetworking  AwsSolutions  no-op walk  pack/AwsSol  pack/walk  pack growth (resources growth)  findings');
rows.forEach((row, i) => {
  const previous = i > 1 ? rows[i - 1] : undefined;
  const growth = previous ? `${r(row.pack / previous.pack)} (x${(row.resources / previous.resources).toFixed(1)})` : '       -       ';
  console.log(`${row.name.padEnd(9)}  ${String(row.resources).padStart(9)}  ${f(row.pack)}       ${f(row.aws)}      ${f(row.walk)}    ${r(row.pack / row.aws)}   ${r(row.pack / row.walk)}  ${growth.padStart(22)}          ${row.findings}`);
});

// The constructs' synthesis overhead: the same node security groups, launch templates and
// kubelet rules built with HardenedNodeSecurityGroup and RestrictedKubeletAccess, or by hand
// with aws-cdk-lib L2s and L1 rules. Build and synthesis are timed together.
function nodeGroupsApp(groups: number, withConstructs: boolean): App {
  const app = newApp();
  const stacks = Math.ceil(groups / 20);
  for (let s = 0; s < stacks; s++) {
    const stack = new Stack(app, `Nodes${s}`);
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'] });
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'prod', clusterSecurityGroupId: 'sg-0123456789abcdef0' });
    for (let g = 0; g < Math.min(20, groups - s * 20); g++) {
      if (withConstructs) {
        const nodes = new HardenedNodeSecurityGroup(stack, `Nodes${g}`, { vpc, cluster });
        new RestrictedKubeletAccess(stack, `Kubelet${g}`, { cluster, nodeSecurityGroups: [nodes.securityGroup] });
      } else {
        handWritten(stack, g, vpc, cluster);
      }
    }
  }
  app.synth();
  return app;
}

function handWritten(stack: Stack, g: number, vpc: ec2.IVpc, cluster: eks.ICluster): void {
  const sg = new ec2.SecurityGroup(stack, `NodeSg${g}`, { vpc, description: 'nodes' });
  sg.addIngressRule(sg, ec2.Port.allTraffic());
  Tags.of(sg).add(`kubernetes.io/cluster/${cluster.clusterName}`, 'owned');
  new ec2.LaunchTemplate(stack, `NodeLt${g}`, {
    securityGroup: sg, httpEndpoint: true, httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED, httpPutResponseHopLimit: 2,
  });
  new CfnOutput(stack, `NodeSgId${g}`, { value: sg.securityGroupId });
  const clusterSg = cluster.clusterSecurityGroupId;
  for (const port of [Boundaries.KUBELET_PORT, ...Boundaries.DEFAULT_WEBHOOK_PORTS]) {
    new ec2.CfnSecurityGroupIngress(stack, `In${port}x${g}`, { groupId: sg.securityGroupId, ipProtocol: 'tcp', fromPort: port, toPort: port, sourceSecurityGroupId: clusterSg });
    new ec2.CfnSecurityGroupEgress(stack, `Out${port}x${g}`, { groupId: clusterSg, ipProtocol: 'tcp', fromPort: port, toPort: port, destinationSecurityGroupId: sg.securityGroupId });
  }
  const api = Boundaries.KUBERNETES_API_PORT;
  new ec2.CfnSecurityGroupIngress(stack, `Api${g}`, { groupId: clusterSg, ipProtocol: 'tcp', fromPort: api, toPort: api, sourceSecurityGroupId: sg.securityGroupId });
  new ec2.CfnSecurityGroupEgress(stack, `ApiOut${g}`, { groupId: sg.securityGroupId, ipProtocol: 'tcp', fromPort: api, toPort: api, destinationSecurityGroupId: clusterSg });
}

console.log('');
console.log('node groups  constructs  hand-written L2s  ratio   (build and synth, ms)');
for (const groups of [50, 200]) {
  const constructs = medianMs(() => nodeGroupsApp(groups, true));
  const byHand = medianMs(() => nodeGroupsApp(groups, false));
  console.log(`${String(groups).padStart(11)}  ${f(constructs)}    ${f(byHand)}          ${r(constructs / byHand)}`);
}

fs.rmSync(OUTDIR, { recursive: true, force: true });
