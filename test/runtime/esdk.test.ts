// Proves the node:crypto ESDK decryptor against the official AWS Encryption SDK for JavaScript (the oracle):
// messages encrypted by the official client with a real 'aws-kms' keyring (backed by an in-test fake KMS)
// must decrypt to the same plaintext, and every tampered, truncated or malformed message must be refused.
import * as crypto from 'node:crypto';
import { AlgorithmSuiteIdentifier, buildClient, CommitmentPolicy, KeyringNode, NodeAlgorithmSuite } from '@aws-crypto/client-node';
import { KmsKeyringClass } from '@aws-crypto/kms-keyring';
import type { Keyring, Newable } from '@aws-crypto/material-management';
import { DataKeyUnwrapper, decryptMessage, DecryptionError, EncryptedDataKey, EncryptionContext } from '../../src/runtime/aws/esdk';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0b6f1a52-6c1e-4a0b-9a52-2f1d6a0e7d11';
const OTHER_ARN = 'arn:aws:kms:us-east-1:123456789012:key/5f0c3a7e-1111-4c2d-8e3f-000000000002';
const CANARY = 'CANARY-plaintext-7f3a91';
const CREDENTIALS = JSON.stringify({
  accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
  secretAccessKey: `${CANARY}/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
  sessionToken: `IQoJb3JpZ2luX2VjEXAMPLE${'x'.repeat(600)}${CANARY}`,
});

/** Minimal in-memory KMS: AES-GCM under a test key, bound to the key id and the encryption context. */
class FakeKms {
  private readonly secret = crypto.randomBytes(32);
  decryptCalls = 0;

  private aad(keyId: string, context: Record<string, string> | undefined): Buffer {
    return Buffer.from(JSON.stringify([keyId, Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]));
  }

  seal(keyId: string, plaintext: Uint8Array, context?: Record<string, string>): Buffer {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.secret, iv);
    cipher.setAAD(this.aad(keyId, context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(keyId);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(id.length);
    return Buffer.concat([len, id, iv, body, cipher.getAuthTag()]);
  }

  async generateDataKey(args: { KeyId: string; NumberOfBytes?: number; EncryptionContext?: Record<string, string> }) {
    const Plaintext = crypto.randomBytes(args.NumberOfBytes ?? 32);
    return { KeyId: args.KeyId, Plaintext, CiphertextBlob: this.seal(args.KeyId, Plaintext, args.EncryptionContext) };
  }

  async encrypt(args: { KeyId: string; Plaintext: Uint8Array; EncryptionContext?: Record<string, string> }) {
    return { KeyId: args.KeyId, CiphertextBlob: this.seal(args.KeyId, args.Plaintext, args.EncryptionContext) };
  }

  async decrypt(args: { KeyId?: string; CiphertextBlob: Uint8Array; EncryptionContext?: Record<string, string> }) {
    this.decryptCalls++;
    const blob = Buffer.from(args.CiphertextBlob);
    if (blob.length < 2 + 12 + 16) throw new Error('InvalidCiphertextException');
    const idLen = blob.readUInt16BE(0);
    const keyId = blob.subarray(2, 2 + idLen).toString();
    if (args.KeyId !== undefined && args.KeyId !== keyId) throw new Error('IncorrectKeyException');
    const iv = blob.subarray(2 + idLen, 14 + idLen);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.secret, iv);
    decipher.setAAD(this.aad(keyId, args.EncryptionContext));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    try {
      const Plaintext = Buffer.concat([decipher.update(blob.subarray(14 + idLen, blob.length - 16)), decipher.final()]);
      return { KeyId: keyId, Plaintext };
    } catch {
      throw new Error('InvalidCiphertextException');
    }
  }
}

const kms = new FakeKms();
// The library only allows subclasses of its keyring class to be constructed.
class KmsKeyring extends KmsKeyringClass<NodeAlgorithmSuite, FakeKms>(KeyringNode as unknown as Newable<Keyring<NodeAlgorithmSuite>>) {}
const keyring = new KmsKeyring({ clientProvider: () => kms, generatorKeyId: KEY_ARN });

const forbid = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
const require_ = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

/** What the hook runtime does: KMS Decrypt of the EDK wrapped under the expected key. */
function unwrapWith(expectedArn: string): DataKeyUnwrapper & { calls: number } {
  const fn = Object.assign(
    async (keys: readonly EncryptedDataKey[], context: EncryptionContext): Promise<Uint8Array> => {
      fn.calls++;
      const edk = keys.find((k) => k.providerId === 'aws-kms' && k.providerInfo === expectedArn);
      if (!edk) throw new Error('no data key encrypted under the expected KMS key');
      const out = await kms.decrypt({ KeyId: expectedArn, CiphertextBlob: edk.ciphertext, EncryptionContext: { ...context } });
      return out.Plaintext;
    },
    { calls: 0 },
  );
  return fn;
}

const unwrap = unwrapWith(KEY_ARN);

async function oracleEncrypt(
  plaintext: Buffer,
  opts: { suiteId?: AlgorithmSuiteIdentifier; encryptionContext?: Record<string, string>; frameLength?: number; keyIds?: string[] } = {},
): Promise<Buffer> {
  const committing = opts.suiteId === undefined ? false : opts.suiteId >= 0x0478;
  const client = committing ? require_ : forbid;
  const ring = opts.keyIds ? new KmsKeyring({ clientProvider: () => kms, generatorKeyId: KEY_ARN, keyIds: opts.keyIds }) : keyring;
  const { result } = await client.encrypt(ring, plaintext, {
    suiteId: opts.suiteId,
    encryptionContext: opts.encryptionContext,
    frameLength: opts.frameLength,
  });
  return result;
}

async function oracleDecrypt(message: Buffer): Promise<Buffer> {
  return (await forbid.decrypt(keyring, message)).plaintext;
}

/** Awaits a refusal and checks what a caller sees: a DecryptionError that never quotes the plaintext. */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  return undefined;
}

async function expectRefused(promise: Promise<unknown>, message?: string): Promise<DecryptionError> {
  const err = await refusal(promise);
  expect(err).toBeInstanceOf(DecryptionError);
  const e = err as DecryptionError;
  expect(e.name).toBe('DecryptionError');
  expect(e.message).not.toContain(CANARY);
  expect(String(e)).not.toContain(CANARY);
  if (message !== undefined) expect(e.message).toBe(message);
  return e;
}

/** Positions where the mutated message was not refused with a clean DecryptionError. */
async function notRefused(messages: Iterable<[number, Buffer]>): Promise<number[]> {
  const bad: number[] = [];
  for (const [position, m] of messages) {
    const err = await refusal(decryptMessage(m, unwrap));
    if (!(err instanceof DecryptionError) || err.message.includes(CANARY)) bad.push(position);
  }
  return bad;
}

const SUITES: readonly AlgorithmSuiteIdentifier[] = [
  0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378, 0x0478, 0x0578,
];
const hex = (id: number) => `0x${id.toString(16).padStart(4, '0')}`;

const PLAINTEXTS: ReadonlyArray<{ name: string; plaintext: Buffer; frameLength?: number }> = [
  { name: 'empty', plaintext: Buffer.alloc(0) },
  { name: '1 byte', plaintext: Buffer.from([0x5a]) },
  { name: 'exactly one frame', plaintext: Buffer.from(`${CANARY}`.padEnd(64, '.')), frameLength: 64 },
  { name: 'several small frames', plaintext: Buffer.from(`${CANARY}`.repeat(9)), frameLength: 16 },
  { name: 'credentials JSON', plaintext: Buffer.from(CREDENTIALS) },
];
const CONTEXTS: ReadonlyArray<{ name: string; context?: Record<string, string> }> = [
  { name: 'no context' },
  { name: 'extra context', context: { purpose: 'hook-credentials', 'stack-ñ': 'ünïcode ✓', '': 'empty key' } },
];

describe('decryptMessage against messages from the official ESDK', () => {
  for (const suiteId of SUITES) {
    describe(`suite ${hex(suiteId)}`, () => {
      for (const { name, plaintext, frameLength } of PLAINTEXTS) {
        for (const { name: ctxName, context } of CONTEXTS) {
          test(`${name}, ${ctxName}`, async () => {
            const message = await oracleEncrypt(plaintext, { suiteId, encryptionContext: context, frameLength });
            // v1 header for non-committing suites, v2 for committing ones.
            expect(message[0]).toBe(suiteId >= 0x0478 ? 2 : 1);
            expect(message.readUInt16BE(suiteId >= 0x0478 ? 1 : 2)).toBe(suiteId);
            expect(contentType(message)).toBe(2);
            const out = await decryptMessage(message, unwrap);
            expect(out.equals(plaintext)).toBe(true);
          });
        }
      }
    });
  }

  test('default suites of both commitment policies (0x0378 with a v1 header, 0x0578 with a v2 header)', async () => {
    const plaintext = Buffer.from(CREDENTIALS);
    const v1 = (await forbid.encrypt(keyring, plaintext)).result;
    const v2 = (await require_.encrypt(keyring, plaintext)).result;
    expect([v1[0], v1.readUInt16BE(2)]).toEqual([1, 0x0378]);
    expect([v2[0], v2.readUInt16BE(1)]).toEqual([2, 0x0578]);
    expect((await decryptMessage(v1, unwrap)).toString()).toBe(CREDENTIALS);
    expect((await decryptMessage(v2, unwrap)).toString()).toBe(CREDENTIALS);
  });

  test('accepts a Uint8Array view at an offset (the shape a base64 decode into a shared buffer gives)', async () => {
    const message = await oracleEncrypt(Buffer.from(CREDENTIALS), { suiteId: 0x0578 });
    const backing = new Uint8Array(message.length + 7);
    backing.set(message, 3);
    const view = backing.subarray(3, 3 + message.length);
    expect((await decryptMessage(view, unwrap)).toString()).toBe(CREDENTIALS);
  });

  test('passes the unwrapper every EDK and the full encryption context (including the signing key)', async () => {
    const message = await oracleEncrypt(Buffer.from('x'), { suiteId: 0x0378, encryptionContext: { a: '1' }, keyIds: [OTHER_ARN] });
    let seen: { keys: readonly EncryptedDataKey[]; context: EncryptionContext } | undefined;
    const out = await decryptMessage(message, async (keys, context) => {
      seen = { keys, context };
      return unwrap(keys, context);
    });
    expect(out.toString()).toBe('x');
    expect(seen?.keys.map((k) => [k.providerId, k.providerInfo])).toEqual([
      ['aws-kms', KEY_ARN],
      ['aws-kms', OTHER_ARN],
    ]);
    expect(Object.keys(seen?.context ?? {}).sort()).toEqual(['a', 'aws-crypto-public-key']);
    expect(seen?.context.a).toBe('1');
  });

  test('decrypts with the EDK of a second key when that is the one the caller trusts', async () => {
    const message = await oracleEncrypt(Buffer.from(CREDENTIALS), { suiteId: 0x0478, keyIds: [OTHER_ARN] });
    expect((await decryptMessage(message, unwrapWith(OTHER_ARN))).toString()).toBe(CREDENTIALS);
  });
});

// ---------------------------------------------------------------------------------------------------------
// A small spec-following encoder for vectors the official client cannot produce (it never writes non-framed
// bodies) or must not (out-of-order frames). Every vector it builds is first decrypted by the oracle.

interface VectorOptions {
  suiteId: number;
  plaintext: Buffer;
  context?: Record<string, string>;
  frameLength: number; // 0 = non-framed body
  sequence?: (index: number, final: boolean) => number;
  aad?: Buffer; // raw serialized encryption context, for malformed-context vectors
  publicKey?: 'omit' | 'uncompressed' | 'other' | 'unpadded';
}

const SIGNING: Record<number, { curve: string; hash: string }> = {
  0x0214: { curve: 'prime256v1', hash: 'sha256' },
  0x0346: { curve: 'secp384r1', hash: 'sha384' },
  0x0378: { curve: 'secp384r1', hash: 'sha384' },
  0x0578: { curve: 'secp384r1', hash: 'sha384' },
};
const KEY_BYTES = (suiteId: number) => ({ 0x14: 16, 0x46: 24, 0x78: 32 })[suiteId & 0xff] as number;
const KDF_HASH = (suiteId: number) => ['', 'sha256', 'sha256', 'sha384', 'sha512', 'sha512'][suiteId >> 8] as string;

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const field = (s: string | Buffer) => {
  const b = Buffer.from(s);
  return Buffer.concat([u16(b.length), b]);
};

function gcmSeal(key: Buffer, iv: Buffer, aad: Buffer, plaintext: Buffer): [Buffer, Buffer] {
  const c = crypto.createCipheriv(`aes-${key.length * 8}-gcm` as crypto.CipherGCMTypes, key, iv);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return [body, c.getAuthTag()];
}

function buildVector(o: VectorOptions): Buffer {
  const committing = o.suiteId >= 0x0478;
  const version = committing ? 2 : 1;
  const context: Record<string, string> = { ...(o.context ?? {}) };
  const signing = SIGNING[o.suiteId];
  let privateKey: crypto.KeyObject | undefined;
  if (signing) {
    const pair = crypto.generateKeyPairSync('ec', { namedCurve: signing.curve });
    privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    const y = Buffer.from(jwk.y as string, 'base64url');
    const prefix = 0x02 | ((y[y.length - 1] as number) & 1);
    const x = Buffer.from(jwk.x as string, 'base64url');
    if (o.publicKey === 'uncompressed') context['aws-crypto-public-key'] = Buffer.concat([Buffer.from([4]), x, y]).toString('base64');
    else if (o.publicKey === 'other') {
      const other = crypto.generateKeyPairSync('ec', { namedCurve: signing.curve }).publicKey.export({ format: 'jwk' });
      const oy = Buffer.from(other.y as string, 'base64url');
      context['aws-crypto-public-key'] = Buffer.concat([Buffer.from([0x02 | ((oy[oy.length - 1] as number) & 1)]), Buffer.from(other.x as string, 'base64url')]).toString('base64');
    } else if (o.publicKey !== 'omit') {
      const encoded = Buffer.concat([Buffer.from([prefix]), x]).toString('base64');
      context['aws-crypto-public-key'] = o.publicKey === 'unpadded' ? encoded.replace(/=+$/, '') : encoded;
    }
  }
  const entries = Object.entries(context).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const aad = o.aad ?? (entries.length ? Buffer.concat([u16(entries.length), ...entries.flatMap(([k, v]) => [field(k), field(v)])]) : Buffer.alloc(0));
  const dataKey = crypto.randomBytes(KEY_BYTES(o.suiteId));
  const edk = kms.seal(KEY_ARN, dataKey, context);
  const edks = Buffer.concat([u16(1), field('aws-kms'), field(KEY_ARN), field(edk)]);
  const messageId = crypto.randomBytes(version === 1 ? 16 : 32);
  const contentType = o.frameLength === 0 ? 1 : 2;
  const suite = u16(o.suiteId);

  let key: Buffer;
  let commitment = Buffer.alloc(0);
  if (committing) {
    key = Buffer.from(crypto.hkdfSync('sha512', dataKey, messageId, Buffer.concat([suite, Buffer.from('DERIVEKEY')]), 32));
    commitment = Buffer.from(crypto.hkdfSync('sha512', dataKey, messageId, Buffer.from('COMMITKEY'), 32));
  } else if (KDF_HASH(o.suiteId)) {
    key = Buffer.from(crypto.hkdfSync(KDF_HASH(o.suiteId), dataKey, Buffer.alloc(0), Buffer.concat([suite, messageId]), dataKey.length));
  } else {
    key = dataKey;
  }

  const header =
    version === 1
      ? Buffer.concat([Buffer.from([1, 0x80]), suite, messageId, u16(aad.length), aad, edks, Buffer.from([contentType]), u32(0), Buffer.from([12]), u32(o.frameLength)])
      : Buffer.concat([Buffer.from([2]), suite, messageId, u16(aad.length), aad, edks, Buffer.from([contentType]), u32(o.frameLength), commitment]);
  const headerIv = version === 1 ? crypto.randomBytes(12) : Buffer.alloc(12);
  const [, headerTag] = gcmSeal(key, headerIv, header, Buffer.alloc(0));
  const headerAuth = version === 1 ? Buffer.concat([headerIv, headerTag]) : headerTag;

  const body: Buffer[] = [];
  const ivFor = (seq: number) => Buffer.concat([Buffer.alloc(8), u32(seq)]);
  if (o.frameLength === 0) {
    const iv = ivFor(1);
    const bodyAad = Buffer.concat([messageId, Buffer.from('AWSKMSEncryptionClient Single Block'), u32(1), u64(o.plaintext.length)]);
    const [ct, tag] = gcmSeal(key, iv, bodyAad, o.plaintext);
    body.push(iv, u64(ct.length), ct, tag);
  } else {
    const sequence = o.sequence ?? ((i: number) => i + 1);
    let offset = 0;
    for (let i = 0; ; i++) {
      const final = o.plaintext.length - offset < o.frameLength;
      const seq = sequence(i, final);
      const chunk = o.plaintext.subarray(offset, offset + (final ? o.plaintext.length - offset : o.frameLength));
      offset += chunk.length;
      const label = final ? 'AWSKMSEncryptionClient Final Frame' : 'AWSKMSEncryptionClient Frame';
      const [ct, tag] = gcmSeal(key, ivFor(seq), Buffer.concat([messageId, Buffer.from(label), u32(seq), u64(chunk.length)]), chunk);
      body.push(...(final ? [u32(0xffffffff), u32(seq), ivFor(seq), u32(ct.length), ct, tag] : [u32(seq), ivFor(seq), ct, tag]));
      if (final) break;
    }
  }
  const signed = Buffer.concat([header, headerAuth, ...body]);
  if (!signing || !privateKey) return signed;
  const signature = crypto.sign(signing.hash, signed, { key: privateKey, dsaEncoding: 'der' });
  return Buffer.concat([signed, field(signature)]);
}

describe('non-framed bodies (the official client only decrypts them, so vectors come from the test encoder)', () => {
  for (const suiteId of SUITES) {
    test(`suite ${hex(suiteId)}`, async () => {
      const plaintext = Buffer.from(CREDENTIALS);
      const message = buildVector({ suiteId, plaintext, context: { purpose: 'non-framed' }, frameLength: 0 });
      expect(contentType(message)).toBe(1);
      // The oracle accepts the vector, so the encoder follows the format.
      expect((await oracleDecrypt(message)).equals(plaintext)).toBe(true);
      expect((await decryptMessage(message, unwrap)).equals(plaintext)).toBe(true);
      // And an empty non-framed body.
      const empty = buildVector({ suiteId, plaintext: Buffer.alloc(0), frameLength: 0 });
      expect((await oracleDecrypt(empty)).length).toBe(0);
      expect((await decryptMessage(empty, unwrap)).length).toBe(0);
    });
  }

  test('the encoder also agrees with the oracle on framed bodies, including an exact multiple of the frame length', async () => {
    for (const suiteId of [0x0178, 0x0578]) {
      for (const plaintext of [Buffer.from(CREDENTIALS), Buffer.alloc(96, 7)]) {
        const message = buildVector({ suiteId, plaintext, frameLength: 32 });
        expect((await oracleDecrypt(message)).equals(plaintext)).toBe(true);
        expect((await decryptMessage(message, unwrap)).equals(plaintext)).toBe(true);
      }
    }
  });
});

/** The header's content type byte (1 = non-framed, 2 = framed). */
function contentType(m: Buffer): number {
  return m[contentTypeOffset(m)] as number;
}

function contentTypeOffset(m: Buffer): number {
  const aadAt = m[0] === 1 ? 20 : 35;
  let p = aadAt + 2 + m.readUInt16BE(aadAt);
  const count = m.readUInt16BE(p);
  p += 2;
  for (let i = 0; i < count; i++) for (let f = 0; f < 3; f++) p += 2 + m.readUInt16BE(p);
  return p;
}

describe('refusals', () => {
  let signedV1: Buffer; // 0x0378, context, several frames
  let signedV2: Buffer; // 0x0578
  let unsignedV2: Buffer; // 0x0478
  let unsignedNoKdf: Buffer; // 0x0014
  let nonFramed: Buffer; // 0x0214 non-framed

  beforeAll(async () => {
    const plaintext = Buffer.from(`${CANARY}:${CANARY}:${CANARY}`);
    signedV1 = await oracleEncrypt(plaintext, { suiteId: 0x0378, encryptionContext: { purpose: 'flip' }, frameLength: 32 });
    signedV2 = await oracleEncrypt(plaintext, { suiteId: 0x0578, frameLength: 32 });
    unsignedV2 = await oracleEncrypt(plaintext, { suiteId: 0x0478, encryptionContext: { purpose: 'flip' }, frameLength: 32 });
    unsignedNoKdf = await oracleEncrypt(plaintext, { suiteId: 0x0014, frameLength: 32 });
    nonFramed = buildVector({ suiteId: 0x0214, plaintext, context: { purpose: 'flip' }, frameLength: 0 });
  });

  const samples = () =>
    ({ signedV1, signedV2, unsignedV2, unsignedNoKdf, nonFramed }) as Record<string, Buffer>;

  test('the untouched samples decrypt', async () => {
    for (const m of Object.values(samples())) {
      expect((await decryptMessage(m, unwrap)).toString()).toBe(`${CANARY}:${CANARY}:${CANARY}`);
    }
  });

  for (const name of ['signedV1', 'signedV2', 'unsignedV2', 'unsignedNoKdf', 'nonFramed']) {
    test(`${name}: every single-byte flip is refused`, async () => {
      const m = samples()[name] as Buffer;
      function* flips(): Generator<[number, Buffer]> {
        for (let i = 0; i < m.length; i++) {
          for (const mask of [0x01, 0x80, 0xff]) {
            const copy = Buffer.from(m);
            copy[i] = (copy[i] as number) ^ mask;
            yield [i, copy];
          }
        }
      }
      expect(await notRefused(flips())).toEqual([]);
    });

    test(`${name}: truncation at every length is refused without calling the unwrapper`, async () => {
      const m = samples()[name] as Buffer;
      const counting = unwrapWith(KEY_ARN);
      const bad: number[] = [];
      for (let n = 0; n < m.length; n++) {
        const err = await refusal(decryptMessage(m.subarray(0, n), counting));
        if (!(err instanceof DecryptionError)) bad.push(n);
      }
      expect(bad).toEqual([]);
      expect(counting.calls).toBe(0);
    });
  }

  test('trailing bytes after the message', async () => {
    await expectRefused(decryptMessage(Buffer.concat([signedV1, Buffer.from([0])]), unwrap), 'message has trailing bytes');
    await expectRefused(decryptMessage(Buffer.concat([unsignedV2, unsignedV2]), unwrap), 'message has trailing bytes');
    await expectRefused(decryptMessage(Buffer.concat([nonFramed, Buffer.from('x')]), unwrap), 'message has trailing bytes');
  });

  test('unknown version and unknown suite', async () => {
    const v3 = Buffer.from(unsignedV2);
    v3[0] = 3;
    await expectRefused(decryptMessage(v3, unwrap), 'unsupported message format version 3');
    const v1Unknown = Buffer.from(signedV1);
    v1Unknown.writeUInt16BE(0x0999, 2);
    await expectRefused(decryptMessage(v1Unknown, unwrap), 'unsupported algorithm suite 0x0999');
    const v2Unknown = Buffer.from(unsignedV2);
    v2Unknown.writeUInt16BE(0x0479, 1);
    await expectRefused(decryptMessage(v2Unknown, unwrap), 'unsupported algorithm suite 0x0479');
    // A committing suite in a v1 header, and a non-committing one in a v2 header.
    const mixed1 = Buffer.from(signedV1);
    mixed1.writeUInt16BE(0x0478, 2);
    await expectRefused(decryptMessage(mixed1, unwrap), 'algorithm suite does not match the message format version');
    const mixed2 = Buffer.from(unsignedV2);
    mixed2.writeUInt16BE(0x0178, 1);
    await expectRefused(decryptMessage(mixed2, unwrap), 'algorithm suite does not match the message format version');
    await expectRefused(decryptMessage(new Uint8Array(0), unwrap), 'message is truncated in version');
  });

  test('a data key of the wrong length', async () => {
    await expectRefused(
      decryptMessage(unsignedV2, async () => crypto.randomBytes(31)),
      'unwrapped data key does not have the 32-byte length of the algorithm suite',
    );
    await expectRefused(
      decryptMessage(unsignedNoKdf, async () => crypto.randomBytes(32)),
      'unwrapped data key does not have the 16-byte length of the algorithm suite',
    );
    await expectRefused(decryptMessage(unsignedV2, async () => 'not bytes' as unknown as Uint8Array));
  });

  test('a right-length but wrong data key fails key commitment (v2) or the header tag (v1)', async () => {
    await expectRefused(decryptMessage(unsignedV2, async () => crypto.randomBytes(32)), 'key commitment does not match');
    await expectRefused(decryptMessage(signedV1, async () => crypto.randomBytes(32)), 'header failed authentication');
    await expectRefused(decryptMessage(unsignedNoKdf, async () => crypto.randomBytes(16)), 'header failed authentication');
  });

  test('an unwrapper that throws (the cause is kept for the caller)', async () => {
    const boom = new Error('AccessDeniedException');
    const err = await expectRefused(
      decryptMessage(signedV2, async () => {
        throw boom;
      }),
      'no encrypted data key could be unwrapped',
    );
    expect(err.cause).toBe(boom);
    // Strict: no EDK under the key the caller expects.
    await expectRefused(decryptMessage(signedV2, unwrapWith(OTHER_ARN)), 'no encrypted data key could be unwrapped');
  });

  test('too many encrypted data keys (default limit 16, configurable)', async () => {
    const seventeen = await oracleEncrypt(Buffer.from(CREDENTIALS), {
      suiteId: 0x0478,
      keyIds: Array.from({ length: 16 }, (_, i) => OTHER_ARN.replace(/2$/, String(i + 10))),
    });
    const counting = unwrapWith(KEY_ARN);
    await expectRefused(decryptMessage(seventeen, counting), 'message has 17 encrypted data keys, more than the limit of 16');
    expect(counting.calls).toBe(0);
    expect((await decryptMessage(seventeen, unwrap, { maxEncryptedDataKeys: 17 })).toString()).toBe(CREDENTIALS);
    const two = await oracleEncrypt(Buffer.from('x'), { suiteId: 0x0178, keyIds: [OTHER_ARN] });
    await expectRefused(decryptMessage(two, unwrap, { maxEncryptedDataKeys: 1 }), 'message has 2 encrypted data keys, more than the limit of 1');
  });

  test('over-size message (default limit 64 KiB, configurable)', async () => {
    const big = await oracleEncrypt(Buffer.alloc(70 * 1024, CANARY), { suiteId: 0x0578 });
    const counting = unwrapWith(KEY_ARN);
    await expectRefused(decryptMessage(big, counting), `message is ${big.length} bytes, more than the limit of 65536`);
    expect(counting.calls).toBe(0);
    expect((await decryptMessage(big, unwrap, { maxMessageBytes: 128 * 1024 })).equals(Buffer.alloc(70 * 1024, CANARY))).toBe(true);
    await expectRefused(decryptMessage(signedV1, unwrap, { maxMessageBytes: 100 }), `message is ${signedV1.length} bytes, more than the limit of 100`);
  });

  test('authentic frames whose sequence numbers do not run 1, 2, 3...', async () => {
    const plaintext = Buffer.from(CREDENTIALS);
    const skipping = buildVector({ suiteId: 0x0178, plaintext, frameLength: 64, sequence: (i) => (i < 2 ? i + 1 : i + 2) });
    await expect(oracleDecrypt(skipping)).rejects.toThrow();
    await expectRefused(decryptMessage(skipping, unwrap), 'frame sequence numbers are out of order');
    const zeroBased = buildVector({ suiteId: 0x0478, plaintext, frameLength: 64, sequence: (i) => i });
    await expectRefused(decryptMessage(zeroBased, unwrap), 'frame sequence numbers are out of order');
    // Two authentic regular frames swapped, with a correct final frame: would reorder the plaintext.
    const swapped = buildVector({ suiteId: 0x0478, plaintext, frameLength: 64, sequence: (i) => (i === 0 ? 2 : i === 1 ? 1 : i + 1) });
    await expect(oracleDecrypt(swapped)).rejects.toThrow();
    await expectRefused(decryptMessage(swapped, unwrap), 'frame sequence numbers are out of order');
    // Regular frames right, final frame numbered one too far (a dropped frame).
    const dropped = buildVector({ suiteId: 0x0178, plaintext, frameLength: 64, sequence: (i, final) => (final ? i + 2 : i + 1) });
    await expectRefused(decryptMessage(dropped, unwrap), 'frame sequence numbers are out of order');
  });

  test('malformed header fields are named', async () => {
    const v1 = Buffer.from(signedV1);
    const at = contentTypeOffset(v1);
    const patched = (m: Buffer, offset: number, bytes: number[]) => {
      const copy = Buffer.from(m);
      Buffer.from(bytes).copy(copy, offset);
      return copy;
    };
    await expectRefused(decryptMessage(patched(v1, 1, [0x81]), unwrap), 'unsupported message type');
    await expectRefused(decryptMessage(patched(v1, at, [3]), unwrap), 'unsupported content type');
    await expectRefused(decryptMessage(patched(v1, at + 4, [1]), unwrap), 'reserved header field is not zero');
    await expectRefused(decryptMessage(patched(v1, at + 5, [16]), unwrap), 'header IV length does not match the algorithm suite');
    await expectRefused(decryptMessage(patched(v1, at + 6, [0, 0, 0, 0]), unwrap), 'frame length does not match the content type');
    await expectRefused(decryptMessage(patched(nonFramed, contentTypeOffset(nonFramed) + 9, [1]), unwrap), 'frame length does not match the content type');
    // One short final frame (20 bytes) in a message that claims 16-byte frames.
    const short = await oracleEncrypt(Buffer.alloc(20, 1), { suiteId: 0x0478, frameLength: 32 });
    await expectRefused(decryptMessage(patched(short, contentTypeOffset(short) + 1, [0, 0, 0, 16]), unwrap), 'final frame is longer than the frame length');
  });

  test('malformed encryption contexts', async () => {
    const vector = (aad: Buffer) => buildVector({ suiteId: 0x0178, plaintext: Buffer.from('x'), frameLength: 16, aad });
    await expectRefused(decryptMessage(vector(u16(0)), unwrap), 'encryption context has a length but no entries');
    await expectRefused(decryptMessage(vector(Buffer.concat([u16(2), field('a'), field('1'), field('a'), field('2')])), unwrap), 'encryption context has a duplicate key');
    await expectRefused(decryptMessage(vector(Buffer.concat([u16(1), field('a'), field('1'), Buffer.from([0])])), unwrap), 'encryption context length does not match its entries');
    await expectRefused(decryptMessage(vector(Buffer.concat([u16(1), field(Buffer.from([0xc3, 0x28])), field('1')])), unwrap), 'encryption context key is not valid UTF-8');
    await expectRefused(decryptMessage(vector(Buffer.concat([u16(2), field('a'), field('1')])), unwrap), 'message is truncated in encryption context key length');
    // "__proto__" stays an ordinary key that reaches the unwrapper (and the KMS context) intact.
    const proto = buildVector({ suiteId: 0x0178, plaintext: Buffer.from('x'), frameLength: 16, context: JSON.parse('{"__proto__":"v"}') });
    expect((await oracleDecrypt(proto)).toString()).toBe('x');
    expect((await decryptMessage(proto, unwrap)).toString()).toBe('x');
  });

  test('a signed suite whose signing key is missing, malformed or not the signer, or an unsigned suite that carries one', async () => {
    const plaintext = Buffer.from(CANARY);
    const counting = unwrapWith(KEY_ARN);
    for (const suiteId of [0x0214, 0x0578]) {
      await expectRefused(decryptMessage(buildVector({ suiteId, plaintext, frameLength: 16, publicKey: 'omit' }), counting), 'signed algorithm suite without a public key in the encryption context');
      await expectRefused(decryptMessage(buildVector({ suiteId, plaintext, frameLength: 16, publicKey: 'uncompressed' }), counting), 'signing public key is not a compressed curve point');
      await expectRefused(decryptMessage(buildVector({ suiteId, plaintext, frameLength: 16, publicKey: 'other' }), counting), 'signature does not verify');
    }
    // A P-384 point is 49 bytes, so its base64 ends in "=="; only the canonical spelling is accepted.
    const unpadded = buildVector({ suiteId: 0x0578, plaintext, frameLength: 16, publicKey: 'unpadded' });
    await expectRefused(decryptMessage(unpadded, counting), 'signing public key is not a compressed curve point');
    expect(counting.calls).toBe(0);
    const withKey = buildVector({ suiteId: 0x0178, plaintext: Buffer.from('x'), context: { 'aws-crypto-public-key': 'A'.repeat(44) }, frameLength: 16 });
    await expect(oracleDecrypt(withKey)).rejects.toThrow();
    await expectRefused(decryptMessage(withKey, unwrap), 'unsigned algorithm suite with a signing public key in the encryption context');
  });

  test('a non-Uint8Array message', async () => {
    await expectRefused(decryptMessage('AYADeB' as unknown as Uint8Array, unwrap), 'message is not a byte array');
  });
});
