import { branchCondition, Found, inBranches, MANIFEST_TYPE, resourceName } from './helpers';
import { objectName, policiesSelecting } from './k8s';
import { Rule } from './rule';
import { asObject } from '../../template/json';
import { AppModel, KubernetesObject, PodTemplateInfo, ResourceId } from '../../template/model';

/** The node labels of the operating system (and their beta form, which the VPC resource controller still reads). */
const OS_LABELS = ['kubernetes.io/os', 'beta.kubernetes.io/os'];

/** PSG10: pods with their own security groups and no grace period: their branch ENIs leak. */
export const podSecurityGroupsWithoutGracePeriod: Rule = {
  id: 'PSG10',
  name: 'podSecurityGroupsWithoutGracePeriod',
  level: 'error',
  resourceTypes: [MANIFEST_TYPE],
  info: 'terminationGracePeriodSeconds: 0 on the pods of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob manifest that a SecurityGroupPolicy of their namespace selects (by the pods\' labels, or by the labels of their ServiceAccount).',
  explanation: 'The VPC CNI needs the termination grace period to remove a pod\'s network from the node; with 0 it never does, and the pod\'s branch network interface is not cleaned up: branch interfaces leak until the node can place no more pods with their own security groups.',
  check(model: AppModel, resource: ResourceId) {
    const found: Found[] = (model.podTemplatesByResource.get(resource.key) ?? []).flatMap((pod) => {
      if (pod.spec.terminationGracePeriodSeconds !== 0 || !getsBranchInterface(pod)) return [];
      const policies = policiesSelecting(model, pod);
      if (policies.length === 0) return [];
      const text = `${pod.kind} ${objectName(pod.workload)} (selected by SecurityGroupPolicy ${[...new Set(policies.map(objectName))].join(', ')})`;
      const condition = policiesCondition(model, policies, pod.workload.when);
      return [{ text: condition === undefined ? text : `${text} (${condition})`, when: pod.workload.when }];
    });
    if (found.length === 0) return undefined;
    return `${resourceName(resource)} sets terminationGracePeriodSeconds: 0 on pods that a SecurityGroupPolicy gives their own security groups: ${inBranches(found, model.variantsOf(resource).map((v) => v.when))}, so the VPC CNI never removes their network from the node and their branch network interfaces leak; remove terminationGracePeriodSeconds (the default is 30 seconds) or set it above 0.`;
  },
};

/**
 * Whether the VPC resource controller gives the pods a branch network interface when a policy
 * selects them: not for pods on the host network, nor for Windows pods (a nodeSelector on
 * kubernetes.io/os: windows), which its webhook passes by.
 */
function getsBranchInterface(pod: PodTemplateInfo): boolean {
  if (pod.spec.hostNetwork === true) return false;
  const nodeSelector = asObject(pod.spec.nodeSelector) ?? {};
  return !OS_LABELS.some((label) => pod.workload.source.literal(nodeSelector[label]) === 'windows');
}

/** The condition under which the selecting policies exist, when they do in some branches only (and not those of the workload itself). */
function policiesCondition(model: AppModel, policies: readonly KubernetesObject[], workloadWhen: string | undefined): string | undefined {
  if (policies.some((p) => p.when === undefined)) return undefined;
  const whens = [...new Set(policies.map((p) => p.when))];
  const resources = new Set(policies.map((p) => p.declaredBy.key));
  const condition = resources.size === 1
    ? branchCondition(whens, model.variantsOf(policies[0].declaredBy).map((v) => v.when))
    : whens.join(' or ');
  return condition === workloadWhen ? undefined : condition;
}
