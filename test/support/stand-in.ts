/**
 * A stand-in for AWS endpoints on loopback, reached by the SDK's own clients through
 * AWS_ENDPOINT_URL_<SERVICE>. Call at a describe block's (or file's) top level: it registers the
 * afterEach that closes the server and clears the variables.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
  /** Serves `handler` on a fresh loopback port and points the services at it. */
  listen(handler: RequestListener): Promise<void>;
  /** Closes the server now (a port nothing listens on any more). */
  close(): Promise<void>;
}

export function endpointStandIn(...services: readonly string[]): StandIn {
  let server: Server | undefined;
  const close = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    closing?.closeAllConnections();
    await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
  };
  afterEach(async () => {
    for (const service of services) delete process.env[`AWS_ENDPOINT_URL_${service}`];
    await close();
  });
  return {
    close,
    async listen(handler) {
      const started = createServer(handler);
      server = started;
      await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
      for (const service of services) process.env[`AWS_ENDPOINT_URL_${service}`] = url;
    },
  };
}
