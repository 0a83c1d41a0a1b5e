import { KubectlV29Layer } from '@aws-cdk/lambda-layer-kubectl-v29';
import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { HardenedNodeSecurityGroup, LabelSelectorOperator, PodSecurityGroupPolicy, PodsSecurityGroup } from '../../lib';
import { describeWithFixtures, fixtureValidator, fixtureYaml } from '../fixtures';
import { packFindings } from '../nag/util';
import { clusterFixture, kubernetesObjects } from '../util';

const validateCrd = fixtureValidator(() => fixtureYaml('securitygrouppolicies.crd.yaml').spec.versions.find((v: any) => v.name === 'v1beta1').schema.openAPIV3Schema);

/** A selector of some pods, where the selector is not what a test is about. */
const APP = { matchLabels: { app: 'payments-api' } };

function policies(stack: Stack): any[] {
  return kubernetesObjects(Template.fromStack(stack), 'SecurityGroupPolicy');
}

function fixture() {
  const f = clusterFixture();
  const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster });
  const pods = new PodsSecurityGroup(f.stack, 'Pods', { vpc: f.vpc, nodes });
  return { ...f, nodes, pods };
}

/** A policy selecting pods by labels. */
function labelsPolicy() {
  const f = fixture();
  new PodSecurityGroupPolicy(f.stack, 'Payments', {
    cluster: f.cluster,
    namespace: 'payments',
    name: 'payments-api',
    podSelector: { matchLabels: { app: 'payments-api' }, matchExpressions: [{ key: 'tier', operator: LabelSelectorOperator.IN, values: ['backend'] }] },
    securityGroups: [f.pods.securityGroup],
  });
  return f;
}

/** A policy selecting pods by service account, with a derived name. */
function serviceAccountPolicy() {
  const f = fixture();
  const policy = new PodSecurityGroupPolicy(f.stack, 'Payments', {
    cluster: f.cluster,
    namespace: 'payments',
    serviceAccountSelector: { matchExpressions: [{ key: 'role', operator: LabelSelectorOperator.EXISTS }] },
    securityGroups: [f.pods.securityGroup, f.cluster.clusterSecurityGroup],
  });
  return { ...f, policy };
}

/** A policy whose namespace, label value and security group are tokens. */
function tokenPolicy() {
  const f = fixture();
  const ns = new CfnParameter(f.stack, 'Namespace');
  const sgId = new CfnParameter(f.stack, 'SgId');
  new PodSecurityGroupPolicy(f.stack, 'Policy', {
    cluster: f.cluster,
    namespace: ns.valueAsString,
    podSelector: { matchLabels: { app: sgId.valueAsString } },
    securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'Sg', sgId.valueAsString)],
  });
  return f;
}

