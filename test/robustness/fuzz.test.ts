/**
 * Property-based tests on the built entrypoints: random and mutated requests must always get a
 * valid answer, and the verdict the rules give. Replay a run with FUZZ_SEED=<seed>; FUZZ_SCALE=<n>
 * multiplies the number of cases.
 */
import fc from 'fast-check';
import { invocationRequestArb, jsonCopy, mutate, mutationsArb, policyCaseArb, testEventArb } from './support/arbitraries';
import { type Answer, captureOutput, type Entrypoint, fuzzScale, fuzzSeed, loadHook, logLines } from './support/hook';
import { assertAnswer, Violation } from './support/invariants';
import { type Door, isObject, readonlyIsTrue, requestOracle, TARGETS } from './support/oracle';

const hook = loadHook();
const seed = fuzzSeed();
const scale = fuzzScale();
const runs = (n: number) => Math.round(n * scale);
let cases = 0;
/** What the runs covered, so a generator change that stops reaching a branch fails the suite. */
const seen = new Map<string, number>();
const tally = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);

beforeAll(() => {
  console.log(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npx jest test/robustness/fuzz)`);
});
afterAll(() => {
  console.log(`fuzz: ${cases} cases with seed ${seed}; covered ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
});

/** Calls a door, capturing what it writes; the log must be one JSON line per event, ending with 'Answered'. */
async function call(door: Door, event: unknown): Promise<Answer> {
  cases++;
  const entry: Entrypoint = hook[door];
  let answer: Answer | undefined;
  const { output } = await captureOutput(async () => {
    let pending: Promise<Answer>;
    try {
      pending = entry(event, { awsRequestId: `req-${cases}` });
    } catch (error) {
      throw new Violation(`the entrypoint threw: ${String(error)}`);
    }
    answer = await pending.catch((error: unknown) => {
      throw new Violation(`the entrypoint rejected: ${String(error)}`);
    });
  });
  const lines = logLines(output);
  const answered = lines.filter((l) => l.message === 'Answered');
  if (answered.length !== 1) throw new Violation(`expected one 'Answered' log line, got ${answered.length}`);
  const last = answered[0]!;
  if (last.hookStatus !== answer!.hookStatus || last.errorCode !== answer!.errorCode) throw new Violation('the log line disagrees with the answer');
  if (lines.some((l) => l.correlationId !== `req-${cases}`)) throw new Violation('a log line without this invocation id');
  tally(`${door}:${answer!.hookStatus}:${answer!.errorCode ?? '-'}`);
  const expected = requestOracle(event, door);
  if (expected.policy) tally(`policy:${expected.policy.kind}`);
  if (expected.policy?.kind === 'checked') {
    for (const v of expected.policy.verdicts) tally(`container:${v}`);
    if (expected.policy.verdicts.length > 24) tally('policy:over-25-rows');
  }
  if (answer!.message.includes('turns the protection off')) tally('update:turns-off');
  return answer!;
}

const params = (numRuns: number) => ({ seed, numRuns });

describe('entrypoint: random and mutated HookInvocationRequests', () => {
  it('always answers validly and as the rules say', async () => {
    await fc.assert(
      fc.asyncProperty(invocationRequestArb, mutationsArb, async (request, mutations) => {
        const event = mutate(request, mutations);
        assertAnswer(await call('entrypoint', event), event, 'entrypoint');
      }),
      params(runs(10_000)),
    );
  });
});

describe('testEntrypoint: random and mutated contract-test events', () => {
  it('always answers validly and as the rules say', async () => {
    await fc.assert(
      fc.asyncProperty(testEventArb, mutationsArb, async (request, mutations) => {
        const event = mutate(request, mutations);
        assertAnswer(await call('testEntrypoint', event), event, 'testEntrypoint');
      }),
      params(runs(4_000)),
    );
  });
});

describe('the policy through the entrypoint', () => {
  it('lets a task definition through only when every container that is not exempt is read-only', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyCaseArb,
        fc.constantFrom(...TARGETS),
        fc.constantFrom('CREATE_PRE_PROVISION', 'UPDATE_PRE_PROVISION'),
        fc.uuid(),
        async ({ props, config }, targetName, point, token) => {
          const event = jsonCopy({
            clientRequestToken: token,
            actionInvocationPoint: point,
            hookModel: config,
            requestData: { targetName, targetType: 'RESOURCE', targetLogicalId: 'Task', targetModel: { resourceProperties: props } },
          });
          const answer = await call('entrypoint', event);
          assertAnswer(answer, event, 'entrypoint');
          if (answer.hookStatus === 'SUCCESS' && requestOracle(event, 'entrypoint').policy?.kind === 'checked') {
            // The statement, directly: SUCCESS means every container is read-only or exempt.
            const expected = requestOracle(event, 'entrypoint');
            const verdicts = expected.policy?.kind === 'checked' ? expected.policy.verdicts : [];
            const list = (event as { requestData: { targetModel: { resourceProperties: { ContainerDefinitions: unknown[] } } } }).requestData.targetModel
              .resourceProperties.ContainerDefinitions;
            list.forEach((c, i) => {
              if (verdicts[i] !== 'EXEMPT' && !(isObject(c) && readonlyIsTrue(c.ReadonlyRootFilesystem))) throw new Violation(`container ${i} let through`);
            });
          }
        },
      ),
      params(runs(6_000)),
    );
  });
});

describe('anything at all as the event', () => {
  it('answers FAILED InvalidRequest or a valid answer, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Door>('entrypoint', 'testEntrypoint'), fc.jsonValue({ maxDepth: 4 }), async (door, event) => {
        assertAnswer(await call(door, event), event, door);
      }),
      params(runs(1_000)),
    );
  });

  it('ran at least 20,000 cases reaching every branch', () => {
    expect(cases).toBeGreaterThanOrEqual(20_000);
    const atLeast = (key: string, n: number) => {
      if ((seen.get(key) ?? 0) < n) throw new Error(`only ${seen.get(key) ?? 0} cases reached ${key}; expected at least ${n}`);
    };
    for (const door of ['entrypoint', 'testEntrypoint']) {
      for (const outcome of ['SUCCESS:-', 'FAILED:NonCompliant', 'FAILED:InvalidRequest', 'FAILED:InvalidTypeConfiguration']) atLeast(`${door}:${outcome}`, 50);
    }
    for (const kind of ['checked', 'empty', 'windows', 'not-a-list', 'over-25-rows']) atLeast(`policy:${kind}`, 20);
    // Remote payloads that cannot be read fail closed.
    atLeast('entrypoint:FAILED:NetworkFailure', 3);
    for (const verdict of ['PASS', 'FAIL', 'EXEMPT']) atLeast(`container:${verdict}`, 1000);
    atLeast('update:turns-off', 20);
    // InternalFailure is never the answer to a JSON event.
    expect(seen.get('entrypoint:FAILED:InternalFailure') ?? 0).toBe(0);
    expect(seen.get('testEntrypoint:FAILED:InternalFailure') ?? 0).toBe(0);
  });
});
