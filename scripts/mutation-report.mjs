// Turns the JSON reports of the run's parts (reports/mutation/parts/<part>/mutation.json) and their
// facts (run.json beside each, written by scripts/mutation.mjs) into guide/MUTATION.md and
// guide/mutation.json. A surviving mutant counts as equivalent only where
// scripts/mutation-equivalents.json explains it, keyed as scripts/mutation-plan.cjs says (file,
// mutator, code, replacement, the text of its lines and which occurrence on them), so explanations
// outlive re-runs and line shifts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
import { PARTS } from './mutation.mjs';
import plan from './mutation-plan.cjs';

const { entryKey, lineOf, mutantKey, nthOf, originalOf, squash } = plan;

const parts = Object.keys(PARTS)
  .map((name) => ({ name, dir: `reports/mutation/parts/${name}` }))
  .filter(({ dir }) => existsSync(join(root, dir, 'run.json')) && existsSync(join(root, dir, 'mutation.json')))
  .map(({ name, dir }) => ({ name, run: read(`${dir}/run.json`), report: read(`${dir}/mutation.json`) }));
if (parts.length === 0) {
  console.error('mutation report: no part has been run (reports/mutation/parts/*/run.json): run npm run mutation first');
  process.exit(1);
}
/** Every mutated file of every part; a file belongs to one part. */
const report = { files: {} };
for (const part of parts) {
  for (const [file, data] of Object.entries(part.report.files)) {
    if (report.files[file]) throw new Error(`${file} is in two parts of the run: give each file to one part (scripts/mutation.mjs PARTS)`);
    report.files[file] = data;
  }
}
const missing = Object.keys(PARTS).filter((name) => !parts.some((p) => p.name === name));
const commits = [...new Set(parts.map((p) => p.run.commit))];
const equivalents = read('scripts/mutation-equivalents.json');

const explained = new Map(equivalents.map((e) => [entryKey(e), e]));
const used = new Set();
/** Explained mutants that did not survive this run, with their status (e.g. a Timeout on a busy machine). */
const detectedAnyway = new Map();

const files = Object.keys(report.files).sort();
const summary = {};
const sections = [];
const total = { killed: 0, timedOut: 0, survived: 0, noCoverage: 0, equivalent: 0, ignored: 0, errors: 0, notRerun: 0 };
for (const file of files) {
  const { source, mutants } = report.files[file];
  const count = { killed: 0, timedOut: 0, survived: 0, noCoverage: 0, equivalent: 0, ignored: 0, errors: 0, notRerun: 0 };
  const equivalent = [];
  const open = [];
  for (const m of [...mutants].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
    const code = originalOf(source, m.location);
    const replacement = m.replacement ?? '';
    if (m.status === 'Killed') count.killed++;
    else if (m.status === 'Timeout') count.timedOut++;
    else if (m.status === 'Ignored') count.ignored++;
    else if (m.status === 'CompileError' || m.status === 'RuntimeError') count.errors++;
    const key = mutantKey(file, source, m);
    if (m.status !== 'Survived' && m.status !== 'NoCoverage' && explained.has(key)) detectedAnyway.set(key, m.status);
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      // Not covered counts as equivalent only where its entry says why no input can reach the code.
      const why = explained.get(key);
      const row = { line: m.location.start.line, text: lineOf(source, m.location), nth: nthOf(source, m.location), mutator: m.mutatorName, code, replacement, status: m.status };
      if (why) {
        used.add(key);
        count.equivalent++;
        // Survived without a test: the run trusted its explanation (scripts/mutation-plan-reporter.mjs).
        if (m.status === 'Survived' && m.testsCompleted === 0) count.notRerun++;
        equivalent.push({ ...row, why: why.why });
      } else {
        count[m.status === 'Survived' ? 'survived' : 'noCoverage']++;
        open.push(row);
      }
    }
  }
  const detected = count.killed + count.timedOut;
  const valid = detected + count.survived + count.noCoverage + count.equivalent;
  const score = valid - count.equivalent === 0 ? 100 : (100 * detected) / (valid - count.equivalent);
  const raw = valid === 0 ? 100 : (100 * detected) / valid;
  summary[file] = {
    score: Math.round(score * 100) / 100,
    killed: count.killed,
    survived: count.survived,
    noCoverage: count.noCoverage,
    equivalent: count.equivalent,
    timedOut: count.timedOut,
  };
  for (const k of Object.keys(count)) total[k] += count[k];
  sections.push({ file, count, score, raw, equivalent, open });
}

