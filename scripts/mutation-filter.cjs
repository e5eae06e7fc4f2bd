// Jest's test-file filter inside a mutation run (stryker.config.mjs): Stryker selects the covering
// tests by name, but jest would still load every test file to find them. test/support/mutation-relay.ts
// records in the dry run which mutants each test file covers; a mutant run loads only those files.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const files = join(__dirname, '..', '.mutation-channel', 'files');

/** `npm run mutation -- --tests test/policy,test/cli`: only test files under these folders, dry run included. */
const only = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .filter(Boolean)
  .map((folder) => join(__dirname, '..', folder));

module.exports = async (allPaths) => {
  const testPaths = only.length === 0 ? allPaths : allPaths.filter((p) => only.some((folder) => p.startsWith(`${folder}/`) || p === folder));
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (!mutant || !existsSync(files)) return { filtered: testPaths };
  const covering = new Set();
  for (const name of readdirSync(files)) {
    const { path, ids } = JSON.parse(readFileSync(join(files, name), 'utf8'));
    if (ids.includes(mutant)) covering.add(path);
  }
  // A mutant no file recorded (covered only outside every test file's reach): all files, as Stryker would.
  return { filtered: covering.size === 0 ? testPaths : testPaths.filter((p) => covering.has(p)) };
};
