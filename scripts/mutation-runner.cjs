// Jest's test runner inside a mutation run (stryker.config.mjs). A mutant is killed by its first
// failing test file; the environment (scripts/mutation-environment.cjs) skips the tests that follow in
// that file, and this runner does not load the files that follow at all: loading a test file and what
// it imports costs more than its skipped tests. The dry run (no active mutant) runs every file.
const TestRunner = require('jest-runner').default;

class MutationRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (!process.env.__STRYKER_ACTIVE_MUTANT__ || !options.serial) return super.runTests(tests, watcher, options);
    let killed = false;
    const offSuccess = this.on('test-file-success', ([, result]) => {
      if (result.numFailingTests > 0 || result.testExecError) killed = true;
    });
    const offFailure = this.on('test-file-failure', () => {
      killed = true;
    });
    try {
      for (const test of tests) {
        if (killed) break;
        await super.runTests([test], watcher, options);
      }
    } finally {
      offSuccess();
      offFailure();
    }
  }
}

module.exports = MutationRunner;
