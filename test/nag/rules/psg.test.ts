import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { clusterFixture } from '../../util';
import { cliRules, CLUSTER_SG, compliantTemplate, includeFindings, manifest, packFindings, rulesOf } from '../util';

function policy(spec: object, namespace = 'payments'): object {
  return { apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy', metadata: { name: 'db-access', namespace }, spec };
}
const ONE_SG = { securityGroups: { groupIds: ['sg-0aaaaaaaaaaaaaaaa'] } };
const POD_SELECTOR = { podSelector: { matchLabels: { app: 'api' } } };

function addon(env: object, init?: object): object {
  return {
    Type: 'AWS::EKS::Addon',
    Properties: { AddonName: 'vpc-cni', ClusterName: { Ref: 'Cluster' }, ConfigurationValues: JSON.stringify({ env, ...(init ? { init: { env: init } } : {}) }) },
  };
}

describe('PSG1 invalidSecurityGroupPolicy', () => {
  test('CDK: both selectors and six SGs is an error naming both problems', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Policy', policy({
      ...POD_SELECTOR,
      serviceAccountSelector: { matchLabels: { role: 'api' } },
      securityGroups: { groupIds: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'] },
    }));
    expect(packFindings(f.app).filter((x) => x.rule === 'PSG1')).toEqual([expect.objectContaining({
      severity: 'error',
      message: expect.stringMatching(/payments\/db-access has both podSelector and serviceAccountSelector; payments\/db-access has 6 security groups/),
    })]);
  });

  test('raw template: neither selector, or no SG, is an error; one selector and one SG is fine', () => {
    const template = compliantTemplate();
    template.Resources.P = manifest([policy(ONE_SG)]);
    expect(rulesOf(includeFindings(template))).toEqual(['PSG1']);
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, securityGroups: { groupIds: [] } })]);
    expect(rulesOf(includeFindings(template))).toEqual(['PSG1']);
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, ...ONE_SG })]);
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });
});

describe('PSG2 podEniNotEnabled and PSG4 strictModeWithoutEarlyDemuxOff', () => {
  test('CDK: a vpc-cni add-on without ENABLE_POD_ENI next to a policy is PSG2 (and PSG4: strict is the default)', () => {
    const f = clusterFixture();
    new eks.Addon(f.stack, 'VpcCni', { cluster: f.cluster, addonName: 'vpc-cni', configurationValues: { env: { WARM_IP_TARGET: '2' } } });
    f.cluster.addManifest('Policy', policy({ ...POD_SELECTOR, ...ONE_SG }));
    f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
    expect(packFindings(f.app).filter((x) => x.rule === 'PSG2')).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'Test/VpcCni/Resource', message: expect.stringContaining('has ENABLE_POD_ENI unset while SecurityGroupPolicies target its cluster') }),
    ]);
    expect(rulesOf(packFindings(f.app))).toEqual(['PSG2', 'PSG4']);
  });

  test('raw template: pod ENI on in strict mode (default) without the init setting is PSG4; with it, or in standard mode, nothing', () => {
    const template = compliantTemplate();
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, ...ONE_SG })]);
    template.Resources.Cni = addon({ ENABLE_POD_ENI: 'true' });
    expect(rulesOf(includeFindings(template))).toEqual(['PSG4']);
    template.Resources.Cni = addon({ ENABLE_POD_ENI: 'true' }, { DISABLE_TCP_EARLY_DEMUX: 'true' });
    expect(rulesOf(includeFindings(template))).toEqual([]);
    template.Resources.Cni = addon({ ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' });
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });

  test('raw template: without a vpc-cni add-on in the template, PSG2 and PSG4 do not apply', () => {
    const template = compliantTemplate();
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, ...ONE_SG })]);
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });
});

