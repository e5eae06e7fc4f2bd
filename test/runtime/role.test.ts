/**
 * The role of encrypted credentials (src/runtime/aws/role.ts), over real HTTP to a stand-in STS on
 * loopback: the caller learns when the AssumeRole request has been written, before any answer, so that
 * it can compile the decryption module while the round trip is in flight; and when the call fails
 * without an answer, it learns that the attempt ended. The same notice for the KMS Decrypt request
 * (src/runtime/aws/decrypt.ts), which delivery waits for before setting up its clients.
 */
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { decryptCredentials } from '../../src/runtime/aws/decrypt';
import { assumeRole } from '../../src/runtime/aws/role';
import { FakeKms } from '../support/sdk-mocks';
import { ASSUME_ROLE_ANSWER, ENCRYPTION_ROLE_ARN, endpointStandIn, FUNCTION_CREDENTIALS } from '../support/stand-in';

const OWN = FUNCTION_CREDENTIALS;
const ROLE_ARN = ENCRYPTION_ROLE_ARN;
const ANSWER = ASSUME_ROLE_ANSWER;

const { listen, close } = endpointStandIn('STS', 'KMS');

it('says the request is written before the answer comes, then gives the role credentials', async () => {
  let answer: (() => void) | undefined;
  const received = new Promise<string>((resolve) =>
    listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        answer = () => res.writeHead(200, { 'content-type': 'text/xml' }).end(ANSWER);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    }),
  );
  let written = 0;
  const role = assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000), () => (written += 1));
  const body = await received;
  await new Promise((resolve) => setImmediate(resolve));
  // The whole request has reached the endpoint, which has not answered yet.
  expect(body).toContain('Action=AssumeRole');
  expect(body).toContain(encodeURIComponent(ROLE_ARN));
  expect(written).toBeGreaterThan(0);
  answer!();
  await expect(role).resolves.toEqual({ accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token' });
});

it('says the attempt ended when the endpoint refuses the connection, and the call fails', async () => {
  // A port nothing listens on (the server is closed at once).
  await listen(() => undefined);
  await close();
  let ended = 0;
  await expect(assumeRole(ROLE_ARN, 'us-east-1', OWN, AbortSignal.timeout(5000), () => (ended += 1))).rejects.toMatchObject({ code: 'network' });
  expect(ended).toBeGreaterThan(0);
});

it('says the KMS Decrypt request is written before its answer, once the role is assumed', async () => {
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0b6f1a52-6c1e-4a0b-9a52-2f1d6a0e7d11';
  const fake = new FakeKms();
  const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: (() => fake.client) as never });
  const { result } = await buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).encrypt(keyring, '{}');
  let answer: (() => void) | undefined;
  const received = new Promise<string>((resolve) =>
    listen((req, res) => {
      req.resume();
      req.on('end', () => {
        answer = () => res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'AccessDeniedException' }));
        resolve(String(req.headers['x-amz-target']));
      });
    }),
  );
  let written = 0;
  const role = new Promise<typeof OWN>((resolve) => setTimeout(() => resolve(OWN), 50));
  const outcome = decryptCredentials(result, keyArn, role, AbortSignal.timeout(5000), () => (written += 1));
  expect(await received).toBe('TrentService.Decrypt');
  await new Promise((resolve) => setImmediate(resolve));
  expect(written).toBeGreaterThan(0);
  answer!();
  await expect(outcome).resolves.toEqual({ ok: false, reason: 'the credentials could not be decrypted: kms Decrypt: AccessDeniedException (HTTP 400)' });
});
