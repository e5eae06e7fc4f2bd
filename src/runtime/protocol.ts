/**
 * The CloudFormation hook wire protocol: what CloudFormation sends a hook handler
 * (HookInvocationRequest) and what it expects back (HookProgressEvent). The shapes follow the
 * official Java and Python hook runtimes; unknown extra fields are ignored.
 */
import type { Annotation } from '../policy/report';

export const INVOCATION_POINTS = ['CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION', 'DELETE_PRE_PROVISION'] as const;
export type InvocationPoint = (typeof INVOCATION_POINTS)[number];

/**
 * CHANGE_SET_SUCCESS_SKIP_STACK_HOOK (known to the official Java and Python runtimes): a change set found
 * compliant, so CloudFormation skips the stack-level invocation when it is executed.
 */
export const HOOK_STATUSES = ['IN_PROGRESS', 'SUCCESS', 'FAILED', 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK'] as const;
export type HookStatus = (typeof HOOK_STATUSES)[number];

/** The error codes this hook answers with (a subset of the runtimes' HandlerErrorCode). */
export const ERROR_CODES = [
  'NonCompliant', 'InvalidRequest', 'InvalidTypeConfiguration', 'InternalFailure',
  // A remote payload that could not be read (see payload.ts).
  'NetworkFailure', 'ServiceInternalError', 'AccessDenied',
] as const;
export type HookErrorCode = (typeof ERROR_CODES)[number];

/** A message longer than this is cut by stack events and the Cloud Control API. */
export const MAX_MESSAGE_LENGTH = 1024;

export interface HookProgressEvent {
  hookStatus: HookStatus;
  errorCode?: HookErrorCode;
  message: string;
  clientRequestToken: string;
  callbackDelaySeconds: 0;
  annotations?: Annotation[];
}

/** The parts of a request a handler may use; credentials never reach a handler. */
export interface HookHandlerRequest {
  readonly clientRequestToken: string;
  readonly invocationPoint: InvocationPoint;
  readonly hookTypeName?: string;
  readonly awsAccountId?: string;
  readonly stackId?: string;
  readonly targetName: string;
  readonly targetType: string;
  readonly targetLogicalId: string;
  /**
   * `requestData.targetModel`: `resourceProperties`, and `previousResourceProperties` on updates; for
   * STACK and CHANGE_SET targets, the payload document (`template`, `previousTemplate`, `changedResources`).
   */
  readonly targetModel: Readonly<Record<string, unknown>>;
}

export interface ParsedRequest {
  readonly handlerRequest: HookHandlerRequest;
  /** The raw type configuration (`hookModel`, or `typeConfiguration` in a test event). */
  readonly hookModel: unknown;
  /** For log lines only. */
  readonly invocationId?: string;
  /** `requestData.payload`: where the target model is when the request carries none. */
  readonly payloadUrl?: string;
}

/** A request CloudFormation could not have meant: answered FAILED/InvalidRequest with this message. */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** What a target's remote payload holds, as the answer names it when the payload cannot be read. */
export function payloadSubject(targetName: string): string {
  return targetName === 'STACK' ? "the stack's template" : targetName === 'CHANGE_SET' ? 'the change set' : "the target's properties";
}

/** The answer's message for a payload that could not be read; names the cause, never the URL or a value. */
export function payloadFailureMessage(subject: string, reason: string): string {
  return `The hook could not read ${subject} from the payload CloudFormation sent: ${reason}. Deploy again; if it persists, the hook's owner will find details in its logs.`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The token to echo: the request's own when it is a string, else "" (the answer always carries one). */
export function tokenOf(event: unknown): string {
  try {
    if (!isRecord(event)) return '';
    const direct = event.clientRequestToken;
    if (typeof direct === 'string') return direct;
    const inner = isRecord(event.request) ? event.request.clientRequestToken : undefined;
    return typeof inner === 'string' ? inner : '';
  } catch {
    // A hostile event (a throwing getter or proxy) still gets an answer.
    return '';
  }
}

function invocationPoint(value: unknown, field: string): InvocationPoint {
  if (typeof value !== 'string') throw new RequestError(`The request has no ${field}.`);
  if (!(INVOCATION_POINTS as readonly string[]).includes(value)) {
    throw new RequestError(
      `Unknown ${field} '${value.slice(0, 64).replace(/[^\w-]/g, '?')}'; expected one of ${INVOCATION_POINTS.join(', ')}.`,
    );
  }
  return value as InvocationPoint;
}

type Target = Pick<HookHandlerRequest, 'targetName' | 'targetType' | 'targetLogicalId' | 'targetModel'>;

function target(source: Record<string, unknown>, where: string): { target: Target; payloadUrl?: string } {
  const targetName = source.targetName;
  if (typeof targetName !== 'string' || targetName.length === 0) throw new RequestError(`The request has no ${where}.targetName.`);
  const targetModel = source.targetModel;
  const payload = source.payload;
  // As the Java runtime: an absent or empty target model with a payload URL means the model is remote.
  const remote = (targetModel === undefined || targetModel === null || (isRecord(targetModel) && Object.keys(targetModel).length === 0)) &&
    typeof payload === 'string' && payload !== '';
  if (!remote && !isRecord(targetModel)) throw new RequestError(`The request has no target model (${where}.targetModel).`);
  return {
    target: {
      targetName,
      targetType: optionalString(source.targetType) ?? 'RESOURCE',
      targetLogicalId: optionalString(source.targetLogicalId) ?? '',
      targetModel: remote || !isRecord(targetModel) ? {} : targetModel,
    },
    payloadUrl: remote ? (payload as string) : undefined,
  };
}

/** Reads a HookInvocationRequest as CloudFormation sends it to the hook's Lambda function. */
export function parseInvocationRequest(event: unknown): ParsedRequest {
  if (!isRecord(event)) throw new RequestError('The request is not a JSON object.');
  const requestData = event.requestData;
  if (!isRecord(requestData)) throw new RequestError('The request has no requestData object.');
  const point = invocationPoint(event.actionInvocationPoint, 'actionInvocationPoint');
  const found = target(requestData, 'requestData');
  return {
    handlerRequest: {
      clientRequestToken: tokenOf(event),
      invocationPoint: point,
      hookTypeName: optionalString(event.hookTypeName),
      awsAccountId: optionalString(event.awsAccountId),
      stackId: optionalString(event.stackId),
      ...found.target,
    },
    hookModel: event.hookModel,
    invocationId: optionalString(event.invocationId),
    payloadUrl: found.payloadUrl,
  };
}

/**
 * Reads the contract-test event (`{credentials, actionInvocationPoint, request, callbackContext,
 * typeConfiguration}`) that `sam local invoke TestEntrypoint` sends, as the Python runtime's
 * `test_entrypoint` does: the request's `hookContext` carries the target. (`cfn test` does not come
 * here: it invokes TypeFunction with full invocation requests, read by parseInvocationRequest.)
 */
export function parseTestEvent(event: unknown): ParsedRequest {
  if (!isRecord(event)) throw new RequestError('The test event is not a JSON object.');
  const request = event.request;
  if (!isRecord(request)) throw new RequestError('The test event has no request object.');
  const context = isRecord(request.hookContext) ? { ...request, ...request.hookContext } : request;
  return {
    handlerRequest: {
      clientRequestToken: tokenOf(event),
      invocationPoint: invocationPoint(event.actionInvocationPoint, 'actionInvocationPoint'),
      hookTypeName: optionalString(context.hookTypeName),
      awsAccountId: optionalString(context.awsAccountId),
      stackId: optionalString(context.stackId),
      ...target(context, 'request.hookContext').target,
    },
    hookModel: event.typeConfiguration,
  };
}
