/**
 * The hook owner's credentials for log and metric delivery (`requestData.providerCredentials`).
 * CloudFormation encrypts them with the AWS Encryption SDK under `hookEncryptionKeyArn`, decryptable
 * only through `hookEncryptionKeyRole`; local tooling sends them as plain JSON. Caller credentials
 * are never read: the policy needs no AWS access.
 */
import { randomUUID } from 'node:crypto';
import { AwsError, type AwsCredentials, type CallContext, environmentCredentials } from './aws/client';
import { decryptMessage, DecryptionError } from './aws/esdk';
import { assumeRole, kmsDecrypt } from './aws/services';

/** Why the credentials could not be read. The message never quotes them. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

export interface EncryptedCredentials {
  readonly keyArn: string;
  readonly roleArn: string;
}

const MAX_CREDENTIALS_CHARS = 64 * 1024;

function fromJson(text: string): AwsCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CredentialsError('the credentials are not JSON');
  }
  return fromObject(parsed);
}

function fromObject(value: unknown): AwsCredentials {
  if (typeof value !== 'object' || value === null) throw new CredentialsError('the credentials are not an object');
  const { accessKeyId, secretAccessKey, sessionToken } = value as Record<string, unknown>;
  if (typeof accessKeyId !== 'string' || accessKeyId === '' || typeof secretAccessKey !== 'string' || secretAccessKey === '') {
    throw new CredentialsError('the credentials lack accessKeyId or secretAccessKey');
  }
  if (sessionToken !== undefined && sessionToken !== null && typeof sessionToken !== 'string') {
    throw new CredentialsError('the credentials have a sessionToken that is not a string');
  }
  return { accessKeyId, secretAccessKey, sessionToken: typeof sessionToken === 'string' && sessionToken !== '' ? sessionToken : undefined };
}

/**
 * Reads `raw` as CloudFormation sends it. With `encrypted`, `raw` is the base64 of an Encryption SDK
 * message: the role is assumed with the function's own credentials, and KMS decrypts the data key of
 * the message that names `keyArn` (and no other key).
 */
export async function readProviderCredentials(
  raw: unknown,
  encrypted: EncryptedCredentials | undefined,
  context: Omit<CallContext, 'credentials'>,
): Promise<AwsCredentials> {
  if (encrypted === undefined) {
    return typeof raw === 'string' ? fromJson(raw.slice(0, MAX_CREDENTIALS_CHARS)) : fromObject(raw);
  }
  return decrypt(raw, encrypted, context);
}

async function decrypt(raw: unknown, encrypted: EncryptedCredentials, context: Omit<CallContext, 'credentials'>): Promise<AwsCredentials> {
  if (typeof raw !== 'string' || raw.length > MAX_CREDENTIALS_CHARS || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw.trim())) {
    throw new CredentialsError('the encrypted credentials are not base64');
  }
  const own = environmentCredentials(context.env);
  if (own === undefined) throw new CredentialsError('the function has no credentials of its own to assume the encryption key role');
  // Asked for before the message is read, though the request is written only once the event loop turns
  // again, after that synchronous work (guide/PERFORMANCE.md measures the sequence).
  const role = assumeRole(encrypted.roleArn, `hook-credentials-${randomUUID()}`, { ...context, credentials: own });
  role.catch(() => undefined);
  let plaintext: Buffer;
  try {
    plaintext = await decryptMessage(Buffer.from(raw.trim(), 'base64'), async (keys, encryptionContext) => {
      const key = keys.find((k) => k.providerId === 'aws-kms' && k.providerInfo === encrypted.keyArn);
      if (key === undefined) throw new CredentialsError('the credentials are not encrypted under the hook encryption key');
      return kmsDecrypt(encrypted.keyArn, key.ciphertext, encryptionContext, { ...context, credentials: await role });
    });
  } catch (error) {
    // The unwrapper's own failure (wrong key, an AWS error) says more than the decryptor's wrapper around it.
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof CredentialsError) throw cause;
    const named = [cause, error].find((e): e is Error => e instanceof AwsError || e instanceof DecryptionError);
    throw new CredentialsError(`the credentials could not be decrypted: ${named?.message ?? 'decryption failed'}`);
  }
  try {
    return fromJson(plaintext.toString('utf8'));
  } finally {
    plaintext.fill(0);
  }
}
