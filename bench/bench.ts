// Benchmark of the EksNetworking pack (npm run bench). Never a test: it prints, it asserts nothing.
//
// For this repository's example app, and for generated apps of about 1k, 4k and 16k resources
// (one EKS cluster and managed node groups per 400 resources, each group on its own security group,
// launch template and ingress rules), it times, after synthesis:
//   - the EksNetworking pack over the whole app, called as tests call it (validateScope): one
//     validation renders every stack of the app (stackInputs), builds one model of it
//     (AppModel.fromStacks) and the rules read it,
//   - the same pack called as aws-cdk-lib calls a validation plugin during synthesis
//     (validate({ templatePaths, appConstruct })): it reads the templates synthesis has just
//     written instead of rendering them again,
//   - building the rendered app model alone (AppModel.fromStacks(stackInputs(app))),
//   - cdk-nag's AwsSolutions pack on the same app,
//   - a no-op walk: a pack whose check only resolves each resource's properties (the floor of any
//     cdk-nag pack),
// and prints the ratios and the growth per 4x resources. The generated apps come in two shapes:
//   - "generated": stacks of 400 resources that do not reference each other,
//   - "cross-stack": the same resources in three stacks per 400: the cluster, the node security
//     groups with their rules, and the launch templates with the node groups, so every rule reads
//     the cluster SG, and every launch template its node SG, through an Fn::ImportValue of another
//     stack's export (aws-cdk-lib's cross-stack references).
// Each time is the median of 5 runs after a warm-up run, each after a full garbage collection
// (node --expose-gc); the contenders on one app take turns, run after run, so that other load on
// the machine weighs on all of them alike. Last, it times the constructs' synthesis against the
// same resources written by hand.
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
import { stackInputs } from '../lib/template/cdk';
import { AppModel } from '../lib/template/model';

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

/**
 * An app of about `target` resources. With `crossStack`, each 400 resources are three stacks: the
 * cluster; the node security groups and their ingress rules (reading the cluster SG from the
 * cluster's stack); the launch templates (reading their node SG from the second stack), node roles
 * and node groups (reading the cluster from the first).
 */
