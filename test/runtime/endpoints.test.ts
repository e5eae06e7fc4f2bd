/**
 * Where the runtime's clients send their calls: the AWS SDK's own endpoint rules for every partition, and
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> as the SDK defines them. Each client is built with the
 * runtime's configuration (clientConfig) and its request is caught once built and signed: nothing is sent.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig } from '../../src/runtime/aws/sdk';
import { withEnv } from '../support/aws';

const CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'secret' };

type AnyClient = CloudWatchLogsClient | CloudWatchClient | STSClient | KMSClient;

/** The URL `client` would send `command` to, and the Region its signature names. */
async function target(client: AnyClient, command: unknown): Promise<{ url: string; scope: string }> {
  let seen: { url: string; scope: string } | undefined;
  type Add = (middleware: () => (args: { request: unknown }) => Promise<unknown>, options: Record<string, string>) => void;
  (client.middlewareStack.add as unknown as Add)(
    () => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number; path: string; headers: Record<string, string> };
      seen = {
        url: `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`,
        scope: /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '',
      };
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'finalizeRequest', priority: 'low', name: 'catchRequest' },
  );
  await (client.send as (c: unknown) => Promise<unknown>)(command);
  return seen!;
}

const logsCall = new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1, message: 'm' }] });
const metricsCall = new PutMetricDataCommand({ Namespace: 'n', MetricData: [{ MetricName: 'm', Value: 1 }] });

// The suite's setup points every SDK call at a closed port; these tests need the SDK's own resolution.
const noOverride = { AWS_ENDPOINT_URL: '' };

describe('Regions resolve to their partition domain', () => {
  it.each([
    ['us-east-1', 'https://logs.us-east-1.amazonaws.com/', 'https://monitoring.us-east-1.amazonaws.com/'],
    ['cn-north-1', 'https://logs.cn-north-1.amazonaws.com.cn/', 'https://monitoring.cn-north-1.amazonaws.com.cn/'],
    ['us-gov-west-1', 'https://logs.us-gov-west-1.amazonaws.com/', 'https://monitoring.us-gov-west-1.amazonaws.com/'],
    ['us-iso-east-1', 'https://logs.us-iso-east-1.c2s.ic.gov/', 'https://monitoring.us-iso-east-1.c2s.ic.gov/'],
    ['us-isob-east-1', 'https://logs.us-isob-east-1.sc2s.sgov.gov/', 'https://monitoring.us-isob-east-1.sc2s.sgov.gov/'],
  ])('%s', async (region, logsUrl, metricsUrl) => {
    await withEnv(noOverride, async () => {
      expect(await target(new CloudWatchLogsClient(clientConfig(region, CREDENTIALS)), logsCall)).toEqual({ url: logsUrl, scope: region });
      expect(await target(new CloudWatchClient(clientConfig(region, CREDENTIALS)), metricsCall)).toEqual({ url: metricsUrl, scope: region });
    });
  });

  it('KMS and STS in an ISO Region', async () => {
    await withEnv(noOverride, async () => {
      const kms = await target(new KMSClient(clientConfig('us-iso-east-1', CREDENTIALS)), new DecryptCommand({ CiphertextBlob: new Uint8Array(1) }));
      expect(kms).toEqual({ url: 'https://kms.us-iso-east-1.c2s.ic.gov/', scope: 'us-iso-east-1' });
      const sts = await target(new STSClient(clientConfig('us-iso-east-1', CREDENTIALS)), new AssumeRoleCommand({ RoleArn: 'r', RoleSessionName: 's' }));
      expect(sts.url).toBe('https://sts.us-iso-east-1.c2s.ic.gov/');
    });
  });
});

describe('endpoint variables', () => {
  it('AWS_ENDPOINT_URL points every client elsewhere; AWS_ENDPOINT_URL_<SERVICE> wins for its service', async () => {
    await withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://127.0.0.1:5001' }, async () => {
      expect((await target(new CloudWatchLogsClient(clientConfig('eu-west-1', CREDENTIALS)), logsCall)).url).toBe('http://127.0.0.1:5001/');
      expect((await target(new CloudWatchClient(clientConfig('eu-west-1', CREDENTIALS)), metricsCall)).url).toBe('http://127.0.0.1:4566/');
    });
    await withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_CLOUDWATCH: 'http://127.0.0.1:5002', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5003', AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:5004' }, async () => {
      expect((await target(new CloudWatchClient(clientConfig('eu-west-1', CREDENTIALS)), metricsCall)).url).toBe('http://127.0.0.1:5002/');
      expect((await target(new STSClient(clientConfig('eu-west-1', CREDENTIALS)), new AssumeRoleCommand({ RoleArn: 'r', RoleSessionName: 's' }))).url).toBe('http://127.0.0.1:5003/');
      expect((await target(new KMSClient(clientConfig('eu-west-1', CREDENTIALS)), new DecryptCommand({ CiphertextBlob: new Uint8Array(1) }))).url).toBe('http://127.0.0.1:5004/');
    });
  });
});
