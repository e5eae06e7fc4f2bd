/**
 * What a whole invocation (the wrapper, sources) hands to delivery, its CloudWatch clients mocked: the
 * invocation metrics count an answer that is not a verdict as a HandlerException by its error code
 * (NonCompliant is a verdict, not an exception); a payload read leaves delivery its 2 s, and delivery
 * takes no more than those 2 s however long Lambda would wait; a test event never delivers.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Logger } from '../../src/runtime/logger';
import { createHook, type HandlerResult } from '../../src/runtime/wrapper';

const logs = mockClient(CloudWatchLogsClient);
const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => {
  logs.reset();
  cloudwatch.reset();
  logs.onAnyCommand().resolves({});
  cloudwatch.onAnyCommand().resolves({});
});
afterAll(() => {
  logs.restore();
  cloudwatch.restore();
});

const TARGET = 'AWS::ECS::TaskDefinition';
const event = (requestData: Record<string, unknown> = {}) => ({
  clientRequestToken: 'token-1',
  actionInvocationPoint: 'CREATE_PRE_PROVISION',
  awsAccountId: '123456789012',
  hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
  requestData: {
    targetName: TARGET,
    targetLogicalId: 'WebTask',
    targetModel: { resourceProperties: { Family: 'web' } },
    providerLogGroupName: 'owner-logs',
    providerCredentials: '{"accessKeyId":"AKIDOWNER","secretAccessKey":"owner-secret"}',
    ...requestData,
  },
});
const hookAnswering = (result: HandlerResult) =>
  createHook<null>({ targetNames: [TARGET], handlers: { CREATE_PRE_PROVISION: () => result }, parseConfiguration: () => null, logger: new Logger(() => undefined) });

/** The metric names published for the invocation, and the exception type when there is one. */
async function metricsFor(result: HandlerResult, data?: Record<string, unknown>): Promise<string[]> {
  await hookAnswering(result).entrypoint(event(data), { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 });
  expect(logs).toHaveReceivedCommand(PutLogEventsCommand);
  const metrics = cloudwatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData!;
  return metrics.map((m) => (m.MetricName === 'HandlerException' ? `HandlerException:${m.Dimensions!.at(-1)!.Value}` : m.MetricName!));
}

it.each([
  ['a compliant verdict', { hookStatus: 'SUCCESS', message: 'ok' } as HandlerResult, ['HandlerInvocationCount', 'HandlerInvocationDuration']],
  ['a non-compliant verdict', { hookStatus: 'FAILED', errorCode: 'NonCompliant', message: 'no' } as HandlerResult, ['HandlerInvocationCount', 'HandlerInvocationDuration']],
  [
    'an invalid type configuration',
    { hookStatus: 'FAILED', errorCode: 'InvalidTypeConfiguration', message: 'bad' } as HandlerResult,
    ['HandlerInvocationCount', 'HandlerInvocationDuration', 'HandlerException:InvalidTypeConfiguration'],
  ],
])('%s: %j', async (_name, result, expected) => {
  expect(await metricsFor(result)).toEqual(expected);
});

it('a request refused as invalid is counted as an InvalidRequest exception', async () => {
  expect(await metricsFor({ hookStatus: 'SUCCESS', message: 'unused' }, { targetModel: 'not a model' })).toEqual([
    'HandlerInvocationCount',
    'HandlerInvocationDuration',
    'HandlerException:InvalidRequest',
  ]);
});

it('the duration is the time the invocation took, in milliseconds', async () => {
  const slow = createHook<null>({
    targetNames: [TARGET],
    handlers: {
      CREATE_PRE_PROVISION: () => {
        const until = Date.now() + 40;
        while (Date.now() < until);
        return { hookStatus: 'SUCCESS', message: 'ok' };
      },
    },
    parseConfiguration: () => null,
    logger: new Logger(() => undefined),
  });
  await slow.entrypoint(event(), { awsRequestId: 'req-1' });
  const duration = cloudwatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData![1]!;
  expect(duration.MetricName).toBe('HandlerInvocationDuration');
  expect(duration.Value).toBeGreaterThanOrEqual(30);
  expect(duration.Value).toBeLessThan(5000);
});

describe('the time delivery gets', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  async function payloadUrl(): Promise<string> {
    server = createServer((_req, res) => res.writeHead(200).end('{"resourceProperties":{"Family":"web"}}'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/payload`;
  }

  it('a payload read leaves delivery its 2 s of what Lambda says is left; without delivery it may use them', async () => {
    const url = await payloadUrl();
    const remote = { targetModel: undefined, payload: url };
    const hook = hookAnswering({ hookStatus: 'SUCCESS', message: 'ok' });
    // 2.4 s left: 0.5 s is kept for the answer and 2 s for delivery, which leaves the read none.
    const context = () => ({ awsRequestId: 'req-1', getRemainingTimeInMillis: () => 2400 });
    await expect(hook.entrypoint(event(remote), context())).resolves.toMatchObject({ hookStatus: 'FAILED', errorCode: 'NetworkFailure' });
    expect(logs).toHaveReceivedCommand(PutLogEventsCommand);
    // The same time with nothing to deliver: 1.9 s for the read.
    await expect(hook.entrypoint(event({ ...remote, providerLogGroupName: undefined }), context())).resolves.toMatchObject({ hookStatus: 'SUCCESS', message: 'ok' });
    await expect(hook.lambdaEntrypoint(event(remote), context())).resolves.toMatchObject({ hookStatus: 'SUCCESS', message: 'ok' });
    expect(logs).toHaveReceivedCommandTimes(PutLogEventsCommand, 1);
  });

  it('delivery to endpoints that never answer ends 2 s after the answer is ready, however long Lambda would wait', async () => {
    logs.onAnyCommand().callsFake(() => new Promise(() => undefined));
    cloudwatch.onAnyCommand().callsFake(() => new Promise(() => undefined));
    const lines: string[] = [];
    const hook = createHook<null>({
      targetNames: [TARGET],
      handlers: { CREATE_PRE_PROVISION: () => ({ hookStatus: 'SUCCESS', message: 'ok' }) },
      parseConfiguration: () => null,
      logger: new Logger((line) => lines.push(line), {}, 'INFO'),
    });
    const started = Date.now();
    await expect(hook.entrypoint(event(), { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 })).resolves.toMatchObject({ hookStatus: 'SUCCESS' });
    expect(Date.now() - started).toBeLessThan(8000);
    const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 'WARN');
    expect(warnings.map(({ message, reason }) => ({ message, reason }))).toEqual([
      { message: 'Metric delivery failed', reason: 'monitoring PutMetricData: the time allowed ran out' },
      { message: 'Log delivery failed', reason: 'logs PutLogEvents: the time allowed ran out' },
    ]);
  }, 10_000);
});

it('a test event delivers nothing, whatever delivery settings it carries', async () => {
  const { requestData } = event();
  const answer = await hookAnswering({ hookStatus: 'SUCCESS', message: 'ok' }).testEntrypoint(
    { clientRequestToken: 'token-1', actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData, request: { hookContext: requestData } },
    { awsRequestId: 'req-1' },
  );
  expect(answer).toMatchObject({ hookStatus: 'SUCCESS', message: 'ok' });
  expect(logs.calls()).toHaveLength(0);
  expect(cloudwatch.calls()).toHaveLength(0);
});
