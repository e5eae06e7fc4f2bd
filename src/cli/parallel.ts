/**
 * Large directory runs use the machine's cores: worker threads running this same bundle claim a
 * few files at a time from a shared counter (Atomics), check them, render their part of the report
 * (format/stream.ts) and post it back with their totals; the main thread writes the parts in the
 * order of the files as soon as those before them are in, and hands each part's buffers back to
 * its worker. Small runs, and runs reading standard input, stay on one thread.
 *
 * Memory does not grow with what the files hold, and little with how many there are: what a
 * thread keeps across its young-generation collections makes V8 enlarge that generation for good,
 * so nothing per file is kept in the V8 heap. The list of files is in shared buffers outside it,
 * which the workers read in place (no copy per worker); the report's parts are rendered into
 * buffers outside it, used again from part to part; each thread reads files into one buffer of its
 * own. The main thread's work is per batch of files, not per file: code run once a file would be
 * optimized by V8 as the run goes on, on its background threads, whose working memory stays in the
 * process's peak. The main thread judges only what a worker could not (parsing thousands of
 * templates would enlarge its young generation, and its heap cannot be bounded from inside the
 * process). The workers' heaps are bounded: a small young generation, and a small old generation,
 * which V8 collects early and keeps under its bound (with V8's default bound a worker's old
 * generation is never collected in a run of thousands of files and grows with every file). A file
 * too large for such a heap is handed back to the main thread unread; a worker that dies anyway
 * (its heap exhausted by some other file, an alias bomb within the reader's limits) has the files
 * it held and had not answered checked by the main thread, and another worker takes its place.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import type { PolicyConfig } from '../policy';
import { validateTemplate } from '../template';
import { type Input, type InputList, isListedError, readInput, type SharedInputs, sharedInput } from './files';
import { type Backlog, Buffers, buffersOf, type Piece, PieceMaker, type RenderOptions } from './format/stream';
import type { FileResult } from './results';

/** Below this many files a worker's start-up (loading the bundle) costs more than it saves. */
export const PARALLEL_MIN_FILES = 64;
const MAX_WORKERS = 8;
/**
 * A worker's young generation (MiB): V8's default lets it grow to 32 MiB over a long run; 8 MiB
 * costs no measurable speed (templates' parse trees die young) and keeps RSS flat.
 */
const WORKER_YOUNG_GENERATION_MB = 8;
/**
 * A worker's old generation (MiB). V8 first collects an old generation at half its bound; the bundle
 * itself keeps about 5 MiB alive. Smaller bounds make V8 collect after every few files (three times
 * the CPU at 9 MiB).
 */
const WORKER_OLD_GENERATION_MB = 12;
/** Files larger than this are checked by the main thread (a worker's heap has room for about twice as much). */
export const WORKER_MAX_BYTES = 192 * 1024;
/** Workers started in one run, replacements included; past it the main thread checks what is left. */
const MAX_STARTS = MAX_WORKERS * 64;
/**
 * Files a worker claims, checks and renders before posting them: the main thread's work (and the
 * optimizing compilations its per-file code would need, whose working memory stays in RSS) is per
 * batch, not per file.
 */
const CHUNK_FILES = 16;

export interface CheckOptions {
  readonly parameters: ReadonlyMap<string, string>;
  readonly config: PolicyConfig;
  readonly strict: boolean;
  readonly onlyTemplates: boolean;
  /** The name standard input's results go under (--stdin-filename); else `-`. */
  readonly stdinName?: string;
}

interface Job {
  readonly kind: 'ecs-readonly-rootfs/validate';
  readonly list: SharedInputs;
  readonly options: CheckOptions;
  readonly render: RenderOptions;
  /** The first file no worker has claimed. */
  readonly next: Int32Array;
  /** How many files a worker claims at a time. */
  readonly chunk: number;
  /** Per worker, two entries: the files it has claimed and not answered yet, [from, to). */
  readonly held: Int32Array;
  readonly slot: number;
  /** Where the main thread hands back the buffers of the worker's pieces once written. */
  readonly returns: MessagePort;
  /** 1 while the report's destination is behind: no worker claims files until it is 0 again. */
  readonly gate: Int32Array;
}

/**
 * What a worker posts: the piece of the files [start, start + count), or that file `start` is the
 * main thread's to check (too large, or listed unreadable).
 */
type Answer = { readonly start: number; readonly count: number; readonly piece: Piece } | { readonly start: number; readonly toMain: true };

/** One read buffer per thread, for files up to this size (larger ones get their own, dropped after). */
const SCRATCH_BYTES = 256 * 1024;
let scratch: Buffer | undefined;

