import { inBranches, resourceName } from './helpers';
import { Rule } from './rule';
import { ANY_IPV4, ANY_IPV6 } from '../../template/ingress';
import { asBoolean, asNumber, asString } from '../../template/json';
import { AppModel, ResourceId } from '../../template/model';

/** NACL1: a network ACL lets everything in from everywhere. */
export const networkAclAllowsAllFromInternet: Rule = {
  id: 'NACL1',
  name: 'networkAclAllowsAllFromInternet',
  level: 'warning',
  resourceTypes: ['AWS::EC2::NetworkAclEntry'],
  info: 'A network ACL ingress entry allows all protocols from 0.0.0.0/0 or ::/0.',
  explanation: 'A network ACL that allows everything from everywhere adds no boundary; security groups are then the only one.',
  check(model: AppModel, resource: ResourceId) {
    const entries = model.networkAclEntries.get(resource.key) ?? [];
    const open = entries.flatMap(({ properties: p, when }) => {
      if (asBoolean(p.Egress) === true || asString(p.RuleAction) !== 'allow' || asNumber(p.Protocol) !== -1) return [];
      const cidr = [asString(p.CidrBlock), asString(p.Ipv6CidrBlock)].find((c) => c === ANY_IPV4 || c === ANY_IPV6);
      return cidr === undefined ? [] : [{ text: cidr, when }];
    });
    if (open.length === 0) return undefined;
    return `${resourceName(resource)} allows all protocols in from ${inBranches(open, entries.map((e) => e.when))}; allow only the protocols and ports the subnet serves.`;
  },
};
