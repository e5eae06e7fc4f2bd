// `npm run bench`: cold start, warm latency, size, memory and CLI throughput, measured in one run
// on this machine and written to docs/PERFORMANCE.md (prose and tables) and docs/performance.json
// (every raw sample). Not part of `npm test`: timings belong here, never in assertions.
//
// BENCH_QUICK=1 shortens every section (for working on the bench itself; never for committed figures).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { createLogGroup, dataKeyOf, deliveredEvents, functionEnv, invocationCount, prepareEncryptedCredentials, startMoto, startRecorder, withDelivery } from './lib/delivery.mjs';

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
  coldRatioWithDelivery: 2.5,
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

/** The hook owner's log groups the delivery variants write to, one each so their counts stay apart. */
const DELIVERY_GROUPS = {
  hookDeliveryPlain: 'bench-delivery-plain',
  hookDeliveryKms: 'bench-delivery-kms',
  hookDeliveryPlain22: 'bench-delivery-plain-node22',
  hookDeliveryKms22: 'bench-delivery-kms-node22',
};

/**
 * Lambda runs the hook on nodejs22.x, the official Node.js 22 build; this machine's node may be another build
 * (Debian's links libnode as a shared library and boots several times slower, which flatters every ratio to it).
 * The npm package node@22 installs the official binary from the registry (as `npm run test:node22` does): the cold
 * variants run on it too, in the same rounds. Without it, the report says why and the bench exits non-zero.
 */
function lambdaRuntime() {
  const r = spawnSync('npx', ['-y', 'node@22', '-p', 'JSON.stringify([process.execPath, process.version, process.versions.v8])'], {
    cwd: root,
    env: childEnv,
    encoding: 'utf8',
    timeout: 180_000,
  });
  try {
    const [bin, version, v8] = JSON.parse(r.stdout.trim().split('\n').pop());
    if (r.status === 0 && /^v22\./.test(version) && existsSync(bin)) return { bin, version, v8, source: 'npm package node@22 (the official Linux x64 binary)' };
  } catch {
    // reported below
  }
  // npm's own words: its first error lines (the code and what failed), not the pointer to its log.
  const npmSays = String(r.stderr ?? '')
    .split('\n')
    .filter((l) => /^npm error (code|[A-Za-z]*Error)\b/.test(l))
    .map((l) => l.replace(/^npm error /, ''))
    .join('; ')
    .slice(0, 240);
  return { why: `\`npx -y node@22\` did not give a Node.js 22 binary (exit ${r.status}${r.error ? `, ${r.error.message}` : ''})${npmSays ? `: ${npmSays}` : ''}` };
}

/**
 * Whether the plugin library's main module can load here: it requires AWS SDK v2, an optional peer the
 * project no longer installs (the bundle never loads it). Without it, that reference row is not measured.
 */
function libraryLoads() {
  return spawnSync(process.execPath, [join(root, 'bench/cold-library.cjs')], { cwd: root, stdio: 'ignore' }).status === 0;
}

/**
 * The cold variants; the hook children are file scripts, as the Lambda runtime loads a handler file.
 * With `delivery` (moto up, credentials encrypted), two more: the same request with the delivery fields.
 */
function coldVariants(delivery, node22) {
  const plain = join(work, 'request-plain.json');
  const configured = join(work, 'request-configured.json');
  writeFileSync(plain, JSON.stringify(hookRequest(4)));
  writeFileSync(configured, JSON.stringify(hookRequest(4, { configured: true })));
  const hook = join(root, 'bench/cold-hook.cjs');
  const variants = [
    { id: 'bare', label: 'bare node: `node -e ""` (the reference)', args: ['-e', ''] },
    { id: 'bareFile', label: 'bare node running a file script that only reports its clock', args: [join(root, 'bench/cold-empty.cjs')], reports: true },
    ...(libraryLoads() ? [{ id: 'library', label: 'plugin library main module, `require` only (generated-project path)', args: [join(root, 'bench/cold-library.cjs')] }] : []),
    { id: 'hook', label: 'hook bundle answering one request, no configuration', args: [hook, HANDLERS, plain], expect: expectedStatus(4), request: plain },
    {
      id: 'hookConfigured',
      label: 'hook bundle answering one request, configuration present (models loaded)',
      args: [hook, HANDLERS, configured],
      expect: expectedStatus(4, { configured: true }),
      request: configured,
    },
    ...(delivery ? deliveryVariants(delivery, hook) : []),
    // In-process figures only (its wall time is not reported): what node:crypto and process.stdout cost.
    { id: 'parts', label: 'node:crypto and process.stdout alone', args: [join(root, 'bench/cold-parts.cjs')], partsOnly: true },
  ];
  return node22?.bin ? [...variants, ...lambdaRuntimeVariants(node22, variants, delivery, hook)] : variants;
}

