/** What every answer must satisfy, whatever the request: the shape CloudFormation accepts, bounded and printable. */
import type { Answer } from './hook';
import {
  type Door,
  ERROR_CODES,
  expectedToken,
  type Expected,
  LONE_SURROGATE,
  MAX_ANNOTATIONS,
  MAX_MESSAGE,
  requestOracle,
  UNSAFE_CHARS,
} from './oracle';

const ANSWER_KEYS = new Set(['hookStatus', 'errorCode', 'message', 'clientRequestToken', 'callbackDelaySeconds', 'annotations']);
const ANNOTATION_KEYS = new Set(['annotationName', 'status', 'statusMessage', 'remediationMessage', 'remediationLink', 'severityLevel']);
const ANNOTATION_STATUSES = new Set(['PASSED', 'FAILED', 'SKIPPED']);
const SEVERITIES = new Set(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

export class Violation extends Error {}

function fail(what: string, answer: unknown): never {
  throw new Violation(`${what}\nanswer: ${JSON.stringify(answer)?.slice(0, 2000)}`);
}

/** Printable text: no raw control, bidi or invisible characters, no lone surrogates. */
export function assertPrintable(text: string, where: string, answer: unknown): void {
  const bad = UNSAFE_CHARS.exec(text) ?? LONE_SURROGATE.exec(text);
  if (bad) fail(`${where} has a raw U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')}`, answer);
}

/** The answer's shape and bounds, independent of the request. */
export function assertWellFormed(answer: Answer): void {
  if (typeof answer !== 'object' || answer === null) fail('the answer is not an object', answer);
  for (const key of Object.keys(answer)) if (!ANSWER_KEYS.has(key)) fail(`unexpected field ${key}`, answer);
  if (answer.hookStatus !== 'SUCCESS' && answer.hookStatus !== 'FAILED') fail('hookStatus not SUCCESS/FAILED', answer);
  if (answer.hookStatus === 'SUCCESS' && 'errorCode' in answer) fail('errorCode on SUCCESS', answer);
  if (answer.hookStatus === 'FAILED' && !(ERROR_CODES as readonly string[]).includes(answer.errorCode as string)) {
    fail('FAILED without a documented errorCode', answer);
  }
  if (typeof answer.message !== 'string' || answer.message.length === 0) fail('message not a non-empty string', answer);
  if (answer.message.length > MAX_MESSAGE) fail(`message of ${answer.message.length} characters`, answer);
  assertPrintable(answer.message, 'message', answer);
  if (typeof answer.clientRequestToken !== 'string') fail('clientRequestToken not a string', answer);
  if (answer.callbackDelaySeconds !== 0) fail('callbackDelaySeconds not 0', answer);
  if (answer.annotations === undefined) return;
  if (!Array.isArray(answer.annotations) || answer.annotations.length === 0) fail('annotations not a non-empty list', answer);
  if (answer.annotations.length > MAX_ANNOTATIONS) fail(`${answer.annotations.length} annotations`, answer);
  for (const a of answer.annotations) {
    for (const key of Object.keys(a)) if (!ANNOTATION_KEYS.has(key)) fail(`annotation field ${key}`, answer);
    if (typeof a.annotationName !== 'string' || !ANNOTATION_STATUSES.has(a.status)) fail('annotation name/status', answer);
    if (a.severityLevel !== undefined && !SEVERITIES.has(a.severityLevel)) fail('annotation severity', answer);
    for (const key of ['statusMessage', 'remediationMessage', 'remediationLink'] as const) {
      const text = a[key];
      if (text === undefined) continue;
      if (typeof text !== 'string' || text.length > MAX_MESSAGE) fail(`annotation ${key} not a bounded string`, answer);
      assertPrintable(text, `annotation ${key}`, answer);
    }
  }
}

function count(answer: Answer, status: string): number {
  return (answer.annotations ?? []).filter((a) => a.status === status).length;
}

/** The verdict the rules give for this request, and what the message and annotations must say about it. */
export function assertMatchesOracle(answer: Answer, expected: Expected): void {
  if (answer.hookStatus !== expected.hookStatus) fail(`expected ${expected.hookStatus} ${expected.errorCodes.join('|')}`, answer);
  if (expected.hookStatus === 'FAILED' && !expected.errorCodes.includes(answer.errorCode as string)) {
    fail(`expected errorCode ${expected.errorCodes.join(' or ')}`, answer);
  }
  const policy = expected.policy;
  if (policy === undefined) return;
  const kind = expected.target === 'AWS::ECS::DaemonTaskDefinition' ? 'DaemonTaskDefinition' : 'TaskDefinition';
  if (!answer.message.startsWith(`${kind} '`)) fail(`message does not start with ${kind} and the logical id`, answer);
  if (policy.kind !== 'checked') {
    if (count(answer, 'FAILED') !== (policy.compliant ? 0 : 1)) fail(`annotations for ${policy.kind}`, answer);
    return;
  }
  const failed = policy.verdicts.filter((v) => v === 'FAIL').length;
  const exempt = policy.verdicts.filter((v) => v === 'EXEMPT').length;
  const total = policy.verdicts.length;
  if (failed > 0) {
    if (!answer.message.includes(`: ${failed} of ${total} container`)) fail(`message does not say ${failed} of ${total}`, answer);
    const rows = failed + exempt;
    const annotations = answer.annotations ?? [];
    if (annotations.length !== Math.min(rows, MAX_ANNOTATIONS)) fail(`expected ${Math.min(rows, MAX_ANNOTATIONS)} annotations`, answer);
    if (rows <= MAX_ANNOTATIONS && (count(answer, 'FAILED') !== failed || count(answer, 'SKIPPED') !== exempt)) {
      fail(`expected ${failed} FAILED and ${exempt} SKIPPED annotations`, answer);
    }
    const previous = expected.previous;
    const turnsOff = previous?.kind === 'checked' && previous.compliant;
    if (answer.message.includes('turns the protection off') !== turnsOff) {
      fail(`the message ${turnsOff ? 'must' : 'must not'} say the update turns the protection off`, answer);
    }
  } else {
    if (count(answer, 'PASSED') !== 1 || count(answer, 'FAILED') !== 0) fail('a compliant answer has one PASSED annotation', answer);
    if (exempt <= MAX_ANNOTATIONS - 1 && count(answer, 'SKIPPED') !== exempt) fail(`expected ${exempt} SKIPPED annotations`, answer);
    if (!answer.message.includes(String(total - exempt === 0 ? total : total - exempt))) fail('message without the count checked', answer);
  }
}

/** Everything at once: shape, token echo, verdict. */
export function assertAnswer(answer: Answer, event: unknown, door: Door): void {
  assertWellFormed(answer);
  const token = expectedToken(event, door);
  if (token !== undefined && answer.clientRequestToken !== token) fail(`token not echoed (expected ${JSON.stringify(token).slice(0, 80)})`, answer);
  assertMatchesOracle(answer, requestOracle(event, door));
}
