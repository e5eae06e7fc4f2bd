/**
 * A loopback HTTP server that misbehaves on purpose (refuses nothing, but hangs, throttles, errs,
 * truncates or answers garbage), counting what the client did: requests, and requests the client gave
 * up on before an answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';

export type FaultHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface FaultServer {
  readonly url: string;
  /** Requests received, by `X-Amz-Target` or query Action (or the path for a GET). */
  readonly requests: string[];
  /** Requests whose connection the client closed before the server answered. */
  abandoned: number;
  close(): Promise<void>;
}

function operationOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body)?.[1];
  return action ?? `${req.method} ${(req.url ?? '').split('?')[0]}`;
}

export async function faultServer(handler: FaultHandler): Promise<FaultServer> {
  const state: FaultServer = { url: '', requests: [], abandoned: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.requests.push(operationOf(req, body));
      res.on('close', () => {
        if (!res.writableFinished) state.abandoned += 1;
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return Object.assign(state, {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A loopback address where nothing listens: connections are refused. */
export async function refusingUrl(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** Handlers for the usual faults. */
export const faults = {
  hang: (): FaultHandler => () => undefined,
  throttle: (): FaultHandler => (req, res) => {
    if (typeof req.headers['x-amz-target'] === 'string') {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
    } else {
      res.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>');
    }
  },
  status: (code: number): FaultHandler => (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain' }).end('<html>upstream error</html>');
  },
  garbage: (): FaultHandler => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0x61, 0xc3, 0x28, 0x5d, 0x5d]));
  },
  /** Declares more bytes than it sends, then closes the connection. */
  truncate: (body = '{"resourceProperties": {"ContainerDefinitions": [{"Name": "app", "ReadonlyRootFilesystem": "tr'): FaultHandler => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body) + 500) });
    res.write(body, () => res.destroy());
  },
  json: (value: unknown, status = 200): FaultHandler => (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  },
  /** Streams `bytes` of JSON-looking filler without a length (chunked), as fast as the client reads. */
  huge: (bytes: number): FaultHandler => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('error', () => undefined);
    pump();
  },
};
