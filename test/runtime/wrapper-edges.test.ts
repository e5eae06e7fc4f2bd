/**
 * The answer the wrapper (src/runtime/wrapper.ts) gives CloudFormation at its edges: a handler's
 * message longer than CloudFormation takes is cut to its limit with an ellipsis; a failure outside
 * every handler and parser still answers FAILED/InternalFailure with the request's token. And the
 * refusals of a test event that is not one (src/runtime/protocol.ts).
 */
import { MAX_MESSAGE_LENGTH, parseTestEvent, RequestError } from '../../src/runtime/protocol';
import { Logger } from '../../src/runtime/logger';
import { createHook, type HookDefinition } from '../../src/runtime/wrapper';

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
