/**
 * Log and metric delivery to the hook owner's account, as the official runtimes do when the hook is
 * registered with a LoggingConfig: the invocation's log lines go to `providerLogGroupName` (CloudWatch
 * Logs) and its invocation, duration and exception metrics to CloudWatch, through the AWS SDK's
 * CloudWatch Logs and CloudWatch clients. Delivery is best effort and bounded: it never changes the
 * answer, and it ends by its deadline whatever the endpoints do. Clients and credentials belong to one
 * invocation; only the process's keep-alive connections (which carry no credential) outlive it.
 */
import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  type InputLogEvent,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { type Deadline, deadlineAt } from './aws/deadline';
import { AwsCallError, type AwsCredentials, callWithin, clientConfig } from './aws/sdk';
import { CredentialsError, readProviderCredentials } from './credentials';
import type { DeliveryRequest } from './delivery-request';
import type { Logger } from './logger';

/** Lines kept per invocation (a verdict writes a handful). */
export const MAX_DELIVERED_LINES = 500;
const MAX_DELIVERED_BYTES = 256 * 1024;

/**
 * `<stack id>/<logical id>` as the Python runtime names it, made a valid stream name: every ':', '*' and
 * character outside printable ASCII becomes '_', and the name is cut at 512 characters. Without a stack
 * id: `<account>/<UTC date>` (`unknown-account` without an account).
 */
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
  return error instanceof AwsCallError || error instanceof CredentialsError ? error.message : 'delivery failed';
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AwsCallError('the time allowed for delivery ran out', 'timeout'));
    if (signal.aborted) return onAbort();
    // Whichever comes first settles; the later one finds it settled. The signal aborts once and lives
    // for one finish(), so its listener need not be removed.
    signal.addEventListener('abort', onAbort);
    promise.then(resolve, reject);
  });
}

/** The owner's clients for one invocation, and the deadline every call is sent under. */
interface Calls {
  readonly logs: CloudWatchLogsClient;
  readonly metrics: CloudWatchClient;
  readonly signal: AbortSignal;
}

const streamNameFor = (request: DeliveryRequest, now: Date): string => logStreamName(request, now);

function isCode(error: unknown, code: string): boolean {
  return error instanceof AwsCallError && error.code === code;
}

