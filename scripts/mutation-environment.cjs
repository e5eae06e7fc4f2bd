// Jest's test environment inside a mutation run (stryker.config.mjs). Stryker runs every test that
// covers a mutant, even after one has failed (jest's bail cannot be set programmatically); once a test
// fails the mutant is killed, so the rest of its tests are skipped. The dry run (no active mutant)
// runs everything.
const { TestEnvironment } = require('jest-environment-node');

/** The mutant whose run has seen a failure; module state outlives test files in the worker process. */
let failed;

class MutationEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (!mutant) return;
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') failed = mutant;
    else if (event.name === 'test_start' && failed === mutant) event.test.mode = 'skip';
  }
}

module.exports = MutationEnvironment;
