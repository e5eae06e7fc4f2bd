/**
 * Delivery on its own (sources), its AWS SDK clients mocked with aws-sdk-client-mock: the commands it
 * sends (group, stream, namespace, dimensions, credentials used), every error path, the deadline, the
 * per-invocation caps, and the names it derives from the request. The real clients over real HTTP are
 * the delivery and faults suites' business (moto_server and misbehaving servers).
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Delivery, logStreamName, MAX_DELIVERED_LINES, metricNamespace, type Outcome } from '../../src/runtime/delivery';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entrypoint } from '../../src/handlers';
import type { DeliveryRequest } from '../../src/runtime/delivery-request';
import { Logger } from '../../src/runtime/logger';
import { FakeKms, serviceError } from '../support/sdk-mocks';

const logs = mockClient(CloudWatchLogsClient);
const cloudwatch = mockClient(CloudWatchClient);
const sts = mockClient(STSClient);
const kms = mockClient(KMSClient);
beforeEach(() => {
  for (const m of [logs, cloudwatch, sts, kms]) m.reset();
  logs.onAnyCommand().resolves({});
  cloudwatch.onAnyCommand().resolves({});
});
afterAll(() => {
  for (const m of [logs, cloudwatch, sts, kms]) m.restore();
});

const OWNER = { accessKeyId: 'AKIDOWNERCANARY', secretAccessKey: 'owner-secret-canary', sessionToken: 'owner-token-canary' };
const REQUEST: DeliveryRequest = {
  logGroupName: 'owner-logs',
  rawCredentials: JSON.stringify(OWNER),
  region: 'eu-west-1',
  awsAccountId: '123456789012',
  hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
  stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/web/1',
  targetLogicalId: 'WebTask',
};
const STREAM = 'arn_aws_cloudformation_eu-west-1_123456789012_stack/web/1/WebTask';
const NAMESPACE = 'AWS/CloudFormation/123456789012/Guardrails/ECS/ReadonlyRootFilesystem';
const VERDICT: Outcome = { invocationPoint: 'CREATE_PRE_PROVISION', durationMs: 12.3456, exceptionType: undefined };
const DIMENSIONS = [
  { Name: 'DimensionKeyInvocationPointType', Value: 'CREATE_PRE_PROVISION' },
  { Name: 'DimensionKeyHookType', Value: 'Guardrails::ECS::ReadonlyRootFilesystem' },
];

/** A delivery with one recorded line, finished; returns the warnings it wrote to the function's own log. */
async function deliver(request: DeliveryRequest = REQUEST, outcome: Outcome = VERDICT, budgetMs = 2000): Promise<Record<string, unknown>[]> {
  const platform: string[] = [];
  const delivery = new Delivery(request, new Logger((line) => platform.push(line)), Date.now() + 10_000, {});
  delivery.record(JSON.stringify({ level: 'INFO', message: 'Answered', targetLogicalId: 'WebTask' }));
  await delivery.finish(outcome, Date.now() + budgetMs);
  return platform.map((l) => JSON.parse(l));
}

/** Every input of every command sent to every mocked client, as text. */
function everythingSent(): string {
  return JSON.stringify([logs, cloudwatch, sts, kms].flatMap((m) => m.calls().map((c) => c.args[0].input)));
}

