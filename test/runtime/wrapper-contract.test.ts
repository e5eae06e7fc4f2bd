/**
 * The wrapper's promises to every handler (src/runtime/wrapper.ts, as the Java runtime's
 * HookAbstractWrapper makes them): whatever a handler returns or throws, CloudFormation gets a
 * well-formed answer within the message limit, and the log names what happened without quoting it.
 */
import { Logger } from '../../src/runtime/logger';
import { createHook, type Handler, type HandlerResult, TypeConfigurationError } from '../../src/runtime/wrapper';

function hookWith(handler: Handler<null>): { entrypoint: ReturnType<typeof createHook>['entrypoint']; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const hook = createHook<null>({
    targetNames: ['AWS::ECS::TaskDefinition'],
    handlers: { CREATE_PRE_PROVISION: handler },
    parseConfiguration: () => null,
    logger: new Logger((line) => lines.push(JSON.parse(line) as Record<string, unknown>), {}, 'DEBUG'),
  });
  return { entrypoint: hook.entrypoint, lines };
}

const REQUEST = {
  clientRequestToken: 'tok',
  actionInvocationPoint: 'CREATE_PRE_PROVISION',
  requestData: { targetName: 'AWS::ECS::TaskDefinition', targetLogicalId: 'Task', targetModel: { resourceProperties: {} } },
};

describe('the answer to what a handler returns', () => {
  it('a message over 1,024 characters is cut to 1,023 and an ellipsis; one of exactly 1,024 is kept', async () => {
    const long = 'm'.repeat(1500);
    const { entrypoint } = hookWith(() => ({ hookStatus: 'FAILED', errorCode: 'NonCompliant', message: long }));
    const answer = await entrypoint(REQUEST);
    expect(answer.message).toBe(`${'m'.repeat(1023)}…`);
    const exact = 'e'.repeat(1024);
    expect((await hookWith(() => ({ hookStatus: 'SUCCESS', message: exact })).entrypoint(REQUEST)).message).toBe(exact);
  });

  it('annotations are sent only when there are some', async () => {
    const none = await hookWith(() => ({ hookStatus: 'SUCCESS', message: 'ok', annotations: [] })).entrypoint(REQUEST);
    expect(none).toEqual({ hookStatus: 'SUCCESS', message: 'ok', clientRequestToken: 'tok', callbackDelaySeconds: 0 });
    const some = await hookWith(() => ({ hookStatus: 'SUCCESS', message: 'ok', annotations: [{ annotationName: 'A', status: 'PASSED' }] })).entrypoint(REQUEST);
    expect(some.annotations).toEqual([{ annotationName: 'A', status: 'PASSED' }]);
  });

  it('an answer that cannot even be built is still an answer: FAILED InternalFailure with the token', async () => {
    const hostile = {
      hookStatus: 'FAILED',
      get message(): string {
        throw new Error('secret in a getter');
      },
    } as unknown as HandlerResult;
    const answer = await hookWith(() => hostile).entrypoint(REQUEST);
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      message: 'The hook could not check this resource because of an internal error.',
      clientRequestToken: 'tok',
      callbackDelaySeconds: 0,
    });
  });
});

describe('what a handler throws', () => {
  it('an unexpected error: InternalFailure naming the correlation id (Lambda request id), logged by class only', async () => {
    const { entrypoint, lines } = hookWith(() => {
      throw new TypeConfigurationError('not from the configuration step: secret');
    });
    const answer = await entrypoint(REQUEST, { awsRequestId: 'req-42' });
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      message:
        "The hook could not check this resource because of an internal error (correlation id req-42). Deploy again; if it persists, give the correlation id to the hook's owner.",
      clientRequestToken: 'tok',
      callbackDelaySeconds: 0,
    });
    const error = lines.find((l) => l.message === 'Unexpected error');
    expect(error).toMatchObject({ level: 'ERROR', errorType: 'TypeConfigurationError', correlationId: 'req-42', targetLogicalId: 'Task' });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('a request id that is not a plain identifier is replaced by a generated one', async () => {
    const { entrypoint } = hookWith(() => {
      throw new Error('boom');
    });
    for (const awsRequestId of ['has spaces', 'x'.repeat(65), 42]) {
      const answer = await entrypoint(REQUEST, { awsRequestId } as never);
      expect(answer.message).toMatch(/\(correlation id [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\)/);
    }
    expect((await entrypoint(REQUEST, { awsRequestId: 'x'.repeat(64) })).message).toContain(`(correlation id ${'x'.repeat(64)})`);
  });
});

describe('the configuration', () => {
  function configuredHook(parseConfiguration: (raw: unknown) => string) {
    return createHook<string>({
      targetNames: ['AWS::ECS::TaskDefinition'],
      handlers: { CREATE_PRE_PROVISION: (_request, config) => ({ hookStatus: 'SUCCESS', message: `config ${config}` }) },
      parseConfiguration,
      parseEnvironment: () => 'from the environment',
      logger: new Logger(() => undefined, {}, 'ERROR'),
    });
  }

  it("a registered hook reads the type configuration, a Lambda hook its environment", async () => {
    const hook = configuredHook(() => 'from the type configuration');
    expect((await hook.entrypoint(REQUEST)).message).toBe('config from the type configuration');
    expect((await hook.lambdaEntrypoint(REQUEST)).message).toBe('config from the environment');
  });

  it('a Lambda hook without an environment reader reads the type configuration', async () => {
    const hook = createHook<string>({
      targetNames: ['AWS::ECS::TaskDefinition'],
      handlers: { CREATE_PRE_PROVISION: (_request, config) => ({ hookStatus: 'SUCCESS', message: `config ${config}` }) },
      parseConfiguration: () => 'from the type configuration',
      logger: new Logger(() => undefined, {}, 'ERROR'),
    });
    expect((await hook.lambdaEntrypoint(REQUEST)).message).toBe('config from the type configuration');
  });

  it('only a TypeConfigurationError is an invalid configuration; any other failure is internal and quotes nothing', async () => {
    const invalid = configuredHook(() => {
      throw new TypeConfigurationError('Invalid type configuration: ExemptImages is not a list.');
    });
    expect(await invalid.entrypoint(REQUEST)).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InvalidTypeConfiguration', message: 'Invalid type configuration: ExemptImages is not a list.' });
    const broken = configuredHook(() => {
      throw new Error('secret value from the configuration');
    });
    const answer = await broken.entrypoint(REQUEST);
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(answer.message).not.toContain('secret');
  });
});
