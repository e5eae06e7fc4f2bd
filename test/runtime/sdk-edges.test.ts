/**
 * What every AWS client of the runtime shares (src/runtime/aws/sdk.ts), seen through the role call over
 * real HTTP to a stand-in STS on loopback: three attempts with their backoff, one kept-alive connection
 * for the calls of a process, a write notice that ends with its call; and the answers AssumeRole may
 * give without usable credentials.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { assumeRole } from '../../src/runtime/aws/role';
import { ASSUME_ROLE_ANSWER, ENCRYPTION_ROLE_ARN, endpointStandIn, FUNCTION_CREDENTIALS } from '../support/stand-in';

const OWN = FUNCTION_CREDENTIALS;
const ROLE_ARN = ENCRYPTION_ROLE_ARN;
const ANSWER = ASSUME_ROLE_ANSWER;
const ROLE = { accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token' };

describe('over real HTTP', () => {
  const { listen } = endpointStandIn('STS');
  const answering = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(ANSWER));
  };

  it('a throttled or failing endpoint is tried 3 times, 100-300 ms then 200-600 ms apart, and the last answer names the failure', async () => {
    const at: number[] = [];
    await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        at.push(Date.now());
        res
          .writeHead(503, { 'content-type': 'text/xml' })
          .end('<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>m</Message></Error></ErrorResponse>');
      });
    });
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(10_000))).rejects.toMatchObject({
      message: 'sts AssumeRole: ServiceUnavailable (HTTP 503)',
      code: 'ServiceUnavailable',
    });
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(100);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(200);
  });

  it('an attempt with no answer after 1.5 s is abandoned and retried, well within the deadline', async () => {
    const at: number[] = [];
    await listen((req, res) => {
      at.push(Date.now());
      // The first attempt is never answered; the second is.
      if (at.length > 1) answering(req, res);
      else req.resume();
    });
    const started = Date.now();
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(6000))).resolves.toEqual(ROLE);
    expect(at).toHaveLength(2);
    expect(at[1]! - started).toBeGreaterThanOrEqual(1500);
  });

  it('calls of one process share a kept-alive connection, and need no write notice', async () => {
    const sockets: number[] = [];
    await listen((req, res) => {
      sockets.push(req.socket.remotePort!);
      answering(req, res);
    });
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000))).resolves.toEqual(ROLE);
    await expect(assumeRole(ROLE_ARN, 'eu-west-1', OWN, AbortSignal.timeout(5000))).resolves.toEqual(ROLE);
    expect(sockets).toHaveLength(2);
    expect(sockets[1]).toBe(sockets[0]);
  });

  it("a call's write notice ends with it: a later request of another call does not fire it", async () => {
    await listen(answering);
    let written = 0;
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000), () => (written += 1))).resolves.toEqual(ROLE);
    await new Promise((resolve) => setImmediate(resolve));
    const after = written;
    expect(after).toBeGreaterThan(0);
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000))).resolves.toEqual(ROLE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(after);
  });
});

describe('AssumeRole answers without usable credentials', () => {
  // Mocked here only: the tests above send over real HTTP.
  const mockSts = () => mockClient(STSClient);
  let sts: ReturnType<typeof mockSts>;
  beforeAll(() => (sts = mockSts()));
  afterAll(() => sts.restore());
  const full = { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'role-secret', SessionToken: 'role-token', Expiration: new Date() };

  it.each([
    ['no Credentials at all', undefined],
    ['no AccessKeyId', { ...full, AccessKeyId: undefined }],
    ['no SecretAccessKey', { ...full, SecretAccessKey: undefined }],
    ['an empty SessionToken', { ...full, SessionToken: '' }],
  ])('%s: the call failed as unreadable, no credentials given', async (_name, Credentials) => {
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({ Credentials: Credentials as never });
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000))).rejects.toMatchObject({
      name: 'AwsCallError',
      message: 'sts AssumeRole: the answer has no credentials',
      code: 'unreadable',
    });
  });
});
