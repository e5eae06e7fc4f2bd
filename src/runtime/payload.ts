/**
 * Remote payloads: when a target model is too large to travel in the request, and for every stack and
 * change-set request, CloudFormation leaves `requestData.targetModel` empty and puts a presigned S3 URL
 * in `requestData.payload`. The hook must read it to judge; if it cannot, it fails closed (a verdict on
 * nothing would let anything through). The URL carries a signature: it is never logged or quoted.
 */
import { fetchPayload, type FetchFailure } from './fetch-payload';
import type { HookErrorCode } from './protocol';
import { isRecord, payloadFailureMessage } from './protocol';

/** Larger payloads are refused: a template body is at most 1 MB, a resource's properties far less. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** What the payload holds, for the message: "the target's properties", "the stack's template"... */
export type PayloadSubject = string;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface Refusal {
  readonly errorCode: HookErrorCode;
  readonly reason: string;
}

/** https, or http on loopback only (a local emulator in tests); anything else is refused unread. */
function checkedUrl(raw: string): URL | Refusal {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { errorCode: 'InvalidRequest', reason: 'requestData.payload is not a URL' };
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
  return { errorCode: 'InvalidRequest', reason: 'requestData.payload is not an https URL' };
}

function tries(attempts: number): string {
  return attempts > 1 ? ` (${attempts} attempts)` : '';
}

function refusal(failure: FetchFailure, attempts: number): Refusal {
  switch (failure.kind) {
    case 'timeout':
      return { errorCode: 'NetworkFailure', reason: `reading it took longer than the time allowed${tries(attempts)}` };
    case 'network':
      return { errorCode: 'NetworkFailure', reason: `the connection failed${failure.code ? ` (${failure.code})` : ''}${tries(attempts)}` };
    case 'truncated':
      return { errorCode: 'NetworkFailure', reason: `the connection closed before all of it arrived${tries(attempts)}` };
    case 'too-large':
      return { errorCode: 'InvalidRequest', reason: `it is larger than ${MAX_PAYLOAD_BYTES} bytes` };
    case 'redirect':
      return { errorCode: 'InvalidRequest', reason: `the storage service answered a redirect (HTTP ${failure.status}), which the hook does not follow` };
    case 'status':
      if (failure.status >= 500) return { errorCode: 'ServiceInternalError', reason: `the storage service answered HTTP ${failure.status}${tries(attempts)}` };
      if (failure.status === 403) return { errorCode: 'AccessDenied', reason: 'the payload URL was refused (HTTP 403: expired or not signed for this function)' };
      return { errorCode: 'InvalidRequest', reason: `the storage service answered HTTP ${failure.status}` };
  }
}

export type PayloadOutcome =
  | { readonly ok: true; readonly document: Record<string, unknown> }
  | { readonly ok: false; readonly errorCode: HookErrorCode; readonly message: string };

function failed(subject: PayloadSubject, r: Refusal): PayloadOutcome {
  return { ok: false, errorCode: r.errorCode, message: payloadFailureMessage(subject, r.reason) };
}

/** Reads the JSON object at `rawUrl` by `deadline` (a Date.now() value). Never throws. */
export async function readPayload(rawUrl: string, deadline: number, subject: PayloadSubject = "the target's properties"): Promise<PayloadOutcome> {
  try {
    const url = checkedUrl(rawUrl);
    if (!(url instanceof URL)) return failed(subject, url);
    const fetched = await fetchPayload(url, deadline, MAX_PAYLOAD_BYTES);
    if (!fetched.ok) return failed(subject, refusal(fetched.failure, fetched.attempts));
    let parsed: unknown;
    try {
      parsed = JSON.parse(fetched.body.toString('utf8'));
    } catch {
      return failed(subject, { errorCode: 'InvalidRequest', reason: 'it is not JSON' });
    }
    if (!isRecord(parsed) || Object.keys(parsed).length === 0) {
      return failed(subject, { errorCode: 'InvalidRequest', reason: 'it is not a non-empty JSON object' });
    }
    return { ok: true, document: parsed };
  } catch {
    return failed(subject, { errorCode: 'InternalFailure', reason: 'an unexpected error occurred' });
  }
}
