/**
 * Test-side AWS access to moto_server through the AWS SDK v3 clients (never the hook's own code): an
 * independent reader of what the hook delivered, and the official Encryption SDK to encrypt credentials
 * as the Java runtime expects them.
 */
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from '@aws-crypto/client-node';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  type LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateKeyCommand, KMS, KMSClient } from '@aws-sdk/client-kms';

export const REGION = 'us-east-1';
const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function options(endpoint: string, region = REGION) {
  return { endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
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

export async function createLogGroup(endpoint: string, group: string): Promise<void> {
  await new CloudWatchLogsClient(options(endpoint)).send(new CreateLogGroupCommand({ logGroupName: group }));
}

/** The names of the streams in `group`. */
export async function logStreamNames(endpoint: string, group: string): Promise<string[]> {
  const out = await new CloudWatchLogsClient(options(endpoint)).send(new DescribeLogStreamsCommand({ logGroupName: group }));
  return (out.logStreams ?? []).map((s) => s.logStreamName ?? '');
}

/** Every event of every stream in `group`, oldest first; [] when the group does not exist. */
export async function logEvents(endpoint: string, group: string): Promise<{ stream: string; message: string }[]> {
  const logs = new CloudWatchLogsClient(options(endpoint));
  let streams: LogStream[];
  try {
    streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams ?? [];
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return [];
    throw error;
  }
  const out: { stream: string; message: string }[] = [];
  for (const s of streams) {
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s.logStreamName!, startFromHead: true }));
    for (const e of events.events ?? []) out.push({ stream: s.logStreamName!, message: e.message ?? '' });
  }
  return out;
}

export interface SeenMetric {
  name: string;
  dimensions: Record<string, string>;
}

export async function metrics(endpoint: string, namespace: string): Promise<SeenMetric[]> {
  const listed = await new CloudWatchClient(options(endpoint)).send(new ListMetricsCommand({ Namespace: namespace }));
  return (listed.Metrics ?? [])
    .map((m) => ({
      name: m.MetricName!,
      dimensions: Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value])),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A symmetric KMS key in moto (in `region`); returns its ARN. */
export async function createKey(endpoint: string, region = REGION): Promise<string> {
  const key = await new KMSClient(options(endpoint, region)).send(new CreateKeyCommand({ Description: 'hook credentials' }));
  return key.KeyMetadata!.Arn!;
}

/** `plaintext` encrypted with the official Encryption SDK and a KMS keyring under `keyArn` (KMS in the key's Region). */
export async function encryptCredentials(endpoint: string, keyArn: string, plaintext: string, suite?: number): Promise<string> {
  const clientProvider = getClient(KMS, { endpoint, credentials: TEST_CREDENTIALS });
  const keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider });
  const policy = suite !== undefined && suite < 0x0400 ? CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT : CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT;
  const { encrypt } = buildClient(policy);
  const { result } = await encrypt(keyring, plaintext, {
    encryptionContext: { purpose: 'hook provider credentials' },
    ...(suite === undefined ? {} : { suiteId: suite as never }),
  });
  return Buffer.from(result).toString('base64');
}
