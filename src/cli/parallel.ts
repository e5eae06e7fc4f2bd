/**
 * Large directory runs use the machine's cores: worker threads running this same bundle claim files
 * one at a time from a shared counter (Atomics) and post each result back; the main thread hands
 * each result on in the order of the files as soon as those before it are in. Small runs, and runs
 * reading standard input, stay on one thread.
 *
 * Memory does not grow with what the files hold, and little with how many there are: what a
 * thread keeps across its young-generation collections makes V8 enlarge that generation for good,
 * so nothing per file is kept in the V8 heap. The list of files is in shared buffers outside it,
 * which the workers read in place (no copy per worker); the report's parts are encoded into a
 * buffer as they come (see format/stream.ts); each thread reads files into one buffer of its own.
 * The main thread judges only what a worker could not (parsing thousands of templates would enlarge
 * its young generation, and its heap cannot be bounded from inside the process). The workers' heaps
 * are bounded: a small young generation, and a small old generation, which V8 collects
 * early and keeps under its bound (with V8's default bound a worker's old generation is never
 * collected in a run of thousands of files and grows with every file). A file too large for such a
 * heap is handed back to the main thread unread; a worker that dies anyway (its heap exhausted by
 * some other file, an alias bomb within the reader's limits) has the file it held checked by the
 * main thread, and another worker takes its place.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { PolicyConfig } from '../policy';
import { validateTemplate } from '../template';
import { type Input, type InputList, isListedError, readInput, type SharedInputs, sharedInput } from './files';
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

export interface CheckOptions {
  readonly parameters: ReadonlyMap<string, string>;
  readonly config: PolicyConfig;
  readonly strict: boolean;
  readonly onlyTemplates: boolean;
}

interface Job {
  readonly kind: 'ecs-readonly-rootfs/validate';
  readonly list: SharedInputs;
  readonly options: CheckOptions;
  readonly next: Int32Array;
  /** Per worker: the index of the file it is checking, -1 before its first. */
  readonly current: Int32Array;
  readonly slot: number;
}

/** What a worker posts for a file: its result, or that the file is for the main thread to check (too large, or listed unreadable). */
type Answer = { readonly index: number; readonly result: FileResult } | { readonly index: number; readonly toMain: true };

/** One read buffer per thread, for files up to this size (larger ones get their own, dropped after). */
const SCRATCH_BYTES = 256 * 1024;
let scratch: Buffer | undefined;

export function checkOne(input: Input, options: CheckOptions, stdin: () => Uint8Array): FileResult {
  const explicit = input.explicit ? { explicit: true } : {};
  if (input.error) return { path: input.path, ...explicit, status: 'ERROR', error: { message: input.error }, resources: [] };
  scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
  const read = readInput(input.path, stdin, scratch);
  if (!read.ok) return { path: input.path, ...explicit, status: 'ERROR', error: { message: read.error }, resources: [] };
  return { path: input.path, ...explicit, ...validateTemplate(read.bytes, { ...options, fileName: input.path }) };
}

function workerCount(files: number): number {
  // The main thread only collects and writes results: one worker per core.
  return Math.max(0, Math.min(MAX_WORKERS, availableParallelism(), Math.floor(files / (PARALLEL_MIN_FILES / 2))));
}

/**
 * Every input checked and handed to `emit` in input order, as soon as it and those before it are
 * judged: a result is held only until it can be emitted (one a worker answers ahead of another's
 * earlier file), never for the whole run.
 */
