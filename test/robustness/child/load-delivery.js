// A warm Lambda reused with log and metric delivery: sequential then concurrent invocations of the built
// hook, each with its own owner credentials, log group and stack, delivering to an in-process stand-in for
// CloudWatch Logs and CloudWatch. The stand-in checks that every delivered batch carries only its own
// invocation's lines and was signed with that invocation's own credentials. Retained heap is measured
// after forced collections. Run with node --expose-gc load-delivery.js HANDLERS RUNS CONCURRENT; prints one
// JSON summary line.
'use strict';

const http = require('node:http');

const hook = require(process.argv[2]);
const runs = Number(process.argv[3] ?? '2000');
const concurrent = Number(process.argv[4] ?? '200');
const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with --expose-gc');

const problems = [];
const note = (p) => {
  if (problems.length < 10) problems.push(p);
};
let delivered = 0;
let metricCalls = 0;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const keyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const target = req.headers['x-amz-target'];
    if (target === 'Logs_20140328.PutLogEvents') {
      const input = JSON.parse(body);
      const i = /^group-(\d+)$/.exec(input.logGroupName)?.[1];
      if (i === undefined) note(`unexpected group ${input.logGroupName}`);
      if (keyId !== `AKIDOWNER${i}`) note(`group-${i} delivered with the credentials of ${keyId}`);
      if (!input.logStreamName.endsWith(`_stack/stack-${i}/0/Task${i}`)) note(`group-${i} got stream ${input.logStreamName}`);
      for (const e of input.logEvents) {
        const line = JSON.parse(e.message);
        if (line.correlationId !== `req-${i}`) note(`group-${i} got a line of ${line.correlationId}`);
      }
      delivered += 1;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
      return;
    }
    if (target === 'GraniteServiceVersion20100801.PutMetricData') {
      metricCalls += 1;
      const ns = JSON.parse(body).Namespace ?? '';
      const account = /^AWS\/CloudFormation\/(\d{12})\//.exec(ns)?.[1];
      if (account === undefined || keyId !== `AKIDOWNER${Number(account) - 100000000000}`) note(`metrics for ${ns} signed by ${keyId}`);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      return;
    }
    note(`unexpected call ${target ?? body.slice(0, 40)}`);
    res.writeHead(400).end('{}');
  });
});

function request(i) {
  return {
    clientRequestToken: `tok-${i}`,
    awsAccountId: String(100000000000 + i),
    stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/stack-${i}/0`,
    hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    hookModel: i % 2 === 0 ? { ExemptContainerNames: ['sidecar'] } : {},
    requestData: {
      targetName: 'AWS::ECS::TaskDefinition',
      targetType: 'RESOURCE',
      targetLogicalId: `Task${i}`,
      targetModel: { resourceProperties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }, { Name: 'sidecar' }] } },
      providerCredentials: JSON.stringify({ accessKeyId: `AKIDOWNER${i}`, secretAccessKey: `secret-${i}`, sessionToken: `token-${i}` }),
      providerLogGroupName: `group-${i}`,
    },
  };
}

const realWrite = process.stdout.write;
process.stdout.write = () => true;

async function invoke(i) {
  const answer = await hook.entrypoint(request(i), { awsRequestId: `req-${i}` });
  const status = i % 2 === 0 ? 'SUCCESS' : 'FAILED';
  if (answer.clientRequestToken !== `tok-${i}` || answer.hookStatus !== status) note(`#${i} answered ${answer.clientRequestToken} ${answer.hookStatus}`);
}

function heap() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

server.listen(0, '127.0.0.1', async () => {
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${server.address().port}`;
  process.env.AWS_REGION = 'us-east-1';
  let i = 0;
  for (const end = i + 3_000; i < end; i++) await invoke(i); // warm-up: JIT, lazily loaded modules, pools
  const before = heap();
  for (const end = i + runs; i < end; i++) await invoke(i);
  const after = heap();
  const start = i;
  await Promise.all(Array.from({ length: concurrent }, (_, k) => invoke(start + k)));
  i += concurrent;
  server.close();
  process.stdout.write = realWrite;
  process.stdout.write(`${JSON.stringify({ invocations: i, delivered, metricCalls, problems, growth: after - before })}\n`);
});
