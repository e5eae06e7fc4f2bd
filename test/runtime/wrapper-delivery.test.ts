/**
 * What a whole invocation (the wrapper, sources) hands to delivery, its CloudWatch clients mocked: the
 * invocation metrics count an answer that is not a verdict as a HandlerException by its error code
 * (NonCompliant is a verdict, not an exception), and a payload read leaves delivery its 2 s.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
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