export function checkOne(input: Input, options: CheckOptions, stdin: () => Uint8Array): FileResult {
  const explicit = input.explicit ? { explicit: true } : {};
  const path = input.path === '-' && options.stdinName !== undefined ? options.stdinName : input.path;
  if (input.error) return { path, ...explicit, status: 'ERROR', error: { message: input.error }, resources: [] };
  scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
  const read = readInput(input.path, stdin, scratch);
  if (!read.ok) return { path, ...explicit, status: 'ERROR', error: { message: read.error }, resources: [] };
  return { path, ...explicit, ...validateTemplate(read.bytes, { ...options, fileName: path }) };
}

function workerCount(files: number): number {
  // The main thread only collects and writes results: one worker per core.
  return Math.max(0, Math.min(MAX_WORKERS, availableParallelism(), Math.floor(files / (PARALLEL_MIN_FILES / 2))));
}

/** Files a worker claims at a time: at most CHUNK_FILES, and at least eight claims per worker so that they finish together. */
function chunkSize(files: number, workers: number): number {
  return Math.max(1, Math.min(CHUNK_FILES, Math.floor(files / (workers * 8))));
}

/**
 * Every input checked, rendered and handed to `emit` in input order, as soon as it and those
 * before it are judged: a piece is held only until it can be emitted (one a worker answers ahead
 * of another's earlier files), never for the whole run. `emit` writes the piece before it returns:
 * its buffers are used again after. While `backlog` says the destination is behind (a pipe read
 * slowly), no more files are checked: what is written waits in its buffer, not the whole report.
 */
export async function checkEach(
  inputs: InputList,
  options: CheckOptions,
  render: RenderOptions,
  stdin: () => Uint8Array,
  bundle: string | undefined,
  emit: (piece: Piece) => void,
  backlog?: Backlog,
): Promise<void> {
  const here = new PieceMaker(render);
  const workers = bundle && !inputs.stdin ? workerCount(inputs.length) : 0;
  if (workers < 2) {
    for (let i = 0; i < inputs.length; i++) {
      here.add(checkOne(inputs.at(i), options, stdin));
      const piece = here.take();
      emit(piece);
      here.buffers.give(buffersOf(piece));
      await backlog?.();
    }
    return;
  }

  const next = new Int32Array(new SharedArrayBuffer(4));
  const held = new Int32Array(new SharedArrayBuffer(8 * MAX_STARTS));
  const gate = new Int32Array(new SharedArrayBuffer(4));
  // Workers wait at the gate while the destination is behind; they have at most a chunk each in hand.
  const watch = (): void => {
    const behind = Atomics.load(gate, 0) === 0 ? backlog?.() : undefined;
    if (!behind) return;
    Atomics.store(gate, 0, 1);
    void behind.then(() => {
      Atomics.store(gate, 0, 0);
      Atomics.notify(gate, 0);
    });
  };
  const chunk = chunkSize(inputs.length, workers);
  // Answered but not yet emitted, by their first file; `emitted` is the first file not emitted.
  // Each with where its buffers go back to once written.
  const pending = new Map<number, { readonly count: number; readonly piece: Piece; readonly back: (buffers: ArrayBuffer[]) => void }>();
  let emitted = 0;
  const keep = (buffers: ArrayBuffer[]): void => here.buffers.give(buffers);
  const settle = (start: number, count: number, piece: Piece, back = keep): void => {
    pending.set(start, { count, piece, back });
    for (let p = pending.get(emitted); p !== undefined; p = pending.get(emitted)) {
      pending.delete(emitted);
      emitted += p.count;
      emit(p.piece);
      p.back(buffersOf(p.piece));
    }
    watch();
  };
  /** Files [from, to) checked on this thread. */
  const checkHere = (from: number, to: number): void => {
    for (let i = from; i < to; i++) here.add(checkOne(inputs.at(i), options, stdin));
    settle(from, to - from, here.take());
  };
  const list = inputs.shared();
  compileOnWorkerThreads();
  await new Promise<void>((resolve) => {
    let running = 0;
    let slots = 0;
    const start = (): void => {
      const slot = slots;
      if (slot >= MAX_STARTS) return; // workers died too often: the main thread checks the rest
      let worker: Worker;
      const returns = new MessageChannel();
      try {
        const job: Job = { kind: 'ecs-readonly-rootfs/validate', list, options, render, next, chunk, held, slot, returns: returns.port2, gate };
        worker = new Worker(bundle!, {
          workerData: job,
          transferList: [returns.port2],
          stdout: false,
          stderr: false,
          resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
        });
      } catch {
        returns.port1.close();
        return; // none started: the main thread checks what no worker claims
      }
      // Buffers of pieces written after the worker is gone stay here.
      let gone = false;
      const back = (buffers: ArrayBuffer[]): void => (gone ? keep(buffers) : returns.port1.postMessage(buffers, buffers));
      slots++;
      running++;
      let answered = false;
      worker.on('message', (answer: Answer) => {
        answered = true;
        if ('piece' in answer) settle(answer.start, answer.count, answer.piece, back);
        else checkHere(answer.start, answer.start + 1);
      });
      worker.on('error', () => undefined); // its exit follows
      worker.on('exit', () => {
        running--;
        gone = true;
        returns.port1.close();
        // A worker that dies (its heap exhausted) leaves the files it held to the main thread, and
        // another takes its place while files are left, unless it died before answering any.
        const from = Atomics.load(held, 2 * slot);
        const to = Atomics.load(held, 2 * slot + 1);
        if (from < to) checkHere(from, to);
        if (answered && Atomics.load(next, 0) < inputs.length) start();
        if (running === 0) resolve();
      });
    };
    for (let w = 0; w < workers; w++) start();
    if (running === 0) resolve();
  });
  // Anything no worker answered (none could start, or one died before it said what it held) is
  // checked here; each file checked lets out what was waiting behind it.
  while (emitted < inputs.length) checkHere(emitted, emitted + 1);
}

