/**
 * What every AWS SDK client of the runtime shares: one HTTP handler with keep-alive connections and
 * per-attempt timeouts, three attempts with short backoff, and a way to name a failure without quoting
 * it. Each call also carries the caller's abort signal (its deadline), so no call outlives its phase.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { STSClient } from '@aws-sdk/client-sts';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Attempts per call: throttling, 5xx and broken connections are retried while the deadline allows. */
export const MAX_ATTEMPTS = 3;
/** A connection not made by then is abandoned (and the attempt retried). */
const CONNECTION_TIMEOUT_MS = 1000;
/** One attempt's request and response; the caller's deadline bounds the whole call below this. */
const REQUEST_TIMEOUT_MS = 1500;

let handler: NodeHttpHandler | undefined;

/**
 * One handler for the process: its agents keep connections to the AWS endpoints open between calls
 * and between invocations of a warm function (a connection carries no credential; each request is
 * signed with its invocation's own). Idle sockets are unreferenced, so they never hold the process.
 * Keep-alive agents are the handler's own (keepAlive true, at most 50 sockets per endpoint, far above
 * the two calls a process has in flight), so none is configured here.
 */
function sharedHandler(): NodeHttpHandler {
  handler ??= new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true });
  return handler;
}

/**
 * Backoff before the `retry`-th retry (1, 2): 100-300 ms, then 200-600 ms, for throttling too (the SDK's
 * default base for throttling is 500 ms doubling, which would spend the whole 2 s delivery budget waiting).
 */
function backoff(retry: number): number {
  return Math.round(50 * 2 ** retry * (1 + 2 * Math.random()));
}

/** Credentials, or a provider of them: the SDK awaits it when it signs, after resolving the endpoint and serializing. */
export type CredentialsSource = AwsCredentials | (() => Promise<AwsCredentials>);

/**
 * The configuration of every client: `region` decides the endpoint through the SDK's own rules (every
 * partition), and AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> override it as the SDK defines them.
 * Credentials are always given (as they are or as a provider): the SDK's default provider chain is never consulted.
 */
export function clientConfig(region: string, credentials: CredentialsSource) {
  return {
    region,
    credentials: typeof credentials === 'function' ? async () => ({ ...(await credentials()) }) : { ...credentials },
    maxAttempts: MAX_ATTEMPTS,
    retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, backoff),
    requestHandler: sharedHandler(),
  };
}

/** Node's own notice of every HTTP client request it creates (node:http's diagnostics channel). */
const REQUEST_CREATED = 'http.client.request.start';

/**
 * Calls `onWritten` once a request of this client has been written to its connection (or its attempt
 * ended): from then on its round trip needs nothing of this thread, so the caller can compute meanwhile.
 * The SDK tells when it hands the signed request to its HTTP handler (a middleware, the last step), and
 * Node when that handler creates the request; the connection (and TLS) is made before it is written.
 */
export function whenWritten(client: STSClient | KMSClient, onWritten: () => void): void {
  let watching: ((message: unknown) => void) | undefined;
  const stopWatching = (): void => {
    if (watching !== undefined) unsubscribe(REQUEST_CREATED, watching);
    watching = undefined;
  };
  (client.middlewareStack as STSClient['middlewareStack']).add(
    (next) => async (args) => {
      stopWatching();
      // The handler creates the request within the microtasks that follow: the next one is this call's.
      watching = (message: unknown): void => {
        stopWatching();
        const request = (message as { request: ClientRequest }).request;
        request.once('finish', onWritten);
        request.once('close', onWritten);
      };
      subscribe(REQUEST_CREATED, watching);
      try {
        return await next(args);
      } finally {
        stopWatching();
      }
    },
    { step: 'deserialize', priority: 'low', name: 'hookRequestWritten' },
  );
}

/** A failed AWS call, named by service, action and error code only: never the service's message. */
export class AwsCallError extends Error {
  constructor(
    message: string,
    /** The service's error code (`ThrottlingException`...), or `timeout`, `network`, `unreadable`. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}

const CODE = /^[A-Za-z][\w.]{0,63}$/;

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/** What went wrong with `service action`, from an SDK error, in words safe for a log line. */
export function describeFailure(service: string, action: string, error: unknown, signal?: AbortSignal): AwsCallError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const prefix = `${service} ${action}`;
  if (signal?.aborted === true || name === 'AbortError') return new AwsCallError(`${prefix}: the time allowed ran out`, 'timeout');
  if (name === 'TimeoutError') return new AwsCallError(`${prefix}: the endpoint did not answer in time`, 'timeout');
  const code = typeof e.code === 'string' && /^E[A-Z_]{1,31}$/.test(e.code) ? e.code : undefined;
  if (code !== undefined) return new AwsCallError(`${prefix}: the connection failed (${code})`, 'network');
  if (status !== undefined && status >= 200 && status < 300) {
    // A 2xx whose body the SDK could not read (not JSON, not XML, cut short).
    return new AwsCallError(`${prefix}: the answer could not be read`, 'unreadable');
  }
  if (status !== undefined) {
    // An error answer without a readable code (an HTML page from a proxy: the SDK's SyntaxError) is UnknownError.
    const errorCode = CODE.test(name) && name !== 'Error' && name !== 'SyntaxError' ? name : 'UnknownError';
    return new AwsCallError(`${prefix}: ${errorCode} (HTTP ${status})`, errorCode);
  }
  // No answer and no connection error: the SDK's own failure, named by its class only.
  return new AwsCallError(`${prefix}: the call failed${CODE.test(name) ? ` (${name})` : ''}`, 'network');
}

/**
 * Sends one call and settles by the time `signal` aborts whatever the SDK does: the signal also goes to
 * the SDK (`abortSignal`), which closes the request, but the deadline does not depend on it.
 */
export function callWithin<T>(service: string, action: string, signal: AbortSignal, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(describeFailure(service, action, undefined, signal));
    if (signal.aborted) return onAbort();
    // Not `once`: both ways the call settles remove it, and an aborted signal never fires again.
    signal.addEventListener('abort', onAbort);
    Promise.resolve()
      .then(() => send(signal))
      .then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(describeFailure(service, action, error, signal));
      },
    );
  });
}
