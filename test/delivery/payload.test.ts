/**
 * Remote payloads: a target model CloudFormation leaves in S3 behind a presigned URL. Read from moto's
 * S3, the verdict is the one the inline request gets; every fault fails closed with the documented
 * error code and message, in bounded attempts, and the URL (which carries a signature) is never shown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookEnv, withEnv } from '../support/aws';
import { type FaultHandler, faults, type FaultServer, refusingUrl } from '../support/fault-server';
import { faultServersForEachTest, lambdaContext, motoForSuite, stdoutOfEachTest } from '../support/lifecycle';
import { unique } from '../support/moto';
import { presignedObject } from '../support/s3-presign';

type Answer = Record<string, unknown>;
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint };

const TOKEN = '4b90a7e4-b790-456b-a937-0cfdfa211dfe';
const TAIL = ". Deploy again; if it persists, the hook's owner will find details in its logs.";
const LEAD = "The hook could not read the target's properties from the payload CloudFormation sent: ";

function fixture(): Record<string, any> {
  const r = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', 'create.json'), 'utf8'));
  delete r.requestData.providerLogGroupName;
  return r;
}

/** The fixture with its target model moved behind `url`, as CloudFormation sends a large one. */
function remote(url: string, mutate: (r: Record<string, any>) => void = () => undefined): Record<string, any> {
  const r = fixture();
  mutate(r);
  r.requestData.targetModel = {};
  r.requestData.payload = url;
  return r;
}

function failed(errorCode: string, reason: string): Answer {
  return { hookStatus: 'FAILED', errorCode, message: `${LEAD}${reason}${TAIL}`, clientRequestToken: TOKEN, callbackDelaySeconds: 0 };
}

const moto = motoForSuite();
const output = stdoutOfEachTest();
const servers = faultServersForEachTest();
let server: FaultServer | undefined;

async function serve(handler: FaultHandler): Promise<string> {
  server = await servers.serve(handler);
  return `${server.url}/payload/target-model.json?X-Amz-Signature=signature-canary-91d2`;
}

describe('a payload in S3 (moto): the verdict equals the inline request', () => {
  const cases: [string, (r: Record<string, any>) => void][] = [
    ['non-compliant create', () => undefined],
    ['compliant create', (r) => r.requestData.targetModel.resourceProperties.ContainerDefinitions.forEach((c: any) => (c.ReadonlyRootFilesystem = 'true'))],
    ['exempted by configuration', (r) => (r.hookModel = { ExemptContainerNames: ['app', 'sidecar'] })],
    [
      'update that turns the flag off',
      (r) => {
        r.actionInvocationPoint = 'UPDATE_PRE_PROVISION';
        const previous = JSON.parse(JSON.stringify(r.requestData.targetModel.resourceProperties));
        previous.ContainerDefinitions.forEach((c: any) => (c.ReadonlyRootFilesystem = 'true'));
        r.requestData.targetModel.previousResourceProperties = previous;
      },
    ],
  ];
  it.each(cases)('%s', async (name, mutate) => {
    const inline = fixture();
    mutate(inline);
    const url = await presignedObject(moto().endpoint, unique('cfn-hook-payloads'), `${name.replace(/\W/g, '-')}.json`, JSON.stringify(inline.requestData.targetModel));
    const answer = await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(remote(url, mutate)));
    expect(answer).toEqual(await bundle.entrypoint(inline));
    expect(output().join('')).not.toContain('X-Amz-Signature');
  });

  it('a missing object (HTTP 404 from S3): InvalidRequest, fail closed', async () => {
    const bucket = unique('cfn-hook-payloads');
    await presignedObject(moto().endpoint, bucket, 'x.json', '{}');
    const url = `${moto().endpoint}/${bucket}/missing-key.json`;
    const answer = await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(remote(url)));
    expect(answer).toEqual(failed('InvalidRequest', 'the storage service answered HTTP 404'));
  });
});

