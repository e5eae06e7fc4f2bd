/**
 * Log and metric delivery to the hook owner's account, as the official runtimes do when the hook is
 * registered with a LoggingConfig: the invocation's log lines go to `providerLogGroupName` (CloudWatch
 * Logs) and its invocation, duration and exception metrics to CloudWatch. Delivery is best effort and
 * bounded: it never changes the answer, and it ends by its deadline whatever the endpoints do.
 * Everything belongs to one invocation: no client, credential or stream outlives it.
 */
import { type AwsCredentials, AwsError, type CallContext } from './aws/client';
import { type Deadline, deadlineAt } from './aws/http';
import { createLogGroup, createLogStream, type MetricDatum, putLogEvents, putMetricData } from './aws/services';
import { CredentialsError, readProviderCredentials } from './credentials';
import type { DeliveryRequest } from './delivery-request';
import type { Logger } from './logger';

/** Lines kept per invocation (a verdict writes a handful). */
export const MAX_DELIVERED_LINES = 500;
const MAX_DELIVERED_BYTES = 256 * 1024;

/** `<stack id>/<logical id>` as the Python runtime names it, made a valid stream name (no ':' or '*'). */
export function logStreamName(request: DeliveryRequest, now: Date): string {
  const raw =
    request.stackId !== undefined && request.targetLogicalId !== undefined
      ? `${request.stackId}/${request.targetLogicalId}`
      : `${request.awsAccountId ?? 'unknown-account'}/${now.toISOString().slice(0, 10)}`;
  return raw.replace(/[:*]|[^\x20-\x7e]/g, '_').slice(0, 512);
}

