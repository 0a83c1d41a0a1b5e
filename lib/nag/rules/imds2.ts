import { inBranches, LAUNCH_TYPES, resourceName } from './helpers';
import { Rule } from './rule';
import { MAX_NODE_HOP_LIMIT } from '../../conventions';
import { AppModel, hopLimitOf, ResourceId } from '../../template/model';

/** IMDS2: IMDS is reachable further than pods on the node. */
export const imdsHopLimitTooHigh: Rule = {
  id: 'IMDS2',
  name: 'imdsHopLimitTooHigh',
  level: 'warning',
  resourceTypes: LAUNCH_TYPES,
  info: 'A node launch template or launch configuration with an IMDS hop limit above 2.',
  explanation: 'A hop limit of 2 lets pods on the node reach IMDS; more lets IMDS answers travel beyond the node.',
  check(model: AppModel, resource: ResourceId) {
    const launches = model.nodeLaunch(resource.key);
    const bad = launches.flatMap((launch) => {
      const hop = hopLimitOf(launch);
      return hop === undefined || hop <= MAX_NODE_HOP_LIMIT ? [] : [{ text: String(hop), when: launch.when }];
    });
    if (bad.length === 0) return undefined;
    return `${resourceName(resource)} has MetadataOptions.HttpPutResponseHopLimit ${inBranches(bad, launches.map((l) => l.when))}; set it to 2 (pods reach IMDS) or 1.`;
  },
};
