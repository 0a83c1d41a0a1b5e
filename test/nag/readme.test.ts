import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../../lib/nag/rules';

test('README\'s catalog table lists every rule with its level, finding and reason, in order', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => /^\| [A-Z]+\d+ \| (error|warning) \|/.test(line));
  expect(rows).toEqual(RULES.map((r) => `| ${r.id} | ${r.level} | ${r.info} | ${r.explanation} |`));
});
