import { holdsIn, Worlds } from '../../lib/template/branches';
import { AppModel } from '../../lib/template/model';

const SG = 'res:template/Sg';

function model(resources: object, extra: object = {}): AppModel {
  return AppModel.fromTemplate({ Resources: resources, ...extra });
}

const sg = (properties: object = {}) => ({ Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'sg', VpcId: { Ref: 'Vpc' }, ...properties } });

describe('the model reads egress', () => {
  test('a group without egress rules has the implicit all-traffic rule to 0.0.0.0/0; an empty list too', () => {
    for (const properties of [{}, { SecurityGroupEgress: [] }]) {
      expect(model({ Sg: sg(properties) }).egressByGroup.get(SG)).toEqual([expect.objectContaining({
        implicit: true, protocol: 'all', destination: expect.objectContaining({ kind: 'ipv4', value: '0.0.0.0/0' }),
      })]);
    }
  });

  test('inline and standalone rules are normalised with their destination; a standalone rule is not implicit', () => {
    const rules = model({
      Sg: sg({ SecurityGroupEgress: [{ IpProtocol: 6, FromPort: 443, ToPort: 443, DestinationPrefixListId: 'pl-1' }] }),
      Other: sg(),
      ToOther: {
        Type: 'AWS::EC2::SecurityGroupEgress',
        Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, IpProtocol: '-1', DestinationSecurityGroupId: { Ref: 'Other' } },
      },
    }).egressByGroup.get(SG)!;
    const read = rules.map((r) => [r.declaredBy, r.protocol, r.fromPort, r.destination.kind,
      r.destination.value ?? r.destination.securityGroup, r.implicit]);
    expect(read).toEqual([
      ['res:template/Sg', 'tcp', 443, 'prefixList', 'pl-1', false],
      ['res:template/ToOther', 'all', undefined, 'securityGroup', 'res:template/Other', false],
    ]);
  });

  test('egress given by a parameter is unknown, never absent', () => {
    const rules = model({ Sg: sg({ SecurityGroupEgress: { Ref: 'Rules' } }) }, { Parameters: { Rules: { Type: 'String' } } }).egressByGroup.get(SG)!;
    expect(rules).toEqual([expect.objectContaining({ protocol: 'unknown', destination: { kind: 'unknown' }, implicit: false })]);
  });

  test('the egress of a group that is not a security group of the app is not known', () => {
    const m = model({ ToLiteral: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: 'sg-123', IpProtocol: '-1', CidrIp: '0.0.0.0/0' } } });
    expect(m.egressByGroup.get('lit:sg-123')).toBeUndefined();
  });
});

describe('the model reads VPC endpoints and VPCs', () => {
  const m = model({
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/20' } },
    Sg: sg(),
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: { RoleArn: 'arn', ResourcesVpcConfig: { SubnetIds: [{ Ref: 'Subnet' }] } } },
    EcrApi: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcId: { Ref: 'Vpc' }, ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.ecr.api' }, VpcEndpointType: 'Interface', SecurityGroupIds: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] },
    },
    S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: 'vpc-1', ServiceName: 'com.amazonaws.eu-west-1.s3' } },
  });

  test('type (Gateway when absent), VPC and security groups (the VPC default group, unknown, when absent)', () => {
    expect(m.vpcEndpoints.map((e) => [e.logicalId, e.type, e.vpc, e.securityGroups])).toEqual([
      ['EcrApi', 'Interface', 'res:template/Vpc', [SG]],
      ['S3', 'Gateway', 'lit:vpc-1', [undefined]],
    ]);
    expect(m.vpcEndpointsBySecurityGroup.get(SG)!.map((e) => e.logicalId)).toEqual(['EcrApi']);
  });

  test('the VPC of a security group, of a cluster (its subnets\'), and the keys of a VPC\'s CIDR', () => {
    expect(m.vpcOfSecurityGroup(SG)).toBe('res:template/Vpc');
    expect(m.vpcOfCluster('res:template/Cluster')).toBe('res:template/Vpc');
    expect([...m.vpcCidrKeys('res:template/Vpc')].sort()).toEqual(['att:template/Vpc.CidrBlock', 'lit:10.0.0.0/16']);
  });

  test('two references may be the same unless both are known and differ', () => {
    expect(m.mayBeSame('res:template/Vpc', 'lit:vpc-1')).toBe(false);
    expect(m.mayBeSame('lit:vpc-1', 'lit:vpc-2')).toBe(false);
    expect(m.mayBeSame('param:template/VpcId', 'lit:vpc-1')).toBe(true);
    expect(m.mayBeSame(undefined, 'lit:vpc-1')).toBe(true);
  });
});

describe('worlds: branches of several resources read together', () => {
  const conditions = {
    Parameters: { Mode: { Type: 'String' }, Env: { Type: 'String', AllowedValues: ['dev', 'prod'] } },
    Conditions: {
      A: { 'Fn::Equals': [{ Ref: 'Mode' }, 'a'] },
      NotA: { 'Fn::Not': [{ Condition: 'A' }] },
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    },
  };
  const m = model({
    WhenA: { ...sg(), Condition: 'A' },
    WhenNotA: { ...sg(), Condition: 'NotA' },
    WhenProd: { ...sg(), Condition: 'IsProd' },
  }, conditions);
  const branch = (id: string) => m.egressByGroup.get(`res:template/${id}`)![0].branch;

  test('combinations the conditions rule out are left out', () => {
    const worlds = Worlds.of(m.app, [branch('WhenA'), branch('WhenNotA')])!;
    expect(worlds.all).toHaveLength(2);
    expect(worlds.all.every((w) => holdsIn(branch('WhenA'), w) !== holdsIn(branch('WhenNotA'), w))).toBe(true);
  });

  test('some worlds in words: none for all of them, the clauses that tell them apart otherwise', () => {
    const worlds = Worlds.of(m.app, [branch('WhenA'), branch('WhenProd')])!;
    expect(worlds.describe(worlds.all)).toBeUndefined();
    expect(worlds.describe(worlds.all.filter((w) => !holdsIn(branch('WhenA'), w)))).toBe('when A is false');
    expect(worlds.describe(worlds.all.filter((w) => holdsIn(branch('WhenProd'), w) && holdsIn(branch('WhenA'), w)))).toBe('when A is true and Env is \'prod\'');
  });
});
