/**
 * Large directory runs use the machine's cores: worker threads running this same bundle claim files
 * one at a time from a shared counter (Atomics) and send each result back on their own port. The
 * main thread reads the ports synchronously (receiveMessageOnPort), so the command line stays
 * synchronous, and hands each result on in the order of the files as soon as those before it are
 * in. Small runs, and runs reading standard input, stay on one thread.
 *
 * Memory stays flat however many files a run has: the main thread judges nothing itself (a V8 heap
 * grows its young generation with the bytes that ever survived in it, so a thread that parses
 * thousands of templates ends with a young generation several times larger than one that does not,
 * and the main thread's heap cannot be bounded from inside the process), and the workers' heaps are
 * started with a small young generation.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, MessageChannel, type MessagePort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import type { PolicyConfig } from '../policy';
import { validateTemplate } from '../template';
import { type Input, readInput } from './files';
import type { FileResult } from './results';

/** Below this many files a worker's start-up (loading the bundle) costs more than it saves. */
export const PARALLEL_MIN_FILES = 64;
const MAX_WORKERS = 8;
/**
 * A worker's young generation (MiB): V8's default lets it grow to 32 MiB over a long run; 8 MiB
 * costs no measurable speed (templates' parse trees die young) and keeps RSS flat.
 */
const WORKER_YOUNG_GENERATION_MB = 8;
/** No result from any worker for this long: the main thread checks what is left itself. */
const STALL_MS = 10_000;

export interface CheckOptions {
  readonly parameters: ReadonlyMap<string, string>;
  readonly config: PolicyConfig;
  readonly strict: boolean;
  readonly onlyTemplates: boolean;
}

interface Job {
  readonly kind: 'ecs-readonly-rootfs/validate';
  readonly inputs: readonly Input[];
  readonly options: CheckOptions;
  readonly next: Int32Array;
  readonly done: Int32Array;
  readonly port: MessagePort;
}

export function checkOne(input: Input, options: CheckOptions, stdin: () => Uint8Array): FileResult {
  const explicit = input.explicit ? { explicit: true } : {};
  if (input.error) return { path: input.path, ...explicit, status: 'ERROR', error: { message: input.error }, resources: [] };
  const read = readInput(input.path, stdin);
  if (!read.ok) return { path: input.path, ...explicit, status: 'ERROR', error: { message: read.error }, resources: [] };
  return { path: input.path, ...explicit, ...validateTemplate(read.bytes, { ...options, fileName: input.path }) };
}

function workerCount(files: number): number {
  let cores = 1;
  try {
    cores = availableParallelism();
  } catch {
    cores = 1;
  }
  // The main thread only collects and writes results: one worker per core.
  return Math.max(0, Math.min(MAX_WORKERS, cores, Math.floor(files / (PARALLEL_MIN_FILES / 2))));
}

/** Every input checked, in input order; on several threads when the run is large enough. */
export function checkAll(inputs: readonly Input[], options: CheckOptions, stdin: () => Uint8Array, bundle: string | undefined): FileResult[] {
  const results: FileResult[] = [];
  checkEach(inputs, options, stdin, bundle, (r) => results.push(r));
  return results;
}

/**
 * Every input checked and handed to `emit` in input order, as soon as it and those before it are
 * judged: a result is held only until it can be emitted (one a worker answers ahead of another's
 * earlier file), never for the whole run.
 */
export function checkEach(inputs: readonly Input[], options: CheckOptions, stdin: () => Uint8Array, bundle: string | undefined, emit: (result: FileResult) => void): void {
  const workers = bundle && inputs.length >= PARALLEL_MIN_FILES && !inputs.some((i) => i.path === '-') ? workerCount(inputs.length) : 0;
  if (workers < 2) {
    for (const input of inputs) emit(checkOne(input, options, stdin));
    return;
  }

  const next = new Int32Array(new SharedArrayBuffer(4));
  const done = new Int32Array(new SharedArrayBuffer(4));
  // Judged but not yet emitted, by index; `emitted` is the first index not emitted.
  const pending = new Map<number, FileResult>();
  let emitted = 0;
  const started: { worker: Worker; port: MessagePort }[] = [];
  for (let w = 0; w < workers; w++) {
    const { port1, port2 } = new MessageChannel();
    try {
      const job: Job = { kind: 'ecs-readonly-rootfs/validate', inputs, options, next, done, port: port2 };
      const worker = new Worker(bundle!, {
        workerData: job,
        transferList: [port2],
        stdout: false,
        stderr: false,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      worker.unref();
      started.push({ worker, port: port1 });
    } catch {
      port1.close();
      Atomics.add(done, 0, 1); // never started: nothing to wait for
    }
  }
  const flush = (): void => {
    for (let r = pending.get(emitted); r !== undefined; r = pending.get(emitted)) {
      pending.delete(emitted++);
      emit(r);
    }
  };
  let lastProgress = Date.now();
  const drain = (): void => {
    for (const { port } of started) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const { index, result } = m.message as { index: number; result: FileResult };
        if (index >= emitted) pending.set(index, result);
        lastProgress = Date.now();
      }
    }
    flush();
  };
  // Collect the workers' results. A worker that never started or died leaves a gap, which the main
  // thread fills itself once no result has come for a while (or at once when no worker started).
  for (;;) {
    drain();
    if (emitted === inputs.length) break;
    const finished = Atomics.load(done, 0);
    if (finished >= workers) {
      drain();
      break;
    }
    if (Date.now() - lastProgress > STALL_MS) break;
    Atomics.wait(done, 0, finished, 20);
  }
  for (const { worker, port } of started) {
    port.close();
    void worker.terminate();
  }
  // Anything a worker claimed but could not answer is checked here.
  for (; emitted < inputs.length; emitted++) emit(pending.get(emitted) ?? checkOne(inputs[emitted]!, options, stdin));
}

/** In a worker started by checkAll: claim files until none is left. Returns false when not such a worker. */
export function runWorker(): boolean {
  if (isMainThread) return false;
  const job = workerData as Job | undefined;
  if (job?.kind !== 'ecs-readonly-rootfs/validate') return false;
  try {
    for (;;) {
      const i = Atomics.add(job.next, 0, 1);
      if (i >= job.inputs.length) break;
      job.port.postMessage({ index: i, result: checkOne(job.inputs[i]!, job.options, () => new Uint8Array()) });
    }
  } finally {
    Atomics.add(job.done, 0, 1);
    Atomics.notify(job.done, 0);
  }
  return true;
}
