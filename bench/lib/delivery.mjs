// The log-delivery cold-start variants need AWS endpoints: moto_server (a Python AWS emulator) on
// 127.0.0.1, a KMS key in it, credentials encrypted under that key with the official Encryption SDK
// as the Java runtime decrypts them, and afterwards an independent count of what arrived (AWS SDK v3).
// Everything here is bench-side; the hook's children reach moto only through AWS_ENDPOINT_URL.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';

const require = createRequire(import.meta.url);
// The SDK's warning for Node.js < 22 is about the bench process, not the hook: noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const REGION = 'us-east-1';
/** moto keeps resources per account; the role must be in its default account, where the key is. */
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/hook-encryption';
/** Fake, and only ever sent to moto. */
const BENCH_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const OWNER_CREDENTIALS = { accessKeyId: 'AKIDBENCHOWNER', secretAccessKey: 'bench-owner-secret', sessionToken: 'bench-owner-token' };

/** The environment a hook function gets in Lambda (its own role's credentials), pointed at moto. */
export function functionEnv(endpoint) {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDBENCHFUNCTION',
    AWS_SECRET_ACCESS_KEY: 'bench-function-secret',
    AWS_SESSION_TOKEN: 'bench-function-token',
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts moto_server on a free port; throws (with why) when it is missing or does not come up. */
export async function startMoto() {
  const probe = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error('moto_server was not found on PATH (pip install "moto[server]"); the log-delivery variants need a local AWS endpoint');
  }
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGTERM');
      throw new Error(`moto_server did not answer at ${endpoint} within 30 s`);
    }
    await sleep(100);
  }
  const version = spawnSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
  return {
    endpoint,
    version,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function clients(endpoint) {
  const { CloudWatchLogs } = require('@aws-sdk/client-cloudwatch-logs');
  const { CloudWatch } = require('@aws-sdk/client-cloudwatch');
  const { KMS } = require('@aws-sdk/client-kms');
  const options = { endpoint, region: REGION, credentials: BENCH_CREDENTIALS, maxAttempts: 1 };
  return { logs: new CloudWatchLogs(options), cloudwatch: new CloudWatch(options), kms: new KMS(options) };
}

/**
 * A KMS key in moto and the owner's credentials encrypted under it with the official Encryption SDK
 * (KMS keyring, default suite), base64 as CloudFormation puts them in `providerCredentials`.
 */
export async function prepareEncryptedCredentials(endpoint) {
  const { kms } = clients(endpoint);
  const keyArn = (await kms.createKey({ Description: 'hook encryption key (bench)' })).KeyMetadata.Arn;
  const esdk = require('@aws-crypto/client-node');
  const { KMS } = require('@aws-sdk/client-kms');
  const clientProvider = esdk.getClient(KMS, { endpoint, region: REGION, credentials: BENCH_CREDENTIALS });
  const keyring = new esdk.KmsKeyringNode({ generatorKeyId: keyArn, clientProvider });
  const { encrypt } = esdk.buildClient(esdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const { result } = await encrypt(keyring, JSON.stringify(OWNER_CREDENTIALS), { encryptionContext: { purpose: 'hook provider credentials' } });
  return { keyArn, roleArn: ROLE_ARN, ciphertext: Buffer.from(result).toString('base64') };
}

/**
 * The data key of the bench's encrypted credentials, as KMS in moto decrypts it (read with the official
 * Encryption SDK, the bench's own client): a stand-in KMS can then answer the hook's Decrypt without a round trip.
 */
export async function dataKeyOf(endpoint, encrypted) {
  const esdk = require('@aws-crypto/client-node');
  const { kms } = clients(endpoint);
  let dataKey;
  const clientProvider = () => ({
    decrypt: async (input) => {
      const out = await kms.decrypt(input);
      dataKey = Buffer.from(out.Plaintext);
      return out;
    },
  });
  const keyring = new esdk.KmsKeyringNode({ keyIds: [encrypted.keyArn], clientProvider });
  await esdk.buildClient(esdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).decrypt(keyring, Buffer.from(encrypted.ciphertext, 'base64'));
  if (!dataKey) throw new Error('the bench message has no data key under its KMS key');
  return dataKey;
}

/** `request` with the delivery fields CloudFormation adds when the hook owner configured logging. */
export function withDelivery(request, logGroupName, encrypted) {
  const r = structuredClone(request);
  r.requestData.providerLogGroupName = logGroupName;
  if (encrypted) {
    r.requestData.providerCredentials = encrypted.ciphertext;
    r.requestData.hookEncryptionKeyArn = encrypted.keyArn;
    r.requestData.hookEncryptionKeyRole = encrypted.roleArn;
  } else {
    r.requestData.providerCredentials = JSON.stringify(OWNER_CREDENTIALS);
  }
  return r;
}

/** An owner's log group that already exists, as after the hook's first invocation. */
export async function createLogGroup(endpoint, group) {
  await clients(endpoint).logs.createLogGroup({ logGroupName: group });
}

/** Every event delivered to `group` (all streams, every page), as parsed JSON lines. */
export async function deliveredEvents(endpoint, group) {
  const { logs } = clients(endpoint);
  let streams;
  try {
    streams = (await logs.describeLogStreams({ logGroupName: group })).logStreams ?? [];
  } catch (error) {
    if (error.name === 'ResourceNotFoundException') return [];
    throw error;
  }
  const out = [];
  for (const s of streams) {
    let token;
    for (;;) {
      const page = await logs.getLogEvents({ logGroupName: group, logStreamName: s.logStreamName, startFromHead: true, nextToken: token });
      for (const e of page.events ?? []) out.push(JSON.parse(e.message));
      if (!page.events?.length || page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
  }
  return out;
}

/** Sum of the HandlerInvocationCount data points the hooks published under `namespace`. */
export async function invocationCount(endpoint, namespace, since) {
  const { cloudwatch } = clients(endpoint);
  const listed = (await cloudwatch.listMetrics({ Namespace: namespace, MetricName: 'HandlerInvocationCount' })).Metrics ?? [];
  // moto lists a metric once per data point: one query per distinct set of dimensions.
  const metrics = [...new Map(listed.map((m) => [JSON.stringify(m.Dimensions ?? []), m])).values()];
  let sum = 0;
  for (const m of metrics) {
    const stats = await cloudwatch.getMetricStatistics({
      Namespace: namespace,
      MetricName: m.MetricName,
      Dimensions: m.Dimensions,
      StartTime: new Date(since - 3600_000),
      EndTime: new Date(Date.now() + 3600_000),
      Period: 86400,
      Statistics: ['Sum'],
    });
    for (const p of stats.Datapoints ?? []) sum += p.Sum ?? 0;
  }
  return sum;
}

/** The AWS service and action of a signed request: service from the SigV4 scope, action from the target or the form. */
function describeCall(headers, body) {
  const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '')?.[1] ?? 'unknown';
  const target = headers['x-amz-target'];
  const action = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : (new URLSearchParams(body).get('Action') ?? 'unknown');
  return { service, action };
}

/**
 * A recording proxy in front of moto: which AWS calls one invocation makes, in which order, how long moto
 * took for each. Used only in an untimed pass (the proxy adds its own hop); it keeps names and timings only.
 */
export async function startRecorder(target) {
  const upstream = new URL(target);
  const calls = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = { ...describeCall(req.headers, body.toString('utf8')), start: performance.timeOrigin + performance.now() };
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false },
        (up) => {
          const back = [];
          up.on('data', (c) => back.push(c));
          up.on('end', () => {
            call.end = performance.timeOrigin + performance.now();
            call.ms = call.end - call.start;
            call.status = up.statusCode;
            calls.push(call);
            res.writeHead(up.statusCode, up.headers);
            res.end(Buffer.concat(back));
          });
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    /** The calls recorded since the last take, oldest first. */
    take: () => calls.splice(0).sort((a, b) => a.start - b.start),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
