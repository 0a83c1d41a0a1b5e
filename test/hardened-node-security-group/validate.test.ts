import { Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { validateNodegroupOptions, validateNodeSecurityGroupProps } from '../../lib/hardened-node-security-group/validate';

describe('validateNodeSecurityGroupProps', () => {
  test('accepts the defaults and both allowed hop limits', () => {
    expect(validateNodeSecurityGroupProps({})).toEqual([]);
    expect(validateNodeSecurityGroupProps({ httpPutResponseHopLimit: 1 })).toEqual([]);
    expect(validateNodeSecurityGroupProps({ httpPutResponseHopLimit: 2 })).toEqual([]);
  });

  test('reports a token hop limit: it cannot be checked, so it fails closed', () => {
    expect(validateNodeSecurityGroupProps({ httpPutResponseHopLimit: Lazy.number({ produce: () => 2 }) })).toEqual([
      expect.stringMatching(/^httpPutResponseHopLimit: a token, which cannot be checked to be 1 or 2/),
    ]);
  });

  test('skips a token securityGroupName or description instead of parsing it', () => {
    const token = Lazy.string({ produce: () => 'sg-bad?' });
    expect(validateNodeSecurityGroupProps({ securityGroupName: token, description: token })).toEqual([]);
  });

  test('reports a vpc other than the cluster\'s, and skips one that cannot be compared', () => {
    const stack = new Stack();
    const a = new ec2.Vpc(stack, 'A', { maxAzs: 1, natGateways: 0 });
    const b = new ec2.Vpc(stack, 'B', { maxAzs: 1, natGateways: 0 });
    const token = ec2.Vpc.fromVpcAttributes(stack, 'T', { vpcId: Lazy.string({ produce: () => 'vpc-1' }), availabilityZones: ['a'] });
    expect(validateNodeSecurityGroupProps({ vpc: a, clusterVpc: a })).toEqual([]);
    expect(validateNodeSecurityGroupProps({ vpc: a, clusterVpc: b })).toEqual([expect.stringMatching(/^vpc: 'Default\/A' is not the cluster's VPC \('Default\/B'\)/)]);
    expect(validateNodeSecurityGroupProps({ vpc: token, clusterVpc: b })).toEqual([]);
    expect(validateNodeSecurityGroupProps({ vpc: a, clusterVpc: undefined })).toEqual([]);
  });

  test('reports every weakening launch template setting', () => {
    const problems = validateNodeSecurityGroupProps({
      httpPutResponseHopLimit: 4,
      launchTemplateProps: { requireImdsv2: false, httpEndpoint: false, httpPutResponseHopLimit: 2 },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^httpPutResponseHopLimit: 4 is not allowed/),
      expect.stringMatching(/^launchTemplateProps.requireImdsv2: false is not allowed/),
      expect.stringMatching(/^launchTemplateProps.httpEndpoint: false is not allowed/),
      expect.stringMatching(/^launchTemplateProps.httpPutResponseHopLimit: 2 is set in the wrong place/),
    ]);
  });

  test('httpTokens REQUIRED in launchTemplateProps is harmless', () => {
    expect(validateNodeSecurityGroupProps({
      launchTemplateProps: { httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED },
    })).toEqual([]);
  });
});

describe('validateNodegroupOptions', () => {
  test('accepts options EKS allows next to a launch template', () => {
    expect(validateNodegroupOptions({
      options: { minSize: 1, instanceTypes: [new ec2.InstanceType('m6i.large')] },
      launchTemplateSetsInstanceType: false,
      launchTemplateSetsImage: false,
    })).toEqual([]);
  });

  test('instanceTypes are rejected when the launch template sets an instance type', () => {
    expect(validateNodegroupOptions({
      options: { instanceTypes: [new ec2.InstanceType('m6i.large')] },
      launchTemplateSetsInstanceType: true,
      launchTemplateSetsImage: false,
    })).toHaveLength(1);
  });
});
