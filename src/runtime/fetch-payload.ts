/**
 * Reads a presigned S3 URL with Node's own http/https, as the official Python hook runtime reads a
 * payload (10 s connect-and-read per attempt, up to 3 retries on 500, 502, 503 and 504 with backoff),
 * but bounded as a whole by a deadline so the answer still reaches CloudFormation inside its 30 s.
 * Redirects are not followed (S3 does not redirect a presigned GET; anything else is not S3).
 * Nothing here ever prints the URL: it carries a signature and a credential.
 */
import type { IncomingMessage } from 'node:http';

/** Per attempt, as the Python runtime's connect-and-read timeout. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** Retries after the first attempt on 500, 502, 503, 504 (the Python runtime's `Retry(total=3)`). */
export const MAX_RETRIES = 3;
const RETRY_STATUSES = new Set([500, 502, 503, 504]);
const BACKOFF_MS = [250, 500, 1000];

/** Why no body came back; the message names the cause only. */
export type FetchFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly code?: string }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'redirect'; readonly status: number };

export type FetchResult = { readonly ok: true; readonly body: Buffer; readonly attempts: number } | { readonly ok: false; readonly failure: FetchFailure; readonly attempts: number };

type Attempt = { readonly ok: true; readonly status: number; readonly body: Buffer } | { readonly ok: false; readonly failure: FetchFailure };

function attempt(url: URL, maxBytes: number, timeoutMs: number): Promise<Attempt> {
  // Required here: loading TLS costs every cold start, and most invocations never read a payload.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const transport = url.protocol === 'https:' ? (require('node:https') as typeof import('node:https')) : (require('node:http') as typeof import('node:http'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise<Attempt>((resolve) => {
    // Called only from the request's events and the timer, once both exist. A promise settles once: a
    // later finish (the close that follows an error) changes nothing.
    const finish = (result: Attempt): void => {
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    // agent: false: no socket of one invocation outlives it. Made before the timer: a request that
    // cannot even be made (it throws) leaves no timer behind to fire on it.
    const req = transport.request(url, { agent: false }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        finish({ ok: false, failure: { kind: 'redirect', status } });
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          finish({ ok: false, failure: { kind: 'too-large' } });
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', () => finish({ ok: false, failure: { kind: 'truncated' } }));
      res.on('close', () => {
        // Complete only when the body arrived as framed (all of its Content-Length, or the last chunk).
        if (!res.complete) {
          finish({ ok: false, failure: { kind: 'truncated' } });
          return;
        }
        finish({ ok: true, status, body: Buffer.concat(chunks, received) });
      });
    });
    const timer = setTimeout(() => finish({ ok: false, failure: { kind: 'timeout' } }), Math.max(0, timeoutMs));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Only a code as Node names one (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT); String(undefined) is no code.
      const code = /^[A-Z_]{1,32}$/.test(String(error.code)) ? error.code : undefined;
      finish({ ok: false, failure: { kind: 'network', code } });
    });
    req.end();
  });
}

function transient(failure: FetchFailure): boolean {
  // As urllib3's Retry: connection and read errors are retried too; an answer that is not 5xx is not.
  return failure.kind === 'network' || failure.kind === 'truncated' || failure.kind === 'timeout' || (failure.kind === 'status' && RETRY_STATUSES.has(failure.status));
}

// Held (not unref'd): between attempts nothing else may keep the event loop alive, and Lambda's
// runtime ends an invocation whose process runs out of work before its handler answers.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GETs `url` by `deadline` (a Date.now() value): each attempt gets 10 s or what is left, retries wait
 * their backoff only when an attempt could still follow. Never throws; a 2xx body is returned as is.
 */
export async function fetchPayload(url: URL, deadline: number, maxBytes: number): Promise<FetchResult> {
  let last: FetchFailure = { kind: 'timeout' };
  let attempts = 0;
  for (let retry = 0; retry <= MAX_RETRIES; retry += 1) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    attempts += 1;
    const result = await attempt(url, maxBytes, Math.min(ATTEMPT_TIMEOUT_MS, left));
    if (result.ok) {
      if (result.status >= 200 && result.status < 300) return { ok: true, body: result.body, attempts };
      last = { kind: 'status', status: result.status };
    } else {
      last = result.failure;
    }
    if (!transient(last) || retry === MAX_RETRIES) break;
    const wait = BACKOFF_MS[retry] ?? 1000;
    // No time for the wait and another attempt: stop with what is known.
    if (Date.now() + wait + 50 >= deadline) break;
    await sleep(wait);
  }
  return { ok: false, failure: last, attempts };
}
