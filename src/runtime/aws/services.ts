/** The AWS operations the runtime uses, each a thin typed call over `callJson` / `callQuery`. */
import { type AwsCredentials, AwsError, callJson, callQuery, type CallContext, xmlField } from './client';

/** STS AssumeRole: short-lived credentials for `roleArn` (15 minutes, the shortest STS grants). */
export async function assumeRole(roleArn: string, sessionName: string, context: CallContext): Promise<AwsCredentials> {
  const xml = await callQuery(
    'sts',
    { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: '900' },
    context,
  );
  const accessKeyId = xmlField(xml, 'AccessKeyId');
  const secretAccessKey = xmlField(xml, 'SecretAccessKey');
  const sessionToken = xmlField(xml, 'SessionToken');
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw new AwsError('sts AssumeRole: the answer has no credentials', 'InvalidResponse', 200);
  }
  return { accessKeyId, secretAccessKey, sessionToken };
}

/** KMS Decrypt of a data key under `keyArn` with the message's encryption context. */
export async function kmsDecrypt(
  keyArn: string,
  ciphertext: Uint8Array,
  encryptionContext: Readonly<Record<string, string>>,
  context: CallContext,
): Promise<Uint8Array> {
  const output = await callJson(
    'kms',
    'TrentService.Decrypt',
    { KeyId: keyArn, CiphertextBlob: Buffer.from(ciphertext).toString('base64'), EncryptionContext: encryptionContext },
    context,
  );
  if (typeof output.Plaintext !== 'string') throw new AwsError('kms Decrypt: the answer has no plaintext', 'InvalidResponse', 200);
  if (output.KeyId !== undefined && output.KeyId !== keyArn) {
    throw new AwsError('kms Decrypt: the data key was decrypted under another key', 'InvalidResponse', 200);
  }
  return Buffer.from(output.Plaintext, 'base64');
}

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

export function putLogEvents(logGroupName: string, logStreamName: string, logEvents: readonly LogEvent[], context: CallContext): Promise<unknown> {
  return callJson('logs', 'Logs_20140328.PutLogEvents', { logGroupName, logStreamName, logEvents }, context);
}

export function createLogStream(logGroupName: string, logStreamName: string, context: CallContext): Promise<unknown> {
  return callJson('logs', 'Logs_20140328.CreateLogStream', { logGroupName, logStreamName }, context);
}

export function createLogGroup(logGroupName: string, context: CallContext): Promise<unknown> {
  return callJson('logs', 'Logs_20140328.CreateLogGroup', { logGroupName }, context);
}

export interface MetricDatum {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  readonly value: number;
  readonly timestamp: Date;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** CloudWatch PutMetricData (query protocol: accepted by every CloudWatch endpoint). */
export async function putMetricData(namespace: string, data: readonly MetricDatum[], context: CallContext): Promise<void> {
  const params: Record<string, string> = { Action: 'PutMetricData', Version: '2010-08-01', Namespace: namespace };
  data.forEach((datum, i) => {
    const member = `MetricData.member.${i + 1}`;
    params[`${member}.MetricName`] = datum.name;
    params[`${member}.Unit`] = datum.unit;
    params[`${member}.Value`] = String(datum.value);
    params[`${member}.Timestamp`] = datum.timestamp.toISOString();
    Object.entries(datum.dimensions).forEach(([name, value], j) => {
      params[`${member}.Dimensions.member.${j + 1}.Name`] = name;
      params[`${member}.Dimensions.member.${j + 1}.Value`] = value;
    });
  });
  await callQuery('monitoring', params, context);
}
