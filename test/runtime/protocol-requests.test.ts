/**
 * How the hook reads what CloudFormation sends (a HookInvocationRequest, or the contract-test event of
 * `sam local invoke`), and the exact InvalidRequest message for each way a request can be wrong.
 */
import { parseInvocationRequest, parseTestEvent, payloadSubject, RequestError, tokenOf } from '../../src/runtime/protocol';

const POINTS = 'CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION, DELETE_PRE_PROVISION';

function invocation(requestData: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { clientRequestToken: 'tok', actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData, ...extra };
}

function refusal(parse: () => unknown): { name: string; message: string } {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestError);
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected a RequestError');
}

describe('parseInvocationRequest', () => {
  it('reads every field a handler may use', () => {
    const parsed = parseInvocationRequest(
      invocation(
        { targetName: 'AWS::ECS::TaskDefinition', targetType: 'RESOURCE', targetLogicalId: 'Task', targetModel: { resourceProperties: { Family: 'web' } } },
        { hookTypeName: 'Org::Svc::Hook', awsAccountId: '123456789012', stackId: 'arn:stack', invocationId: 'inv-1', hookModel: { ExemptImages: ['x'] } },
      ),
    );
    expect(parsed).toEqual({
      handlerRequest: {
        clientRequestToken: 'tok',
        invocationPoint: 'CREATE_PRE_PROVISION',
        hookTypeName: 'Org::Svc::Hook',
        awsAccountId: '123456789012',
        stackId: 'arn:stack',
        targetName: 'AWS::ECS::TaskDefinition',
        targetType: 'RESOURCE',
        targetLogicalId: 'Task',
        targetModel: { resourceProperties: { Family: 'web' } },
      },
      hookModel: { ExemptImages: ['x'] },
      invocationId: 'inv-1',
      payloadUrl: undefined,
    });
  });

  it('optional fields that are not strings are absent, and the defaults fill in', () => {
    const parsed = parseInvocationRequest(
      invocation({ targetName: 'STACK', targetType: 7, targetLogicalId: null, targetModel: {} }, { hookTypeName: 1, awsAccountId: {}, stackId: [], invocationId: false }),
    );
    expect(parsed.handlerRequest).toEqual({
      clientRequestToken: 'tok',
      invocationPoint: 'CREATE_PRE_PROVISION',
      hookTypeName: undefined,
      awsAccountId: undefined,
      stackId: undefined,
      targetName: 'STACK',
      targetType: 'RESOURCE',
      targetLogicalId: '',
      targetModel: {},
    });
    expect(parsed.invocationId).toBeUndefined();
    expect(parseInvocationRequest(invocation({ targetName: 'STACK', targetType: 'STACK', targetModel: {} })).handlerRequest.targetType).toBe('STACK');
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a string', 'request'],
  ])('%s is not a request', (_what, event) => {
    expect(refusal(() => parseInvocationRequest(event))).toEqual({ name: 'RequestError', message: 'The request is not a JSON object.' });
  });

  it('a request without requestData', () => {
    for (const requestData of [undefined, 'x', [1]]) {
      expect(refusal(() => parseInvocationRequest({ actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData })).message).toBe('The request has no requestData object.');
    }
  });

  it('an invocation point that is missing or unknown, quoted safely and cut', () => {
    expect(refusal(() => parseInvocationRequest(invocation({ targetName: 'X', targetModel: {} }, { actionInvocationPoint: 3 }))).message).toBe(
      'The request has no actionInvocationPoint.',
    );
    expect(refusal(() => parseInvocationRequest(invocation({ targetName: 'X', targetModel: {} }, { actionInvocationPoint: 'create pre "provision"' }))).message).toBe(
      `Unknown actionInvocationPoint 'create?pre??provision?'; expected one of ${POINTS}.`,
    );
    const long = `${'A'.repeat(64)}TAIL`;
    expect(refusal(() => parseInvocationRequest(invocation({ targetName: 'X', targetModel: {} }, { actionInvocationPoint: long }))).message).toBe(
      `Unknown actionInvocationPoint '${'A'.repeat(64)}'; expected one of ${POINTS}.`,
    );
  });

  it('a target without a name', () => {
    for (const targetName of [undefined, '', 5]) {
      expect(refusal(() => parseInvocationRequest(invocation({ targetName, targetModel: {} }))).message).toBe('The request has no requestData.targetName.');
    }
  });

  it('a target model that is missing, and not remote either', () => {
    for (const requestData of [
      { targetName: 'X' },
      { targetName: 'X', targetModel: 'text' },
      { targetName: 'X', targetModel: [], payload: 'https://example.com/p' },
      { targetName: 'X', targetModel: null, payload: '' },
      { targetName: 'X', payload: 42 },
    ]) {
      expect(refusal(() => parseInvocationRequest(invocation(requestData))).message).toBe('The request has no target model (requestData.targetModel).');
    }
  });

  it('an absent, null or empty target model with a payload URL is remote', () => {
    for (const targetModel of [undefined, null, {}]) {
      const parsed = parseInvocationRequest(invocation({ targetName: 'STACK', targetModel, payload: 'https://example.com/p' }));
      expect(parsed.payloadUrl).toBe('https://example.com/p');
      expect(parsed.handlerRequest.targetModel).toEqual({});
    }
  });

  it('a target model with content is read even when a payload URL comes too', () => {
    const parsed = parseInvocationRequest(invocation({ targetName: 'X', targetModel: { resourceProperties: {} }, payload: 'https://example.com/p' }));
    expect(parsed.payloadUrl).toBeUndefined();
    expect(parsed.handlerRequest.targetModel).toEqual({ resourceProperties: {} });
  });
});

