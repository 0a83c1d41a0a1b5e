import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RestrictedKubeletAccess } from '../../lib';
import { ERROR_CODES, HardenedEksNetworkingError, WARNING_CODES } from '../../lib/errors';
import { problem, throwIfProblems } from '../../lib/private/errors';
import { clusterFixture } from '../util';

const ROOT = path.join(__dirname, '..', '..');

/** Every TypeScript source of the library, as text. */
function librarySources(dir = path.join(ROOT, 'lib')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return librarySources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [fs.readFileSync(p, 'utf8')] : [];
  });
}

/** The first column of the table under a README heading. */
function readmeCodes(heading: string, column: string): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const table = section.slice(section.indexOf(`| ${column} |`));
  const rows = table.split('\n').filter((l, i) => i >= 2 && l.startsWith('| `'));
  const end = table.split('\n').findIndex((l, i) => i >= 2 && !l.startsWith('|'));
  return rows.slice(0, end - 2).map((l) => /^\| `([^`]+)`/.exec(l)![1]);
}

describe('error and warning codes', () => {
  test('README lists every error code, once', () => {
    const listed = readmeCodes('### Error codes', 'code');
    expect([...listed].sort()).toEqual([...ERROR_CODES].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  test('README lists every warning code', () => {
    expect(readmeCodes('### Error codes', 'warning').sort()).toEqual([...WARNING_CODES].sort());
  });

  test('every code is given by some problem() or warn() of the library, so none is listed in vain', () => {
    const sources = librarySources().join('\n');
    const used = new Set([...sources.matchAll(/\b(?:problem|warn)\((?:this, )?'([A-Za-z0-9]+)'/g)].map((m) => m[1]));
    const codeParameters = /checkText\(prop, \w+, '([A-Za-z0-9]+)'\)/g;
    for (const m of sources.matchAll(codeParameters)) used.add(m[1]);
    expect([...ERROR_CODES, ...WARNING_CODES].filter((c) => !used.has(c))).toEqual([]);
  });
});

describe('HardenedEksNetworkingError', () => {
  test('GIVEN a CIDR as a kubelet source WHEN the construct is built THEN the error carries the path and the code', () => {
    const { stack, cluster } = clusterFixture();
    let caught: unknown;
    try {
      new RestrictedKubeletAccess(stack, 'Kubelet', { cluster, additionalKubeletSources: [ec2.Peer.ipv4('10.0.0.0/16'), ec2.Peer.prefixList('pl-1')] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HardenedEksNetworkingError);
    expect(HardenedEksNetworkingError.isHardenedEksNetworkingError(caught)).toBe(true);
    const error = caught as HardenedEksNetworkingError;
    expect(error.name).toBe('HardenedEksNetworkingError');
    expect(error.constructPath).toBe('Test/Kubelet');
    expect(error.codes).toEqual(['kubeletSourceNotSecurityGroup', 'kubeletSourceNotSecurityGroup']);
    expect(error.message).toMatch(/^Test\/Kubelet: 2 problems:\n  - additionalKubeletSources: '10\.0\.0\.0\/16' is an IPv4 CIDR.* \[hardened-eks-networking:kubeletSourceNotSecurityGroup\]\n  - /);
  });

  test('isHardenedEksNetworkingError is false for other errors and values', () => {
    expect(HardenedEksNetworkingError.isHardenedEksNetworkingError(new Error('x'))).toBe(false);
    expect(HardenedEksNetworkingError.isHardenedEksNetworkingError(undefined)).toBe(false);
    expect(HardenedEksNetworkingError.isHardenedEksNetworkingError('Test/Kubelet: x')).toBe(false);
  });

  test('a problem without a known code is a bug of the library, and says so', () => {
    const stack = new Stack();
    expect(() => throwIfProblems(stack, ['no code' as ReturnType<typeof problem>])).toThrow(/hardened-eks-networking bug: a problem without a known code: no code/);
    expect(() => throwIfProblems(stack, [problem('portsEmpty', 'ports: []')])).toThrow(HardenedEksNetworkingError);
  });
});
