/**
 * The first step of reading encrypted credentials, as the Java runtime does it: the function's own
 * credentials assume `hookEncryptionKeyRole`. It lives in the network half (not in dist/decrypt.js) so
 * the request can leave before the Encryption SDK is compiled: its round trip overlaps that work.
 */
import { randomUUID } from 'node:crypto';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsCallError, type AwsCredentials, callWithin, clientConfig } from './sdk';

/**
 * Short-lived credentials for `roleArn` (15 minutes, the shortest STS grants), asked in `region`.
 * `onSend` is called when the signed request is handed to the HTTP handler (the last step of the SDK's
 * middleware, which may wait on I/O before it: the shared config files), so a caller knows when the
 * round trip has begun.
 */
export async function assumeRole(roleArn: string, region: string, own: AwsCredentials, signal: AbortSignal, onSend?: () => void): Promise<AwsCredentials> {
  const sts = new STSClient(clientConfig(region, own));
  if (onSend !== undefined) {
    sts.middlewareStack.add(
      (next) => (args) => {
        onSend();
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'hookRequestSent' },
    );
  }
  const RoleSessionName = `hook-credentials-${randomUUID()}`;
  const out = await callWithin('sts', 'AssumeRole', signal, (abortSignal) =>
    sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName, DurationSeconds: 900 }), { abortSignal }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new AwsCallError('sts AssumeRole: the answer has no credentials', 'unreadable');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
