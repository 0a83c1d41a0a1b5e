// Removes the folder this run's apps synthesized into (see test/jest-global-setup.js), and
// .jest-tmp itself once no other run is using it.
const fs = require('fs');
const path = require('path');

module.exports = async () => {
  const root = path.join(__dirname, '..', '.jest-tmp');
  fs.rmSync(path.join(root, `run-${process.pid}`), { recursive: true, force: true });
  try {
    fs.rmdirSync(root);
  } catch {
    // Another run still writes there, or it is already gone.
  }
};
