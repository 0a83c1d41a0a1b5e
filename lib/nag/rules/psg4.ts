import { resourceName } from './helpers';
import { cniEnv, podSecurityGroups } from './k8s';
import { Rule } from './rule';
import { AppModel, ResourceId } from '../../template/model';

/** PSG4: strict mode without the early demux fix: kubelet probes fail. */
export const strictModeWithoutEarlyDemuxOff: Rule = {
  id: 'PSG4',
  name: 'strictModeWithoutEarlyDemuxOff',
  level: 'warning',
  resourceTypes: ['AWS::EKS::Addon'],
  info: 'Pods security groups in strict mode (explicit or default) without init DISABLE_TCP_EARLY_DEMUX "true" (probes fail).',
  explanation: 'In strict mode the kubelet\'s TCP probes to pods on branch interfaces are dropped unless TCP early demux is turned off in the CNI\'s init container.',
  check(model: AppModel, resource: ResourceId) {
    const settings = podSecurityGroups(model, model.addons.get(resource.key));
    if (!settings?.strict || cniEnv(settings.document, true).DISABLE_TCP_EARLY_DEMUX === 'true') return undefined;
    return `${resourceName(resource)} runs pods security groups in strict mode${settings.enforcingMode === undefined ? ' (the default)' : ''} without init.env.DISABLE_TCP_EARLY_DEMUX "true"; set it, or use POD_SECURITY_GROUP_ENFORCING_MODE "standard".`;
  },
};
