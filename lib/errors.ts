/**
 * The error this library throws for bad input, for TypeScript and JavaScript users:
 *
 * ```ts
 * import { HardenedEksNetworkingError } from 'hardened-eks-networking/lib/errors';
 * ```
 *
 * It is not part of the jsii API: jsii cannot export a subclass of `Error` (JSII3004), and an
 * error reaches Python, Java, .NET and Go as the runtime's own exception with this message. So
 * every problem in the message ends with its stable code, `[hardened-eks-networking:<code>]`,
 * which every language can match.
 */

/** Every code an error of this library carries; README's "Errors" table lists each. */
export const ERROR_CODES = [
  // RestrictedKubeletAccess
  'clusterSecurityGroupUnknown',
  'kubeletSourceIsClusterSecurityGroup',
  'kubeletSourceNotSecurityGroup',
  'webhookPortUnresolved',
  'webhookPortIsKubeletReadOnly',
  'webhookPortIsKubelet',
  'webhookPortInvalid',
  'webhookPortDuplicate',
  'nodeSecurityGroupIsClusterSecurityGroup',
  'nodeSecurityGroupDuplicate',
  'nodeSecurityGroupOtherVpc',
  'nodeSecurityGroupMissing',
  // HardenedNodeSecurityGroup
  'vpcNotClusterVpc',
  'hopLimitUnresolved',
  'hopLimitInvalid',
  'launchTemplateSecurityGroup',
  'launchTemplateInstanceProfile',
  'launchTemplateHttpTokens',
  'launchTemplateImdsv1',
  'launchTemplateHttpEndpoint',
  'launchTemplateHopLimit',
  'nodegroupLaunchTemplateSpec',
  'nodegroupDiskSize',
  'nodegroupRemoteAccess',
  'nodegroupInstanceTypes',
  'nodegroupAmiType',
  // AlbIngressBackendRules
  'portsEmpty',
  'portsMissing',
  'portAllTraffic',
  'portUnresolved',
  'portNotTcp',
  'portOutsideRange',
  'portInvalid',
  'vpcMissing',
  'targetsWithoutSecurityGroup',
  'watchTopicWithoutWatching',
  'clusterMissing',
  'ingressOnEcs',
  'ingressDuplicate',
  'ingressWithoutRules',
  'ingressRuleWithoutPaths',
  'ingressPathNotAbsolute',
  'servicePortInvalid',
  'annotationOverridden',
  'bindingNetworking',
  'bindingOnEcs',
  'targetGroupTypeMismatch',
  'minimumHealthyTargetsInvalid',
  // PodSecurityGroupPolicy, SecurityGroupsForPods, PodsSecurityGroup
  'selectorMissing',
  'selectorsBoth',
  'labelKeyInvalid',
  'labelValueInvalid',
  'selectorValuesMissing',
  'selectorValuesUnexpected',
  'securityGroupCount',
  'securityGroupListedTwice',
  'addonVersionInvalid',
  'vpcCniAddonDuplicate',
  'clusterTaggedSecurityGroupMissing',
  'clusterTaggedSecurityGroupNotListed',
  // HardenedNodePool
  'nodeClassNameReserved',
  'subnetsUnknown',
  // More than one construct
  'clusterNotEks',
  'kubectlProviderMissing',
  'nodegroupOtherModule',
  'clusterVpcUnknown',
  'objectNameInvalid',
  'namespaceInvalid',
  'securityGroupNameInvalid',
  'securityGroupDescriptionInvalid',
  'ruleDropped',
  // PrivateClusterEndpoints
  'endpointVpcUnknown',
  'endpointVpcNotClusterVpc',
  'endpointVpcDnsDisabled',
  'endpointSubnetsEmpty',
  'optionalEndpointDuplicate',
  'endpointNodeSecurityGroupDuplicate',
  'endpointNodeSecurityGroupOtherVpc',
  'endpointNodeSecurityGroupMissing',
  'endpointAccessPublicOnly',
  'endpointClusterSecurityGroupUnknown',
] as const;

/** A stable code of an error of this library. */
export type ErrorCode = typeof ERROR_CODES[number];

/** Every ID a warning of this library carries, after `hardened-eks-networking:`. */
export const WARNING_CODES = ['selectorSelectsAllPods', 'clusterRoleUnknown', 'clusterTagNotWritten'] as const;

/** A stable code of a warning of this library. */
export type WarningCode = typeof WARNING_CODES[number];

/** The prefix of every code and warning ID. */
export const CODE_PREFIX = 'hardened-eks-networking:';

const CODE_AT_END = /\[hardened-eks-networking:([A-Za-z0-9]+)\]$/;
const BRAND = Symbol.for('hardened-eks-networking.HardenedEksNetworkingError');

/**
 * The one error this library throws for bad input. Its message starts with the construct path,
 * then lists every problem found, each naming the prop, the value and the fix, and ending with
 * its code.
 */
export class HardenedEksNetworkingError extends Error {
  /**
   * Whether `x` is an error of this library. Unlike `instanceof`, it holds when two copies of the
   * library are installed.
   */
  public static isHardenedEksNetworkingError(x: unknown): x is HardenedEksNetworkingError {
    return typeof x === 'object' && x !== null && BRAND in x;
  }

  /** The path of the construct whose props are wrong. */
  public readonly constructPath: string;

  /** Each problem's code, in the order of the message. */
  public readonly codes: ErrorCode[];

  /** Each problem as the message lists it, with its code. */
  public readonly problems: string[];

  constructor(constructPath: string, problems: string[]) {
    const body = problems.length === 1
      ? problems[0]
      : `${problems.length} problems:${problems.map((p) => `\n  - ${p}`).join('')}`;
    super(`${constructPath}: ${body}`);
    this.name = 'HardenedEksNetworkingError';
    this.constructPath = constructPath;
    this.problems = [...problems];
    this.codes = problems.map(codeOf);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** The code a problem ends with. */
export function codeOf(problem: string): ErrorCode {
  const code = CODE_AT_END.exec(problem)?.[1];
  if (code === undefined || !(ERROR_CODES as readonly string[]).includes(code)) {
    throw new Error(`hardened-eks-networking bug: a problem without a known code: ${problem}`);
  }
  return code as ErrorCode;
}
