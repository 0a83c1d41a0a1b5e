// Prints the plain closing line CI reads: "N passed, N failed".
// Counts jest's test cases from its JUnit report; a failed step outside jest (compile, docs,
// rosetta, packaging, bindings, examples, cfn-lint) counts as one more failure.
const fs = require('fs');

const [reportPath, exitCode] = process.argv.slice(2);
let tests = 0;
let failures = 0;
let skipped = 0;
if (fs.existsSync(reportPath)) {
  const xml = fs.readFileSync(reportPath, 'utf8');
  const suites = xml.match(/<testsuites\b[^>]*>/);
  const attr = (name) => Number((suites && suites[0].match(new RegExp(`${name}="(\\d+)"`)) || [0, 0])[1]);
  tests = attr('tests');
  failures = attr('failures') + attr('errors');
  skipped = (xml.match(/<skipped\s*\/>/g) || []).length;
}
if (Number(exitCode) !== 0 && failures === 0) {
  failures = 1;
}
const passed = tests - failures - skipped;
console.log(`${Math.max(passed, 0)} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ''}`);
