// `npm run bench`: cold start, warm latency, size, memory and CLI throughput, measured in one run
// on this machine and written to docs/PERFORMANCE.md (prose and tables) and docs/performance.json
// (every raw sample). Not part of `npm test`: timings belong here, never in assertions.
//
// BENCH_QUICK=1 shortens every section (for working on the bench itself; never for committed figures).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, loadavg, release, setPriority, tmpdir, totalmem, type as osType } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { linearFit, quantiles, round, summarize } from './lib/stats.mjs';
import { expectedStatus, hookRequest } from './lib/requests.mjs';
import { listZip, readEntry } from './lib/zip.mjs';
import { repeatCorpus, syntheticTemplate } from './lib/templates.mjs';
import { renderReport } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.env.BENCH_QUICK === '1';
const HANDLERS = join(root, 'dist/handlers.js');
const CLI = join(root, 'dist/cli.js');
const CORPUS = process.env.BENCH_CORPUS ?? join(root, '..', 'shared', 'corpus');
const PACKAGE_ZIP = join(root, 'guardrails-ecs-readonlyrootfilesystem.zip');
const work = mkdtempSync(join(tmpdir(), 'hook-bench-'));
const started = Date.now();

const TARGETS = {
  coldRatio: 1.15,
  coldRatioWithDelivery: 1.5,
  warmP99Ms10: 1,
  packageBytes: 2 * 1024 * 1024,
  peakRssBytes: 80 * 1024 * 1024,
};

function log(message) {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);
}

/** Children run without inherited Node options so every variant starts the same way. */
const childEnv = { ...process.env };
delete childEnv.NODE_OPTIONS;
delete childEnv.LOG_LEVEL;
/** The hook's children see what Lambda sets for every function (the runtime may act on it). */
const lambdaEnv = { ...childEnv, AWS_LAMBDA_FUNCTION_NAME: 'guardrails-ecs-readonlyrootfilesystem-bench' };

/** Wall-clock milliseconds since the epoch, on the same clock as a child's performance.timeOrigin. */
const epochMs = () => performance.timeOrigin + performance.now();

