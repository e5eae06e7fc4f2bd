/**
 * Loaded only inside a mutation run (stryker.config.mjs adds it to jest's setupFilesAfterEnv), next to
 * the bundles scripts/mutation-build.mjs builds from the instrumented sources. Child processes that
 * run dist/ cannot see Stryker's test environment, and some get a scrubbed environment, so they talk
 * through files named after this process's pid: `active-<pid>` names the mutant a child must switch
 * on; `cov-<pid>-<child>.json` is what a child covered in the coverage run, credited here to the test
 * that started it (or to no test, when it ends outside one).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Coverage {
  static: Record<string, number>;
  perTest: Record<string, Record<string, number>>;
}
interface StrykerNamespace {
  currentTestId?: string;
  mutantCoverage?: Coverage;
}

const channel = join(__dirname, '..', '..', '.mutation-channel');
const active = join(channel, `active-${process.pid}`);
const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
if (mutant) writeFileSync(active, mutant);
else rmSync(active, { force: true });

function relay(): void {
  const ns = (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;
  const prefix = `cov-${process.pid}-`;
  for (const file of readdirSync(channel).filter((f) => f.startsWith(prefix))) {
    const path = join(channel, file);
    const covered = JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
    rmSync(path, { force: true });
    if (!ns || mutant) continue;
    const coverage = (ns.mutantCoverage ??= { static: {}, perTest: {} });
    const target = ns.currentTestId ? (coverage.perTest[ns.currentTestId] ??= {}) : coverage.static;
    for (const [id, hits] of Object.entries(covered)) target[id] = (target[id] ?? 0) + hits;
  }
}

afterEach(relay);
afterAll(relay);
