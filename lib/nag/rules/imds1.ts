import { LAUNCH_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { asString } from '../model/json';
import { TemplateModel } from '../model/template-model';

/** IMDS1: node instances accept IMDSv1. */
export const imdsv2NotRequired: Rule = {
  id: 'IMDS1',
  name: 'imdsv2NotRequired',
  level: 'error',
  resourceTypes: LAUNCH_TYPES,
  info: 'A node launch template or launch configuration without HttpTokens: required.',
  explanation: 'IMDSv1 answers any request from the node, so a server-side request forgery in any pod can read the node role\'s credentials. IMDSv2 requires a session token.',
  check(model: TemplateModel, logicalId: string) {
    const launch = model.nodeLaunch(logicalId);
    if (!launch) return undefined;
    const tokens = launch.httpTokens;
    if (asString(tokens) === 'required') return undefined;
    const value = tokens === undefined ? 'not set (IMDSv1 allowed)' : asString(tokens) !== undefined ? `'${tokens}'` : `unresolved (${JSON.stringify(tokens)})`;
    return `${resourceName(model, logicalId)} has MetadataOptions.HttpTokens ${value}; set it to 'required'.`;
  },
};
