import * as fs from 'fs';
import * as path from 'path';
import { App, CfnCondition, CfnParameter, CfnResource, Fn, NestedStack, RemovalPolicy, Stack, Stage, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { checkModel } from '../../lib/nag/rules';
import { appInputs, stackInputs } from '../../lib/template/cdk';
import { AppModel, INDEXED_TYPES } from '../../lib/template/model';
import { StackInput } from '../../lib/template/stack-input';
import { clusterFixture, restrictedNodes } from '../util';

/** Every stack of an app with the template synthesis wrote for it (nested stacks included), by construct path. */
function synthesizedTemplates(app: App): Map<string, any> {
  const assembly = app.synth();
  const out = new Map<string, any>();
  for (const c of app.node.findAll()) {
    if (!Stack.isStack(c)) continue;
    const outdir = Stage.of(c)!.outdir;
    out.set(c.node.path, JSON.parse(fs.readFileSync(path.join(outdir, c.templateFile), 'utf8')));
  }
  expect(assembly).toBeDefined();
  return out;
}

/**
 * The model's reading of an app, in plain values: what the rules read (values that cannot be
 * evaluated are numbered per model: they compare by description).
 */
function reading(model: AppModel): unknown {
  const strip = (o: any) => { const { stack, ...rest } = o; return { ...rest, stack: stack.id }; };
  const read = [...model.allResources()].filter((r) => INDEXED_TYPES.has(model.typeOf(r.key) ?? ''));
  const roles = [...model.clusters.values()].flatMap((c) => (c.role ? [c.role] : []));
  const plain = {
    resources: [...model.allResources()].map((r) => [r.key, model.typeOf(r.key)]),
    variants: [...read, ...roles].map((r) => [r.key, model.variantsOf(r).map((v) => ({ ...v, assumed: [...v.assumed] }))]),
    clusters: [...model.clusters.values()]
      .map((c) => ({ ...strip(c), role: c.role?.key, controlPlaneSecurityGroups: [...c.controlPlaneSecurityGroups] })),
    launches: [...model.launches.values()].flat().map((l) => ({ ...strip(l), assumed: [...l.assumed] })),
    nodeGroups: model.nodeGroups.map((g) => ({ ...strip(g), launch: g.launch?.key })),
    nodeSecurityGroups: [...model.nodeSecurityGroups].map(([k, v]) => [k, [...v]]),
    tagged: [...model.taggedSecurityGroups],
    ingress: model.ingress,
    findings: checkModel(model).map((f) => `${f.rule.id} ${f.resource.key}: ${f.message}`),
  };
  return JSON.parse(JSON.stringify(plain).replace(/unknown:\d+/g, 'unknown'));
}

/**
 * Asserts that stackInputs renders every resource the model reads exactly as synthesis wrote it,
 * lists every other one by its type, and that the model reads the rendering as it reads the
 * synthesized templates.
 */
function expectRenderedAsSynthesized(app: App): StackInput[] {
  const synthesized = synthesizedTemplates(app);
  const inputs = stackInputs(app);
  expect(inputs.map((i) => i.id).sort()).toEqual([...synthesized.keys()].sort());
  for (const input of inputs) {
    const template = synthesized.get(input.id);
    const rendered = input.template as any;
    expect(Object.keys(rendered.Resources).sort()).toEqual(Object.keys(template.Resources ?? {}).sort());
    for (const [id, r] of Object.entries(rendered.Resources) as Array<[string, any]>) {
      const written = template.Resources[id];
      // JSON round trip: what synthesis writes (undefined values dropped).
      const asWritten = JSON.parse(JSON.stringify(r));
      if (INDEXED_TYPES.has(written.Type) || Object.keys(r).length > 1) expect(asWritten).toEqual(written);
      else expect(r).toEqual({ Type: written.Type });
    }
    for (const section of ['Parameters', 'Conditions', 'Mappings']) {
      expect(JSON.parse(JSON.stringify(rendered[section]))).toEqual(template[section] ?? {});
    }
  }
  const fromSynthesized = AppModel.fromStacks(inputs.map((i) => ({ ...i, template: synthesized.get(i.id) })));
  const rendering = reading(AppModel.fromStacks(inputs));
  expect(rendering).toEqual(reading(fromSynthesized));
  // As a validation plugin, the pack reads the templates synthesis wrote: the same model.
  const templatePaths = app.synth().stacksRecursively.map((s) => s.templateFullPath);
  const written = appInputs(app, templatePaths);
  expect(written.inputs.map((i) => i.template)).toEqual(inputs.map((i) => synthesized.get(i.id)));
  expect(written.inputs.map(({ template, ...place }) => place)).toEqual(inputs.map(({ template, ...place }) => place));
  expect(reading(AppModel.fromStacks(written.inputs))).toEqual(rendering);
  expect(written.resources).toEqual(appInputs(app).resources);
  return inputs;
}

describe('stackInputs', () => {
  test.each([false, true])('reads overridden, conditional and plain resources exactly as synthesized (path metadata: %s)', (metadata) => {
    const app = new App({ context: { 'aws:cdk:enable-path-metadata': metadata } });
    const stack = new Stack(app, 'S');
    const env = new CfnParameter(stack, 'Env', { allowedValues: ['prod', 'dev'] });
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(env.valueAsString, 'prod') });
    const role = new CfnResource(stack, 'ClusterRole', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    const cluster = new eks.CfnCluster(stack, 'Cluster', {
      roleArn: role.getAtt('Arn').toString(),
      resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true, endpointPublicAccess: false },
    });
    const sg = new ec2.CfnSecurityGroup(stack, 'NodeSg', { groupDescription: 'nodes', vpcId: 'vpc-1' });
    Tags.of(sg).add(`kubernetes.io/cluster/${cluster.ref}`, 'owned');

    // addPropertyOverride: an inline rule only the override declares.
    const overridden = new ec2.CfnSecurityGroup(stack, 'PropertyOverride', { groupDescription: 'x', vpcId: 'vpc-1' });
    overridden.addPropertyOverride('SecurityGroupIngress', [{ IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, CidrIp: '0.0.0.0/0' }]);
    // addOverride on Properties: the override replaces the rendered source.
    const raw = new ec2.CfnSecurityGroupIngress(stack, 'RawOverride', {
      groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 10250, toPort: 10250, sourceSecurityGroupId: cluster.attrClusterSecurityGroupId,
    });
    raw.addOverride('Properties.CidrIp', '0.0.0.0/0');
    raw.addPropertyDeletionOverride('SourceSecurityGroupId');
    // A resource of a condition, and a property under Fn::If.
    const conditional = new ec2.CfnSecurityGroupIngress(stack, 'Conditional', {
      groupId: sg.attrGroupId,
      ipProtocol: 'tcp',
      fromPort: 10255,
      toPort: 10255,
      cidrIp: Fn.conditionIf(isProd.logicalId, '10.0.0.0/8', '0.0.0.0/0').toString(),
    });
    conditional.cfnOptions.condition = isProd;
    // Options that are not properties: metadata, DependsOn, a deletion policy.
    const withOptions = new ec2.CfnSecurityGroupIngress(stack, 'WithOptions', { groupId: sg.attrGroupId, ipProtocol: '-1', sourceSecurityGroupId: sg.attrGroupId });
    withOptions.addMetadata('note', { why: 'test' });
    withOptions.addDependency(overridden);
    withOptions.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const lt = new ec2.CfnLaunchTemplate(stack, 'Lt', {
      launchTemplateData: { securityGroupIds: [sg.attrGroupId], metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 3 } },
    });
    new eks.CfnNodegroup(stack, 'Nodes', {
      clusterName: cluster.ref,
      nodeRole: 'arn:aws:iam::123456789012:role/nodes',
      subnets: ['subnet-1'],
      launchTemplate: { id: lt.ref, version: lt.attrLatestVersionNumber },
    });
    // A resource with no properties at all, and one the model lists by type only.
    new CfnResource(stack, 'Empty', { type: 'AWS::EC2::SecurityGroup' });
    new iam.CfnRole(stack, 'Other', { assumeRolePolicyDocument: {} });

    const inputs = expectRenderedAsSynthesized(app);
    const resources = (inputs[0].template as any).Resources;
    const id = (r: CfnResource) => stack.resolve(r.logicalId);
    expect(resources[id(overridden)].Properties.SecurityGroupIngress).toEqual([{ IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, CidrIp: '0.0.0.0/0' }]);
    expect(resources[id(raw)].Properties.CidrIp).toBe('0.0.0.0/0');
    expect(resources[id(raw)].Properties).not.toHaveProperty('SourceSecurityGroupId');
    expect(resources[id(conditional)].Condition).toBe('IsProd');
    expect(resources[id(withOptions)]).toEqual(expect.objectContaining({ DependsOn: [id(overridden)], DeletionPolicy: 'Retain' }));
    const rules = AppModel.fromStacks(inputs).ingress.map((r) => `${r.declaredBy} ${r.fromPort} ${r.source.value ?? r.source.securityGroup} ${r.when ?? ''}`);
    // The conditional rule exists only when IsProd is true: its one branch is 10.0.0.0/8.
    expect(rules).toEqual([
      `res:S/${id(overridden)} 10250 0.0.0.0/0 `,
      `res:S/${id(raw)} 10250 0.0.0.0/0 `,
      `res:S/${id(conditional)} 10255 10.0.0.0/8 `,
      `res:S/${id(withOptions)} undefined res:S/NodeSg `,
    ]);
  });

  test('reads an aws-eks cluster, its node groups, kubelet rules and manifests exactly as synthesized', () => {
    const f = clusterFixture();
    const nodes = restrictedNodes(f);
    nodes.addNodegroup('Workers', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    f.cluster.addManifest('Policy', {
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name: 'p', namespace: 'default' },
      spec: { podSelector: { matchLabels: { app: 'x' } }, securityGroups: { groupIds: [nodes.securityGroup.securityGroupId] } },
    });
    expectRenderedAsSynthesized(f.app);
  });

  test('reads stacks that import from each other, nested stacks and stages exactly as synthesized', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    for (const scope of [app, stage]) {
      // The cluster role in a stack of its own: the cluster reads its ARN through an import.
      const roles = new Stack(scope, 'Roles');
      const role = new iam.Role(roles, 'ClusterRole', {
        assumedBy: new iam.ServicePrincipal('eks.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController')],
      });
      const clusterStack = new Stack(scope, 'Clusters');
      const cluster = new eks.CfnCluster(clusterStack, 'Cluster', {
        roleArn: role.roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPrivateAccess: true },
      });
      const sgStack = new Stack(scope, 'Sgs');
      const sg = new ec2.CfnSecurityGroup(sgStack, 'NodeSg', { groupDescription: 'nodes', vpcId: 'vpc-1' });
      new ec2.CfnSecurityGroupIngress(sgStack, 'Kubelet', {
        groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 10250, toPort: 10250, sourceSecurityGroupId: cluster.attrClusterSecurityGroupId,
      });
      const nodesStack = new Stack(scope, 'Nodes');
      const nested = new NestedStack(nodesStack, 'Inner');
      const lt = new ec2.CfnLaunchTemplate(nested, 'Lt', { launchTemplateData: { securityGroupIds: [sg.attrGroupId], metadataOptions: { httpTokens: 'required' } } });
      new eks.CfnNodegroup(nested, 'Nodes', {
        clusterName: cluster.ref,
        nodeRole: 'arn:aws:iam::123456789012:role/nodes',
        subnets: ['subnet-1'],
        launchTemplate: { id: lt.ref, version: lt.attrLatestVersionNumber },
      });
    }
    const inputs = expectRenderedAsSynthesized(app);
    const model = AppModel.fromStacks(inputs);
    // The node groups in nested stacks read their cluster and node SG across stacks.
    expect([...model.clusters.values()].map((c) => [c.key, c.role?.key, model.variantsOf(c.role!)[0].properties.ManagedPolicyArns]).sort()).toEqual([
      ['res:Clusters/Cluster', expect.stringMatching(/^res:Roles\/ClusterRole/), [expect.anything()]],
      ['res:Prod/Clusters/Cluster', expect.stringMatching(/^res:Prod\/Roles\/ClusterRole/), [expect.anything()]],
    ]);
    expect(model.nodeGroups.map((g) => [g.cluster, g.securityGroups]).sort()).toEqual([
      ['res:Clusters/Cluster', ['res:Sgs/NodeSg']],
      ['res:Prod/Clusters/Cluster', ['res:Prod/Sgs/NodeSg']],
    ]);
  });

  test('reads load balancers, listeners, listener rules, target groups and TargetGroupBindings exactly as synthesized, across stacks', () => {
    const f = clusterFixture();
    restrictedNodes(f);
    // The load balancer in a stack of its own, with its own VPC: the binding imports the target group's ARN.
    const lbStack = new Stack(f.app, 'Lb');
    const vpc = new ec2.Vpc(lbStack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(lbStack, 'Alb', { vpc });
    const api = new elbv2.ApplicationTargetGroup(lbStack, 'Api', { vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
    const admin = new elbv2.ApplicationTargetGroup(lbStack, 'Admin', { vpc, port: 8081, protocol: elbv2.ApplicationProtocol.HTTP });
    const listener = alb.addListener('Http', { port: 80, defaultTargetGroups: [api] });
    listener.addTargetGroups('Admin', { targetGroups: [admin], priority: 1, conditions: [elbv2.ListenerCondition.pathPatterns(['/admin'])] });
    f.cluster.addManifest('Binding', {
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { serviceRef: { name: 'api', port: 80 }, targetGroupARN: api.targetGroupArn, targetType: 'ip' },
    });
    const model = AppModel.fromStacks(expectRenderedAsSynthesized(f.app));
    const id = (c: IConstruct) => lbStack.resolve((c.node.defaultChild as CfnResource).logicalId);
    const lbSg = `res:Lb/${lbStack.resolve((alb.connections.securityGroups[0].node.defaultChild as CfnResource).logicalId)}`;
    const forwarders = (tg: IConstruct) => model.targetGroups.get(`res:Lb/${id(tg)}`)!.forwarders.map((fw) => [fw.by.logicalId, fw.loadBalancer?.logicalId, fw.loadBalancer?.securityGroups]);
    expect(forwarders(api)).toEqual([[id(listener), id(alb), [lbSg]]]);
    expect(forwarders(admin)).toEqual([[expect.stringMatching(/^AlbHttpAdminRule/), id(alb), [lbSg]]]);
    expect(model.targetGroups.get(`res:Lb/${id(admin)}`)!.targetType).toBe('instance');
    expect(model.targetGroupBindings.map((b) => b.cluster)).toEqual([[...model.clusters.keys()][0]]);
  });

  test('reads resources whose template order or type differs from the construct tree exactly as synthesized', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const sg = new ec2.CfnSecurityGroup(stack, 'NodeSg', { groupDescription: 'nodes', vpcId: 'vpc-1' });
    // A logical id JavaScript orders first, a type changed by an override, a policy that is not written.
    new ec2.CfnSecurityGroupIngress(stack, 'Numbered', { groupId: sg.attrGroupId, ipProtocol: '-1', cidrIp: '0.0.0.0/0' }).overrideLogicalId('10');
    new CfnResource(stack, 'Retyped', { type: 'AWS::SNS::Topic', properties: { GroupId: sg.ref, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, CidrIp: '0.0.0.0/0' } })
      .addOverride('Type', 'AWS::EC2::SecurityGroupIngress');
    new iam.Policy(stack, 'Unattached', { statements: [] });
    new ec2.CfnSecurityGroupIngress(stack, 'Last', { groupId: sg.attrGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/8' });
    expectRenderedAsSynthesized(app);
  });

  test('appInputs gives the stack and logical id of every resource', () => {
    const f = clusterFixture();
    restrictedNodes(f);
    f.app.synth();
    const { resources } = appInputs(f.app);
    const all = f.app.node.findAll().filter((c: IConstruct): c is CfnResource => CfnResource.isCfnResource(c));
    expect(all.length).toBeGreaterThan(10);
    for (const r of all) {
      expect(resources.get(r)).toEqual({ stackId: Stack.of(r).node.path, logicalId: Stack.of(r).resolve(r.logicalId) });
    }
  });
});
