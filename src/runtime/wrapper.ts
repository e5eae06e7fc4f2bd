/**
 * One wrapper owns the protocol (parse, dispatch by invocation point, total error handling,
 * answer); handlers own only policy. Modelled on the Java runtime's HookAbstractWrapper.
 */
import type { Annotation } from '../policy/report';
import { DELIVERY_BUDGET_MS, PAYLOAD_BUDGET_MS } from './budgets';
import type { Delivery } from './delivery';
import { deliveryRequestOf } from './delivery-request';
import { errorFields, Logger } from './logger';
import {
  type HookErrorCode,
  type HookHandlerRequest,
  type HookProgressEvent,
  type InvocationPoint,
  MAX_MESSAGE_LENGTH,
  parseInvocationRequest,
  parseTestEvent,
  type ParsedRequest,
  RequestError,
  tokenOf,
} from './protocol';

/** What a handler decides; the wrapper turns it into the answer. */
export interface HandlerResult {
  readonly hookStatus: 'SUCCESS' | 'FAILED' | 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK';
  readonly errorCode?: HookErrorCode;
  readonly message: string;
  readonly annotations?: Annotation[];
}

/** Thrown by `parseConfiguration`: answered FAILED/InvalidTypeConfiguration with this message. */
export class TypeConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TypeConfigurationError';
  }
}

export type Handler<C> = (request: HookHandlerRequest, config: C, log: Logger) => HandlerResult;

export interface HookDefinition<C> {
  /** The target type names the schema lists; any other target is let through unchecked. */
  readonly targetNames: readonly string[];
  /** Handlers by invocation point; any other point is let through unchecked. */
  readonly handlers: Partial<Record<InvocationPoint, Handler<C>>>;
  /** Turns the raw type configuration into the handler's; throws TypeConfigurationError when invalid. */
  readonly parseConfiguration: (raw: unknown) => C;
  /**
   * For `lambdaEntrypoint` (an AWS::CloudFormation::LambdaHook, whose hookModel names the function and
   * carries no configuration): reads the configuration from the function's environment; throws
   * TypeConfigurationError when invalid.
   */
  readonly parseEnvironment?: (env: NodeJS.ProcessEnv) => C;
  /** What a target's remote payload holds, for the message when it cannot be read. */
  readonly payloadSubject?: (targetName: string) => string;
  readonly logger?: Logger;
}

export interface LambdaContextLike {
  readonly awsRequestId?: string;
  /** Lambda's clock for this invocation: payload reads and delivery end well before it runs out. */
  getRemainingTimeInMillis?(): number;
}

type Network = typeof import('./network');
/** The network half (dist/network.js in the bundle), loaded by the first invocation that needs it. */
function network(): Network {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./network') as Network;
}

/** Kept back from the invocation's remaining time for answering. */
const ANSWER_RESERVE_MS = 500;
/** Without a Lambda context (local runs), the limit Lambda would give a hook. */
const DEFAULT_INVOCATION_MS = 30_000;

function remainingMs(context: LambdaContextLike | undefined): number {
  try {
    const value = context?.getRemainingTimeInMillis?.();
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  } catch {
    // A broken context is treated as no context.
  }
  return DEFAULT_INVOCATION_MS;
}

export type Entrypoint = (event: unknown, context?: LambdaContextLike) => Promise<HookProgressEvent>;

export interface Hook {
  /** The Lambda entrypoint CloudFormation invokes with a HookInvocationRequest. */
  readonly entrypoint: Entrypoint;
  /** The entrypoint for the contract-test event shape. */
  readonly testEntrypoint: Entrypoint;
  /** The handler of an AWS::CloudFormation::LambdaHook (configuration from the environment, no delivery). */
  readonly lambdaEntrypoint: Entrypoint;
}

/** How an answer is shaped: for a registered hook type, or for a Lambda hook. */
type Mode = 'registered' | 'lambda';

/**
 * A Lambda hook accepts only these statuses and error codes (CloudFormation Hooks User Guide, "Create
 * Lambda functions to evaluate resources for Lambda Hooks", response input:
 * https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks-create-lambda-function.html
 * hookStatus SUCCESS | FAILED | IN_PROGRESS; errorCode NonCompliant | InternalFailure).
 */
