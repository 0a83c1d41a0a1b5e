import { branchInterfaces, canTrunk } from '../../lib/private/trunking';
import { BRANCH_INTERFACES } from '../../lib/private/trunking-limits';
import { describeWithFixtures, fixtureJson } from '../fixtures';

type Limits = Record<string, { isTrunkingCompatible: boolean; branchInterfaces: number }>;

describeWithFixtures('the trunking table against vpc-resource-controller-limits.json in ../shared/fixtures', () => {
  let limits: Limits;
  beforeAll(() => {
    limits = fixtureJson('vpc-resource-controller-limits.json').limits;
  });

  test('is the fixture\'s trunking-compatible types with their branch interfaces (regenerate with npx projen gen:trunking)', () => {
    const expected = Object.fromEntries(Object.entries(limits)
      .filter(([, l]) => l.isTrunkingCompatible && l.branchInterfaces > 0)
      .map(([type, l]) => [type, l.branchInterfaces]));
    expect(BRANCH_INTERFACES).toEqual(expected);
  });

  test('branchInterfaces and canTrunk answer as the limits data does', () => {
    expect(branchInterfaces('m6i.large')).toBe(limits['m6i.large'].branchInterfaces);
    expect(canTrunk('m4.large')).toBe(limits['m4.large']?.isTrunkingCompatible === true);
  });
});

describe('the trunking table', () => {
  test('holds the 1,060 trunking-compatible types of the limits data', () => {
    expect(Object.keys(BRANCH_INTERFACES)).toHaveLength(1060);
  });

  test('no t family type trunks; a Nitro type does; an unknown type does not', () => {
    expect(canTrunk('t3.medium')).toBe(false);
    expect(canTrunk('t4g.large')).toBe(false);
    expect(canTrunk('m6i.large')).toBe(true);
    expect(canTrunk('not-a-type')).toBe(false);
  });
});
