/**
 * Encrypted provider credentials, as the Java runtime reads them (KMSCipher): the AWS Encryption SDK
 * decrypts the message with a strict KMS keyring for exactly `hookEncryptionKeyArn`, calling KMS in the
 * key's own Region with the credentials of `hookEncryptionKeyRole` (assumed by the network half,
 * src/runtime/aws/role.ts, before this module is loaded). Built apart (dist/decrypt.js, the Encryption
 * SDK; the KMS client comes from dist/network.js) and loaded only by an invocation whose credentials are
 * encrypted.
 */
import { createPublicKey, ECDH } from 'node:crypto';
import { buildDecrypt, CommitmentPolicy, KmsKeyringNode, NodeDecryptionMaterial, NodeDefaultCryptographicMaterialsManager } from '@aws-crypto/client-node';
// The class the Encryption SDK checks a verification key against (client-node does not re-export it).
import { type EncryptionContext, type NodeAlgorithmSuite, VerificationKey } from '@aws-crypto/material-management';
import { DecryptCommand, type DecryptCommandInput, KMSClient } from '@aws-sdk/client-kms';
import { type AwsCredentials, AwsCallError, callWithin, clientConfig, whenWritten } from './sdk';

/**
 * The Java runtime's policy (ForbidEncryptAllowDecrypt): messages with and without key commitment are
 * both read. Decryption only; nothing here can encrypt.
 */
const COMMITMENT_POLICY = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT;
/** A message naming more data keys than this is refused before any KMS call (CloudFormation sends one). */
export const MAX_ENCRYPTED_DATA_KEYS = 16;

const { decrypt } = buildDecrypt({ commitmentPolicy: COMMITMENT_POLICY, maxEncryptedDataKeys: MAX_ENCRYPTED_DATA_KEYS });

/** Where the signer's public key is in a signed message's encryption context (the Encryption SDK's name). */
const ENCODED_SIGNER_KEY = 'aws-crypto-public-key';
/** JWK names of the Encryption SDK's signature curves (its suites name them as OpenSSL does). */
const JWK_CURVE: ReadonlyMap<string | undefined, string> = new Map([
  ['prime256v1', 'P-256'],
  ['secp384r1', 'P-384'],
]);

/**
 * The Encryption SDK's default materials manager, with the signer's public key decoded by Node's crypto
 * (OpenSSL) instead of the SDK's portable JavaScript (bn.js modular arithmetic and an asn1.js encoder,
 * the largest first-use cost of a decryption in a fresh process). Same checks, same key: a compressed
 * point of exactly the curve's length, decompressed and checked on the curve by OpenSSL, then handed to
 * the SDK as the KeyObject its PEM would become (the SDK passes the key to node:crypto's verify as it is,
 * so no PEM is written only to be parsed again). Everything else (unsigned suites, a context without the
 * key) is the SDK's own code; the signature is verified by the SDK as before.
 */
export class NodeCurveMaterialsManager extends NodeDefaultCryptographicMaterialsManager {
  override _initializeDecryptionMaterial(suite: NodeAlgorithmSuite, encryptionContext: EncryptionContext): NodeDecryptionMaterial {
    const curve = JWK_CURVE.get(suite.signatureCurve);
    const encoded = encryptionContext?.[ENCODED_SIGNER_KEY];
    if (curve === undefined || typeof encoded !== 'string' || encoded === '') return super._initializeDecryptionMaterial(suite, encryptionContext);
    const point = Buffer.from(encoded, 'base64');
    const size = curve === 'P-256' ? 32 : 48;
    // The SDK's own precondition: a compressed point (0x02 or 0x03, then x) of exactly the curve's length.
    if (point.length !== 1 + size || (point[0] !== 2 && point[0] !== 3)) throw new Error('Compressed point length is not correct.');
    const xy = ECDH.convertKey(point, suite.signatureCurve as string, undefined, undefined, 'uncompressed') as Buffer;
    const key = createPublicKey({
      key: { kty: 'EC', crv: curve, x: xy.subarray(1, 1 + size).toString('base64url'), y: xy.subarray(1 + size).toString('base64url') },
      format: 'jwk',
    });
    // VerificationKey keeps a key that is not raw bytes as it is; its only reader is createVerify().verify.
    return new NodeDecryptionMaterial(suite, encryptionContext).setVerificationKey(new VerificationKey(key as never, suite));
  }
}

/** The result, never a throw: a failure comes as its reason, already in words safe for a log line. */
export type DecryptOutcome = { readonly ok: true; readonly plaintext: Buffer } | { readonly ok: false; readonly reason: string };

/**
 * Decrypts `message` (an Encryption SDK message) with the data key KMS decrypts under `keyArn`, as the
 * role whose credentials `role` brings (asked for by the caller before this module was loaded). The KMS
 * client is set up while the role's answer is awaited; the Decrypt call is sent once the role is
 * assumed, and `onWritten` is called once it is written to its connection (or its attempt ended). The
 * Encryption SDK's own messages are not passed on: the reason says which step failed, in words safe for
 * a log line.
 */
export async function decryptCredentials(
  message: Buffer,
  keyArn: string,
  role: Promise<AwsCredentials>,
  signal: AbortSignal,
  onWritten?: () => void,
): Promise<DecryptOutcome> {
  /** Why the STS or KMS call failed, in words safe for a log line. */
  let callFailure: string | undefined;
  // The keyring asks for a client by the key ARN's Region; its decrypt sends one DecryptCommand under the deadline.
  const clientProvider = (region: string) => ({
    decrypt: async (input: DecryptCommandInput) => {
      try {
        const kms = new KMSClient(clientConfig(region, () => role));
        if (onWritten !== undefined) whenWritten(kms, onWritten);
        // A role that could not be assumed fails here, with its own reason; no Decrypt is sent.
        await role;
        return await callWithin('kms', 'Decrypt', signal, (abortSignal) => kms.send(new DecryptCommand(input), { abortSignal }));
      } catch (error) {
        callFailure = error instanceof AwsCallError ? error.message : 'kms Decrypt: the call failed';
        throw error;
      }
    },
  });
  try {
    const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider: clientProvider as never });
    const { plaintext } = await decrypt(new NodeCurveMaterialsManager(keyring), message);
    return { ok: true, plaintext };
  } catch (error) {
    // The keyring wraps a failed STS or KMS call in its own error; the call's failure says more.
    if (callFailure !== undefined) return { ok: false, reason: `the credentials could not be decrypted: ${callFailure}` };
    const text = error instanceof Error ? error.message : '';
    if (/maxEncryptedDataKeys/.test(text)) return { ok: false, reason: 'the credentials could not be decrypted: the message has more encrypted data keys than allowed' };
    // The header was read and the strict keyring found no data key under the hook's key to ask KMS for:
    // once it asks, it sets the key or throws an error of its own (or the call's, answered above), never this one.
    if (/unencryptedDataKey has not been set/.test(text)) return { ok: false, reason: 'the credentials are not encrypted under the hook encryption key' };
    return { ok: false, reason: 'the credentials could not be decrypted: the message is malformed or was altered' };
  }
}
