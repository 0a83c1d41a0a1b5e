import * as fc from 'fast-check';
import { checkModel, Finding } from '../../lib/nag/rules';
import { AppModel } from '../../lib/template/model';
import { StackInput } from '../../lib/template/stack-input';
import { keyOf } from '../../lib/template/values';

/*
 * Property-based tests of the model of an app's templates (lib/template) as the rules read it:
 * over generated EKS templates, rewriting a template in a way CloudFormation deploys identically
 * (an Fn::If whose branches are the same, an Fn::Sub of a literal, a parameter read as its allowed
 * values, resources moved into another stack behind exports and imports) changes no finding.
 */

const SEED = 20261202;

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;
type Path = Array<string | number>;

// ---------------------------------------------------------------------------------------------
// A generator of realistic EKS templates.
// ---------------------------------------------------------------------------------------------

const CLUSTER_SG = { 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] };

/** A reference to a security group of the template, by `Ref` or by `Fn::GetAtt [X, GroupId]`. */
const sgRef = (names: string[]) => fc.tuple(fc.constantFrom(...names), fc.boolean())
  .map(([name, byRef]) => (byRef ? { Ref: name } : { 'Fn::GetAtt': [name, 'GroupId'] }));

/** A security group: a node SG, the extra SG, the cluster SG, or the load balancer SG. */
const groupArb: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: sgRef(['NodeSg', 'ExtraSg']), weight: 4 },
  { arbitrary: fc.constant(CLUSTER_SG), weight: 2 },
  { arbitrary: sgRef(['LbSg']), weight: 1 },
);

const sourceArb: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '192.168.0.0/16').map((c) => ({ CidrIp: c })), weight: 4 },
  { arbitrary: fc.constantFrom('::/0', 'fd00::/8').map((c) => ({ CidrIpv6: c })), weight: 1 },
  { arbitrary: fc.constant({ SourcePrefixListId: 'pl-0123456789abcdef0' }), weight: 1 },
  { arbitrary: groupArb.map((g) => ({ SourceSecurityGroupId: g })), weight: 4 },
  { arbitrary: fc.constant({ SourceSecurityGroupId: 'sg-0123456789abcdef0' }), weight: 1 },
);

const PORTS: ReadonlyArray<readonly [number | string, number | string]> = [
  [22, 22], [443, 443], [10250, 10250], [10255, 10255], [30000, 32767], [0, 65535], [10250, 10255], ['10250', '10250'], [8080, 8080], [31000, 31000],
];

/** An ingress rule's properties (without GroupId). */
const ruleArb: fc.Arbitrary<Json> = fc.record({
  protocol: fc.constantFrom<string | number>('tcp', 'tcp', 'tcp', '6', 6, '-1', 'udp'),
  ports: fc.constantFrom(...PORTS),
  source: sourceArb,
  description: fc.option(fc.constantFrom('ssh', 'kubelet', 'api', 'node ports'), { nil: undefined }),
}).map(({ protocol, ports, source, description }) => ({
  IpProtocol: protocol,
  ...(protocol === '-1' ? { FromPort: -1, ToPort: -1 } : { FromPort: ports[0], ToPort: ports[1] }),
  ...source,
  ...(description !== undefined ? { Description: description } : {}),
}));

/** How a security group is tagged for the cluster: not at all, literally, or with Fn::Sub / Fn::Join of the cluster's Ref. */
const clusterTagArb = fc.constantFrom<Json>(undefined, undefined, 'kubernetes.io/cluster/prod',
  { 'Fn::Sub': 'kubernetes.io/cluster/${Cluster}' }, { 'Fn::Join': ['', ['kubernetes.io/cluster/', { Ref: 'Cluster' }]] });

const securityGroupArb = fc.record({
  tag: clusterTagArb,
  inline: fc.array(ruleArb, { maxLength: 2 }),
}).map(({ tag, inline }) => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: {
    GroupDescription: 'generated',
    VpcId: 'vpc-0a1b2c3d',
    ...(tag !== undefined ? { Tags: [{ Key: tag, Value: 'owned' }] } : {}),
    ...(inline.length > 0 ? { SecurityGroupIngress: inline } : {}),
  },
}));

const launchTemplateArb = fc.record({
  groups: fc.option(fc.uniqueArray(groupArb, { maxLength: 3, selector: (g) => JSON.stringify(g) }), { nil: undefined, freq: 4 }),
  tokens: fc.constantFrom(undefined, 'optional', 'required', 'required'),
  hop: fc.constantFrom<number | string | undefined>(undefined, 1, 2, 2, 3, '3'),
  instanceType: fc.constantFrom(undefined, 'm6i.large', 't3.medium'),
}).map(({ groups, tokens, hop, instanceType }) => {
  const metadata: Json = {};
  if (tokens !== undefined) metadata.HttpTokens = tokens;
  if (hop !== undefined) metadata.HttpPutResponseHopLimit = hop;
  return {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: {
      LaunchTemplateData: {
        ...(groups !== undefined ? { SecurityGroupIds: groups } : {}),
        ...(Object.keys(metadata).length > 0 ? { MetadataOptions: metadata } : {}),
        ...(instanceType !== undefined ? { InstanceType: instanceType } : {}),
      },
    },
  };
});