describe('PSG3 clusterRoleLacksVpcResourceController', () => {
  test('CDK: the default aws-eks cluster role with a policy is PSG3; with the managed policy it is not', () => {
    const f = clusterFixture();
    f.cluster.addManifest('Policy', policy({ ...POD_SELECTOR, ...ONE_SG }));
    expect(rulesOf(packFindings(f.app))).toEqual(['PSG3']);

    const g = clusterFixture();
    g.cluster.addManifest('Policy', policy({ ...POD_SELECTOR, ...ONE_SG }));
    g.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
    expect(rulesOf(packFindings(g.app))).toEqual([]);
  });

  test('raw template: a role outside the template is not applicable', () => {
    const template = compliantTemplate();
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, ...ONE_SG })]);
    template.Resources.Cluster.Properties.RoleArn = 'arn:aws:iam::111122223333:role/eks';
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });
});

describe('PSG5 nodegroupCannotTrunk', () => {
  test('CDK: a t3 node group on a cluster with policies is PSG5; m6i is not', () => {
    const f = clusterFixture();
    f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
    f.cluster.addManifest('Policy', policy({ ...POD_SELECTOR, ...ONE_SG }));
    f.cluster.addNodegroupCapacity('Small', { instanceTypes: [new ec2.InstanceType('t3.large'), new ec2.InstanceType('m6i.large')] });
    f.cluster.addNodegroupCapacity('Big', { instanceTypes: [new ec2.InstanceType('m6i.large')] });
    expect(packFindings(f.app).filter((x) => x.rule === 'PSG5')).toEqual([
      expect.objectContaining({ path: 'Test/Cluster/NodegroupSmall/Resource', message: expect.stringContaining('instance types t3.large that cannot trunk') }),
    ]);
  });

  test('CDK: Windows nodes (a Windows AmiType, or a launch template with a Windows image) on a cluster with policies are PSG5', () => {
    const f = clusterFixture();
    f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
    f.cluster.addManifest('Policy', policy({ ...POD_SELECTOR, ...ONE_SG }));
    f.cluster.addNodegroupCapacity('Win', { amiType: eks.NodegroupAmiType.WINDOWS_CORE_2019_X86_64, instanceTypes: [new ec2.InstanceType('m6i.large')] });
    const image = new ec2.LaunchTemplate(f.stack, 'WinImage', {
      machineImage: ec2.MachineImage.latestWindows(ec2.WindowsVersion.WINDOWS_SERVER_2022_ENGLISH_FULL_BASE),
      securityGroup: new ec2.SecurityGroup(f.stack, 'WinSg', { vpc: f.vpc }),
    });
    f.cluster.addNodegroupCapacity('WinLt', { launchTemplateSpec: { id: image.launchTemplateId! }, instanceTypes: [new ec2.InstanceType('m6i.large')] });
    f.cluster.addNodegroupCapacity('Linux', { amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD, instanceTypes: [new ec2.InstanceType('m6i.large')] });
    expect(packFindings(f.app).filter((x) => x.rule === 'PSG5')).toEqual([
      expect.objectContaining({ path: 'Test/Cluster/NodegroupWin/Resource', message: expect.stringContaining('uses Windows nodes (AmiType WINDOWS_CORE_2019_x86_64) while SecurityGroupPolicies target its cluster') }),
      expect.objectContaining({ path: 'Test/Cluster/NodegroupWinLt/Resource', message: expect.stringContaining('uses Windows nodes (image /aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base)') }),
    ]);
  });

  test('raw template: an image from an SSM path containing "windows" is Windows; a Linux path, an AMI id or a plain parameter is not', () => {
    const template = compliantTemplate();
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, ...ONE_SG })]);
    const data = template.Resources.NodeLaunchTemplate.Properties.LaunchTemplateData;
    data.ImageId = 'resolve:ssm:/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-EKS_Optimized-1.33/image_id';
    expect(includeFindings(template)).toEqual([expect.objectContaining({ rule: 'PSG5', message: expect.stringContaining('Windows nodes (image /aws/service/ami-windows-latest/') })]);
    data.ImageId = '{{resolve:ssm:/aws/service/ami-WINDOWS-latest/Windows_Server-2019-English-Core-EKS_Optimized-1.33/image_id}}';
    expect(cliRules(template)).toEqual(['PSG5']);
    template.Parameters = { Image: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base' } };
    data.ImageId = { Ref: 'Image' };
    expect(includeFindings(template)).toEqual([expect.objectContaining({ rule: 'PSG5' })]);
    template.Parameters.Image.Default = '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id';
    expect(cliRules(template)).toEqual([]);
    template.Parameters.Image = { Type: 'AWS::EC2::Image::Id', Default: 'ami-windows' };
    expect(cliRules(template)).toEqual([]);
    data.ImageId = 'ami-0123456789abcdef0';
    expect(cliRules(template)).toEqual([]);
    // Any AmiType starting with WINDOWS_.
    delete data.ImageId;
    template.Resources.Nodes.Properties.AmiType = 'WINDOWS_FULL_2025_x86_64';
    expect(cliRules(template)).toEqual(['PSG5']);
    delete template.Resources.P;
    expect(cliRules(template)).toEqual([]);
  });

  test('raw template: a node group with no instance type runs t3.medium (EKS default)', () => {
    const template = compliantTemplate();
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, ...ONE_SG })]);
    delete template.Resources.Nodes.Properties.InstanceTypes;
    expect(includeFindings(template).filter((x) => x.rule === 'PSG5')).toEqual([expect.objectContaining({ message: expect.stringContaining('t3.medium') })]);
  });
});