/**
 * The same variants on Node.js 22 (ids ending in 22), each judged against bare Node.js 22. The delivery ones
 * are made again, to deliver to log groups of their own, so that each variant's count stays apart.
 */
function lambdaRuntimeVariants(node22, variants, delivery, hook) {
  const on22 = { bin: node22.bin, runtime: 'node22', ref: 'bare22', refFile: 'bareFile22' };
  const same = variants.filter((v) => ['bare', 'bareFile', 'hook', 'hookConfigured'].includes(v.id)).map((v) => ({ ...v, ...on22, id: `${v.id}22` }));
  return [...same, ...(delivery ? deliveryVariants(delivery, hook, '22').map((v) => ({ ...v, ...on22 })) : [])];
}

/** The two delivery variants: plain credentials (local tooling) and KMS-encrypted ones (CloudFormation). */
function deliveryVariants(delivery, hook, suffix = '') {
  const env = { ...lambdaEnv, ...functionEnv(delivery.endpoint) };
  return [
    [`hookDeliveryPlain${suffix}`, 'hook bundle answering one request with log delivery, plain credentials', undefined],
    [`hookDeliveryKms${suffix}`, 'hook bundle answering one request with log delivery, KMS-encrypted credentials (as CloudFormation sends them)', delivery.encrypted],
  ].map(([id, label, encrypted]) => {
    const request = join(work, `request-${id}.json`);
    writeFileSync(request, JSON.stringify(withDelivery(hookRequest(4), DELIVERY_GROUPS[id], encrypted)));
    return { id, label, args: [hook, HANDLERS, request, '--cpu'], expect: expectedStatus(4), request, env, delivers: true, encrypted };
  });
}

/**
 * A delivery child must have delivered: the hook reports delivery's failures on its own log (stdout),
 * so any WARN or ERROR line there means the figure would be of a failed delivery.
 */
function checkDelivered(v, stdout) {
  if (!v.delivers) return;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{"level"')) continue;
    const { level, message, reason } = JSON.parse(line);
    if (level !== 'INFO') throw new Error(`cold start ${v.id}: the hook logged ${level} "${message}"${reason ? ` (${reason})` : ''}`);
  }
}

