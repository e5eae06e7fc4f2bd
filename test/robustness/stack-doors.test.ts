/**
 * The doors issue 10 opened, through the built bundle: stack-level and change-set payloads read from a
 * loopback server (random and hostile bodies, templates, change-set contexts), the Lambda hook's events
 * and environment values. Always: no throw, a well-formed answer, no planted secret in any output, never
 * SUCCESS for a payload that was not read, and the stack-level check never blocks a container the
 * resource-level check would let through (checked against resolutions drawn at random).
 * Replay with FUZZ_SEED=<seed>; FUZZ_SCALE=<n> multiplies the runs.
 */
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import { type Answer, captureOutput, fuzzScale, fuzzSeed, loadHook } from './support/hook';
import { assertWellFormed, Violation } from './support/invariants';

type Door = (event: unknown, context?: { awsRequestId?: string }) => Promise<Answer>;
const built = loadHook() as unknown as { entrypoint: Door; lambdaHook: Door };
const seed = fuzzSeed();
const runs = (n: number) => Math.round(n * fuzzScale());
const CANARY = 'c4n4ry-s3cr3t';
const URL_SECRET = 'X-Amz-Signature=f00dfeed51gnature';
let calls = 0;

// One loopback server for the suite: each request path serves the body registered for it.
let server: Server;
let base = '';
const bodies = new Map<string, Buffer>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = bodies.get((req.url ?? '').split('?')[0]!);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
  console.log(`stack-doors seed ${seed} (replay: FUZZ_SEED=${seed} npx jest test/robustness/stack-doors)`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function serve(body: string | Uint8Array): string {
  calls += 1;
  const path = `/payload-${calls}`;
  bodies.set(path, Buffer.from(body));
  return `${base}${path}?X-Amz-Credential=AKIA${CANARY}&${URL_SECRET}`;
}

function wholeRequest(targetName: 'STACK' | 'CHANGE_SET', url: string, hookModel: unknown = {}): Record<string, unknown> {
  return {
    clientRequestToken: `token-${calls}`,
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    hookModel,
    requestData: { targetName, targetType: targetName, targetLogicalId: targetName === 'STACK' ? 'fuzz' : 'arn:aws:cloudformation:us-east-1:1:changeSet/fuzz/1', targetModel: {}, payload: url },
  };
}

/** Calls a door, capturing everything written; checks the invariants every answer must meet. */
async function call(door: Door, event: unknown, env: Record<string, string> = {}): Promise<Answer> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let answer: Answer | undefined;
  try {
    const { output } = await captureOutput(async () => {
      answer = await door(event, { awsRequestId: `run-${calls}` }).catch((error: unknown) => {
        throw new Violation(`the door rejected: ${String(error)}`);
      });
    });
    const everything = `${output}${JSON.stringify(answer)}`;
    for (const secret of [CANARY, URL_SECRET, 'f00dfeed51gnature']) {
      if (everything.includes(secret)) throw new Violation(`a secret reached the output: ${everything.slice(0, 500)}`);
    }
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const a = answer!;
  if (a.hookStatus === 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK') assertWellFormed({ ...a, hookStatus: 'SUCCESS' });
  else assertWellFormed(a);
  return a;
}

// ---- Templates in a small grammar whose every resolution the test can compute itself ----

type Value = unknown;
const NO_VALUE = { Ref: 'AWS::NoValue' };
const CONDITIONS = ['C1', 'C2'];
const PARAMS = ['P1', 'P2'];

const literalFlagArb: fc.Arbitrary<Value> = fc.constantFrom<Value>(true, false, 'true', 'false', 'TRUE', 'False', 'yes', 1, 0, null, `${CANARY}-flag`);
const flagArb: fc.Arbitrary<Value> = fc.letrec<{ flag: Value }>((tie) => ({
  flag: fc.oneof(
    { arbitrary: literalFlagArb, weight: 5 },
    { arbitrary: fc.constantFrom(...PARAMS).map((p) => ({ Ref: p })), weight: 1 },
    { arbitrary: fc.constant(NO_VALUE), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...CONDITIONS), tie('flag'), tie('flag')).map(([c, a, b]) => ({ 'Fn::If': [c, a, b] })), weight: 2, depthSize: 'small' },
  ),
})).flag;