describe('PodSecurityGroupPolicy', () => {
  test('applies a SecurityGroupPolicy that selects pods by labels', () => {
    const f = labelsPolicy();
    const [policy] = policies(f.stack);
    expect(policy).toEqual({
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      // aws-eks adds its prune label.
      metadata: { name: 'payments-api', namespace: 'payments', labels: { [Object.keys(policy.metadata.labels)[0]]: '' } },
      spec: {
        podSelector: { matchLabels: { app: 'payments-api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] },
        securityGroups: { groupIds: ['sg-0123456789abcdef0'] },
      },
    });
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('selects pods by service account; the name defaults to one derived from the path', () => {
    const { policy, ...f } = serviceAccountPolicy();
    const [object] = policies(f.stack);
    expect(object.spec.serviceAccountSelector).toEqual({ matchExpressions: [{ key: 'role', operator: 'Exists' }] });
    expect(object.metadata.name).toBe(policy.policyName);
    expect(policy.policyName).toMatch(/^[a-z0-9-]{1,63}$/);
  });

  test('both selectors and six groups fail, which the CRD does not enforce (see below)', () => {
    const f = fixture();
    const groups = [1, 2, 3, 4, 5, 6].map((i) => ec2.SecurityGroup.fromSecurityGroupId(f.stack, `Sg${i}`, `sg-${i}`));
    expect(() => new PodSecurityGroupPolicy(f.stack, 'Both', {
      cluster: f.cluster, namespace: 'payments', podSelector: {}, serviceAccountSelector: {}, securityGroups: groups,
    })).toThrow(/^Test\/Both: \d problems:\n  - podSelector, serviceAccountSelector: both are set, which EKS does not support; keep exactly one \[hardened-eks-networking:selectorsBoth\]\n  - securityGroups: 6 security groups given; a SecurityGroupPolicy takes 1 to 5 \[hardened-eks-networking:securityGroupCount\]$/);
  });

  test.each([
    ['neither selector', {}, /podSelector, serviceAccountSelector: neither is set; set exactly one/],
    ['no security group', { podSelector: APP, securityGroups: [] }, /securityGroups: 0 security groups given; a SecurityGroupPolicy takes 1 to 5/],
    ['a bad namespace', { podSelector: APP, namespace: 'Payments_NS' }, /namespace: 'Payments_NS' is not a Kubernetes namespace name/],
    ['In without values', { podSelector: { matchExpressions: [{ key: 'app', operator: LabelSelectorOperator.IN }] } }, /podSelector.matchExpressions: 'app' In has no values; give at least one/],
    ['Exists with values', { serviceAccountSelector: { matchExpressions: [{ key: 'app', operator: LabelSelectorOperator.EXISTS, values: ['x'] }] } }, /serviceAccountSelector.matchExpressions: 'app' Exists takes no values; remove them/],
    ['a bad label value', { podSelector: { matchLabels: { app: 'has spaces' } } }, /podSelector.matchLabels: 'has spaces' \(of 'app'\) is not a label value/],
  ])('%s fails at synth time', (_name, overrides: any, message) => {
    const f = fixture();
    expect(() => new PodSecurityGroupPolicy(f.stack, 'Policy', {
      cluster: f.cluster, namespace: 'payments', securityGroups: [f.pods.securityGroup], ...overrides,
    })).toThrow(message);
  });

  test.each([
    ['podSelector', '{}', { podSelector: {} }],
    ['podSelector', 'with empty matchLabels and matchExpressions', { podSelector: { matchLabels: {}, matchExpressions: [] } }],
    ['serviceAccountSelector', '{}', { serviceAccountSelector: {} }],
  ])('an empty %s (%s) selects every pod of the namespace: an acknowledgeable warning', (prop, _shape, selector) => {
    // GIVEN
    const f = fixture();
    // WHEN
    new PodSecurityGroupPolicy(f.stack, 'Policy', { cluster: f.cluster, namespace: 'payments', securityGroups: [f.pods.securityGroup], ...selector });
    // THEN
    const warnings = Annotations.fromStack(f.stack).findWarning('*', Match.anyValue());
    expect(warnings.map((w) => [w.id, w.entry.data])).toEqual([[
      '/Test/Policy',
      expect.stringMatching(new RegExp(`^${prop}: empty \\(no matchLabels, no matchExpressions\\), so it selects every pod in namespace 'payments'.*\\[ack: annotation::hardened-eks-networking:selectorSelectsAllPods\\]$`)),
    ]]);
  });

  test('GIVEN selectorSelectsAllPods acknowledged on a parent in README\'s form WHEN the policy is built THEN no warning', () => {
    const f = fixture();
    Validations.of(f.stack).acknowledge({ id: 'hardened-eks-networking:selectorSelectsAllPods', reason: 'Every pod of payments gets the payments security group.' });
    new PodSecurityGroupPolicy(f.stack, 'Policy', { cluster: f.cluster, namespace: 'payments', podSelector: {}, securityGroups: [f.pods.securityGroup] });
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('a selector with labels does not warn', () => {
    const f = labelsPolicy();
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('a label key or expression key that is a token is described as a token, never printed raw', () => {
    const f = fixture();
    const key = new CfnParameter(f.stack, 'Key').valueAsString;
    expect(() => new PodSecurityGroupPolicy(f.stack, 'Policy', {
      cluster: f.cluster,
      namespace: 'payments',
      podSelector: { matchLabels: { [key]: 'has spaces' }, matchExpressions: [{ key, operator: LabelSelectorOperator.IN }] },
      securityGroups: [f.pods.securityGroup],
    })).toThrow(/^Test\/Policy: 2 problems:\n  - podSelector.matchLabels: 'has spaces' \(of a token\) is not a label value.*\n  - podSelector.matchExpressions: a token In has no values; give at least one \[hardened-eks-networking:selectorValuesMissing\]$/);
  });

  test('the same security group twice fails', () => {
    const f = fixture();
    expect(() => new PodSecurityGroupPolicy(f.stack, 'Policy', {
      cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup, f.pods.securityGroup],
    })).toThrow(/securityGroups: a security group is listed twice/);
  });

  test('tokens are used as they are, not parsed', () => {
    const f = tokenPolicy();
    const [object] = policies(f.stack);
    // kubernetesObjects() writes each token of the manifest as sg-0123456789abcdef0.
    expect(object.metadata.namespace).toBe('sg-0123456789abcdef0');
    expect(object.spec).toEqual({ podSelector: { matchLabels: { app: 'sg-0123456789abcdef0' } }, securityGroups: { groupIds: ['sg-0123456789abcdef0'] } });
  });

  describeWithFixtures('against the SecurityGroupPolicy CRD in ../shared/fixtures', () => {
    test.each([
      ['pods selected by labels', labelsPolicy],
      ['pods selected by service account', serviceAccountPolicy],
      ['tokens', tokenPolicy],
    ])('the policy with %s validates', (_name, build) => {
      expect(policies(build().stack).map(validateCrd)).toEqual([[]]);
    });

    test('the CRD accepts both selectors and six groups: only the construct rejects them', () => {
      expect(validateCrd({
        apiVersion: 'vpcresources.k8s.aws/v1beta1',
        kind: 'SecurityGroupPolicy',
        metadata: { name: 'x' },
        spec: { podSelector: {}, serviceAccountSelector: {}, securityGroups: { groupIds: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'] } },
      })).toEqual([]);
    });
  });

  describe('checks that need the whole app: findings of the EksNetworkingChecks pack, not construct warnings', () => {
    test('node groups of instance types that cannot trunk are PSG5, on the node group', () => {
      // GIVEN
      const f = fixture();
      f.nodes.addNodegroup('Burst', { instanceTypes: [new ec2.InstanceType('t3.large')] });
      f.nodes.addNodegroup('Steady', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
      // WHEN
      new PodSecurityGroupPolicy(f.stack, 'Policy', { cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup] });
      // THEN
      expect(packFindings(f.app).filter((x) => x.rule === 'PSG5')).toEqual([expect.objectContaining({
        severity: 'warning',
        path: expect.stringMatching(/^Test\/Nodes\/Burst\//),
        message: expect.stringContaining('uses instance types t3.large that cannot trunk while SecurityGroupPolicies target its cluster'),
      })]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('a Fargate profile selecting the namespace without the cluster SG in the policy is PSG6, on the policy', () => {
      const f = fixture();
      f.cluster.addFargateProfile('Payments', { selectors: [{ namespace: 'pay*' }] });
      new PodSecurityGroupPolicy(f.stack, 'Policy', { cluster: f.cluster, namespace: 'payments', name: 'payments-api', podSelector: APP, securityGroups: [f.pods.securityGroup] });
      expect(packFindings(f.app).filter((x) => x.rule === 'PSG6')).toEqual([expect.objectContaining({
        path: expect.stringMatching(/^Test\/Policy\//),
        message: expect.stringContaining('has SecurityGroupPolicy payments/payments-api in a namespace that a Fargate profile selects, without the cluster security group'),
      })]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('an EKS Auto Mode cluster with no Kubernetes version in the template is PSG8: the version could not be read', () => {
      const f = clusterFixture();
      const role = new iam.Role(f.stack, 'AutoRole', { assumedBy: new iam.ServicePrincipal('eks.amazonaws.com') });
      const auto = new eks.CfnCluster(f.stack, 'Auto', {
        roleArn: role.roleArn,
        resourcesVpcConfig: { subnetIds: f.vpc.privateSubnets.map((s) => s.subnetId) },
        computeConfig: { enabled: true, nodePools: ['general-purpose'] },
        kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
        storageConfig: { blockStorage: { enabled: true } },
      });
      const imported = eks.Cluster.fromClusterAttributes(f.stack, 'AutoImported', {
        clusterName: auto.ref,
        kubectlRoleArn: role.roleArn,
        kubectlLayer: new KubectlV29Layer(f.stack, 'Layer'),
      });
      new PodSecurityGroupPolicy(f.stack, 'Policy', {
        cluster: imported, namespace: 'payments', podSelector: APP, securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'Sg', 'sg-1')],
      });
      expect(packFindings(f.app).filter((x) => x.rule === 'PSG8')).toEqual([expect.objectContaining({
        path: expect.stringMatching(/^Test\/Policy\//),
        message: expect.stringMatching(/on EKS Auto Mode cluster Auto, where the Kubernetes version could not be read \(none is set: EKS picks its default at creation\); SecurityGroupPolicy works on Auto Mode from 1\.36/),
      })]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('with the cluster SG in the policy, the Fargate profile is fine', () => {
      const f = fixture();
      f.cluster.addFargateProfile('Payments', { selectors: [{ namespace: 'payments' }] });
      new PodSecurityGroupPolicy(f.stack, 'Policy', {
        cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup, f.cluster.clusterSecurityGroup],
      });
      expect(packFindings(f.app).filter((x) => x.rule === 'PSG6')).toEqual([]);
      Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
    });

    test('GIVEN a PSG6 finding WHEN acknowledged on the policy with Validations THEN the pack reports nothing for it', () => {
      const f = fixture();
      f.cluster.addFargateProfile('Payments', { selectors: [{ namespace: 'payments' }] });
      const policy = new PodSecurityGroupPolicy(f.stack, 'Policy', { cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup] });
      Validations.of(policy).acknowledge({ id: 'EksNetworking-PSG6', reason: 'These pods reach the API through a proxy on the pods security group.' });
      expect(packFindings(f.app).filter((x) => x.rule === 'PSG6')).toEqual([]);
    });
  });
});

describe('PodSecurityGroupPolicy with several security groups: one tagged for the cluster', () => {
  /** Whether the security group whose logical id starts with `prefix` carries a kubernetes.io/cluster/ tag. */
  function taggedForCluster(stack: Stack, prefix: string): boolean {
    const groups = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup');
    const ids = Object.keys(groups).filter((k) => k.startsWith(prefix));
    expect(ids).toHaveLength(1);
    return JSON.stringify(groups[ids[0]].Properties.Tags ?? []).includes('kubernetes.io/cluster/');
  }

  function twoGroups() {
    const f = fixture();
    const database = new ec2.SecurityGroup(f.stack, 'DatabaseClients', { vpc: f.vpc });
    return { ...f, database };
  }

  test('GIVEN two security groups WHEN clusterTaggedSecurityGroup names one THEN that one is tagged for the cluster, the other not', () => {
    const f = twoGroups();
    new PodSecurityGroupPolicy(f.stack, 'Payments', {
      cluster: f.cluster,
      namespace: 'payments',
      podSelector: APP,
      securityGroups: [f.pods.securityGroup, f.database],
      clusterTaggedSecurityGroup: f.pods.securityGroup,
    });
    expect(taggedForCluster(f.stack, 'Pods')).toBe(true);
    expect(taggedForCluster(f.stack, 'DatabaseClients')).toBe(false);
  });

  test('GIVEN two security groups WHEN none is named THEN clusterTaggedSecurityGroupMissing; WHEN one not listed is named THEN clusterTaggedSecurityGroupNotListed', () => {
    const f = twoGroups();
    expect(() => new PodSecurityGroupPolicy(f.stack, 'Unnamed', {
      cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup, f.database],
    })).toThrow(/^Test\/Unnamed: clusterTaggedSecurityGroup: not set, but 2 security groups are given; name the one the AWS Load Balancer Controller should update .* \[hardened-eks-networking:clusterTaggedSecurityGroupMissing\]$/);
    const stray = new ec2.SecurityGroup(f.stack, 'Stray', { vpc: f.vpc });
    expect(() => new PodSecurityGroupPolicy(f.stack, 'Stray2', {
      cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup, f.database], clusterTaggedSecurityGroup: stray,
    })).toThrow("Test/Stray2: clusterTaggedSecurityGroup: 'Test/Stray' is not one of securityGroups; name one of them [hardened-eks-networking:clusterTaggedSecurityGroupNotListed]");
  });

  test('GIVEN the cluster security group among them THEN it is the tagged one: nothing is required, and naming another fails', () => {
    const f = fixture();
    new PodSecurityGroupPolicy(f.stack, 'Fargate', {
      cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup, f.cluster.clusterSecurityGroup],
    });
    expect(() => new PodSecurityGroupPolicy(f.stack, 'Twice', {
      cluster: f.cluster,
      namespace: 'payments',
      podSelector: APP,
      securityGroups: [f.pods.securityGroup, f.cluster.clusterSecurityGroup],
      clusterTaggedSecurityGroup: f.pods.securityGroup,
    })).toThrow(/^Test\/Twice: clusterTaggedSecurityGroup: 'Test\/Pods\/Resource' is named, but securityGroups hold the cluster security group, which EKS tags .* \[hardened-eks-networking:clusterTaggedSecurityGroupNotListed\]$/);
    expect(taggedForCluster(f.stack, 'Pods')).toBe(false);
  });

  test('GIVEN one security group THEN nothing is required and nothing is tagged', () => {
    const f = fixture();
    new PodSecurityGroupPolicy(f.stack, 'Payments', { cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup] });
    expect(taggedForCluster(f.stack, 'Pods')).toBe(false);
  });

  test('GIVEN an imported security group to tag THEN clusterTagNotWritten warns, acknowledgeable', () => {
    const f = fixture();
    const imported = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'Imported', 'sg-0cccccccccccccccc');
    const policy = new PodSecurityGroupPolicy(f.stack, 'Payments', {
      cluster: f.cluster, namespace: 'payments', podSelector: APP, securityGroups: [f.pods.securityGroup, imported], clusterTaggedSecurityGroup: imported,
    });
    Annotations.fromStack(f.stack).hasWarning('/Test/Payments', Match.stringLikeRegexp("clusterTaggedSecurityGroup: 'Test/Imported' is not created in this app"));
    Validations.of(policy).acknowledge({ id: 'hardened-eks-networking:clusterTagNotWritten', reason: 'tagged by the network stack' });
    Annotations.fromStack(f.stack).hasNoWarning('/Test/Payments', Match.anyValue());
  });
});

describe('PodsSecurityGroup', () => {
  test('lets the nodes in for probes and the pods out to CoreDNS on 53 TCP and UDP, nothing else out', () => {
    const f = fixture();
    const template = Template.fromStack(f.stack);
    const pods = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pods'), 'GroupId'] };
    const nodes = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Nodes'), 'GroupId'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: pods, SourceSecurityGroupId: nodes, IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 });
    for (const protocol of ['tcp', 'udp']) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: pods, DestinationSecurityGroupId: nodes, IpProtocol: protocol, FromPort: 53, ToPort: 53 });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: nodes, SourceSecurityGroupId: pods, IpProtocol: protocol, FromPort: 53, ToPort: 53 });
    }
    const podsSg = Object.values(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Pods') } }))[0] as any;
    expect(JSON.stringify(podsSg.Properties.SecurityGroupEgress ?? [])).not.toContain('0.0.0.0/0');
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('nodes on a security group imported with mutable: false fail closed: the CoreDNS rules would be dropped', () => {
    // GIVEN
    const f = clusterFixture();
    const frozen = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'FrozenNodes', 'sg-0bbbbbbbbbbbbbbbb', { mutable: false });
    // WHEN / THEN
    expect(() => new PodsSecurityGroup(f.stack, 'Pods', { vpc: f.vpc, nodes: frozen }))
      .toThrow(/^Test\/Pods: 2 problems:\n  - nodes: security group 'Test\/FrozenNodes' did not take the ingress rule for 53 from the pods security group \(CoreDNS\) \(an imported security group with mutable: false drops rules\); import it with mutable: true, or pass a security group this app can change \[hardened-eks-networking:ruleDropped\]\n  - nodes: .* for UDP 53 from the pods security group \(CoreDNS\)/);
  });

  test('nodes imported with mutable: false and allowAllOutbound: false also report the dropped probe egress', () => {
    const f = clusterFixture();
    const frozen = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'FrozenNodes', 'sg-0bbbbbbbbbbbbbbbb', { mutable: false, allowAllOutbound: false });
    expect(() => new PodsSecurityGroup(f.stack, 'Pods', { vpc: f.vpc, nodes: frozen, probePorts: [ec2.Port.tcp(8080)] }))
      .toThrow(/^Test\/Pods: 3 problems:[\s\S]*\n  - nodes: security group 'Test\/FrozenNodes' did not take the egress rule for 8080 to the pods security group \(kubelet probes\)/);
  });

  test('nodes without all outbound traffic get the probe egress, and it is found', () => {
    const f = clusterFixture();
    const nodes = new HardenedNodeSecurityGroup(f.stack, 'Nodes', { vpc: f.vpc, cluster: f.cluster, allowAllOutbound: false });
    new PodsSecurityGroup(f.stack, 'Pods', { vpc: f.vpc, nodes, probePorts: [ec2.Port.tcp(8080)] });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Nodes'), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pods'), 'GroupId'] },
      FromPort: 8080,
    });
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('nodes imported with mutable: true take the CoreDNS rules', () => {
    const f = clusterFixture();
    const nodes = ec2.SecurityGroup.fromSecurityGroupId(f.stack, 'ImportedNodes', 'sg-0bbbbbbbbbbbbbbbb');
    new PodsSecurityGroup(f.stack, 'Pods', { vpc: f.vpc, nodes });
    const template = Template.fromStack(f.stack);
    for (const protocol of ['tcp', 'udp']) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-0bbbbbbbbbbbbbbbb', IpProtocol: protocol, FromPort: 53, ToPort: 53 });
    }
    Annotations.fromStack(f.stack).hasNoWarning('*', Match.anyValue());
  });

  test('a description EC2 rejects fails at synth time', () => {
    const f = fixture();
    expect(() => new PodsSecurityGroup(f.stack, 'Pods2', { vpc: f.vpc, nodes: f.nodes, description: 'pods <payments>' }))
      .toThrow(/^Test\/Pods2: description: 'pods <payments>' has characters EC2 rejects \('<', '>'\)/);
  });
});