/** `AWS/CloudFormation/<account>/<Org>/<Service>/<Hook>`, the namespace the official runtimes publish to. */
export function metricNamespace(request: DeliveryRequest): string {
  const account = request.awsAccountId !== undefined && /^\d{12}$/.test(request.awsAccountId) ? `${request.awsAccountId}/` : '';
  const type = (request.hookTypeName ?? 'Unknown').replace(/::/g, '/').replace(/[^\w.\-/#]/g, '_').slice(0, 200);
  return `AWS/CloudFormation/${account}${type}`;
}

/** The invocation as metrics describe it. */
export interface Outcome {
  readonly invocationPoint: string | undefined;
  readonly durationMs: number;
  /** The answer's error code when it is not a verdict (NonCompliant is a verdict, not an exception). */
  readonly exceptionType: string | undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof AwsError || error instanceof CredentialsError ? error.message : 'delivery failed';
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AwsError('the time allowed for delivery ran out', 'timeout', 0));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class Delivery {
  private readonly events: { timestamp: number; message: string }[] = [];
  private bytes = 0;
  private dropped = 0;
  private readonly credentials: Promise<AwsCredentials>;
  /** Ended by finish(): nothing of the credentials' round trips outlives the invocation. */
  private readonly credentialPhase: Deadline;
  private readonly started = new Date();

  /**
   * Starts reading the credentials at once (decryption needs two AWS calls), bounded by `hardDeadline`.
   * `platformLog` is the function's own log: delivery's own failures go there, never to the owner's group.
   */
  constructor(
    private readonly request: DeliveryRequest,
    private readonly platformLog: Logger,
    hardDeadline: number,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.credentialPhase = deadlineAt(hardDeadline);
    this.credentials = readProviderCredentials(request.rawCredentials, request.encrypted, { region: request.region, env, signal: this.credentialPhase.signal });
    // Observed here so an early failure is never an unhandled rejection; finish() reads it again.
    this.credentials.catch(() => undefined);
  }

  /** A log sink: keeps the line for the owner's log group. */
  readonly record = (line: string): void => {
    const size = Buffer.byteLength(line, 'utf8') + 26;
    if (this.events.length >= MAX_DELIVERED_LINES || this.bytes + size > MAX_DELIVERED_BYTES) {
      this.dropped += 1;
      return;
    }
    this.bytes += size;
    this.events.push({ timestamp: Date.now(), message: line });
  };

  /** Delivers what was recorded and the metrics, by `deadline` at the latest. Never throws. */
  async finish(outcome: Outcome, deadline: number): Promise<void> {
    const { signal, dispose } = deadlineAt(deadline);
    try {
      let credentials: AwsCredentials;
      try {
        credentials = await raceSignal(this.credentials, signal);
      } catch (error) {
        this.platformLog.warn('Log and metric delivery skipped', { reason: reasonOf(error) });
        return;
      }
      const context: CallContext = { region: this.request.region, credentials, signal, env: this.env };
      const [logs, metrics] = await Promise.allSettled([this.deliverLogs(context), this.deliverMetrics(outcome, context)]);
      if (metrics.status === 'rejected') this.platformLog.warn('Metric delivery failed', { reason: reasonOf(metrics.reason) });
      if (logs.status === 'rejected') {
        this.platformLog.warn('Log delivery failed', { reason: reasonOf(logs.reason) });
        if (!signal.aborted) await this.deliverLogFailureMetric(logs.reason, context).catch(() => undefined);
      }
    } catch {
      // Delivery must never change the answer.
    } finally {
      dispose();
      this.credentialPhase.dispose();
    }
  }

  private async deliverLogs(context: CallContext): Promise<void> {
    if (this.events.length === 0) return;
    const group = this.request.logGroupName;
    const stream = logStreamName(this.request, this.started);
    const events = [...this.events];
    if (this.dropped > 0) {
      events.push({ timestamp: Date.now(), message: JSON.stringify({ level: 'WARN', message: 'Log lines dropped', dropped: this.dropped }) });
    }
    try {
      await putLogEvents(group, stream, events, context);
      return;
    } catch (error) {
      if (!(error instanceof AwsError) || error.code !== 'ResourceNotFoundException') throw error;
    }
    const tolerateExisting = (error: unknown): void => {
      if (!(error instanceof AwsError) || error.code !== 'ResourceAlreadyExistsException') throw error;
    };
    try {
      await createLogStream(group, stream, context).catch(tolerateExisting);
    } catch (error) {
      if (!(error instanceof AwsError) || error.code !== 'ResourceNotFoundException') throw error;
      await createLogGroup(group, context).catch(tolerateExisting);
      await createLogStream(group, stream, context).catch(tolerateExisting);
    }
    await putLogEvents(group, stream, events, context);
  }

  private dimensions(invocationPoint: string | undefined): Record<string, string> {
    return {
      DimensionKeyInvocationPointType: invocationPoint ?? 'Unknown',
      // Printable ASCII only: a value CloudWatch refuses would lose the whole call.
      DimensionKeyHookType: (this.request.hookTypeName ?? 'Unknown').replace(/[^\x20-\x7e]/g, '_').slice(0, 255),
    };
  }

  private async deliverMetrics(outcome: Outcome, context: CallContext): Promise<void> {
    const dimensions = this.dimensions(outcome.invocationPoint);
    const timestamp = this.started;
    const data: MetricDatum[] = [
      { name: 'HandlerInvocationCount', unit: 'Count', value: 1, timestamp, dimensions },
      { name: 'HandlerInvocationDuration', unit: 'Milliseconds', value: Math.round(outcome.durationMs * 1000) / 1000, timestamp, dimensions },
    ];
    if (outcome.exceptionType !== undefined) {
      data.push({ name: 'HandlerException', unit: 'Count', value: 1, timestamp, dimensions: { ...dimensions, DimensionKeyExceptionType: outcome.exceptionType } });
    }
    await putMetricData(metricNamespace(this.request), data, context);
  }

  private async deliverLogFailureMetric(error: unknown, context: CallContext): Promise<void> {
    const exceptionType = error instanceof AwsError ? error.code : 'Error';
    await putMetricData(
      metricNamespace(this.request),
      [{ name: 'HandlerException', unit: 'Count', value: 1, timestamp: new Date(), dimensions: { ...this.dimensions('ProviderLogDelivery'), DimensionKeyExceptionType: exceptionType } }],
      context,
    );
  }
}
