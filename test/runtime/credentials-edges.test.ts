/**
 * The edges of reading the owner's credentials (src/runtime/credentials.ts): every shape of plain
 * credentials and the refusal each gets; the length bound; what the encrypted path needs before any
 * AWS call (base64, the function's own credentials); a package without the decryption module; and
 * the decrypted plaintext wiped once read. The decryption module is replaced here by a stand-in that
 * gives a known plaintext (the real one is tested in credentials.test.ts and decrypt-edges.test.ts).
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { CredentialsError, readProviderCredentials } from '../../src/runtime/credentials';

/** What the stand-in decryption module does when loaded: load, or fail as a missing file does. */
const mockModule = { missing: false, plaintexts: [] as Buffer[] };
jest.mock('../../src/runtime/aws/decrypt', () => {
  if (mockModule.missing) throw new Error("Cannot find module './aws/decrypt'");
  return {
    decryptCredentials: async () => {
      const plaintext = Buffer.from('{"accessKeyId":"AKIDDECRYPTED","secretAccessKey":"decrypted-secret"}');
      mockModule.plaintexts.push(plaintext);
      return { ok: true, plaintext };
    },
  };
});

const sts = mockClient(STSClient);
beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'role-secret', SessionToken: 'role-token', Expiration: new Date() } });
});
afterAll(() => sts.restore());

const ENCRYPTED = { keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k', roleArn: 'arn:aws:iam::123456789012:role/r' };
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDFUNCTION', AWS_SECRET_ACCESS_KEY: 'function-secret' };
const read = (raw: unknown, encrypted: typeof ENCRYPTED | undefined = undefined, env: NodeJS.ProcessEnv = ENV) =>
  readProviderCredentials(raw, encrypted, { region: 'eu-west-1', env, signal: AbortSignal.timeout(5000) });

async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CredentialsError);
  return { name: (error as Error).name, message: (error as Error).message };
}

// Loaded first: a stand-in that fails to load is not kept, so later tests load it afresh.
it('a package without the decryption module: the credentials are refused, saying so', async () => {
  mockModule.missing = true;
  try {
    expect(await refusal(read('QUJDRA==', ENCRYPTED))).toEqual({
      name: 'CredentialsError',
      message: 'the decryption module (decrypt.js) is missing beside network.js',
    });
  } finally {
    mockModule.missing = false;
  }
});

describe('plain credentials', () => {
  it.each([
    ['a number', 42, 'the credentials are not an object'],
    ['null', null, 'the credentials are not an object'],
    ['JSON null', 'null', 'the credentials are not an object'],
    ['no accessKeyId', { secretAccessKey: 's' }, 'the credentials lack accessKeyId or secretAccessKey'],
    ['an empty accessKeyId', { accessKeyId: '', secretAccessKey: 's' }, 'the credentials lack accessKeyId or secretAccessKey'],
    ['an accessKeyId that is not text', { accessKeyId: 7, secretAccessKey: 's' }, 'the credentials lack accessKeyId or secretAccessKey'],
    ['no secretAccessKey', { accessKeyId: 'A' }, 'the credentials lack accessKeyId or secretAccessKey'],
    ['an empty secretAccessKey', { accessKeyId: 'A', secretAccessKey: '' }, 'the credentials lack accessKeyId or secretAccessKey'],
    ['a secretAccessKey that is not text', { accessKeyId: 'A', secretAccessKey: ['s'] }, 'the credentials lack accessKeyId or secretAccessKey'],
    ['a sessionToken that is a number', { accessKeyId: 'A', secretAccessKey: 's', sessionToken: 5 }, 'the credentials have a sessionToken that is not a string'],
    ['a sessionToken that is an object', { accessKeyId: 'A', secretAccessKey: 's', sessionToken: {} }, 'the credentials have a sessionToken that is not a string'],
  ])('%s is refused', async (_name, raw, message) => {
    expect(await refusal(read(raw))).toEqual({ name: 'CredentialsError', message });
    expect(await refusal(read(JSON.stringify(raw)))).toEqual({ name: 'CredentialsError', message });
  });

  it.each([
    ['no sessionToken', {}, undefined],
    ['a null sessionToken', { sessionToken: null }, undefined],
    ['an empty sessionToken', { sessionToken: '' }, undefined],
    ['a sessionToken', { sessionToken: 't' }, 't'],
  ])('%s is read', async (_name, extra, sessionToken) => {
    const got = await read({ accessKeyId: 'A', secretAccessKey: 's', ...extra });
    expect(got).toStrictEqual({ accessKeyId: 'A', secretAccessKey: 's', sessionToken });
  });

  it('text up to 64 KiB is read; one character more is refused', async () => {
    const json = JSON.stringify({ accessKeyId: 'A', secretAccessKey: 's' });
    const limit = 64 * 1024;
    await expect(read(json + ' '.repeat(limit - json.length))).resolves.toMatchObject({ accessKeyId: 'A' });
    expect(await refusal(read(json + ' '.repeat(limit + 1 - json.length)))).toEqual({ name: 'CredentialsError', message: 'the credentials are too long' });
  });
});

describe('encrypted credentials', () => {
  it('are read from base64 with a line break around it, and the plaintext is wiped once read', async () => {
    mockModule.plaintexts = [];
    await expect(read('\nQUJDRA==\n', ENCRYPTED)).resolves.toStrictEqual({ accessKeyId: 'AKIDDECRYPTED', secretAccessKey: 'decrypted-secret', sessionToken: undefined });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(mockModule.plaintexts).toHaveLength(1);
    expect(mockModule.plaintexts[0]!.every((byte) => byte === 0)).toBe(true);
  });

  it.each(['#QUJDRA==', 'QUJD RA==', 'QUJDRA==='])('%j is neither JSON nor base64: refused before any AWS call', async (raw) => {
    expect(await refusal(read(raw, ENCRYPTED))).toEqual({ name: 'CredentialsError', message: 'the credentials are neither JSON nor base64' });
    expect(sts.calls()).toHaveLength(0);
  });

  it.each([
    ['no key id', { AWS_SECRET_ACCESS_KEY: 'function-secret' }],
    ['no secret key', { AWS_ACCESS_KEY_ID: 'AKIDFUNCTION' }],
    ['an empty key id', { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: 'function-secret' }],
  ])('a function with %s cannot assume the role: refused before any AWS call', async (_name, env) => {
    expect(await refusal(read('QUJDRA==', ENCRYPTED, env))).toEqual({
      name: 'CredentialsError',
      message: 'the function has no credentials of its own to assume the encryption key role',
    });
    expect(sts.calls()).toHaveLength(0);
  });

  it("assumes the role with the function's own credentials, its session token only when set", async () => {
    await read('QUJDRA==', ENCRYPTED, { ...ENV, AWS_SESSION_TOKEN: '' });
    await read('QUJDRA==', ENCRYPTED, { ...ENV, AWS_SESSION_TOKEN: 'function-token' });
    const used = await Promise.all(sts.calls().map((c) => (c.thisValue as STSClient).config.credentials()));
    expect(used.map((c) => [c.accessKeyId, c.secretAccessKey, c.sessionToken])).toEqual([
      ['AKIDFUNCTION', 'function-secret', undefined],
      ['AKIDFUNCTION', 'function-secret', 'function-token'],
    ]);
  });
});
