// Jest's test runner inside a mutation run (stryker.config.mjs). A mutant is killed by its first
// failing test file; the environment (scripts/mutation-environment.cjs) skips the tests that follow in
// that file, and this runner does not load the files that follow at all: loading a test file and what
// it imports costs more than its skipped tests. It remembers which file killed the mutant, for the
// order of the next ones (scripts/mutation-sequencer.cjs). The dry run (no active mutant) runs every file.
const TestRunner = require('jest-runner').default;
const { mutantPlan, noteKill } = require('./mutation-plan.cjs');

class MutationRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (!mutant || !options.serial) return super.runTests(tests, watcher, options);
    let killer;
    const offSuccess = this.on('test-file-success', ([test, result]) => {
      if (result.numFailingTests > 0 || result.testExecError) killer ??= test;
    });
    const offFailure = this.on('test-file-failure', ([test]) => {
      killer ??= test;
    });
    try {
      for (const test of tests) {
        if (killer) break;
        await super.runTests([test], watcher, options);
      }
    } finally {
      offSuccess();
      offFailure();
    }
    const file = mutantPlan(mutant)?.file;
    if (killer && file) noteKill(file, killer.path);
  }
}

module.exports = MutationRunner;
