// Decrypts AWS Encryption SDK messages (the format CloudFormation uses for a hook's providerCredentials)
// with node:crypto only: the official client costs too much bundle size and cold start for one tiny message.
// Follows the public message-format specification: header v1/v2, framed and non-framed bodies, footer.
import * as crypto from 'node:crypto';

export interface EncryptedDataKey {
  readonly providerId: string;
  readonly providerInfo: string;
  readonly ciphertext: Uint8Array;
}
export type EncryptionContext = Readonly<Record<string, string>>;
/** Returns the plaintext data key for one of the EDKs (the caller picks which, e.g. KMS Decrypt of the EDK whose
 *  providerId is 'aws-kms' and providerInfo the expected key ARN); throws to refuse. */
export type DataKeyUnwrapper = (keys: readonly EncryptedDataKey[], context: EncryptionContext) => Promise<Uint8Array>;

/** Every refusal. Messages name the structural reason only, never plaintext or key bytes. */
export class DecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecryptionError';
  }
}

export interface DecryptLimits {
  maxMessageBytes?: number;
  maxEncryptedDataKeys?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
export const DEFAULT_MAX_ENCRYPTED_DATA_KEYS = 16;
export const PUBLIC_KEY_CONTEXT_KEY = 'aws-crypto-public-key';

type Kdf = 'none' | 'sha256' | 'sha384' | 'sha512';
interface Suite {
  readonly id: number;
  readonly keyBytes: 16 | 24 | 32;
  readonly kdf: Kdf;
  readonly committing: boolean;
  readonly signature?: { readonly curve: 'prime256v1' | 'secp384r1'; readonly jwkCurve: 'P-256' | 'P-384'; readonly hash: 'sha256' | 'sha384'; readonly pointBytes: number };
}

const P256 = { curve: 'prime256v1', jwkCurve: 'P-256', hash: 'sha256', pointBytes: 33 } as const;
const P384 = { curve: 'secp384r1', jwkCurve: 'P-384', hash: 'sha384', pointBytes: 49 } as const;

const SUITE_LIST: readonly Suite[] = [
  { id: 0x0014, keyBytes: 16, kdf: 'none', committing: false },
  { id: 0x0046, keyBytes: 24, kdf: 'none', committing: false },
  { id: 0x0078, keyBytes: 32, kdf: 'none', committing: false },
  { id: 0x0114, keyBytes: 16, kdf: 'sha256', committing: false },
  { id: 0x0146, keyBytes: 24, kdf: 'sha256', committing: false },
  { id: 0x0178, keyBytes: 32, kdf: 'sha256', committing: false },
  { id: 0x0214, keyBytes: 16, kdf: 'sha256', committing: false, signature: P256 },
  { id: 0x0346, keyBytes: 24, kdf: 'sha384', committing: false, signature: P384 },
  { id: 0x0378, keyBytes: 32, kdf: 'sha384', committing: false, signature: P384 },
  { id: 0x0478, keyBytes: 32, kdf: 'sha512', committing: true },
  { id: 0x0578, keyBytes: 32, kdf: 'sha512', committing: true, signature: P384 },
];

function suiteById(id: number): Suite | undefined {
  return SUITE_LIST.find((s) => s.id === id);
}

// All suites use AES-GCM with a 96-bit IV and a 128-bit tag.
const IV_BYTES = 12;
const TAG_BYTES = 16;
const COMMITMENT_BYTES = 32;
const FINAL_FRAME_MARKER = 0xffffffff;
const CONTENT_NON_FRAMED = 0x01;
const CONTENT_FRAMED = 0x02;
const FRAME_AAD = Buffer.from('AWSKMSEncryptionClient Frame', 'utf8');
const FINAL_FRAME_AAD = Buffer.from('AWSKMSEncryptionClient Final Frame', 'utf8');
const SINGLE_BLOCK_AAD = Buffer.from('AWSKMSEncryptionClient Single Block', 'utf8');
const KEY_LABEL = Buffer.from('DERIVEKEY', 'utf8');
const COMMIT_LABEL = Buffer.from('COMMITKEY', 'utf8');
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bounds-checked big-endian reader: every read past the end is a DecryptionError, never a RangeError. */
class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  remaining(): number {
    return this.buf.length - this.pos;
  }