describe('stack and change-set payloads in S3 (moto), presigned with AWS SDK v3', () => {
  const template = [
    'Resources:',
    '  Web:',
    '    Type: AWS::ECS::TaskDefinition',
    '    Properties:',
    '      ContainerDefinitions:',
    '        - Name: app',
    '          Image: nginx',
    '        - Name: proxy',
    '          ReadonlyRootFilesystem: true',
    '',
  ].join('\n');
  const whole = (targetName: string, url: string): Record<string, any> => {
    const r = fixture();
    r.requestData = { targetName, targetType: targetName, targetLogicalId: targetName === 'STACK' ? 'web' : 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1', targetModel: {}, payload: url };
    return r;
  };

  it('a stack: the template read from S3 and judged', async () => {
    const url = await presignedObject(moto().endpoint, unique('cfn-hook-payloads'), 'stack.json', JSON.stringify({ template, previousTemplate: '' }));
    expect(url).toContain('X-Amz-Signature=');
    const answer = await bundle.entrypoint(whole('STACK', url));
    expect(answer).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message: "Stack 'web': 1 container in 1 task definition can write to its root filesystem: 'Web/app' (ReadonlyRootFilesystem missing). Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.",
    });
    expect(output().join('')).not.toContain('X-Amz-Signature');
    expect(output().join('')).not.toContain('X-Amz-Credential');
  });

  it('a compliant change set: CHANGE_SET_SUCCESS_SKIP_STACK_HOOK', async () => {
    const afterContext = JSON.stringify({ Properties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }] } });
    const body = { template, changedResources: [{ action: 'CREATE', logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', lineNumber: 2, beforeContext: null, afterContext }] };
    const url = await presignedObject(moto().endpoint, unique('cfn-hook-payloads'), 'change-set.json', JSON.stringify(body));
    expect(await bundle.entrypoint(whole('CHANGE_SET', url))).toMatchObject({ hookStatus: 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK' });
  });
});

describe('a payload URL at fault: fail closed, bounded', () => {
  it('HTTP 403 (expired signature): AccessDenied, not retried', async () => {
    const url = await serve(faults.status(403));
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('AccessDenied', 'the payload URL was refused (HTTP 403: expired or not signed for this function)'));
    expect(server!.requests).toHaveLength(1);
  });

  it.each([500, 502, 503, 504])('HTTP %i every time: ServiceInternalError after 3 retries', async (status) => {
    const url = await serve(faults.status(status));
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('ServiceInternalError', `the storage service answered HTTP ${status} (4 attempts)`));
    expect(server!.requests).toHaveLength(4);
  });

  it('HTTP 503 twice, then the payload: judged as the inline request', async () => {
    let calls = 0;
    const body = JSON.stringify(fixture().requestData.targetModel);
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls <= 2) res.writeHead(503).end('slow down');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    expect(await bundle.entrypoint(remote(url))).toEqual(await bundle.entrypoint(fixture()));
    expect(server!.requests).toHaveLength(3);
  });

  it('an attempt that hangs is given up after 10 s and retried: the second attempt is judged', async () => {
    let calls = 0;
    const body = JSON.stringify(fixture().requestData.targetModel);
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls > 1) res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const started = Date.now();
    expect(await bundle.entrypoint(remote(url))).toEqual(await bundle.entrypoint(fixture()));
    expect(server!.requests).toHaveLength(2);
    expect(server!.abandoned).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
  }, 30_000);

  it('HTTP 501 (not a retried status): ServiceInternalError at once', async () => {
    const url = await serve(faults.status(501));
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('ServiceInternalError', 'the storage service answered HTTP 501'));
    expect(server!.requests).toHaveLength(1);
  });

  it('a truncated body every time: NetworkFailure after 3 retries', async () => {
    const url = await serve(faults.truncate());
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('NetworkFailure', 'the connection closed before all of it arrived (4 attempts)'));
    expect(server!.requests).toHaveLength(4);
  });

  it('a redirect: InvalidRequest, not followed', async () => {
    const target = await servers.serve(faults.json(fixture().requestData.targetModel));
    const url = await serve((_req, res) => res.writeHead(307, { location: `${target.url}/elsewhere` }).end());
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('InvalidRequest', 'the storage service answered a redirect (HTTP 307), which the hook does not follow'));
    expect(target.requests).toHaveLength(0);
  });

  it('a hanging server: NetworkFailure at the deadline, the connection abandoned', async () => {
    const url = await serve(faults.hang());
    // 2.5 s left: the payload may use what the 0.5 s answer reserve leaves.
    expect(await bundle.entrypoint(remote(url), lambdaContext(2_500, 'payload-run'))).toEqual(failed('NetworkFailure', 'reading it took longer than the time allowed'));
    await new Promise((r) => setTimeout(r, 100));
    expect(server!.abandoned).toBe(1);
  });

  it('a refused connection: NetworkFailure after 3 retries', async () => {
    const url = `${await refusingUrl()}/payload.json`;
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('NetworkFailure', 'the connection failed (ECONNREFUSED) (4 attempts)'));
  });

  it('garbage bytes: InvalidRequest, not JSON', async () => {
    const url = await serve(faults.garbage());
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('InvalidRequest', 'it is not JSON'));
  });

  it.each([[[1, 2]], ['a string'], [{}], [null]])('JSON that is not a target model (%j): InvalidRequest', async (value) => {
    const url = await serve(faults.json(value));
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('InvalidRequest', 'it is not a non-empty JSON object'));
  });

  it('a body over 10 MiB: InvalidRequest, the download stopped', async () => {
    const url = await serve(faults.huge(11 * 1024 * 1024));
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('InvalidRequest', 'it is larger than 10485760 bytes'));
  });

  it.each([
    ['http to another host', 'http://payloads.example.com/model.json', 'requestData.payload is not an https URL'],
    ['a file URL', 'file:///etc/passwd', 'requestData.payload is not an https URL'],
    ['not a URL', 'not a url at all', 'requestData.payload is not a URL'],
  ])('%s: refused unread', async (_name, url, reason) => {
    expect(await bundle.entrypoint(remote(url))).toEqual(failed('InvalidRequest', reason));
  });

  it('a request that carries its model inline is judged on it; the payload field is then not read', async () => {
    const url = await serve(faults.hang());
    const event = fixture();
    event.requestData.payload = url;
    const inline = fixture();
    expect(await bundle.entrypoint(event)).toEqual(await bundle.entrypoint(inline));
    expect(server!.requests).toHaveLength(0);
  });

  it('targets it does not check are let through without reading the payload', async () => {
    const url = await serve(faults.hang());
    const answer = await bundle.entrypoint(remote(url, (r) => (r.requestData.targetName = 'AWS::S3::Bucket')));
    expect(answer).toMatchObject({ hookStatus: 'SUCCESS' });
    expect(server!.requests).toHaveLength(0);
  });

  it('never shows the URL: not in the answer, not in the log', async () => {
    const url = await serve(faults.status(503));
    const answer = await bundle.entrypoint(remote(url));
    expect(JSON.stringify(answer)).not.toContain('signature-canary-91d2');
    expect(output().join('')).not.toContain('signature-canary-91d2');
    expect(output().join('')).not.toContain('127.0.0.1');
  });

  it('leaves time for delivery: with a log group, the payload read ends 2 s before the invocation would', async () => {
    const url = await serve(faults.hang());
    const event = remote(url, (r) => (r.requestData.providerLogGroupName = 'owner-logs'));
    const answer = await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(event, lambdaContext(4_000, 'payload-run')));
    expect(answer).toEqual(failed('NetworkFailure', 'reading it took longer than the time allowed'));
    const lines = output().map((l) => JSON.parse(l));
    expect(lines.map((l) => l.message)).toEqual(['Payload not read', 'Answered']);
  });
});
