/**
 * The hook owner's credentials for log and metric delivery (`requestData.providerCredentials`).
 * What CloudFormation sends today is not documented. The official Python runtime parses them as plain
 * JSON (it stopped decrypting them in 2023); the Java runtime decrypts them with the AWS Encryption SDK
 * whenever `hookEncryptionKeyArn` and `hookEncryptionKeyRole` are both present. This reader does the
 * first, and the second only when the value is not JSON and both fields are present. Caller
 * credentials are never read: the policy needs no AWS access.
 */
import { assumeRole } from './aws/role';
import type { AwsCredentials } from './aws/sdk';

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

export interface ReadContext {
  /** The function's Region (STS is called there). */
  readonly region: string;
  /** Where the function's own credentials are (its execution role, as Lambda sets them). */
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  /**
   * For encrypted credentials: called once the KMS Decrypt request has been written to its connection
   * (or its attempt ended); from then on their reading waits on KMS, and the caller can compute meanwhile.
   */
  readonly onLastRequestWritten?: () => void;
}

const MAX_CREDENTIALS_CHARS = 64 * 1024;

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

/** JSON.parse, or undefined when `text` is not JSON. */
function parsedJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** The function's own credentials (its execution role), as Lambda sets them. */
export function environmentCredentials(env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

/**
 * Reads `raw` as CloudFormation may send it: a JSON object (or its text) first; otherwise, with
 * `encrypted`, the base64 of an Encryption SDK message under `encrypted.keyArn`.
 */
export async function readProviderCredentials(raw: unknown, encrypted: EncryptedCredentials | undefined, context: ReadContext): Promise<AwsCredentials> {
  if (typeof raw !== 'string') return fromObject(raw);
  if (raw.length > MAX_CREDENTIALS_CHARS) throw new CredentialsError('the credentials are too long');
  const json = parsedJson(raw);
  if (json !== undefined) return fromObject(json.value);
  if (encrypted === undefined) throw new CredentialsError('the credentials are not JSON');
  return decrypt(raw.trim(), encrypted, context);
}

type Decryptor = typeof import('./aws/decrypt');
/** The Encryption SDK and the KMS call (dist/decrypt.js in the bundle): loaded only on this path. */
function decryptor(): Decryptor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./aws/decrypt') as Decryptor;
}

async function decrypt(raw: string, encrypted: EncryptedCredentials, context: ReadContext): Promise<AwsCredentials> {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) throw new CredentialsError('the credentials are neither JSON nor base64');
  const own = environmentCredentials(context.env);
  if (own === undefined) throw new CredentialsError('the function has no credentials of its own to assume the encryption key role');
  // The role's request leaves first, and the Encryption SDK (dist/decrypt.js) is compiled while its round
  // trip is in flight: once the request is written to its connection (or the call has ended), not before,
  // or the compile would hold the connection and the request with it.
  let written: () => void = () => undefined;
  const writing = new Promise<void>((resolve) => (written = resolve));
  const role = assumeRole(encrypted.roleArn, context.region, own, context.signal, () => written());
  role.then(written, written);
  await writing;
  let load: Decryptor;
  try {
    load = decryptor();
  } catch {
    // A package made by hand without dist/decrypt.js beside dist/network.js.
    throw new CredentialsError('the decryption module (decrypt.js) is missing beside network.js');
  }
  const outcome = await load.decryptCredentials(Buffer.from(raw, 'base64'), encrypted.keyArn, role, context.signal, context.onLastRequestWritten);
  if (!outcome.ok) throw new CredentialsError(outcome.reason);
  try {
    const json = parsedJson(outcome.plaintext.toString('utf8'));
    if (json === undefined) throw new CredentialsError('the decrypted credentials are not JSON');
    return fromObject(json.value);
  } finally {
    outcome.plaintext.fill(0);
  }
}