const inline = (text) => `\`${squash(text).replace(/`/g, "'").slice(0, 160)}\``;
const pct = (n) => `${n.toFixed(1)}%`;
const md = [];
md.push('# Mutation testing');
md.push('');
md.push(
  'Stryker changes one piece of the code at a time (a condition, a bound, a string) and runs the tests that cover it; a mutant that no test notices marks behaviour no test pins down. This page is written by `npm run mutation` from the run it describes; do not edit it by hand.',
);
md.push('');
md.push('## The run');
md.push('');
md.push(
  commits.length === 1
    ? `- Commit: \`${commits[0]}\`${parts.some((p) => p.run.dirty) ? ' **plus uncommitted changes** (this report describes no commit; re-run on a clean tree)' : ''}`
    : `- **The parts ran on different commits** (${parts.map((p) => `${p.name}: \`${p.run.commit}\``).join(', ')}): this report describes no single commit; re-run every part on one`,
);
md.push(`- In parts, each with its own files, suites and incremental results (\`scripts/mutation.mjs\`: PARTS)${missing.length ? `; **not run: ${missing.join(', ')}** (its files have no score here)` : ''}`);
if (missing.length === 0 && commits.length === 1) {
  const total = parts.reduce((sum, p) => sum + p.run.seconds, 0);
  const scratch = parts.every((p) => !p.run.incrementalFrom);
  md.push(
    `- Whole run: ${Math.round(total / 60)} min (${parts.map((p) => `${p.name} ${Math.round(p.run.seconds / 60)} min`).join(', ')}), ${scratch ? 'every part from scratch (no earlier results)' : 'some parts incremental (below)'}`,
  );
}
md.push(
  total.notRerun === 0
    ? '- Explained equivalents ran their tests like every other mutant, and each survived unless listed under "Explanations that matched no survivor"'
    : `- Explained equivalents: ${total.notRerun} of the ${total.equivalent} below ran no test in this run (their explanation matched the mutant exactly, so their tests would only have shown again that they survive); \`npm run mutation -- --verify-equivalents\` runs their tests too`,
);
const leftOut = parts[0].run.leftOut ?? {};
if (Object.keys(leftOut).length) {
  md.push(`- Left out of every part (\`stryker.config.mjs\` LEFT_OUT): a mutant only these could kill counts as surviving`);
  for (const [path, why] of Object.entries(leftOut)) md.push(`  - \`${path}\`: ${why}`);
}
for (const { name, run } of parts) {
  md.push('');
  md.push(`### Part ${name}`);
  md.push('');
  md.push(`- Files mutated: \`${run.scope}\``);
  md.push(
    run.tests
      ? `- Tests: only the jest suites under \`${run.tests}\`, so its scores are lower bounds: the other suites can only kill more`
      : `- Tests: every jest suite, the end-to-end ones on the bundle included, but those left out above`,
  );
  if (run.firstPass) {
    md.push(
      `- Two passes: the suites under \`${run.firstPass.tests}\` first (${Math.round(run.firstPass.seconds / 60)} min), then every suite on the same commit, where mutants the first pass killed kept that result and every other mutant ran the tests of every suite that covers it`,
    );
  }
  md.push(
    run.incrementalFrom
      ? `- Incremental: mutants whose code and covering tests had not changed kept their results from the part's previous pass on the same machine (commit \`${run.incrementalFrom.commit}\`${run.incrementalFrom.dirty ? ' with uncommitted changes' : ''}, ${run.incrementalFrom.tests ? `suites under \`${run.incrementalFrom.tests}\`` : 'every suite'}); every other mutant was tested in this run`
      : `- From scratch: no earlier results were used${run.firstPass ? ' by the first pass' : ''}`,
  );
  md.push(`- Stryker ${run.stryker} (jest runner, \`coverageAnalysis: perTest\`), Node ${run.node}, ${Math.round(run.seconds / 60)} min (${run.seconds} s) wall time, started ${run.startedAt}`);
}
md.push('');
md.push('## Scores');
md.push('');
md.push('Score = (killed + timed out) / (killed + timed out + survived + no coverage), with survivors explained below as equivalent left out; "Stryker" is the same without leaving them out.');
md.push('');
md.push('| file | score | Stryker | killed | timed out | survived | no coverage | equivalent | errors |');
md.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of sections) {
  md.push(`| ${s.file} | ${pct(s.score)} | ${pct(s.raw)} | ${s.count.killed} | ${s.count.timedOut} | ${s.count.survived} | ${s.count.noCoverage} | ${s.count.equivalent} | ${s.count.errors} |`);
}
const detected = total.killed + total.timedOut;
const valid = detected + total.survived + total.noCoverage;
md.push(`| **all** | ${pct(valid === 0 ? 100 : (100 * detected) / valid)} | ${pct(valid + total.equivalent === 0 ? 100 : (100 * detected) / (valid + total.equivalent))} | ${total.killed} | ${total.timedOut} | ${total.survived} | ${total.noCoverage} | ${total.equivalent} | ${total.errors} |`);
md.push('');
md.push(
  `Errors: a mutant that makes a test file fail while loading (for example one that breaks code a test file runs at its top level) is a runtime error to Stryker, not a kill; it counts nowhere. ${total.ignored} mutants were ignored. Files with no mutants (only re-exports or types, such as src/policy/index.ts) do not appear.`,
);
md.push('');
md.push('## Equivalent mutants');
md.push('');
md.push('Each changes no behaviour a user can see; the reason is kept in `scripts/mutation-equivalents.json`. A mutant no test reaches is listed here only when no input can reach its code (a safety check behind others that already hold), and says so.');
for (const s of sections.filter((x) => x.equivalent.length > 0)) {
  md.push('');
  md.push(`### ${s.file}`);
  md.push('');
  for (const e of s.equivalent) md.push(`- line ${e.line}, ${e.mutator}: ${inline(e.code)} → ${inline(e.replacement)}. ${e.why}`);
}
const open = sections.filter((s) => s.open.length > 0);
md.push('');
md.push('## Not yet killed');
md.push('');
if (open.length === 0) md.push('None.', '');
for (const s of open) {
  md.push(`### ${s.file}`);
  md.push('');
  for (const o of s.open) md.push(`- line ${o.line}, ${o.mutator} (${o.status === 'NoCoverage' ? 'no coverage' : 'survived'}): ${inline(o.code)} → ${inline(o.replacement)} in ${inline(o.text)}${o.nth > 1 ? ` (occurrence ${o.nth} on the line: \`"nth": ${o.nth}\`)` : ''}`);
  md.push('');
}
const stale = equivalents.filter((e) => files.includes(e.file) && !used.has(entryKey(e)));
if (stale.length > 0) {
  md.push('## Explanations that matched no survivor');
  md.push('');
  md.push(
    'Remove an entry from `scripts/mutation-equivalents.json` when its code is gone or a test now kills it. A timed-out equivalent mutant is a busy machine running its tests past the time limit (it counts as detected, as Stryker counts it); keep that entry.',
  );
  md.push('');
  for (const e of stale) {
    const status = detectedAnyway.get(entryKey(e));
    md.push(`- ${e.file}, ${e.mutator}: ${inline(e.original)} → ${inline(e.replacement)} (${status ? `this run: ${status}` : 'no such mutant in this run'})`);
  }
  md.push('');
}
md.push('## Running it');
md.push('');
md.push('```sh');
md.push('npm run mutation                                   # every part: core (policy, protocol, entrypoints), cli, then template');
md.push('npm run mutation -- --part template                # one part; the report keeps the other parts\' last results');
md.push("npm run mutation -- --part core --mutate 'src/policy/**/*.ts'  # some files of a part only");
md.push('npm run mutation -- --tests test/policy,test/cli   # one pass over the suites in these folders: quicker, scores are lower bounds');
md.push('npm run mutation -- --force                        # ignore the incremental files, test every mutant again');
md.push('npm run mutation -- --first none                   # core in one pass with every suite (slower: a mutant the unit tests kill still loads every suite that covers it)');
md.push('```');
md.push('');
md.push('It is not part of `npm test` or CI. It needs what `npm test` needs (moto_server on PATH, or `MOTO_ENDPOINT`), and writes this page and `guide/mutation.json` from Stryker\'s own reports (`reports/mutation/parts/<part>/mutation.json`): commit them after a run of every part on a clean tree.');
md.push('');
md.push('- During a run, `reports/mutation/parts/<part>/events/` holds every mutant\'s result as soon as it is judged (Stryker\'s event recorder), so survivors can be worked on before the run ends.');
md.push('- Re-runs are incremental: `reports/mutation/parts/<part>/incremental.json` (git-ignored, so each machine keeps its own and branches never conflict over it) keeps every mutant\'s result, and only mutants whose code or covering tests changed run again. One file per part, so re-running one part keeps the others\' results. A clean clone starts from nothing and reproduces the scores.');
md.push('- End-to-end suites count. Stryker builds `dist/` once per run from the instrumented sources (`scripts/mutation-build.mjs`), so every mutant is in the bundle behind a run-time switch: suites that load `dist/handlers.js` in jest switch it on like the sources, and bundles run in child processes (the CLI, Lambda stdout and canary suites) learn the active mutant through a file and report what they covered (`test/support/mutation-relay.ts`).');
md.push('- Speed: the core part makes two passes: the unit suites and the end-to-end suites that load the bundle in jest kill most mutants quickly, then every suite runs only on what they left alive. The template part makes one pass of its own in-process suites, `test/template` (its mutants are many, and the command-line suites start a process per case). The cli part makes two passes: the suites under `test/cli` (which run the built bundle in child processes whose threads report what they cover), then every suite on what they left alive. Within a pass a mutant runs only the tests that cover it, and jest loads only the test files that hold them (`scripts/mutation-filter.cjs`), likeliest killers first (the files that killed the same source file\'s earlier mutants, then the files named after it, then the fastest); once one fails, the rest of its file is skipped and the files after it are not loaded (`scripts/mutation-sequencer.cjs`, `scripts/mutation-environment.cjs`, `scripts/mutation-runner.cjs`). An explained equivalent runs no test: it survives by its explanation, and its tests, which all pass, are the costliest of all (`scripts/mutation-plan-reporter.mjs`). A property test that fails stops there, without shrinking its counterexample. The slowest robustness and packaging suites are left out (listed above, with why). What a test file runs outside its tests is credited to that file\'s tests rather than to the whole suite. There is no TypeScript checker (it starved the test runners on 2 cores): a mutant that would not compile runs as JavaScript and is judged on its behaviour.');
md.push('- Stryker 9.6 is the newest line that runs on Node 20, which the project supports (10.x needs Node 22).');
md.push('- A survivor that changes no behaviour gets an entry in `scripts/mutation-equivalents.json`: `file`, `mutator`, `original`, `replacement`, `line` (the text of its lines) and, when the same code occurs more than once on them, `nth` (which occurrence) as this page shows them, and `why`. It then counts as equivalent, outside the score, and later runs do not run its tests.');
md.push('');
writeFileSync(join(root, 'guide', 'MUTATION.md'), md.join('\n'));
writeFileSync(join(root, 'guide', 'mutation.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(`guide/MUTATION.md and guide/mutation.json written for ${files.length} files`);
