import { Lazy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { validateNodegroupOptions, validateNodeSecurityGroupProps } from '../../lib/hardened-node-security-group/validate';

describe('validateNodeSecurityGroupProps', () => {
  test('accepts the defaults and both allowed hop limits', () => {
    expect(validateNodeSecurityGroupProps({})).toEqual([]);
    expect(validateNodeSecurityGroupProps({ httpPutResponseHopLimit: 1 })).toEqual([]);
    expect(validateNodeSecurityGroupProps({ httpPutResponseHopLimit: 2 })).toEqual([]);
  });

  test('skips a token hop limit instead of parsing it', () => {
    expect(validateNodeSecurityGroupProps({ httpPutResponseHopLimit: Lazy.number({ produce: () => 5 }) })).toEqual([]);
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
