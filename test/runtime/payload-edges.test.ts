/**
 * A remote payload read by the sources (src/runtime/payload.ts, fetch-payload.ts) from a stand-in
 * storage service on loopback: the exact answer CloudFormation gets for each way the read can fail
 * (not a URL, a redirect, another status, too large, cut short, not an object, an error without a
 * code, an unexpected failure), and the document when it succeeds.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_PAYLOAD_BYTES, readPayload } from '../../src/runtime/payload';

/** How node:http's request behaves for the code under test: as it is, or failing in a way a server cannot make it. */
const mockRequest = { mode: 'real' as 'real' | 'no-code' | 'throws' };
jest.mock('node:http', () => {
  const actual = jest.requireActual<typeof import('node:http')>('node:http');
  return {
    ...actual,
    request: (...args: Parameters<typeof actual.request>) => {
      if (mockRequest.mode === 'throws') throw new Error('unexpected');
      const req = actual.request(...args);
      if (mockRequest.mode === 'no-code') process.nextTick(() => req.destroy(new Error('no code')));
      return req;
    },
  };
});

let server: http.Server | undefined;
let requests = 0;
afterEach(async () => {
  mockRequest.mode = 'real';
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A stand-in storage service; its URL. */
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<string> {
  requests = 0;
  server = http.createServer((req, res) => {
    requests += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/bucket/payload?X-Amz-Signature=canary`;
}

const failed = (errorCode: string, reason: string, subject = "the target's properties") => ({
  ok: false,
  errorCode,
  message: `The hook could not read ${subject} from the payload CloudFormation sent: ${reason}. Deploy again; if it persists, the hook's owner will find details in its logs.`,
});

it('a JSON object is the document (its length declared)', async () => {
  const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"Image":"nginx"}'));
  await expect(readPayload(url, Date.now() + 5000)).resolves.toEqual({ ok: true, document: { Image: 'nginx' } });
});

it('text that is not a URL is refused unread', async () => {
  await expect(readPayload('not a url', Date.now() + 5000)).resolves.toEqual(failed('InvalidRequest', 'requestData.payload is not a URL'));
});

it.each([301, 302, 307])('a redirect (HTTP %i) is not followed', async (status) => {
  const url = await serve((_req, res) => res.writeHead(status, { location: 'http://127.0.0.1:9/elsewhere' }).end());
  await expect(readPayload(url, Date.now() + 5000, "the stack's template")).resolves.toEqual(
    failed('InvalidRequest', `the storage service answered a redirect (HTTP ${status}), which the hook does not follow`, "the stack's template"),
  );
  expect(requests).toBe(1);
});

it('another client error is named by its status, and not retried', async () => {
  const url = await serve((_req, res) => res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>'));
  await expect(readPayload(url, Date.now() + 5000)).resolves.toEqual(failed('InvalidRequest', 'the storage service answered HTTP 404'));
  expect(requests).toBe(1);
});

it(`a body larger than ${MAX_PAYLOAD_BYTES} bytes is refused`, async () => {
  const url = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`{"a":"${'x'.repeat(MAX_PAYLOAD_BYTES)}`);
    res.end('"}');
  });
  await expect(readPayload(url, Date.now() + 5000)).resolves.toEqual(failed('InvalidRequest', `it is larger than ${MAX_PAYLOAD_BYTES} bytes`));
});

it('a body of exactly the limit is read', async () => {
  const body = `{"a":"${'x'.repeat(MAX_PAYLOAD_BYTES - 8)}"}`;
  expect(Buffer.byteLength(body)).toBe(MAX_PAYLOAD_BYTES);
  const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  const outcome = await readPayload(url, Date.now() + 5000);
  expect(outcome.ok).toBe(true);
});

it.each([
  ['an array', '[{"a":1}]'],
  ['an empty object', '{}'],
  ['a string', '"text"'],
])('%s is not a document', async (_name, body) => {
  const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await expect(readPayload(url, Date.now() + 5000)).resolves.toEqual(failed('InvalidRequest', 'it is not a non-empty JSON object'));
});

it('a connection error without a code of its own is named without one', async () => {
  const url = await serve(() => undefined);
  mockRequest.mode = 'no-code';
  // Time for one attempt only: a retry's wait would outlast the deadline.
  await expect(readPayload(url, Date.now() + 250)).resolves.toEqual(failed('NetworkFailure', 'the connection failed'));
});

it('an unexpected failure fails closed, as an internal failure, and leaves nothing behind', async () => {
  const url = await serve(() => undefined);
  mockRequest.mode = 'throws';
  await expect(readPayload(url, Date.now() + 100)).resolves.toEqual(failed('InternalFailure', 'an unexpected error occurred'));
  // Nothing of the attempt is left to fire later (a timer would find no request to end, and throw).
  await new Promise((resolve) => setTimeout(resolve, 250));
});
