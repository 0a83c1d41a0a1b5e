import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { aws_eks as eksRefs } from 'aws-cdk-lib/interfaces';
import { AlbIngressBackendRules, AlbIngressOptions, HardenedNodeSecurityGroup, PodSecurityGroupPolicy, PodsSecurityGroup, SecurityGroupsForPods } from '../../lib';
import { jsonWithReferences, thrown, v2ClusterFixture, v2ClusterLogicalId } from '../util';

const KUBERNETES_RESOURCE = 'Custom::AWSCDK-EKS-KubernetesResource';
const KUBECTL_ROLE = 'arn:aws:iam::111122223333:role/kubectl';
const KUBECTL_FUNCTION = 'arn:aws:lambda:us-east-1:111122223333:function:kubectl';

/** The logical id of the one security group whose logical id starts with `prefix`. */
function sgId(template: Template, prefix: string): string {
  const ids = Object.keys(template.findResources('AWS::EC2::SecurityGroup')).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one security group starting with ${prefix}, found ${ids.join(', ')}`);
  return ids[0];
}

/** The Kubernetes resources of the template, with their manifests parsed (references read `<LogicalId>.<Attribute>`). */
function appliedManifests(template: Template): Array<{ properties: any; objects: any[] }> {
  return Object.values(template.findResources(KUBERNETES_RESOURCE))
    .map((r: any) => ({ properties: r.Properties, objects: jsonWithReferences(r.Properties.Manifest) }));
}

/** The object without the prune label that aws-eks and aws-eks-v2 add to applied manifests. */
function withoutPruneLabel(object: any): any {
  const labels = Object.fromEntries(Object.entries(object.metadata.labels ?? {}).filter(([key]) => !key.startsWith('aws.cdk.eks/prune-')));
  const { labels: _, ...metadata } = object.metadata;
  return { ...object, metadata: Object.keys(labels).length > 0 ? { ...metadata, labels } : metadata };
}

const WEB: AlbIngressOptions = {
  name: 'web',
  namespace: 'shop',
  annotations: { 'alb.ingress.kubernetes.io/scheme': 'internal' },
  defaultBackend: { serviceName: 'web', servicePort: 80 },
};

/** The Ingress WEB becomes, with `lb` the logical id of the load balancer security group. */
function webIngress(lb: string): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'web',
      namespace: 'shop',
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internal',
        'alb.ingress.kubernetes.io/security-groups': `${lb}.GroupId`,
        'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
        'alb.ingress.kubernetes.io/target-type': 'instance',
      },
    },
    spec: { ingressClassName: 'alb', defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
  };
}

/** The SecurityGroupPolicy of `policyFor`, with `pods` the logical id of the pods security group. */
function paymentsPolicy(pods: string): any {
  return {
    apiVersion: 'vpcresources.k8s.aws/v1beta1',
    kind: 'SecurityGroupPolicy',
    metadata: { name: 'payments-api', namespace: 'payments' },
    spec: { podSelector: { matchLabels: { app: 'payments-api' } }, securityGroups: { groupIds: [`${pods}.GroupId`] } },
  };
}

/** A v2 cluster fixture with a node security group and a pods security group. */
function v2Fixture(options: { kubectl?: boolean } = {}) {
  const f = v2ClusterFixture({ ...options, nodegroups: true });
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
  const pods = new PodsSecurityGroup(f.stack, 'Pods', { vpc: f.vpc, nodes });
  return { ...f, nodes, pods };
}

/** The policy the tests apply: pods labelled app=payments-api in namespace payments get `pods`. */
function policyFor(scope: Stack, cluster: eksRefs.IClusterRef, pods: ec2.ISecurityGroup, apply?: boolean): PodSecurityGroupPolicy {
  return new PodSecurityGroupPolicy(scope, 'Payments', {
    cluster,
    apply,
    namespace: 'payments',
    name: 'payments-api',
    podSelector: { matchLabels: { app: 'payments-api' } },
    securityGroups: [pods],
  });
}

/** A stack of its own with an imported VPC and a pods security group in it, for clusters that are only imported. */
function importedFixture() {
  const stack = new Stack(new App(), 'Test');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] });
  const pods = new ec2.SecurityGroup(stack, 'Pods', { vpc });
  return { stack, vpc, pods };
}

describe('AlbIngressBackendRules on aws-eks-v2 clusters', () => {
  test('GIVEN a v2 cluster with a kubectl provider WHEN addIngress THEN its kubectl provider applies the Ingress with the annotations', () => {
    // GIVEN
    const f = v2Fixture({ kubectl: true });
    const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
    // WHEN
    const manifest = rules.addIngress('Web', WEB);
    // THEN
    expect(manifest).toBeInstanceOf(eksv2.KubernetesManifest);
    const template = Template.fromStack(f.stack);
    const [applied, ...others] = appliedManifests(template);
    expect(others).toEqual([]);
    expect(applied.properties).toEqual(expect.objectContaining({
      ClusterName: { Ref: v2ClusterLogicalId(template) },
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^ClusterKubectlProvider/), 'Arn'] },
    }));
    expect(applied.objects.map(withoutPruneLabel)).toEqual([webIngress(sgId(template, 'AlbLoadBalancerSecurityGroup'))]);
  });

  test('GIVEN a v2 cluster without a kubectl provider WHEN addIngress THEN kubectlProviderMissing says how to add one, and nothing is applied', () => {
    const f = v2Fixture();
    const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
    expect(thrown(() => rules.addIngress('Web', WEB))).toBe(
      "Test/Alb: addIngress('Web'): cluster: 'Test/Cluster' is an aws-eks-v2 cluster without a kubectl provider, so the Ingress cannot be applied to it; "
      + 'create the cluster with kubectlProviderOptions: { kubectlLayer } (or import it with kubectlProvider), '
      + 'or apply the text of ingressManifestJson() with your GitOps tool [hardened-eks-networking:kubectlProviderMissing]');
    Template.fromStack(f.stack).resourceCountIs(KUBERNETES_RESOURCE, 0);
  });

  test('GIVEN a v2 cluster without a kubectl provider WHEN ingressManifestJson THEN the text resolves to the Ingress, with stack.resolve and in a CfnOutput', () => {
    // GIVEN
    const f = v2Fixture();
    const rules = new AlbIngressBackendRules(f.stack, 'Alb', { vpc: f.vpc, targets: f.nodes, cluster: f.cluster });
    // WHEN
    const text = rules.ingressManifestJson(WEB);
    new CfnOutput(f.stack, 'WebIngress', { value: text });
    // THEN
    const template = Template.fromStack(f.stack);
    const expected = webIngress(sgId(template, 'AlbLoadBalancerSecurityGroup'));
    expect(jsonWithReferences(f.stack.resolve(text))).toEqual(expected);
    expect(jsonWithReferences(template.toJSON().Outputs.WebIngress.Value)).toEqual(expected);
    template.resourceCountIs(KUBERNETES_RESOURCE, 0);
  });

  test('GIVEN an aws-eks cluster imported with kubectlRoleArn WHEN addIngress THEN the Ingress is applied to it with that role', () => {
    // GIVEN
    const { stack, vpc } = importedFixture();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', kubectlRoleArn: KUBECTL_ROLE, vpc });
    const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
    const rules = new AlbIngressBackendRules(stack, 'Alb', { vpc, targets: nodes, cluster });
    // WHEN
    const manifest = rules.addIngress('Web', WEB);
    // THEN
    expect(manifest).toBeInstanceOf(eks.KubernetesManifest);
    const template = Template.fromStack(stack);
    const [applied] = appliedManifests(template);
    expect(applied.properties).toEqual(expect.objectContaining({ ClusterName: 'prod', RoleArn: KUBECTL_ROLE }));
    expect(applied.objects.map(withoutPruneLabel)).toEqual([webIngress(sgId(template, 'AlbLoadBalancerSecurityGroup'))]);
  });

  test('GIVEN an aws-eks cluster imported without kubectlRoleArn WHEN addIngress THEN our kubectlProviderMissing, and a retry is not a duplicate', () => {
    // GIVEN
    const { stack, vpc } = importedFixture();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', vpc });
    const nodes = new HardenedNodeSecurityGroup(stack, 'Nodes', { vpc, cluster });
    const rules = new AlbIngressBackendRules(stack, 'Alb', { vpc, targets: nodes, cluster });
    // WHEN / THEN
    expect(thrown(() => rules.addIngress('Web', WEB))).toBe(
      "Test/Alb: addIngress('Web'): cluster: 'Test/Imported' is an aws-eks cluster imported without kubectlRoleArn (or kubectlProvider), so the Ingress cannot be applied to it; import it with kubectlRoleArn, or apply the text of ingressManifestJson() with your GitOps tool [hardened-eks-networking:kubectlProviderMissing]",
    );
    // The failed call applied nothing, so it is not counted as applied.
    expect(thrown(() => rules.addIngress('Web2', WEB))).not.toContain('ingressDuplicate');
    Template.fromStack(stack).resourceCountIs(KUBERNETES_RESOURCE, 0);
  });
});

describe('PodSecurityGroupPolicy on aws-eks-v2 clusters', () => {
  test('GIVEN a v2 cluster with a kubectl provider THEN the SecurityGroupPolicy is applied as an aws-eks-v2 manifest', () => {
    // GIVEN
    const f = v2Fixture({ kubectl: true });
    // WHEN
    const policy = policyFor(f.stack, f.cluster, f.pods.securityGroup);
    // THEN
    expect(policy.manifest).toBeInstanceOf(eksv2.KubernetesManifest);
    const template = Template.fromStack(f.stack);
    const [applied, ...others] = appliedManifests(template);
    expect(others).toEqual([]);
    expect(applied.properties).toEqual(expect.objectContaining({ ClusterName: { Ref: v2ClusterLogicalId(template) } }));
    expect(applied.objects.map(withoutPruneLabel)).toEqual([paymentsPolicy(sgId(template, 'Pods'))]);
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('GIVEN a v2 cluster without a kubectl provider WHEN the policy is applied (the default) THEN kubectlProviderMissing names both fixes', () => {
    const f = v2Fixture();
    expect(thrown(() => policyFor(f.stack, f.cluster, f.pods.securityGroup))).toBe(
      "Test/Payments: cluster: 'Test/Cluster' is an aws-eks-v2 cluster without a kubectl provider, so the SecurityGroupPolicy cannot be applied to it; "
      + 'create the cluster with kubectlProviderOptions: { kubectlLayer } (or import it with kubectlProvider), '
      + 'or set apply: false and apply manifestJson with your GitOps tool [hardened-eks-networking:kubectlProviderMissing]');
    Template.fromStack(f.stack).resourceCountIs(KUBERNETES_RESOURCE, 0);
  });

  test('GIVEN a v2 cluster without a kubectl provider WHEN apply: false THEN no manifest resource, manifest is undefined, manifestJson resolves to the policy', () => {
    // GIVEN
    const f = v2Fixture();
    // WHEN
    const policy = policyFor(f.stack, f.cluster, f.pods.securityGroup, false);
    // THEN
    const template = Template.fromStack(f.stack);
    template.resourceCountIs(KUBERNETES_RESOURCE, 0);
    expect(policy.manifest).toBeUndefined();
    expect(jsonWithReferences(f.stack.resolve(policy.manifestJson))).toEqual(paymentsPolicy(sgId(template, 'Pods')));
  });

  test('GIVEN a v2 cluster imported with kubectlProvider THEN the policy is applied through that provider', () => {
    // GIVEN
    const { stack, pods } = importedFixture();
    const kubectlProvider = eksv2.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', { serviceToken: KUBECTL_FUNCTION });
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', kubectlProvider });
    // WHEN
    const policy = policyFor(stack, cluster, pods);
    // THEN
    expect(policy.manifest).toBeInstanceOf(eksv2.KubernetesManifest);
    const template = Template.fromStack(stack);
    const [applied] = appliedManifests(template);
    expect(applied.properties).toEqual(expect.objectContaining({ ClusterName: 'prod', ServiceToken: KUBECTL_FUNCTION }));
    expect(applied.objects.map(withoutPruneLabel)).toEqual([paymentsPolicy(sgId(template, 'Pods'))]);
  });

  test('GIVEN an aws-eks cluster imported with kubectlRoleArn THEN the policy is applied with that role', () => {
    const { stack, pods } = importedFixture();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod', kubectlRoleArn: KUBECTL_ROLE });
    const policy = policyFor(stack, cluster, pods);
    expect(policy.manifest).toBeInstanceOf(eks.KubernetesManifest);
    const template = Template.fromStack(stack);
    const [applied] = appliedManifests(template);
    expect(applied.properties).toEqual(expect.objectContaining({ ClusterName: 'prod', RoleArn: KUBECTL_ROLE }));
    expect(applied.objects.map(withoutPruneLabel)).toEqual([paymentsPolicy(sgId(template, 'Pods'))]);
  });
});

describe('SecurityGroupsForPods on aws-eks-v2 clusters', () => {
  test('GIVEN a created v2 cluster THEN AmazonEKSVPCResourceController goes on the cluster role and the vpc-cni add-on names the cluster', () => {
    // GIVEN
    const f = v2ClusterFixture({ nodegroups: true });
    // WHEN
    const pods = new SecurityGroupsForPods(f.stack, 'PodSgs', { cluster: f.cluster });
    // THEN
    const template = Template.fromStack(f.stack);
    const clusterId = v2ClusterLogicalId(template);
    const roleId = template.toJSON().Resources[clusterId].Properties.RoleArn['Fn::GetAtt'][0];
    expect(f.stack.resolve(f.cluster.role.roleArn)).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toContainEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSVPCResourceController']] });
    template.resourceCountIs('AWS::EKS::Addon', 1);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', ClusterName: { Ref: clusterId }, ResolveConflicts: 'OVERWRITE' });
    expect(f.stack.resolve(pods.addon.clusterName)).toEqual({ Ref: clusterId });
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('GIVEN an imported v2 cluster THEN the add-on names it, and clusterRoleUnknown says to attach the policy yourself', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test');
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'prod' });
    // WHEN
    new SecurityGroupsForPods(stack, 'PodSgs', { cluster });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', ClusterName: 'prod' });
    template.resourceCountIs('AWS::IAM::Role', 0);
    Annotations.fromStack(stack).hasWarning('/Test/PodSgs', Match.stringLikeRegexp(
      'the cluster role is not known here \\(an imported cluster exposes none\\), so AmazonEKSVPCResourceController could not be attached.*hardened-eks-networking:clusterRoleUnknown'));
  });
});
