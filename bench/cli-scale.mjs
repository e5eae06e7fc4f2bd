// In-process cost of `validateTemplate` on one template of growing size, and of parsing alone
// (`parseTemplateText`, when exported) to show the parser's share.
// argv: <bundled API module> <result file> <comma-separated sizes> <scale: 1 = full>
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { syntheticTemplate } from './lib/templates.mjs';

const [apiPath, resultPath, sizesArg, scaleArg] = process.argv.slice(2);
const api = createRequire(import.meta.url)(apiPath);
if (typeof api.validateTemplate !== 'function') throw new Error(`${apiPath} does not export validateTemplate`);
const scale = Number(scaleArg ?? '1');
const ROUNDS = 5;
const BUDGET_MS = 2500 * scale; // per size and measure, spread over the rounds

function validate(f) {
  const t0 = process.hrtime.bigint();
  const result = api.validateTemplate(f.text, { fileName: `synthetic-${f.n}.yaml` });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // Every task definition must be found and judged, or a fast answer would mean nothing.
  if (result?.status === 'ERROR' || result?.resources?.length !== f.n / 5) {
    throw new Error(`validateTemplate on ${f.n} resources: status ${result?.status}, ${result?.resources?.length} task definitions, expected ${f.n / 5}`);
  }
  return ms;
}

function parse(f) {
  const t0 = process.hrtime.bigint();
  const parsed = api.parseTemplateText(f.text, `synthetic-${f.n}.yaml`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!parsed?.ok) throw new Error(`parseTemplateText failed on ${f.n} resources`);
  return ms;
}

const files = sizesArg
  .split(',')
  .map(Number)
  .map((n) => {
    const text = syntheticTemplate(n);
    return { n, text, bytes: Buffer.byteLength(text), samples: [], parseSamples: [] };
  });
const canParse = typeof api.parseTemplateText === 'function';
for (const f of files) {
  // Warm-up, and the estimate that sets how many calls fit the budget.
  validate(f);
  // At least 4 calls a round: the largest templates otherwise got 2, and their median moved by 15 %
  // between benches.
  f.calls = Math.max(4, Math.round(BUDGET_MS / ROUNDS / validate(f)));
  if (canParse) parse(f);
}
// Garbage collection during the validate calls: observer entries arrive asynchronously, so each
// batch of calls is followed by a short wait; and each batch starts from a collected heap (run.mjs
// passes --expose-gc), so a small template is not billed for the garbage a large one left.
let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});
observer.observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const collect = () => globalThis.gc?.();
for (const f of files) f.gcMs = 0;
for (let r = 0; r < ROUNDS; r++) {
  for (const f of files) {
    collect();
    await settle();
    gcMs = 0;
    for (let i = 0; i < f.calls; i++) f.samples.push(validate(f));
    await settle();
    f.gcMs += gcMs;
    // Parsing alone, a quarter as often: enough for its share.
    if (canParse) for (let i = 0; i < Math.ceil(f.calls / 4); i++) f.parseSamples.push(parse(f));
  }
}
observer.disconnect();
writeFileSync(
  resultPath,
  JSON.stringify(files.map(({ n, bytes, samples, parseSamples, gcMs: gc }) => ({ n, bytes, samples, parseSamples, gcShare: gc / samples.reduce((a, v) => a + v, 0) }))),
);
