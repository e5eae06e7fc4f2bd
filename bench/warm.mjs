// Warm latency of `entrypoint` in one long-lived process, as a Lambda execution environment
// reuses it. Run by run.mjs with stdout on /dev/null (the handler logs one line per answer).
// argv: <handlers.js> <result file> <scale: 1 = full>
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { expectedStatus, hookRequest } from './lib/requests.mjs';

const [handlersPath, resultPath, scaleArg] = process.argv.slice(2);
const scale = Number(scaleArg ?? '1');
const { entrypoint } = createRequire(import.meta.url)(handlersPath);

// Iterations per series, spread over ROUNDS interleaved rounds so drift hits every series alike.
const ROUNDS = 10;
const SERIES = [
  { containers: 1, iterations: 20000 },
  { containers: 10, iterations: 20000 },
  { containers: 100, iterations: 4000 },
  { containers: 1000, iterations: 500 },
].flatMap((s) => [false, true].map((configured) => ({ ...s, configured, iterations: Math.max(ROUNDS, Math.round(s.iterations * scale)) })));

const context = { awsRequestId: 'bench-warm' };

async function batch(series, count, samples) {
  // Each call gets its own freshly parsed event, as the runtime parses every invocation.
  const json = series.json;
  for (let i = 0; i < count; i++) {
    const event = JSON.parse(json);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const answer = await entrypoint(event, context);
    const t1 = process.hrtime.bigint();
    const cpu = process.cpuUsage(c0);
    if (answer.hookStatus !== series.expected) {
      throw new Error(`${series.containers} containers: expected ${series.expected}, got ${answer.hookStatus} (${answer.errorCode})`);
    }
    if (samples) {
      samples.push(Number(t1 - t0) / 1e6);
      // CPU time of the process (all its threads) over the call: excludes time spent preempted by other
      // processes, so wall-time tails that CPU time lacks are the machine's, not the handler's.
      series.cpu.push((cpu.user + cpu.system) / 1000);
    }
  }
}

for (const s of SERIES) {
  s.json = JSON.stringify(hookRequest(s.containers, { configured: s.configured }));
  s.expected = expectedStatus(s.containers, { configured: s.configured });
  s.samples = [];
  s.cpu = [];
}
const gc = { count: 0, totalMs: 0, maxMs: 0 };
// Warm-up: let the JIT optimise every path before anything is recorded.
for (const s of SERIES) await batch(s, Math.max(50, Math.min(2000, s.iterations / 4)), null);
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count += 1;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
});
observer.observe({ entryTypes: ['gc'] });
const measuredFrom = process.hrtime.bigint();
for (let r = 0; r < ROUNDS; r++) {
  for (const s of SERIES) await batch(s, Math.ceil(s.iterations / ROUNDS), s.samples);
}

const measuredMs = Number(process.hrtime.bigint() - measuredFrom) / 1e6;
await new Promise((resolve) => setTimeout(resolve, 10)); // let the observer deliver the last entries
observer.disconnect();
writeFileSync(
  resultPath,
  JSON.stringify({
    gc: { ...gc, measuredMs },
    series: SERIES.map((s) => ({
      containers: s.containers,
      configured: s.configured,
      expected: s.expected,
      requestBytes: Buffer.byteLength(s.json),
      samples: s.samples,
      cpu: s.cpu,
    })),
  }),
);
