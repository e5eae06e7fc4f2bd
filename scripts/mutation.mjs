// npm run mutation [-- <options>]: runs Stryker (stryker.config.mjs) over each part below, then writes
// guide/MUTATION.md and guide/mutation.json from the parts' JSON reports (scripts/mutation-report.mjs).
// Example: npm run mutation -- --part template --concurrency 1
//
// Options of ours (every other option goes to Stryker):
//   --part <name>     only this part (repeatable); the report still shows the other parts' last runs
//   --mutate <globs>  within the part, only these files
//   --tests <folders> within the part, one pass over the suites in these folders only
//   --first <folders> within a two-pass part, the first pass's suites; `none` makes one pass of every suite
//   --verify-equivalents  run the tests of explained equivalents too (otherwise they run none:
//                     scripts/mutation-plan-reporter.mjs), to check that each still survives; implies --force
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const IN_PROCESS = 'test/policy,test/template,test/runtime,test/e2e';

/**
 * A run is made of parts, each with its own files, suites, results and incremental file, so that a
 * part can be re-run alone without losing the others'.
 * - core: the policy, the hook protocol and the entrypoints. Two passes: the unit and in-process
 *   end-to-end suites first (most mutants die there, quickly), then every suite, incrementally, on
 *   what they left alive.
 * - template: the template reader, conditions and fixer. One pass of its own suites (test/template,
 *   in process, through the module's API): its mutants are many (about 4,000), and the suites that
 *   reach it through a door (the command line in a child process per case, the stack-level hook
 *   end to end) take seconds per surviving mutant, which would put a full run past an hour on 2
 *   cores. Its scores are lower bounds.
 * - cli: the command line (file listing, worker threads, formats, fix). Its suites run the built
 *   bundle in child processes (whose threads report what they cover: scripts/mutation-build.mjs),
 *   and the API suite loads it in process. Two passes: the suites under test/cli first, then every
 *   suite on what they left alive.
 */
export const PARTS = {
  core: { mutate: 'src/policy/**/*.ts,src/runtime/**/*.ts,src/handlers.ts', first: IN_PROCESS, tests: null },
  template: { mutate: 'src/template/**/*.ts', first: null, tests: 'test/template' },
  cli: { mutate: 'src/cli/**/*.ts', first: 'test/cli', tests: null },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));

async function main(args) {
  const take = (name) => {
    const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (at < 0) return undefined;
    if (args[at] !== name) return args.splice(at, 1)[0].slice(name.length + 1);
    const [, value] = args.splice(at, 2);
    if (value === undefined || value.startsWith('-')) fail(`${name} needs a value`);
    return value;
  };
  const chosen = [];
  for (let part = take('--part'); part !== undefined; part = take('--part')) {
    if (!(part in PARTS)) fail(`unknown part "${part}": the parts are ${Object.keys(PARTS).join(', ')}`);
    chosen.push(part);
  }
  const mutate = take('--mutate') ?? take('-m');
  const tests = take('--tests');
  const first = take('--first');
  const verifyAt = args.indexOf('--verify-equivalents');
  const verify = verifyAt >= 0;
  // Incremental results would keep the explained equivalents' earlier runs without tests.
  if (verify) args.splice(verifyAt, 1, ...(args.includes('--force') ? [] : ['--force']));
  const leftOut = (await import('../stryker.config.mjs')).LEFT_OUT;
  for (const name of chosen.length > 0 ? chosen : Object.keys(PARTS)) {
    const part = PARTS[name];
    runPart(name, {
      mutate: mutate ?? part.mutate,
      tests: tests ?? (first === undefined ? part.tests : null),
      first: tests ? null : first === 'none' ? null : (first ?? part.first),
      leftOut,
      verify,
      args,
    });
  }
  const report = spawnSync(process.execPath, [join(root, 'scripts', 'mutation-report.mjs')], { cwd: root, stdio: 'inherit' });
  process.exit(report.status ?? 1);
}

function fail(message) {
  console.error(`npm run mutation: ${message}`);
  process.exit(2);
}

function runPart(name, { mutate, tests, first, leftOut, verify, args }) {
  const dir = join(root, 'reports', 'mutation', 'parts', name);
  mkdirSync(dir, { recursive: true });
  const run = {
    part: name,
    commit: git('rev-parse', 'HEAD'),
    // Uncommitted changes to tracked files make the report describe no commit; it says so.
    // (The report's own two files, which a run rewrites, do not count.)
    dirty: git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!guide/MUTATION.md', ':!guide/mutation.json') !== '',
    scope: mutate,
    // null: every suite; else the folders the part was limited to (a lower bound on its scores).
    tests,
    // Suites left out of every mutation run (stryker.config.mjs says why).
    leftOut,
    stryker: createRequire(import.meta.url)('@stryker-mutator/core/package.json').version,
    node: process.version,
    startedAt: new Date().toISOString(),
  };
  // An incremental run keeps the results of mutants whose code and covering tests did not change since
  // the part's previous pass on this machine (Stryker reads its incremental file whenever it exists);
  // the report names that pass, recorded after every pass so that an interrupted run is named too.
  const lastPass = join(dir, 'last-pass.json');
  if (!args.includes('--force') && existsSync(join(dir, 'incremental.json'))) {
    run.incrementalFrom = existsSync(lastPass) ? JSON.parse(readFileSync(lastPass, 'utf8')) : { commit: 'not recorded' };
  }
  const recordPass = (passTests) => writeFileSync(lastPass, `${JSON.stringify({ commit: run.commit, dirty: run.dirty, tests: passTests, scope: run.scope })}\n`);
  const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const started = Date.now();
  const pass = (passArgs, passTests) => {
    const env = { ...process.env, MUTATION_PART: name, MUTATION_VERIFY_EQUIVALENTS: verify ? '1' : '0' };
    if (passTests) env.MUTATION_TESTS = passTests;
    else delete env.MUTATION_TESTS;
    console.log(`\nnpm run mutation: part ${name}, ${mutate}, ${passTests ? `suites under ${passTests}` : 'every suite'}`);
    const result = spawnSync(process.execPath, [stryker, 'run', '--mutate', mutate, ...passArgs], { cwd: root, stdio: 'inherit', env });
    if (result.status !== 0) fail(`stryker exited with ${result.status ?? result.signal} in part ${name}; no report written`);
    recordPass(passTests);
  };
  if (first) {
    pass(args, first);
    run.firstPass = { tests: first, seconds: Math.round((Date.now() - started) / 1000) };
    // The second pass builds on the first: --force would throw its results away.
    pass(
      args.filter((a) => a !== '--force'),
      null,
    );
  } else {
    pass(args, tests);
  }
  run.seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
}
