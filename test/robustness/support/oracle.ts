/**
 * An independent statement of the hook's contract (issue 2), written from the rules and not from
 * src/policy, to judge the built hook's answers. Glob matching here is dynamic programming, a
 * different algorithm from the hook's, so agreement between the two means something.
 */

export const TARGETS = ['AWS::ECS::TaskDefinition', 'AWS::ECS::DaemonTaskDefinition'] as const;
export const POINTS = ['CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION', 'DELETE_PRE_PROVISION'] as const;
// The documented set (guide/troubleshooting.md): the last three only for a remote payload that could not be read.
export const ERROR_CODES = ['NonCompliant', 'InvalidRequest', 'InvalidTypeConfiguration', 'InternalFailure', 'NetworkFailure', 'ServiceInternalError', 'AccessDenied'] as const;
export const MAX_MESSAGE = 1024;
export const MAX_ANNOTATIONS = 25;
export const MAX_PATTERNS = 100;
export const MAX_NAME_PATTERN = 255;
export const MAX_IMAGE_PATTERN = 1024;

/** Characters that must never reach a message or annotation raw (they forge lines or reorder text). */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
/** A surrogate not part of a pair. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `*` any run (also empty), `?` one UTF-16 unit, anything else literal; the whole text must match. */
export function globOracle(pattern: string, text: string): boolean {
  // row[j]: the pattern read so far matches text[0, j).
  let row: boolean[] = Array.from({ length: text.length + 1 }, (_, j) => j === 0);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const next: boolean[] = new Array<boolean>(text.length + 1).fill(false);
    for (let j = 0; j <= text.length; j++) {
      if (c === '*') next[j] = row[j]! || (j > 0 && next[j - 1]!);
      else next[j] = j > 0 && row[j - 1]! && (c === '?' || c === text[j - 1]);
    }
    row = next;
  }
  return row[text.length]!;
}

export type ConfigOracle = { valid: false } | { valid: true; names: string[]; images: string[] };

function patterns(value: unknown, maxLength: number): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_PATTERNS) return undefined;
  const ok = value.every((p) => typeof p === 'string' && p.length > 0 && p.length <= maxLength);
  return ok ? (value as string[]) : undefined;
}

/** The type configuration: absent, null or {} is empty; any other shape is invalid, never ignored. */
export function configOracle(raw: unknown): ConfigOracle {
  if (raw === undefined || raw === null) return { valid: true, names: [], images: [] };
  if (!isObject(raw)) return { valid: false };
  if (Object.keys(raw).some((k) => k !== 'ExemptContainerNames' && k !== 'ExemptImages')) return { valid: false };
  const names = patterns(raw.ExemptContainerNames, MAX_NAME_PATTERN);
  const images = patterns(raw.ExemptImages, MAX_IMAGE_PATTERN);
  return names && images ? { valid: true, names, images } : { valid: false };
}

export type ContainerVerdict = 'PASS' | 'FAIL' | 'EXEMPT';

/** A name or image as text: an integer or a boolean counts as its text, as CloudFormation would hand it. */
function usable(value: unknown): string | undefined {
  const text = (typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'boolean' ? String(value) : value;
  return typeof text === 'string' && text.length > 0 ? text : undefined;
}

export function readonlyIsTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^true$/i.test(value));
}

export function containerOracle(entry: unknown, config: { names: string[]; images: string[] }): ContainerVerdict {
  if (!isObject(entry)) return 'FAIL';
  // Longer than ECS takes (255 characters; an image 327 with its digest): never exempt.
  const name = (usable(entry.Name)?.length ?? 0) > 255 ? undefined : usable(entry.Name);
  const image = (usable(entry.Image)?.length ?? 0) > 327 ? undefined : usable(entry.Image);
  const exempt =
    (name !== undefined && config.names.some((p) => globOracle(p, name))) ||
    (image !== undefined && config.images.some((p) => globOracle(p, image)));
  if (exempt) return 'EXEMPT';
  return readonlyIsTrue(entry.ReadonlyRootFilesystem) ? 'PASS' : 'FAIL';
}

export type PolicyOracle =
  | { kind: 'windows' | 'empty'; compliant: true }
  | { kind: 'not-a-list'; compliant: false }
  | { kind: 'checked'; compliant: boolean; verdicts: ContainerVerdict[] };