function buildApp(target: number, crossStack = false): { app: App; resources: number } {
  const app = newApp();
  const stacks = Math.ceil(target / RESOURCES_PER_STACK);
  const groupsPerStack = Math.floor((RESOURCES_PER_STACK - 2) / RESOURCES_PER_NODE_GROUP);
  for (let s = 0; s < stacks; s++) {
    const clusterStack = new Stack(app, crossStack ? `BenchCluster${s}` : `Bench${s}`);
    const sgStack = crossStack ? new Stack(app, `BenchNodeSgs${s}`) : clusterStack;
    const nodesStack = crossStack ? new Stack(app, `BenchNodes${s}`) : clusterStack;
    const role = new CfnResource(clusterStack, 'ClusterRole', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    const cluster = new eks.CfnCluster(clusterStack, 'Cluster', {
      roleArn: role.getAtt('Arn').toString(),
      resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'], endpointPrivateAccess: true, endpointPublicAccess: false },
    });
    const clusterSg = cluster.attrClusterSecurityGroupId;
    for (let g = 0; g < groupsPerStack; g++) {
      const sg = new ec2.CfnSecurityGroup(sgStack, `NodeSg${g}`, { groupDescription: 'nodes', vpcId: 'vpc-1' });
      const rule = (id: string, props: Omit<ec2.CfnSecurityGroupIngressProps, 'groupId'>) =>
        new ec2.CfnSecurityGroupIngress(sgStack, `${id}${g}`, { groupId: sg.attrGroupId, ...props });
      rule('Self', { ipProtocol: '-1', sourceSecurityGroupId: sg.attrGroupId });
      rule('Kubelet', { ipProtocol: 'tcp', fromPort: 10250, toPort: 10250, sourceSecurityGroupId: clusterSg });
      rule('Webhook', { ipProtocol: 'tcp', fromPort: 9443, toPort: 9443, sourceSecurityGroupId: clusterSg });
      rule('NodePorts', { ipProtocol: 'tcp', fromPort: 30000, toPort: 32767, sourceSecurityGroupId: 'sg-0123456789abcdef0' });
      rule('Https', { ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '10.0.0.0/8' });
      new ec2.CfnSecurityGroupIngress(sgStack, `Api${g}`, { groupId: clusterSg, ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: sg.attrGroupId });
      const lt = new ec2.CfnLaunchTemplate(nodesStack, `Lt${g}`, {
        launchTemplateData: { securityGroupIds: [sg.attrGroupId], metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 } },
      });
      const nodeRole = new CfnResource(nodesStack, `NodeRole${g}`, { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
      new eks.CfnNodegroup(nodesStack, `Nodes${g}`, {
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

/**
 * Median times of several contenders, run in turns: a warm-up round, then `runs` rounds in which
 * each runs once, each run after a full garbage collection. Taking turns makes a change in the
 * machine's load (other processes) weigh on every contender alike, which keeps their ratios stable.
 */
function medians<K extends string>(contenders: Record<K, () => void>, runs = 5): Record<K, number> {
  const names = Object.keys(contenders) as K[];
  for (const name of names) contenders[name]();
  const times = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      // aws-cdk-lib records a performance.measure entry per top-level Stack.resolve() call; left to
      // grow, the buffer (a million entries by 16k resources) slows every pack alike.
      performance.clearMeasures();
      gc?.();
      const start = process.hrtime.bigint();
      contenders[name]();
      times.get(name)!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const out = {} as Record<K, number>;
  for (const name of names) out[name] = times.get(name)!.sort((a, b) => a - b)[Math.floor(runs / 2)];
  return out;
}

/** This repository's example app: EKS clusters, their providers, ECS, RDS; mostly resources the pack does not read. */
function exampleApp(): { app: App; resources: number } {
  const app = newApp();
  for (const [id, StackClass] of Object.entries(EXAMPLE_STACKS)) new StackClass(app, id);
  app.synth();
  return { app, resources: app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length };
}

interface Row {
  name: string;
  resources: number;
  stacks: number;
  pack: number;
  plugin: number;
  model: number;
  aws: number;
  walk: number;
  findings: number;
}
const rows: Row[] = [];
const shapes: Array<{ name: string; build: (target: number) => { app: App; resources: number } }> = [
  { name: 'generated', build: (target) => buildApp(target) },
  { name: 'cross-stack', build: (target) => buildApp(target, true) },
];
function measure(name: string, app: App, resources: number): void {
  // What synthesis gives a validation plugin of the app.
  const context = { templatePaths: app.synth().stacksRecursively.map((s) => s.templateFullPath), appConstruct: app };
  let findings = 0;
  let pluginFindings = 0;
  const t = medians({
    pack: () => { findings = new EksNetworkingChecks().validateScope(app).violations.length; },
    plugin: () => { pluginFindings = new EksNetworkingChecks().validate(context).violations.length; },
    model: () => AppModel.fromStacks(stackInputs(app)),
    aws: () => new AwsSolutionsChecks().validateScope(app),
    walk: () => new NoopWalk().validateScope(app),
  });
  if (pluginFindings !== findings) throw new Error(`${name}: the plugin found ${pluginFindings}, validateScope ${findings}`);
  const stacks = app.node.findAll().filter((c) => Stack.isStack(c)).length;
  rows.push({ name, resources, stacks, ...t, findings });
}
{
  const { app, resources } = exampleApp();
  measure('examples', app, resources);
}
for (const shape of shapes) {
  for (const target of [1000, 4000, 16000]) {
    const { app, resources } = shape.build(target);
    measure(shape.name, app, resources);
  }
}

const f = (n: number) => n.toFixed(0).padStart(8);
const r = (n: number) => n.toFixed(2).padStart(8);
console.log(`node ${process.version}, ${os.cpus().length} cores; times in ms, median of 5 runs taking turns${gc ? ', GC between runs' : ''}`);
console.log('EksNetworking (validateScope): the pack over the whole app, rendered (one app model per validation, then the rules)');
console.log('as plugin: the same pack as synthesis calls it, validate({ templatePaths, appConstruct }), reading the templates just written');
console.log('app model: AppModel.fromStacks(stackInputs(app)) alone; ratios and growth are of EksNetworking (validateScope) unless marked plugin');
console.log('app          resources  stacks  EksNetworking  as plugin  app model  AwsSolutions  no-op walk  pack/AwsSol  plugin/AwsSol  pack/walk  pack growth (plugin growth; resources growth)  findings');
rows.forEach((row, i) => {
  const previous = i > 0 && rows[i - 1].name === row.name ? rows[i - 1] : undefined;
  const growth = previous
    ? `${r(row.pack / previous.pack)} (${(row.plugin / previous.plugin).toFixed(2)}; x${(row.resources / previous.resources).toFixed(1)})`
    : '             -             ';
  console.log(`${row.name.padEnd(11)}  ${String(row.resources).padStart(9)}  ${String(row.stacks).padStart(6)}  ${f(row.pack)}       ${f(row.plugin)}   ${f(row.model)}   ${f(row.aws)}      ${f(row.walk)}    ${r(row.pack / row.aws)}      ${r(row.plugin / row.aws)}   ${r(row.pack / row.walk)}  ${growth.padStart(34)}          ${row.findings}`);
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
  const { constructs, byHand } = medians({ constructs: () => nodeGroupsApp(groups, true), byHand: () => nodeGroupsApp(groups, false) });
  console.log(`${String(groups).padStart(11)}  ${f(constructs)}    ${f(byHand)}          ${r(constructs / byHand)}`);
}

fs.rmSync(OUTDIR, { recursive: true, force: true });