describe('the commands sent', () => {
  it('writes the lines to <stack id>/<logical id> in the owner group and publishes count and duration', async () => {
    expect(await deliver()).toEqual([]);
    expect(logs).toHaveReceivedCommandTimes(PutLogEventsCommand, 1);
    expect(logs).toHaveReceivedCommandWith(PutLogEventsCommand, {
      logGroupName: 'owner-logs',
      logStreamName: STREAM,
      logEvents: [{ timestamp: expect.any(Number), message: JSON.stringify({ level: 'INFO', message: 'Answered', targetLogicalId: 'WebTask' }) }],
    });
    expect(logs).not.toHaveReceivedCommand(CreateLogStreamCommand);
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cloudwatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: NAMESPACE,
      MetricData: [
        { MetricName: 'HandlerInvocationCount', Unit: 'Count', Value: 1, Timestamp: expect.any(Date), Dimensions: DIMENSIONS },
        { MetricName: 'HandlerInvocationDuration', Unit: 'Milliseconds', Value: 12.346, Timestamp: expect.any(Date), Dimensions: DIMENSIONS },
      ],
    });
  });

  it('signs with the owner credentials in the function Region, and no credential is in any command', async () => {
    await deliver();
    for (const client of [logs.call(0).thisValue, cloudwatch.call(0).thisValue] as (CloudWatchLogsClient | CloudWatchClient)[]) {
      expect(await client.config.region()).toBe('eu-west-1');
      expect(await client.config.credentials()).toMatchObject(OWNER);
      expect(await client.config.maxAttempts()).toBe(3);
    }
    const sent = everythingSent();
    for (const secret of Object.values(OWNER)) expect(sent).not.toContain(secret);
  });

  it('sends metrics uncompressed: the built network half has no gzip (scripts/build.mjs)', async () => {
    await deliver();
    expect(await (cloudwatch.call(0).thisValue as CloudWatchClient).config.disableRequestCompression()).toBe(true);
  });

  it('publishes a HandlerException with the answer error code when the answer is not a verdict', async () => {
    await deliver(REQUEST, { invocationPoint: 'UPDATE_PRE_PROVISION', durationMs: 1, exceptionType: 'InvalidTypeConfiguration' });
    const data = cloudwatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData!;
    expect(data.map((d) => d.MetricName)).toEqual(['HandlerInvocationCount', 'HandlerInvocationDuration', 'HandlerException']);
    expect(data[2]).toEqual({
      MetricName: 'HandlerException',
      Unit: 'Count',
      Value: 1,
      Timestamp: data[0]!.Timestamp,
      Dimensions: [
        { Name: 'DimensionKeyInvocationPointType', Value: 'UPDATE_PRE_PROVISION' },
        { Name: 'DimensionKeyHookType', Value: 'Guardrails::ECS::ReadonlyRootFilesystem' },
        { Name: 'DimensionKeyExceptionType', Value: 'InvalidTypeConfiguration' },
      ],
    });
  });

  it('reads credentials sent as an object as well as JSON text', async () => {
    expect(await deliver({ ...REQUEST, rawCredentials: OWNER })).toEqual([]);
    expect(await (logs.call(0).thisValue as CloudWatchLogsClient).config.credentials()).toMatchObject(OWNER);
  });

  it('takes plain JSON credentials as they are even when both key fields are present: no STS or KMS call', async () => {
    const encrypted = { keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1', roleArn: 'arn:aws:iam::123456789012:role/r' };
    expect(await deliver({ ...REQUEST, encrypted })).toEqual([]);
    expect(sts.calls()).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
    expect(logs).toHaveReceivedCommand(PutLogEventsCommand);
  });
});

describe('a whole invocation (sources, clients mocked)', () => {
  it('sends no property value and no credential in any command', async () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', 'create.json'), 'utf8'));
    const c = event.requestData.targetModel.resourceProperties.ContainerDefinitions[0];
    c.Environment = [{ Name: 'DB_PASSWORD', Value: 'env-canary-7f3a' }];
    c.Secrets = [{ Name: 'TOKEN', ValueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:secret-canary-7f3a' }];
    c.Command = ['command-canary-7f3a'];
    c.RepositoryCredentials = { CredentialsParameter: 'repo-canary-7f3a' };
    event.requestData.providerCredentials = JSON.stringify(OWNER);
    event.requestData.providerLogGroupName = 'owner-logs';
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await entrypoint(event, { awsRequestId: 'req-1' })).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    } finally {
      quiet.mockRestore();
    }
    expect(logs).toHaveReceivedCommandWith(PutLogEventsCommand, { logGroupName: 'owner-logs', logEvents: [expect.objectContaining({ message: expect.stringContaining('"correlationId":"req-1"') })] });
    expect(cloudwatch).toHaveReceivedCommand(PutMetricDataCommand);
    const sent = everythingSent();
    for (const canary of ['env-canary-7f3a', 'secret-canary-7f3a', 'command-canary-7f3a', 'repo-canary-7f3a', 'DB_PASSWORD', ...Object.values(OWNER)]) {
      expect(sent).not.toContain(canary);
    }
  });
});

