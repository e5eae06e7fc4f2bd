/**
 * Encrypted provider credentials, as the Java runtime reads them (KMSCipher): the function's own
 * credentials assume `hookEncryptionKeyRole`, and the AWS Encryption SDK decrypts the message with a
 * strict KMS keyring for exactly `hookEncryptionKeyArn`, calling KMS in the key's own Region.
 * Built apart (dist/decrypt.js, the Encryption SDK; the STS and KMS clients come from dist/network.js)
 * and loaded only by an invocation whose credentials are encrypted.
 */
import { randomUUID } from 'node:crypto';
import { buildDecrypt, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { DecryptCommand, type DecryptCommandInput, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsCredentials, AwsCallError, callWithin, clientConfig } from './sdk';

/**
 * The Java runtime's policy (ForbidEncryptAllowDecrypt): messages with and without key commitment are
 * both read. Decryption only; nothing here can encrypt.
 */
const COMMITMENT_POLICY = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT;
/** A message naming more data keys than this is refused before any KMS call (CloudFormation sends one). */
export const MAX_ENCRYPTED_DATA_KEYS = 16;

const { decrypt } = buildDecrypt({ commitmentPolicy: COMMITMENT_POLICY, maxEncryptedDataKeys: MAX_ENCRYPTED_DATA_KEYS });

export interface DecryptContext {
  /** The function's Region: STS is called there (the Java runtime's default Region). */
  readonly region: string;
  /** The function's own credentials (its execution role). */
  readonly own: AwsCredentials;
  readonly signal: AbortSignal;
}

/** The result, never a throw: a failure comes as its reason, already in words safe for a log line. */
export type DecryptOutcome = { readonly ok: true; readonly plaintext: Buffer } | { readonly ok: false; readonly reason: string };

/** Short-lived credentials for `roleArn` (15 minutes, the shortest STS grants). */
async function assumeRole(roleArn: string, context: DecryptContext): Promise<AwsCredentials> {
  const sts = new STSClient(clientConfig(context.region, context.own));
  const RoleSessionName = `hook-credentials-${randomUUID()}`;
  const out = await callWithin('sts', 'AssumeRole', context.signal, (abortSignal) =>
    sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName, DurationSeconds: 900 }), { abortSignal }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new AwsCallError('sts AssumeRole: the answer has no credentials', 'unreadable');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/**
 * Decrypts `message` (an Encryption SDK message) with the data key KMS decrypts under `keyArn`, as the
 * role `roleArn` assumed with the function's own credentials. The Encryption SDK's own messages are
 * not passed on: the reason says which step failed, in words safe for a log line.
 */
export async function decryptCredentials(message: Buffer, keyArn: string, roleArn: string, context: DecryptContext): Promise<DecryptOutcome> {
  // Asked for before the message is read, so the role session and the parse overlap.
  const role = assumeRole(roleArn, context);
  role.catch(() => undefined);
  let kmsCalls = 0;
  let callFailure: AwsCallError | undefined;
  // The keyring asks for a client by the key ARN's Region; its decrypt sends one DecryptCommand under the deadline.
  const clientProvider = (region: string) => ({
    decrypt: async (input: DecryptCommandInput) => {
      kmsCalls += 1;
      try {
        const kms = new KMSClient(clientConfig(region, await role));
        return await callWithin('kms', 'Decrypt', context.signal, (abortSignal) => kms.send(new DecryptCommand(input), { abortSignal }));
      } catch (error) {
        callFailure = error instanceof AwsCallError ? error : new AwsCallError('kms Decrypt: the call failed', 'network');
        throw callFailure;
      }
    },
  });
  try {
    const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider: clientProvider as never });
    const { plaintext } = await decrypt(keyring, message);
    return { ok: true, plaintext };
  } catch (error) {
    // The keyring wraps a failed STS or KMS call in its own error; the call's failure says more.
    if (callFailure !== undefined) return { ok: false, reason: `the credentials could not be decrypted: ${callFailure.message}` };
    const text = error instanceof Error ? error.message : '';
    if (/maxEncryptedDataKeys/.test(text)) return { ok: false, reason: 'the credentials could not be decrypted: the message has more encrypted data keys than allowed' };
    // The header was read and the strict keyring found no data key under the hook's key to ask KMS for.
    if (kmsCalls === 0 && /unencryptedDataKey has not been set/.test(text)) return { ok: false, reason: 'the credentials are not encrypted under the hook encryption key' };
    return { ok: false, reason: 'the credentials could not be decrypted: the message is malformed or was altered' };
  }
}
