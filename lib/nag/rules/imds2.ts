import { LAUNCH_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { hopLimitOf, TemplateModel } from '../model/template-model';

/** IMDS2: IMDS is reachable further than pods on the node. */
export const imdsHopLimitTooHigh: Rule = {
  id: 'IMDS2',
  name: 'imdsHopLimitTooHigh',
  level: 'warning',
  resourceTypes: LAUNCH_TYPES,
  info: 'A node launch template or launch configuration with an IMDS hop limit above 2.',
  explanation: 'A hop limit of 2 lets pods on the node reach IMDS; more lets IMDS answers travel beyond the node.',
  check(model: TemplateModel, logicalId: string) {
    const launch = model.nodeLaunch(logicalId);
    if (!launch) return undefined;
    const hop = hopLimitOf(launch);
    if (hop === undefined || hop <= 2) return undefined;
    return `${resourceName(model, logicalId)} has MetadataOptions.HttpPutResponseHopLimit ${hop}; set it to 2 (pods reach IMDS) or 1.`;
  },
};