describe('the log stream and group', () => {
  it('creates the stream when it does not exist, then writes', async () => {
    logs.on(PutLogEventsCommand).rejectsOnce(new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: { httpStatusCode: 400 } })).resolves({});
    expect(await deliver()).toEqual([]);
    expect(logs.calls().map((c) => c.args[0].constructor.name)).toEqual(['PutLogEventsCommand', 'CreateLogStreamCommand', 'PutLogEventsCommand']);
    expect(logs).toHaveReceivedCommandWith(CreateLogStreamCommand, { logGroupName: 'owner-logs', logStreamName: STREAM });
  });

  it('creates the group and the stream when neither exists', async () => {
    const notFound = new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: { httpStatusCode: 400 } });
    logs.on(PutLogEventsCommand).rejectsOnce(notFound).resolves({});
    logs.on(CreateLogStreamCommand).rejectsOnce(notFound).resolves({});
    expect(await deliver()).toEqual([]);
    expect(logs.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'PutLogEventsCommand',
      'CreateLogStreamCommand',
      'CreateLogGroupCommand',
      'CreateLogStreamCommand',
      'PutLogEventsCommand',
    ]);
    expect(logs).toHaveReceivedCommandWith(CreateLogGroupCommand, { logGroupName: 'owner-logs' });
  });

  it('tolerates a stream or group created meanwhile by a concurrent invocation (ResourceAlreadyExistsException)', async () => {
    const notFound = new ResourceNotFoundException({ message: 'x', $metadata: { httpStatusCode: 400 } });
    const exists = new ResourceAlreadyExistsException({ message: 'x', $metadata: { httpStatusCode: 400 } });
    logs.on(PutLogEventsCommand).rejectsOnce(notFound).resolves({});
    logs.on(CreateLogStreamCommand).rejectsOnce(notFound).rejects(exists);
    logs.on(CreateLogGroupCommand).rejects(exists);
    expect(await deliver()).toEqual([]);
    expect(logs).toHaveReceivedCommandTimes(PutLogEventsCommand, 2);
  });
});