const containerArb: fc.Arbitrary<Value> = fc
  .record(
    {
      Name: fc.oneof(fc.constantFrom('app', 'sidecar', 'log_router', 'web'), fc.constant({ Ref: 'P1' }), fc.string({ maxLength: 8 })),
      Image: fc.constantFrom('nginx', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr/app' }),
      ReadonlyRootFilesystem: flagArb,
      Environment: fc.constant([{ Name: 'TOKEN', Value: CANARY }]),
    },
    { requiredKeys: ['Environment'] },
  )
  .map((c) => c as Value);
const entryArb: fc.Arbitrary<Value> = fc.oneof(
  { arbitrary: containerArb, weight: 6 },
  { arbitrary: fc.tuple(fc.constantFrom(...CONDITIONS), containerArb, fc.oneof(containerArb, fc.constant(NO_VALUE))).map(([c, a, b]) => ({ 'Fn::If': [c, a, b] })), weight: 1 },
  { arbitrary: fc.constantFrom<Value>(`${CANARY}-entry`, 7), weight: 1 },
);
const resourceArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    Type: fc.constantFrom('AWS::ECS::TaskDefinition', 'AWS::ECS::DaemonTaskDefinition'),
    Condition: fc.constantFrom(...CONDITIONS),
    Properties: fc.record(
      {
        ContainerDefinitions: fc.oneof({ arbitrary: fc.array(entryArb, { maxLength: 4 }), weight: 8 }, { arbitrary: fc.constantFrom<Value>({ Ref: 'P2' }, `${CANARY}-list`), weight: 1 }),
        RuntimePlatform: fc.constantFrom<Value>({ OperatingSystemFamily: 'LINUX' }, { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }, { OperatingSystemFamily: { Ref: 'P1' } }),
      },
      { requiredKeys: ['ContainerDefinitions'] },
    ),
  },
  { requiredKeys: ['Type', 'Properties'] },
);
const templateArb = fc.record({
  resources: fc.dictionary(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,8}$/), resourceArb, { minKeys: 1, maxKeys: 4 }),
  defaults: fc.record({ P1: fc.constantFrom('true', 'false', 'x'), P2: fc.constantFrom('true', 'false') }),
});

function templateOf(t: { resources: Record<string, unknown>; defaults: Record<string, string> }): Record<string, unknown> {
  return {
    Parameters: { P1: { Type: 'String', Default: t.defaults.P1 }, P2: { Type: 'String', Default: t.defaults.P2 } },
    Conditions: { C1: { 'Fn::Equals': [{ Ref: 'P1' }, 'true'] }, C2: { 'Fn::Equals': [{ Ref: 'P2' }, 'true'] } },
    Resources: t.resources,
  };
}

/** What CloudFormation would hand the resource-level hook under one resolution, primitives as strings. */
function resolve(value: Value, conditions: Record<string, boolean>, params: Record<string, string>): Value {
  if (Array.isArray(value)) return value.map((v) => resolve(v, conditions, params)).filter((v) => v !== NO_VALUE);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('Fn::If' in record) {
      const [c, a, b] = record['Fn::If'] as [string, Value, Value];
      return resolve(conditions[c] ? a : b, conditions, params);
    }
    if ('Ref' in record) return record.Ref === 'AWS::NoValue' ? NO_VALUE : params[record.Ref as string];
    if ('Fn::Sub' in record) return '123456789012.dkr.ecr/app';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      const r = resolve(v, conditions, params);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/**
 * How the resource-level answer names a container the stack-level answer named by position
 * (`ContainerDefinitions[i]`: its name was not literal): its resolved Name, at its resolved position.
 */
function labelAfterResolution(properties: Value, label: string, conditions: Record<string, boolean>, params: Record<string, string>): string {
  const at = /^ContainerDefinitions\[(\d+)\]$/.exec(label);
  if (!at) return label;
  const raw = (properties as { ContainerDefinitions: Value[] }).ContainerDefinitions;
  let index = -1;
  let entry: Value;
  for (let i = 0; i <= Number(at[1]); i++) {
    const resolved = resolve(raw[i], conditions, params);
    if (resolved !== NO_VALUE) index += 1;
    if (i === Number(at[1])) entry = resolved;
  }
  const given = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>).Name : undefined;
  // An integer or boolean name is named by its text, as the resource-level check names it.
  const name = (typeof given === 'number' && Number.isSafeInteger(given)) || typeof given === 'boolean' ? String(given) : given;
  return typeof name === 'string' && name !== '' ? name : `ContainerDefinitions[${index}]`;
}

