/**
 * Faults: log, metric, STS and KMS endpoints that refuse, throttle, hang, fail or answer garbage, met
 * by the AWS SDK clients of the built hook, each invocation in its own Node.js process as in Lambda.
 * The answer CloudFormation gets is always the policy's verdict; delivery gives up within its budget
 * (bounded attempts, abandoned connections) and says why in the function's own log only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKey, encryptCredentials, hookEnv } from '../support/aws';
import { type ChildRun, invokeInChild } from '../support/child-hook';
import { type FaultHandler, faults, type FaultServer, refusingUrl } from '../support/fault-server';
import { faultServersForEachTest, motoForSuite } from '../support/lifecycle';

type Answer = Record<string, unknown>;
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint };

const PLAIN_CREDENTIALS = JSON.stringify({ accessKeyId: 'AKIDOWNER', secretAccessKey: 'owner-secret', sessionToken: 'owner-token' });

function request(mutate: (r: Record<string, any>) => void = () => undefined): Record<string, any> {
  const r = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', 'create.json'), 'utf8'));
  r.requestData.providerCredentials = PLAIN_CREDENTIALS;
  mutate(r);
  return r;
}

let expected: Answer;
beforeAll(async () => {
  const copy = request();
  delete copy.requestData.providerLogGroupName;
  const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  expected = await bundle.entrypoint(copy);
  quiet.mockRestore();
});
const servers = faultServersForEachTest();
let server: FaultServer | undefined;
let run: ChildRun | undefined;

function warnings(): Record<string, unknown>[] {
  return run!.lines.filter((l) => l.level === 'WARN');
}

/** One invocation in its own process, with `env` as the function's; its output is kept for warnings(). */
async function invokeWith(env: Record<string, string>, remainingMs = 30_000, event = request()): Promise<Answer> {
  run = await invokeInChild(event, env, remainingMs, 'fault-run');
  // The hook writes nothing but its log lines: no SDK warning, no stack trace.
  expect(run.stderr).toBe('');
  return run.answer;
}

function invokeAgainst(endpoint: string, remainingMs = 30_000, event = request()): Promise<Answer> {
  return invokeWith(hookEnv(endpoint), remainingMs, event);
}

const PUT_LOG_EVENTS = 'Logs_20140328.PutLogEvents';
const PUT_METRIC_DATA = 'GraniteServiceVersion20100801.PutMetricData';

async function serve(handler: FaultHandler): Promise<FaultServer> {
  server = await servers.serve(handler);
  return server;
}

