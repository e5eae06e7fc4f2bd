/**
 * The runtime's AWS client on its own: endpoints, Signature V4 checked by an independent signer (the
 * one the AWS SDK for JavaScript v3 uses), error codes as each protocol spells them, bounded exchanges.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsError, callJson, callQuery, endpointFor, xmlField } from '../../src/runtime/aws/client';
import { HttpError, send } from '../../src/runtime/aws/http';
import { type FaultServer, faults, faultServer } from '../support/fault-server';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret', sessionToken: 'test-session' };

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('endpoints', () => {
  it('follows the SDK convention: service variable, then AWS_ENDPOINT_URL, then the regional endpoint', () => {
    expect(endpointFor('logs', 'eu-west-1', {}).href).toBe('https://logs.eu-west-1.amazonaws.com/');
    expect(endpointFor('kms', 'cn-north-1', {}).href).toBe('https://kms.cn-north-1.amazonaws.com.cn/');
    expect(endpointFor('monitoring', 'us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }).href).toBe('http://127.0.0.1:4566/');
    expect(
      endpointFor('monitoring', 'us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_CLOUDWATCH: 'http://127.0.0.1:5000' }).href,
    ).toBe('http://127.0.0.1:5000/');
    expect(endpointFor('logs', 'us-east-1', { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://127.0.0.1:6000' }).href).toBe('http://127.0.0.1:6000/');
  });
});

describe('Signature V4', () => {
  async function captured(handler = faults.json({})): Promise<{ headers: Record<string, string>; body: string }[]> {
    const seen: { headers: Record<string, string>; body: string }[] = [];
    server = await faultServer((req, res, body) => {
      seen.push({ headers: req.headers as Record<string, string>, body });
      handler(req, res, body);
    });
    return seen;
  }

  async function verify(entry: { headers: Record<string, string>; body: string }, service: string): Promise<void> {
    const authorization = entry.headers.authorization!;
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
    const headers = Object.fromEntries(signedHeaders.map((h) => [h, entry.headers[h]!]));
    const amzDate = entry.headers['x-amz-date']!;
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const signer = new SignatureV4({ service, region: 'us-east-1', credentials: CREDENTIALS, sha256: Sha256, applyChecksum: false });
    const url = new URL(server!.url);
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers, body: entry.body },
      { signingDate },
    );
    expect(authorization).toBe(signed.headers.authorization);
    expect(entry.headers['x-amz-security-token']).toBe('test-session');
  }

  it('signs JSON protocol calls (CloudWatch Logs) as the AWS SDK does', async () => {
    const seen = await captured();
    const signal = AbortSignal.timeout(5000);
    await callJson('logs', 'Logs_20140328.PutLogEvents', { logGroupName: 'g', logStreamName: 's/1', logEvents: [{ timestamp: 1, message: 'ü ✓' }] }, {
      region: 'us-east-1',
      credentials: CREDENTIALS,
      signal,
      env: { AWS_ENDPOINT_URL: server!.url },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers['x-amz-target']).toBe('Logs_20140328.PutLogEvents');
    await verify(seen[0]!, 'logs');
  });

  it('signs query protocol calls (CloudWatch) as the AWS SDK does', async () => {
    const seen = await captured((_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<PutMetricDataResponse/>'));
    await callQuery('monitoring', { Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'AWS/CloudFormation/1/A/B/C', 'MetricData.member.1.MetricName': 'X' }, {
      region: 'us-east-1',
      credentials: CREDENTIALS,
      signal: AbortSignal.timeout(5000),
      env: { AWS_ENDPOINT_URL: server!.url },
    });
    await verify(seen[0]!, 'monitoring');
  });
});

describe('error answers', () => {
  async function errorOf(handler: Parameters<typeof faultServer>[0]): Promise<AwsError> {
    server = await faultServer(handler);
    const error = await callJson('kms', 'TrentService.Decrypt', {}, {
      region: 'us-east-1',
      credentials: CREDENTIALS,
      signal: AbortSignal.timeout(5000),
      env: { AWS_ENDPOINT_URL: server.url },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    return error as AwsError;
  }

  it.each([
    ['the x-amzn-errortype header', (_q: unknown, res: any) => res.writeHead(400, { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/' }).end('{}'), 'AccessDeniedException'],
    ['a namespaced __type', (_q: unknown, res: any) => res.writeHead(400).end('{"__type":"com.amazonaws.kms#NotFoundException","message":"x"}'), 'NotFoundException'],
    ['an XML Code', (_q: unknown, res: any) => res.writeHead(403).end('<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>'), 'InvalidClientTokenId'],
    ['a code that is not a name', (_q: unknown, res: any) => res.writeHead(400).end('{"__type":"<script>alert(1)</script>"}'), 'UnknownError'],
  ])('reads the code from %s, and never the message', async (_name, handler, code) => {
    const error = await errorOf(handler as never);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(new RegExp(`^kms Decrypt: ${code} \\(HTTP \\d{3}\\)$`));
  });
});

describe('bounded exchanges', () => {
  it('refuses a body over the cap while it arrives', async () => {
    server = await faultServer(faults.huge(2 * 1024 * 1024));
    await expect(send({ url: new URL(server.url), method: 'GET' }, { signal: AbortSignal.timeout(5000), maxBytes: 1024 * 1024 })).rejects.toMatchObject({
      kind: 'too-large',
    });
  });

  it('detects a body shorter than its declared length', async () => {
    server = await faultServer(faults.truncate('{"a":'));
    await expect(send({ url: new URL(server.url), method: 'GET' }, { signal: AbortSignal.timeout(5000), maxBytes: 1024 })).rejects.toMatchObject({
      kind: 'truncated',
    });
  });

  it('rejects at once when the deadline has passed, sending nothing', async () => {
    server = await faultServer(faults.json({}));
    await expect(send({ url: new URL(server.url), method: 'GET' }, { signal: AbortSignal.abort(), maxBytes: 1024 })).rejects.toBeInstanceOf(HttpError);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses schemes other than http and https', async () => {
    await expect(send({ url: new URL('file:///etc/passwd'), method: 'GET' }, { signal: AbortSignal.timeout(1000), maxBytes: 1024 })).rejects.toMatchObject({
      kind: 'network',
    });
  });
});

describe('xmlField', () => {
  it('reads the first element of that name, and nothing when it is absent or unclosed', () => {
    const xml = '<AssumeRoleResponse><Credentials><AccessKeyId> AKID </AccessKeyId><SessionToken>t</SessionToken></Credentials></AssumeRoleResponse>';
    expect(xmlField(xml, 'AccessKeyId')).toBe('AKID');
    expect(xmlField(xml, 'SecretAccessKey')).toBeUndefined();
    expect(xmlField('<A>open', 'A')).toBeUndefined();
  });
});
