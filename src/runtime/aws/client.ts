/**
 * The few AWS API calls the runtime makes, signed with Signature V4 (sign.ts) over `send`: no AWS
 * SDK, whose load time would cost every cold start. Endpoints follow the SDKs' conventions, so
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> point them elsewhere (a local emulator).
 */
import { HttpError, type HttpResponse, send } from './http';
import { signRequest } from './sign';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type Service = 'logs' | 'monitoring' | 'sts' | 'kms';

/** The environment variable suffixes the AWS SDKs read for each service's endpoint. */
const ENDPOINT_ENV: Record<Service, string> = { logs: 'CLOUDWATCH_LOGS', monitoring: 'CLOUDWATCH', sts: 'STS', kms: 'KMS' };

export interface CallContext {
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** The caller's deadline for this call, retries included. */
  readonly signal: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
}

/** An AWS error answer or a failed exchange. The message names the action and the error code only. */
export class AwsError extends Error {
  constructor(
    message: string,
    /** The service's error code (`ThrottlingException`...), or the HttpError kind. */
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AwsError';
  }

  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded/.test(this.code) || this.code === 'network' || this.code === 'truncated';
  }
}

export function endpointFor(service: Service, region: string, env: NodeJS.ProcessEnv = process.env): URL {
  const override = env[`AWS_ENDPOINT_URL_${ENDPOINT_ENV[service]}`] ?? env.AWS_ENDPOINT_URL;
  if (override !== undefined && override !== '') return new URL(override);
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${service}.${region}.${suffix}/`);
}

/** The Lambda function's own credentials (its execution role), as Lambda sets them. */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

const MAX_RESPONSE_BYTES = 1 << 20;
const ATTEMPTS = 3;

function errorCodeOf(response: HttpResponse): string {
  const header = response.headers['x-amzn-errortype'];
  let code = typeof header === 'string' ? header : '';
  if (code === '') {
    const text = response.body.subarray(0, 4096).toString('utf8');
    code = /"__type"\s*:\s*"([^"]{1,128})"/.exec(text)?.[1] ?? /<Code>([^<]{1,128})<\/Code>/.exec(text)?.[1] ?? '';
  }
  // `aws.protocoljson#Code:http://...` and `com.amazonaws.logs#Code` both name Code.
  code = code.split(':')[0]!.split('#').pop()!;
  return /^[A-Za-z][\w.]{0,63}$/.test(code) ? code : 'UnknownError';
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Signs and sends one call, retrying throttling, 5xx and broken connections while the deadline allows. */
async function call(service: Service, action: string, body: string, headers: Record<string, string>, context: CallContext): Promise<HttpResponse> {
  const url = endpointFor(service, context.region, context.env);
  let last: AwsError | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (attempt > 0) {
      await delay(50 * 2 ** attempt * (0.5 + Math.random()), context.signal);
      if (context.signal.aborted) break;
    }
    const signed = signRequest({ method: 'POST', url, service, region: context.region, headers, body, credentials: context.credentials });
    let response: HttpResponse;
    try {
      response = await send(
        { url, method: 'POST', headers: signed, body },
        { signal: context.signal, maxBytes: MAX_RESPONSE_BYTES },
      );
    } catch (error) {
      const kind = error instanceof HttpError ? error.kind : 'network';
      last = new AwsError(`${service} ${action}: ${error instanceof Error ? error.message : 'failed'}`, kind, 0);
      if (kind === 'timeout') break;
      continue;
    }
    if (response.status >= 200 && response.status < 300) return response;
    const code = errorCodeOf(response);
    last = new AwsError(`${service} ${action}: ${code} (HTTP ${response.status})`, code, response.status);
    if (!last.retryable) break;
  }
  throw last ?? new AwsError(`${service} ${action}: the time allowed ran out`, 'timeout', 0);
}

/** An AWS JSON 1.1 protocol call (CloudWatch Logs, KMS). */
export async function callJson(
  service: Service,
  target: string,
  input: Readonly<Record<string, unknown>>,
  context: CallContext,
): Promise<Record<string, unknown>> {
  const action = target.slice(target.indexOf('.') + 1);
  const response = await call(
    service,
    action,
    JSON.stringify(input),
    { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
    context,
  );
  const text = response.body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError(`${service} ${action}: the answer is not JSON`, 'InvalidResponse', response.status);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError(`${service} ${action}: the answer is not a JSON object`, 'InvalidResponse', response.status);
  }
  return parsed as Record<string, unknown>;
}

/** An AWS query protocol call (STS, CloudWatch): form-encoded in, XML out (returned as text). */
export async function callQuery(
  service: Service,
  params: Readonly<Record<string, string>>,
  context: CallContext,
): Promise<string> {
  const body = new URLSearchParams(params).toString();
  const response = await call(
    service,
    params.Action ?? 'Unknown',
    body,
    { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    context,
  );
  return response.body.toString('utf8');
}

/** The text of the first `<tag>` element in an AWS XML answer (no entities are expected in the fields read). */
export function xmlField(xml: string, tag: string): string | undefined {
  const open = `<${tag}>`;
  const start = xml.indexOf(open);
  if (start < 0) return undefined;
  const end = xml.indexOf(`</${tag}>`, start + open.length);
  return end < 0 ? undefined : xml.slice(start + open.length, end).trim();
}
