// What the parts of a mutation run share about mutants (scripts/mutation-plan-reporter.mjs writes the
// plan; the filter, sequencer and runner read it inside Stryker's test runner processes, and
// scripts/mutation-report.mjs matches explanations with the same key).
const { readFileSync } = require('node:fs');
const { basename, join } = require('node:path');

const squash = (code) => code.replace(/\s+/g, ' ').trim();

/** The source text a mutant replaces (Stryker's locations are 1-based lines and columns). */
function originalOf(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join('\n');
}

/** The whole lines a mutant is on: tells apart the same change made on lines of other text. */
function lineOf(source, { start, end }) {
  return squash(source.split('\n').slice(start.line - 1, end.line).join('\n'));
}

/** Which occurrence of the replaced code on its first line the mutant is (1 for the first). */
function nthOf(source, location) {
  const line = source.split('\n')[location.start.line - 1];
  const first = originalOf(source, location).split('\n')[0];
  let nth = 0;
  for (let at = line.indexOf(first); at >= 0 && at <= location.start.column - 1; at = line.indexOf(first, at + 1)) nth++;
  return nth;
}

/**
 * An explanation in scripts/mutation-equivalents.json matches a mutant by file, mutator, the code it
 * replaces, its replacement, the lines it is on and which occurrence on them it is (`nth`, when not
 * the first), so that it outlives line shifts and covers the same change elsewhere only on a line
 * of the same text.
 */
function keyOf(file, mutator, original, replacement, line, nth) {
  return JSON.stringify([file, mutator, squash(original), squash(replacement), squash(line), nth]);
}

const mutantKey = (file, source, mutant) =>
  keyOf(file, mutant.mutatorName, originalOf(source, mutant.location), mutant.replacement ?? '', lineOf(source, mutant.location), nthOf(source, mutant.location));
const entryKey = (entry) => keyOf(entry.file, entry.mutator, entry.original, entry.replacement, entry.line, entry.nth ?? 1);

/** Where a part's plan is written: beside its reports, in the project (not in Stryker's sandbox). */
function planFile(projectRoot, part) {
  return join(projectRoot, 'reports', 'mutation', ...(part ? ['parts', part] : []), 'plan.json');
}

/** The plan, read once per test runner process; `undefined` outside a mutation run or before it is written. */
let plan;
function mutantPlan(id) {
  if (plan === undefined) {
    const root = process.env.MUTATION_PROJECT_ROOT;
    if (!root) return undefined;
    try {
      plan = JSON.parse(readFileSync(planFile(root, process.env.MUTATION_PART), 'utf8'));
    } catch {
      return undefined;
    }
  }
  return plan.mutants[id];
}

/**
 * Which test files killed this process's earlier mutants of each source file. The mutants of one file
 * tend to die in the same few test files; trying those first saves loading and running the others.
 */
const kills = new Map();
function noteKill(file, testPath) {
  const counts = kills.get(file) ?? kills.set(file, new Map()).get(file);
  counts.set(testPath, (counts.get(testPath) ?? 0) + 1);
}
function killsIn(file, testPath) {
  return kills.get(file)?.get(testPath) ?? 0;
}

/** A test file named after the source file (fix.test.ts, credentials-edges.test.ts for credentials.ts). */
function namedAfter(file, testPath) {
  const stem = basename(file).replace(/\.ts$/, '');
  const name = basename(testPath);
  return name.startsWith(`${stem}.`) || name.startsWith(`${stem}-`);
}

module.exports = { entryKey, killsIn, lineOf, mutantKey, mutantPlan, namedAfter, noteKill, nthOf, originalOf, planFile, squash };