function forLambda(result: HandlerResult): HandlerResult {
  // A compliant change set: a Lambda hook has no skip status, so a plain SUCCESS.
  if (result.hookStatus === 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK') return { ...result, hookStatus: 'SUCCESS' };
  if (result.hookStatus === 'FAILED' && result.errorCode !== 'NonCompliant') return { ...result, errorCode: 'InternalFailure' };
  return result;
}

function clip(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

function answer(token: string, result: HandlerResult): HookProgressEvent {
  const event: HookProgressEvent = {
    hookStatus: result.hookStatus,
    message: clip(result.message),
    clientRequestToken: token,
    callbackDelaySeconds: 0,
  };
  if (result.errorCode !== undefined) event.errorCode = result.errorCode;
  if (result.annotations !== undefined && result.annotations.length > 0) event.annotations = result.annotations;
  return event;
}

function correlationIdOf(context: LambdaContextLike | undefined): string {
  const id = context?.awsRequestId;
  if (typeof id === 'string' && /^[\w-]{1,64}$/.test(id)) return id;
  // Loaded only here: node:crypto costs about 3 ms of every cold start, and Lambda always sends a request id.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof import('node:crypto')).randomUUID();
}

/** Bounded, printable identifiers for log lines. */
function logId(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(0, 256).replace(/[^\w:.\-/]/g, '?');
}

export function createHook<C>(definition: HookDefinition<C>): Hook {
  const rootLogger = definition.logger ?? new Logger();

  async function dispatch(parsed: ParsedRequest, log: Logger, payloadDeadline: number, mode: Mode): Promise<HandlerResult> {
    let request = parsed.handlerRequest;
    const handler = definition.handlers[request.invocationPoint];
    if (handler === undefined) {
      return { hookStatus: 'SUCCESS', message: `Nothing to check at ${request.invocationPoint}.` };
    }
    if (!definition.targetNames.includes(request.targetName)) {
      return { hookStatus: 'SUCCESS', message: `Nothing to check: ${logId(request.targetName)} is not a target of this hook.` };
    }
    let config: C;
    try {
      config =
        mode === 'lambda' && definition.parseEnvironment !== undefined
          ? definition.parseEnvironment(process.env)
          : definition.parseConfiguration(parsed.hookModel);
    } catch (error) {
      if (error instanceof TypeConfigurationError) {
        return { hookStatus: 'FAILED', errorCode: 'InvalidTypeConfiguration', message: error.message };
      }
      throw error;
    }
    if (parsed.payloadUrl !== undefined) {
      const subject = definition.payloadSubject?.(request.targetName);
      const payload = await network().readPayload(parsed.payloadUrl, payloadDeadline, subject);
      if (!payload.ok) {
        log.warn('Payload not read', { errorCode: payload.errorCode, reason: payload.message });
        return { hookStatus: 'FAILED', errorCode: payload.errorCode, message: payload.message };
      }
      request = { ...request, targetModel: payload.document };
    }
    return handler(request, config, log);
  }

  function make(parse: (event: unknown) => ParsedRequest, delivers: boolean, mode: Mode = 'registered'): Entrypoint {
    // Every piece of state lives in this call's closure: concurrent invocations share nothing.
    return async (event, context) => {
      try {
        return await invoke(parse, delivers, event, context, mode);
      } catch {
        // Last resort: even a failure to build the answer must not reach CloudFormation as a throw.
        return {
          hookStatus: 'FAILED',
          errorCode: 'InternalFailure',
          message: 'The hook could not check this resource because of an internal error.',
          clientRequestToken: tokenOf(event),
          callbackDelaySeconds: 0,
        };
      }
    };
  }

  async function invoke(
    parse: (event: unknown) => ParsedRequest,
    delivers: boolean,
    event: unknown,
    context: LambdaContextLike | undefined,
    mode: Mode,
  ): Promise<HookProgressEvent> {
    const started = process.hrtime.bigint();
    const startedAt = Date.now();
    const hardDeadline = startedAt + remainingMs(context) - ANSWER_RESERVE_MS;
    const correlationId = correlationIdOf(context);
    const token = tokenOf(event);
    const deliveryRequest = delivers ? deliveryRequestOf(event) : undefined;
    let log = rootLogger.child({ correlationId });
    let delivery: Delivery | undefined;
    if (deliveryRequest !== undefined) {
      try {
        delivery = new (network().Delivery)(deliveryRequest, log, hardDeadline);
      } catch (error) {
        // Without its network half the hook still judges; only delivery is lost.
        log.error('Delivery unavailable', errorFields(error));
      }
    }
    if (delivery !== undefined) log = log.teeTo(delivery.record);
    let invocationPoint: string | undefined;
    let result: HandlerResult;
    try {
      const parsed = parse(event);
      const r = parsed.handlerRequest;
      invocationPoint = r.invocationPoint;
      log = log.child({
        invocationPoint: r.invocationPoint,
        targetName: logId(r.targetName),
        targetLogicalId: logId(r.targetLogicalId),
        invocationId: logId(parsed.invocationId),
      });
      // The payload read leaves room for delivery to follow.
      const payloadDeadline = Math.min(startedAt + PAYLOAD_BUDGET_MS, hardDeadline - (delivery === undefined ? 0 : DELIVERY_BUDGET_MS));
      result = await dispatch(parsed, log, payloadDeadline, mode);
    } catch (error) {
      if (error instanceof RequestError) {
        result = { hookStatus: 'FAILED', errorCode: 'InvalidRequest', message: error.message };
      } else {
        log.error('Unexpected error', errorFields(error));
        result = {
          hookStatus: 'FAILED',
          errorCode: 'InternalFailure',
          message: `The hook could not check this resource because of an internal error (correlation id ${correlationId}). Deploy again; if it persists, give the correlation id to the hook's owner.`,
        };
      }
    }
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    // The log line says what the answer says; for a Lambda hook, with the code it stands for.
    const stoodFor = result.errorCode;
    if (mode === 'lambda') result = forLambda(result);
    const detail = stoodFor !== result.errorCode ? { detailCode: stoodFor } : {};
    log.info('Answered', { hookStatus: result.hookStatus, errorCode: result.errorCode, ...detail, durationMs });
    if (delivery !== undefined) {
      // No error code (a verdict that passes) stays undefined as it is; NonCompliant is a verdict, not an exception.
      const exceptionType = result.errorCode === 'NonCompliant' ? undefined : result.errorCode;
      await delivery.finish({ invocationPoint, durationMs, exceptionType }, Math.min(Date.now() + DELIVERY_BUDGET_MS, hardDeadline));
    }
    return answer(token, result);
  }

  // Test events carry no delivery settings; only CloudFormation's requests deliver.
  // A Lambda hook's requests carry no delivery settings: its log lines go to the function's own log group.
  return {
    entrypoint: make(parseInvocationRequest, true),
    testEntrypoint: make(parseTestEvent, false),
    lambdaEntrypoint: make(parseInvocationRequest, false, 'lambda'),
  };
}
