// npm run mutation [-- <stryker options>]: runs Stryker (stryker.config.mjs), then writes
// guide/MUTATION.md and guide/mutation.json from its JSON report (scripts/mutation-report.mjs).
// Example: npm run mutation -- --mutate 'src/policy/**/*.ts' --concurrency 1
//
// Two passes by default: the unit suites first (quick: most mutants die there), then every suite,
// end-to-end ones included, incrementally, so only the mutants the first pass left alive (and any the
// first pass could not reach) run again. --first <folders> picks the first pass's suites, --first none
// makes one pass; --tests <folders> makes one pass over those suites only.
const FIRST = 'test/policy,test/template,test/runtime,test/e2e';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const args = process.argv.slice(2);
// --tests <folders>: our own option (comma-separated test folders), read by scripts/mutation-filter.cjs.
const testsAt = args.indexOf('--tests');
const tests = testsAt >= 0 ? args.splice(testsAt, 2)[1] : null;
if (tests) process.env.MUTATION_TESTS = tests;
const firstAt = args.indexOf('--first');
const firstOption = firstAt >= 0 ? args.splice(firstAt, 2)[1] : FIRST;
const first = tests || firstOption === 'none' ? null : firstOption;
const mutateAt = args.findIndex((a) => a === '--mutate' || a === '-m' || a.startsWith('--mutate='));
const run = {
  commit: git('rev-parse', 'HEAD'),
  // Uncommitted changes to tracked files make the report describe no commit; it says so.
  // (The report's own two files, which a run rewrites, do not count.)
  dirty: git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!guide/MUTATION.md', ':!guide/mutation.json') !== '',
  // null: the files stryker.config.mjs names.
  // null: every test file; else the folders the run was limited to (a lower bound on the scores).
  tests,
  scope: mutateAt < 0 ? null : args[mutateAt].startsWith('--mutate=') ? args[mutateAt].slice(9) : args[mutateAt + 1],
  // Suites left out of every mutation run (stryker.config.mjs says why).
  leftOut: (await import('../stryker.config.mjs')).LEFT_OUT,
  stryker: createRequire(import.meta.url)('@stryker-mutator/core/package.json').version,
  node: process.version,
  startedAt: new Date().toISOString(),
};
mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
// An incremental run keeps the results of mutants whose code and covering tests did not change since
// the previous pass on this machine (Stryker reads its incremental file whenever it exists); the report
// names that pass, recorded after every pass so that an interrupted run is named too.
const lastPass = join(root, 'reports', 'mutation', 'last-pass.json');
if (!args.includes('--force') && existsSync(join(root, 'reports', 'mutation', 'incremental.json'))) {
  run.incrementalFrom = existsSync(lastPass) ? JSON.parse(readFileSync(lastPass, 'utf8')) : { commit: 'not recorded' };
}
const recordPass = (passTests) => writeFileSync(lastPass, `${JSON.stringify({ commit: run.commit, dirty: run.dirty, tests: passTests, scope: run.scope })}\n`);

const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const started = Date.now();
function runStryker(passArgs, env) {
  const result = spawnSync(process.execPath, [stryker, 'run', ...passArgs], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`stryker exited with ${result.status ?? result.signal}; no report written`);
    process.exit(result.status ?? 1);
  }
  recordPass(env.MUTATION_TESTS ?? null);
}
if (first) {
  runStryker(args, { ...process.env, MUTATION_TESTS: first });
  run.firstPass = { tests: first, seconds: Math.round((Date.now() - started) / 1000) };
  // The second pass builds on the first: --force would throw its results away.
  runStryker(args.filter((a) => a !== '--force'), process.env);
} else {
  runStryker(args, process.env);
}
run.seconds = Math.round((Date.now() - started) / 1000);
writeFileSync(join(root, 'reports', 'mutation', 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
const report = spawnSync(process.execPath, [join(root, 'scripts', 'mutation-report.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(report.status ?? 1);