describe('errors: the function log says why, a HandlerException metric counts failed log delivery', () => {
  it.each([
    ['throttling', serviceError('ThrottlingException', 400), 'logs PutLogEvents: ThrottlingException (HTTP 400)'],
    ['expired credentials', serviceError('ExpiredTokenException', 400), 'logs PutLogEvents: ExpiredTokenException (HTTP 400)'],
    ['invalid credentials', serviceError('UnrecognizedClientException', 400), 'logs PutLogEvents: UnrecognizedClientException (HTTP 400)'],
    ['access denied', serviceError('AccessDeniedException', 400), 'logs PutLogEvents: AccessDeniedException (HTTP 400)'],
    ['a server error', serviceError('ServiceUnavailableException', 503), 'logs PutLogEvents: ServiceUnavailableException (HTTP 503)'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'logs PutLogEvents: the connection failed (ECONNREFUSED)'],
  ])('%s on PutLogEvents', async (_name, error, reason) => {
    logs.on(PutLogEventsCommand).rejects(error);
    expect(await deliver()).toEqual([expect.objectContaining({ level: 'WARN', message: 'Log delivery failed', reason })]);
    const code = /: (\w+) \(HTTP/.exec(reason)?.[1] ?? 'network';
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 2);
    expect(cloudwatch).toHaveReceivedNthCommandWith(2, PutMetricDataCommand, {
      Namespace: NAMESPACE,
      MetricData: [
        expect.objectContaining({
          MetricName: 'HandlerException',
          Dimensions: [
            { Name: 'DimensionKeyInvocationPointType', Value: 'ProviderLogDelivery' },
            { Name: 'DimensionKeyHookType', Value: 'Guardrails::ECS::ReadonlyRootFilesystem' },
            { Name: 'DimensionKeyExceptionType', Value: code },
          ],
        }),
      ],
    });
    // The service's message is never quoted.
    expect(JSON.stringify(await deliver())).not.toContain('ECONNREFUSED 127.0.0.1');
  });

  it('throttling on PutMetricData: the metric failure is logged, the lines are delivered', async () => {
    cloudwatch.on(PutMetricDataCommand).rejects(serviceError('Throttling', 400));
    expect(await deliver()).toEqual([expect.objectContaining({ message: 'Metric delivery failed', reason: 'monitoring PutMetricData: Throttling (HTTP 400)' })]);
    expect(logs).toHaveReceivedCommand(PutLogEventsCommand);
  });

  it('a call that never answers is given up at the deadline', async () => {
    logs.on(PutLogEventsCommand).callsFake(() => new Promise(() => undefined));
    cloudwatch.on(PutMetricDataCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    const warnings = await deliver(REQUEST, VERDICT, 150);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(warnings).toEqual([
      expect.objectContaining({ message: 'Metric delivery failed', reason: 'monitoring PutMetricData: the time allowed ran out' }),
      expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: the time allowed ran out' }),
    ]);
  });

  it.each([
    ['not JSON nor encrypted', 'not json', 'the credentials are not JSON'],
    ['without a secret key', JSON.stringify({ accessKeyId: 'A' }), 'the credentials lack accessKeyId or secretAccessKey'],
    ['a number', 42, 'the credentials are not an object'],
  ])('credentials %s: delivery skipped, nothing sent', async (_name, rawCredentials, reason) => {
    expect(await deliver({ ...REQUEST, rawCredentials })).toEqual([expect.objectContaining({ message: 'Log and metric delivery skipped', reason })]);
    expect(everythingSent()).toBe('[]');
  });
});

describe('encrypted credentials (STS and KMS mocked)', () => {
  const fake = new FakeKms();
  const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/0b6f1a52-6c1e-4a0b-9a52-2f1d6a0e7d11';
  const encrypted = { keyArn: KEY_ARN, roleArn: 'arn:aws:iam::123456789012:role/hook-encryption' };
  const FUNCTION_ENV = { AWS_ACCESS_KEY_ID: 'AKIDFUNCTION', AWS_SECRET_ACCESS_KEY: 'function-secret', AWS_SESSION_TOKEN: 'function-token' };
  let message: string;
  beforeAll(async () => {
    const keyring = new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider: (() => fake.client) as never });
    const { result } = await buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).encrypt(keyring, JSON.stringify(OWNER));
    message = result.toString('base64');
  });
  beforeEach(() => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'role-secret', SessionToken: 'role-token', Expiration: new Date() } });
    kms.on(DecryptCommand).callsFake((input) => fake.decrypt(input));
  });

  async function deliverEncrypted(): Promise<Record<string, unknown>[]> {
    const platform: string[] = [];
    const delivery = new Delivery({ ...REQUEST, rawCredentials: message, encrypted }, new Logger((line) => platform.push(line)), Date.now() + 10_000, FUNCTION_ENV);
    delivery.record(JSON.stringify({ level: 'INFO', message: 'Answered' }));
    await delivery.finish(VERDICT, Date.now() + 2000);
    return platform.map((l) => JSON.parse(l));
  }

  it('assumes the role, decrypts, then delivers signed with the decrypted credentials', async () => {
    expect(await deliverEncrypted()).toEqual([]);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(kms).toHaveReceivedCommandTimes(DecryptCommand, 1);
    expect(logs).toHaveReceivedCommandTimes(PutLogEventsCommand, 1);
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    for (const client of [logs.call(0).thisValue, cloudwatch.call(0).thisValue] as (CloudWatchLogsClient | CloudWatchClient)[]) {
      expect(await client.config.credentials()).toMatchObject(OWNER);
    }
    // The calls, in the order the reading of the credentials needs them.
    expect(sts.call(0).calledBefore(kms.call(0))).toBe(true);
    expect(kms.call(0).calledBefore(logs.call(0))).toBe(true);
    expect(kms.call(0).calledBefore(cloudwatch.call(0))).toBe(true);
    expect(everythingSent()).not.toContain(OWNER.secretAccessKey);
  });

  it.each([
    ['STS denies the role', () => sts.on(AssumeRoleCommand).rejects(serviceError('AccessDenied', 403)), 'sts AssumeRole: AccessDenied (HTTP 403)'],
    ['KMS denies', () => kms.on(DecryptCommand).rejects(serviceError('AccessDeniedException', 400)), 'kms Decrypt: AccessDeniedException (HTTP 400)'],
  ])('%s: delivery skipped with the reason, nothing sent to logs or monitoring', async (_name, fail, reason) => {
    fail();
    expect(await deliverEncrypted()).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'Log and metric delivery skipped', reason: `the credentials could not be decrypted: ${reason}` }),
    ]);
    expect(logs.calls()).toHaveLength(0);
    expect(cloudwatch.calls()).toHaveLength(0);
  });
});