const clusterArb = fc.record({
  publicAccess: fc.constantFrom<boolean | string | undefined>(undefined, true, false, false, 'true'),
  privateAccess: fc.constantFrom<boolean | undefined>(undefined, true, true, false),
  cidrs: fc.option(fc.subarray(['0.0.0.0/0', '203.0.113.0/24', '::/0', '10.0.0.0/8'], { minLength: 1 }), { nil: undefined }),
  extraSg: fc.boolean(),
}).map(({ publicAccess, privateAccess, cidrs, extraSg }) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    Name: 'prod',
    RoleArn: { 'Fn::GetAtt': ['ClusterRole', 'Arn'] },
    ResourcesVpcConfig: {
      SubnetIds: ['subnet-0a', 'subnet-0b'],
      ...(publicAccess !== undefined ? { EndpointPublicAccess: publicAccess } : {}),
      ...(privateAccess !== undefined ? { EndpointPrivateAccess: privateAccess } : {}),
      ...(cidrs !== undefined ? { PublicAccessCidrs: cidrs } : {}),
      ...(extraSg ? { SecurityGroupIds: [{ Ref: 'ExtraSg' }] } : {}),
    },
  },
}));

const naclEntryArb = fc.record({
  protocol: fc.constantFrom<number | string>(-1, '-1', 6),
  action: fc.constantFrom('allow', 'allow', 'deny'),
  egress: fc.constantFrom<boolean | undefined>(undefined, false, true),
  cidr: fc.constantFrom<Json>({ CidrBlock: '0.0.0.0/0' }, { CidrBlock: '10.0.0.0/16' }, { Ipv6CidrBlock: '::/0' }),
  ruleNumber: fc.constantFrom(100, 200),
}).map(({ protocol, action, egress, cidr, ruleNumber }) => ({
  Type: 'AWS::EC2::NetworkAclEntry',
  Properties: {
    NetworkAclId: 'acl-0a1b2c3d',
    RuleNumber: ruleNumber,
    Protocol: protocol,
    RuleAction: action,
    ...(egress !== undefined ? { Egress: egress } : {}),
    ...cidr,
    ...(protocol === 6 ? { PortRange: { From: 443, To: 443 } } : {}),
  },
}));

const ltSpec = (lt: string, idKey: string) => ({ [idKey]: { Ref: lt }, Version: { 'Fn::GetAtt': [lt, 'LatestVersionNumber'] } });

/** A whole template: cluster, three security groups, standalone ingress rules, launch templates, node groups, ACL entries. */
const templateArb: fc.Arbitrary<Json> = fc.record({
  cluster: clusterArb,
  sgs: fc.tuple(securityGroupArb, securityGroupArb, securityGroupArb),
  nodeSgTag: fc.boolean(),
  ingress: fc.array(fc.tuple(groupArb, ruleArb), { maxLength: 4 }),
  launchTemplates: fc.array(launchTemplateArb, { minLength: 1, maxLength: 2 }),
  managed: fc.array(fc.record({
    byRef: fc.boolean(),
    lt: fc.option(fc.nat(), { nil: undefined, freq: 4 }),
    instanceTypes: fc.constantFrom(undefined, ['m6i.large'], ['t3.large']),
  }), { maxLength: 2 }),
  asg: fc.option(fc.record({ lt: fc.nat(), tag: clusterTagArb }), { nil: undefined }),
  nacl: fc.array(naclEntryArb, { maxLength: 2 }),
}).map(({ cluster, sgs, nodeSgTag, ingress, launchTemplates, managed, asg, nacl }) => {
  const resources: Json = {
    ClusterRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy'],
      },
    },
    Cluster: cluster,
    NodeSg: sgs[0],
    ExtraSg: sgs[1],
    LbSg: sgs[2],
  };
  // The node SG is usually tagged for the cluster, as HardenedNodeSecurityGroup does.
  if (nodeSgTag && resources.NodeSg.Properties.Tags === undefined) resources.NodeSg.Properties.Tags = [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned' }];
  ingress.forEach(([group, rule], i) => {
    resources[`Ingress${i}`] = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: group, ...rule } };
  });
  launchTemplates.forEach((lt, i) => { resources[`Lt${i}`] = lt; });
  managed.forEach((g, i) => {
    resources[`Ng${i}`] = {
      Type: 'AWS::EKS::Nodegroup',
      Properties: {
        ClusterName: g.byRef ? { Ref: 'Cluster' } : 'prod',
        NodeRole: 'arn:aws:iam::111122223333:role/nodes',
        Subnets: ['subnet-0a', 'subnet-0b'],
        ...(g.lt !== undefined ? { LaunchTemplate: ltSpec(`Lt${g.lt % launchTemplates.length}`, 'Id') } : {}),
        ...(g.instanceTypes !== undefined ? { InstanceTypes: g.instanceTypes } : {}),
      },
    };
  });
  if (asg) {
    resources.Asg = {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: '1',
        MaxSize: '3',
        VPCZoneIdentifier: ['subnet-0a', 'subnet-0b'],
        LaunchTemplate: ltSpec(`Lt${asg.lt % launchTemplates.length}`, 'LaunchTemplateId'),
        Tags: [
          { Key: 'Name', Value: 'self-managed', PropagateAtLaunch: true },
          ...(asg.tag !== undefined ? [{ Key: asg.tag, Value: 'owned', PropagateAtLaunch: true }] : []),
        ],
      },
    };
  }
  nacl.forEach((entry, i) => { resources[`Acl${i}`] = entry; });
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
});

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function model(template: Json, stackName = 'A'): AppModel {
  return AppModel.fromStacks([{ id: stackName, stackName, location: stackName, template }]);
}

