import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { LabelSelector, LabelSelectorOperator } from './selectors';
import { CLUSTER_TAG_PREFIX, MAX_POD_SECURITY_GROUPS } from '../conventions';
import { problem, Problem } from '../private/errors';
import { validateKubernetesName, validateKubernetesNamespace } from '../private/kubernetes-names';
import { validateSecurityGroupDescription } from '../private/security-group-names';
import { describeValue } from '../private/values';


const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** What a SecurityGroupPolicy's props must satisfy, as plain values. */
export interface PolicyInput {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector?: LabelSelector;
  readonly serviceAccountSelector?: LabelSelector;
  readonly securityGroups: ec2.ISecurityGroup[];
}

/** Every problem with a SecurityGroupPolicy's props (tokens are not parsed). */
export function validatePolicy(input: PolicyInput): Problem[] {
  const problems: Problem[] = [];
  problems.push(...validateKubernetesNamespace('namespace', input.namespace), ...validateKubernetesName('name', input.name));
  const selectors = [input.podSelector, input.serviceAccountSelector].filter((s) => s !== undefined).length;
  if (selectors !== 1) {
    problems.push(selectors === 0
      ? problem('selectorMissing', 'podSelector, serviceAccountSelector: neither is set; set exactly one (pods by their labels, or by the labels of their service account)')
      : problem('selectorsBoth', 'podSelector, serviceAccountSelector: both are set, which EKS does not support; keep exactly one'));
  }
  for (const [prop, selector] of [['podSelector', input.podSelector], ['serviceAccountSelector', input.serviceAccountSelector]] as const) {
    if (selector) problems.push(...validateSelector(prop, selector));
  }
  const count = input.securityGroups.length;
  if (count < 1 || count > MAX_POD_SECURITY_GROUPS) {
    problems.push(problem('securityGroupCount', `securityGroups: ${count} security groups given; a SecurityGroupPolicy takes 1 to ${MAX_POD_SECURITY_GROUPS}`));
  }
  const ids = input.securityGroups.map((sg) => sg.securityGroupId);
  if (new Set(ids).size !== ids.length) {
    problems.push(problem('securityGroupListedTwice', 'securityGroups: a security group is listed twice; list each once'));
  }
  return problems;
}

function validateSelector(prop: string, selector: LabelSelector): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Token.isUnresolved(key) && !LABEL_NAME.test(key)) problems.push(problem('labelKeyInvalid', `${prop}.matchLabels: '${key}' is not a label key`));
    if (!Token.isUnresolved(value) && !LABEL_VALUE.test(value)) problems.push(problem('labelValueInvalid', `${prop}.matchLabels: '${value}' (of ${describeValue(key)}) is not a label value; use at most 63 letters, digits, '-', '_' and '.'`));
  }
  for (const e of selector.matchExpressions ?? []) {
    if (!Token.isUnresolved(e.key) && !LABEL_NAME.test(e.key)) problems.push(problem('labelKeyInvalid', `${prop}.matchExpressions: '${e.key}' is not a label key`));
    const needsValues = e.operator === LabelSelectorOperator.IN || e.operator === LabelSelectorOperator.NOT_IN;
    const values = e.values ?? [];
    if (needsValues && values.length === 0) {
      problems.push(problem('selectorValuesMissing', `${prop}.matchExpressions: ${describeValue(e.key)} ${e.operator} has no values; give at least one`));
    } else if (!needsValues && values.length > 0) {
      problems.push(problem('selectorValuesUnexpected', `${prop}.matchExpressions: ${describeValue(e.key)} ${e.operator} takes no values; remove them`));
    }
  }
  return problems;
}

/**
 * Warnings, each a message, for selectors that select every pod of the namespace: an empty
 * `podSelector` (or `serviceAccountSelector`, which then matches every service account) gives
 * each pod these security groups instead of the node's, which is rarely what was meant.
 */
