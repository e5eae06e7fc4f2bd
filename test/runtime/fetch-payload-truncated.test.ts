/**
 * A payload whose body stops short of what its answer framed (the connection closed mid-body) is not a
 * payload: the read says it was cut short, never hands on the part that arrived, and retries it as
 * urllib3 does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchPayload } from '../../src/runtime/fetch-payload';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serving(cut: boolean): Promise<{ url: URL; requests: () => number }> {
  let requests = 0;
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    if (!cut) {
      res.end(`{"a":"${'x'.repeat(92)}"}`);
      return;
    }
    // Part of the body, then the connection goes.
    res.write('{"a":"part');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/payload`), requests: () => requests };
}

it('a body cut short is "truncated", and is asked for again while time allows', async () => {
  const { url, requests } = await serving(true);
  // Time for two attempts and the 250 ms wait between them, not for the 500 ms wait of a third.
  const result = await fetchPayload(url, Date.now() + 700, 1024);
  expect(result).toEqual({ ok: false, failure: { kind: 'truncated' }, attempts: 2 });
  expect(requests()).toBe(2);
});

it('the same answer whole is read', async () => {
  const { url } = await serving(false);
  const result = await fetchPayload(url, Date.now() + 5000, 1024);
  expect(result.ok).toBe(true);
  expect(result.ok && result.body.toString()).toBe(`{"a":"${'x'.repeat(92)}"}`);
  expect(result.attempts).toBe(1);
});
