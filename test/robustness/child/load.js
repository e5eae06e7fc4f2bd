// A warm Lambda reused: many sequential invocations of the built hook in one process, each checked
// against its own request, with retained heap measured after forced collections. Run with
// node --expose-gc load.js HANDLERS RUNS; prints one JSON summary line.
'use strict';

const hook = require(process.argv[2]);
const runs = Number(process.argv[3] ?? '10000');
const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with --expose-gc');

const containers = [
  { Name: 'app', Image: 'registry.example.com/app:1', ReadonlyRootFilesystem: 'true' },
  { Name: 'sidecar-log', Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', ReadonlyRootFilesystem: false },
];

function request(i, { target = 'AWS::ECS::TaskDefinition', hookModel, point = 'CREATE_PRE_PROVISION' } = {}) {
  return {
    clientRequestToken: `tok-${i}`,
    actionInvocationPoint: point,
    hookModel,
    invocationId: `inv-${i}`,
    requestData: {
      targetName: target,
      targetType: 'RESOURCE',
      targetLogicalId: `Task${i}`,
      targetModel: { resourceProperties: { ContainerDefinitions: containers.map((c) => ({ ...c })) } },
    },
  };
}

// Alternating kinds: the same containers judged with and without an exemption, other targets, bad configurations.
const kinds = [
  { name: 'exempt by name', build: (i) => request(i, { hookModel: { ExemptContainerNames: ['sidecar-*'] } }), status: 'SUCCESS', says: "Exempt by configuration: 'sidecar-log'" },
  { name: 'no exemption', build: (i) => request(i), status: 'FAILED', code: 'NonCompliant', says: "'sidecar-log' (false)" },
  { name: 'exempt by image', build: (i) => request(i, { hookModel: { ExemptImages: ['public.ecr.aws/aws-observability/*'] } }), status: 'SUCCESS', says: "Exempt by configuration: 'sidecar-log'" },
  { name: 'daemon, empty config', build: (i) => request(i, { target: 'AWS::ECS::DaemonTaskDefinition', hookModel: {} }), status: 'FAILED', code: 'NonCompliant', says: "DaemonTaskDefinition 'Task" },
  { name: 'another target', build: (i) => request(i, { target: 'AWS::S3::Bucket', hookModel: { ExemptContainerNames: ['*'] } }), status: 'SUCCESS', says: 'not a target' },
  { name: 'bad configuration', build: (i) => request(i, { hookModel: { ExemptContainerNames: 'sidecar-*' } }), status: 'FAILED', code: 'InvalidTypeConfiguration', says: 'ExemptContainerNames' },
  { name: 'delete', build: (i) => request(i, { point: 'DELETE_PRE_PROVISION' }), status: 'SUCCESS', says: 'DELETE_PRE_PROVISION' },
  {
    name: 'test event',
    door: 'testEntrypoint',
    build: (i) => ({
      actionInvocationPoint: 'UPDATE_PRE_PROVISION',
      request: { clientRequestToken: `tok-${i}`, hookContext: { targetName: 'AWS::ECS::TaskDefinition', targetLogicalId: `Task${i}`, targetModel: { resourceProperties: { ContainerDefinitions: containers } } } },
      typeConfiguration: { ExemptContainerNames: ['app'] },
    }),
    status: 'FAILED',
    code: 'NonCompliant',
    says: "Exempt by configuration: 'app'",
  },
];

const realWrite = process.stdout.write;
let captured = [];
process.stdout.write = (chunk) => {
  captured.push(String(chunk));
  return true;
};

const problems = [];
let checked = 0;

async function invoke(i) {
  const kind = kinds[i % kinds.length];
  captured = [];
  const answer = await hook[kind.door ?? 'entrypoint'](kind.build(i), { awsRequestId: `req-${i}` });
  const lines = captured.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const wrong = [];
  if (answer.clientRequestToken !== `tok-${i}`) wrong.push(`token ${answer.clientRequestToken}`);
  if (answer.hookStatus !== kind.status || answer.errorCode !== kind.code) wrong.push(`verdict ${answer.hookStatus}/${answer.errorCode}`);
  if (!answer.message.includes(kind.says)) wrong.push(`message ${answer.message.slice(0, 120)}`);
  if (kind.door === undefined && kind.status !== 'SUCCESS' && kind.code === 'NonCompliant' && !answer.message.includes(`'Task${i}'`)) {
    wrong.push('message names another resource');
  }
  if (lines.length === 0 || lines.some((l) => l.correlationId !== `req-${i}`)) wrong.push('log line of another invocation');
  const answered = lines.filter((l) => l.message === 'Answered');
  if (answered.length !== 1 || answered[0].hookStatus !== answer.hookStatus) wrong.push('log disagrees with the answer');
  if (kind.door === undefined && answered[0] && answered[0].invocationId !== `inv-${i}`) wrong.push('log carries another invocation id');
  if (wrong.length > 0 && problems.length < 10) problems.push(`#${i} ${kind.name}: ${wrong.join('; ')}`);
  checked++;
}

function heap() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

(async () => {
  let i = 0;
  for (const end = i + 5_000; i < end; i++) await invoke(i); // warm-up: JIT, lazily loaded models
  const before = heap();
  for (const end = i + runs; i < end; i++) await invoke(i);
  const after = heap();
  // Positive control: the same run retaining 400 bytes an invocation must show as growth.
  const retained = [];
  for (const end = i + runs; i < end; i++) {
    await invoke(i);
    retained.push(Array.from({ length: 50 }, (_, k) => i + k)); // 50 small integers: about 400 bytes on the heap
  }
  const leaking = heap();
  process.stdout.write = realWrite;
  process.stdout.write(
    `${JSON.stringify({ runs, checked, problems, before, after, leaking, growth: after - before, controlGrowth: leaking - after, retained: retained.length })}\n`,
  );
})();
