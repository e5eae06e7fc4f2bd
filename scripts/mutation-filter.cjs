// Jest's test-file filter inside a mutation run (stryker.config.mjs): Stryker selects the covering
// tests by name, but jest would still load every test file to find them. test/support/mutation-relay.ts
// records in the dry run which mutants each test file covers; a mutant run loads only those files,
// and none for an explained equivalent (scripts/mutation-plan-reporter.mjs).
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { mutantPlan } = require('./mutation-plan.cjs');

const files = join(__dirname, '..', '.mutation-channel', 'files');

/** `npm run mutation -- --tests test/policy,test/cli`: only test files under these folders, dry run included. */
const only = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .filter(Boolean)
  .map((folder) => join(__dirname, '..', folder));

/** Mutant id -> the test files that cover it; written once by the dry run, read once per process. */
let coveringFiles;
function covering(mutant) {
  if (coveringFiles === undefined) {
    coveringFiles = new Map();
    for (const name of readdirSync(files)) {
      const { path, ids } = JSON.parse(readFileSync(join(files, name), 'utf8'));
      for (const id of ids) (coveringFiles.get(id) ?? coveringFiles.set(id, new Set()).get(id)).add(path);
    }
  }
  return coveringFiles.get(mutant) ?? new Set();
}

module.exports = async (allPaths) => {
  const testPaths = only.length === 0 ? allPaths : allPaths.filter((p) => only.some((folder) => p.startsWith(`${folder}/`) || p === folder));
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (!mutant || !existsSync(files)) return { filtered: testPaths };
  if (mutantPlan(mutant)?.skip) return { filtered: [] };
  const chosen = covering(mutant);
  // A mutant no file recorded (covered only outside every test file's reach): all files, as Stryker would.
  return { filtered: chosen.size === 0 ? testPaths : testPaths.filter((p) => chosen.has(p)) };
};