describe('log and metric endpoints at fault: the verdict stands', () => {
  it('refused connections: both deliveries fail after bounded retries', async () => {
    const answer = await invokeAgainst(await refusingUrl());
    expect(answer).toEqual(expected);
    expect(warnings()).toEqual([
      expect.objectContaining({ message: 'Metric delivery failed', reason: 'monitoring PutMetricData: the connection failed (ECONNREFUSED)' }),
      expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: the connection failed (ECONNREFUSED)' }),
    ]);
  });

  it('throttling: each call is tried at most three times, then given up', async () => {
    const s = await serve(faults.throttle());
    expect(await invokeAgainst(s.url)).toEqual(expected);
    const count = (op: string): number => s.requests.filter((r) => r === op).length;
    expect(count(PUT_LOG_EVENTS)).toBe(3);
    // Two rounds of three: the invocation's metrics, then the log-delivery failure metric.
    expect(count(PUT_METRIC_DATA)).toBe(6);
    expect(warnings()).toEqual([
      expect.objectContaining({ message: 'Metric delivery failed', reason: 'monitoring PutMetricData: ThrottlingException (HTTP 400)' }),
      expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: ThrottlingException (HTTP 400)' }),
    ]);
  });

  it('5xx answers are retried like throttling, then given up', async () => {
    const s = await serve(faults.status(503));
    expect(await invokeAgainst(s.url)).toEqual(expected);
    expect(s.requests.filter((r) => r === PUT_LOG_EVENTS)).toHaveLength(3);
    expect(warnings()).toContainEqual(expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: UnknownError (HTTP 503)' }));
  });

  it('a hanging endpoint: delivery abandons its connections at its deadline', async () => {
    const s = await serve(faults.hang());
    // 3 s left: the answer reserve leaves 2.5 s, inside the 2 s delivery budget's reach.
    expect(await invokeAgainst(s.url, 3_000)).toEqual(expected);
    // Each attempt is given up after its own timeout (1.5 s) or at the deadline; none is answered.
    const count = (op: string): number => s.requests.filter((r) => r === op).length;
    expect([count(PUT_LOG_EVENTS), count(PUT_METRIC_DATA)]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(count(PUT_LOG_EVENTS)).toBeGreaterThanOrEqual(1);
    expect(count(PUT_LOG_EVENTS)).toBeLessThanOrEqual(2);
    expect(count(PUT_METRIC_DATA)).toBeGreaterThanOrEqual(1);
    expect(count(PUT_METRIC_DATA)).toBeLessThanOrEqual(2);
    expect(s.requests.length).toBe(count(PUT_LOG_EVENTS) + count(PUT_METRIC_DATA));
    // The process has exited: every connection it opened is closed; give the server a moment to see it.
    await new Promise((r) => setTimeout(r, 100));
    expect(s.abandoned).toBe(s.requests.length);
    expect(warnings()).toEqual([
      expect.objectContaining({ message: 'Metric delivery failed', reason: 'monitoring PutMetricData: the time allowed ran out' }),
      expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: the time allowed ran out' }),
    ]);
  });

  it('garbage answers: the log call fails as unreadable, nothing is retried forever', async () => {
    const s = await serve(faults.garbage());
    expect(await invokeAgainst(s.url)).toEqual(expected);
    expect(s.requests.filter((r) => r === PUT_LOG_EVENTS)).toHaveLength(1);
    expect(warnings()).toContainEqual(expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: the answer could not be read' }));
  });

  it('truncated answers count as broken connections: retried, then given up', async () => {
    const s = await serve(faults.truncate('{"nextSequenceToken":'));
    expect(await invokeAgainst(s.url)).toEqual(expected);
    expect(s.requests.filter((r) => r === PUT_LOG_EVENTS)).toHaveLength(3);
    expect(warnings()).toContainEqual(
      // The SDK reads a body cut short as a reset connection.
      expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: the connection failed (ECONNRESET)' }),
    );
  });

  it('access denied: not retried', async () => {
    const s = await serve(faults.json({ __type: 'AccessDeniedException', message: 'no' }, 400));
    expect(await invokeAgainst(s.url)).toEqual(expected);
    expect(s.requests.filter((r) => r === PUT_LOG_EVENTS)).toHaveLength(1);
    expect(warnings()).toContainEqual(expect.objectContaining({ message: 'Log delivery failed', reason: 'logs PutLogEvents: AccessDeniedException (HTTP 400)' }));
  });

  it('an invocation with almost no time left answers without waiting for delivery', async () => {
    const s = await serve(faults.hang());
    // 400 ms left is less than the answer reserve: delivery's deadline has already passed.
    expect(await invokeAgainst(s.url, 400)).toEqual(expected);
    expect(warnings()).toEqual([expect.objectContaining({ message: 'Log and metric delivery skipped', reason: 'the time allowed for delivery ran out' })]);
  });
});

describe('credential decryption at fault (STS and KMS): delivery is skipped, the verdict stands', () => {
  const moto = motoForSuite();
  let keyArn: string;
  let encrypted: string;
  beforeAll(async () => {
    keyArn = await createKey(moto().endpoint);
    encrypted = await encryptCredentials(moto().endpoint, keyArn, PLAIN_CREDENTIALS);
  }, 60_000);

  function encryptedRequest(): Record<string, any> {
    return request((r) => {
      r.requestData.providerCredentials = encrypted;
      r.requestData.hookEncryptionKeyArn = keyArn;
      r.requestData.hookEncryptionKeyRole = 'arn:aws:iam::123456789012:role/hook-encryption';
    });
  }

  it.each([
    ['STS refuses', 'STS', 'refuse', 'sts AssumeRole: the connection failed (ECONNREFUSED)'],
    ['STS throttles', 'STS', 'throttle', 'sts AssumeRole: Throttling (HTTP 400)'],
    ['STS hangs', 'STS', 'hang', 'the time allowed for delivery ran out'],
    ['KMS answers garbage', 'KMS', 'garbage', 'kms Decrypt: the answer could not be read'],
    ['KMS denies', 'KMS', 'deny', 'kms Decrypt: AccessDeniedException (HTTP 400)'],
    ['KMS hangs', 'KMS', 'hang', 'the time allowed for delivery ran out'],
  ])('%s', async (_name, service, fault, reason) => {
    let url: string;
    if (fault === 'refuse') url = await refusingUrl();
    else {
      const handler =
        fault === 'throttle' ? faults.throttle() : fault === 'hang' ? faults.hang() : fault === 'garbage' ? faults.garbage() : faults.json({ __type: 'AccessDeniedException' }, 400);
      url = (await serve(handler)).url;
    }
    // The log and metric calls are set up while KMS is asked and wait for its credentials to be signed:
    // without them, none of them may reach the owner's endpoints.
    const owner = await servers.serve(faults.json({}, 200));
    const env = {
      ...hookEnv(moto().endpoint),
      [`AWS_ENDPOINT_URL_${service}`]: url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: owner.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: owner.url,
    };
    const answer = await invokeWith(env, 3_000, encryptedRequest());
    expect(answer).toEqual(expected);
    expect(warnings()).toEqual([expect.objectContaining({ message: 'Log and metric delivery skipped', reason: reason.startsWith('the time') ? reason : `the credentials could not be decrypted: ${reason}` })]);
    expect(owner.requests).toEqual([]);
  });

  it('decrypted credentials: the log and metric calls reach the owner endpoints signed with them', async () => {
    const owner = await servers.serve(faults.json({}, 200));
    const seen: string[] = [];
    const recording = await servers.serve((req, res) => {
      seen.push(String(req.headers.authorization ?? ''));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
    });
    const env = { ...hookEnv(moto().endpoint), AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: recording.url, AWS_ENDPOINT_URL_CLOUDWATCH: owner.url };
    expect(await invokeWith(env, 30_000, encryptedRequest())).toEqual(expected);
    expect(warnings()).toEqual([]);
    // (A retry on a loaded machine would repeat a call, never change what it is.)
    expect(new Set(owner.requests)).toEqual(new Set([PUT_METRIC_DATA]));
    // The owner's key id (decrypted from the message), not the function's nor the role's.
    expect(new Set(seen.map((a) => /Credential=([^/]+)\//.exec(a)?.[1]))).toEqual(new Set(['AKIDOWNER']));
  });
});

describe('hostile identifiers in the request cannot steer delivery', () => {
  it('keeps the endpoint, stream name, namespace and dimensions within what the services accept', async () => {
    const seen: { host: string; target: string; body: string; authorization: string }[] = [];
    const s = await serve((req, res, body) => {
      seen.push({ host: req.headers.host ?? '', target: String(req.headers['x-amz-target'] ?? ''), body, authorization: req.headers.authorization ?? '' });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
    });
    const hostile = `x:y*z\n\u202e\u0000${'a'.repeat(2000)}`;
    const event = request((r) => {
      r.region = 'evil.example.com/x';
      r.stackId = `arn:aws:cloudformation:us-east-1:1:stack/${hostile}`;
      r.requestData.targetLogicalId = hostile;
      r.hookTypeName = `Guardrails::${hostile}`;
      r.awsAccountId = '12345/../../x';
    });
    // The region comes from the function's environment first; neither it nor the request's is used unless it is a region name.
    const answer = await invokeWith({ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: s.url, AWS_ENDPOINT_URL_CLOUDWATCH: s.url, AWS_REGION: 'not a region' }, 30_000, event);
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(warnings()).toEqual([]);
    expect(new Set(seen.map((x) => x.host))).toEqual(new Set([new URL(s.url).host]));
    const logs = JSON.parse(seen.find((x) => x.target === PUT_LOG_EVENTS)!.body);
    expect(logs.logStreamName.length).toBeLessThanOrEqual(512);
    expect(logs.logStreamName).toMatch(/^[\x20-\x7e]+$/);
    expect(logs.logStreamName).not.toMatch(/[:*]/);
    const metric = JSON.parse(seen.find((x) => x.target === PUT_METRIC_DATA)!.body) as { Namespace: string; MetricData: { Dimensions: { Value: string }[] }[] };
    expect(metric.Namespace).toMatch(/^AWS\/CloudFormation\/Guardrails\/[\w.\-/#]{1,200}$/);
    // The signature's scope names the region the hook fell back to, not the request's.
    expect(seen.map((x) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(x.authorization)?.[1])).toEqual(seen.map(() => 'us-east-1'));
    for (const datum of metric.MetricData) {
      for (const dimension of datum.Dimensions) expect(dimension.Value).toMatch(/^[\x20-\x7e]{1,255}$/);
    }
  });
});
