/**
 * The edges of delivery (src/runtime/delivery.ts), its CloudWatch Logs and CloudWatch clients mocked:
 * the exact WARN line and reason of each way it is skipped or fails, the deadline every call carries,
 * the byte cap at its boundary, the names it derives. Encrypted credentials are read over real HTTP
 * from a stand-in STS and KMS on loopback, so that delivery overlaps the KMS round trip as it does in
 * Lambda: what happens when KMS denies, or has not answered by the deadline.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Delivery, logStreamName, metricNamespace, type Outcome } from '../../src/runtime/delivery';
import type { DeliveryRequest } from '../../src/runtime/delivery-request';
import { Logger } from '../../src/runtime/logger';
import { FakeKms, serviceError } from '../support/sdk-mocks';

const logs = mockClient(CloudWatchLogsClient);
const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => {
  for (const m of [logs, cloudwatch]) m.reset();
  logs.onAnyCommand().resolves({});
  cloudwatch.onAnyCommand().resolves({});
});
afterAll(() => {
  for (const m of [logs, cloudwatch]) m.restore();
});

const OWNER = { accessKeyId: 'AKIDOWNERCANARY', secretAccessKey: 'owner-secret-canary' };
const REQUEST: DeliveryRequest = {
  logGroupName: 'owner-logs',
  rawCredentials: JSON.stringify(OWNER),
  region: 'eu-west-1',
  awsAccountId: '123456789012',
  hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
  stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/web/1',
  targetLogicalId: 'WebTask',
};
const VERDICT: Outcome = { invocationPoint: 'CREATE_PRE_PROVISION', durationMs: 1, exceptionType: undefined };

/** A delivery with `lines` recorded, finished by `budgetMs`; the lines it wrote to the function's own log. */
async function deliver(options: { request?: DeliveryRequest; outcome?: Outcome; lines?: string[]; budgetMs?: number; hardMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const platform: string[] = [];
  const delivery = new Delivery(options.request ?? REQUEST, new Logger((line) => platform.push(line)), Date.now() + (options.hardMs ?? 10_000), options.env ?? {});
  for (const line of options.lines ?? ['{"level":"INFO","message":"Answered"}']) delivery.record(line);
  await delivery.finish(options.outcome ?? VERDICT, Date.now() + (options.budgetMs ?? 2000));
  return platform.map((l) => JSON.parse(l) as Record<string, unknown>);
}
const skipped = (reason: string) => [expect.objectContaining({ level: 'WARN', message: 'Log and metric delivery skipped', reason })];

describe('names', () => {
  const now = new Date('2026-11-29T10:00:00Z');
  it('a stack id without a logical id names the stream by account and date', () => {
    expect(logStreamName({ ...REQUEST, targetLogicalId: undefined }, now)).toBe('123456789012/2026-11-29');
  });

  it.each(['12345678901', '1234567890123', 'x123456789012', '123456789012x'])('an account id %j that is not 12 digits is left out of the namespace', (awsAccountId) => {
    expect(metricNamespace({ ...REQUEST, awsAccountId })).toBe('AWS/CloudFormation/Guardrails/ECS/ReadonlyRootFilesystem');
  });

  it('a long type name is cut at 200 characters in the namespace and 255 in the dimension; no type is Unknown', async () => {
    const hookTypeName = `A::B::${'c'.repeat(300)}`;
    expect(metricNamespace({ ...REQUEST, hookTypeName })).toBe(`AWS/CloudFormation/123456789012/${`A/B/${'c'.repeat(300)}`.slice(0, 200)}`);
    await deliver({ request: { ...REQUEST, hookTypeName } });
    await deliver({ request: { ...REQUEST, hookTypeName: undefined }, outcome: { ...VERDICT, invocationPoint: undefined } });
    const dimensions = cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData![0]!.Dimensions);
    expect(dimensions).toEqual([
      [
        { Name: 'DimensionKeyInvocationPointType', Value: 'CREATE_PRE_PROVISION' },
        { Name: 'DimensionKeyHookType', Value: hookTypeName.slice(0, 255) },
      ],
      [
        { Name: 'DimensionKeyInvocationPointType', Value: 'Unknown' },
        { Name: 'DimensionKeyHookType', Value: 'Unknown' },
      ],
    ]);
  });

  it('a character a namespace or a dimension may not hold becomes _ there', async () => {
    const hookTypeName = 'My Org::Sto*re::Ho\u00f6k';
    expect(metricNamespace({ ...REQUEST, hookTypeName })).toBe('AWS/CloudFormation/123456789012/My_Org/Sto_re/Ho_k');
    await deliver({ request: { ...REQUEST, hookTypeName } });
    const sent = cloudwatch.commandCalls(PutMetricDataCommand)[0]!.args[0].input;
    expect(sent.Namespace).toBe('AWS/CloudFormation/123456789012/My_Org/Sto_re/Ho_k');
    expect(sent.MetricData![0]!.Dimensions).toEqual([
      { Name: 'DimensionKeyInvocationPointType', Value: 'CREATE_PRE_PROVISION' },
      { Name: 'DimensionKeyHookType', Value: 'My Org::Sto*re::Ho_k' },
    ]);
  });
});

