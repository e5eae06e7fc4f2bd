/**
 * The first step of reading encrypted credentials, as the Java runtime does it: the function's own
 * credentials assume `hookEncryptionKeyRole`. It lives in the network half (not in dist/decrypt.js) so
 * the request can leave before the Encryption SDK is compiled: its round trip overlaps that work.
 */
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsCallError, type AwsCredentials, callWithin, clientConfig } from './sdk';

/** Node's own notice of every HTTP client request it creates (node:http's diagnostics channel). */
const REQUEST_CREATED = 'http.client.request.start';

/**
 * Short-lived credentials for `roleArn` (15 minutes, the shortest STS grants), asked in `region`.
 * `onWritten` is called once the request has been written to its connection (or its attempt ended):
 * from then on the round trip needs nothing of this thread, so the caller can compile in the meantime.
 * The SDK tells when it hands the signed request to its HTTP handler (a middleware, the last step), and
 * Node when that handler creates the request; the connection (and TLS) is made before it is written.
 */
export async function assumeRole(roleArn: string, region: string, own: AwsCredentials, signal: AbortSignal, onWritten?: () => void): Promise<AwsCredentials> {
  const sts = new STSClient(clientConfig(region, own));
  let watching: ((message: unknown) => void) | undefined;
  const stopWatching = (): void => {
    if (watching !== undefined) unsubscribe(REQUEST_CREATED, watching);
    watching = undefined;
  };
  if (onWritten !== undefined) {
    sts.middlewareStack.add(
      (next) => (args) => {
        stopWatching();
        // The handler creates the request within the microtasks that follow: the next one is this call's.
        watching = (message: unknown): void => {
          stopWatching();
          const request = (message as { request: ClientRequest }).request;
          request.once('finish', onWritten);
          request.once('close', onWritten);
        };
        subscribe(REQUEST_CREATED, watching);
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'hookRequestWritten' },
    );
  }
  const RoleSessionName = `hook-credentials-${randomUUID()}`;
  try {
    const out = await callWithin('sts', 'AssumeRole', signal, (abortSignal) =>
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName, DurationSeconds: 900 }), { abortSignal }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new AwsCallError('sts AssumeRole: the answer has no credentials', 'unreadable');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  } finally {
    stopWatching();
  }
}
