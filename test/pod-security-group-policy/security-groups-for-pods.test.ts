import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodSecurityGroupEnforcingMode, SecurityGroupsForPods } from '../../lib';
import { describeWithFixtures, fixtureJson, fixtureValidator, kubernetesErrors } from '../fixtures';
import { packFindings, rulesOf } from '../nag/util';
import { clusterFixture, kubernetesObjects } from '../util';

const validateCni = fixtureValidator(() => fixtureJson('vpc-cni-addon-configuration-schema.v1.15.1-eksbuild.1.json'));
const validateNetworkPolicy = (value: unknown) => kubernetesErrors(NetworkPolicy, value);

/** A NetworkPolicy selecting every pod of its namespace with no rule: all traffic denied. */
function denyAll() {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all' }, spec: { podSelector: {} } };
}

function configuration(stack: Stack): any {
  const [addon] = Object.values(Template.fromStack(stack).findResources('AWS::EKS::Addon')) as any[];
  return JSON.parse(addon.Properties.ConfigurationValues);
}

describe('SecurityGroupsForPods', () => {
  test('a second SecurityGroupsForPods on the same cluster fails, naming the first (EKS holds one vpc-cni add-on)', () => {
    const f = clusterFixture();
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    expect(() => new SecurityGroupsForPods(f.stack, 'Again', { cluster: f.cluster }))
      .toThrow('Test/Again: cluster: already has SecurityGroupsForPods Test/PodSgs, which owns its vpc-cni add-on (EKS holds one add-on of each name per cluster); use that one');
  });

  test('the same cluster imported twice by its literal name counts as the same cluster', () => {
    const f = clusterFixture();
    const once = eks.Cluster.fromClusterAttributes(f.stack, 'Once', { clusterName: 'prod' });
    const twice = eks.Cluster.fromClusterAttributes(f.stack, 'Twice', { clusterName: 'prod' });
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: once, clusterRole: f.cluster.role });
    expect(() => new SecurityGroupsForPods(f.stack, 'Again', { cluster: twice, clusterRole: f.cluster.role })).toThrow(/already has SecurityGroupsForPods Test\/PodSgs/);
  });

  test.each(['latest', '1.19.2', 'v1.19'])('addonVersion %s fails: not an add-on version', (version) => {
    const f = clusterFixture();
    expect(() => new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster, addonVersion: version }))
      .toThrow(`Test/PodSgs: addonVersion: '${version}' is not an add-on version; pass one that EKS lists`);
  });

  test('addonVersion v1.19.2-eksbuild.1 and a token pass', () => {
    const f = clusterFixture();
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster, addonVersion: 'v1.19.2-eksbuild.1' });
    const g = clusterFixture();
    new SecurityGroupsForPods(g.stack, 'PodSgs', { cluster: g.cluster, addonVersion: new CfnParameter(g.stack, 'Version').valueAsString });
    Template.fromStack(f.stack).hasResourceProperties('AWS::EKS::Addon', { AddonVersion: 'v1.19.2-eksbuild.1' });
    Template.fromStack(g.stack).hasResourceProperties('AWS::EKS::Addon', { AddonVersion: { Ref: 'Version' } });
  });

  test('strict (default): pod ENIs on, early demux off in init', () => {
    const f = clusterFixture();
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    const config = configuration(f.stack);
    expect(config).toEqual({
      env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'strict' },
      init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } },
    });
    Template.fromStack(f.stack).hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni', ClusterName: { Ref: Match.stringLikeRegexp('^Cluster') }, ResolveConflicts: 'OVERWRITE',
    });
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('standard mode with external SNAT; no init setting', () => {
    const f = clusterFixture();
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster, enforcingMode: PodSecurityGroupEnforcingMode.STANDARD, externalSnat: true });
    const config = configuration(f.stack);
    expect(config).toEqual({ env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard', AWS_VPC_K8S_CNI_EXTERNALSNAT: 'true' } });
  });

  describeWithFixtures('against the vpc-cni add-on schema in ../shared/fixtures', () => {
    test.each([
      ['strict (default)', {}],
      ['standard mode with external SNAT', { enforcingMode: PodSecurityGroupEnforcingMode.STANDARD, externalSnat: true }],
    ])('the %s configuration validates', (_name, props) => {
      const f = clusterFixture();
      new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster, ...props });
      expect(validateCni(configuration(f.stack))).toEqual([]);
    });

    test('the add-on schema rejects unknown keys and non-string values (fact 7), so the tests above can fail', () => {
      expect(validateCni({ env: { ENABLE_POD_ENI: true } })).not.toEqual([]);
      expect(validateCni({ env: { NOT_A_KEY: 'x' } })).not.toEqual([]);
    });
  });

  test('attaches AmazonEKSVPCResourceController to the role of an eks.Cluster', () => {
    const f = clusterFixture();
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSVPCResourceController']] }]),
    });
  });

  test('an imported cluster: the role is not known, so an acknowledgeable warning says what to do', () => {
    const f = clusterFixture();
    const imported = eks.Cluster.fromClusterAttributes(f.stack, 'Imported', { clusterName: 'prod' });
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: imported });
    Annotations.fromStack(f.stack).hasWarning('/Test/PodSgs', Match.stringLikeRegexp('AmazonEKSVPCResourceController could not be attached: attach it to the cluster role yourself, or pass clusterRole.*hardened-eks-networking:clusterRoleUnknown'));
  });

  test('a given cluster role gets the policy; an imported one gets a warning', () => {
    const f = clusterFixture();
    const imported = eks.Cluster.fromClusterAttributes(f.stack, 'Imported', { clusterName: 'prod' });
    const role = new iam.Role(f.stack, 'ClusterRole', { assumedBy: new iam.ServicePrincipal('eks.amazonaws.com') });
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: imported, clusterRole: role });
    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'eks.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::aws:policy/AmazonEKSVPCResourceController'])]) })]),
    });
    const g = clusterFixture();
    new SecurityGroupsForPods(g.stack, 'PodSgs', { cluster: g.cluster, clusterRole: iam.Role.fromRoleArn(g.stack, 'R', 'arn:aws:iam::111122223333:role/eks') });
    Annotations.fromStack(g.stack).hasWarning('/Test/PodSgs', Match.stringLikeRegexp('the cluster role is imported'));
  });

  test('the NetworkPolicy of these tests validates against the Kubernetes schema, which rejects a malformed one', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Deny', denyAll());
    const [policy] = kubernetesObjects(Template.fromStack(f.stack), 'NetworkPolicy');
    expect(validateNetworkPolicy(policy)).toEqual([]);
    expect(validateNetworkPolicy({ ...policy, spec: {} })).toEqual([expect.stringMatching(/spec must have required property podSelector/)]);
    expect(validateNetworkPolicy({ ...policy, spec: { podSelector: {}, policyTypes: ['Inbound'] } })).toEqual([expect.stringMatching(/policyTypes\/0 must be equal to one of the allowed values/)]);
  });

  test('strict mode next to a NetworkPolicy, a NodeLocal DNSCache or externalTrafficPolicy Local is the pack\'s PSG7, on the add-on', () => {
    // GIVEN
    const f = clusterFixture();
    f.cluster.addManifest('Deny', denyAll());
    f.cluster.addManifest('Lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] } });
    // WHEN
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    // THEN
    expect(packFindings(f.app).filter((x) => x.rule === 'PSG7')).toEqual([expect.objectContaining({
      severity: 'warning',
      path: 'Test/PodSgs/VpcCni',
      message: expect.stringMatching(/runs pods security groups in strict mode while the manifests of cluster Cluster\w+ hold NetworkPolicy default\/deny-all, Service default\/web with externalTrafficPolicy: Local, which need standard mode; set POD_SECURITY_GROUP_ENFORCING_MODE "standard" \(SecurityGroupsForPods: enforcingMode PodSecurityGroupEnforcingMode.STANDARD\)\.$/),
    })]);
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('standard mode next to a NetworkPolicy is fine', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Deny', denyAll());
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster, enforcingMode: PodSecurityGroupEnforcingMode.STANDARD });
    expect(rulesOf(packFindings(f.app))).toEqual([]);
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('GIVEN PSG7 WHEN acknowledged on SecurityGroupsForPods with Validations, before the manifests exist THEN the pack reports no finding', () => {
    const f = clusterFixture();
    const pods = new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    Validations.of(pods).acknowledge({ id: 'EksNetworking-PSG7', reason: 'The deny-all NetworkPolicy only covers namespaces without pods security groups.' });
    f.cluster.addManifest('Deny', denyAll());
    expect(packFindings(f.app)).toEqual([]);
  });

  test('GIVEN clusterRoleUnknown WHEN acknowledged on the construct in README\'s one form THEN no warning remains', () => {
    // GIVEN
    const f = clusterFixture();
    const imported = eks.Cluster.fromClusterAttributes(f.stack, 'Imported', { clusterName: 'prod' });
    const pods = new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: imported });
    Annotations.fromStack(f.stack).hasWarning('/Test/PodSgs', Match.stringLikeRegexp('clusterRoleUnknown'));
    // WHEN
    Validations.of(pods).acknowledge({ id: 'hardened-eks-networking:clusterRoleUnknown', reason: 'The platform team attaches AmazonEKSVPCResourceController.' });
    // THEN
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('README shows exactly the acknowledgement form of construct warnings that these tests prove', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const forms = [...readme.matchAll(/acknowledge\(\{ id: '(hardened-eks-networking[^']*)'/g)].map((m) => m[1]);
    expect(forms).toEqual(['hardened-eks-networking:clusterRoleUnknown']);
  });
});