/** Container labels (as the resource-level answer names them) of the containers a stack-level answer blocks. */
function stackBlocked(answer: Answer): { logicalId: string; container: string }[] {
  if (answer.errorCode !== 'NonCompliant') return [];
  return (answer.annotations ?? [])
    .filter((a) => a.status === 'FAILED')
    .map((a) => /^Container '(.*)' of \w+ '(.*)' \(line \d+\) can write/.exec(a.statusMessage ?? '') ?? /^\w+ '(.*)' \(line \d+\): ContainerDefinitions is not a list/.exec(a.statusMessage ?? ''))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => (m.length === 3 ? { logicalId: m[2]!, container: m[1]! } : { logicalId: m[1]!, container: '' }));
}

const seen = { blocked: 0, left: 0 };

describe('stack-level: never a block the resource-level check would not give', () => {
  it('holds for random templates under random resolutions', async () => {
    await fc.assert(
      fc.asyncProperty(
        templateArb,
        fc.array(fc.record({ C1: fc.boolean(), C2: fc.boolean(), P1: fc.constantFrom('true', 'false', 'x', ''), P2: fc.constantFrom('true', 'false') }), { minLength: 4, maxLength: 4 }),
        fc.constantFrom<unknown>({}, { ExemptContainerNames: ['log_*'] }, { ExemptImages: ['public.ecr.aws/*'] }),
        async (t, resolutions, hookModel) => {
          const text = JSON.stringify(templateOf(t));
          const answer = await call(built.entrypoint, wholeRequest('STACK', serve(JSON.stringify({ template: text, previousTemplate: '' })), hookModel));
          if (answer.hookStatus !== 'SUCCESS' && answer.errorCode !== 'NonCompliant') throw new Violation(`a readable template answered ${answer.errorCode}`);
          const blocked = stackBlocked(answer);
          if (blocked.length > 0) seen.blocked += 1;
          if (answer.message.includes('Left to the resource-level check')) seen.left += 1;
          if (blocked.length > 0 && (answer.annotations?.length ?? 0) >= 25) return; // the list is cut: nothing more to compare
          for (const r of resolutions) {
            for (const b of blocked) {
              const resource = t.resources[b.logicalId] as Record<string, unknown>;
              const properties = resolve(resource.Properties, { C1: r.C1, C2: r.C2 }, { P1: r.P1, P2: r.P2 }) as Record<string, unknown>;
              const event = {
                clientRequestToken: 'res',
                actionInvocationPoint: 'CREATE_PRE_PROVISION',
                hookModel,
                requestData: { targetName: resource.Type, targetLogicalId: b.logicalId, targetModel: { resourceProperties: properties } },
              };
              const resourceAnswer = await call(built.entrypoint, event);
              const label = labelAfterResolution(resource.Properties, b.container, { C1: r.C1, C2: r.C2 }, { P1: r.P1, P2: r.P2 });
              const named = b.container === '' ? resourceAnswer.message.includes('ContainerDefinitions is not a list') : (resourceAnswer.annotations ?? []).some((a) => a.status === 'FAILED' && (a.statusMessage ?? '').startsWith(`Container '${label}' can write to its root filesystem: `));
              if (resourceAnswer.errorCode !== 'NonCompliant' || !named) {
                throw new Violation(`stack-level blocked ${b.logicalId}/${b.container}, the resource-level check lets it through under ${JSON.stringify(r)}: ${resourceAnswer.message}`);
              }
            }
          }
        },
      ),
      { seed, numRuns: runs(300) },
    );
    // The generators reach both sides: templates blocked, and values left to the resource-level check.
    expect(seen.blocked).toBeGreaterThan(10);
    expect(seen.left).toBeGreaterThan(10);
  });
});

