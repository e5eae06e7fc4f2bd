/**
 * Provider credentials (sources): plain JSON first; encrypted ones through the official Encryption SDK
 * with STS and KMS mocked by aws-sdk-client-mock. Messages are made by the official Encryption SDK with
 * a KMS keyring over an in-memory KMS, which the mocked KMS client decrypts with. Asserts the commands
 * sent (role, key id, Regions, credentials used) and every refusal: tampered, truncated, another key,
 * too many data keys, STS and KMS failures, the deadline.
 */
import { buildClient, CommitmentPolicy, KmsKeyringNode, NodeAlgorithmSuite, NodeDefaultCryptographicMaterialsManager } from '@aws-crypto/client-node';
import { createECDH, type KeyObject } from 'node:crypto';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { MAX_ENCRYPTED_DATA_KEYS, NodeCurveMaterialsManager } from '../../src/runtime/aws/decrypt';
import { CredentialsError, type EncryptedCredentials, readProviderCredentials } from '../../src/runtime/credentials';
import { FakeKms, serviceError } from '../support/sdk-mocks';

const sts = mockClient(STSClient);
const kms = mockClient(KMSClient);
const fake = new FakeKms();

const KEY_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/0b6f1a52-6c1e-4a0b-9a52-2f1d6a0e7d11';
const OTHER_ARN = 'arn:aws:kms:eu-central-1:123456789012:key/5f0c3a7e-1111-4c2d-8e3f-000000000002';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/hook-encryption';
const ENCRYPTED: EncryptedCredentials = { keyArn: KEY_ARN, roleArn: ROLE_ARN };
const OWNER = { accessKeyId: 'ASIAOWNERCANARY', secretAccessKey: 'owner-secret-canary', sessionToken: 'owner-token-canary' };
const ROLE = { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'role-secret', SessionToken: 'role-token', Expiration: new Date(Date.now() + 900_000) };
const FUNCTION_ENV = { AWS_ACCESS_KEY_ID: 'AKIDFUNCTION', AWS_SECRET_ACCESS_KEY: 'function-secret', AWS_SESSION_TOKEN: 'function-token' };

beforeEach(() => {
  sts.reset();
  kms.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: ROLE });
  kms.on(DecryptCommand).callsFake((input) => fake.decrypt(input));
});
afterAll(() => {
  sts.restore();
  kms.restore();
});

