// Removes the folder the tests' apps synthesized into (see test/jest-global-setup.js).
const fs = require('fs');
const path = require('path');

module.exports = async () => {
  fs.rmSync(path.join(__dirname, '..', '.jest-tmp'), { recursive: true, force: true });
};