/** Findings as `RULE@stack/logicalId`, sorted. */
function keysOf(findings: Finding[], withStack = true): string[] {
  return findings.map((f) => `${f.rule.id}@${withStack ? `${f.resource.stack.id}/` : ''}${f.resource.logicalId}`).sort();
}

/** Findings as `RULE@stack/logicalId: message`, sorted. */
function messagesOf(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule.id}@${f.resource.stack.id}/${f.resource.logicalId}: ${f.message}`).sort();
}

function intrinsicName(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/**
 * Every path below each resource's Properties where CloudFormation takes any value: keys of
 * objects, list items, the branches of an Fn::If and the items of an Fn::Join list (other
 * intrinsics' arguments must stay as they are: `Ref` takes a name, `Fn::GetAtt` a name and an
 * attribute).
 */
function propertyPaths(template: Json): Path[] {
  const out: Path[] = [];
  const visit = (v: unknown, p: Path, root: boolean): void => {
    if (!root) out.push(p);
    const fn = intrinsicName(v);
    if (fn !== undefined) {
      const args = (v as Json)[fn];
      if (fn === 'Fn::If' && Array.isArray(args)) [1, 2].forEach((i) => visit(args[i], [...p, fn, i], false));
      if (fn === 'Fn::Join' && Array.isArray(args) && Array.isArray(args[1])) args[1].forEach((x: unknown, i: number) => visit(x, [...p, fn, 1, i], false));
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...p, i], false));
    else if (typeof v === 'object' && v !== null) Object.entries(v).forEach(([k, x]) => visit(x, [...p, k], false));
  };
  for (const [id, resource] of Object.entries(template.Resources as Json)) {
    visit((resource as Json).Properties, ['Resources', id, 'Properties'], true);
  }
  return out;
}

function getAt(root: Json, path: Path): Json {
  return path.reduce((v, k) => v[k], root);
}

function setAt(root: Json, path: Path, value: Json): void {
  getAt(root, path.slice(0, -1))[path[path.length - 1]] = value;
}

// ---------------------------------------------------------------------------------------------
// The generator exercises the rules.
// ---------------------------------------------------------------------------------------------

describe('the template generator', () => {
  test('makes each network rule fire on some templates and not on others', () => {
    const samples = fc.sample(templateArb, { seed: SEED, numRuns: 300 });
    const counts = new Map<string, number>();
    for (const t of samples) {
      for (const id of new Set(checkModel(model(t)).map((f) => f.rule.id))) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of ['KUB1', 'KUB2', 'KUB3', 'KUB4', 'API1', 'API2', 'NG1', 'NG2', 'NG3', 'IMDS1', 'IMDS2', 'LB1', 'NACL1']) {
      expect([id, (counts.get(id) ?? 0) > 0 && (counts.get(id) ?? 0) < samples.length]).toEqual([id, true]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 1. Fn::If [c, v, v] is v.
// ---------------------------------------------------------------------------------------------

/** Conditions the template alone does not decide: Env has no AllowedValues. */
const UNDECIDED_CONDITIONS = {
  IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
  IsProdOrStaging: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': [{ Ref: 'Env' }, 'staging'] }] },
  NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
};

function withEnv(template: Json): Json {
  return { ...clone(template), Parameters: { Env: { Type: 'String', Default: 'dev' } }, Conditions: clone(UNDECIDED_CONDITIONS) };
}

const wrapsArb = fc.array(fc.tuple(fc.nat(), fc.constantFrom(...Object.keys(UNDECIDED_CONDITIONS))), { minLength: 1, maxLength: 3 });

function wrapInIf(template: Json, wraps: ReadonlyArray<readonly [number, string]>): Json {
  const out = clone(template);
  for (const [n, condition] of wraps) {
    const paths = propertyPaths(out);
    const path = paths[n % paths.length];
    const v = getAt(out, path);
    setAt(out, path, { 'Fn::If': [condition, clone(v), clone(v)] });
  }
  return out;
}

describe('an Fn::If whose branches are the same value', () => {
  // This property found that an intrinsic wrapping a whole property the model reads only some
  // paths of (LaunchTemplateData, MixedInstancesPolicy, a custom cluster's Config) was read as
  // an empty object; the regression tests below pin it.
  test('changes no finding and no message, wherever it wraps a property value (nested ones and list items included)', () => {
    fc.assert(fc.property(templateArb, wrapsArb, (base, wraps) => {
      const before = withEnv(base);
      const after = wrapInIf(before, wraps);
      expect(messagesOf(checkModel(model(after)))).toEqual(messagesOf(checkModel(model(before))));
    }), { seed: SEED, numRuns: 300 });
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Fn::Sub of a literal is the literal.
// ---------------------------------------------------------------------------------------------

const subOf = (s: string) => ({ 'Fn::Sub': s.replace(/\$\{/g, '${!') });

describe('an Fn::Sub of a literal string', () => {
  test('changes no finding and no message, for any string of the properties', () => {
    fc.assert(fc.property(templateArb, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), (base, picks) => {
      const after = clone(base);
      for (const n of picks) {
        const strings = propertyPaths(after).filter((p) => typeof getAt(after, p) === 'string');
        const path = strings[n % strings.length];
        setAt(after, path, subOf(getAt(after, path)));
      }
      expect(messagesOf(checkModel(model(after)))).toEqual(messagesOf(checkModel(model(base))));
    }), { seed: SEED, numRuns: 300 });
  });

  test('every string is replaced when all are picked, and findings still match', () => {
    fc.assert(fc.property(templateArb, (base) => {
      const after = clone(base);
      const strings = propertyPaths(after).filter((p) => typeof getAt(after, p) === 'string');
      for (const path of strings) setAt(after, path, subOf(getAt(after, path)));
      expect(propertyPaths(after).filter((p) => typeof getAt(after, p) === 'string')).toEqual([]);
      expect(messagesOf(checkModel(model(after)))).toEqual(messagesOf(checkModel(model(base))));
    }), { seed: SEED, numRuns: 100 });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. A parameter with AllowedValues reads as its branches.
// ---------------------------------------------------------------------------------------------

/** The ingress rules of a template: inline ones and standalone ones' properties. */
function ingressRules(t: Json): Json[] {
  const out: Json[] = [];
  for (const r of Object.values(t.Resources as Json) as Json[]) {
    if (r.Type === 'AWS::EC2::SecurityGroup') out.push(...(r.Properties.SecurityGroupIngress ?? []));
    if (r.Type === 'AWS::EC2::SecurityGroupIngress') out.push(r.Properties);
  }
  return out;
}

function ofType(t: Json, type: string): Json[] {
  return (Object.values(t.Resources as Json) as Json[]).filter((r) => r.Type === type);
}

/** A rule to put a parameter in: a fresh standalone one on the node SG when the template has none. */
function someIngress(t: Json, n: number): Json {
  const rules = ingressRules(t);
  if (rules.length > 0) return rules[n % rules.length];
  t.Resources.IngressP = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: 'NodeSg' }, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, CidrIp: '10.0.0.0/8' } };
  return t.Resources.IngressP.Properties;
}

function someNaclEntry(t: Json, n: number): Json {
  const entries = ofType(t, 'AWS::EC2::NetworkAclEntry');
  if (entries.length > 0) return entries[n % entries.length].Properties;
  t.Resources.AclP = { Type: 'AWS::EC2::NetworkAclEntry', Properties: { NetworkAclId: 'acl-0a1b2c3d', RuleNumber: 100, Protocol: -1, RuleAction: 'allow', CidrBlock: '0.0.0.0/0' } };
  return t.Resources.AclP.Properties;
}

function metadataOptions(t: Json, n: number): Json {
  const lts = ofType(t, 'AWS::EC2::LaunchTemplate');
  const data = lts[n % lts.length].Properties.LaunchTemplateData;
  data.MetadataOptions = data.MetadataOptions ?? {};
  return data.MetadataOptions;
}

/** Places a parameter can take, each with the values it allows and how to put the reference there. */
const SLOTS: { readonly [name: string]: { readonly values: string[]; readonly put: (t: Json, n: number, ref: Json) => void } } = {
  HttpTokens: { values: ['optional', 'required'], put: (t, n, ref) => { metadataOptions(t, n).HttpTokens = ref; } },
  HopLimit: { values: ['1', '2', '3', '4'], put: (t, n, ref) => { metadataOptions(t, n).HttpPutResponseHopLimit = ref; } },
  CidrIp: {
    values: ['0.0.0.0/0', '10.0.0.0/8', '192.168.0.0/16'],
    put: (t, n, ref) => {
      const rule = someIngress(t, n);
      for (const k of ['CidrIpv6', 'SourcePrefixListId', 'SourceSecurityGroupId']) delete rule[k];
      rule.CidrIp = ref;
    },
  },
  Port: {
    values: ['22', '443', '10250', '10255', '30000'],
    put: (t, n, ref) => {
      const rule = someIngress(t, n);
      rule.IpProtocol = 'tcp';
      rule.FromPort = ref;
      rule.ToPort = ref;
    },
  },
  IpProtocol: { values: ['tcp', 'udp', '-1'], put: (t, n, ref) => { someIngress(t, n).IpProtocol = ref; } },
  EndpointPublicAccess: { values: ['true', 'false'], put: (t, _n, ref) => { t.Resources.Cluster.Properties.ResourcesVpcConfig.EndpointPublicAccess = ref; } },
  EndpointPrivateAccess: { values: ['true', 'false'], put: (t, _n, ref) => { t.Resources.Cluster.Properties.ResourcesVpcConfig.EndpointPrivateAccess = ref; } },
  PublicAccessCidr: {
    values: ['0.0.0.0/0', '203.0.113.0/24', '::/0'],
    put: (t, _n, ref) => { t.Resources.Cluster.Properties.ResourcesVpcConfig.PublicAccessCidrs = [ref]; },
  },
  AclCidr: {
    values: ['0.0.0.0/0', '10.0.0.0/16'],
    put: (t, n, ref) => {
      const entry = someNaclEntry(t, n);
      delete entry.Ipv6CidrBlock;
      entry.CidrBlock = ref;
    },
  },
  AclAction: { values: ['allow', 'deny'], put: (t, n, ref) => { someNaclEntry(t, n).RuleAction = ref; } },
};

const slotArb = fc.constantFrom(...Object.keys(SLOTS)).chain((slot) => fc.record({
  slot: fc.constant(slot),
  values: fc.shuffledSubarray(SLOTS[slot].values, { minLength: 2 }),
  n: fc.nat(),
  bySub: fc.boolean(),
}));

/** Replaces every `{ Ref: name }` and `{ Fn::Sub: "${name}" }` with the literal. */
function substitute(value: Json, name: string, literal: string): Json {
  if (Array.isArray(value)) return value.map((v) => substitute(v, name, literal));
  if (typeof value !== 'object' || value === null) return value;
  if (value.Ref === name || value['Fn::Sub'] === `\${${name}}`) return literal;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, name, literal)]));
}

describe('a parameter with AllowedValues', () => {
  // This property found that KUB4 and API1 took a path that exists in some branches only as a
  // path in all; the regression tests below pin it ("A rule reports when any branch breaks the
  // boundary").
  test('yields the union of the findings of each allowed value written literally, and says for which values', () => {
    let partial = 0;
    fc.assert(fc.property(templateArb, slotArb, (base, { slot, values, n, bySub }) => {
      const t = clone(base);
      SLOTS[slot].put(t, n, bySub ? { 'Fn::Sub': '${P}' } : { Ref: 'P' });
      t.Parameters = { P: { Type: 'String', AllowedValues: values } };
      const found = checkModel(model(t));

      const byValue = new Map<string, Set<string>>();
      for (const value of values) {
        for (const key of keysOf(checkModel(model(substitute(t, 'P', value))))) byValue.set(key, new Set([...byValue.get(key) ?? [], value]));
      }
      expect(keysOf(found)).toEqual([...byValue.keys()].sort());

      for (const f of found) {
        const offending = byValue.get(keysOf([f])[0]) ?? new Set();
        if (offending.size === values.length) continue;
        // Found for some values only: the message says for which, and only those.
        partial++;
        expect(f.message).toContain('P is \'');
        for (const value of values) {
          expect([value, f.message.includes(`P is '${value}'`)]).toEqual([value, offending.has(value)]);
        }
      }
    }), { seed: SEED, numRuns: 300 });
    // The message check is not vacuous: many samples have findings for some values only.
    expect(partial).toBeGreaterThan(30);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Moving resources into another stack, behind exports and imports.
// ---------------------------------------------------------------------------------------------

/**
 * Rewrites the references a value makes to resources of `remote` (the other stack, named
 * `remoteName`) into imports of exports that `outputs` (the other stack's Outputs) gains.
 */
function importRefs(value: Json, remote: ReadonlySet<string>, remoteName: string, outputs: Json): Json {
  const exported = (id: string, attribute?: string): Json => {
    const suffix = attribute === undefined ? id : `${id}-${attribute}`;
    outputs[`Export${suffix.replace(/[^A-Za-z0-9]/g, '')}`] = {
      Value: attribute === undefined ? { Ref: id } : { 'Fn::GetAtt': [id, attribute] },
      Export: { Name: { 'Fn::Sub': `\${AWS::StackName}-${suffix}` } },
    };
    return { 'Fn::ImportValue': `${remoteName}-${suffix}` };
  };
  if (Array.isArray(value)) return value.map((v) => importRefs(v, remote, remoteName, outputs));
  if (typeof value !== 'object' || value === null) return value;
  const fn = intrinsicName(value);
  if (fn === 'Ref' && remote.has(value.Ref)) return exported(value.Ref);
  if (fn === 'Fn::GetAtt') {
    const [id, attribute] = typeof value[fn] === 'string' ? value[fn].split('.') : value[fn];
    return remote.has(id) ? exported(id, attribute) : value;
  }
  if (fn === 'Fn::Sub') {
    const [text, vars] = typeof value[fn] === 'string' ? [value[fn], {}] : value[fn];
    const newVars: Json = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, importRefs(v, remote, remoteName, outputs)]));
    const newText = (text as string).replace(/\$\{([^}!]*)\}/g, (whole, name: string) => {
      const [id, attribute] = name.split('.');
      if (name in vars || !remote.has(id)) return whole;
      const variable = `Imported${id}${attribute ?? ''}`;
      newVars[variable] = exported(id, attribute);
      return `\${${variable}}`;
    });
    return { 'Fn::Sub': Object.keys(newVars).length > 0 ? [newText, newVars] : newText };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, importRefs(v, remote, remoteName, outputs)]));
}

/** Splits a template into stacks A and B, B holding the `moved` resources. */
function split(template: Json, moved: ReadonlySet<string>): StackInput[] {
  const a: Json = { Resources: {}, Outputs: {} };
  const b: Json = { Resources: {}, Outputs: {} };
  const kept = new Set(Object.keys(template.Resources).filter((id) => !moved.has(id)));
  for (const [id, resource] of Object.entries(template.Resources as Json)) {
    if (moved.has(id)) b.Resources[id] = importRefs(resource, kept, 'A', a.Outputs);
    else a.Resources[id] = importRefs(resource, moved, 'B', b.Outputs);
  }
  return [{ id: 'A', stackName: 'A', location: 'A', template: a }, { id: 'B', stackName: 'B', location: 'B', template: b }];
}

const movedArb = fc.tuple(templateArb, fc.infiniteStream(fc.boolean()).map((s) => [...s.take(20)]))
  .map(([template, bits]) => {
    const ids = Object.keys(template.Resources);
    let moved = ids.filter((_id, i) => bits[i]);
    if (moved.length === 0) moved = [ids[ids.length - 1]];
    if (moved.length === ids.length) moved = moved.slice(1);
    return { template, moved: new Set(moved) };
  });

describe('resources moved into another stack of the app', () => {
  test('change no finding, with exports named by Fn::Sub of AWS::StackName and imports of them', () => {
    fc.assert(fc.property(movedArb, ({ template, moved }) => {
      const stacks = split(template, moved);
      // The split really crosses stacks: every moved resource is in B only.
      const [a, b] = stacks.map((s) => s.template.Resources as Json);
      for (const id of moved) expect([id in a, id in b]).toEqual([false, true]);
      const one = checkModel(model(template));
      const two = checkModel(AppModel.fromStacks(stacks));
      // Messages are not compared: some list resources in the order the app holds them (API1's node groups).
      expect(keysOf(two, false)).toEqual(keysOf(one, false));
    }), { seed: SEED, numRuns: 300 });
  });

  test('the split is not vacuous: imports go both ways, by Ref, Fn::GetAtt and Fn::Sub, and findings cross stacks', () => {
    const samples = fc.sample(movedArb, { seed: SEED, numRuns: 300 });
    let intoA = 0;
    let intoB = 0;
    let viaSub = 0;
    let viaAttribute = 0;
    let crossing = 0;
    for (const { template, moved } of samples) {
      const [a, b] = split(template, moved).map((s) => JSON.stringify(s.template));
      if (a.includes('"Fn::ImportValue":"B-')) intoA++;
      if (b.includes('"Fn::ImportValue":"A-')) intoB++;
      if (/"Imported[A-Za-z0-9]+":\{"Fn::ImportValue"/.test(a + b)) viaSub++;
      if (/"Fn::ImportValue":"[AB]-[A-Za-z0-9]+-[A-Za-z]+"/.test(a + b)) viaAttribute++;
      if (checkModel(model(template)).some((f) => moved.has(f.resource.logicalId))) crossing++;
    }
    expect(Math.min(intoA, intoB, viaSub, viaAttribute, crossing)).toBeGreaterThan(30);
  });
});

// ---------------------------------------------------------------------------------------------
// Exact behaviours the properties rely on.
// ---------------------------------------------------------------------------------------------

/** A node group on a dedicated node SG, with the rules RestrictedKubeletAccess writes, plus `extra` resources. */
function nodesTemplate(extra: Json = {}, top: Json = {}): Json {
  return {
    ...top,
    Resources: {
      Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'prod', ResourcesVpcConfig: { SubnetIds: ['subnet-0a'], EndpointPublicAccess: false, EndpointPrivateAccess: true } } },
      NodeSg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'nodes', Tags: [{ Key: 'kubernetes.io/cluster/prod', Value: 'owned' }] } },
      Kubelet: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: { Ref: 'NodeSg' }, IpProtocol: 'tcp', FromPort: 10250, ToPort: 10250, SourceSecurityGroupId: CLUSTER_SG },
      },
      Api: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: CLUSTER_SG, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { Ref: 'NodeSg' } },
      },
      Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { SecurityGroupIds: [{ Ref: 'NodeSg' }], MetadataOptions: { HttpTokens: 'required' } } } },
      Ng: { Type: 'AWS::EKS::Nodegroup', Properties: { ClusterName: { Ref: 'Cluster' }, LaunchTemplate: { Id: { Ref: 'Lt' } } } },
      ...extra,
    },
  };
}

const openIngress = (cidr: Json) => ({
  Open: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { Ref: 'NodeSg' }, IpProtocol: 'tcp', FromPort: 30000, ToPort: 32767, CidrIp: cidr } },
});

function evaluateIn(template: Json, value: Json, stackName?: string): unknown {
  return AppModel.fromStacks([{ id: 'T', stackName, location: 'T', template }]).app.stacks[0].evaluate(value);
}

describe('exact behaviours the properties rely on', () => {
  test('the node template they start from has no finding', () => {
    expect(messagesOf(checkModel(model(nodesTemplate())))).toEqual([]);
  });

  test('{"Fn::Sub": "${P}"} is {"Ref": "P"}, and ${AWS::StackName} is the stack name when it is known', () => {
    const t = nodesTemplate({}, { Parameters: { P: { Type: 'String' } } });
    expect(keyOf(evaluateIn(t, { 'Fn::Sub': '${P}' }))).toBe(keyOf(evaluateIn(t, { Ref: 'P' })));
    expect(keyOf(evaluateIn(t, { 'Fn::Sub': '${P}' }))).not.toBe(keyOf(evaluateIn(t, { 'Fn::Sub': 'x${P}' })));
    expect(evaluateIn(t, { 'Fn::Sub': '${AWS::StackName}-NodeSg' }, 'Net')).toBe('Net-NodeSg');
    expect(evaluateIn(t, { 'Fn::Sub': 'a${!Literal}b' })).toBe('a${Literal}b');
  });

  test('an ingress CIDR given by {"Fn::Sub": "${P}"} reads exactly as {"Ref": "P"}, in its branches', () => {
    const top = { Parameters: { P: { Type: 'String', AllowedValues: ['10.0.0.0/8', '0.0.0.0/0'] } } };
    const byRef = checkModel(model(nodesTemplate(openIngress({ Ref: 'P' }), top)));
    const bySub = checkModel(model(nodesTemplate(openIngress({ 'Fn::Sub': '${P}' }), top)));
    expect(messagesOf(bySub)).toEqual(messagesOf(byRef));
    expect(messagesOf(byRef)).toEqual([expect.stringMatching(/^LB1@A\/Open: .*0\.0\.0\.0\/0.*\(when P is '0\.0\.0\.0\/0'\)/)]);
  });

  test('Fn::Select, Fn::Split, Fn::Join and Fn::FindInMap evaluate to literals', () => {
    const t = nodesTemplate({}, { Mappings: { Imds: { prod: { Tokens: 'optional' } } } });
    expect(evaluateIn(t, { 'Fn::Select': [1, { 'Fn::Split': [',', '10.0.0.0/8,0.0.0.0/0'] }] })).toBe('0.0.0.0/0');
    expect(evaluateIn(t, { 'Fn::Join': ['', ['0.0.0.0', '/0']] })).toBe('0.0.0.0/0');
    expect(evaluateIn(t, { 'Fn::FindInMap': ['Imds', 'prod', 'Tokens'] })).toBe('optional');
    expect(evaluateIn(t, { 'Fn::Join': ['-', { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('a-b-c');
  });

  test('rules read values built with Fn::Select, Fn::Split, Fn::Join and Fn::FindInMap', () => {
    const selected = checkModel(model(nodesTemplate(openIngress({ 'Fn::Select': [1, { 'Fn::Split': [',', '10.0.0.0/8,0.0.0.0/0'] }] }))));
    const joined = checkModel(model(nodesTemplate(openIngress({ 'Fn::Join': ['', ['0.0.0.0', '/0']] }))));
    expect(messagesOf(selected)).toEqual(messagesOf(joined));
    expect(keysOf(selected)).toEqual(['LB1@A/Open']);
    const t = nodesTemplate({}, { Mappings: { Imds: { prod: { Tokens: 'optional' } } } });
    t.Resources.Lt.Properties.LaunchTemplateData.MetadataOptions.HttpTokens = { 'Fn::FindInMap': ['Imds', 'prod', 'Tokens'] };
    expect(messagesOf(checkModel(model(t)))).toEqual([expect.stringMatching(/^IMDS1@A\/Lt: .*HttpTokens 'optional'; set it/)]);
  });

  test('a condition the template alone decides (Fn::Equals of two literals) is decided: its Fn::If yields no "when"', () => {
    const conditions = {
      Always: { 'Fn::Equals': ['a', 'a'] },
      Never: { 'Fn::Equals': ['a', 'b'] },
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    };
    const withTokens = (tokens: Json) => {
      const t = nodesTemplate({}, { Parameters: { Env: { Type: 'String' } }, Conditions: conditions });
      t.Resources.Lt.Properties.LaunchTemplateData.MetadataOptions.HttpTokens = tokens;
      return messagesOf(checkModel(model(t)));
    };
    const optional = withTokens('optional');
    expect(optional).toEqual([expect.stringMatching(/^IMDS1@A\/Lt: .*HttpTokens 'optional'; set it/)]);
    expect(withTokens({ 'Fn::If': ['Always', 'optional', 'required'] })).toEqual(optional);
    expect(withTokens({ 'Fn::If': ['Never', 'optional', 'required'] })).toEqual([]);
    // An undecided one does say when (the contrast the decided case must not show).
    expect(withTokens({ 'Fn::If': ['IsProd', 'required', 'optional'] })).toEqual([expect.stringContaining("'optional' (when IsProd is false)")]);
  });

  test('an Fn::ImportValue of an export whose name is built with Fn::Sub of AWS::StackName is the exported value', () => {
    const t = nodesTemplate(openIngress({ 'Fn::ImportValue': 'Net-OpenCidr' }));
    const net = { Outputs: { OpenCidr: { Value: '0.0.0.0/0', Export: { Name: { 'Fn::Sub': '${AWS::StackName}-OpenCidr' } } } } };
    const app = AppModel.fromStacks([
      { id: 'A', stackName: 'A', location: 'A', template: t },
      { id: 'N', stackName: 'Net', location: 'N', template: net },
    ]);
    expect(keysOf(checkModel(app))).toEqual(['LB1@A/Open']);
    // Without the exporting stack, the import is unknown: not the whole internet.
    expect(keysOf(checkModel(model(t)))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions the properties above found, each in its smallest form.
// ---------------------------------------------------------------------------------------------

describe('regressions found by the properties', () => {
  // The model reads only some paths of LaunchTemplateData; when LaunchTemplateData itself is an
  // intrinsic ({"Fn::If": ...}) it must be read whole.
  test('LaunchTemplateData wrapped in Fn::If [c, d, d] reads as d', () => {
    const t = nodesTemplate({}, { Parameters: { Env: { Type: 'String' } }, Conditions: UNDECIDED_CONDITIONS });
    const data = t.Resources.Lt.Properties.LaunchTemplateData;
    t.Resources.Lt.Properties.LaunchTemplateData = { 'Fn::If': ['IsProd', clone(data), clone(data)] };
    expect(messagesOf(checkModel(model(t)))).toEqual([]);
  });

  // KUB4 (and API1 the same way) must report the branches in which no path exists.
  test('KUB4 reports the branch of a parameter in which the kubelet rule does not cover TCP 10250', () => {
    const t = nodesTemplate({}, { Parameters: { P: { Type: 'String', AllowedValues: ['10250', '22'] } } });
    t.Resources.Kubelet.Properties.FromPort = { Ref: 'P' };
    t.Resources.Kubelet.Properties.ToPort = { Ref: 'P' };
    expect(keysOf(checkModel(model(substitute(t, 'P', '22'))))).toEqual(['KUB4@A/Ng']);
    expect(messagesOf(checkModel(model(t)))).toEqual([expect.stringMatching(/^KUB4@A\/Ng: .*P is '22'/)]);
  });

  test('API1 reports the branch of a parameter in which nodes cannot reach TCP 443', () => {
    const t = nodesTemplate({}, { Parameters: { P: { Type: 'String', AllowedValues: ['443', '22'] } } });
    t.Resources.Api.Properties.FromPort = { Ref: 'P' };
    t.Resources.Api.Properties.ToPort = { Ref: 'P' };
    expect(keysOf(checkModel(model(substitute(t, 'P', '22'))))).toEqual(['API1@A/Cluster']);
    expect(messagesOf(checkModel(model(t)))).toEqual([expect.stringMatching(/^API1@A\/Cluster: .*P is '22'/)]);
  });
});
