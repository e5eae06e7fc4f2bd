/**
 * The answer the wrapper (src/runtime/wrapper.ts) gives CloudFormation at its edges: a handler's
 * message longer than CloudFormation takes is cut to its limit with an ellipsis; a failure outside
 * every handler and parser still answers FAILED/InternalFailure with the request's token. And the
 * refusals of a test event that is not one (src/runtime/protocol.ts). And the log lines an invocation
 * writes: the answer as given, identifiers bounded and printable, a payload not read.
 */
import { MAX_MESSAGE_LENGTH, parseTestEvent, RequestError } from '../../src/runtime/protocol';
import { Logger } from '../../src/runtime/logger';
import { createHook, type HandlerResult, type HookDefinition } from '../../src/runtime/wrapper';

const quiet = new Logger(() => undefined, {}, 'ERROR');
const TARGET = 'AWS::ECS::TaskDefinition';
const testEvent = {
  clientRequestToken: 'token-1',
  actionInvocationPoint: 'CREATE_PRE_PROVISION',
  request: { hookContext: { targetName: TARGET, targetLogicalId: 'WebTask', targetModel: { resourceProperties: { Family: 'web' } } } },
};

function hookAnswering(message: string, logger: Logger = quiet) {
  const definition: HookDefinition<null> = {
    targetNames: [TARGET],
    handlers: { CREATE_PRE_PROVISION: () => ({ hookStatus: 'FAILED', errorCode: 'NonCompliant', message }) },
    parseConfiguration: () => null,
    logger,
  };
  return createHook(definition);
}

it.each([
  ['exactly at the limit: kept whole', 'm'.repeat(MAX_MESSAGE_LENGTH), 'm'.repeat(MAX_MESSAGE_LENGTH)],
  ['one character over: cut to the limit, the last one an ellipsis', 'm'.repeat(MAX_MESSAGE_LENGTH + 1), `${'m'.repeat(MAX_MESSAGE_LENGTH - 1)}…`],
  ['far over', `${'a'.repeat(MAX_MESSAGE_LENGTH - 1)}${'b'.repeat(5000)}`, `${'a'.repeat(MAX_MESSAGE_LENGTH - 1)}…`],
])("a handler's message %s", async (_name, message, expected) => {
  const answer = await hookAnswering(message).testEntrypoint(testEvent, undefined);
  expect(answer).toEqual({ hookStatus: 'FAILED', errorCode: 'NonCompliant', message: expected, clientRequestToken: 'token-1', callbackDelaySeconds: 0 });
  expect(answer.message).toHaveLength(MAX_MESSAGE_LENGTH);
});

it('a failure outside every handler still answers FAILED/InternalFailure, with the token', async () => {
  const broken = {
    child: () => {
      throw new Error('the logger is broken');
    },
  } as unknown as Logger;
  const hook = hookAnswering('unused', broken);
  for (const entry of [hook.entrypoint, hook.testEntrypoint, hook.lambdaEntrypoint]) {
    await expect(entry(testEvent, undefined)).resolves.toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      message: 'The hook could not check this resource because of an internal error.',
      clientRequestToken: 'token-1',
      callbackDelaySeconds: 0,
    });
  }
});

describe('a test event that is not one', () => {
  const refusal = (event: unknown): string => {
    try {
      parseTestEvent(event);
    } catch (error) {
      expect(error).toBeInstanceOf(RequestError);
      return (error as Error).message;
    }
    return 'accepted';
  };

  it.each([['text'], [null], [[1]]])('%j is not a JSON object', (event) => {
    expect(refusal(event)).toBe('The test event is not a JSON object.');
  });

  it.each([undefined, '', 42])('a target name %j is refused, naming where it was looked for', (targetName) => {
    const event = { ...testEvent, request: { hookContext: { ...testEvent.request.hookContext, targetName } } };
    expect(refusal(event)).toBe('The request has no request.hookContext.targetName.');
  });
});