export function emptySelectorWarnings(input: Pick<PolicyInput, 'namespace' | 'podSelector' | 'serviceAccountSelector'>): string[] {
  const warnings: string[] = [];
  for (const [prop, selector, how] of [
    ['podSelector', input.podSelector, ''],
    ['serviceAccountSelector', input.serviceAccountSelector, ' (through every service account)'],
  ] as const) {
    if (selector !== undefined && selectsEverything(selector)) {
      warnings.push(`${prop}: empty (no matchLabels, no matchExpressions), so it selects every pod in namespace ${describeValue(input.namespace)}${how}: each of them gets these security groups instead of the node's. Add matchLabels or matchExpressions, or acknowledge this warning if every pod of the namespace should have them.`);
    }
  }
  return warnings;
}

/** Whether a label selector has no requirement at all, and so matches everything. */
function selectsEverything(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * Problems with the group to tag for the cluster: of two or more security groups, exactly one must
 * carry `kubernetes.io/cluster/<name>` (EKS user guide). The cluster security group carries it
 * already (EKS tags it); otherwise one must be named, among them. A wrong count of groups is
 * reported by validatePolicy, so it is not checked here.
 */
export function validateClusterTag(
  securityGroups: ec2.ISecurityGroup[],
  tagged: ec2.ISecurityGroup | undefined,
  clusterSecurityGroupId: string | undefined,
): Problem[] {
  const ids = [...new Set(securityGroups.map((sg) => sg.securityGroupId))];
  if (ids.length > MAX_POD_SECURITY_GROUPS) return [];
  const hasClusterSg = clusterSecurityGroupId !== undefined && ids.includes(clusterSecurityGroupId);
  if (tagged === undefined) {
    return ids.length >= 2 && !hasClusterSg
      ? [problem('clusterTaggedSecurityGroupMissing', `clusterTaggedSecurityGroup: not set, but ${ids.length} security groups are given; name the one the AWS Load Balancer Controller should update (it is tagged ${CLUSTER_TAG_PREFIX}<cluster name>, and the others must not be)`)]
      : [];
  }
  if (!ids.includes(tagged.securityGroupId)) {
    return [problem('clusterTaggedSecurityGroupNotListed', `clusterTaggedSecurityGroup: '${tagged.node.path}' is not one of securityGroups; name one of them`)];
  }
  if (hasClusterSg && tagged.securityGroupId !== clusterSecurityGroupId) {
    return [problem('clusterTaggedSecurityGroupNotListed', `clusterTaggedSecurityGroup: '${tagged.node.path}' is named, but securityGroups hold the cluster security group, which EKS tags ${CLUSTER_TAG_PREFIX}<cluster name> itself, and two tagged groups are one too many; remove clusterTaggedSecurityGroup`)];
  }
  return [];
}

/** The props of a PodsSecurityGroup this file checks. */
export interface PodsSecurityGroupInput {
  readonly description?: string;
}

/** Every problem with the props of a PodsSecurityGroup; an empty list when there is none. */
export function validatePodsSecurityGroupProps(input: PodsSecurityGroupInput): Problem[] {
  return validateSecurityGroupDescription('description', input.description);
}

/** A managed add-on version as EKS names them: `v1.19.2-eksbuild.1`. */
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** Every problem with SecurityGroupsForPods' props (tokens are not parsed). */
export function validateSecurityGroupsForPodsProps(input: { readonly addonVersion?: string; readonly otherOnCluster?: string }): Problem[] {
  const problems: Problem[] = [];
  const version = input.addonVersion;
  if (version !== undefined && !Token.isUnresolved(version) && !ADDON_VERSION.test(version)) {
    problems.push(problem('addonVersionInvalid', `addonVersion: '${version}' is not an add-on version; pass one that EKS lists for the cluster's Kubernetes version, for example 'v1.19.2-eksbuild.1' (aws eks describe-addon-versions --addon-name vpc-cni), or leave it out for EKS's default`));
  }
  if (input.otherOnCluster !== undefined) {
    problems.push(problem('vpcCniAddonDuplicate', `cluster: already has SecurityGroupsForPods ${input.otherOnCluster}, which owns its vpc-cni add-on (EKS holds one add-on of each name per cluster); use that one`));
  }
  return problems;
}
