import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodSecurityGroupEnforcingMode, SecurityGroupsForPods } from '../../lib';
import { describeWithFixtures, fixtureJson, fixtureValidator, kubernetesErrors } from '../fixtures';
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

  test('strict mode next to a NetworkPolicy, a NodeLocal DNSCache or externalTrafficPolicy Local warns to use standard', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Deny', denyAll());
    f.cluster.addManifest('Lb', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] } });
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    Annotations.fromStack(f.stack).hasWarning('/Test/PodSgs', Match.stringLikeRegexp('strict mode does not work with NetworkPolicy deny-all, Service web with externalTrafficPolicy: Local in this cluster; set enforcingMode to PodSecurityGroupEnforcingMode.STANDARD'));
  });

  test('standard mode next to a NetworkPolicy is fine', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Deny', denyAll());
    new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster, enforcingMode: PodSecurityGroupEnforcingMode.STANDARD });
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });
});
