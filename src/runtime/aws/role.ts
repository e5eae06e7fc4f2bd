/**
 * The first step of reading encrypted credentials, as the Java runtime does it: the function's own
 * credentials assume `hookEncryptionKeyRole`. It lives in the network half (not in dist/decrypt.js) so
 * the request can leave before the Encryption SDK is compiled: its round trip overlaps that work.
 */
import { randomUUID } from 'node:crypto';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsCallError, type AwsCredentials, callWithin, clientConfig, whenWritten } from './sdk';

/**
 * Short-lived credentials for `roleArn` (15 minutes, the shortest STS grants), asked in `region`.
 * `onWritten` is called once the request has been written to its connection (or its attempt ended):
 * from then on the round trip needs nothing of this thread, so the caller can compile in the meantime.
 */
export async function assumeRole(roleArn: string, region: string, own: AwsCredentials, signal: AbortSignal, onWritten?: () => void): Promise<AwsCredentials> {
  const sts = new STSClient(clientConfig(region, own));
  if (onWritten !== undefined) whenWritten(sts, onWritten);
  const RoleSessionName = `hook-credentials-${randomUUID()}`;
  const out = await callWithin('sts', 'AssumeRole', signal, (abortSignal) =>
    sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName, DurationSeconds: 900 }), { abortSignal }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new AwsCallError('sts AssumeRole: the answer has no credentials', 'unreadable');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