describe('per-invocation caps', () => {
  it(`keeps ${MAX_DELIVERED_LINES} lines of one invocation and counts the rest in a last line`, async () => {
    const delivery = new Delivery(REQUEST, new Logger(() => undefined), Date.now() + 10_000, {});
    for (let i = 0; i < 600; i++) delivery.record(JSON.stringify({ level: 'INFO', message: `line ${i}` }));
    await delivery.finish(VERDICT, Date.now() + 5_000);
    const events = logs.commandCalls(PutLogEventsCommand)[0]!.args[0].input.logEvents!;
    const messages = events.map((e) => JSON.parse(e.message!));
    expect(messages).toHaveLength(MAX_DELIVERED_LINES + 1);
    expect(messages[MAX_DELIVERED_LINES - 1]).toMatchObject({ message: `line ${MAX_DELIVERED_LINES - 1}` });
    expect(messages[MAX_DELIVERED_LINES]).toEqual({ level: 'WARN', message: 'Log lines dropped', dropped: 100 });
  });

  it('keeps at most 256 KiB of lines', async () => {
    const delivery = new Delivery(REQUEST, new Logger(() => undefined), Date.now() + 10_000, {});
    const big = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 5; i++) delivery.record(big);
    await delivery.finish(VERDICT, Date.now() + 5_000);
    const events = logs.commandCalls(PutLogEventsCommand)[0]!.args[0].input.logEvents!;
    expect(events.slice(0, -1).map((e) => e.message!.length)).toEqual([big.length, big.length]);
    expect(JSON.parse(events.at(-1)!.message!)).toEqual({ level: 'WARN', message: 'Log lines dropped', dropped: 3 });
  });
});

describe('names derived from the request', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it.each([
    ['a stack and a logical id', REQUEST, STREAM],
    ['no stack id', { ...REQUEST, stackId: undefined }, '123456789012/2026-11-28'],
    ['no stack id nor account', { ...REQUEST, stackId: undefined, awsAccountId: undefined }, 'unknown-account/2026-11-28'],
    ['a logical id with * and a control character', { ...REQUEST, targetLogicalId: 'A*b\u0007c' }, 'arn_aws_cloudformation_eu-west-1_123456789012_stack/web/1/A_b_c'],
    ['a non-ASCII logical id, cut at 512', { ...REQUEST, targetLogicalId: `é${'a'.repeat(600)}` }, `${STREAM.slice(0, -'/WebTask'.length)}/_${'a'.repeat(600)}`.slice(0, 512)],
  ])('stream for %s', (_name, request, stream) => {
    expect(logStreamName(request as DeliveryRequest, now)).toBe(stream);
  });

  it('namespaces metrics by account and type as the official runtimes do', () => {
    expect(metricNamespace(REQUEST)).toBe(NAMESPACE);
    expect(metricNamespace({ ...REQUEST, awsAccountId: 'not-an-account' })).toBe('AWS/CloudFormation/Guardrails/ECS/ReadonlyRootFilesystem');
    expect(metricNamespace({ ...REQUEST, hookTypeName: undefined })).toBe('AWS/CloudFormation/123456789012/Unknown');
  });
});
