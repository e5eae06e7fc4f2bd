// Jest's test order inside a mutation run (stryker.config.mjs): the fastest test files first (by the
// durations jest cached from the dry run), so a mutant is killed, and its remaining tests skipped
// (scripts/mutation-environment.cjs), as early as possible.
const Sequencer = require('@jest/test-sequencer').default;

class FastestFirst extends Sequencer {
  sort(tests) {
    const duration = (test) => {
      const cached = this._getCache(test)[test.path];
      return Array.isArray(cached) && typeof cached[1] === 'number' ? cached[1] : Number.MAX_SAFE_INTEGER;
    };
    return [...tests].sort((a, b) => duration(a) - duration(b) || (a.path < b.path ? -1 : 1));
  }
}

module.exports = FastestFirst;