function run(cmd, args, options = {}) {
  const spawned = epochMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, env: childEnv, maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const exited = epochMs();
  if (r.error) throw r.error;
  return { ms, spawned, exited, status: r.status, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

function git(args) {
  const r = spawnSync('git', args, { cwd: root });
  return r.status === 0 ? r.stdout.toString().trim() : undefined;
}

/**
 * The machine is shared with other work: raise this process's scheduling priority (children inherit
 * it) so that measurements are preempted less. Needs CAP_SYS_NICE; without it the bench runs as is.
 */
function raisePriority() {
  try {
    setPriority(-10);
  } catch {
    // Not permitted: measure at normal priority, recorded in the machine description.
  }
  return getPriority();
}

function machine() {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverageAtStart: loadavg().map((v) => round(v, 2)),
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedChanges: (git(['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length,
    date: new Date().toISOString(),
    quick: QUICK,
    nice: raisePriority(),
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Cold start (and 4. peak RSS): fresh processes, interleaved, rotating the order every round.

/** The five cold variants; the hook children are file scripts, as the Lambda runtime loads a handler file. */
function coldVariants() {
  const plain = join(work, 'request-plain.json');
  const configured = join(work, 'request-configured.json');
  writeFileSync(plain, JSON.stringify(hookRequest(4)));
  writeFileSync(configured, JSON.stringify(hookRequest(4, { configured: true })));
  const hook = join(root, 'bench/cold-hook.cjs');
  return [
    { id: 'bare', label: 'bare node: `node -e ""` (the reference)', args: ['-e', ''] },
    { id: 'bareFile', label: 'bare node running a file script that only reports its clock', args: [join(root, 'bench/cold-empty.cjs')], reports: true },
    { id: 'library', label: 'plugin library main module, `require` only (generated-project path)', args: [join(root, 'bench/cold-library.cjs')] },
    { id: 'hook', label: 'hook bundle answering one request, no configuration', args: [hook, HANDLERS, plain], expect: expectedStatus(4), request: plain },
    {
      id: 'hookConfigured',
      label: 'hook bundle answering one request, configuration present (models loaded)',
      args: [hook, HANDLERS, configured],
      expect: expectedStatus(4, { configured: true }),
      request: configured,
    },
    // In-process figures only (its wall time is not reported): what node:crypto and process.stdout cost.
    { id: 'parts', label: 'node:crypto and process.stdout alone', args: [join(root, 'bench/cold-parts.cjs')], partsOnly: true },
  ];
}

function coldStart(variants) {
  const rounds = QUICK ? 20 : 100;
  const discard = 3; // page cache and CPU frequency settle in the first rounds
  for (const v of variants) {
    v.samples = [];
    v.inChild = [];
    v.pairedBare = [];
    v.pairedBareFile = [];
  }
  for (let r = 0; r < rounds + discard; r++) {
    const ms = {};
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length];
      const res = run(process.execPath, v.args, { stdio: ['ignore', 'pipe', 'pipe'], env: lambdaEnv });
      if (res.status !== 0) throw new Error(`cold start ${v.id} exited ${res.status}: ${res.stderr.slice(0, 500)}`);
      if (v.expect || v.reports) {
        const line = res.stdout.split('\n').find((l) => l.startsWith('{"bench"'));
        const info = line && JSON.parse(line).bench;
        if (!info || (v.expect && info.status !== v.expect)) throw new Error(`cold start ${v.id}: expected ${v.expect}, got ${info?.status}`);
        // Where the wall time went: spawn to Node's time origin, bootstrap, the script, its end to the exit.
        info.phases = {
          beforeMs: info.origin - res.spawned,
          bootstrapMs: info.start,
          scriptMs: info.answered - info.start,
          afterMs: res.exited - (info.origin + info.answered),
        };
        if (r >= discard) v.inChild.push(info);
      }
      if (v.partsOnly && r >= discard) v.inChild.push(JSON.parse(res.stdout).parts);
      ms[v.id] = res.ms;
    }
    if (r < discard) continue;
    for (const v of variants) {
      if (v.partsOnly) continue;
      v.samples.push(ms[v.id]);
      v.pairedBare.push(ms[v.id] / ms.bare);
      v.pairedBareFile.push(ms[v.id] / ms.bareFile);
    }
  }
  const bare = summarize(variants[0].samples).median;
  const bareFile = summarize(variants[1].samples).median;
  // The hook's cost from the decomposition: its script time plus any difference outside the script,
  // against the reporting file script; immune to the bootstrap's noise, which both pay alike.
  const phase = (v, f) => summarize(v.inChild.map((i) => f(i.phases))).median;
  const outside = (p) => p.beforeMs + p.afterMs;
  const decomposed = (v) => {
    const extra = phase(v, (p) => p.scriptMs) - phase(variants[1], (p) => p.scriptMs) + phase(v, outside) - phase(variants[1], outside);
    return { extraMs: extra, ratioToBare: 1 + extra / bare };
  };
  return {
    runsPerVariant: rounds,
    discardedRounds: discard,
    method:
      'wall time from spawn to exit of a fresh node process (spawnSync, stdout and stderr piped, AWS_LAMBDA_FUNCTION_NAME set ' +
      'as Lambda sets it), all variants once per round ' +
      'in an order rotated every round; the hook children also record, inside the process, performance.now() at the top of ' +
      'the script (Node bootstrap), after require (bundle load) and after the answer is serialised',
    request: { containers: 4, bytesPlain: statSync(variants[3].request).size, bytesConfigured: statSync(variants[4].request).size },
    parts: (() => {
      const p = variants.find((v) => v.partsOnly).inChild;
      return { cryptoMs: summarize(p.map((x) => x.cryptoMs)), stdoutMs: summarize(p.map((x) => x.stdoutMs)) };
    })(),
    variants: variants.filter((v) => !v.partsOnly).map((v) => {
      const wall = summarize(v.samples);
      const out = {
        id: v.id,
        label: v.label,
        wallMs: wall,
        ratioToBare: wall.median / bare,
        ratioToBareFile: wall.median / bareFile,
        pairedRatioToBare: summarize(v.pairedBare),
        pairedRatioToBareFile: summarize(v.pairedBareFile),
        samplesMs: v.samples,
      };
      if (v.inChild.length > 0) {
        out.phases = Object.fromEntries(
          ['beforeMs', 'bootstrapMs', 'scriptMs', 'afterMs'].map((k) => [k, summarize(v.inChild.map((i) => i.phases[k]))]),
        );
      }
      if (v.expect) {
        out.decomposed = decomposed(v);
        out.inChild = {
          bootstrapMs: summarize(v.inChild.map((i) => i.start)),
          requireMs: summarize(v.inChild.map((i) => i.loaded - i.start)),
          firstAnswerMs: summarize(v.inChild.map((i) => i.answered - i.loaded)),
          maxRssBytes: summarize(v.inChild.map((i) => i.maxRSS * 1024)),
          loadsCrypto: v.inChild.every((i) => i.crypto),
          createsStdout: v.inChild.every((i) => i.stdout),
        };
      }
      return out;
    }),
  };
}

/** Peak RSS measured from outside by /usr/bin/time (wait4 rusage), same variants. */
function peakRss(variants) {
  const timeBin = '/usr/bin/time';
  if (!existsSync(timeBin)) return { measured: false, why: '/usr/bin/time is not installed; see the in-process maxRSS of the cold runs' };
  const rounds = QUICK ? 5 : 10;
  const samples = Object.fromEntries(variants.map((v) => [v.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const res = run(timeBin, ['-f', 'maxrss_kb=%M', process.execPath, ...v.args], { stdio: ['ignore', 'pipe', 'pipe'], env: lambdaEnv });
      const m = /maxrss_kb=(\d+)/.exec(res.stderr);
      if (res.status !== 0 || !m) throw new Error(`peak RSS ${v.id}: exit ${res.status}`);
      samples[v.id].push(Number(m[1]) * 1024);
    }
  }
  return {
    measured: true,
    method: '/usr/bin/time -f %M: peak resident set of the whole node process, from outside',
    runsPerVariant: rounds,
    variants: variants.map((v) => ({ id: v.id, label: v.label, bytes: summarize(samples[v.id]) })),
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Warm latency.

function warmLatency() {
  const out = join(work, 'warm.json');
  const res = run(process.execPath, [join(root, 'bench/warm.mjs'), HANDLERS, out, QUICK ? '0.1' : '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: lambdaEnv,
  });
  if (res.status !== 0) throw new Error(`warm latency child exited ${res.status}: ${res.stderr.slice(0, 1000)}`);
  const { gc, series } = JSON.parse(readFileSync(out, 'utf8'));
  return {
    gc,
    wallSeconds: round(res.ms / 1000, 1),
    method:
      'one process; every call gets a freshly JSON.parse-d event (parse not timed); 10 interleaved rounds after a warm-up; ' +
      'time from the call to the resolved answer (process.hrtime); the handler writes its log line to stdout, here /dev/null',
    // Every sample would be ~90,000 numbers: keep the distribution as 1,001 quantiles instead (q = 0, 0.001, ..., 1).
    series: series.map(({ samples, cpu, ...s }) => ({ ...s, latencyMs: summarize(samples), cpuMs: summarize(cpu), quantilesMs: quantiles(samples, 1000) })),
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Size.

function packageOf(inputPath) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath);
  if (m) return m[1];
  if (inputPath.startsWith('cfn-lib:')) return 'cfn-lib (SDK-free re-export of the plugin library, build plugin)';
  if (inputPath.startsWith('empty:')) return 'aws-sdk (mapped to an empty module at build time)';
  if (inputPath.startsWith('src/')) return `src/${inputPath.split('/')[1]?.replace(/\.ts$/, '') ?? ''}`;
  return inputPath;
}

/** The Lambda code: every output of the build but the CLI, and what each dependency adds to each. */
function bundleSize() {
  const bytes = readFileSync(HANDLERS);
  const result = { handlersBytes: bytes.length, handlersGzipBytes: gzipSync(bytes, { level: 9 }).length, files: [], byDependency: [] };
  const metaPath = join(root, 'dist/meta.json');
  if (!existsSync(metaPath)) return result;
  const outputs = [JSON.parse(readFileSync(metaPath, 'utf8'))]
    .flat()
    .flatMap((m) => Object.entries(m.outputs ?? {}))
    .filter(([file]) => file.endsWith('.js') && !file.endsWith('cli.js'));
  let glue = 0;
  for (const [file, output] of outputs) {
    const name = file.split('/').pop();
    const data = readFileSync(join(root, 'dist', name));
    result.files.push({ file: `dist/${name}`, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length });
    const groups = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = packageOf(input);
      const g = groups.get(key) ?? { name: key, output: `dist/${name}`, bytes: 0, files: 0 };
      g.bytes += bytesInOutput;
      g.files += 1;
      groups.set(key, g);
    }
    glue += data.length - [...groups.values()].reduce((a, g) => a + g.bytes, 0); // esbuild's module wrappers
    result.byDependency.push(...[...groups.values()].sort((a, b2) => b2.bytes - a.bytes));
  }
  result.runtimeGlueBytes = glue;
  return result;
}

function packageSize() {
  const script = join(root, 'scripts/package.mjs');
  const out = { path: 'guardrails-ecs-readonlyrootfilesystem.zip' };
  if (existsSync(script)) {
    const res = run(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    out.built = res.status === 0;
    if (res.status !== 0) out.buildError = `scripts/package.mjs exited ${res.status}: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  } else {
    out.built = false;
    out.buildError = 'scripts/package.mjs does not exist yet';
  }
  if (!existsSync(PACKAGE_ZIP)) return { ...out, measured: false, why: out.buildError ?? 'the package was not written' };
  const zip = readFileSync(PACKAGE_ZIP);
  const entries = listZip(zip);
  out.measured = true;
  out.bytes = zip.length;
  out.entries = entries.map(({ name, compressed, size }) => ({ name, compressed, size }));
  // What the entries would weigh deflated (level 9), against how the package stores them.
  out.deflatedEntriesBytes = entries.reduce((a, e) => a + deflateRawSync(readEntry(zip, e), { level: 9 }).length, 0);
  out.storedEntriesBytes = entries.reduce((a, e) => a + e.compressed, 0);
  const inner = entries.find((e) => e.name.endsWith('ResourceProvider.zip'));
  if (inner) {
    const innerZip = readEntry(zip, inner);
    out.resourceProvider = {
      bytes: innerZip.length,
      entries: listZip(innerZip).map(({ name, compressed, size }) => ({ name, compressed, size })),
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 5. CLI.

function cliStatus() {
  if (!existsSync(CLI)) return { usable: false, why: 'dist/cli.js does not exist' };
  const version = run(process.execPath, [CLI, '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (version.status !== 0) return { usable: false, why: `dist/cli.js --version exits ${version.status}` };
  if (!existsSync(CORPUS)) return { usable: false, why: `the corpus ${CORPUS} is not there` };
  const probe = join(work, 'probe.yaml');
  writeFileSync(probe, syntheticTemplate(10));
  const res = run(process.execPath, [CLI, 'validate', '--format', 'json', probe], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const doc = JSON.parse(res.stdout);
    if (doc.version !== 1 || !Array.isArray(doc.files)) throw new Error('unexpected shape');
    return { usable: true, version: version.stdout.trim() };
  } catch {
    return { usable: false, why: `\`validate --format json\` does not answer the documented JSON (exit ${res.status})` };
  }
}

function countStatuses(doc) {
  const counts = {};
  for (const f of doc.files) counts[f.status] = (counts[f.status] ?? 0) + 1;
  return counts;
}

function cliThroughput() {
  const dir = join(work, 'corpus-1000');
  const files = QUICK ? 200 : 1000;
  const distinct = repeatCorpus(CORPUS, dir, files);
  const one = join(work, 'one');
  repeatCorpus(CORPUS, one, 1);
  const runs = QUICK ? 2 : 3;
  const many = [];
  const single = [];
  let statuses;
  for (let r = 0; r < runs; r++) {
    const a = run(process.execPath, [CLI, 'validate', '--format', 'json', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const b = run(process.execPath, [CLI, 'validate', '--format', 'json', one], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (![0, 19].includes(a.status)) throw new Error(`CLI over the corpus exited ${a.status}: ${a.stderr.slice(0, 300)}`);
    const doc = JSON.parse(a.stdout);
    if (doc.files.length !== files) throw new Error(`CLI reported ${doc.files.length} files, expected ${files}`);
    statuses = countStatuses(doc);
    many.push(a.ms);
    single.push(b.ms);
  }
  const m = summarize(many);
  const s = summarize(single);
  return {
    measured: true,
    files,
    distinctTemplates: distinct,
    runs,
    statuses,
    wallMs: m,
    oneFileWallMs: s,
    templatesPerSecond: files / (m.median / 1000),
    steadyTemplatesPerSecond: (files - 1) / ((m.median - s.median) / 1000),
    samplesMs: many,
    oneFileSamplesMs: single,
  };
}

const SIZES = [10, 50, 100, 500, 1000, 2500, 5000];

/** A CLI section that fails is reported as not measured, with why; the hook's sections still count. */
async function measureCli(into) {
  const attempt = async (name, fn) => {
    try {
      into[name] = await fn();
    } catch (error) {
      into[name] = { measured: false, why: `the measurement failed: ${String(error?.message ?? error).split('\n')[0].slice(0, 300)}` };
    }
  };
  await attempt('throughput', cliThroughput);
  await attempt('scalingProcess', cliScalingProcess);
  await attempt('scalingInProcess', cliScalingInProcess);
}

/** Process-level scaling: `validate` on one synthetic template of a few sizes (Node start included). */
function cliScalingProcess() {
  const files = [10, 100, 1000, 5000].map((n) => {
    const path = join(work, `synthetic-${n}.yaml`);
    writeFileSync(path, syntheticTemplate(n));
    return { n, path, bytes: statSync(path).size, samples: [] };
  });
  const runs = QUICK ? 2 : 3;
  for (let r = 0; r < runs; r++) {
    for (const f of files) {
      const res = run(process.execPath, [CLI, 'validate', '--format', 'json', f.path], { stdio: ['ignore', 'pipe', 'pipe'] });
      if (![0, 19].includes(res.status)) throw new Error(`CLI on ${f.n} resources exited ${res.status}: ${res.stderr.slice(0, 300)}`);
      const doc = JSON.parse(res.stdout);
      const found = doc.files[0]?.resources?.length;
      if (found !== f.n / 5) throw new Error(`CLI found ${found} task definitions in the ${f.n}-resource template, expected ${f.n / 5}`);
      f.samples.push(res.ms);
    }
  }
  return fitScaling(files, 'process');
}

/** In-process scaling through the programmatic `validateTemplate`, when the source exports it. */
async function cliScalingInProcess() {
  // The documented entry point first, else any module that defines it.
  const index = join(root, 'src/template/index.ts');
  const grep = spawnSync('grep', ['-rlE', 'export (async )?function validateTemplate', join(root, 'src')]);
  const source =
    existsSync(index) && readFileSync(index, 'utf8').includes('validateTemplate') ? index : grep.stdout.toString().trim().split('\n').filter(Boolean)[0];
  if (!source) return { measured: false, why: 'no module under src/ exports validateTemplate' };
  const bundle = join(work, 'api.cjs');
  const { build } = await import('esbuild');
  await build({ entryPoints: [source], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: bundle, logLevel: 'error' });
  const out = join(work, 'scale.json');
  const res = run(process.execPath, ['--expose-gc', join(root, 'bench/cli-scale.mjs'), bundle, out, SIZES.join(','), QUICK ? '0.2' : '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (res.status !== 0) return { measured: false, why: `bench/cli-scale.mjs exited ${res.status}: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  const files = JSON.parse(readFileSync(out, 'utf8'));
  return { ...fitScaling(files, 'in-process'), source: source.slice(root.length + 1) };
}

function fitScaling(files, mode) {
  const points = files.map((f) => ({
    resources: f.n,
    bytes: f.bytes,
    ms: summarize(f.samples),
    ...(f.parseSamples?.length ? { parseMs: summarize(f.parseSamples) } : {}),
    ...(f.gcShare !== undefined ? { gcShare: f.gcShare } : {}),
    samplesMs: f.samples,
  }));
  const xs = points.map((p) => p.resources);
  const ys = points.map((p) => p.ms.median);
  const fit = linearFit(xs, ys);
  // Growth exponent from the large end, where fixed costs no longer dominate: 1 means linear.
  const big = points.filter((p) => p.resources >= 500);
  const exponent = linearFit(
    big.map((p) => Math.log(p.resources)),
    big.map((p) => Math.log(p.ms.median)),
  ).slope;
  const lo = big[0];
  const hi = big[big.length - 1];
  return {
    measured: true,
    mode,
    points,
    fit: { interceptMs: fit.intercept, msPerResource: fit.slope, msPer1000Resources: fit.slope * 1000, r2: fit.r2 },
    growthExponent: exponent,
    // Per-resource cost at the largest size over that at the smallest size >= 500: 1 when linear.
    perResourceGrowth: { from: lo.resources, to: hi.resources, ratio: hi.ms.median / hi.resources / (lo.ms.median / lo.resources) },
  };
}

// ---------------------------------------------------------------------------------------------

/** Indented JSON with numbers to 4 decimals and number arrays on one line, so the file stays readable and small. */
function toJson(value) {
  const text = JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 4) : v), 1);
  return `${text.replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, body) => `[${body.split(/,\s*/).join(', ')}]`)}\n`;
}

async function main() {
  if (!existsSync(HANDLERS)) throw new Error('dist/handlers.js is missing: run `npm run build` (npm run bench does)');
  const results = { machine: machine(), targets: TARGETS };
  const only = process.env.BENCH_ONLY?.split(',');
  if (only) {
    // For work on the bench: the named sections only (cold, warm, cli), printed, nothing written.
    if (only.includes('cold')) results.coldStart = coldStart(coldVariants());
    if (only.includes('warm')) results.warm = warmLatency();
    if (only.includes('cli')) {
      const cli = cliStatus();
      results.cli = { status: cli };
      if (cli.usable) await measureCli(results.cli);
    }
    process.stdout.write(`${JSON.stringify(results, (k, v) => (/amples/.test(k) ? undefined : v), 1)}\n`);
    return;
  }

  log('cold start (fresh processes, interleaved)');
  const variants = coldVariants();
  results.coldStart = coldStart(variants);
  log('peak RSS');
  results.memory = peakRss(variants.filter((v) => !v.partsOnly));
  log('warm latency');
  results.warm = warmLatency();
  log('size');
  results.size = { bundle: bundleSize(), package: packageSize() };

  log('CLI');
  const cli = cliStatus();
  results.cli = { status: cli };
  if (cli.usable) await measureCli(results.cli);
  results.stackLevel = { measured: false, why: 'stack-level hooks (the 500-resource stack payload) do not exist in this project yet' };
  results.logDelivery = { measured: false, why: 'the hook does not deliver logs to the provider log group yet; it writes to stdout only' };
  results.machine.loadAverageAtEnd = loadavg().map((v) => round(v, 2));
  results.machine.benchSeconds = round((Date.now() - started) / 1000, 1);

  writeFileSync(join(root, 'docs/performance.json'), toJson(results));
  writeFileSync(join(root, 'docs/PERFORMANCE.md'), renderReport(results));
  log(`wrote docs/PERFORMANCE.md and docs/performance.json in ${results.machine.benchSeconds} s`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
