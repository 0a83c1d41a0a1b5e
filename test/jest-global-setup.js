// Runs once, in the parent process, before jest starts its workers (which inherit this
// environment).
//
// Each `new App()` synthesizes into a fresh folder under the system temp dir, and every EKS
// cluster stages its kubectl and AWS CLI layers (about 60 MB) there: a run of this suite would
// leave gigabytes behind. So the tests' apps write under .jest-tmp/run-<pid>/ (removed after the
// run by test/jest-global-teardown.js; one folder per run, so two runs at once do not remove each
// other's files), and asset staging is off (assets are referenced where they are, as `sam local`
// does; templates are unchanged).
const fs = require('fs');
const path = require('path');

module.exports = async () => {
  const tmp = path.join(__dirname, '..', '.jest-tmp', `run-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  process.env.TMPDIR = tmp;
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-asset-staging': true });
};