describe('PSG6 fargatePolicyWithoutClusterSecurityGroup', () => {
  test('CDK: a policy in a namespace a Fargate profile selects, without the cluster SG, is PSG6', () => {
    const f = clusterFixture();
    f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
    f.cluster.addFargateProfile('Payments', { selectors: [{ namespace: 'pay*' }] });
    f.cluster.addManifest('Policy', policy({ ...POD_SELECTOR, ...ONE_SG }));
    expect(rulesOf(packFindings(f.app))).toEqual(['PSG6']);
  });

  test('CDK: with the cluster SG among its groups it is fine', () => {
    const f = clusterFixture();
    f.cluster.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSVPCResourceController'));
    f.cluster.addFargateProfile('Payments', { selectors: [{ namespace: 'payments' }] });
    f.cluster.addManifest('Policy', policy({ ...POD_SELECTOR, securityGroups: { groupIds: ['sg-0aaaaaaaaaaaaaaaa', f.cluster.clusterSecurityGroupId] } }));
    expect(rulesOf(packFindings(f.app))).toEqual([]);
  });

  test('raw template: an L1 Fargate profile of another namespace does not apply', () => {
    const template = compliantTemplate();
    template.Resources.P = manifest([policy({ ...POD_SELECTOR, ...ONE_SG })]);
    template.Resources.Fp = { Type: 'AWS::EKS::FargateProfile', Properties: { ClusterName: { Ref: 'Cluster' }, PodExecutionRoleArn: 'arn:aws:iam::111122223333:role/fp', Selectors: [{ Namespace: 'other' }] } };
    expect(rulesOf(includeFindings(template))).toEqual([]);
    template.Resources.Fp.Properties.Selectors = [{ Namespace: 'payments' }];
    expect(rulesOf(includeFindings(template))).toEqual(['PSG6']);
    // The cluster SG embedded in the manifest as a reference, as CDK writes tokens.
    const [before, after] = JSON.stringify([policy({ ...POD_SELECTOR, securityGroups: { groupIds: ['@@'] } })]).split('@@');
    template.Resources.P = manifest({ 'Fn::Join': ['', [before, CLUSTER_SG, after]] });
    expect(rulesOf(includeFindings(template))).toEqual([]);
  });
});
