/**
 * Log and metric delivery to the hook owner's account, end to end on the built bundle against
 * moto_server: what lands in the owner's log group and CloudWatch, with plain and KMS-encrypted
 * credentials, and that the answer is the policy's whatever delivery does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKey, createLogGroup, encryptCredentials, hookEnv, logEvents, metrics, withEnv } from '../support/aws';
import { motoForSuite, stdoutOfEachTest } from '../support/lifecycle';
import { unique, uniqueAccount } from '../support/moto';

type Answer = Record<string, unknown>;
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint; testEntrypoint: EntryPoint };

// moto keeps resources per account: the role is in moto's default account, where the test key is.
// Each test has its own log group and account (the metric namespace names it): suites share one moto.
let GROUP: string;
let ACCOUNT: string;
const namespace = (): string => `AWS/CloudFormation/${ACCOUNT}/Guardrails/ECS/ReadonlyRootFilesystem`;
const STREAM = 'arn_aws_cloudformation_eu-west-1_111122223333_stack/web/8a1f2e30-0000-11ef-9a0e-0a1b2c3d4e5f/WebTask';
const PLAIN_CREDENTIALS = JSON.stringify({ accessKeyId: 'AKIDOWNER', secretAccessKey: 'owner-secret-canary', sessionToken: 'owner-token-canary' });

function fixture(): Record<string, any> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', 'create.json'), 'utf8'));
}

/** The fixture's verdict, as CloudFormation gets it without any delivery. */
async function verdictWithoutDelivery(event: Record<string, any>): Promise<Answer> {
  const copy = JSON.parse(JSON.stringify(event));
  delete copy.requestData.providerLogGroupName;
  return bundle.entrypoint(copy);
}

const moto = motoForSuite();
const output = stdoutOfEachTest();
beforeEach(() => {
  GROUP = unique('owner-logs');
  ACCOUNT = uniqueAccount();
});

function request(credentials: string, mutate: (r: Record<string, any>) => void = () => undefined): Record<string, any> {
  const r = fixture();
  r.requestData.providerCredentials = credentials;
  r.requestData.providerLogGroupName = GROUP;
  r.awsAccountId = ACCOUNT;
  mutate(r);
  return r;
}

/**
 * The fixture with its credentials encrypted as CloudFormation sends them: under `encryptUnder` (the
 * hook's key unless a test wants another), to be decrypted through the role with the hook's key.
 */
async function encryptedRequest(
  options: { suite?: number; encryptUnder?: string; keyRegion?: string; mutate?: (r: Record<string, any>) => void } = {},
): Promise<{ event: Record<string, any>; encrypted: string }> {
  const keyArn = await createKey(moto().endpoint, options.keyRegion);
  const encrypted = await encryptCredentials(moto().endpoint, options.encryptUnder ?? keyArn, PLAIN_CREDENTIALS, options.suite);
  const event = request(encrypted, (r) => {
    r.requestData.hookEncryptionKeyArn = keyArn;
    r.requestData.hookEncryptionKeyRole = 'arn:aws:iam::123456789012:role/hook-encryption';
    options.mutate?.(r);
  });
  return { event, encrypted };
}