export class Delivery {
  private readonly events: InputLogEvent[] = [];
  private bytes = 0;
  private dropped = 0;
  private readonly credentials: Promise<AwsCredentials>;
  /** How the reading of the credentials ended, once it has. */
  private read: { readonly ok: true } | { readonly ok: false; readonly error: unknown } | undefined;
  /**
   * Resolves once the credentials need nothing more of this thread: read, failed, or (encrypted) with the
   * KMS Decrypt request on its way, when the clients can be set up during its round trip.
   */
  private readonly waitingOnKms: Promise<void>;
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
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.credentialPhase = deadlineAt(hardDeadline);
    let overlap: () => void = () => undefined;
    this.waitingOnKms = new Promise<void>((resolve) => (overlap = resolve));
    this.credentials = readProviderCredentials(request.rawCredentials, request.encrypted, {
      region: request.region,
      env,
      signal: this.credentialPhase.signal,
      onLastRequestWritten: () => overlap(),
    });
    // Observed here so an early failure is never an unhandled rejection; finish() reads the outcome.
    this.credentials.then(
      () => {
        this.read = { ok: true };
        overlap();
      },
      (error: unknown) => {
        this.read = { ok: false, error };
        overlap();
      },
    );
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
      const skipped = (error: unknown): void => this.platformLog.warn('Log and metric delivery skipped', { reason: reasonOf(error) });
      try {
        await raceSignal(this.waitingOnKms, signal);
      } catch (error) {
        skipped(error);
        return;
      }
      if (this.read?.ok === false) {
        skipped(this.read.error);
        return;
      }
      // Set up and sent now: each call's endpoint and body are made during the Decrypt round trip of
      // encrypted credentials, and only its signature waits for them. A call whose credentials fail
      // (or do not come by the deadline) fails before anything is sent, and delivery counts as skipped.
      const config = clientConfig(this.request.region, () => this.credentials);
      // A metric datum set is far below the size the SDK would compress (10 KB); off, gzip is never reached.
      const calls: Calls = { logs: new CloudWatchLogsClient(config), metrics: new CloudWatchClient({ ...config, disableRequestCompression: true }), signal };
      const [logs, metrics] = await Promise.allSettled([this.deliverLogs(calls), this.deliverMetrics(outcome, calls)]);
      const read = this.outcomeOfReading();
      if (read?.ok !== true) {
        skipped(read?.ok === false ? read.error : new AwsCallError('the time allowed for delivery ran out', 'timeout'));
        return;
      }
      if (metrics.status === 'rejected') this.platformLog.warn('Metric delivery failed', { reason: reasonOf(metrics.reason) });
      if (logs.status === 'rejected') {
        this.platformLog.warn('Log delivery failed', { reason: reasonOf(logs.reason) });
        // A call's failure is an AwsCallError (callWithin's) and names its code; anything else is counted as 'Error'.
        const type = logs.reason instanceof AwsCallError ? logs.reason.code : 'Error';
        if (!signal.aborted) await this.deliverLogFailureMetric(type, calls).catch(() => undefined);
      }
    } catch {
      // Delivery must never change the answer.
    } finally {
      dispose();
      this.credentialPhase.dispose();
    }
  }

  /** Read apart so that the compiler does not carry a check made before an await past it. */
  private outcomeOfReading(): Delivery['read'] {
    return this.read;
  }

  private async deliverLogs({ logs, signal }: Calls): Promise<void> {
    if (this.events.length === 0) return;
    const logGroupName = this.request.logGroupName;
    const logStreamName = streamNameFor(this.request, this.started);
    const logEvents = [...this.events];
    if (this.dropped > 0) {
      logEvents.push({ timestamp: Date.now(), message: JSON.stringify({ level: 'WARN', message: 'Log lines dropped', dropped: this.dropped }) });
    }
    const put = (): Promise<unknown> =>
      callWithin('logs', 'PutLogEvents', signal, (abortSignal) => logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }), { abortSignal }));
    const createStream = (): Promise<unknown> =>
      callWithin('logs', 'CreateLogStream', signal, (abortSignal) => logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }), { abortSignal }));
    const createGroup = (): Promise<unknown> =>
      callWithin('logs', 'CreateLogGroup', signal, (abortSignal) => logs.send(new CreateLogGroupCommand({ logGroupName }), { abortSignal }));
    // The stream usually exists after the resource's first invocation: try the write first.
    try {
      await put();
      return;
    } catch (error) {
      if (!isCode(error, 'ResourceNotFoundException')) throw error;
    }
    const tolerateExisting = (error: unknown): void => {
      if (!isCode(error, 'ResourceAlreadyExistsException')) throw error;
    };
    try {
      await createStream().catch(tolerateExisting);
    } catch (error) {
      if (!isCode(error, 'ResourceNotFoundException')) throw error;
      await createGroup().catch(tolerateExisting);
      await createStream().catch(tolerateExisting);
    }
    await put();
  }

  private dimensions(invocationPoint: string | undefined): { Name: string; Value: string }[] {
    return [
      { Name: 'DimensionKeyInvocationPointType', Value: invocationPoint ?? 'Unknown' },
      // Printable ASCII only: a value CloudWatch refuses would lose the whole call.
      { Name: 'DimensionKeyHookType', Value: (this.request.hookTypeName ?? 'Unknown').replace(/[^\x20-\x7e]/g, '_').slice(0, 255) },
    ];
  }

  private putMetrics({ metrics, signal }: Calls, MetricData: MetricDatum[]): Promise<unknown> {
    const Namespace = metricNamespace(this.request);
    return callWithin('monitoring', 'PutMetricData', signal, (abortSignal) => metrics.send(new PutMetricDataCommand({ Namespace, MetricData }), { abortSignal }));
  }

  private async deliverMetrics(outcome: Outcome, calls: Calls): Promise<void> {
    const Dimensions = this.dimensions(outcome.invocationPoint);
    const Timestamp = this.started;
    const data: MetricDatum[] = [
      { MetricName: 'HandlerInvocationCount', Unit: 'Count', Value: 1, Timestamp, Dimensions },
      { MetricName: 'HandlerInvocationDuration', Unit: 'Milliseconds', Value: Math.round(outcome.durationMs * 1000) / 1000, Timestamp, Dimensions },
    ];
    if (outcome.exceptionType !== undefined) {
      data.push({
        MetricName: 'HandlerException',
        Unit: 'Count',
        Value: 1,
        Timestamp,
        Dimensions: [...Dimensions, { Name: 'DimensionKeyExceptionType', Value: outcome.exceptionType }],
      });
    }
    await this.putMetrics(calls, data);
  }

  private async deliverLogFailureMetric(exceptionType: string, calls: Calls): Promise<void> {
    await this.putMetrics(calls, [
      {
        MetricName: 'HandlerException',
        Unit: 'Count',
        Value: 1,
        Timestamp: new Date(),
        Dimensions: [...this.dimensions('ProviderLogDelivery'), { Name: 'DimensionKeyExceptionType', Value: exceptionType }],
      },
    ]);
  }
}
