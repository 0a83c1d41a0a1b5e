import { resourceName } from './helpers';
import { Rule } from './rule';
import { ANY_IPV4, ANY_IPV6 } from '../model/ingress';
import { asBoolean, asNumber, asString, at } from '../model/json';
import { TemplateModel } from '../model/template-model';

/** NACL1: a network ACL lets everything in from everywhere. */
export const networkAclAllowsAllFromInternet: Rule = {
  id: 'NACL1',
  name: 'networkAclAllowsAllFromInternet',
  level: 'warning',
  resourceTypes: ['AWS::EC2::NetworkAclEntry'],
  info: 'A network ACL ingress entry allows all protocols from 0.0.0.0/0 or ::/0.',
  explanation: 'A network ACL that allows everything from everywhere adds no boundary; security groups are then the only one.',
  check(model: TemplateModel, logicalId: string) {
    const p = at(model.resources[logicalId], 'Properties');
    if (asBoolean(at(p, 'Egress')) === true || asString(at(p, 'RuleAction')) !== 'allow') return undefined;
    if (asNumber(at(p, 'Protocol')) !== -1) return undefined;
    const cidr = [asString(at(p, 'CidrBlock')), asString(at(p, 'Ipv6CidrBlock'))].find((c) => c === ANY_IPV4 || c === ANY_IPV6);
    if (cidr === undefined) return undefined;
    return `${resourceName(model, logicalId)} allows all protocols in from ${cidr}; allow only the protocols and ports the subnet serves.`;
  },
};