describe('what is sent', () => {
  it('nothing recorded: no log call, the metrics still', async () => {
    expect(await deliver({ lines: [] })).toEqual([]);
    expect(logs.calls()).toHaveLength(0);
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  });

  it('lines filling exactly 256 KiB (26 bytes of overhead each) are all kept; an empty line more is dropped', async () => {
    const line = 'x'.repeat(64 * 1024 - 26);
    await deliver({ lines: [line, line, line, line, ''] });
    const events = logs.commandCalls(PutLogEventsCommand)[0]!.args[0].input.logEvents!;
    expect(events.map((e) => e.message!.length).slice(0, -1)).toEqual([line.length, line.length, line.length, line.length]);
    expect(JSON.parse(events.at(-1)!.message!)).toEqual({ level: 'WARN', message: 'Log lines dropped', dropped: 1 });
  });

  it('every call carries the deadline, ended when delivery ends', async () => {
    logs.on(PutLogEventsCommand).rejectsOnce(serviceError('ResourceNotFoundException', 400)).resolves({});
    logs.on(CreateLogStreamCommand).rejectsOnce(serviceError('ResourceNotFoundException', 400)).resolves({});
    expect(await deliver()).toEqual([]);
    const calls = [...logs.calls(), ...cloudwatch.calls()];
    expect(calls.map((c) => c.args[0].constructor.name).sort()).toEqual(
      ['CreateLogGroupCommand', 'CreateLogStreamCommand', 'CreateLogStreamCommand', 'PutLogEventsCommand', 'PutLogEventsCommand', 'PutMetricDataCommand'].sort(),
    );
    for (const call of calls) expect((call.args as unknown[])[1]).toEqual({ abortSignal: expect.objectContaining({ aborted: true }) });
  });

  it.each([
    ['CreateLogStream', () => logs.on(CreateLogStreamCommand).rejects(serviceError('AccessDeniedException', 400)), 'logs CreateLogStream: AccessDeniedException (HTTP 400)'],
    [
      'CreateLogGroup',
      () => {
        logs.on(CreateLogStreamCommand).rejects(serviceError('ResourceNotFoundException', 400));
        logs.on(CreateLogGroupCommand).rejects(serviceError('AccessDeniedException', 400));
      },
      'logs CreateLogGroup: AccessDeniedException (HTTP 400)',
    ],
  ])('%s denied: the log failure names that call, and is counted by its code', async (name, fail, reason) => {
    logs.on(PutLogEventsCommand).rejects(serviceError('ResourceNotFoundException', 400));
    fail();
    expect(await deliver()).toEqual([expect.objectContaining({ level: 'WARN', message: 'Log delivery failed', reason })]);
    // A stream refused for another reason than a missing group is not followed by a group.
    expect(logs.calls().map((c) => c.args[0].constructor.name)).toEqual(
      name === 'CreateLogStream' ? ['PutLogEventsCommand', 'CreateLogStreamCommand'] : ['PutLogEventsCommand', 'CreateLogStreamCommand', 'CreateLogGroupCommand'],
    );
    expect(cloudwatch).toHaveReceivedNthCommandWith(2, PutMetricDataCommand, {
      Namespace: 'AWS/CloudFormation/123456789012/Guardrails/ECS/ReadonlyRootFilesystem',
      MetricData: [
        {
          MetricName: 'HandlerException',
          Unit: 'Count',
          Value: 1,
          Timestamp: expect.any(Date),
          Dimensions: [
            { Name: 'DimensionKeyInvocationPointType', Value: 'ProviderLogDelivery' },
            { Name: 'DimensionKeyHookType', Value: 'Guardrails::ECS::ReadonlyRootFilesystem' },
            { Name: 'DimensionKeyExceptionType', Value: 'AccessDeniedException' },
          ],
        },
      ],
    });
  });
});

