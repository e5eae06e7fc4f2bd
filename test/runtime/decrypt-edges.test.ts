/**
 * The edges of encrypted credentials (sources): the signer key of a signed message decoded by Node's
 * crypto with exactly the Encryption SDK's checks (same refusals, same message), and only where that
 * pays (signed P-256/P-384 suites); a role answer without credentials; a role that fails in a way no
 * AWS call names; the KMS Decrypt without a write notice, and closed at the deadline (real HTTP on
 * loopback); a deadline that is due now.
 */
import { createECDH, type KeyObject } from 'node:crypto';
import { buildClient, CommitmentPolicy, KmsKeyringNode, NodeAlgorithmSuite, NodeDefaultCryptographicMaterialsManager } from '@aws-crypto/client-node';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { decryptCredentials, NodeCurveMaterialsManager } from '../../src/runtime/aws/decrypt';
import { deadlineAt } from '../../src/runtime/aws/deadline';
import { assumeRole } from '../../src/runtime/aws/role';
import { FakeKms } from '../support/sdk-mocks';
import { endpointStandIn } from '../support/stand-in';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/0b6f1a52-6c1e-4a0b-9a52-2f1d6a0e7d11';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/hook-encryption';
const OWN = { accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'function-secret', sessionToken: 'function-token' };
const fake = new FakeKms();
const keyring = new KmsKeyringNode({ keyIds: [KEY_ARN], clientProvider: (() => fake.client) as never });

/** The outcome of a materials manager's decoding: the key's PEM, or the message of its refusal. */
function decoded(manager: NodeDefaultCryptographicMaterialsManager, suite: NodeAlgorithmSuite, context: Record<string, string>): string {
  try {
    const key = manager._initializeDecryptionMaterial(suite, context).verificationKey?.publicKey as string | KeyObject | undefined;
    // Ours hands the SDK a KeyObject, the SDK's own decoder a PEM: compared as PEM.
    return key === undefined ? 'no key' : typeof key === 'string' ? key : String(key.export({ type: 'spki', format: 'pem' }));
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

describe("the signer key: the Encryption SDK's checks and answer, by Node's crypto", () => {
  const P256 = new NodeAlgorithmSuite(0x0214);
  const P384 = new NodeAlgorithmSuite(0x0578);
  const keyOf = (curve: string, form: 'compressed' | 'uncompressed'): Buffer => {
    const ecdh = createECDH(curve);
    ecdh.generateKeys();
    return ecdh.getPublicKey(undefined, form);
  };

  it.each([
    ['P-256', P256, 'prime256v1', 32],
    ['P-384', P384, 'secp384r1', 48],
  ] as const)('%s: every malformed point is refused, as the SDK refuses it', (_name, suite, curve, size) => {
    const good = keyOf(curve, 'compressed');
    const points: Record<string, Buffer> = {
      uncompressed: keyOf(curve, 'uncompressed'),
      'prefix 0x04 at the compressed length': Buffer.concat([Buffer.from([4]), good.subarray(1)]),
      'prefix 0x00': Buffer.concat([Buffer.from([0]), good.subarray(1)]),
      'one byte short': good.subarray(0, size),
      'one byte long': Buffer.concat([good, Buffer.from([1])]),
      'the x of the other curve': keyOf(curve === 'prime256v1' ? 'secp384r1' : 'prime256v1', 'compressed'),
    };
    const sdk = new NodeDefaultCryptographicMaterialsManager(keyring);
    const ours = new NodeCurveMaterialsManager(keyring);
    for (const [name, point] of Object.entries(points)) {
      const context = { purpose: 'test', 'aws-crypto-public-key': point.toString('base64') };
      // The SDK refuses each (a wrong prefix by a failure of its arithmetic); ours says why, in its words.
      expect([name, decoded(sdk, suite, context)]).toEqual([name, expect.stringMatching(/^refused: /)]);
      expect([name, decoded(ours, suite, context)]).toEqual([name, 'refused: Compressed point length is not correct.']);
    }
  });

  it('an absent encryption context is refused as the SDK refuses it', () => {
    const context = undefined as unknown as Record<string, string>;
    expect(decoded(new NodeCurveMaterialsManager(keyring), P256, context)).toBe(decoded(new NodeDefaultCryptographicMaterialsManager(keyring), P256, context));
    expect(decoded(new NodeCurveMaterialsManager(keyring), P256, context)).toBe('refused: Encryption context does not contain required public key.');
  });

  // The point of the subclass is the cold-start cost of a decryption (the SDK's portable decoder is
  // its largest first-use cost): it must be bypassed for the signed suites, and used for the rest.
  // The SDK freezes its classes, so the SDK's method is watched from the prototype our class inherits
  // it through (what `super` reads), put back afterwards.
  it("the SDK's own decoder is not used for a signed P-256 or P-384 message, and is for every other case", () => {
    const sdkMethod = NodeDefaultCryptographicMaterialsManager.prototype._initializeDecryptionMaterial;
    let calls = 0;
    const watched = Object.create(NodeDefaultCryptographicMaterialsManager.prototype, {
      _initializeDecryptionMaterial: {
        value(this: NodeDefaultCryptographicMaterialsManager, ...args: Parameters<typeof sdkMethod>) {
          calls += 1;
          return sdkMethod.apply(this, args);
        },
      },
    }) as object;
    Object.setPrototypeOf(NodeCurveMaterialsManager.prototype, watched);
    try {
      const ours = new NodeCurveMaterialsManager(keyring);
      for (const [suite, curve] of [
        [P256, 'prime256v1'],
        [P384, 'secp384r1'],
      ] as const) {
        const material = ours._initializeDecryptionMaterial(suite, { 'aws-crypto-public-key': keyOf(curve, 'compressed').toString('base64') });
        expect(material.verificationKey).toBeDefined();
      }
      expect(calls).toBe(0);
      // Unsigned suites (with and without key commitment): no verification key, the SDK's own path; a
      // signer key in such a message's context is the SDK's own refusal too, not a point decoded.
      const stray = { purpose: 'test', 'aws-crypto-public-key': keyOf('prime256v1', 'compressed').toString('base64') };
      for (const id of [0x0178, 0x0478]) {
        const suite = new NodeAlgorithmSuite(id);
        expect(ours._initializeDecryptionMaterial(suite, { purpose: 'test' }).verificationKey).toBeUndefined();
        expect(decoded(ours, suite, stray)).toBe(decoded(new NodeDefaultCryptographicMaterialsManager(keyring), suite, stray));
        expect(decoded(ours, suite, stray)).toBe('refused: Encryption context contains public verification key for unsigned algorithm suite.');
      }
      expect(calls).toBe(6);
      // A signed suite whose context lacks the key, or has it empty: the SDK's own refusal.
      for (const context of [{ purpose: 'test' }, { 'aws-crypto-public-key': '' }] as Record<string, string>[]) {
        expect(decoded(ours, P256, context)).toBe(decoded(new NodeDefaultCryptographicMaterialsManager(keyring), P256, context));
      }
      expect(calls).toBe(8);
    } finally {
      Object.setPrototypeOf(NodeCurveMaterialsManager.prototype, NodeDefaultCryptographicMaterialsManager.prototype);
    }
  });
});

describe('the role', () => {
  const sts = mockClient(STSClient);
  afterAll(() => sts.restore());

  it('an AssumeRole answer without credentials is a failed call, named as unreadable', async () => {
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'role-secret', SessionToken: undefined as never, Expiration: new Date() } });
    await expect(assumeRole(ROLE_ARN, 'eu-west-1', OWN, AbortSignal.timeout(5000))).rejects.toMatchObject({
      name: 'AwsCallError',
      message: 'sts AssumeRole: the answer has no credentials',
      code: 'unreadable',
    });
  });

  it('a role that fails without a named AWS failure: the Decrypt call failed, and is not sent', async () => {
    const { result } = await buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).encrypt(
      new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider: (() => fake.client) as never }),
      '{}',
    );
    const role = Promise.reject(new Error('not an AWS call'));
    await expect(decryptCredentials(result, KEY_ARN, role, AbortSignal.timeout(5000))).resolves.toEqual({
      ok: false,
      reason: 'the credentials could not be decrypted: kms Decrypt: the call failed',
    });
  });
});

