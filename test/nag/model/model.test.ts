import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EmbeddedJson } from '../../../lib/nag/model/manifests';
import { stackTemplate } from '../../../lib/nag/model/stack-template';
import { INDEXED_TYPES, TemplateModel } from '../../../lib/nag/model/template-model';
import { RULES } from '../../../lib/nag/rules';
import { compliantTemplate } from '../util';

describe('the template model', () => {
  test('compares security group references by what they point to', () => {
    const model = TemplateModel.fromTemplate({
      Parameters: { Sg: { Type: 'AWS::EC2::SecurityGroup::Id' } },
      Resources: { S: { Type: 'AWS::EC2::SecurityGroup', Properties: {} }, C: { Type: 'AWS::EKS::Cluster', Properties: {} } },
    });
    const refs = model.refs;
    expect(refs.securityGroup({ Ref: 'S' })).toBe(refs.securityGroup({ 'Fn::GetAtt': ['S', 'GroupId'] }));
    expect(refs.securityGroup({ 'Fn::GetAtt': 'S.GroupId' })).toBe('res:S');
    expect(refs.securityGroup({ 'Fn::GetAtt': ['C', 'ClusterSecurityGroupId'] })).toBe('clustersg:C');
    expect(refs.securityGroup('sg-123')).toBe('lit:sg-123');
    expect(refs.securityGroup({ Ref: 'Sg' })).toBe('param:Sg');
    expect(refs.securityGroup({ 'Fn::ImportValue': 'shared' })).toBe('import:shared');
    expect(refs.securityGroup({ 'Fn::Select': [0, ['sg-1']] })).toBeUndefined();
    expect(refs.securityGroup({ Ref: 'AWS::StackName' })).toBeUndefined();
  });

  test('parses a manifest written as Fn::Join and keeps each reference', () => {
    const json = EmbeddedJson.parse({ 'Fn::Join': ['', ['[{"a":"x,', { Ref: 'Sg' }, '","b":"', { 'Fn::Join': ['', ['y', { Ref: 'Other' }]] }, '"}]']] })!;
    const [object] = json.document as any[];
    expect(json.parts(object.a)).toEqual(['x,', { reference: { Ref: 'Sg' } }]);
    expect(json.list(object.a)).toEqual(['x', { reference: { Ref: 'Sg' } }]);
    expect(json.parts(object.b)).toEqual(['y', { reference: { Ref: 'Other' } }]);
    expect(json.literal(object.a)).toBeUndefined();
  });

  test('a manifest whose reference sits outside a JSON string is skipped, not a crash', () => {
    expect(EmbeddedJson.parse({ 'Fn::Join': ['', ['[{"a":', { Ref: 'N' }, '}]']] })).toBeUndefined();
    expect(EmbeddedJson.parse(42)).toBeUndefined();
  });

  test('indexes clusters, node groups and node security groups once', () => {
    const model = TemplateModel.fromTemplate(compliantTemplate());
    expect([...model.clusters.keys()]).toEqual(['Cluster']);
    expect(model.nodeGroups).toEqual([expect.objectContaining({ logicalId: 'Nodes', cluster: 'Cluster', dedicated: true, securityGroups: ['res:NodeSg'] })]);
    expect([...model.nodeSecurityGroups.keys()].sort()).toEqual(['clustersg:Cluster', 'res:NodeSg']);
    expect(model.ingressByTarget.get('res:NodeSg')!.map((r) => r.declaredBy).sort()).toEqual(['KubeletFromCluster', 'NodeSelf']);
  });

  test('an empty or odd template gives an empty model', () => {
    expect(TemplateModel.fromTemplate(null).nodeGroups).toEqual([]);
    expect(TemplateModel.fromTemplate({ Resources: { X: 'not an object', Y: { Type: 'AWS::EKS::Nodegroup' } } }).nodeGroups)
      .toEqual([expect.objectContaining({ logicalId: 'Y', cluster: undefined })]);
  });

  test('stackTemplate renders the resources the model reads exactly as synthesis writes them, and no others', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(443));
    (sg.node.defaultChild as ec2.CfnSecurityGroup).addPropertyOverride('GroupDescription', 'overridden');
    new CfnParameter(stack, 'Cidr');
    const role = new iam.Role(stack, 'ClusterRole', { assumedBy: new iam.ServicePrincipal('eks.amazonaws.com') });
    new iam.Role(stack, 'OtherRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new eks.CfnCluster(stack, 'Cluster', { roleArn: role.roleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } });
    const synthesized = app.synth().getStackByName('S').template;
    const rendered = stackTemplate(stack) as any;
    const indexed = Object.entries(synthesized.Resources).filter(([, r]: [string, any]) =>
      INDEXED_TYPES.has(r.Type) || r === synthesized.Resources[stack.getLogicalId(role.node.defaultChild as iam.CfnRole)]);
    expect(rendered.Resources).toEqual(Object.fromEntries(indexed));
    expect(rendered.Resources[stack.getLogicalId(sg.node.defaultChild as ec2.CfnSecurityGroup)].Properties.GroupDescription).toBe('overridden');
    expect(Object.values(rendered.Resources).map((r: any) => r.Type).sort()).toEqual(['AWS::EC2::SecurityGroup', 'AWS::EKS::Cluster', 'AWS::IAM::Role']);
    expect(rendered.Parameters).toEqual(expect.objectContaining({ Cidr: { Type: 'String' } }));
  });

  test('every rule is dispatched on types the model indexes', () => {
    expect(RULES.flatMap((r) => r.resourceTypes).filter((t) => !INDEXED_TYPES.has(t))).toEqual([]);
  });
});
