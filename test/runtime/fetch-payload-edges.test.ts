/**
 * Reading a payload URL (src/runtime/fetch-payload.ts through readPayload), from a stand-in storage
 * service on loopback: which answers are retried and how often, the backoff between attempts, the
 * deadline (never passed: a retry whose wait would outlast it is not made), statuses at the edges of
 * the redirect range and under 200, a body cut short, an attempt that runs out its 10 s, TLS and the
 * certificate errors an answer names, and no connection left open once read.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { fetchPayload } from '../../src/runtime/fetch-payload';
import { readPayload } from '../../src/runtime/payload';
import { issue } from '../support/tls';

let server: Server | undefined;
let at: number[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
  jest.useRealTimers();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; port: number }> {
  at = [];
  server = createServer((req, res) => {
    at.push(Date.now());
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/bucket/payload?X-Amz-Signature=canary`, port };
}

const failed = (errorCode: string, reason: string) => ({
  ok: false,
  errorCode,
  message: `The hook could not read the target's properties from the payload CloudFormation sent: ${reason}. Deploy again; if it persists, the hook's owner will find details in its logs.`,
});

it('HTTP 503 every time: 4 attempts, 250, 500 then 1000 ms apart, and no wait after the last', async () => {
  const { url } = await serve((_req, res) => res.writeHead(503).end());
  const started = Date.now();
  await expect(readPayload(url, Date.now() + 10_000)).resolves.toEqual(failed('ServiceInternalError', 'the storage service answered HTTP 503 (4 attempts)'));
  const gaps = at.slice(1).map((t, i) => t - at[i]!);
  expect(gaps).toHaveLength(3);
  expect(gaps[0]).toBeGreaterThanOrEqual(250);
  expect(gaps[0]).toBeLessThan(900);
  expect(gaps[1]).toBeGreaterThanOrEqual(500);
  expect(gaps[2]).toBeGreaterThanOrEqual(1000);
  expect(Date.now() - started).toBeLessThan(2600);
});

it('HTTP 501 is not a retried status', async () => {
  const { url } = await serve((_req, res) => res.writeHead(501).end());
  await expect(readPayload(url, Date.now() + 10_000)).resolves.toEqual(failed('ServiceInternalError', 'the storage service answered HTTP 501'));
  expect(at).toHaveLength(1);
});

it.each([
  [300, failed('InvalidRequest', 'the storage service answered a redirect (HTTP 300), which the hook does not follow')],
  [400, failed('InvalidRequest', 'the storage service answered HTTP 400')],
])('HTTP %i', async (status, answer) => {
  const { url } = await serve((_req, res) => res.writeHead(status).end());
  await expect(readPayload(url, Date.now() + 10_000)).resolves.toEqual(answer);
  expect(at).toHaveLength(1);
});

it('a body cut short is retried while the deadline allows a wait and an attempt, and the answer comes by the deadline', async () => {
  const { url } = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"Image":');
    setImmediate(() => res.destroy());
  });
  const deadline = Date.now() + 700;
  // Attempt 1, a 250 ms wait, attempt 2; then a 500 ms wait would outlast the deadline.
  await expect(readPayload(url, deadline)).resolves.toEqual(failed('NetworkFailure', 'the connection closed before all of it arrived (2 attempts)'));
  expect(Date.now()).toBeLessThanOrEqual(deadline);
});

it('no retry when its wait and 50 ms would reach the deadline', async () => {
  const { url } = await serve((_req, res) => res.writeHead(503).end());
  await expect(readPayload(url, Date.now() + 290)).resolves.toEqual(failed('ServiceInternalError', 'the storage service answered HTTP 503'));
  expect(at).toHaveLength(1);
});

it('a deadline already reached: no attempt, out of time', async () => {
  const { url } = await serve((_req, res) => res.writeHead(200).end('{"a":1}'));
  await expect(readPayload(url, Date.now() - 1)).resolves.toEqual(failed('NetworkFailure', 'reading it took longer than the time allowed'));
  jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
  await expect(fetchPayload(new URL(url), 1_000_000, 100)).resolves.toEqual({ ok: false, failure: { kind: 'timeout' }, attempts: 0 });
  expect(at).toHaveLength(0);
});

it('an https URL is read over TLS: a plain HTTP endpoint fails the connection', async () => {
  const { port } = await serve((_req, res) => res.writeHead(200).end('{"a":1}'));
  const outcome = await readPayload(`https://127.0.0.1:${port}/bucket/payload`, Date.now() + 290);
  expect(outcome).toMatchObject({ ok: false, errorCode: 'NetworkFailure' });
  expect(at).toHaveLength(0);
});

it('the connection is closed once the payload is read', async () => {
  let socket: Socket | undefined;
  const { url } = await serve((req, res) => {
    socket = req.socket;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
  });
  await expect(readPayload(url, Date.now() + 5000)).resolves.toEqual({ ok: true, document: { a: 1 } });
  const closed = await Promise.race([
    new Promise((resolve) => (socket!.destroyed ? resolve('closed') : socket!.once('close', () => resolve('closed')))),
    new Promise((resolve) => setTimeout(() => resolve('still open'), 500)),
  ]);
  expect(closed).toBe('closed');
});

it('at exactly the bound (the wait and 50 ms reach the deadline) the next attempt is not made', async () => {
  const { url } = await serve((_req, res) => res.writeHead(503).end());
  // The clock stands still: each attempt and wait leaves the time left as it was.
  jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
  // 250 and 500 ms waits fit; the third, 1000 ms and 50 ms, reaches the deadline exactly.
  await expect(fetchPayload(new URL(url), 1_000_000 + 1050, 100)).resolves.toEqual({ ok: false, failure: { kind: 'status', status: 503 }, attempts: 3 });
  expect(at).toHaveLength(3);
});

it('an attempt that runs out its 10 s is made again while the deadline allows', async () => {
  let firstArrived: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
  const { url } = await serve((_req, res) => {
    // The first attempt is never answered; the second is.
    if (at.length === 1) firstArrived();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
  });
  // The clock moves only when told to: 10 s pass at once.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const outcome = readPayload(url, Date.now() + 25_000);
  await arrived;
  await jest.advanceTimersByTimeAsync(10_000);
  // The 250 ms wait before the next attempt.
  await jest.advanceTimersByTimeAsync(250);
  await expect(outcome).resolves.toEqual({ ok: true, document: { a: 1 } });
  expect(at).toHaveLength(2);
});

it('a status under 200 is not a payload, whatever its body', async () => {
  // Node hands a status line such as 099 on as the answer (1xx are interim, and wait for one).
  const raw = createTcpServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 099 Low\r\ncontent-length: 7\r\n\r\n{"a":1}')));
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/bucket/payload`;
    await expect(readPayload(url, Date.now() + 5000)).resolves.toEqual(failed('InvalidRequest', 'the storage service answered HTTP 99'));
  } finally {
    await new Promise((resolve) => raw.close(resolve));
  }
});

describe('certificates the TLS connection refuses', () => {
  const root = issue('Stand-in root', { ca: true });
  const intermediate = issue('Stand-in intermediate', { issuer: root, ca: true });
  const leaf = issue('Stand-in storage', { issuer: intermediate, ca: false });

  async function failureWith(cert: string): Promise<unknown> {
    const tls = createTlsServer({ key: leaf.key.export({ type: 'pkcs8', format: 'pem' }), cert }, (_req, res) => res.end('{"a":1}'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      // Time for every attempt: a connection that fails is tried 4 times whatever the load on the machine.
      return await readPayload(`https://127.0.0.1:${(tls.address() as AddressInfo).port}/bucket/payload`, Date.now() + 10_000);
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  }

  it('a certificate by an unknown issuer: the answer names Node\'s code', async () => {
    await expect(failureWith(leaf.cert)).resolves.toEqual(failed('NetworkFailure', 'the connection failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE) (4 attempts)'));
  });

  it('a chain to an unknown root: a code of more than 32 characters is left out', async () => {
    // UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 33 characters.
    await expect(failureWith(leaf.cert + intermediate.cert)).resolves.toEqual(failed('NetworkFailure', 'the connection failed (4 attempts)'));
  });
});
