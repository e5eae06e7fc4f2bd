// Jest's test order inside a mutation run (stryker.config.mjs). The mutant dies at its first failing
// test file (scripts/mutation-runner.cjs), so the likeliest killers go first: the files that killed
// this process's earlier mutants of the same source file, then the files named after it, then the
// fastest (by the durations jest cached from the dry run).
const Sequencer = require('@jest/test-sequencer').default;
const { killsIn, mutantPlan, namedAfter } = require('./mutation-plan.cjs');

class LikeliestKillerFirst extends Sequencer {
  sort(tests) {
    const duration = (test) => {
      const cached = this._getCache(test)[test.path];
      return Array.isArray(cached) && typeof cached[1] === 'number' ? cached[1] : Number.MAX_SAFE_INTEGER;
    };
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    const file = mutant ? mutantPlan(mutant)?.file : undefined;
    const kills = (test) => (file ? killsIn(file, test.path) : 0);
    const named = (test) => (file && namedAfter(file, test.path) ? 0 : 1);
    return [...tests].sort((a, b) => kills(b) - kills(a) || named(a) - named(b) || duration(a) - duration(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = LikeliestKillerFirst;
