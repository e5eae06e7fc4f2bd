/**
 * Remote payloads: when a target model is too large to travel in the request, CloudFormation leaves
 * `requestData.targetModel` empty and puts a presigned S3 URL in `requestData.payload`. The hook must
 * read it to judge; if it cannot, it fails closed (a verdict on nothing would let anything through).
 * The URL carries a signature: it is never logged or quoted.
 */
import { deadlineAt, HttpError, send } from './aws/http';
import type { HookErrorCode } from './protocol';
import { isRecord } from './protocol';

/** Larger payloads are refused: a template body is at most 1 MB, a resource's properties far less. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const ATTEMPTS = 2;

/** Answered FAILED with `errorCode` and this message. */
class PayloadError extends Error {
  constructor(
    readonly errorCode: HookErrorCode,
    reason: string,
  ) {
    super(`The hook could not read the target's properties from the payload CloudFormation sent: ${reason}. Deploy again; if it persists, the hook's owner will find details in its logs.`);
    this.name = 'PayloadError';
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http on loopback only (a local emulator in tests); anything else is refused unread. */
function checkedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PayloadError('InvalidRequest', 'requestData.payload is not a URL');
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
  throw new PayloadError('InvalidRequest', 'requestData.payload is not an https URL');
}

function failure(error: unknown): PayloadError {
  if (error instanceof PayloadError) return error;
  if (error instanceof HttpError) {
    switch (error.kind) {
      case 'timeout':
        return new PayloadError('NetworkFailure', 'reading it took longer than the time allowed');
      case 'too-large':
        return new PayloadError('InvalidRequest', `it is larger than ${MAX_PAYLOAD_BYTES} bytes`);
      case 'truncated':
        return new PayloadError('NetworkFailure', 'the connection closed before all of it arrived');
      default:
        return new PayloadError('NetworkFailure', error.message);
    }
  }
  return new PayloadError('InternalFailure', 'an unexpected error occurred');
}

export type PayloadOutcome =
  | { readonly ok: true; readonly targetModel: Record<string, unknown> }
  | { readonly ok: false; readonly errorCode: HookErrorCode; readonly message: string };

/** Reads the target model at `rawUrl` by `deadline` (a Date.now() value). Never throws. */
export async function readPayload(rawUrl: string, deadline: number): Promise<PayloadOutcome> {
  try {
    const url = checkedUrl(rawUrl);
    const { signal, dispose } = deadlineAt(deadline);
    try {
      return { ok: true, targetModel: await read(url, signal) };
    } finally {
      dispose();
    }
  } catch (error) {
    const failed = failure(error);
    return { ok: false, errorCode: failed.errorCode, message: failed.message };
  }
}

async function read(url: URL, signal: AbortSignal): Promise<Record<string, unknown>> {
  let last: PayloadError | undefined;
  for (let attempt = 0; attempt < ATTEMPTS && !signal.aborted; attempt += 1) {
    try {
      const response = await send({ url, method: 'GET' }, { signal, maxBytes: MAX_PAYLOAD_BYTES });
      if (response.status >= 500) {
        last = new PayloadError('ServiceInternalError', `the storage service answered HTTP ${response.status}`);
        continue;
      }
      if (response.status === 403) throw new PayloadError('AccessDenied', 'the payload URL was refused (HTTP 403: expired or not signed for this function)');
      if (response.status !== 200) throw new PayloadError('InvalidRequest', `the storage service answered HTTP ${response.status}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new PayloadError('InvalidRequest', 'it is not JSON');
      }
      if (!isRecord(parsed) || Object.keys(parsed).length === 0) throw new PayloadError('InvalidRequest', 'it is not a non-empty JSON object');
      return parsed;
    } catch (error) {
      last = failure(error);
      if (last.errorCode !== 'NetworkFailure' || (error instanceof HttpError && error.kind === 'timeout')) throw last;
    }
  }
  throw last ?? failure(new HttpError('timeout', 'the time allowed ran out'));
}
