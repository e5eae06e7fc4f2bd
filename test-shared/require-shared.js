// Fails the run loudly when ../shared is missing: these tests must never pass by skipping.
const { existsSync } = require('node:fs');
const { sharedDir } = require('./shared-dir.js');

module.exports = async () => {
  const dir = sharedDir();
  for (const sub of ['peer', 'schemas', 'corpus']) {
    if (!existsSync(`${dir}/${sub}`)) {
      throw new Error(`test:shared needs the shared material at ${dir}/${sub} (set SHARED_DIR to override).`);
    }
  }
};
