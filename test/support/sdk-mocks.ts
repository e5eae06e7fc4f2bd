/**
 * Helpers for unit tests whose AWS SDK clients are mocked with aws-sdk-client-mock: service errors as
 * the SDK throws them, and an in-memory stand-in for KMS that the official Encryption SDK can encrypt
 * with (test side) and the mocked KMS client decrypts with (runtime side).
 */
import * as crypto from 'node:crypto';

/** An error as the SDK throws it for a service's error answer: its name is the error code. */
export function serviceError(code: string, httpStatusCode: number, message = 'the service message, never quoted'): Error {
  return Object.assign(new Error(message), { name: code, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

/** KMS in memory: AES-GCM under a test secret, bound to the key id and the encryption context. */
export class FakeKms {
  private readonly secret = crypto.randomBytes(32);

  private aad(keyId: string, context: Record<string, string> | undefined): Buffer {
    return Buffer.from(JSON.stringify([keyId, Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]));
  }

  private seal(keyId: string, plaintext: Uint8Array, context?: Record<string, string>): Buffer {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.secret, iv);
    cipher.setAAD(this.aad(keyId, context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(keyId);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(id.length);
    return Buffer.concat([len, id, iv, body, cipher.getAuthTag()]);
  }

  /** The client the Encryption SDK's KMS keyring calls when encrypting (test side). */
  readonly client = {
    generateDataKey: async (args: { KeyId: string; NumberOfBytes?: number; EncryptionContext?: Record<string, string> }) => {
      const Plaintext = crypto.randomBytes(args.NumberOfBytes ?? 32);
      return { KeyId: args.KeyId, Plaintext, CiphertextBlob: this.seal(args.KeyId, Plaintext, args.EncryptionContext) };
    },
    encrypt: async (args: { KeyId: string; Plaintext: Uint8Array; EncryptionContext?: Record<string, string> }) => ({
      KeyId: args.KeyId,
      CiphertextBlob: this.seal(args.KeyId, args.Plaintext, args.EncryptionContext),
    }),
  };

  /** KMS Decrypt as the mocked KMSClient answers it: IncorrectKeyException for another key, InvalidCiphertextException for a bad blob. */
  decrypt(args: { KeyId?: string; CiphertextBlob?: Uint8Array; EncryptionContext?: Record<string, string> }): { KeyId: string; Plaintext: Uint8Array } {
    const blob = Buffer.from(args.CiphertextBlob ?? []);
    if (blob.length < 2 + 12 + 16) throw serviceError('InvalidCiphertextException', 400);
    const idLen = blob.readUInt16BE(0);
    const keyId = blob.subarray(2, 2 + idLen).toString();
    if (args.KeyId !== undefined && args.KeyId !== keyId) throw serviceError('IncorrectKeyException', 400);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.secret, blob.subarray(2 + idLen, 14 + idLen));
    decipher.setAAD(this.aad(keyId, args.EncryptionContext));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    try {
      return { KeyId: keyId, Plaintext: Buffer.concat([decipher.update(blob.subarray(14 + idLen, blob.length - 16)), decipher.final()]) };
    } catch {
      throw serviceError('InvalidCiphertextException', 400);
    }
  }
}