/** `plaintext` encrypted with the official Encryption SDK under `keyIds` (the first generates the data key). */
async function encrypt(plaintext: string, options: { suiteId?: number; keyIds?: string[] } = {}): Promise<Buffer> {
  const [generatorKeyId, ...keyIds] = options.keyIds ?? [KEY_ARN];
  const keyring = new KmsKeyringNode({ generatorKeyId, keyIds, clientProvider: (() => fake.client) as never });
  const committing = options.suiteId === undefined || options.suiteId >= 0x0400;
  const { encrypt: run } = buildClient(committing ? CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const { result } = await run(keyring, plaintext, { encryptionContext: { purpose: 'hook provider credentials' }, suiteId: options.suiteId as never });
  return result;
}

function read(raw: unknown, encrypted: EncryptedCredentials | 'plain' = ENCRYPTED, signal = AbortSignal.timeout(10_000)) {
  return readProviderCredentials(raw, encrypted === 'plain' ? undefined : encrypted, { region: 'us-east-1', env: FUNCTION_ENV, signal });
}

/** The refusal's message, checked to be a CredentialsError that quotes nothing of the credentials. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialsError);
  const message = (error as CredentialsError).message;
  for (const secret of Object.values(OWNER)) expect(message).not.toContain(secret);
  return message;
}

let message: Buffer;
beforeAll(async () => {
  message = await encrypt(JSON.stringify(OWNER));
});

describe('plain credentials', () => {
  it('are read as JSON, with or without the key fields, and no AWS call is made', async () => {
    await expect(read(JSON.stringify(OWNER))).resolves.toEqual(OWNER);
    await expect(read(JSON.stringify(OWNER), 'plain')).resolves.toEqual(OWNER);
    await expect(read({ accessKeyId: 'A', secretAccessKey: 'B', sessionToken: '' })).resolves.toEqual({ accessKeyId: 'A', secretAccessKey: 'B', sessionToken: undefined });
    expect(sts.calls()).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
  });

  it('text that is not JSON, without the key fields, is refused', async () => {
    expect(await refusal(read(message.toString('base64'), 'plain'))).toBe('the credentials are not JSON');
  });
});

describe('encrypted credentials', () => {
  it('assume the role with the function credentials, then KMS decrypts under exactly the hook key, in the key Region', async () => {
    await expect(read(message.toString('base64'))).resolves.toEqual(OWNER);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: ROLE_ARN, RoleSessionName: expect.stringMatching(/^hook-credentials-[0-9a-f-]{36}$/), DurationSeconds: 900 });
    const stsClient = sts.call(0).thisValue as STSClient;
    expect(await stsClient.config.region()).toBe('us-east-1');
    expect(await stsClient.config.credentials()).toMatchObject({ accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'function-secret', sessionToken: 'function-token' });
    expect(kms).toHaveReceivedCommandTimes(DecryptCommand, 1);
    expect(kms).toHaveReceivedCommandWith(DecryptCommand, { KeyId: KEY_ARN, EncryptionContext: expect.objectContaining({ purpose: 'hook provider credentials' }) });
    const kmsClient = kms.call(0).thisValue as KMSClient;
    // The key's Region, not the function's (us-east-1).
    expect(await kmsClient.config.region()).toBe('eu-central-1');
    expect(await kmsClient.config.credentials()).toMatchObject({ accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token' });
    const sent = JSON.stringify([...sts.calls(), ...kms.calls()].map((c) => c.args[0].input));
    for (const secret of Object.values(OWNER)) expect(sent).not.toContain(secret);
  });

  it('a key in an ISO partition is called in its own Region', async () => {
    const isoKey = 'arn:aws-iso:kms:us-iso-east-1:123456789012:key/0b6f1a52-6c1e-4a0b-9a52-2f1d6a0e7d11';
    const iso = await encrypt(JSON.stringify(OWNER), { keyIds: [isoKey] });
    await expect(read(iso.toString('base64'), { keyArn: isoKey, roleArn: ROLE_ARN })).resolves.toEqual(OWNER);
    expect(await (kms.call(0).thisValue as KMSClient).config.region()).toBe('us-iso-east-1');
  });

  it.each(['0014', '0178', '0214', '0346', '0378', '0478', '0578'])('messages of algorithm suite 0x%s, with and without key commitment, are read (as the Java runtime does)', async (suite) => {
    const m = await encrypt(JSON.stringify(OWNER), { suiteId: parseInt(suite, 16) });
    await expect(read(m.toString('base64'))).resolves.toEqual(OWNER);
  });

  // The signer's public key is decoded by node:crypto rather than the Encryption SDK's JavaScript: the
  // signature must still be checked with it, for both curves the SDK signs with.
  it.each(['0214', '0578'])('a message of suite 0x%s whose signature is altered in any byte is refused', async (suite) => {
    const m = await encrypt(JSON.stringify(OWNER), { suiteId: parseInt(suite, 16) });
    const accepted: number[] = [];
    // The message ends with the signature's length (2 bytes) and the DER signature (up to 72 or 104 bytes).
    for (let i = m.length - (suite === '0214' ? 72 : 104); i < m.length; i += 1) {
      const copy = Buffer.from(m);
      copy[i] = copy[i]! ^ 0x01;
      const result = await read(copy.toString('base64')).then(
        () => 'accepted',
        (e: unknown) => (e instanceof CredentialsError ? 'refused' : 'not a CredentialsError'),
      );
      if (result !== 'refused') accepted.push(i);
    }
    expect(accepted).toEqual([]);
  });

  it('decodes the signer key exactly as the Encryption SDK does, for both curves and both point parities', () => {
    const keyring = new KmsKeyringNode({ keyIds: [KEY_ARN], clientProvider: (() => fake.client) as never });
    const ours = new NodeCurveMaterialsManager(keyring);
    const sdk = new NodeDefaultCryptographicMaterialsManager(keyring);
    const parities = new Set<number>();
    for (const [suiteId, curve] of [
      [0x0214, 'prime256v1'],
      [0x0378, 'secp384r1'],
      [0x0578, 'secp384r1'],
    ] as const) {
      const suite = new NodeAlgorithmSuite(suiteId);
      for (let i = 0; i < 8; i += 1) {
        const ecdh = createECDH(curve);
        ecdh.generateKeys();
        const point = ecdh.getPublicKey(undefined, 'compressed');
        parities.add(point[0]!);
        const context = { purpose: 'test', 'aws-crypto-public-key': point.toString('base64') };
        // Ours is the KeyObject of the PEM the SDK writes: the same key, for node:crypto's verify.
        const key = ours._initializeDecryptionMaterial(suite, context).verificationKey!.publicKey as unknown as KeyObject;
        expect(key.export({ type: 'spki', format: 'pem' })).toEqual(sdk._initializeDecryptionMaterial(suite, context).verificationKey!.publicKey);
      }
    }
    expect([...parities].sort()).toEqual([2, 3]);
  });

  it(`reads a message with ${MAX_ENCRYPTED_DATA_KEYS} data keys, refuses one with more before any KMS call`, async () => {
    const others = (n: number) => Array.from({ length: n }, (_, i) => OTHER_ARN.replace(/2$/, String(i + 10)));
    await expect(read((await encrypt(JSON.stringify(OWNER), { keyIds: [KEY_ARN, ...others(MAX_ENCRYPTED_DATA_KEYS - 1)] })).toString('base64'))).resolves.toEqual(OWNER);
    kms.resetHistory();
    const tooMany = await encrypt(JSON.stringify(OWNER), { keyIds: [KEY_ARN, ...others(MAX_ENCRYPTED_DATA_KEYS)] });
    expect(await refusal(read(tooMany.toString('base64')))).toBe('the credentials could not be decrypted: the message has more encrypted data keys than allowed');
    expect(kms.calls()).toHaveLength(0);
  });

  it('a message under another key is refused without asking KMS (strict keyring)', async () => {
    const other = await encrypt(JSON.stringify(OWNER), { keyIds: [OTHER_ARN] });
    expect(await refusal(read(other.toString('base64')))).toBe('the credentials are not encrypted under the hook encryption key');
    expect(kms.calls()).toHaveLength(0);
  });

  it('a message under the hook key and another is decrypted with the hook key only', async () => {
    const both = await encrypt(JSON.stringify(OWNER), { keyIds: [OTHER_ARN, KEY_ARN] });
    await expect(read(both.toString('base64'))).resolves.toEqual(OWNER);
    expect(kms.commandCalls(DecryptCommand).map((c) => c.args[0].input.KeyId)).toEqual([KEY_ARN]);
  });

  // The Encryption SDK's own tests cover its format; these prove the runtime turns every refusal into a
  // clean CredentialsError. Every fourth position keeps the run short while touching every field.
  it('single-byte changes all through the message are refused, and no refusal quotes the credentials', async () => {
    const accepted: number[] = [];
    for (let i = 0; i < message.length; i += 4) {
      const copy = Buffer.from(message);
      copy[i] = copy[i]! ^ 0x01;
      const result = await read(copy.toString('base64')).then(
        () => 'accepted',
        (e: unknown) => (e instanceof CredentialsError ? e.message : 'not a CredentialsError'),
      );
      if (result === 'accepted' || result === 'not a CredentialsError' || Object.values(OWNER).some((s) => result.includes(s))) accepted.push(i);
    }
    expect(accepted).toEqual([]);
  });

  it('truncation at lengths all through the message is refused as malformed, in its header without asking KMS', async () => {
    const accepted: number[] = [];
    let headerCuts = 0;
    for (let n = 1; n < message.length; n += n < 64 ? 1 : 4) {
      kms.resetHistory();
      const result = await read(message.subarray(0, n).toString('base64')).then(
        () => 'accepted',
        (e: unknown) => (e instanceof CredentialsError ? e.message : 'not a CredentialsError'),
      );
      if (result !== 'the credentials could not be decrypted: the message is malformed or was altered') accepted.push(n);
      if (kms.calls().length === 0) headerCuts += 1;
    }
    expect(accepted).toEqual([]);
    // The short cuts end inside the header, before the data key KMS would be asked to decrypt.
    expect(headerCuts).toBeGreaterThan(20);
  });

  it('a message whose plaintext is not credentials is refused', async () => {
    expect(await refusal(read((await encrypt('not json')).toString('base64')))).toBe('the decrypted credentials are not JSON');
    expect(await refusal(read((await encrypt('{"accessKeyId":"A"}')).toString('base64')))).toBe('the credentials lack accessKeyId or secretAccessKey');
  });

  it('text neither JSON nor base64 is refused without any AWS call', async () => {
    expect(await refusal(read('not json, not base64!'))).toBe('the credentials are neither JSON nor base64');
    expect(sts.calls()).toHaveLength(0);
  });

  it('without credentials of its own, the function cannot assume the role', async () => {
    const error = readProviderCredentials(message.toString('base64'), ENCRYPTED, { region: 'us-east-1', env: {}, signal: AbortSignal.timeout(1000) });
    expect(await refusal(error)).toBe('the function has no credentials of its own to assume the encryption key role');
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('STS and KMS failures', () => {
  it.each([
    ['STS denies the role', 'sts', serviceError('AccessDenied', 403), 'sts AssumeRole: AccessDenied (HTTP 403)'],
    ['the function token has expired', 'sts', serviceError('ExpiredToken', 400), 'sts AssumeRole: ExpiredToken (HTTP 400)'],
    ['STS throttles', 'sts', serviceError('Throttling', 400), 'sts AssumeRole: Throttling (HTTP 400)'],
    ['KMS denies', 'kms', serviceError('AccessDeniedException', 400), 'kms Decrypt: AccessDeniedException (HTTP 400)'],
    ['KMS says the key is not the one that encrypted', 'kms', serviceError('IncorrectKeyException', 400), 'kms Decrypt: IncorrectKeyException (HTTP 400)'],
    ['the role credentials are refused', 'kms', serviceError('UnrecognizedClientException', 400), 'kms Decrypt: UnrecognizedClientException (HTTP 400)'],
  ])('%s', async (_name, service, error, reason) => {
    if (service === 'sts') sts.on(AssumeRoleCommand).rejects(error);
    else kms.on(DecryptCommand).rejects(error);
    expect(await refusal(read(message.toString('base64')))).toBe(`the credentials could not be decrypted: ${reason}`);
    if (service === 'sts') expect(kms.calls()).toHaveLength(0);
  });

  it('KMS answering with another key id is refused', async () => {
    kms.on(DecryptCommand).callsFake((input) => ({ ...fake.decrypt(input), KeyId: OTHER_ARN }));
    expect(await refusal(read(message.toString('base64')))).toBe('the credentials could not be decrypted: the message is malformed or was altered');
  });

  it.each([
    ['STS', () => sts.on(AssumeRoleCommand).callsFake(() => new Promise(() => undefined)), 'sts AssumeRole'],
    ['KMS', () => kms.on(DecryptCommand).callsFake(() => new Promise(() => undefined)), 'kms Decrypt'],
  ])('%s never answering: given up at the deadline', async (_name, hang, call) => {
    hang();
    expect(await refusal(read(message.toString('base64'), ENCRYPTED, AbortSignal.timeout(150)))).toBe(`the credentials could not be decrypted: ${call}: the time allowed ran out`);
  });
});
