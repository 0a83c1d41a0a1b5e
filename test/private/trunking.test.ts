import { branchInterfaces, canTrunk } from '../../lib/private/trunking';
import { BRANCH_INTERFACES } from '../../lib/private/trunking-limits';
import { fixtureJson } from '../fixtures';

describe('the trunking table', () => {
  const limits = fixtureJson('vpc-resource-controller-limits.json').limits as Record<string, { isTrunkingCompatible: boolean; branchInterfaces: number }>;

  test('is the fixture\'s trunking-compatible types with their branch interfaces (regenerate with npx projen gen:trunking)', () => {
    const expected = Object.fromEntries(Object.entries(limits)
      .filter(([, l]) => l.isTrunkingCompatible && l.branchInterfaces > 0)
      .map(([type, l]) => [type, l.branchInterfaces]));
    expect(BRANCH_INTERFACES).toEqual(expected);
    expect(Object.keys(BRANCH_INTERFACES)).toHaveLength(1060);
  });

  test('no t family type trunks; Nitro types of the table do', () => {
    expect(canTrunk('t3.medium')).toBe(false);
    expect(canTrunk('t4g.large')).toBe(false);
    expect(canTrunk('m6i.large')).toBe(true);
    expect(branchInterfaces('m6i.large')).toBe(limits['m6i.large'].branchInterfaces);
    expect(canTrunk('m4.large')).toBe(limits['m4.large']?.isTrunkingCompatible === true);
    expect(canTrunk('not-a-type')).toBe(false);
  });
});
