import { MANIFEST_TYPE, resourceName } from './helpers';
import { targetGroupBindings } from './k8s';
import { Rule } from './rule';
import { ANY_IPV4, ANY_IPV6 } from '../../template/ingress';
import { AppModel, ResourceId } from '../../template/model';

/** TGB1: a TargetGroupBinding whose spec.networking opens its targets to the internet. */
export const targetGroupBindingOpenToInternet: Rule = {
  id: 'TGB1',
  name: 'targetGroupBindingOpenToInternet',
  level: 'error',
  resourceTypes: [MANIFEST_TYPE],
  info: 'A TargetGroupBinding (elbv2.k8s.aws) whose spec.networking lets 0.0.0.0/0 or ::/0 in (an ingress from peer with that ipBlock.cidr).',
  explanation: 'With spec.networking the AWS Load Balancer Controller writes the ingress rules on the targets\' security group itself (the node security group, or the pods\' own), outside the template: an ipBlock of 0.0.0.0/0 or ::/0 opens the targets to the internet. Leave spec.networking out and own the rule from the load balancer\'s security group.',
  check(model: AppModel, resource: ResourceId) {
    const found = new Set<string>();
    for (const binding of targetGroupBindings(model, resource)) {
      for (const rule of binding.networking ?? []) {
        const open = [...new Set(rule.from.map((peer) => peer.cidr).filter((cidr) => cidr === ANY_IPV4 || cidr === ANY_IPV6))];
        if (open.length > 0) found.add(`TargetGroupBinding ${binding.name} whose spec.networking lets ${open.join(' and ')} in on ${rule.ports}`);
      }
    }
    if (found.size === 0) return undefined;
    return `${resourceName(resource)} has ${[...found].join('; ')}, and the AWS Load Balancer Controller writes that rule on its targets' security group; `
      + 'remove spec.networking and allow the targets\' port from the load balancer security group only (AlbIngressBackendRules.addTargetGroupBinding).';
  },
};
