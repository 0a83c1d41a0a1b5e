import { duplicateAddon } from './addon1';
import { privateEndpointUnreachableFromNodes } from './api1';
import { publicEndpointOpenToInternet } from './api2';
import { ecsDynamicPortsOpenToInternet } from './ecs1';
import { imdsv2NotRequired } from './imds1';
import { imdsHopLimitTooHigh } from './imds2';
import { kubeletOpenToAddressRange } from './kub1';
import { kubeletReadOnlyPortOpen } from './kub2';
import { kubeletOpenToOtherSecurityGroup } from './kub3';
import { kubeletUnreachableFromControlPlane } from './kub4';
import { nodePortsOpenToInternet } from './lb1';
import { controllerManagesNodeRules } from './lb2';
import { nodePortsUnreachableFromLoadBalancer } from './lb3';
import { networkAclAllowsAllFromInternet } from './nacl1';
import { nodegroupOnClusterSecurityGroup } from './ng1';
import { launchTemplateAddsClusterSecurityGroup } from './ng2';
import { severalClusterTaggedSecurityGroups } from './ng3';
import { autoModeNodesOnClusterSecurityGroup } from './ng4';
import { privateClusterNodesCannotPullImages } from './priv1';
import { invalidSecurityGroupPolicy } from './psg1';
import { podSecurityGroupsWithoutGracePeriod } from './psg10';
import { podSecurityGroupsInPublicSubnets } from './psg11';
import { podEniNotEnabled } from './psg2';
import { clusterRoleLacksVpcResourceController } from './psg3';
import { strictModeWithoutEarlyDemuxOff } from './psg4';
import { nodegroupCannotTrunk } from './psg5';
import { fargatePolicyWithoutClusterSecurityGroup } from './psg6';
import { strictModeNeedsStandard } from './psg7';
import { securityGroupPolicyOnOldAutoMode } from './psg8';
import { podSecurityGroupsNotOneTagged } from './psg9';
import { Rule } from './rule';
import { targetGroupBindingOpenToInternet } from './tgb1';
import { targetGroupBindingUnreachable } from './tgb2';
import { endpointSecurityGroupOpen } from './vpce1';
import { AppModel, ResourceId } from '../../template/model';

export type { Rule, RuleLevel } from './rule';

/** The rule catalog, in the order of README's catalog table. */
export const RULES: readonly Rule[] = [
  kubeletOpenToAddressRange,
  kubeletReadOnlyPortOpen,
  kubeletOpenToOtherSecurityGroup,
  kubeletUnreachableFromControlPlane,
  privateEndpointUnreachableFromNodes,
  publicEndpointOpenToInternet,
  privateClusterNodesCannotPullImages,
  endpointSecurityGroupOpen,
  nodegroupOnClusterSecurityGroup,
  launchTemplateAddsClusterSecurityGroup,
  severalClusterTaggedSecurityGroups,
  autoModeNodesOnClusterSecurityGroup,
  imdsv2NotRequired,
  imdsHopLimitTooHigh,
  nodePortsOpenToInternet,
  controllerManagesNodeRules,
  nodePortsUnreachableFromLoadBalancer,
  targetGroupBindingOpenToInternet,
  targetGroupBindingUnreachable,
  ecsDynamicPortsOpenToInternet,
  networkAclAllowsAllFromInternet,
  invalidSecurityGroupPolicy,
  podEniNotEnabled,
  clusterRoleLacksVpcResourceController,
  strictModeWithoutEarlyDemuxOff,
  nodegroupCannotTrunk,
  fargatePolicyWithoutClusterSecurityGroup,
  strictModeNeedsStandard,
  securityGroupPolicyOnOldAutoMode,
  podSecurityGroupsNotOneTagged,
  podSecurityGroupsWithoutGracePeriod,
  podSecurityGroupsInPublicSubnets,
  duplicateAddon,
];

/** Rules by the resource type they are dispatched on. */
export const RULES_BY_TYPE: ReadonlyMap<string, readonly Rule[]> = (() => {
  const map = new Map<string, Rule[]>();
  for (const rule of RULES) {
    for (const type of rule.resourceTypes) {
      map.set(type, [...(map.get(type) ?? []), rule]);
    }
  }
  return map;
})();

/** A finding of a rule on one resource. */
export interface Finding {
  readonly rule: Rule;
  readonly resource: ResourceId;
  readonly message: string;
}

/** Runs every rule on every resource of an app's model: what the CLI does. */
export function checkModel(model: AppModel): Finding[] {
  const findings: Finding[] = [];
  for (const resource of model.allResources()) {
    const type = resource.stack.typeOf(resource.logicalId);
    for (const rule of (type && RULES_BY_TYPE.get(type)) || []) {
      const message = runRule(rule, model, resource);
      if (message !== undefined) findings.push({ rule, resource, message });
    }
  }
  return findings;
}

/** Runs one rule; a rule that throws is a bug, reported as a finding rather than a crash. */
export function runRule(rule: Rule, model: AppModel, resource: ResourceId): string | undefined {
  try {
    return rule.check(model, resource);
  } catch (e) {
    return `${rule.id} could not check ${resource.logicalId} (${e instanceof Error ? e.message : String(e)}); please report this with the template.`;
  }
}
