/**
 * Test-side AWS access to moto_server through the AWS SDK (a devDependency, never in the bundle): an
 * independent reader of what the hook delivered, and the official Encryption SDK to encrypt credentials
 * as CloudFormation does.
 */
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import AWS = require('aws-sdk');

export const REGION = 'us-east-1';
const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export function clients(endpoint: string) {
  const options = { endpoint, region: REGION, credentials: TEST_CREDENTIALS, s3ForcePathStyle: true, maxRetries: 0 };
  return {
    logs: new AWS.CloudWatchLogs(options),
    cloudwatch: new AWS.CloudWatch(options),
    kms: new AWS.KMS(options),
    s3: new AWS.S3({ ...options, signatureVersion: 'v4' }),
  };
}

/** The environment a hook function runs with, pointed at `endpoint`. */
export function hookEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDFUNCTIONROLE',
    AWS_SECRET_ACCESS_KEY: 'function-role-secret',
    AWS_SESSION_TOKEN: 'function-role-token',
  };
}

/** Runs `fn` with `env` added to process.env (the bundle reads it at call time), then restores it. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Every event of every stream in `group`, oldest first; [] when the group does not exist. */
export async function logEvents(endpoint: string, group: string): Promise<{ stream: string; message: string }[]> {
  const { logs } = clients(endpoint);
  let streams: AWS.CloudWatchLogs.LogStreams;
  try {
    streams = (await logs.describeLogStreams({ logGroupName: group }).promise()).logStreams ?? [];
  } catch (error) {
    if ((error as { code?: string }).code === 'ResourceNotFoundException') return [];
    throw error;
  }
  const out: { stream: string; message: string }[] = [];
  for (const s of streams) {
    const events = await logs.getLogEvents({ logGroupName: group, logStreamName: s.logStreamName!, startFromHead: true }).promise();
    for (const e of events.events ?? []) out.push({ stream: s.logStreamName!, message: e.message ?? '' });
  }
  return out;
}

export interface SeenMetric {
  name: string;
  dimensions: Record<string, string>;
}

export async function metrics(endpoint: string, namespace: string): Promise<SeenMetric[]> {
  const { cloudwatch } = clients(endpoint);
  const listed = await cloudwatch.listMetrics({ Namespace: namespace }).promise();
  return (listed.Metrics ?? [])
    .map((m) => ({
      name: m.MetricName!,
      dimensions: Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value])),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A symmetric KMS key in moto; returns its ARN. */
export async function createKey(endpoint: string): Promise<string> {
  const { kms } = clients(endpoint);
  const key = await kms.createKey({ Description: 'hook credentials' }).promise();
  return key.KeyMetadata!.Arn!;
}

/** `plaintext` encrypted as CloudFormation encrypts credentials: the official Encryption SDK, KMS keyring. */
export async function encryptCredentials(endpoint: string, keyArn: string, plaintext: string, suite?: number): Promise<string> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const esdk = require('@aws-crypto/client-node') as typeof import('@aws-crypto/client-node');
  const { KMS } = require('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const clientProvider = esdk.getClient(KMS, { endpoint, region: REGION, credentials: TEST_CREDENTIALS });
  const keyring = new esdk.KmsKeyringNode({ generatorKeyId: keyArn, clientProvider });
  const policy = suite !== undefined && suite < 0x0400 ? esdk.CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT : esdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT;
  const { encrypt } = esdk.buildClient(policy);
  const { result } = await encrypt(keyring, plaintext, {
    encryptionContext: { purpose: 'hook provider credentials' },
    ...(suite === undefined ? {} : { suiteId: suite as never }),
  });
  return Buffer.from(result).toString('base64');
}

/** A presigned GET URL for `bucket/key` in moto, as CloudFormation hands a remote payload. */
export async function presignedPayload(endpoint: string, bucket: string, key: string, body: string): Promise<string> {
  const { s3 } = clients(endpoint);
  await s3.createBucket({ Bucket: bucket }).promise();
  await s3.putObject({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }).promise();
  return s3.getSignedUrl('getObject', { Bucket: bucket, Key: key, Expires: 300 });
}
