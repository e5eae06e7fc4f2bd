/**
 * Loaded only inside a mutation run (stryker.config.mjs adds it to jest's setupFilesAfterEnv). It
 * sharpens the coverage Stryker's dry run records, so that each mutant runs only the tests that can
 * see it, and so that bundles run in child processes count.
 *
 * - Code run outside any test (a test file's imports and module body, beforeAll) is "static" to
 *   Stryker, and a static mutant runs the whole suite. Jest gives each test file its own modules, so
 *   what one file runs outside its tests can only change that file's tests: it is credited to them.
 * - Child processes that run dist/ (built by scripts/mutation-build.mjs) cannot see Stryker's test
 *   environment, and some get a scrubbed environment, so they talk through files named after this
 *   process's pid: `active-<pid>` names the mutant a child must switch on; `cov-<pid>-<child>[-<thread>].json`
 *   is what a child covered, credited to the test that started it. Worker threads of this process
 *   that run dist/ do the same, under this process's own pid (`jest-<pid>` tells them it is jest's).
 * - `files/<hash>.json` lists the mutants a test file covers, for scripts/mutation-filter.cjs, so a
 *   mutant run loads only the test files that can see its mutant.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

// A property that fails has found its mutant: shrinking the counterexample would only cost time.
fc.configureGlobal({ endOnFailure: true });

type Hits = Record<string, number>;
interface Coverage {
  static: Hits;
  perTest: Record<string, Hits>;
}
interface StrykerNamespace {
  currentTestId?: string;
  mutantCoverage?: Coverage;
}

const channel = join(__dirname, '..', '..', '.mutation-channel');
const active = join(channel, `active-${process.pid}`);
// Marks this process as jest's: its own worker threads (running dist/) talk through its files too.
writeFileSync(join(channel, `jest-${process.pid}`), '');
const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
if (mutant) writeFileSync(active, mutant);
else rmSync(active, { force: true });

const ns = (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;
const coverage = ns ? (ns.mutantCoverage ??= { static: {}, perTest: {} }) : undefined;
/** Static coverage before this file loaded: what grows past it is this file's own. */
const before: Hits = { ...coverage?.static };
const tests = new Set<string>();

function add(target: Hits, hits: Hits): void {
  for (const [id, n] of Object.entries(hits)) target[id] = (target[id] ?? 0) + n;
}

/** Child coverage files of this process: credited to the current test, else to this file. */
function collectChildren(): void {
  const prefix = `cov-${process.pid}-`;
  for (const file of readdirSync(channel).filter((f) => f.startsWith(prefix))) {
    const path = join(channel, file);
    const covered = JSON.parse(readFileSync(path, 'utf8')) as Hits;
    rmSync(path, { force: true });
    if (!coverage || mutant) continue;
    add(ns?.currentTestId ? (coverage.perTest[ns.currentTestId] ??= {}) : coverage.static, covered);
  }
}

afterEach(() => {
  if (ns?.currentTestId) tests.add(ns.currentTestId);
  collectChildren();
});

afterAll(() => {
  collectChildren();
  if (!coverage || mutant || tests.size === 0) return;
  const own: Hits = {};
  for (const [id, n] of Object.entries(coverage.static)) {
    const extra = n - (before[id] ?? 0);
    if (extra <= 0) continue;
    own[id] = extra;
    if (before[id] === undefined) delete coverage.static[id];
    else coverage.static[id] = before[id];
  }
  const ids = new Set(Object.keys(own));
  for (const test of tests) {
    const hits = (coverage.perTest[test] ??= {});
    add(hits, own);
    for (const id of Object.keys(hits)) ids.add(id);
  }
  const testPath = expect.getState().testPath ?? '';
  mkdirSync(join(channel, 'files'), { recursive: true });
  const name = createHash('sha256').update(testPath).digest('hex').slice(0, 16);
  writeFileSync(join(channel, 'files', `${name}.json`), JSON.stringify({ path: testPath, ids: [...ids] }));
});