export function taskDefinitionOracle(props: Record<string, unknown>, config: { names: string[]; images: string[] }): PolicyOracle {
  const platform = props.RuntimePlatform;
  if (isObject(platform) && typeof platform.OperatingSystemFamily === 'string' && platform.OperatingSystemFamily.startsWith('WINDOWS')) {
    return { kind: 'windows', compliant: true };
  }
  const list = props.ContainerDefinitions;
  if (list === undefined || list === null) return { kind: 'empty', compliant: true };
  if (!Array.isArray(list)) return { kind: 'not-a-list', compliant: false };
  if (list.length === 0) return { kind: 'empty', compliant: true };
  const verdicts = list.map((entry) => containerOracle(entry, config));
  return { kind: 'checked', compliant: verdicts.every((v) => v !== 'FAIL'), verdicts };
}

export interface Expected {
  hookStatus: 'SUCCESS' | 'FAILED';
  /** Acceptable error codes (several when a request is wrong in more than one way); empty on SUCCESS. */
  errorCodes: string[];
  /** Set when the policy judged the task definition. */
  policy?: PolicyOracle;
  /** For updates: the previous properties' judgement. */
  previous?: PolicyOracle;
  /** The target type when judged. */
  target?: string;
}

const invalid = (...codes: string[]): Expected => ({ hookStatus: 'FAILED', errorCodes: codes });
const pass: Expected = { hookStatus: 'SUCCESS', errorCodes: [] };

/** Where the fields live: a HookInvocationRequest (`entrypoint`) or a contract-test event (`testEntrypoint`). */
export type Door = 'entrypoint' | 'testEntrypoint';

export function requestOracle(event: unknown, door: Door): Expected {
  if (!isObject(event)) return invalid('InvalidRequest');
  let context: Record<string, unknown>;
  let rawConfig: unknown;
  if (door === 'entrypoint') {
    if (!isObject(event.requestData)) return invalid('InvalidRequest');
    context = event.requestData;
    rawConfig = event.hookModel;
  } else {
    const request = event.request;
    if (!isObject(request)) return invalid('InvalidRequest');
    context = isObject(request.hookContext) ? { ...request, ...request.hookContext } : request;
    rawConfig = event.typeConfiguration;
  }
  const point = event.actionInvocationPoint;
  if (typeof point !== 'string' || !(POINTS as readonly string[]).includes(point)) return invalid('InvalidRequest');
  const targetName = context.targetName;
  if (typeof targetName !== 'string' || targetName === '') return invalid('InvalidRequest');
  const model = context.targetModel;
  const payload = door === 'entrypoint' ? context.payload : undefined;
  const remote = (model === undefined || model === null || (isObject(model) && Object.keys(model).length === 0)) && typeof payload === 'string' && payload !== '';
  if (!remote && !isObject(model)) return invalid('InvalidRequest');
  if (point === 'DELETE_PRE_PROVISION' || !(TARGETS as readonly string[]).includes(targetName)) return pass;

  const config = configOracle(rawConfig);
  if (remote) {
    // The payloads generated cannot be read: a refused connection, or a URL refused unread. Fail closed.
    return config.valid ? invalid('NetworkFailure', 'InvalidRequest') : invalid('InvalidTypeConfiguration');
  }
  if (!isObject(model)) return invalid('InvalidRequest');
  const props = model.resourceProperties;
  const codes = [...(config.valid ? [] : ['InvalidTypeConfiguration']), ...(isObject(props) ? [] : ['InvalidRequest'])];
  if (!config.valid || !isObject(props)) return invalid(...codes);

  const policy = taskDefinitionOracle(props, config);
  const before = model.previousResourceProperties;
  const previous = point === 'UPDATE_PRE_PROVISION' && isObject(before) ? taskDefinitionOracle(before, config) : undefined;
  return policy.compliant
    ? { hookStatus: 'SUCCESS', errorCodes: [], policy, previous, target: targetName }
    : { hookStatus: 'FAILED', errorCodes: ['NonCompliant'], policy, previous, target: targetName };
}

/** The token the answer must echo: the request's when it is a string. */
export function expectedToken(event: unknown, door: Door): string | undefined {
  if (!isObject(event)) return '';
  if (typeof event.clientRequestToken === 'string') return event.clientRequestToken;
  if (door === 'testEntrypoint' && isObject(event.request) && typeof event.request.clientRequestToken === 'string') {
    return event.request.clientRequestToken;
  }
  // No string token at the place the door reads: any string is acceptable (checked as a string).
  return undefined;
}
