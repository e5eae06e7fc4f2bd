/**
 * The answer the wrapper (src/runtime/wrapper.ts) gives CloudFormation at its edges: a handler's
 * message longer than CloudFormation takes is cut to its limit with an ellipsis; a failure outside
 * every handler and parser still answers FAILED/InternalFailure with the request's token. And the
 * refusals of a test event that is not one (src/runtime/protocol.ts).
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
  async function payloadAt(): Promise<string> {
    server = http.createServer((_req, res) => res.writeHead(200).end('{"resourceProperties":{"Family":"web"}}'));
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
    for (const left of [() => 0, () => -5, () => Number.NaN]) {
      const answer = await hook.entrypoint(remote(url), { getRemainingTimeInMillis: left });
      if (Number.isNaN(left())) {
        // Not a number of milliseconds: as if Lambda had said nothing (30 s).
        expect(answer).toMatchObject({ hookStatus: 'SUCCESS' });
      } else {
        expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NetworkFailure' });
      }
    }
    expect(judged).toBe(3);
  });
});
