/**
 * Secret canaries: every value the hook must never print carries a unique canary; all output of
 * the built hook (answers, log lines, anything written to stdout or stderr) is searched for them,
 * on every path: compliant, non-compliant, exempt, skipped, invalid requests and configurations,
 * and internal failures forced with throwing getters and proxies.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey, encryptCredentials, hookEnv, logEvents, logStreamNames, withEnv } from '../support/aws';
import { type Moto, startMoto, unique } from '../support/moto';
import { Canaries, container, credentials, invocationRequest, taskDefinition, testEvent } from './support/canaries';
import { type Answer, captureOutput, HANDLERS, loadHook, logLines } from './support/hook';
import { assertWellFormed } from './support/invariants';

const hook = loadHook();

interface Scenario {
  name: string;
  door: 'entrypoint' | 'testEntrypoint';
  event: Record<string, unknown>;
  status: string;
  errorCode?: string;
}

/** What some messages must say: proof the hook read the fixture, yet quoted no value. */
const MESSAGE_SAYS: Record<string, string> = {
  'non-compliant': "'app' (not true or false), 'sidecar' (false)",
  daemon: "DaemonTaskDefinition 'CanaryTask'",
  'exempt by image and name': "Exempt by configuration: 'app', 'sidecar', 'web'.",
  'update turning protection off': 'turns the protection off',
  '300 containers': "'c1' (not true or false)",
  'test event non-compliant': "'app' (not true or false)",
};