  bytes(n: number, what: string): Buffer {
    if (n > this.remaining()) throw new DecryptionError(`message is truncated in ${what}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u8(what: string): number {
    return this.bytes(1, what).readUInt8(0);
  }

  u16(what: string): number {
    return this.bytes(2, what).readUInt16BE(0);
  }

  u32(what: string): number {
    return this.bytes(4, what).readUInt32BE(0);
  }

  u64(what: string): bigint {
    return this.bytes(8, what).readBigUInt64BE(0);
  }

  string(what: string): string {
    const raw = this.bytes(this.u16(`${what} length`), what);
    try {
      return utf8.decode(raw);
    } catch {
      throw new DecryptionError(`${what} is not valid UTF-8`);
    }
  }
}

interface Frame {
  readonly sequence: number;
  readonly final: boolean;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

interface ParsedMessage {
  readonly suite: Suite;
  readonly messageId: Buffer;
  readonly context: EncryptionContext;
  readonly keys: readonly EncryptedDataKey[];
  readonly contentType: number;
  readonly header: Buffer; // the bytes the header tag authenticates
  readonly headerIv: Buffer;
  readonly headerTag: Buffer;
  readonly commitment?: Buffer;
  readonly frames: readonly Frame[];
  readonly signed: Buffer; // header ‖ header auth ‖ body, covered by the footer signature
  readonly signature?: Buffer;
}

function parseContext(raw: Buffer): EncryptionContext {
  // The spec omits the pair count entirely for an empty context.
  if (raw.length === 0) return Object.freeze({});
  const r = new Reader(raw);
  const count = r.u16('encryption context count');
  if (count === 0) throw new DecryptionError('encryption context has a length but no entries');
  const context: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const key = r.string('encryption context key');
    const value = r.string('encryption context value');
    if (Object.prototype.hasOwnProperty.call(context, key)) throw new DecryptionError('encryption context has a duplicate key');
    // defineProperty keeps a key such as "__proto__" an ordinary own entry.
    Object.defineProperty(context, key, { value, enumerable: true });
  }
  if (r.remaining() !== 0) throw new DecryptionError('encryption context length does not match its entries');
  return Object.freeze(context);
}

function parseKeys(r: Reader, max: number): EncryptedDataKey[] {
  const count = r.u16('encrypted data key count');
  if (count === 0) throw new DecryptionError('message has no encrypted data keys');
  if (count > max) throw new DecryptionError(`message has ${count} encrypted data keys, more than the limit of ${max}`);
  const keys: EncryptedDataKey[] = [];
  for (let i = 0; i < count; i++) {
    const providerId = r.string('key provider id');
    const providerInfo = r.string('key provider info');
    const ciphertext = Uint8Array.from(r.bytes(r.u16('encrypted data key length'), 'encrypted data key'));
    keys.push(Object.freeze({ providerId, providerInfo, ciphertext }));
  }
  return keys;
}

function parseFrames(r: Reader, frameLength: number): Frame[] {
  const frames: Frame[] = [];
  for (let expected = 1; ; expected++) {
    const first = r.u32('frame sequence number');
    if (first === FINAL_FRAME_MARKER) {
      const sequence = r.u32('final frame sequence number');
      if (sequence !== expected) throw new DecryptionError('frame sequence numbers are out of order');
      const iv = r.bytes(IV_BYTES, 'frame IV');
      const length = r.u32('final frame length');
      if (length > frameLength) throw new DecryptionError('final frame is longer than the frame length');
      const ciphertext = r.bytes(length, 'final frame content');
      frames.push({ sequence, final: true, iv, ciphertext, tag: r.bytes(TAG_BYTES, 'frame tag') });
      return frames;
    }
    if (first !== expected) throw new DecryptionError('frame sequence numbers are out of order');
    const iv = r.bytes(IV_BYTES, 'frame IV');
    const ciphertext = r.bytes(frameLength, 'frame content');
    frames.push({ sequence: first, final: false, iv, ciphertext, tag: r.bytes(TAG_BYTES, 'frame tag') });
  }
}

function parse(message: Buffer, maxKeys: number): ParsedMessage {
  const r = new Reader(message);
  const version = r.u8('version');
  if (version !== 1 && version !== 2) throw new DecryptionError(`unsupported message format version ${version}`);
  if (version === 1 && r.u8('message type') !== 0x80) throw new DecryptionError('unsupported message type');
  const suiteId = r.u16('algorithm suite');
  const suite = suiteById(suiteId);
  if (!suite) throw new DecryptionError(`unsupported algorithm suite 0x${suiteId.toString(16).padStart(4, '0')}`);
  // Committing suites exist only in v2 headers and v2 headers carry only committing suites.
  if (suite.committing !== (version === 2)) throw new DecryptionError('algorithm suite does not match the message format version');
  const messageId = r.bytes(version === 1 ? 16 : 32, 'message id');
  const context = parseContext(r.bytes(r.u16('encryption context length'), 'encryption context'));
  const keys = parseKeys(r, maxKeys);
  const contentType = r.u8('content type');
  if (contentType !== CONTENT_FRAMED && contentType !== CONTENT_NON_FRAMED) throw new DecryptionError('unsupported content type');
  if (version === 1) {
    if (r.u32('reserved field') !== 0) throw new DecryptionError('reserved header field is not zero');
    if (r.u8('IV length') !== IV_BYTES) throw new DecryptionError('header IV length does not match the algorithm suite');
  }
  const frameLength = r.u32('frame length');
  if (contentType === CONTENT_FRAMED ? frameLength === 0 : frameLength !== 0) {
    throw new DecryptionError('frame length does not match the content type');
  }
  const commitment = suite.committing ? r.bytes(COMMITMENT_BYTES, 'commitment') : undefined;
  const header = message.subarray(0, r.pos);
  const headerIv = version === 1 ? r.bytes(IV_BYTES, 'header IV') : Buffer.alloc(IV_BYTES);
  const headerTag = r.bytes(TAG_BYTES, 'header tag');

  let frames: Frame[];
  if (contentType === CONTENT_FRAMED) {
    frames = parseFrames(r, frameLength);
  } else {
    const iv = r.bytes(IV_BYTES, 'body IV');
    const length = r.u64('body length');
    if (length > BigInt(r.remaining())) throw new DecryptionError('message is truncated in body content');
    const ciphertext = r.bytes(Number(length), 'body content');
    frames = [{ sequence: 1, final: true, iv, ciphertext, tag: r.bytes(TAG_BYTES, 'body tag') }];
  }
  const signed = message.subarray(0, r.pos);
  const signature = suite.signature ? r.bytes(r.u16('signature length'), 'signature') : undefined;
  if (r.remaining() !== 0) throw new DecryptionError('message has trailing bytes');
  return { suite, messageId, context, keys, contentType, header, headerIv, headerTag, commitment, frames, signed, signature };
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function hkdf(hash: string, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  return Buffer.from(crypto.hkdfSync(hash, ikm, salt, info, length));
}

/** Returns the content key, checking key commitment first for committing suites. */
function deriveKey(m: ParsedMessage, dataKey: Uint8Array): Buffer {
  const { suite } = m;
  if (suite.kdf === 'none') return Buffer.from(dataKey);
  if (!suite.committing) {
    return hkdf(suite.kdf, dataKey, Buffer.alloc(0), Buffer.concat([u16(suite.id), m.messageId]), suite.keyBytes);
  }
  const commitment = hkdf(suite.kdf, dataKey, m.messageId, COMMIT_LABEL, COMMITMENT_BYTES);
  const matches = m.commitment !== undefined && crypto.timingSafeEqual(commitment, m.commitment);
  commitment.fill(0);
  if (!matches) throw new DecryptionError('key commitment does not match');
  return hkdf(suite.kdf, dataKey, m.messageId, Buffer.concat([u16(suite.id), KEY_LABEL]), suite.keyBytes);
}

function gcmOpen(key: Buffer, iv: Buffer, aad: Buffer, ciphertext: Buffer, tag: Buffer, what: string): Buffer {
  try {
    const decipher = crypto.createDecipheriv(`aes-${key.length * 8}-gcm` as crypto.CipherGCMTypes, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new DecryptionError(`${what} failed authentication`);
  }
}

function bodyAad(m: ParsedMessage, frame: Frame): Buffer {
  const label = m.contentType === CONTENT_NON_FRAMED ? SINGLE_BLOCK_AAD : frame.final ? FINAL_FRAME_AAD : FRAME_AAD;
  const tail = Buffer.alloc(12);
  tail.writeUInt32BE(frame.sequence, 0);
  tail.writeBigUInt64BE(BigInt(frame.ciphertext.length), 4);
  return Buffer.concat([m.messageId, label, tail]);
}

function verifySignature(m: ParsedMessage): void {
  const sig = m.suite.signature;
  if (!sig) {
    // An unsigned suite must not claim a signing key (the spec's default materials manager refuses it).
    if (Object.prototype.hasOwnProperty.call(m.context, PUBLIC_KEY_CONTEXT_KEY)) {
      throw new DecryptionError('unsigned algorithm suite with a signing public key in the encryption context');
    }
    return;
  }
  const encoded = Object.prototype.hasOwnProperty.call(m.context, PUBLIC_KEY_CONTEXT_KEY) ? m.context[PUBLIC_KEY_CONTEXT_KEY] : undefined;
  if (encoded === undefined) throw new DecryptionError('signed algorithm suite without a public key in the encryption context');
  const point = Buffer.from(encoded, 'base64');
  if (point.toString('base64') !== encoded || point.length !== sig.pointBytes || (point[0] !== 0x02 && point[0] !== 0x03)) {
    throw new DecryptionError('signing public key is not a compressed curve point');
  }
  let verified: boolean;
  try {
    const full = crypto.ECDH.convertKey(point, sig.curve, undefined, undefined, 'uncompressed') as Buffer;
    const half = (full.length - 1) / 2;
    const key = crypto.createPublicKey({
      key: { kty: 'EC', crv: sig.jwkCurve, x: full.subarray(1, 1 + half).toString('base64url'), y: full.subarray(1 + half).toString('base64url') },
      format: 'jwk',
    });
    verified = crypto.verify(sig.hash, m.signed, { key, dsaEncoding: 'der' }, m.signature ?? Buffer.alloc(0));
  } catch {
    throw new DecryptionError('signature could not be verified');
  }
  if (!verified) throw new DecryptionError('signature does not verify');
}

/**
 * Decrypts one ESDK message. The whole message is parsed (and bounds-checked) before the unwrapper is
 * called, and the plaintext is returned only after the header tag, every body tag and the signature verify.
 */
export async function decryptMessage(message: Uint8Array, unwrap: DataKeyUnwrapper, limits?: DecryptLimits): Promise<Buffer> {
  const maxBytes = limits?.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxKeys = limits?.maxEncryptedDataKeys ?? DEFAULT_MAX_ENCRYPTED_DATA_KEYS;
  if (!(message instanceof Uint8Array)) throw new DecryptionError('message is not a byte array');
  if (message.length > maxBytes) throw new DecryptionError(`message is ${message.length} bytes, more than the limit of ${maxBytes}`);
  const m = parse(Buffer.from(message.buffer, message.byteOffset, message.byteLength), maxKeys);
  // Cheap checks that need no key come before the (remote) unwrap.
  verifySignature(m);

  let dataKey: Uint8Array;
  try {
    dataKey = await unwrap(m.keys, m.context);
  } catch (err) {
    throw new DecryptionError('no encrypted data key could be unwrapped', { cause: err });
  }
  if (!(dataKey instanceof Uint8Array) || dataKey.length !== m.suite.keyBytes) {
    throw new DecryptionError(`unwrapped data key does not have the ${m.suite.keyBytes}-byte length of the algorithm suite`);
  }

  const key = deriveKey(m, dataKey);
  const chunks: Buffer[] = [];
  try {
    gcmOpen(key, m.headerIv, m.header, Buffer.alloc(0), m.headerTag, 'header');
    for (const frame of m.frames) {
      chunks.push(gcmOpen(key, frame.iv, bodyAad(m, frame), frame.ciphertext, frame.tag, 'message body'));
    }
    return Buffer.concat(chunks);
  } finally {
    key.fill(0);
    for (const c of chunks) c.fill(0);
  }
}