describe('skipped', () => {
  it('a deadline already passed: skipped as out of time, nothing sent', async () => {
    expect(await deliver({ budgetMs: -1 })).toEqual(skipped('the time allowed for delivery ran out'));
    expect([...logs.calls(), ...cloudwatch.calls()]).toHaveLength(0);
  });

  it('an unexpected failure reading the credentials: skipped, its message not quoted', async () => {
    const rawCredentials = {
      get accessKeyId(): string {
        throw new Error('unexpected canary');
      },
    };
    expect(await deliver({ request: { ...REQUEST, rawCredentials } })).toEqual(skipped('delivery failed'));
    expect([...logs.calls(), ...cloudwatch.calls()]).toHaveLength(0);
  });
});

describe('encrypted credentials over real HTTP (stand-in STS and KMS)', () => {
  const fake = new FakeKms();
  const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/0b6f1a52-6c1e-4a0b-9a52-2f1d6a0e7d11';
  const encrypted = { keyArn: KEY_ARN, roleArn: 'arn:aws:iam::123456789012:role/hook-encryption' };
  const ENV = { AWS_ACCESS_KEY_ID: 'AKIDFUNCTION', AWS_SECRET_ACCESS_KEY: 'function-secret' };
  const STS_ANSWER =
    '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
    '<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken>' +
    '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>';
  let message: string;
  let server: Server | undefined;
  let mode: { sts: 'answer' | 'hang'; kms: 'answer' | 'deny' | 'hang' };
  let closedSts: Promise<void>;
  beforeAll(async () => {
    const keyring = new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider: (() => fake.client) as never });
    message = (await buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).encrypt(keyring, JSON.stringify(OWNER))).result.toString('base64');
  });
  /** Calls signed, as a real client signs them: only with the credentials in hand. */
  let signed = 0;
  beforeEach(async () => {
    signed = 0;
    const signing = async (getClient: () => CloudWatchLogsClient | CloudWatchClient): Promise<object> => {
      await getClient().config.credentials();
      signed += 1;
      return {};
    };
    logs.onAnyCommand().callsFake((_input: unknown, getClient: () => CloudWatchLogsClient) => signing(getClient));
    cloudwatch.onAnyCommand().callsFake((_input: unknown, getClient: () => CloudWatchClient) => signing(getClient));
    let stsClosed: () => void = () => undefined;
    closedSts = new Promise<void>((resolve) => (stsClosed = resolve));
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.headers['x-amz-target'] === undefined) {
          req.socket.once('close', () => stsClosed());
          if (mode.sts === 'answer') res.writeHead(200, { 'content-type': 'text/xml' }).end(STS_ANSWER);
          return;
        }
        if (mode.kms === 'hang') return;
        if (mode.kms === 'deny') {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'AccessDeniedException' }));
          return;
        }
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { KeyId: string; CiphertextBlob: string; EncryptionContext?: Record<string, string> };
        const out = fake.decrypt({ ...input, CiphertextBlob: Buffer.from(input.CiphertextBlob, 'base64') });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ KeyId: out.KeyId, Plaintext: Buffer.from(out.Plaintext).toString('base64') }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.AWS_ENDPOINT_URL_KMS = process.env.AWS_ENDPOINT_URL_STS;
  });
  afterEach(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    delete process.env.AWS_ENDPOINT_URL_KMS;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  const deliverEncrypted = (budgetMs = 2000, hardMs = 10_000) => deliver({ request: { ...REQUEST, rawCredentials: message, encrypted }, env: ENV, budgetMs, hardMs });

  it('decrypted in time: delivered, signed with the decrypted credentials', async () => {
    mode = { sts: 'answer', kms: 'answer' };
    expect(await deliverEncrypted()).toEqual([]);
    expect(await (logs.call(0).thisValue as CloudWatchLogsClient).config.credentials()).toMatchObject(OWNER);
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(signed).toBe(2);
  });

  // The calls are set up while the Decrypt round trip is in flight; none can be signed without its answer.
  it('KMS denies once the request is on its way: skipped with the KMS reason, nothing signed', async () => {
    mode = { sts: 'answer', kms: 'deny' };
    expect(await deliverEncrypted()).toEqual(skipped('the credentials could not be decrypted: kms Decrypt: AccessDeniedException (HTTP 400)'));
    expect(signed).toBe(0);
  });

  it('KMS has not answered by the deadline: skipped as out of time, nothing signed', async () => {
    mode = { sts: 'answer', kms: 'hang' };
    expect(await deliverEncrypted(300)).toEqual(skipped('the time allowed for delivery ran out'));
    expect(signed).toBe(0);
  });

  it('STS has not answered by the deadline: skipped then, and the role request is closed', async () => {
    mode = { sts: 'hang', kms: 'answer' };
    const started = Date.now();
    expect(await deliverEncrypted(300, 5000)).toEqual(skipped('the time allowed for delivery ran out'));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await Promise.race([closedSts.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 1000))])).toBe('closed');
  });
});