/** Every path a JSON request can take, each carrying its own canaries. */
function scenarios(c: Canaries): Scenario[] {
  const writable = () => [container(c, 'app'), container(c, 'sidecar', 'false'), container(c, 'web', true), `entry ${c.plant('malformed-entry')}`];
  const readOnly = () => [container(c, 'app', true), container(c, 'web', 'TRUE')];
  const req = (name: string, props: unknown, status: string, errorCode?: string, options: Partial<Parameters<typeof invocationRequest>[2]> = {}): Scenario => ({
    name,
    door: 'entrypoint',
    event: invocationRequest(c, props, { token: `token-${name}`, ...options }),
    status,
    errorCode,
  });
  const many = Array.from({ length: 300 }, (_, i) => container(c, `c${i}`, i % 3 === 0 ? true : undefined));
  return [
    req('non-compliant', taskDefinition(c, writable()), 'FAILED', 'NonCompliant'),
    req('compliant', taskDefinition(c, readOnly()), 'SUCCESS'),
    req('daemon', taskDefinition(c, writable()), 'FAILED', 'NonCompliant', { targetName: 'AWS::ECS::DaemonTaskDefinition' }),
    req('exempt by image and name', taskDefinition(c, writable()), 'FAILED', 'NonCompliant', {
      hookModel: { ExemptImages: ['https://deploy:*'], ExemptContainerNames: ['sidecar'] },
    }),
    req('all exempt', taskDefinition(c, writable().slice(0, 3)), 'SUCCESS', undefined, { hookModel: { ExemptImages: ['*'] } }),
    req('not a list', taskDefinition(c, c.plant('ContainerDefinitions.string')), 'FAILED', 'NonCompliant'),
    req('an object for the list', taskDefinition(c, { Name: 'app', Value: c.plant('ContainerDefinitions.object') }), 'FAILED', 'NonCompliant'),
    req('empty', taskDefinition(c, []), 'SUCCESS'),
    req('windows', taskDefinition(c, writable(), { RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' } }), 'SUCCESS'),
    req(
      'windows, the family carrying a value',
      taskDefinition(c, writable(), { RuntimePlatform: { OperatingSystemFamily: `WINDOWS_SERVER_2019_${c.plant('RuntimePlatform.OperatingSystemFamily')}` } }),
      'SUCCESS',
    ),
    req('update turning protection off', taskDefinition(c, writable()), 'FAILED', 'NonCompliant', {
      point: 'UPDATE_PRE_PROVISION',
      previous: taskDefinition(c, readOnly()),
    }),
    req('delete', taskDefinition(c, writable()), 'SUCCESS', undefined, { point: 'DELETE_PRE_PROVISION' }),
    req('another target', { BucketName: c.plant('BucketName') }, 'SUCCESS', undefined, { targetName: 'AWS::S3::Bucket' }),
    req('300 containers', taskDefinition(c, many), 'FAILED', 'NonCompliant'),
    req('config not a list', taskDefinition(c, writable()), 'FAILED', 'InvalidTypeConfiguration', { hookModel: { ExemptContainerNames: c.plant('config.string') } }),
    req('config item not a string', taskDefinition(c, writable()), 'FAILED', 'InvalidTypeConfiguration', {
      hookModel: { ExemptImages: ['nginx:*', { secret: c.plant('config.item') }] },
    }),
    req('config pattern too long', taskDefinition(c, writable()), 'FAILED', 'InvalidTypeConfiguration', {
      hookModel: { ExemptContainerNames: [c.plant('config.long').repeat(20)] },
    }),
    req('config a string', taskDefinition(c, writable()), 'FAILED', 'InvalidTypeConfiguration', { hookModel: c.plant('config.whole') }),
    req('properties not an object', c.plant('resourceProperties.string'), 'FAILED', 'InvalidRequest'),
    {
      name: 'no target name',
      door: 'entrypoint',
      event: { ...invocationRequest(c, taskDefinition(c, writable()), { token: 'token-no-target' }), requestData: { targetModel: { resourceProperties: taskDefinition(c, writable()) } } },
      status: 'FAILED',
      errorCode: 'InvalidRequest',
    },
    { name: 'test event non-compliant', door: 'testEntrypoint', event: testEvent(c, taskDefinition(c, writable()), { token: 't1' }), status: 'FAILED', errorCode: 'NonCompliant' },
    { name: 'test event compliant', door: 'testEntrypoint', event: testEvent(c, taskDefinition(c, readOnly()), { token: 't2' }), status: 'SUCCESS' },
    {
      name: 'test event exempt',
      door: 'testEntrypoint',
      event: testEvent(c, taskDefinition(c, writable().slice(0, 3)), { token: 't3', typeConfiguration: { ExemptImages: ['https://*'] } }),
      status: 'SUCCESS',
    },
  ];
}

function assertNoLeak(c: Canaries, output: string, what: string): void {
  const leaks = c.leaks(output);
  if (leaks.length > 0) throw new Error(`${what} leaked ${leaks.length} canaries: ${leaks.slice(0, 10).join(', ')}`);
}

describe('the canary detector', () => {
  it('finds a canary whole, cut short, upper-cased, base64- or hex-encoded', () => {
    const c = new Canaries();
    const secret = c.plant('Environment.Value');
    expect(c.leaks(`x ${secret} y`)).toHaveLength(1);
    expect(c.leaks(`'${secret.slice(0, 9)}…'`)).toHaveLength(1);
    expect(c.leaks(secret.toUpperCase())).toHaveLength(1);
    expect(c.leaks(Buffer.from(secret).toString('base64'))).toHaveLength(1);
    expect(c.leaks(Buffer.from(secret).toString('hex'))).toHaveLength(1);
    expect(c.leaks('nothing here')).toHaveLength(0);
  });
});

describe('canaries through the built hook', () => {
  const c = new Canaries();
  const cases = scenarios(c);

  it('plants canaries in every field', () => {
    expect(c.size).toBeGreaterThan(1000);
  });

  it.each(cases.map((s) => [s.name, s] as const))('%s: answers and logs without a canary', async (_name, scenario) => {
    const { value: answer, output } = await captureOutput(() => hook[scenario.door](scenario.event, { awsRequestId: 'canary-run' }));
    assertWellFormed(answer);
    expect([answer.hookStatus, answer.errorCode]).toEqual([scenario.status, scenario.errorCode]);
    // The hook did read the task definition: the verdict names containers, yet no value.
    expect(answer.message).toContain(MESSAGE_SAYS[scenario.name] ?? '');
    expect(logLines(output).length).toBeGreaterThan(0);
    assertNoLeak(c, JSON.stringify(answer), 'the answer');
    assertNoLeak(c, output, 'stdout/stderr');
  });

  it.each([
    ['outside Lambda (process.stdout)', {}],
    ['in Lambda (lines written to fd 1)', { AWS_LAMBDA_FUNCTION_NAME: 'guardrails-hook' }],
  ])('prints nothing of any fixture at DEBUG level, seen from outside the process, %s', (_where, lambdaEnv) => {
    // A child process sees what the Lambda runtime would ship to CloudWatch: file descriptors 1 and 2.
    const dir = mkdtempSync(join(tmpdir(), 'canary-'));
    try {
      const fixtures = join(dir, 'events.json');
      const answers = join(dir, 'answers.json');
      writeFileSync(fixtures, JSON.stringify(cases.map((s) => ({ door: s.door, event: s.event }))));
      const script = [
        `const hook = require(${JSON.stringify(HANDLERS)});`,
        `const events = JSON.parse(require('fs').readFileSync(${JSON.stringify(fixtures)}, 'utf8'));`,
        `(async () => { const out = []; for (const e of events) out.push(await hook[e.door](e.event, {}));`,
        ` require('fs').writeFileSync(${JSON.stringify(answers)}, JSON.stringify(out)); })();`,
      ].join('\n');
      const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'DEBUG', ...lambdaEnv };
      if (!('AWS_LAMBDA_FUNCTION_NAME' in lambdaEnv)) delete env.AWS_LAMBDA_FUNCTION_NAME;
      const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
      expect(run.status).toBe(0);
      const out = JSON.parse(readFileSync(answers, 'utf8')) as Answer[];
      expect(out.map((a) => a.hookStatus)).toEqual(cases.map((s) => s.status));
      expect(logLines(run.stdout).length).toBeGreaterThanOrEqual(cases.length);
      assertNoLeak(c, run.stdout, 'stdout');
      assertNoLeak(c, run.stderr, 'stderr');
      assertNoLeak(c, JSON.stringify(out), 'the answers');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('canaries through log delivery to the owner account (moto_server)', () => {
  const c = new Canaries();
  // Requests with delivery settings (one scenario replaces requestData with a bare target model).
  const cases = scenarios(c).filter((s) => s.door === 'entrypoint' && (s.event.requestData as Record<string, unknown>).providerCredentials !== undefined);
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(async () => moto.stop());

  it('delivers the log lines of every path, plain and KMS-encrypted credentials alike, without a canary', async () => {
    const keyArn = await createKey(moto.endpoint);
    const groups: string[] = [];
    const outputs: string[] = [];
    for (const [i, scenario] of cases.entries()) {
      const event = JSON.parse(JSON.stringify(scenario.event)) as Record<string, any>;
      const group = unique(`canary-group-${i}`);
      groups.push(group);
      event.requestData.providerLogGroupName = group;
      if (i % 2 === 0) {
        // As CloudFormation sends them: the canary credentials encrypted under the hook's key.
        event.requestData.providerCredentials = await encryptCredentials(moto.endpoint, keyArn, credentials(c, `encrypted.${i}`));
        event.requestData.hookEncryptionKeyArn = keyArn;
        event.requestData.hookEncryptionKeyRole = 'arn:aws:iam::123456789012:role/hook-encryption';
      } else {
        delete event.requestData.hookEncryptionKeyArn;
        delete event.requestData.hookEncryptionKeyRole;
      }
      const { value: answer, output } = await withEnv(hookEnv(moto.endpoint), () =>
        captureOutput(() => hook.entrypoint(event, { awsRequestId: `delivery-${i}` })),
      );
      expect([answer.hookStatus, answer.errorCode]).toEqual([scenario.status, scenario.errorCode]);
      outputs.push(output, JSON.stringify(answer));
    }
    const delivered: string[] = [];
    for (const group of groups) {
      const events = await logEvents(moto.endpoint, group);
      // Each invocation's own line reached its own group: delivery worked on every path.
      expect(events.map((e) => JSON.parse(e.message).message)).toContain('Answered');
      delivered.push(...events.map((e) => e.message));
    }
    const streams = await logStreamNames(moto.endpoint, groups[0]!);
    assertNoLeak(c, delivered.join('\n'), 'the delivered log lines');
    assertNoLeak(c, JSON.stringify(streams), 'the log stream names');
    assertNoLeak(c, outputs.join('\n'), 'stdout/stderr and the answers');
  });
});

/** An object whose `key` throws `thrown` when read, other fields as given. */
function trap(fields: Record<string, unknown>, key: string, thrown: () => unknown): Record<string, unknown> {
  return Object.defineProperty({ ...fields }, key, {
    enumerable: true,
    get() {
      throw thrown();
    },
  });
}

describe('internal failures leak nothing', () => {
  const c = new Canaries();
  const frameLike = (tag: string) => `${c.plant(`${tag}.message`)}\n    at ${c.plant(`${tag}.frame`)} (/var/task/${c.plant(`${tag}.file`)}.js:1:1)`;
  const throwers: [string, () => unknown][] = [
    ['an Error quoting a value', () => new Error(`bad value ${c.plant('Error.message')}`)],
    ['a TypeError quoting a value', () => new TypeError(c.plant('TypeError.message'))],
    ['an Error whose message forges stack frames', () => new Error(frameLike('forged'))],
    ['an Error named after a value', () => Object.assign(new Error('x'), { name: c.plant('Error.name') })],
    ['an Error whose stack was replaced', () => Object.defineProperty(new Error('x'), 'stack', { value: `Error: x\n    at ${c.plant('Error.stack')} (/a.js:1:1)` })],
    ['a string', () => c.plant('thrown.string')],
    ['an object with a message', () => ({ message: c.plant('thrown.object.message'), stack: `at ${c.plant('thrown.object.stack')}` })],
    ['an object printing a value', () => ({ toString: () => c.plant('thrown.toString') })],
  ];

  const places: [string, (thrown: () => unknown) => { door: 'entrypoint' | 'testEntrypoint'; event: unknown }][] = [
    [
      'ReadonlyRootFilesystem getter',
      (t) => ({
        door: 'entrypoint',
        event: invocationRequest(c, taskDefinition(c, [trap(container(c, 'app', true), 'ReadonlyRootFilesystem', t)]), { token: 'tok' }),
      }),
    ],
    [
      'ContainerDefinitions getter',
      (t) => ({ door: 'entrypoint', event: invocationRequest(c, trap(taskDefinition(c, []), 'ContainerDefinitions', t), { token: 'tok' }) }),
    ],
    [
      'a proxy for the container list',
      (t) => ({
        door: 'entrypoint',
        event: invocationRequest(
          c,
          taskDefinition(
            c,
            new Proxy([container(c, 'app', true)], {
              get(target, key, receiver) {
                if (key === 'length' || key === 'map' || key === '0') throw t();
                return Reflect.get(target, key, receiver) as unknown;
              },
            }),
          ),
          { token: 'tok' },
        ),
      }),
    ],
    [
      'hookContext getter on the test event',
      (t) => ({ door: 'testEntrypoint', event: { ...testEvent(c, {}, { token: 'tok' }), request: trap({ clientRequestToken: 'tok' }, 'hookContext', t) } }),
    ],
  ];

  const table = places.flatMap(([where, build]) => throwers.map(([what, thrown]) => [`${what} from a ${where}`, build(thrown)] as const));

  it.each(table)('%s', async (_name, { door, event }) => {
    const { value: answer, output } = await captureOutput(() => hook[door](event, { awsRequestId: 'corr-1' }));
    assertWellFormed(answer);
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure', clientRequestToken: 'tok' });
    expect(answer.message).toContain('corr-1');
    const lines = logLines(output);
    expect(lines.some((l) => l.level === 'ERROR' && l.correlationId === 'corr-1')).toBe(true);
    assertNoLeak(c, JSON.stringify(answer), 'the answer');
    assertNoLeak(c, output, 'the log');
  });

  it('a proxy that throws on every read still gets an answer', async () => {
    const event = new Proxy(
      {},
      {
        get() {
          throw new Error(frameLike('proxy'));
        },
        ownKeys() {
          throw new Error(c.plant('proxy.ownKeys'));
        },
      },
    );
    const { value: answer, output } = await captureOutput(() => hook.entrypoint(event, { awsRequestId: 'corr-2' }));
    assertWellFormed(answer);
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure', clientRequestToken: '' });
    assertNoLeak(c, JSON.stringify(answer) + output, 'the answer and log');
  });

  it('a throwing type configuration is an invalid configuration, quoting nothing', async () => {
    const event = invocationRequest(c, taskDefinition(c, [container(c, 'app', false)]), {
      token: 'tok',
      hookModel: trap({}, 'ExemptContainerNames', () => new Error(frameLike('config'))),
    });
    const { value: answer, output } = await captureOutput(() => hook.entrypoint(event, { awsRequestId: 'corr-3' }));
    assertWellFormed(answer);
    expect(answer).toMatchObject({ hookStatus: 'FAILED', clientRequestToken: 'tok' });
    expect(['InvalidTypeConfiguration', 'InternalFailure']).toContain(answer.errorCode);
    assertNoLeak(c, JSON.stringify(answer) + output, 'the answer and log');
  });
});
