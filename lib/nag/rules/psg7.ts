import { resourceName } from './helpers';
import { objectName, podSecurityGroups } from './k8s';
import { Rule } from './rule';
import { asString, at } from '../../template/json';
import { AppModel, KubernetesObject, ResourceId } from '../../template/model';

/** PSG7: strict mode on a cluster that runs what only standard mode lets through. */
export const strictModeNeedsStandard: Rule = {
  id: 'PSG7',
  name: 'strictModeNeedsStandard',
  level: 'warning',
  resourceTypes: ['AWS::EKS::Addon'],
  info: 'Pods security groups in strict mode (explicit or default) on a cluster whose manifests hold a NetworkPolicy, a NodeLocal DNSCache DaemonSet (a name containing node-local-dns) or a Service with externalTrafficPolicy: Local.',
  explanation: 'In strict mode only the pod\'s security groups apply, even between pods on one node and from the node itself; the EKS user guide requires standard mode with network policies, NodeLocal DNSCache and externalTrafficPolicy: Local, whose traffic strict mode drops.',
  check(model: AppModel, resource: ResourceId) {
    const addon = model.addons.get(resource.key);
    const settings = podSecurityGroups(model, addon);
    // An enforcing mode that cannot be read (null) may be strict: reported, never passed silently.
    if (!addon || !settings || (!settings.strict && settings.enforcingMode !== null)) return undefined;
    // Objects of an unknown cluster count for every cluster, as SecurityGroupPolicies do.
    const objects = [
      ...(addon.cluster !== undefined ? model.kubernetesObjectsByCluster.get(addon.cluster) ?? [] : []),
      ...model.kubernetesObjectsByCluster.get(undefined) ?? [],
    ];
    const found = [...new Set(objects.flatMap(needingStandardMode))];
    if (found.length === 0) return undefined;
    const mode = settings.enforcingMode === null
      ? 'with a POD_SECURITY_GROUP_ENFORCING_MODE that could not be read (strict unless it is "standard")'
      : `in strict mode${settings.enforcingMode === undefined ? ' (the default)' : ''}`;
    const cluster = addon.cluster !== undefined ? `cluster ${model.clusters.get(addon.cluster)!.logicalId}` : 'its cluster';
    return `${resourceName(resource)} runs pods security groups ${mode} while the manifests of ${cluster} hold ${found.join(', ')}, which need standard mode; set POD_SECURITY_GROUP_ENFORCING_MODE "standard" (SecurityGroupsForPods: enforcingMode PodSecurityGroupEnforcingMode.STANDARD).`;
  },
};

/** The object in words when strict mode breaks it: a NetworkPolicy, NodeLocal DNSCache, or externalTrafficPolicy: Local. */
function needingStandardMode(o: KubernetesObject): string[] {
  const kind = asString(o.object.kind);
  const name = o.source.literal(at(o.object, 'metadata', 'name')) ?? '';
  if (kind === 'NetworkPolicy') return [`NetworkPolicy ${objectName(o)}`];
  if (kind === 'DaemonSet' && name.includes('node-local-dns')) return [`NodeLocal DNSCache (DaemonSet ${objectName(o)})`];
  if (kind === 'Service' && o.source.literal(at(o.object, 'spec', 'externalTrafficPolicy')) === 'Local') {
    return [`Service ${objectName(o)} with externalTrafficPolicy: Local`];
  }
  return [];
}
