import { inBranches, LAUNCH_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { asString } from '../../template/json';
import { AppModel, ResourceId } from '../../template/model';
import { describeValue } from '../../template/values';

/** IMDS1: node instances accept IMDSv1. */
export const imdsv2NotRequired: Rule = {
  id: 'IMDS1',
  name: 'imdsv2NotRequired',
  level: 'error',
  resourceTypes: LAUNCH_TYPES,
  info: 'A node launch template or launch configuration without HttpTokens: required.',
  explanation: 'IMDSv1 answers any request from the node, so a server-side request forgery in any pod can read the node role\'s credentials. IMDSv2 requires a session token.',
  check(model: AppModel, resource: ResourceId) {
    const launches = model.nodeLaunch(resource.key);
    const bad = launches.flatMap((launch) => {
      const tokens = launch.httpTokens;
      if (asString(tokens) === 'required') return [];
      const value = tokens === undefined ? 'not set (IMDSv1 allowed)' : asString(tokens) !== undefined ? `'${tokens}'` : `unresolved (${describeValue(tokens)})`;
      return [{ text: value, when: launch.when }];
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} has MetadataOptions.HttpTokens ${inBranches(bad, launches.map((l) => l.when))}; set it to 'required'.`;
  },
};