describe('the KMS Decrypt over real HTTP', () => {
  const { listen } = endpointStandIn('KMS');
  let message: Buffer;
  beforeAll(async () => {
    const generator = new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider: (() => fake.client) as never });
    message = (await buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).encrypt(generator, '{"accessKeyId":"A","secretAccessKey":"B"}')).result;
  });

  it('decrypts without a write notice asked for', async () => {
    await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { KeyId: string; CiphertextBlob: string; EncryptionContext?: Record<string, string> };
        const out = fake.decrypt({ ...input, CiphertextBlob: Buffer.from(input.CiphertextBlob, 'base64') });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ KeyId: out.KeyId, Plaintext: Buffer.from(out.Plaintext).toString('base64') }));
      });
    });
    const outcome = await decryptCredentials(message, KEY_ARN, Promise.resolve(OWN), AbortSignal.timeout(5000));
    expect(outcome.ok && outcome.plaintext.toString('utf8')).toBe('{"accessKeyId":"A","secretAccessKey":"B"}');
  });

  it('a Decrypt still unanswered at the deadline is closed then, not left open', async () => {
    let closed: (() => void) | undefined;
    const wasClosed = new Promise<string>((resolve) => (closed = () => resolve('closed')));
    let requests = 0;
    await listen((req) => {
      requests += 1;
      req.resume();
      req.socket.once('close', () => closed!());
    });
    const controller = new AbortController();
    const outcome = decryptCredentials(message, KEY_ARN, Promise.resolve(OWN), controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(1);
    controller.abort();
    await expect(outcome).resolves.toEqual({ ok: false, reason: 'the credentials could not be decrypted: kms Decrypt: the time allowed ran out' });
    // Before the SDK's own 1.5 s request timeout would close it.
    expect(await Promise.race([wasClosed, new Promise((resolve) => setTimeout(() => resolve('still open'), 1000))])).toBe('closed');
    expect(requests).toBe(1);
  });
});

describe('deadlineAt', () => {
  it('a deadline due this very millisecond, or within it, is aborted at once', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      for (const at of [1_000_000, 1_000_000.5]) {
        const d = deadlineAt(at);
        expect([at, d.signal.aborted]).toEqual([at, true]);
        d.dispose();
      }
    } finally {
      now.mockRestore();
    }
  });
});