export async function checkEach(inputs: InputList, options: CheckOptions, stdin: () => Uint8Array, bundle: string | undefined, emit: (result: FileResult) => void): Promise<void> {
  const workers = bundle && inputs.length >= PARALLEL_MIN_FILES && !inputs.stdin ? workerCount(inputs.length) : 0;
  if (workers < 2) {
    for (let i = 0; i < inputs.length; i++) emit(checkOne(inputs.at(i), options, stdin));
    return;
  }

  const next = new Int32Array(new SharedArrayBuffer(4));
  const current = new Int32Array(new SharedArrayBuffer(4 * MAX_STARTS));
  // Judged but not yet emitted, by index; `emitted` is the first index not emitted.
  const pending = new Map<number, FileResult>();
  let emitted = 0;
  const open = (index: number): boolean => index >= emitted && !pending.has(index);
  const settle = (index: number, result: FileResult): void => {
    pending.set(index, result);
    for (let r = pending.get(emitted); r !== undefined; r = pending.get(emitted)) {
      pending.delete(emitted++);
      emit(r);
    }
  };
  const list = inputs.shared();
  compileOnWorkerThreads();
  await new Promise<void>((resolve) => {
    let running = 0;
    let slots = 0;
    const start = (): void => {
      const slot = slots;
      if (slot >= current.length) return; // workers died too often: the main thread checks the rest
      Atomics.store(current, slot, -1);
      let worker: Worker;
      try {
        const job: Job = { kind: 'ecs-readonly-rootfs/validate', list, options, next, current, slot };
        worker = new Worker(bundle!, {
          workerData: job,
          stdout: false,
          stderr: false,
          resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
        });
      } catch {
        return; // none started: the main thread checks what no worker claims
      }
      slots++;
      running++;
      let answered = false;
      worker.on('message', (answer: Answer) => {
        answered = true;
        if (open(answer.index)) settle(answer.index, 'result' in answer ? answer.result : checkOne(inputs.at(answer.index), options, stdin));
      });
      worker.on('error', () => undefined); // its exit follows
      worker.on('exit', () => {
        running--;
        // A worker that dies (its heap exhausted) leaves the file it held to the main thread, and
        // another takes its place while files are left, unless it died before answering any.
        const held = Atomics.load(current, slot);
        if (held >= 0 && open(held)) settle(held, checkOne(inputs.at(held), options, stdin));
        if (answered && Atomics.load(next, 0) < inputs.length) start();
        if (running === 0) resolve();
      });
    };
    for (let w = 0; w < workers; w++) start();
    if (running === 0) resolve();
  });
  // Anything no worker claimed (none could start, or they died) is checked here.
  for (let i = emitted; i < inputs.length; i++) if (open(i)) settle(i, checkOne(inputs.at(i), options, stdin));
}

/**
 * Workers compile optimized code on their own thread, not on V8's background threads. With a small
 * heap, a background compilation can need a collection in the worker's heap and wait for it, while
 * the worker, done with its files, waits in Node for its background work to finish: neither moves
 * again and the run never ends (Node issue 54918; up to one run in twelve on two busy cores, on Node 20). A
 * worker compiling its own code leaves nothing in the background to wait for. V8 reads the flag
 * when an isolate is made, so this applies to workers started after it, not to this thread.
 */
function compileOnWorkerThreads(): void {
  setFlagsFromString('--no-concurrent-recompilation');
}

/** In a worker started by checkEach: claim files until none is left. Returns false when not such a worker. */
export function runWorker(): boolean {
  if (isMainThread || !parentPort) return false;
  const job = workerData as Job | undefined;
  if (job?.kind !== 'ecs-readonly-rootfs/validate') return false;
  const port = parentPort;
  for (;;) {
    const i = Atomics.add(job.next, 0, 1);
    if (i >= job.list.flags.length) break;
    Atomics.store(job.current, job.slot, i);
    const input = isListedError(job.list, i) ? undefined : sharedInput(job.list, i);
    const answer: Answer = !input || tooLarge(input) ? { index: i, toMain: true } : { index: i, result: checkOne(input, job.options, () => new Uint8Array()) };
    port.postMessage(answer);
    // Answered: if the worker dies now, the main thread has nothing of it to check again.
    Atomics.store(job.current, job.slot, -1);
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