describe('delivery with plain credentials (local tooling)', () => {
  it('writes the invocation log line to <stack id>/<logical id> in the owner group, creating group and stream', async () => {
    const event = request(PLAIN_CREDENTIALS);
    const answer = await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(event, { awsRequestId: 'req-delivery-1' }));
    const ownLog = [...output()];
    expect(answer).toEqual(await verdictWithoutDelivery(event));
    const events = await logEvents(moto().endpoint, GROUP);
    expect(events).toHaveLength(1);
    expect(events[0]!.stream).toBe(STREAM);
    expect(JSON.parse(events[0]!.message)).toMatchObject({
      level: 'INFO',
      message: 'Answered',
      correlationId: 'req-delivery-1',
      targetLogicalId: 'WebTask',
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
    });
    // The function's own log has the same line and nothing about delivery: it succeeded.
    expect(ownLog).toHaveLength(1);
    expect(ownLog[0]!.trim()).toBe(events[0]!.message);
  });

  it('publishes invocation count and duration under the hook namespace, and an exception for non-verdict failures', async () => {
    const env = hookEnv(moto().endpoint);
    await withEnv(env, () => bundle.entrypoint(request(PLAIN_CREDENTIALS)));
    const dimensions = { DimensionKeyInvocationPointType: 'CREATE_PRE_PROVISION', DimensionKeyHookType: 'Guardrails::ECS::ReadonlyRootFilesystem' };
    expect(await metrics(moto().endpoint, namespace())).toEqual([
      { name: 'HandlerInvocationCount', dimensions },
      { name: 'HandlerInvocationDuration', dimensions },
    ]);
    await withEnv(env, () => bundle.entrypoint(request(PLAIN_CREDENTIALS, (r) => (r.hookModel = { ExemptContainerNames: 'not-a-list' }))));
    expect(await metrics(moto().endpoint, namespace())).toContainEqual({
      name: 'HandlerException',
      dimensions: { ...dimensions, DimensionKeyExceptionType: 'InvalidTypeConfiguration' },
    });
  });

  it('appends to an existing stream on the next invocation of the same resource', async () => {
    const env = hookEnv(moto().endpoint);
    await withEnv(env, () => bundle.entrypoint(request(PLAIN_CREDENTIALS), { awsRequestId: 'first' }));
    await withEnv(env, () => bundle.entrypoint(request(PLAIN_CREDENTIALS), { awsRequestId: 'second' }));
    const events = await logEvents(moto().endpoint, GROUP);
    expect(events.map((e) => [e.stream, JSON.parse(e.message).correlationId])).toEqual([
      [STREAM, 'first'],
      [STREAM, 'second'],
    ]);
  });

  it('delivers nothing for a test event, which carries no delivery settings', async () => {
    await withEnv(hookEnv(moto().endpoint), () =>
      bundle.testEntrypoint({
        credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' },
        actionInvocationPoint: 'CREATE_PRE_PROVISION',
        request: { clientRequestToken: 't', hookContext: { targetName: 'AWS::ECS::TaskDefinition', targetLogicalId: 'T', targetModel: { resourceProperties: { ContainerDefinitions: [] } } } },
      }),
    );
    expect(await logEvents(moto().endpoint, GROUP)).toEqual([]);
  });
});

describe('delivery with credentials encrypted as CloudFormation sends them', () => {
  it('assumes the encryption key role, decrypts through KMS, and delivers under the owner credentials', async () => {
    const { event } = await encryptedRequest();
    const answer = await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(event, { awsRequestId: 'req-kms' }));
    expect(output()).toHaveLength(1);
    expect(answer).toEqual(await verdictWithoutDelivery(event));
    const events = await logEvents(moto().endpoint, GROUP);
    expect(events.map((e) => JSON.parse(e.message).correlationId)).toEqual(['req-kms']);
  });

  it('calls KMS in the Region of the key, not the function Region', async () => {
    const { event } = await encryptedRequest({ keyRegion: 'eu-west-2' });
    expect(event.requestData.hookEncryptionKeyArn).toMatch(/^arn:aws:kms:eu-west-2:/);
    await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(event, { awsRequestId: 'req-other-region' }));
    expect(output().filter((l) => JSON.parse(l).level === 'WARN')).toEqual([]);
    expect((await logEvents(moto().endpoint, GROUP)).map((e) => JSON.parse(e.message).correlationId)).toEqual(['req-other-region']);
  });

  it('takes plain JSON credentials as they are when the key fields are present too', async () => {
    const { event } = await encryptedRequest({ mutate: (r) => (r.requestData.providerCredentials = PLAIN_CREDENTIALS) });
    // Without credentials of its own the function could not decrypt: delivery works only if nothing is decrypted.
    const env = hookEnv(moto().endpoint);
    await withEnv({ AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL!, AWS_REGION: env.AWS_REGION! }, () => bundle.entrypoint(event, { awsRequestId: 'req-plain-with-key' }));
    expect(output().filter((l) => JSON.parse(l).level === 'WARN')).toEqual([]);
    expect((await logEvents(moto().endpoint, GROUP)).map((e) => JSON.parse(e.message).correlationId)).toEqual(['req-plain-with-key']);
  });

  it.each(['0014', '0178', '0378', '0478', '0578'])('reads credentials encrypted with algorithm suite 0x%s', async (suite) => {
    const { event } = await encryptedRequest({ suite: parseInt(suite, 16) });
    await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(event));
    expect(await logEvents(moto().endpoint, GROUP)).toHaveLength(1);
  });

  it('refuses credentials encrypted under another key: nothing delivered, the verdict unchanged, the reason in the function log', async () => {
    const { event } = await encryptedRequest({ encryptUnder: await createKey(moto().endpoint) });
    const answer = await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(event));
    expect(answer).toEqual(await verdictWithoutDelivery(event));
    expect(await logEvents(moto().endpoint, GROUP)).toEqual([]);
    expect(output().map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'Log and metric delivery skipped', reason: 'the credentials are not encrypted under the hook encryption key' }),
    );
  });

  it('skips delivery when the function has no credentials of its own to assume the role', async () => {
    const { event } = await encryptedRequest();
    const env = hookEnv(moto().endpoint);
    const answer = await withEnv({ AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL!, AWS_REGION: env.AWS_REGION! }, () => bundle.entrypoint(event));
    expect(answer).toEqual(await verdictWithoutDelivery(event));
    expect(output().map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ message: 'Log and metric delivery skipped', reason: 'the function has no credentials of its own to assume the encryption key role' }),
    );
  });
});