describe('payload bodies: never SUCCESS for what was not read', () => {
  it('random bytes, strings and JSON that is not the payload', async () => {
    const bodyArb = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => ({ raw: b as string | Uint8Array, readable: false })),
      fc.string({ maxLength: 200 }).map((s) => ({ raw: s as string | Uint8Array, readable: false })),
      fc.jsonValue({ maxDepth: 3 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0).map((v) => ({ raw: JSON.stringify(v) as string | Uint8Array, readable: false })),
      fc.record({ template: fc.oneof(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 2 })), Template: fc.jsonValue({ maxDepth: 2 }), previousTemplate: fc.string({ maxLength: 10 }), changedResources: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => ({ raw: JSON.stringify(v) as string | Uint8Array, readable: true })),
    );
    await fc.assert(
      fc.asyncProperty(bodyArb, fc.constantFrom<'STACK' | 'CHANGE_SET'>('STACK', 'CHANGE_SET'), async (body, target) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.from(body.raw).toString('utf8'));
        } catch {
          parsed = undefined;
        }
        const isDocument = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed as object).length > 0;
        const answer = await call(built.entrypoint, wholeRequest(target, serve(body.raw)));
        if (!isDocument && (answer.hookStatus !== 'FAILED' || answer.errorCode === 'NonCompliant')) throw new Violation('an unread payload did not fail as unread');
        const doc = parsed as Record<string, unknown> | undefined;
        // The Java runtime's form is read too: a field in any case, a template as a JSON object.
        const field = (name: string): unknown => (!isDocument || doc === undefined ? undefined : doc[name] ?? doc[Object.keys(doc).find((k) => k.toLowerCase() === name.toLowerCase()) ?? '']);
        const template = field('template');
        const hasTemplate = (typeof template === 'string' && template.trim() !== '') || (template !== null && typeof template === 'object' && !Array.isArray(template));
        const unusable = target === 'STACK' ? !hasTemplate : !Array.isArray(field('changedResources'));
        if (unusable && answer.hookStatus !== 'FAILED') throw new Violation('a payload without a template or change list passed');
      }),
      { seed, numRuns: runs(400) },
    );
  });

  it('random template text (YAML and JSON fragments): answered, never thrown', async () => {
    const pieces = ['Resources:', '  T:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', '        - Name: a', '          ReadonlyRootFilesystem: !If [C, false, false]', '          Environment: [{Name: K, Value: ' + CANARY + '}]', '&a [*a, *a]', '{"Resources": {', '!Ref', '\t', ': :', '- - -', "'", '"', '{{resolve:ssm:x}}', 'Transform: My::Macro'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), async (lines) => {
        const answer = await call(built.entrypoint, wholeRequest('STACK', serve(JSON.stringify({ template: lines.join('\n'), previousTemplate: '' }))));
        if (answer.hookStatus === 'FAILED' && answer.errorCode !== 'NonCompliant' && answer.errorCode !== 'InvalidRequest') throw new Violation(`unexpected ${answer.errorCode}`);
      }),
      { seed, numRuns: runs(300) },
    );
  });
});

