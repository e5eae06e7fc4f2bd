/**
 * What every AWS client of the runtime shares (src/runtime/aws/sdk.ts), seen through the role call over
 * real HTTP to a stand-in STS on loopback: three attempts with their backoff and its bounds, an attempt
 * abandoned after 1.5 s, one kept-alive connection for the calls of a process, a write notice that ends
 * with its call and is never taken from another request; a deadline that keeps no listener of a settled
 * call; and the answers AssumeRole may give without usable credentials.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { getEventListeners, once } from 'node:events';
import { type ClientRequest, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { assumeRole as assumeRoleWarm } from '../../src/runtime/aws/role';
import { callWithin, clientConfig, whenWritten } from '../../src/runtime/aws/sdk';
import { ASSUME_ROLE_ANSWER, ENCRYPTION_ROLE_ARN, endpointStandIn, FUNCTION_CREDENTIALS } from '../support/stand-in';

const OWN = FUNCTION_CREDENTIALS;
const ROLE_ARN = ENCRYPTION_ROLE_ARN;
const ANSWER = ASSUME_ROLE_ANSWER;
const ROLE = { accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token' };

type RoleModule = typeof import('../../src/runtime/aws/role');

/**
 * The role call as a fresh process loads it (a cold start): the HTTP handler every client shares is
 * made by the first call of the test that uses it, with the timeouts and connections it is given.
 */
function coldStart(): RoleModule['assumeRole'] {
  let loaded: RoleModule | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../src/runtime/aws/role') as RoleModule;
  });
  return loaded!.assumeRole;
}

describe('over real HTTP', () => {
  const { listen } = endpointStandIn('STS');
  let assumeRole: RoleModule['assumeRole'];
  beforeEach(() => {
    assumeRole = coldStart();
  });
  afterEach(() => jest.restoreAllMocks());
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

  it('the backoff stays within its bounds at the low end of its random factor: 100 then 200 ms', async () => {
    const at: number[] = [];
    await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        at.push(Date.now());
        res.writeHead(503, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>');
      });
    });
    jest.spyOn(Math, 'random').mockReturnValue(0.001);
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(3000))).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    expect(at).toHaveLength(3);
    const gaps = [at[1]! - at[0]!, at[2]! - at[1]!];
    expect(gaps[0]).toBeGreaterThanOrEqual(99);
    expect(gaps[0]).toBeLessThan(300);
    expect(gaps[1]).toBeGreaterThanOrEqual(199);
    expect(gaps[1]).toBeLessThan(600);
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

  /** An STS client as the runtime makes it, with a write notice, whose credentials come from `provide` while it signs. */
  function signingWith(provide: () => Promise<void> | void, onWritten: () => void): STSClient {
    const sts = new STSClient(
      clientConfig('us-east-1', async () => {
        await provide();
        return OWN;
      }),
    );
    whenWritten(sts, onWritten);
    return sts;
  }
  const command = (): AssumeRoleCommand => new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'hook-credentials-test' });

  it("a request another part of the process writes while a call signs is not taken for the call's own", async () => {
    await listen(answering);
    // Node's own notice of each request it sends, as the write notice hears it.
    const sent: string[] = [];
    const hear = (message: unknown): void => void sent.push((message as { request: ClientRequest }).request.path);
    subscribe('http.client.request.start', hear);
    try {
      let sentAtNotice: string[] | undefined;
      const sts = signingWith(
        async () => {
          const other = request(`${process.env.AWS_ENDPOINT_URL_STS!}/other`, { method: 'POST' });
          other.on('response', (res: IncomingMessage) => res.resume());
          other.end();
          await once(other, 'finish');
        },
        () => (sentAtNotice ??= [...sent]),
      );
      await expect(callWithin('sts', 'AssumeRole', AbortSignal.timeout(5000), (abortSignal) => sts.send(command(), { abortSignal }))).resolves.toMatchObject({
        Credentials: { AccessKeyId: 'ASIAROLE' },
      });
      // The notice came once the call's own request (to /) was sent, not with the other one.
      expect(sentAtNotice).toEqual(['/other', '/']);
    } finally {
      unsubscribe('http.client.request.start', hear);
    }
  });

  it('a call whose deadline passes while it signs sends nothing, and its write notice ends with it', async () => {
    let requests = 0;
    await listen((req, res) => {
      requests += 1;
      answering(req, res);
    });
    const deadline = new AbortController();
    let written = 0;
    const sts = signingWith(
      () => deadline.abort(),
      () => (written += 1),
    );
    let sent: Promise<unknown> | undefined;
    await expect(
      callWithin('sts', 'AssumeRole', deadline.signal, (abortSignal) => (sent = sts.send(command(), { abortSignal }))),
    ).rejects.toMatchObject({ message: 'sts AssumeRole: the time allowed ran out', code: 'timeout' });
    // The SDK goes on to its HTTP handler, which refuses an aborted request before making it.
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
    await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000))).resolves.toEqual(ROLE);
    await new Promise((resolve) => setImmediate(resolve));
    expect(requests).toBe(1);
    expect(written).toBe(0);
  });
});

describe('a deadline shared by many calls', () => {
  // A listener left behind per call would make Node warn of a leak (MaxListenersExceededWarning) past 10.
  it.each([
    ['answered', () => Promise.resolve('answer')],
    ['failed', () => Promise.reject(new Error('refused'))],
  ])('keeps no listener of a call once it has %s', async (_name, send) => {
    const signal = AbortSignal.timeout(10_000);
    for (let i = 0; i < 12; i += 1) await callWithin('sts', 'AssumeRole', signal, send).catch(() => undefined);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('a call the deadline ended: its listener is gone once the SDK settles', async () => {
    const deadline = new AbortController();
    let settle: () => void = () => undefined;
    const pending = callWithin('sts', 'AssumeRole', deadline.signal, () => new Promise<void>((resolve) => (settle = resolve)));
    deadline.abort();
    await expect(pending).rejects.toMatchObject({ code: 'timeout' });
    settle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(0);
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
    await expect(assumeRoleWarm(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000))).rejects.toMatchObject({
      name: 'AwsCallError',
      message: 'sts AssumeRole: the answer has no credentials',
      code: 'unreadable',
    });
  });
});
