/**
 * Reading a payload URL (src/runtime/fetch-payload.ts through readPayload), from a stand-in storage
 * service on loopback: which answers are retried and how often, the backoff between attempts, the
 * deadline (never passed: a retry whose wait would outlast it is not made), statuses at the edges of
 * the redirect range, a body cut short, TLS, and no connection left open once read.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fetchPayload } from '../../src/runtime/fetch-payload';
import { readPayload } from '../../src/runtime/payload';

let server: Server | undefined;
let at: number[] = [];
afterEach(async () => {
  jest.restoreAllMocks();
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
