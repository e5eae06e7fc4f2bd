// The stack-level check end to end: a 500-resource template (100 task definitions) served on loopback
// as CloudFormation's presigned URL, read and judged by the built hook. A fresh process per cold sample
// (load of dist/handlers.js, dist/network.js, dist/stack.js included); then warm answers in one process,
// interleaved with the peer: the 100 resource-level invocations the same stack makes, one per task definition.
// argv: <handlers.js> <result file> <scale: 1 = full> [cold]
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { syntheticTemplate } from './lib/templates.mjs';

const [handlersPath, resultPath, scaleArg, mode] = process.argv.slice(2);
const scale = Number(scaleArg ?? '1');
const RESOURCES = 500;
const template = syntheticTemplate(RESOURCES);
const body = JSON.stringify({ template, previousTemplate: '' });

const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/stack.json?X-Amz-Signature=bench`;
const stackEvent = () => ({
  clientRequestToken: 'bench-stack',
  actionInvocationPoint: 'CREATE_PRE_PROVISION',
  hookModel: {},
  requestData: { targetName: 'STACK', targetType: 'STACK', targetLogicalId: 'bench', targetModel: {}, payload: url },
});
const context = { awsRequestId: 'bench-stack', getRemainingTimeInMillis: () => 30_000 };

const t0 = performance.now();
const { entrypoint } = createRequire(import.meta.url)(handlersPath);
const first = await entrypoint(stackEvent(), context);
const coldMs = performance.now() - t0;
if (first.errorCode !== 'NonCompliant') throw new Error(`the 500-resource stack answered ${first.hookStatus} ${first.errorCode}: ${first.message}`);

if (mode === 'cold') {
  writeFileSync(resultPath, JSON.stringify({ coldMs }));
  server.close();
} else {
  // The peer: what the resource-level check is handed for the same stack (properties as strings).
  const cli = createRequire(import.meta.url)(handlersPath.replace(/handlers\.js$/, 'cli.js'));
  const plan = cli.planHookRequests(template, {});
  if (!plan.ok || plan.requests.length !== RESOURCES / 5) throw new Error('the peer requests could not be planned');
  const resourceJson = plan.requests.map((p) => JSON.stringify(p.request));
  const rounds = Math.max(5, Math.round(40 * scale));
  const stackMs = [];
  const resourcesMs = [];
  for (let r = 0; r < rounds; r++) {
    let s = performance.now();
    const a = await entrypoint(stackEvent(), context);
    stackMs.push(performance.now() - s);
    if (a.errorCode !== 'NonCompliant') throw new Error('a warm stack answer changed');
    s = performance.now();
    for (const json of resourceJson) await entrypoint(JSON.parse(json), context);
    resourcesMs.push(performance.now() - s);
  }
  writeFileSync(
    resultPath,
    JSON.stringify({
      resources: RESOURCES,
      taskDefinitions: RESOURCES / 5,
      templateBytes: Buffer.byteLength(template),
      payloadBytes: Buffer.byteLength(body),
      answer: { hookStatus: first.hookStatus, errorCode: first.errorCode, messageLength: first.message.length, annotations: first.annotations?.length ?? 0 },
      coldMs,
      stackMs,
      resourcesMs,
    }),
  );
  server.close();
}
