// A Stryker reporter (stryker.config.mjs: appendPlugins, reporters) that writes, as soon as Stryker has
// planned which mutants to test, each one's source file and whether it is an explained equivalent
// (scripts/mutation-equivalents.json). The test runner processes read it (scripts/mutation-plan.cjs):
// an explained equivalent runs no test, since it survives by its explanation; its result stays
// "survived", so the report still matches it against the explanation. `npm run mutation --
// --verify-equivalents` (MUTATION_VERIFY_EQUIVALENTS=1) runs their tests like any other mutant's.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

const { entryKey, mutantKey, planFile } = createRequire(import.meta.url)('./mutation-plan.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

class MutationPlanReporter {
  static inject = [];

  // Synchronous on purpose: Stryker starts testing mutants as soon as this returns.
  onMutationTestingPlanReady({ mutantPlans }) {
    const verify = process.env.MUTATION_VERIFY_EQUIVALENTS === '1';
    const explained = new Set(JSON.parse(readFileSync(join(root, 'scripts', 'mutation-equivalents.json'), 'utf8')).map(entryKey));
    const sources = new Map();
    const mutants = {};
    for (const { plan, mutant } of mutantPlans) {
      if (plan !== 'Run') continue;
      const file = relative(root, mutant.fileName);
      const source = sources.get(file) ?? sources.set(file, readFileSync(mutant.fileName, 'utf8')).get(file);
      // Stryker plans with 0-based lines and columns; its reports (and explanations) are 1-based.
      const { start, end } = mutant.location;
      const location = { start: { line: start.line + 1, column: start.column + 1 }, end: { line: end.line + 1, column: end.column + 1 } };
      mutants[mutant.id] = { file, skip: !verify && explained.has(mutantKey(file, source, { ...mutant, location })) };
    }
    const path = planFile(root, process.env.MUTATION_PART);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ mutants }));
    const planned = Object.values(mutants);
    console.log(
      verify
        ? `mutation plan: ${planned.length} mutants to test, explained equivalents included (--verify-equivalents)`
        : `mutation plan: ${planned.length} mutants to test; ${planned.filter((m) => m.skip).length} explained equivalents run no test (--verify-equivalents runs them)`,
    );
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutation-plan', MutationPlanReporter)];
