/**
 * One bounded HTTP exchange for the payload read (src/runtime/payload.ts, its only user): a deadline
 * (AbortSignal), a cap on the body, truncation detected. No connection is kept between calls (agent:
 * false). AWS API calls do not come here: they go through the AWS SDK (sdk.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Why an exchange gave no complete response. Messages name the cause only, never a URL or a body. */
export type HttpFailure = 'timeout' | 'network' | 'truncated' | 'too-large';

export class HttpError extends Error {
  constructor(
    readonly kind: HttpFailure,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface SendOptions {
  /** Aborts the exchange: the caller's overall deadline. */
  readonly signal: AbortSignal;
  /** Bodies longer than this are refused while they arrive. */
  readonly maxBytes: number;
}

/** Sends `request`; rejects with HttpError only. */
export function send(request: HttpRequest, options: SendOptions): Promise<HttpResponse> {
  const { url } = request;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return Promise.reject(new HttpError('network', `unsupported URL scheme ${JSON.stringify(url.protocol.slice(0, 16))}`));
  }
  if (options.signal.aborted) return Promise.reject(new HttpError('timeout', 'the time allowed ran out before the request was sent'));
  // Required here, not at the top: loading TLS costs every cold start, and most invocations never send.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const transport = url.protocol === 'https:' ? (require('node:https') as typeof import('node:https')) : (require('node:http') as typeof import('node:http'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: HttpError | undefined, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        req.destroy();
        reject(error);
      } else if (response !== undefined) {
        resolve(response);
      }
    };
    const onAbort = (): void => finish(new HttpError('timeout', 'the time allowed ran out'));
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = { ...request.headers };
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(body.length);
    }
    const req = transport.request(url, { method: request.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > options.maxBytes) {
          finish(new HttpError('too-large', `the response is larger than ${options.maxBytes} bytes`));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', () => finish(new HttpError('truncated', 'the connection closed before the response was complete')));
      res.on('close', () => {
        if (!res.complete) {
          finish(new HttpError('truncated', 'the connection closed before the response was complete'));
          return;
        }
        const declared = res.headers['content-length'];
        if (declared !== undefined && Number(declared) !== received) {
          finish(new HttpError('truncated', `the response has ${received} of the ${Number(declared)} bytes it declares`));
          return;
        }
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, received) });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = typeof error.code === 'string' && /^[A-Z_]{1,32}$/.test(error.code) ? ` (${error.code})` : '';
      finish(new HttpError('network', `the connection failed${code}`));
    });
    options.signal.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}

// Kept here for the payload read, which imports it from this module.
export { type Deadline, deadlineAt } from './deadline';