describe('what is delivered', () => {
  it('never carries a property value or a credential: the owner group holds names, ids and reasons only', async () => {
    const { event, encrypted } = await encryptedRequest({
      mutate: (r) => {
        const c = r.requestData.targetModel.resourceProperties.ContainerDefinitions[0];
        c.Environment = [{ Name: 'DB_PASSWORD', Value: 'env-canary-7f3a' }];
        c.Secrets = [{ Name: 'TOKEN', ValueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:secret-canary-7f3a' }];
        c.Command = ['command-canary-7f3a'];
        c.RepositoryCredentials = { CredentialsParameter: 'repo-canary-7f3a' };
      },
    });
    await withEnv(hookEnv(moto().endpoint), () => bundle.entrypoint(event));
    const delivered = (await logEvents(moto().endpoint, GROUP)).map((e) => e.message).join('\n');
    const everything = `${delivered}\n${output().join('')}`;
    expect(delivered).not.toBe('');
    for (const canary of ['env-canary-7f3a', 'secret-canary-7f3a', 'command-canary-7f3a', 'repo-canary-7f3a', 'owner-secret-canary', 'owner-token-canary', 'AKIDOWNER', 'function-role', 'caller-secret', 'alpine', encrypted.slice(0, 24)]) {
      expect(everything).not.toContain(canary);
    }
  });

  it('keeps invocations apart: each owner group receives only its own invocation, with concurrent invocations too', async () => {
    const env = hookEnv(moto().endpoint);
    const groups = Array.from({ length: 20 }, () => unique('owner-group'));
    await Promise.all(groups.map((g) => createLogGroup(moto().endpoint, g)));
    const answers = await withEnv(env, () =>
      Promise.all(
        groups.map((group, i) =>
          bundle.entrypoint(
            request(PLAIN_CREDENTIALS, (r) => {
              r.clientRequestToken = `token-${i}`;
              r.requestData.providerLogGroupName = group;
              r.requestData.targetLogicalId = `Task${i}`;
              if (i % 2 === 0) r.hookModel = { ExemptContainerNames: ['app', 'sidecar'] };
            }),
            { awsRequestId: `corr-${i}` },
          ),
        ),
      ),
    );
    for (const [i, group] of groups.entries()) {
      expect(answers[i]).toMatchObject({ clientRequestToken: `token-${i}`, hookStatus: i % 2 === 0 ? 'SUCCESS' : 'FAILED' });
      const events = await logEvents(moto().endpoint, group);
      expect(events.map((e) => [e.stream.endsWith(`/Task${i}`), JSON.parse(e.message).correlationId])).toEqual([[true, `corr-${i}`]]);
    }
  });
});
