/**
 * The delivery unit on its own (sources): the per-invocation caps that no single verdict reaches
 * through the entrypoint, and the names it derives from the request.
 */
import { Delivery, logStreamName, MAX_DELIVERED_LINES, metricNamespace } from '../../src/runtime/delivery';
import type { DeliveryRequest } from '../../src/runtime/delivery-request';
import { Logger } from '../../src/runtime/logger';
import { faultServersForEachTest } from '../support/lifecycle';

const servers = faultServersForEachTest();

const REQUEST: DeliveryRequest = {
  logGroupName: 'owner-logs',
  rawCredentials: JSON.stringify({ accessKeyId: 'AKID', secretAccessKey: 'secret' }),
  region: 'us-east-1',
  awsAccountId: '123456789012',
  hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/web/1',
  targetLogicalId: 'WebTask',
};

it(`keeps ${MAX_DELIVERED_LINES} lines of one invocation and counts the rest in a last line`, async () => {
  const batches: { logEvents: { message: string }[] }[] = [];
  const server = await servers.serve((req, res, body) => {
    if (req.headers['x-amz-target'] === 'Logs_20140328.PutLogEvents') batches.push(JSON.parse(body));
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
  });
  const platform: string[] = [];
  const delivery = new Delivery(REQUEST, new Logger((line) => platform.push(line)), Date.now() + 10_000, { AWS_ENDPOINT_URL: server.url });
  for (let i = 0; i < 600; i++) delivery.record(JSON.stringify({ level: 'INFO', message: `line ${i}` }));
  await delivery.finish({ invocationPoint: 'CREATE_PRE_PROVISION', durationMs: 1, exceptionType: undefined }, Date.now() + 5_000);
  expect(platform).toEqual([]);
  expect(batches).toHaveLength(1);
  const messages = batches[0]!.logEvents.map((e) => JSON.parse(e.message));
  expect(messages).toHaveLength(MAX_DELIVERED_LINES + 1);
  expect(messages[MAX_DELIVERED_LINES - 1]).toMatchObject({ message: `line ${MAX_DELIVERED_LINES - 1}` });
  expect(messages[MAX_DELIVERED_LINES]).toEqual({ level: 'WARN', message: 'Log lines dropped', dropped: 100 });
});

it('keeps at most 256 KiB of lines', async () => {
  const batches: { logEvents: { message: string }[] }[] = [];
  const server = await servers.serve((req, res, body) => {
    if (req.headers['x-amz-target'] === 'Logs_20140328.PutLogEvents') batches.push(JSON.parse(body));
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
  });
  const delivery = new Delivery(REQUEST, new Logger(() => undefined), Date.now() + 10_000, { AWS_ENDPOINT_URL: server.url });
  const big = 'x'.repeat(100 * 1024);
  for (let i = 0; i < 5; i++) delivery.record(big);
  await delivery.finish({ invocationPoint: 'CREATE_PRE_PROVISION', durationMs: 1, exceptionType: undefined }, Date.now() + 5_000);
  const events = batches[0]!.logEvents;
  expect(events.slice(0, -1).map((e) => e.message.length)).toEqual([big.length, big.length]);
  expect(JSON.parse(events.at(-1)!.message)).toEqual({ level: 'WARN', message: 'Log lines dropped', dropped: 3 });
});

describe('names derived from the request', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it.each([
    ['a stack and a logical id', REQUEST, 'arn_aws_cloudformation_us-east-1_123456789012_stack/web/1/WebTask'],
    ['no stack id', { ...REQUEST, stackId: undefined }, '123456789012/2026-11-28'],
    ['no stack id nor account', { ...REQUEST, stackId: undefined, awsAccountId: undefined }, 'unknown-account/2026-11-28'],
    ['a logical id with * and a control character', { ...REQUEST, targetLogicalId: 'A*b\u0007c' }, 'arn_aws_cloudformation_us-east-1_123456789012_stack/web/1/A_b_c'],
  ])('stream for %s', (_name, request, stream) => {
    expect(logStreamName(request as DeliveryRequest, now)).toBe(stream);
  });

  it('namespaces metrics by account and type as the official runtimes do', () => {
    expect(metricNamespace(REQUEST)).toBe('AWS/CloudFormation/123456789012/Guardrails/ECS/ReadonlyRootFilesystem');
    expect(metricNamespace({ ...REQUEST, awsAccountId: 'not-an-account' })).toBe('AWS/CloudFormation/Guardrails/ECS/ReadonlyRootFilesystem');
    expect(metricNamespace({ ...REQUEST, hookTypeName: undefined })).toBe('AWS/CloudFormation/123456789012/Unknown');
  });
});