/**
 * Workers compile optimized code on their own thread, not on V8's background threads. With a small
 * heap, a background compilation can need a collection in the worker's heap and wait for it, while
 * the worker, done with its files, waits in Node for its background work to finish: neither moves
 * again and the run never ends (Node issue 54918; up to one run in twelve on two busy cores, on Node 20). A
 * worker compiling its own code leaves nothing in the background to wait for. V8 reads the flag
 * when an isolate is made, so this applies to workers started after it, not to this thread.
 * Without inlining, the optimizing compiler's compilations of the checker need less working memory,
 * which stays in the process's peak: 1 to 2 MB less from 500 to 4,000 files, a few per cent slower
 * up to 1,000 files and faster past (guide/cli.md).
 */
export const WORKER_V8_FLAGS = '--no-concurrent-recompilation --no-turbo-inlining';

function compileOnWorkerThreads(): void {
  setFlagsFromString(WORKER_V8_FLAGS);
}

/** In a worker started by checkEach: claim files until none is left. Returns false when not such a worker. */
export function runWorker(): boolean {
  if (isMainThread || !parentPort) return false;
  const job = workerData as Job | undefined;
  if (job?.kind !== 'ecs-readonly-rootfs/validate') return false;
  const port = parentPort;
  const files = job.list.flags.length;
  const held = job.held;
  const at = 2 * job.slot;
  const returned = (): ArrayBuffer[] | undefined => receiveMessageOnPort(job.returns)?.message as ArrayBuffer[] | undefined;
  const maker = new PieceMaker(job.render, new Buffers(returned));
  const post = (from: number, to: number): void => {
    if (to <= from) return;
    const piece = maker.take();
    port.postMessage({ start: from, count: to - from, piece } satisfies Answer, buffersOf(piece));
  };
  for (;;) {
    while (Atomics.load(job.gate, 0) === 1) Atomics.wait(job.gate, 0, 1);
    const start = Atomics.add(job.next, 0, job.chunk);
    if (start >= files) break;
    const end = Math.min(start + job.chunk, files);
    // Held: [from, to), the start first (until the end is stored, from >= to holds nothing).
    Atomics.store(held, at, start);
    Atomics.store(held, at + 1, end);
    let from = start;
    for (let i = start; i < end; i++) {
      const input = isListedError(job.list, i) ? undefined : sharedInput(job.list, i);
      if (input && !tooLarge(input)) {
        maker.add(checkOne(input, job.options, () => new Uint8Array()));
        continue;
      }
      // No longer held before it is posted: a worker that dies between the two leaves these files
      // to the main thread's last pass, never to be checked twice.
      Atomics.store(held, at, i + 1);
      post(from, i);
      port.postMessage({ start: i, toMain: true } satisfies Answer);
      from = i + 1;
    }
    Atomics.store(held, at, end);
    post(from, end);
  }
  return true;
}

/** Whether a file is larger than a worker's heap is meant for (unreadable files are the worker's to report). */
function tooLarge(input: Input): boolean {
  try {
    return statSync(input.path).size > WORKER_MAX_BYTES;
  } catch {
    return false;
  }
}