describe('the answer and the time the function has', () => {
  const http = jest.requireActual<typeof import('node:http')>('node:http');
  let server: import('node:http').Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  function hookWith(result: () => HandlerResult) {
    return createHook<null>({ targetNames: [TARGET], handlers: { CREATE_PRE_PROVISION: result }, parseConfiguration: () => null, logger: quiet });
  }
  /** A payload server; `delayMs` holds each answer back, so a deadline already past cannot win a race with it. */
  async function payloadAt(delayMs = 0): Promise<string> {
    server?.close();
    server = http.createServer((_req, res) => {
      setTimeout(() => res.writeHead(200).end('{"resourceProperties":{"Family":"web"}}'), delayMs);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/payload`;
  }
  const remote = (payload: string) => ({
    clientRequestToken: 'token-2',
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    requestData: { targetName: TARGET, targetLogicalId: 'WebTask', payload },
  });

  it('a verdict without an error code or annotations carries neither key', async () => {
    const answer = await hookWith(() => ({ hookStatus: 'SUCCESS', message: 'ok', annotations: [] })).testEntrypoint(testEvent, undefined);
    expect(Object.keys(answer).sort()).toEqual(['callbackDelaySeconds', 'clientRequestToken', 'hookStatus', 'message']);
  });

  it("an internal error names the invocation's request id, or a fresh id when it has none fit to quote", async () => {
    const hook = hookWith(() => {
      throw new Error('bug');
    });
    const message = async (awsRequestId: string | undefined) => (await hook.testEntrypoint(testEvent, { awsRequestId })).message;
    expect(await message('8f5e2c1a-1234-4abc-9def-0123456789ab')).toContain('(correlation id 8f5e2c1a-1234-4abc-9def-0123456789ab)');
    for (const bad of ['not an id!', 'x'.repeat(65), '', undefined]) {
      expect(await message(bad)).toMatch(/\(correlation id [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\)/);
    }
  });

  it("a remote payload is read within the time Lambda says is left: none left, none read", async () => {
    const url = await payloadAt();
    let judged = 0;
    const hook = hookWith(() => {
      judged += 1;
      return { hookStatus: 'SUCCESS', message: 'ok' };
    });
    await expect(hook.entrypoint(remote(url), { getRemainingTimeInMillis: () => 20_000 })).resolves.toMatchObject({ hookStatus: 'SUCCESS' });
    expect(judged).toBe(1);
    await expect(hook.entrypoint(remote(url), {})).resolves.toMatchObject({ hookStatus: 'SUCCESS' });
    expect(judged).toBe(2);
    for (const left of [() => 0, () => -5, () => Number.NaN, () => Number.POSITIVE_INFINITY]) {
      const answer = await hook.entrypoint(remote(url), { getRemainingTimeInMillis: left });
      if (!Number.isFinite(left())) {
        // Not a number of milliseconds: as if Lambda had said nothing (30 s).
        expect(answer).toMatchObject({ hookStatus: 'SUCCESS' });
      } else {
        expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NetworkFailure' });
      }
    }
    expect(judged).toBe(4);
    // A remaining time that is not a number of milliseconds gives the full 30 s, not a deadline already
    // past: an answer that takes a moment still comes in time.
    const slow = await payloadAt(150);
    for (const left of [() => Number.NaN, () => Number.POSITIVE_INFINITY, () => Number.NEGATIVE_INFINITY]) {
      await expect(hook.entrypoint(remote(slow), { getRemainingTimeInMillis: left })).resolves.toMatchObject({ hookStatus: 'SUCCESS' });
    }
    expect(judged).toBe(7);
  });
});

describe('the log lines of an invocation', () => {
  /** The hook's log lines, parsed, with the clock fields checked and left out. */
  function logged(lines: string[]): Record<string, unknown>[] {
    return lines.map((line) => {
      const { timestamp, durationMs, ...rest } = JSON.parse(line) as Record<string, unknown>;
      expect(timestamp).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
      if (rest.message === 'Answered') expect(durationMs).toEqual(expect.any(Number));
      return rest;
    });
  }
  function capturingHook(result: HandlerResult) {
    const lines: string[] = [];
    const hook = createHook<null>({
      targetNames: [TARGET],
      handlers: { CREATE_PRE_PROVISION: () => result },
      parseConfiguration: () => null,
      logger: new Logger((line) => lines.push(line), {}, 'INFO'),
    });
    return { hook, lines };
  }
  const invocation = (requestData: Record<string, unknown>) => ({
    clientRequestToken: 'token-3',
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    invocationId: 'inv-1',
    requestData: { targetName: TARGET, targetLogicalId: 'WebTask', targetModel: { resourceProperties: { Family: 'web' } }, ...requestData },
  });

  it('the Answered line says what the answer says, and no code it does not stand for', async () => {
    const { hook, lines } = capturingHook({ hookStatus: 'FAILED', errorCode: 'NonCompliant', message: 'no' });
    await hook.entrypoint(invocation({}), { awsRequestId: 'req-1' });
    await hook.lambdaEntrypoint(invocation({}), { awsRequestId: 'req-2' });
    const common = { level: 'INFO', message: 'Answered', invocationPoint: 'CREATE_PRE_PROVISION', targetName: TARGET, targetLogicalId: 'WebTask', invocationId: 'inv-1' };
    expect(logged(lines)).toEqual([
      { ...common, correlationId: 'req-1', hookStatus: 'FAILED', errorCode: 'NonCompliant' },
      { ...common, correlationId: 'req-2', hookStatus: 'FAILED', errorCode: 'NonCompliant' },
    ]);
  });

  it('identifiers in log lines are cut to 256 characters, anything but a name character shown as ?', async () => {
    const { hook, lines } = capturingHook({ hookStatus: 'SUCCESS', message: 'ok' });
    const long = `Web Task"\n${'x'.repeat(300)}`;
    await hook.entrypoint(invocation({ targetLogicalId: long }), { awsRequestId: 'req-1' });
    const [line] = logged(lines);
    expect(line!.targetLogicalId).toBe(`Web?Task??${'x'.repeat(246)}`);
    // A target name this hook does not check is quoted in the answer the same way.
    const answer = await hook.entrypoint(invocation({ targetName: `AWS::S3::Bucket ${'y'.repeat(300)}` }), { awsRequestId: 'req-2' });
    expect(answer.message).toBe(`Nothing to check: AWS::S3::Bucket?${'y'.repeat(240)} is not a target of this hook.`);
  });

  it('a payload not read is logged as a warning with its error code and reason, then answered', async () => {
    const { hook, lines } = capturingHook({ hookStatus: 'SUCCESS', message: 'unused' });
    // No time left: the payload is not asked for (nothing listens at this address either).
    const event = invocation({ targetModel: undefined, payload: 'http://127.0.0.1:9/payload' });
    const answer = await hook.entrypoint(event, { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 0 });
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NetworkFailure' });
    const ids = { correlationId: 'req-1', invocationPoint: 'CREATE_PRE_PROVISION', targetName: TARGET, targetLogicalId: 'WebTask', invocationId: 'inv-1' };
    expect(logged(lines)).toEqual([
      { level: 'WARN', message: 'Payload not read', ...ids, errorCode: 'NetworkFailure', reason: answer.message },
      { level: 'INFO', message: 'Answered', ...ids, hookStatus: 'FAILED', errorCode: 'NetworkFailure' },
    ]);
  });
});
