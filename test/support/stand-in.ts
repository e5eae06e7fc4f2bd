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

/** The function's own credentials, as Lambda sets them, in the role suites. */
export const FUNCTION_CREDENTIALS = { accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'function-secret', sessionToken: 'function-token' };
export const ENCRYPTION_ROLE_ARN = 'arn:aws:iam::123456789012:role/hook-encryption';
/** What a stand-in STS answers to AssumeRole (the role's credentials below). */
export const ASSUME_ROLE_ANSWER =
  '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
  '<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token</SessionToken>' +
  '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>';