describe('change-set contexts', () => {
  it('a resolved afterContext gets the resource-level verdict; an unreadable one never passes', async () => {
    const contextArb = fc.oneof(
      { arbitrary: fc.array(containerArb, { maxLength: 4 }).map((cs) => ({ ok: true as const, props: resolve({ ContainerDefinitions: cs }, { C1: true, C2: false }, { P1: 'app', P2: 'true' }) })), weight: 4 },
      { arbitrary: fc.string({ maxLength: 30 }).map((s) => ({ ok: false as const, raw: s })), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(contextArb, async (context) => {
        const afterContext = context.ok ? JSON.stringify({ Properties: context.props }) : (context as { raw: string }).raw;
        const body = { template: '', changedResources: [{ action: 'CREATE', logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', lineNumber: 3, afterContext }] };
        const answer = await call(built.entrypoint, wholeRequest('CHANGE_SET', serve(JSON.stringify(body))));
        if (!context.ok) {
          let readable = false;
          try {
            const v = JSON.parse((context as { raw: string }).raw);
            readable = v !== null && typeof v === 'object' && !Array.isArray(v) && (v.Properties === undefined || v.Properties === null || (typeof v.Properties === 'object' && !Array.isArray(v.Properties)));
          } catch {
            readable = (context as { raw: string }).raw === '';
          }
          if (!readable && (answer.hookStatus !== 'FAILED' || answer.errorCode !== 'InvalidRequest')) throw new Violation('an unreadable context did not fail as unread');
          return;
        }
        const resource = await call(built.entrypoint, {
          clientRequestToken: 'r',
          actionInvocationPoint: 'CREATE_PRE_PROVISION',
          requestData: { targetName: 'AWS::ECS::TaskDefinition', targetLogicalId: 'Web', targetModel: { resourceProperties: context.props } },
        });
        const cs = answer.hookStatus === 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK' ? 'SUCCESS' : answer.hookStatus;
        if (cs !== resource.hookStatus) throw new Violation(`change set ${answer.hookStatus}, resource ${resource.hookStatus}: ${answer.message} / ${resource.message}`);
      }),
      { seed, numRuns: runs(400) },
    );
  });
});

describe('the Lambda hook', () => {
  const LAMBDA_STATUSES = new Set(['SUCCESS', 'FAILED', 'IN_PROGRESS']);
  const LAMBDA_CODES = new Set(['NonCompliant', 'InternalFailure']);
  const lambdaOk = (a: Answer): void => {
    if (!LAMBDA_STATUSES.has(a.hookStatus)) throw new Violation(`status ${a.hookStatus}`);
    if (a.errorCode !== undefined && !LAMBDA_CODES.has(a.errorCode)) throw new Violation(`error code ${a.errorCode}`);
    if (a.hookStatus === 'FAILED' && a.errorCode === undefined) throw new Violation('FAILED without an error code');
  };

  it('random events: only the statuses and error codes a Lambda hook accepts', async () => {
    const eventArb = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({
        clientRequestToken: fc.oneof(fc.uuid(), fc.anything()),
        actionInvocationPoint: fc.constantFrom<unknown>('CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION', 'DELETE_PRE_PROVISION', 'X', 3),
        hookModel: fc.constantFrom<unknown>({ LambdaFunction: 'arn:aws:lambda:us-east-1:1:function:f' }, null, 'x'),
        requestData: fc.record(
          {
            targetName: fc.constantFrom<unknown>('AWS::ECS::TaskDefinition', 'STACK', 'CHANGE_SET', 'AWS::S3::Bucket', ''),
            targetType: fc.constantFrom<unknown>('RESOURCE', 'STACK', 'CHANGE_SET'),
            targetLogicalId: fc.string({ maxLength: 20 }),
            targetModel: fc.oneof(fc.constant({}), fc.record({ resourceProperties: fc.record({ ContainerDefinitions: fc.array(containerArb, { maxLength: 3 }) }) }), fc.anything({ maxDepth: 2 })),
            payload: fc.constantFrom<unknown>(undefined, 'https://', 'file:///etc/passwd', 'not a url', 7),
          },
          { requiredKeys: ['targetName'] },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(eventArb, async (event) => {
        calls += 1;
        lambdaOk(await call(built.lambdaHook, event));
      }),
      { seed, numRuns: runs(600) },
    );
  });

  it('random environment values: valid lists judged, anything else FAILED naming the variable', async () => {
    const item = fc.oneof(fc.constantFrom('log_*', 'app', '', ' ', '*', '?x'), fc.string({ maxLength: 6 }).filter((s) => !s.includes(',')), fc.constant('x'.repeat(300)));
    const valueArb = fc.oneof(fc.array(item, { maxLength: 5 }).map((xs) => xs.join(',')), fc.string({ maxLength: 40 }), fc.constant(Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('EXEMPT_CONTAINER_NAMES', 'EXEMPT_IMAGES'), valueArb, async (variable, value) => {
        const event = {
          clientRequestToken: 'env',
          actionInvocationPoint: 'CREATE_PRE_PROVISION',
          hookModel: { LambdaFunction: 'arn:aws:lambda:us-east-1:1:function:f' },
          requestData: { targetName: 'AWS::ECS::TaskDefinition', targetLogicalId: 'Web', targetModel: { resourceProperties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }] } } },
        };
        const answer = await call(built.lambdaHook, event, { [variable]: value });
        lambdaOk(answer);
        const items = value.trim() === '' ? [] : value.split(',').map((s) => s.trim());
        const limit = variable === 'EXEMPT_IMAGES' ? 1024 : 255;
        const valid = items.length <= 100 && items.every((s) => s.length > 0 && s.length <= limit);
        if (valid && answer.hookStatus !== 'SUCCESS') throw new Violation(`a valid ${variable} was refused: ${answer.message}`);
        if (!valid && !(answer.hookStatus === 'FAILED' && answer.errorCode === 'InternalFailure' && answer.message.includes(variable))) {
          throw new Violation(`a bad ${variable} was not refused naming it: ${answer.message}`);
        }
      }),
      { seed, numRuns: runs(300) },
    );
  });
});

describe('hostile payloads', () => {
  const cases: [string, () => string | Uint8Array][] = [
    ['an alias bomb', () => JSON.stringify({ template: `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`).join('\n')}\n`, previousTemplate: '' })],
    ['10,000 nested brackets', () => JSON.stringify({ template: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, previousTemplate: '' })],
    ['a 6 MiB template', () => JSON.stringify({ template: `Resources: {}\n#${'x'.repeat(6 * 1024 * 1024)}`, previousTemplate: '' })],
    ['5,000 containers in one task definition', () => JSON.stringify({ template: JSON.stringify({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: Array.from({ length: 5000 }, (_, i) => ({ Name: `c${i}`, Environment: [{ Name: 'K', Value: CANARY }] })) } } } }), previousTemplate: '' })],
    ['logical ids and names with control and bidi characters', () => JSON.stringify({ template: JSON.stringify({ Resources: { ['T\u202e\n\u0000x'.repeat(40)]: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: '\u2028evil\u0007'.repeat(50) }] } } } }), previousTemplate: '' })],
    ['2,000 changed resources', () => JSON.stringify({ template: '', changedResources: Array.from({ length: 2000 }, (_, i) => ({ action: 'CREATE', logicalResourceId: `T${i}`, resourceType: 'AWS::ECS::TaskDefinition', lineNumber: i, afterContext: JSON.stringify({ Properties: { ContainerDefinitions: [{ Name: 'a', Secrets: [{ Name: 'S', ValueFrom: CANARY }] }] } }) })) })],
    ['a __proto__ template', () => JSON.stringify({ template: '{"__proto__": {"polluted": true}, "Resources": {"__proto__": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "p"}]}}}}', previousTemplate: '' })],
  ];
  it.each(cases)('%s: a bounded, well-formed answer, no leak, no pollution', async (_name, body) => {
    const target = _name.includes('changed') ? 'CHANGE_SET' : 'STACK';
    const answer = await call(built.entrypoint, wholeRequest(target, serve(body())));
    expect(['SUCCESS', 'FAILED']).toContain(answer.hookStatus);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(answer.message.length).toBeLessThanOrEqual(1024);
  });
});