function coldStart(variants) {
  const rounds = QUICK ? 20 : 100;
  const discard = 3; // page cache and CPU frequency settle in the first rounds
  for (const v of variants) {
    v.samples = [];
    v.deliveries = 0;
    v.inChild = [];
    v.pairedBare = [];
    v.pairedBareFile = [];
  }
  for (let r = 0; r < rounds + discard; r++) {
    const ms = {};
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length];
      const res = run(v.bin ?? process.execPath, v.args, { stdio: ['ignore', 'pipe', 'pipe'], env: v.env ?? lambdaEnv });
      if (res.status !== 0) throw new Error(`cold start ${v.id} exited ${res.status}: ${res.stderr.slice(0, 500)}`);
      checkDelivered(v, res.stdout);
      if (v.delivers) v.deliveries += 1;
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
      v.pairedBare.push(ms[v.id] / ms[v.ref ?? 'bare']);
      v.pairedBareFile.push(ms[v.id] / ms[v.refFile ?? 'bareFile']);
    }
  }
  // Each variant against the bare node of its own runtime.
  const byId = Object.fromEntries(variants.map((v) => [v.id, v]));
  const medianOf = (id) => summarize(byId[id].samples).median;
  // The hook's cost from the decomposition: its script time plus any difference outside the script,
  // against the reporting file script; immune to the bootstrap's noise, which both pay alike.
  const phase = (v, f) => summarize(v.inChild.map((i) => f(i.phases))).median;
  const outside = (p) => p.beforeMs + p.afterMs;
  const decomposed = (v) => {
    const file = byId[v.refFile ?? 'bareFile'];
    const extra = phase(v, (p) => p.scriptMs) - phase(file, (p) => p.scriptMs) + phase(v, outside) - phase(file, outside);
    return { extraMs: extra, ratioToBare: 1 + extra / medianOf(v.ref ?? 'bare') };
  };
  const summarized = variants.filter((v) => !v.partsOnly).map((v) => {
    const wall = summarize(v.samples);
    const out = {
      id: v.id,
      label: v.label,
      wallMs: wall,
      ratioToBare: wall.median / medianOf(v.ref ?? 'bare'),
      ratioToBareFile: wall.median / medianOf(v.refFile ?? 'bareFile'),
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
        ...(v.delivers ? { answerCpuMs: summarize(v.inChild.map((i) => i.answerCpuMs)) } : {}),
        maxRssBytes: summarize(v.inChild.map((i) => i.maxRSS * 1024)),
        loadsCrypto: v.inChild.every((i) => i.crypto),
        createsStdout: v.inChild.every((i) => i.stdout),
        loadsNetwork: v.inChild.every((i) => i.network),
        neverLoadsNetwork: v.inChild.every((i) => !i.network),
      };
    }
    return out;
  });
  const onNode22 = (e) => byId[e.id].runtime === 'node22';
  return {
    runsPerVariant: rounds,
    discardedRounds: discard,
    method:
      'wall time from spawn to exit of a fresh node process (spawnSync, stdout and stderr piped, AWS_LAMBDA_FUNCTION_NAME set ' +
      'as Lambda sets it), all variants once per round ' +
      'in an order rotated every round; the hook children also record, inside the process, performance.now() at the top of ' +
      'the script (Node bootstrap), after require (bundle load) and after the answer is serialised',
    request: { containers: 4, bytesPlain: statSync(variants.find((v) => v.id === 'hook').request).size, bytesConfigured: statSync(variants.find((v) => v.id === 'hookConfigured').request).size },
    parts: (() => {
      const p = variants.find((v) => v.partsOnly).inChild;
      return { cryptoMs: summarize(p.map((x) => x.cryptoMs)), stdoutMs: summarize(p.map((x) => x.stdoutMs)) };
    })(),
    variants: summarized.filter((e) => !onNode22(e)),
    // The same rounds on Node.js 22, the runtime Lambda runs the hook on (absent when it could not be installed).
    lambdaRuntime: summarized.some(onNode22) ? { variants: summarized.filter(onNode22) } : undefined,
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
      const res = run(timeBin, ['-f', 'maxrss_kb=%M', process.execPath, ...v.args], { stdio: ['ignore', 'pipe', 'pipe'], env: v.env ?? lambdaEnv });
      const m = /maxrss_kb=(\d+)/.exec(res.stderr);
      if (res.status !== 0 || !m) throw new Error(`peak RSS ${v.id}: exit ${res.status}`);
      checkDelivered(v, res.stdout);
      v.deliveries = (v.deliveries ?? 0) + (v.delivers ? 1 : 0);
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
// 1b. Log delivery: the endpoint, what each invocation calls, and proof that the timed runs delivered.

/** moto up and the encrypted credentials ready, or why the delivery variants cannot run. */
async function setupDelivery() {
  try {
    const moto = await startMoto();
    try {
      return { moto, endpoint: moto.endpoint, encrypted: await prepareEncryptedCredentials(moto.endpoint) };
    } catch (error) {
      await moto.stop();
      throw error;
    }
  } catch (error) {
    return { why: String(error?.message ?? error).split('\n')[0].slice(0, 300) };
  }
}

/** Merged length of the intervals [start, end] inside [from, to]: the time some call was in flight. */
function coveredMs(intervals, from, to) {
  let total = 0;
  let reach = from;
  for (const { start, end } of [...intervals].sort((a, b) => a.start - b.start)) {
    const s = Math.max(start, reach);
    const e = Math.min(end, to);
    if (e > s) total += e - s;
    reach = Math.max(reach, e);
  }
  return total;
}

/** One delivery child through the recording proxy (async: the proxy lives in this process). */
function recordedRun(v, request, endpoint) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [v.args[0], HANDLERS, request, '--cpu', '--trace'], { cwd: root, env: { ...v.env, AWS_ENDPOINT_URL: endpoint }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (c) => out.push(c));
    child.on('error', reject);
    child.on('exit', (status) => {
      const stdout = Buffer.concat(out).toString();
      try {
        if (status !== 0) throw new Error(`recorded ${v.id} exited ${status}`);
        checkDelivered(v, stdout);
        const info = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{"bench"'))).bench;
        if (info.status !== v.expect) throw new Error(`recorded ${v.id}: expected ${v.expect}, got ${info.status}`);
        resolve(info);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * Untimed: every delivery variant through a recording proxy in front of moto, in three states of the owner's
 * account: group and stream exist (the state of the timed runs), a new stream (the first invocation for a
 * resource), nothing exists (the owner's first invocation ever).
 */
async function recordCalls(variants, delivery) {
  const recorder = await startRecorder(delivery.endpoint);
  const runs = QUICK ? 3 : 8;
  const out = [];
  try {
    for (const v of variants) {
      const request = (group) => {
        const path = join(work, `recorded-${group}.json`);
        writeFileSync(path, JSON.stringify(withDelivery(hookRequest(4), group, v.encrypted)));
        return path;
      };
      const base = `${DELIVERY_GROUPS[v.id]}-recorded`;
      const scenario = async (name, path, n) => {
        const samples = [];
        for (let i = 0; i < n; i++) {
          const info = await recordedRun(v, path, recorder.endpoint);
          const calls = recorder.take();
          const from = info.origin + info.loaded;
          const to = info.origin + info.answered;
          samples.push({ calls, from, info, answerMs: to - from, inFlightMs: coveredMs(calls, from, to), firstCallAfterMs: calls.length ? calls[0].start - from : NaN });
        }
        // Calls sent in parallel may arrive in either order: runs must make the same calls, matched by name.
        // Times at the proxy, from the end of loading the bundle: the sequence the calls make.
        // The child's note of when it created each request, matched by service and rank (one service's calls follow each other).
        const labelled = (calls, from, info) => {
          const seen = {};
          const perService = {};
          return calls.map((c) => {
            const call = `${c.service} ${c.action}${c.status >= 400 ? ` (${c.status})` : ''}`;
            seen[call] = (seen[call] ?? 0) + 1;
            const rank = (perService[c.service] = (perService[c.service] ?? 0) + 1);
            const created = info.requests?.filter((q) => q.service === c.service)[rank - 1];
            return {
              call,
              key: `${call}#${seen[call]}`,
              ms: c.ms,
              createdAfterMs: created ? created.createdMs - info.loaded : NaN,
              writtenAfterMs: created?.writtenMs !== undefined ? created.writtenMs - info.loaded : NaN,
              syncEndAfterMs: info.returned !== undefined ? info.returned - info.loaded : NaN,
              startAfterMs: c.start - from,
              endAfterMs: c.end - from,
            };
          });
        };
        const runsLabelled = samples.map((x) => labelled(x.calls, x.from, x.info));
        const sequence = runsLabelled[0];
        const keys = sequence.map((c) => c.key).sort().join();
        if (runsLabelled.some((calls) => calls.map((c) => c.key).sort().join() !== keys)) throw new Error(`${v.id} ${name}: the calls differ between runs`);
        const byCall = sequence.map(({ call, key }) => {
          const of = (f) => summarize(runsLabelled.map((calls) => f(calls.find((c) => c.key === key))));
          return {
            call,
            ms: of((c) => c.ms),
            createdAfterMs: of((c) => c.createdAfterMs),
            writtenAfterMs: of((c) => c.writtenAfterMs),
            // When the entrypoint's synchronous part ended, in the same run.
            syncEndAfterMs: of((c) => c.syncEndAfterMs),
            startAfterMs: of((c) => c.startAfterMs),
            endAfterMs: of((c) => c.endAfterMs),
            // From the hook creating the request to its arrival at the proxy: connecting, and the hook's synchronous work in between.
            heldMs: of((c) => c.startAfterMs - c.createdAfterMs),
          };
        });
        return {
          scenario: name,
          runs: n,
          calls: byCall,
          answerMs: summarize(samples.map((s) => s.answerMs)),
          inFlightMs: summarize(samples.map((s) => s.inFlightMs)),
          ownMs: summarize(samples.map((s) => s.answerMs - s.inFlightMs)),
          firstCallAfterMs: summarize(samples.map((s) => s.firstCallAfterMs)),
        };
      };
      const steady = request(base);
      await recordedRun(v, steady, recorder.endpoint); // creates group and stream
      recorder.take();
      v.recorded = 1;
      const scenarios = [await scenario('group and stream exist (as in the timed runs)', steady, runs)];
      await createLogGroup(delivery.endpoint, `${base}-new-stream`);
      scenarios.push(await scenario('group exists, new stream (first invocation for a resource)', request(`${base}-new-stream`), 1));
      scenarios.push(await scenario('nothing exists (first invocation ever)', request(`${base}-new-group`), 1));
      v.recorded += runs + 2;
      out.push({ id: v.id, scenarios });
    }
  } finally {
    await recorder.stop();
  }
  return out;
}

/**
 * The first-use costs on the delivery path, each alone in fresh processes, through the built files
 * (dist/network.js, dist/decrypt.js) against a stand-in endpoint inside the child. The message is the
 * bench's encrypted credentials; its data key is read from moto once, here, so that the stand-in KMS can
 * answer with it and no emulator's latency is inside the figures.
 */
async function deliveryParts(delivery) {
  const dataKey = await dataKeyOf(delivery.endpoint, delivery.encrypted);
  const input = join(work, 'parts-message.json');
  const { ciphertext, keyArn, roleArn } = delivery.encrypted;
  writeFileSync(input, JSON.stringify({ message: ciphertext, dataKey: dataKey.toString('hex'), keyArn, roleArn }));
  const runs = QUICK ? 10 : 20;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const res = run(process.execPath, [join(root, 'bench/cold-delivery-parts.cjs'), join(root, 'dist/network.js'), join(root, 'dist/decrypt.js'), input], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: lambdaEnv,
    });
    if (res.status !== 0) throw new Error(`bench/cold-delivery-parts.cjs exited ${res.status}: ${res.stderr.slice(0, 300)}`);
    samples.push(JSON.parse(res.stdout).parts);
  }
  rmSync(input, { force: true });
  const names = Object.keys(samples[0]);
  // The plain path meets every part but the decryption module and its first use; the encrypted path meets them all.
  const plainNames = names.filter((k) => k !== 'decryptModuleMs' && k !== 'firstDecryptMs');
  return {
    runs,
    method: 'dist/network.js and dist/decrypt.js required as built; their exports (Delivery, decryptCredentials) run against a stand-in endpoint in the same process',
    ms: Object.fromEntries(names.map((k) => [k, summarize(samples.map((x) => x[k]))])),
    plainTotalMs: summarize(samples.map((x) => plainNames.reduce((a, k) => a + x[k], 0))),
    totalMs: summarize(samples.map((x) => names.reduce((a, k) => a + x[k], 0))),
  };
}

/** What moto holds after the runs: one log line per timed invocation in each group, and the metrics. */
async function verifyDelivered(variants, delivery, since) {
  const groups = [];
  for (const v of variants) {
    const events = await deliveredEvents(delivery.endpoint, DELIVERY_GROUPS[v.id]);
    const timed = v.deliveries;
    const answered = events.filter((e) => e.message === 'Answered' && e.hookStatus === 'FAILED' && e.correlationId === 'bench-cold');
    if (events.length !== timed || answered.length !== timed) {
      throw new Error(`${v.id}: ${timed} invocations should have delivered ${timed} log lines to ${DELIVERY_GROUPS[v.id]}, moto holds ${events.length} (${answered.length} as expected)`);
    }
    groups.push({ id: v.id, group: DELIVERY_GROUPS[v.id], invocations: timed, logLines: events.length });
  }
  const namespace = 'AWS/CloudFormation/123456789012/Guardrails/ECS/ReadonlyRootFilesystem';
  const expected = variants.reduce((a, v) => a + v.deliveries + (v.recorded ?? 0), 0);
  const counted = await invocationCount(delivery.endpoint, namespace, since);
  if (counted !== expected) throw new Error(`moto counts ${counted} HandlerInvocationCount in ${namespace}, the bench made ${expected} delivering invocations`);
  return { groups, metricNamespace: namespace, handlerInvocationCount: counted, delivering: expected };
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

/** Runs a command under GNU time for its peak RSS (kB), when /usr/bin/time is there. */
function runMeasured(cmd, args) {
  const timed = existsSync('/usr/bin/time');
  const res = timed ? run('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : run(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const peakKb = timed ? Number(res.stderr.trim().split('\n').pop()) : undefined;
  return { ...res, peakRssBytes: Number.isFinite(peakKb) ? peakKb * 1024 : undefined };
}

/**
 * The CLI beside its peers on the same files, in one run: native cfn-guard 3.1.1 with the Guard rule
 * (`-o json`, the binary `npm run test:guard` fetches) and cfn-lint (on a tenth of the files: it takes
 * about a second per template). Also: the CLI's wall time at 250, 500 and 1,000 files (linear in
 * files) and its peak RSS at each (memory must not grow with the number of files).
 */
function cliPeers() {
  const dir = join(work, 'corpus-1000');
  const files = QUICK ? 200 : 1000;
  if (!existsSync(dir)) repeatCorpus(CORPUS, dir, files);
  const platform = { 'linux/x64': 'ubuntu/x86_64', 'linux/arm64': 'ubuntu/aarch64', 'darwin/x64': 'macos/x86_64', 'darwin/arm64': 'macos/aarch64' }[`${process.platform}/${process.arch}`];
  const guard = join(root, 'node_modules/.cache/cfn-guard-0.0.62/package/bin', platform ?? 'none', 'cfn-guard');
  if (!existsSync(guard)) spawnSync('bash', [join(root, 'rules/cfn-guard-test.sh')], { cwd: root, stdio: 'ignore' });
  const runs = QUICK ? 2 : 3;
  const cliMs = [];
  const guardMs = [];
  let cliPeak;
  let guardPeak;
  for (let r = 0; r < runs; r++) {
    const a = runMeasured(process.execPath, [CLI, 'validate', '--format', 'json', dir]);
    if (![0, 19].includes(a.status)) throw new Error(`CLI exited ${a.status}`);
    cliMs.push(a.ms);
    cliPeak = Math.max(cliPeak ?? 0, a.peakRssBytes ?? 0) || undefined;
    if (existsSync(guard)) {
      const g = runMeasured(guard, ['validate', '-r', join(root, 'rules/readonly-root-filesystem.guard'), '-d', dir, '-o', 'json']);
      if (![0, 19].includes(g.status)) throw new Error(`cfn-guard exited ${g.status}: ${g.stderr.slice(0, 200)}`);
      guardMs.push(g.ms);
      guardPeak = Math.max(guardPeak ?? 0, g.peakRssBytes ?? 0) || undefined;
    }
  }
  // cfn-lint on a tenth of the files (at least the distinct templates).
  const lintDir = join(work, 'corpus-lint');
  const lintFiles = Math.max(24, Math.round(files / 10));
  repeatCorpus(CORPUS, lintDir, lintFiles);
  const lintList = readdirSync(lintDir).map((f) => join(lintDir, f));
  const lint = spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0 ? run('cfn-lint', ['--', ...lintList], { stdio: ['ignore', 'pipe', 'pipe'] }) : undefined;
  // Linear in files, flat in memory. Peak RSS per step is the median of its runs (one run's peak
  // moves by a few MB with when V8 collects); a run over one file gives Node's own baseline.
  const rssOf = (samples) => (samples.every((b) => b !== undefined) ? summarize(samples).median : undefined);
  const oneDir = join(work, 'corpus-1-step');
  repeatCorpus(CORPUS, oneDir, 1);
  const onePeaks = [];
  for (let r = 0; r < (QUICK ? 2 : 5); r++) onePeaks.push(runMeasured(process.execPath, [CLI, 'validate', '--format', 'json', oneDir]).peakRssBytes);
  // Five runs a step: with three, the median peak moved by about 2 MB between benches.
  const stepRuns = QUICK ? 2 : 5;
  const steps = (QUICK ? [100, 200, 400] : [250, 500, 1000, 2000, 4000]).map((n) => {
    const d = join(work, `corpus-${n}-step`);
    repeatCorpus(CORPUS, d, n);
    const samples = [];
    const peaks = [];
    for (let r = 0; r < stepRuns; r++) {
      const res = runMeasured(process.execPath, [CLI, 'validate', '--format', 'json', d]);
      if (![0, 19].includes(res.status)) throw new Error(`CLI on ${n} files exited ${res.status}`);
      samples.push(res.ms);
      peaks.push(res.peakRssBytes);
    }
    return { files: n, wallMs: summarize(samples), peakRssBytes: rssOf(peaks), peakRssSamples: peaks };
  });
  const largest = Math.max(...readdirSync(CORPUS).filter((f) => /\.(ya?ml|json|template)$/.test(f)).map((f) => statSync(join(CORPUS, f)).size));
  const fit = linearFit(
    steps.map((s) => s.files),
    steps.map((s) => s.wallMs.median),
  );
  const cli = summarize(cliMs);
  const g = guardMs.length ? summarize(guardMs) : undefined;
  return {
    measured: true,
    files,
    runs,
    cores: cpus().length,
    cli: { wallMs: cli, templatesPerSecond: files / (cli.median / 1000), peakRssBytes: cliPeak },
    guard: g ? { version: '3.1.1', wallMs: g, templatesPerSecond: files / (g.median / 1000), peakRssBytes: guardPeak } : { measured: false, why: 'the cfn-guard binary could not be fetched' },
    cfnLint: lint ? { files: lintFiles, wallMs: lint.ms, templatesPerSecond: lintFiles / (lint.ms / 1000) } : { measured: false, why: 'cfn-lint is not installed' },
    speedupOverGuard: g ? g.median / cli.median : undefined,
    steps,
    linearInFiles: { msPerFile: fit.slope, interceptMs: fit.intercept, r2: fit.r2 },
    memory: { ...memoryGrowth(steps, largest, rssOf(onePeaks), QUICK ? [200, 400] : [500, 1000]), runs: stepRuns },
  };
}

/**
 * How the CLI's peak RSS grows with the number of files, for the issue's bound of 30 times the
 * largest template. Peak RSS itself starts from Node's baseline and the worker threads' heaps (a run
 * over one file shows the first), which no template adds to, so the bound is put on growth: the
 * median peak at `to` files minus that at `from` files (both runs on worker threads), and the slope
 * of a least-squares line through every step's median peak, per file.
 */
function memoryGrowth(steps, largest, oneFileRss, [from, to]) {
  const at = (n) => steps.find((s) => s.files === n)?.peakRssBytes;
  const known = steps.filter((s) => s.peakRssBytes !== undefined);
  const fit = known.length > 2 ? linearFit(known.map((s) => s.files), known.map((s) => s.peakRssBytes)) : undefined;
  return {
    largestTemplateBytes: largest,
    boundBytes: 30 * largest,
    oneFileRssBytes: oneFileRss,
    from,
    to,
    growthBytes: at(from) !== undefined && at(to) !== undefined ? at(to) - at(from) : undefined,
    // The steps after `to`, each against the one before, so that the report shows whether the peak settles or only grows later.
    later: known.flatMap((s, i) => (s.files > to && i > 0 ? [{ from: known[i - 1].files, to: s.files, growthBytes: s.peakRssBytes - known[i - 1].peakRssBytes }] : [])),
    slopeBytesPerFile: fit?.slope,
    slopeFrom: known[0]?.files,
    slopeTo: known[known.length - 1]?.files,
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
  await attempt('peers', cliPeers);
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
// ---------------------------------------------------------------------------------------------
// 6. Stack-level evaluation: a 500-resource template served locally, time to answer (bench/stack-level.mjs).

function stackLevel() {
  const script = join(root, 'bench/stack-level.mjs');
  const cold = [];
  for (let i = 0; i < (QUICK ? 3 : 15); i++) {
    const out = join(work, `stack-cold-${i}.json`);
    const res = run(process.execPath, [script, HANDLERS, out, '1', 'cold'], { stdio: ['ignore', 'ignore', 'pipe'], env: lambdaEnv });
    if (res.status !== 0) throw new Error(`stack-level cold run exited ${res.status}: ${res.stderr.slice(0, 500)}`);
    cold.push(JSON.parse(readFileSync(out, 'utf8')).coldMs);
  }
  const out = join(work, 'stack-warm.json');
  const res = run(process.execPath, [script, HANDLERS, out, QUICK ? '0.2' : '1'], { stdio: ['ignore', 'ignore', 'pipe'], env: lambdaEnv });
  if (res.status !== 0) throw new Error(`stack-level warm run exited ${res.status}: ${res.stderr.slice(0, 500)}`);
  const warm = JSON.parse(readFileSync(out, 'utf8'));
  const stackMs = summarize(warm.stackMs);
  const peerMs = summarize(warm.resourcesMs);
  return {
    measured: true,
    method:
      'the payload ({template, previousTemplate}) served by a loopback HTTP server, as a presigned URL; cold: a fresh process per sample, ' +
      'from loading dist/handlers.js to the answer (dist/network.js and dist/stack.js load on the way); warm: one process, interleaved with ' +
      'the peer, the 100 resource-level invocations the same stack makes (one per task definition, properties as strings)',
    resources: warm.resources,
    taskDefinitions: warm.taskDefinitions,
    templateBytes: warm.templateBytes,
    payloadBytes: warm.payloadBytes,
    answer: warm.answer,
    coldMs: summarize(cold),
    coldSamples: cold.map((v) => round(v, 3)),
    warmMs: stackMs,
    peerMs,
    ratioToPeer: round(stackMs.median / peerMs.median, 3),
  };
}

async function attemptStackLevel() {
  try {
    return stackLevel();
  } catch (error) {
    return { measured: false, why: `the stack-level run failed: ${String(error.message ?? error).slice(0, 300)}` };
  }
}

function toJson(value) {
  const text = JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 4) : v), 1);
  return `${text.replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, body) => `[${body.split(/,\s*/).join(', ')}]`)}\n`;
}

/** The delivery section of the results: the calls recorded and what moto holds, or why not measured. */
async function logDelivery(variants, delivery, since) {
  if (delivery.why) {
    log(`LOG DELIVERY NOT MEASURED: ${delivery.why}`);
    return { measured: false, why: delivery.why };
  }
  const delivering = variants.filter((v) => v.delivers);
  log('log delivery: calls per invocation (recording proxy, untimed)');
  // The calls are recorded on this machine's node; the Node.js 22 runs are counted with the rest.
  const recorded = await recordCalls(delivering.filter((v) => !v.runtime), delivery);
  const verified = await verifyDelivered(delivering, delivery, since);
  const parts = await deliveryParts(delivery);
  log(`log delivery: moto holds ${verified.groups.map((g) => `${g.logLines} lines in ${g.group}`).join(', ')}; ${verified.handlerInvocationCount} invocation counts`);
  return {
    measured: true,
    endpoint: `moto_server ${delivery.moto.version} (Python) on 127.0.0.1, started by the bench`,
    region: 'us-east-1',
    encryption: 'AWS Encryption SDK message (@aws-crypto/client-node, KMS keyring, default committing suite) under a moto KMS key, role arn:aws:iam::123456789012:role/hook-encryption',
    clients: 'AWS SDK for JavaScript v3 clients (CloudWatch Logs, CloudWatch, STS, KMS in dist/network.js; the Encryption SDK in dist/decrypt.js)',
    recorded,
    parts,
    verified,
  };
}

async function main() {
  if (!existsSync(HANDLERS)) throw new Error('dist/handlers.js is missing: run `npm run build` (npm run bench does)');
  const results = { machine: machine(), targets: TARGETS };
  const only = process.env.BENCH_ONLY?.split(',');
  const since = Date.now();
  const node22 = lambdaRuntime();
  results.machine.lambdaRuntime = node22.bin ? { node: node22.version, v8: node22.v8, source: node22.source } : { measured: false, why: node22.why };
  const delivery = await setupDelivery();
  try {
    await measure(results, only, delivery, since, node22);
  } finally {
    await delivery.moto?.stop();
  }
  if (node22.why) {
    process.stderr.write(`\nnpm run bench: the cold starts on Node.js 22 (the Lambda runtime) were not measured: ${node22.why}\n`);
    process.exitCode = 1;
  }
  if (delivery.why) {
    // Loud, after the report is written: the delivery row says why it was not measured.
    process.stderr.write(`\nnpm run bench: the log-delivery variants were not measured: ${delivery.why}\n`);
    process.exitCode = 1;
  }
}

async function measure(results, only, delivery, since, node22) {
  if (only) {
    // For work on the bench: the named sections only (cold, warm, cli, stack), printed, nothing written.
    if (only.includes('cold')) {
      const variants = coldVariants(delivery.why ? undefined : delivery, node22);
      results.coldStart = coldStart(variants);
      results.logDelivery = await logDelivery(variants, delivery, since);
    }
    if (only.includes('warm')) results.warm = warmLatency();
    if (only.includes('stack')) results.stackLevel = await attemptStackLevel();
    if (only.includes('cli')) {
      const cli = cliStatus();
      results.cli = { status: cli };
      if (cli.usable) await measureCli(results.cli);
    }
    process.stdout.write(`${JSON.stringify(results, (k, v) => (/amples/.test(k) ? undefined : v), 1)}\n`);
    return;
  }

  log('cold start (fresh processes, interleaved)');
  const variants = coldVariants(delivery.why ? undefined : delivery, node22);
  results.coldStart = coldStart(variants);
  log('peak RSS');
  results.memory = peakRss(variants.filter((v) => !v.partsOnly && !v.runtime));
  results.logDelivery = await logDelivery(variants, delivery, since);
  log('warm latency');
  results.warm = warmLatency();
  log('size');
  results.size = { bundle: bundleSize(), package: packageSize() };

  log('CLI');
  const cli = cliStatus();
  results.cli = { status: cli };
  if (cli.usable) await measureCli(results.cli);
  log('stack-level evaluation');
  results.stackLevel = await attemptStackLevel();
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
