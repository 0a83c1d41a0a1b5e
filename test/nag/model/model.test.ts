import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RULES } from '../../../lib/nag/rules';
import { stackInputs } from '../../../lib/template/cdk';
import { EmbeddedJson } from '../../../lib/template/manifests';
import { AppModel, INDEXED_TYPES } from '../../../lib/template/model';
import { compliantTemplate, manifest } from '../util';

describe('the template model', () => {
  test('compares security group references by what they point to', () => {
    const model = AppModel.fromTemplate({
      Parameters: { Sg: { Type: 'AWS::EC2::SecurityGroup::Id' } },
      Resources: { S: { Type: 'AWS::EC2::SecurityGroup', Properties: {} }, C: { Type: 'AWS::EKS::Cluster', Properties: {} } },
    }, 't');
    const stack = model.app.stack('t')!;
    const key = (v: unknown) => model.securityGroupKey(stack.evaluate(v));
    expect(key({ Ref: 'S' })).toBe(key({ 'Fn::GetAtt': ['S', 'GroupId'] }));
    expect(key({ 'Fn::GetAtt': 'S.GroupId' })).toBe('res:t/S');
    expect(key({ 'Fn::Sub': '${S}' })).toBe('res:t/S');
    expect(key({ 'Fn::GetAtt': ['C', 'ClusterSecurityGroupId'] })).toBe('att:t/C.ClusterSecurityGroupId');
    expect(model.isClusterSecurityGroup('att:t/C.ClusterSecurityGroupId')).toBe(true);
    expect(key('sg-123')).toBe('lit:sg-123');
    expect(key({ 'Fn::Select': [0, ['sg-1']] })).toBe('lit:sg-1');
    expect(key({ Ref: 'Sg' })).toBe('param:t/Sg');
    expect(key({ 'Fn::Sub': '${Sg}' })).toBe('param:t/Sg');
    expect(key({ 'Fn::ImportValue': 'shared' })).toBe('import:lit:shared');
    expect(key({ 'Fn::Select': [0, { Ref: 'Sg' }] })).toBeUndefined();
  });

  test('parses a manifest written as a join and keeps each reference', () => {
    const model = AppModel.fromTemplate({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup' }, Other: { Type: 'AWS::EC2::SecurityGroup' } } }, 't');
    const value = model.app.stack('t')!.evaluate({ 'Fn::Join': ['', ['[{"a":"x,', { Ref: 'Sg' }, '","b":"', { 'Fn::Join': ['', ['y', { Ref: 'Other' }]] }, '"}]']] });
    const json = EmbeddedJson.parse(value)!;
    const [object] = json.document as any[];
    const ref = (id: string) => expect.objectContaining({ key: `res:t/${id}` });
    expect(json.parts(object.a)).toEqual(['x,', { reference: ref('Sg') }]);
    expect(json.list(object.a)).toEqual(['x', { reference: ref('Sg') }]);
    expect(json.parts(object.b)).toEqual(['y', { reference: ref('Other') }]);
    expect(json.literal(object.a)).toBeUndefined();
  });

  test('a manifest whose reference sits outside a JSON string is skipped, not a crash', () => {
    const model = AppModel.fromTemplate({ Resources: { N: { Type: 'AWS::EC2::SecurityGroup' } } }, 't');
    expect(EmbeddedJson.parse(model.app.stack('t')!.evaluate({ 'Fn::Join': ['', ['[{"a":', { Ref: 'N' }, '}]']] }))).toBeUndefined();
    expect(EmbeddedJson.parse(42)).toBeUndefined();
  });

  test('indexes clusters, node groups and node security groups once', () => {
    const model = AppModel.fromTemplate(compliantTemplate(), 't');
    expect([...model.clusters.keys()]).toEqual(['res:t/Cluster']);
    expect(model.nodeGroups).toEqual([expect.objectContaining({ logicalId: 'Nodes', cluster: 'res:t/Cluster', dedicated: true, securityGroups: ['res:t/NodeSg'] })]);
    expect([...model.nodeSecurityGroups.keys()].sort()).toEqual(['att:t/Cluster.ClusterSecurityGroupId', 'res:t/NodeSg']);
    expect(model.ingressByTarget.get('res:t/NodeSg')!.map((r) => r.declaredBy).sort()).toEqual(['res:t/KubeletFromCluster', 'res:t/NodeSelf']);
  });

  test('indexes the nodes of an EKS Auto Mode NodeClass: groups selected by id are node SGs of its cluster, other terms are unknown', () => {
    const template = compliantTemplate();
    template.Resources.Cluster.Properties.ComputeConfig = { Enabled: true, NodePools: [] };
    template.Resources.Auto = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'auto', VpcId: 'vpc-1' } };
    const nodeClass = (name: string, terms: object[]) => ({ apiVersion: 'eks.amazonaws.com/v1', kind: 'NodeClass', metadata: { name }, spec: { securityGroupSelectorTerms: terms } });
    const document = JSON.stringify([
      nodeClass('dedicated', [{ id: '<AutoId>' }, { id: 'sg-0123456789abcdef0' }]),
      nodeClass('shared', [{ id: '<ClusterSg>' }]),
      nodeClass('tagged', [{ id: '<AutoRef>' }, { tags: { team: 'a' } }, { name: 'x' }]),
      nodeClass('none', []),
    ]);
    // As CDK writes it: an Fn::Join of the manifest's text around references.
    const references: { [placeholder: string]: object } = {
      '<AutoId>': { 'Fn::GetAtt': ['Auto', 'GroupId'] }, '<ClusterSg>': { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] }, '<AutoRef>': { Ref: 'Auto' },
    };
    template.Resources.Classes = manifest({ 'Fn::Join': ['', document.split(/(<\w+>)/).map((part) => references[part] ?? part)] });
    const model = AppModel.fromTemplate(template, 't');
    const classes = model.nodeGroupsById.get('res:t/Classes')!;
    expect(classes.map((g) => ({ kind: g.kind, name: g.nodeClass, cluster: g.cluster, sgs: g.securityGroups, dedicated: g.dedicated }))).toEqual([
      { kind: 'NodeClass', name: 'dedicated', cluster: 'res:t/Cluster', sgs: ['res:t/Auto', 'lit:sg-0123456789abcdef0'], dedicated: true },
      { kind: 'NodeClass', name: 'shared', cluster: 'res:t/Cluster', sgs: ['att:t/Cluster.ClusterSecurityGroupId'], dedicated: false },
      { kind: 'NodeClass', name: 'tagged', cluster: 'res:t/Cluster', sgs: ['res:t/Auto', undefined, undefined], dedicated: false },
      { kind: 'NodeClass', name: 'none', cluster: 'res:t/Cluster', sgs: [undefined], dedicated: false },
    ]);
    expect(model.nodeGroupsOf('res:t/Cluster').map((g) => g.nodeClass ?? g.logicalId)).toEqual(['Nodes', 'dedicated', 'shared', 'tagged', 'none']);
    expect([...model.clustersOfNodeSecurityGroup('res:t/Auto')]).toEqual(['res:t/Cluster']);
    expect([...model.clustersOfNodeSecurityGroup('lit:sg-0123456789abcdef0')]).toEqual(['res:t/Cluster']);
    expect(model.clusters.get('res:t/Cluster')!.variants).toEqual([expect.objectContaining({ autoMode: true, nodePools: [] })]);
  });

  test('an empty or odd template gives an empty model', () => {
    expect(AppModel.fromTemplate(null).nodeGroups).toEqual([]);
    expect(AppModel.fromTemplate({ Resources: { X: 'not an object', Y: { Type: 'AWS::EKS::Nodegroup' } } }).nodeGroups)
      .toEqual([expect.objectContaining({ logicalId: 'Y', cluster: undefined })]);
  });

  test('stackInputs renders the resources the model reads exactly as synthesis writes them, and lists the others by type', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(443));
    (sg.node.defaultChild as ec2.CfnSecurityGroup).addPropertyOverride('GroupDescription', 'overridden');
    new CfnParameter(stack, 'Cidr', { allowedValues: ['10.0.0.0/8', '0.0.0.0/0'] });
    const role = new iam.Role(stack, 'ClusterRole', { assumedBy: new iam.ServicePrincipal('eks.amazonaws.com') });
    new iam.Role(stack, 'OtherRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new eks.CfnCluster(stack, 'Cluster', { roleArn: role.roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } });
    const synthesized = app.synth().getStackByName('S').template;
    const [input] = stackInputs(app);
    const rendered = input.template as any;
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    for (const [id, r] of Object.entries(synthesized.Resources) as Array<[string, any]>) {
      expect(rendered.Resources[id]).toEqual(INDEXED_TYPES.has(r.Type) || id === roleId ? r : { Type: r.Type });
    }
    expect(Object.keys(rendered.Resources).sort()).toEqual(Object.keys(synthesized.Resources).sort());
    expect(rendered.Resources[stack.getLogicalId(sg.node.defaultChild as ec2.CfnSecurityGroup)].Properties.GroupDescription).toBe('overridden');
    expect(rendered.Parameters.Cidr).toEqual(synthesized.Parameters.Cidr);
    expect(input).toEqual(expect.objectContaining({ id: 'S', stackName: 'S', location: 'S', parent: undefined }));
  });

  test('reads pod templates and ServiceAccounts of manifests, subnets and their routes, Windows images and cluster tags of security groups', () => {
    const template = compliantTemplate();
    template.Parameters = { WinImage: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base' } };
    template.Resources.Apps = manifest([
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'payments' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'report' } }, spec: { serviceAccountName: 'reporter' } } } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', labels: { app: 'debug' } }, spec: { containers: [] } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reporter', namespace: 'payments', labels: { team: 'payments' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} },
    ]);
    template.Resources.Igw = { Type: 'AWS::EC2::InternetGateway' };
    template.Resources.Public = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' } };
    template.Resources.Private = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.1.0/24', MapPublicIpOnLaunch: false } };
    template.Resources.Rt = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: 'vpc-1' } };
    template.Resources.Assoc = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Public' }, RouteTableId: { Ref: 'Rt' } } };
    template.Resources.Default = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Rt' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } };
    template.Resources.Nodes.Properties.Subnets = [{ Ref: 'Public' }, { Ref: 'Private' }, 'subnet-1'];
    template.Resources.WinConfig = { Type: 'AWS::AutoScaling::LaunchConfiguration', Properties: { ImageId: { Ref: 'WinImage' }, InstanceType: 'm6i.large', MetadataOptions: { HttpTokens: 'required' } } };
    template.Resources.WinAsg = {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: { LaunchConfigurationName: { Ref: 'WinConfig' }, MinSize: '1', MaxSize: '1', Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned', PropagateAtLaunch: true }], VPCZoneIdentifier: [{ Ref: 'Private' }] },
    };
    const model = AppModel.fromTemplate(template, 't');

    const pods = model.podTemplatesByResource.get('res:t/Apps')!;
    expect(pods.map((p) => [p.kind, p.namespace, [...p.labels!], p.serviceAccountName])).toEqual([
      ['CronJob', 'payments', [['app', 'report']], 'reporter'],
      ['Pod', 'default', [['app', 'debug']], 'default'],
    ]);
    expect(model.serviceAccounts.get('payments/reporter')).toHaveLength(1);

    expect(model.nodeGroupsById.get('res:t/Nodes')![0].subnets).toEqual(['res:t/Public', 'res:t/Private', undefined]);
    const publicity = model.subnetPublicity('res:t/Public')!;
    expect(publicity.mapPublicIpOnLaunch).toEqual([]);
    expect(publicity.internetRoutes).toEqual([expect.objectContaining({ destination: '0.0.0.0/0', gateway: 'Igw' })]);
    expect(model.subnetPublicity('res:t/Private')).toBeUndefined();
    expect(model.subnetPublicity('lit:subnet-1')).toBeUndefined();

    expect(model.nodeGroupsById.get('res:t/WinAsg')![0]).toEqual(expect.objectContaining({
      windows: 'image /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base',
      subnets: ['res:t/Private'],
    }));
    expect(model.nodeGroupsById.get('res:t/Nodes')![0].windows).toBeUndefined();

    expect(model.securityGroupTaggedFor('res:t/NodeSg', 'res:t/Cluster')).toBe(true);
    expect(model.securityGroupTaggedFor('att:t/Cluster.ClusterSecurityGroupId', 'res:t/Cluster')).toBe(true);
    expect(model.securityGroupTaggedFor('lit:sg-1', 'res:t/Cluster')).toBeUndefined();
  });

  test('every rule is dispatched on types the model indexes', () => {
    expect(RULES.flatMap((r) => r.resourceTypes).filter((t) => !INDEXED_TYPES.has(t))).toEqual([]);
  });
});
