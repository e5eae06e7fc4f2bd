/**
 * The built hook as CloudFormation's Lambda runtime loads it, and a way to capture everything it
 * writes. Robustness tests run the bundle, not the sources: the bundle is what ships.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Annotation {
  annotationName: string;
  status: string;
  statusMessage?: string;
  remediationMessage?: string;
  remediationLink?: string;
  severityLevel?: string;
}

export interface Answer {
  hookStatus: string;
  errorCode?: string;
  message: string;
  clientRequestToken: string;
  callbackDelaySeconds: number;
  annotations?: Annotation[];
}

export type Entrypoint = (event: unknown, context?: { awsRequestId?: string }) => Promise<Answer>;

export interface BuiltHook {
  entrypoint: Entrypoint;
  testEntrypoint: Entrypoint;
}

export const ROOT = join(__dirname, '..', '..', '..');
/** HOOK_BUNDLE runs the suite against another build, e.g. a deliberately broken one to prove the suite catches it. */
export const HANDLERS = process.env.HOOK_BUNDLE ?? join(ROOT, 'dist', 'handlers.js');
export const CLI = process.env.CLI_BUNDLE ?? join(ROOT, 'dist', 'cli.js');

export function loadHook(): BuiltHook {
  if (!existsSync(HANDLERS)) throw new Error(`${HANDLERS} is missing: run npm run build first.`);
  // In Lambda the logger writes to fd 1 directly, past process.stdout: in-process tests capture the
  // stream, so they load the bundle as outside Lambda. The fd 1 path is checked from a child process.
  delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(HANDLERS) as BuiltHook;
}

type Write = typeof process.stdout.write;

/**
 * Runs `fn` with process.stdout, process.stderr and console redirected into a buffer, and returns
 * its result with all that was written. Restores the streams even when `fn` throws.
 */
export async function captureOutput<T>(fn: () => Promise<T> | T): Promise<{ value: T; output: string }> {
  const chunks: string[] = [];
  const grab = ((chunk: unknown, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as Write;
  const saved = { out: process.stdout.write, err: process.stderr.write };
  const consoleSaved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  process.stdout.write = grab;
  process.stderr.write = grab;
  const toChunks = (...args: unknown[]) => {
    chunks.push(`${args.map(String).join(' ')}\n`);
  };
  console.log = console.info = console.warn = console.error = console.debug = toChunks;
  try {
    const value = await fn();
    return { value, output: chunks.join('') };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    Object.assign(console, consoleSaved);
  }
}

/** The log lines among captured output: every line must be one JSON object. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The seed for property runs: FUZZ_SEED replays a run; the default keeps CI deterministic. */
export function fuzzSeed(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return 20261128;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got '${raw}'.`);
  return seed;
}

/** Scales the number of property runs (FUZZ_SCALE=10 for a long local run); never below 1. */
export function fuzzScale(): number {
  const raw = Number(process.env.FUZZ_SCALE ?? '1');
  return Number.isFinite(raw) && raw >= 1 ? raw : 1;
}