describe('tokenOf', () => {
  it("is the request's token, else the inner request's, else empty", () => {
    expect(tokenOf({ clientRequestToken: 'outer', request: { clientRequestToken: 'inner' } })).toBe('outer');
    expect(tokenOf({ request: { clientRequestToken: 'inner' } })).toBe('inner');
    expect(tokenOf({ clientRequestToken: 5, request: { clientRequestToken: 6 } })).toBe('');
    expect(tokenOf({ request: 'x' })).toBe('');
    expect(tokenOf(null)).toBe('');
    expect(tokenOf(['tok'])).toBe('');
  });

  it('a hostile event still gets an answer with an empty token', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(tokenOf(hostile)).toBe('');
  });
});

describe('parseTestEvent', () => {
  it('reads the target from the hook context, over the request', () => {
    const parsed = parseTestEvent({
      clientRequestToken: 'tok',
      actionInvocationPoint: 'UPDATE_PRE_PROVISION',
      typeConfiguration: { ExemptImages: [] },
      request: {
        hookTypeName: 'outer',
        targetName: 'AWS::S3::Bucket',
        hookContext: { hookTypeName: 'Org::Svc::Hook', awsAccountId: '1', stackId: 's', targetName: 'AWS::ECS::TaskDefinition', targetLogicalId: 'T', targetModel: { resourceProperties: {} } },
      },
    });
    expect(parsed).toEqual({
      handlerRequest: {
        clientRequestToken: 'tok',
        invocationPoint: 'UPDATE_PRE_PROVISION',
        hookTypeName: 'Org::Svc::Hook',
        awsAccountId: '1',
        stackId: 's',
        targetName: 'AWS::ECS::TaskDefinition',
        targetType: 'RESOURCE',
        targetLogicalId: 'T',
        targetModel: { resourceProperties: {} },
      },
      hookModel: { ExemptImages: [] },
    });
  });

  it('without a hook context, the request itself', () => {
    const parsed = parseTestEvent({ actionInvocationPoint: 'CREATE_PRE_PROVISION', request: { clientRequestToken: 'in', targetName: 'X', targetModel: {} } });
    expect(parsed.handlerRequest.clientRequestToken).toBe('in');
    expect(parsed.handlerRequest.targetName).toBe('X');
  });

  it('names what is wrong with a test event', () => {
    expect(refusal(() => parseTestEvent([]))).toEqual({ name: 'RequestError', message: 'The test event is not a JSON object.' });
    expect(refusal(() => parseTestEvent({ request: 'x' })).message).toBe('The test event has no request object.');
    expect(refusal(() => parseTestEvent({ request: {} })).message).toBe('The request has no actionInvocationPoint.');
    expect(refusal(() => parseTestEvent({ actionInvocationPoint: 'NOPE', request: {} })).message).toBe(`Unknown actionInvocationPoint 'NOPE'; expected one of ${POINTS}.`);
    expect(refusal(() => parseTestEvent({ actionInvocationPoint: 'CREATE_PRE_PROVISION', request: { hookContext: {} } })).message).toBe(
      'The request has no request.hookContext.targetName.',
    );
    expect(refusal(() => parseTestEvent({ actionInvocationPoint: 'CREATE_PRE_PROVISION', request: { hookContext: { targetName: 'X' } } })).message).toBe(
      'The request has no target model (request.hookContext.targetModel).',
    );
  });
});

describe('payloadSubject', () => {
  it('names what the payload holds', () => {
    expect(payloadSubject('STACK')).toBe("the stack's template");
    expect(payloadSubject('CHANGE_SET')).toBe('the change set');
    expect(payloadSubject('AWS::ECS::TaskDefinition')).toBe("the target's properties");
  });
});
