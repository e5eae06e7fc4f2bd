/**
 * The built bundle (dist/handlers.js), called the way CloudFormation calls it: these are the exact
 * answers CloudFormation gets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stdoutOfEachTest } from '../support/lifecycle';
import { refusingUrl } from '../support/fault-server';

type Answer = Record<string, unknown>;
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint; testEntrypoint: EntryPoint };

const FIX = 'Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', name), 'utf8'));
}

function request(mutate: (r: Record<string, any>) => void = () => undefined): Record<string, any> {
  const r = fixture('create.json');
  // As registered without a LoggingConfig: only the function's own log. Delivery has its own suite.
  delete r.requestData.providerLogGroupName;
  mutate(r);
  return r;
}

const logLines = stdoutOfEachTest();

describe('entrypoint: verdicts', () => {
  it('blocks a task definition with a missing and a false container, naming both', async () => {
    const answer = await bundle.entrypoint(request());
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message: `TaskDefinition 'WebTask': 2 of 3 containers can write to their root filesystem: 'app' (ReadonlyRootFilesystem missing), 'sidecar' (false). ${FIX}`,
      clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe',
      callbackDelaySeconds: 0,
      annotations: [
        expect.objectContaining({ annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'FAILED', severityLevel: 'HIGH' }),
        expect.objectContaining({ annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'FAILED', severityLevel: 'HIGH' }),
      ],
    });
  });

  it('lets a compliant task definition through, string "true" included', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.requestData.targetModel.resourceProperties.ContainerDefinitions = [
          { Name: 'app', ReadonlyRootFilesystem: 'true' },
          { Name: 'proxy', ReadonlyRootFilesystem: true },
        ];
      }),
    );
    expect(answer).toEqual({
      hookStatus: 'SUCCESS',
      message: "TaskDefinition 'WebTask': 2 containers checked, all with a read-only root filesystem.",
      clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe',
      callbackDelaySeconds: 0,
      annotations: [{ annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'PASSED', statusMessage: '2 containers have a read-only root filesystem.' }],
    });
  });

  it('judges DaemonTaskDefinition targets', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.requestData.targetName = 'AWS::ECS::DaemonTaskDefinition';
        r.requestData.targetLogicalId = 'NodeAgents';
        r.requestData.targetModel.resourceProperties = { ContainerDefinitions: [{ Name: 'agent', ReadonlyRootFilesystem: 'FALSE' }] };
      }),
    );
    expect(answer).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message: `DaemonTaskDefinition 'NodeAgents': 1 of 1 container can write to its root filesystem: 'agent' (false). ${FIX}`,
    });
  });

  it('judges the new properties of an update and says when it turns protection off', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.actionInvocationPoint = 'UPDATE_PRE_PROVISION';
        r.requestData.targetModel = {
          previousResourceProperties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }] },
          resourceProperties: { ContainerDefinitions: [{ Name: 'app' }] },
        };
      }),
    );
    expect(answer.message).toBe(
      `TaskDefinition 'WebTask': 1 of 1 container can write to its root filesystem: 'app' (ReadonlyRootFilesystem missing). ${FIX} This update turns the protection off: every container of the previous version had a read-only root filesystem.`,
    );
  });

  it('lets an update that fixes a task definition through', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.actionInvocationPoint = 'UPDATE_PRE_PROVISION';
        r.requestData.targetModel = {
          previousResourceProperties: { ContainerDefinitions: [{ Name: 'app' }] },
          resourceProperties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }] },
        };
      }),
    );
    expect(answer.hookStatus).toBe('SUCCESS');
  });

  it.each([
    ['absent', undefined, "TaskDefinition 'WebTask': no container definitions, nothing to check."],
    ['empty', [], "TaskDefinition 'WebTask': no container definitions, nothing to check."],
  ])('succeeds when ContainerDefinitions is %s', async (_label, list, message) => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.requestData.targetModel.resourceProperties = list === undefined ? { Family: 'x' } : { ContainerDefinitions: list };
      }),
    );
    expect(answer).toMatchObject({ hookStatus: 'SUCCESS', message });
  });

  it('skips Windows task definitions with the reason', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.requestData.targetModel.resourceProperties.RuntimePlatform = { OperatingSystemFamily: 'WINDOWS_SERVER_2019_CORE' };
      }),
    );
    expect(answer).toMatchObject({
      hookStatus: 'SUCCESS',
      message: "TaskDefinition 'WebTask': skipped, WINDOWS_SERVER_2019_CORE containers cannot use a read-only root filesystem.",
    });
  });

  it('fails closed when ContainerDefinitions is not a list', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.requestData.targetModel.resourceProperties = { ContainerDefinitions: '[{"Name":"app"}]' };
      }),
    );
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(answer.message).toBe(`TaskDefinition 'WebTask': ContainerDefinitions is not a list, so no container can be checked. ${FIX}`);
  });

  it.each([
    ['DELETE_PRE_PROVISION', 'AWS::ECS::TaskDefinition', 'Nothing to check at DELETE_PRE_PROVISION.'],
    ['CREATE_PRE_PROVISION', 'AWS::S3::Bucket', 'Nothing to check: AWS::S3::Bucket is not a target of this hook.'],
  ])('lets %s of %s through without evaluation', async (point, target, message) => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.actionInvocationPoint = point;
        r.requestData.targetName = target;
      }),
    );
    expect(answer).toEqual({ hookStatus: 'SUCCESS', message, clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe', callbackDelaySeconds: 0 });
  });

  it('reads a stack-level request from its payload URL, and fails closed when it cannot', async () => {
    const event = fixture('stack.json');
    event.requestData.payload = `${await refusingUrl()}/stack-payload.json?X-Amz-Signature=sig`;
    const answer = await bundle.entrypoint(event);
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NetworkFailure',
      message:
        "The hook could not read the stack's template from the payload CloudFormation sent: the connection failed (ECONNREFUSED) (4 attempts). Deploy again; if it persists, the hook's owner will find details in its logs.",
      clientRequestToken: '9f3c1d22-stack',
      callbackDelaySeconds: 0,
    });
  });

  it('ignores unknown extra fields', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.somethingNew = { nested: true };
        r.requestData.futureField = 'x';
      }),
    );
    expect(answer.errorCode).toBe('NonCompliant');
  });
});

describe('entrypoint: type configuration', () => {
  it('exempts sidecars by name and image glob', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.hookModel = { ExemptContainerNames: ['side*'], ExemptImages: ['public.ecr.aws/docker/library/alpine:*'] };
      }),
    );
    expect(answer).toMatchObject({
      hookStatus: 'SUCCESS',
      message: "TaskDefinition 'WebTask': 1 container checked, all with a read-only root filesystem. Exempt by configuration: 'app', 'sidecar'.",
    });
    expect(answer.annotations).toEqual([
      { annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'PASSED', statusMessage: '1 container has a read-only root filesystem; 2 exempt.' },
      {
        annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
        status: 'SKIPPED',
        statusMessage: "Container 'app' is exempt: ExemptImages pattern 'public.ecr.aws/docker/library/alpine:*'.",
      },
      { annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'SKIPPED', statusMessage: "Container 'sidecar' is exempt: ExemptContainerNames pattern 'side*'." },
    ]);
  });

  it.each([null, {}])('treats hookModel %j as no exemptions', async (hookModel) => {
    const answer = await bundle.entrypoint(request((r) => (r.hookModel = hookModel)));
    expect(answer.errorCode).toBe('NonCompliant');
  });

  it.each([
    [{ ExemptContainerNames: 'true' }, 'Invalid type configuration: ExemptContainerNames must be a list of glob patterns, got a string.'],
    [{ ExemptContainerNames: '["app"]' }, 'Invalid type configuration: ExemptContainerNames must be a list of glob patterns, got a string.'],
    [{ ExemptImages: [{}] }, 'Invalid type configuration: ExemptImages[0] must be a non-empty string, got an object.'],
    [{ ExemptImage: ['x'] }, "Invalid type configuration: Unknown type configuration property 'ExemptImage'; expected ExemptContainerNames or ExemptImages."],
    ['true', 'Invalid type configuration: The type configuration must be an object, got a string.'],
  ])('answers InvalidTypeConfiguration for %j, never disabling the check silently', async (hookModel, message) => {
    const answer = await bundle.entrypoint(request((r) => (r.hookModel = hookModel)));
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InvalidTypeConfiguration',
      message,
      clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe',
      callbackDelaySeconds: 0,
    });
  });
});

describe('entrypoint: malformed requests', () => {
  it.each([
    ['not an object', null, '', 'The request is not a JSON object.'],
    ['a string', 'CREATE_PRE_PROVISION', '', 'The request is not a JSON object.'],
    ['a list', [], '', 'The request is not a JSON object.'],
    ['without requestData', { clientRequestToken: 't1', actionInvocationPoint: 'CREATE_PRE_PROVISION' }, 't1', 'The request has no requestData object.'],
    [
      'with an unknown invocation point',
      { clientRequestToken: 't2', actionInvocationPoint: 'CREATE_POST_PROVISION', requestData: {} },
      't2',
      'Unknown actionInvocationPoint \'CREATE_POST_PROVISION\'; expected one of CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION, DELETE_PRE_PROVISION.',
    ],
    [
      'without a target model',
      { clientRequestToken: 't3', actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData: { targetName: 'AWS::ECS::TaskDefinition' } },
      't3',
      'The request has no target model (requestData.targetModel).',
    ],
    [
      'without resourceProperties',
      { clientRequestToken: 't4', actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData: { targetName: 'AWS::ECS::TaskDefinition', targetModel: {} } },
      't4',
      'The request has no target model (requestData.targetModel.resourceProperties is not an object).',
    ],
    ['with a token that is not a string', { clientRequestToken: 42, requestData: {} }, '', 'The request has no actionInvocationPoint.'],
  ])('answers InvalidRequest for a request %s', async (_label, event, token, message) => {
    const answer = await bundle.entrypoint(event);
    expect(answer).toEqual({ hookStatus: 'FAILED', errorCode: 'InvalidRequest', message, clientRequestToken: token, callbackDelaySeconds: 0 });
  });

  it('answers InternalFailure with a correlation id on an unexpected error, details only in the log', async () => {
    const event = request();
    Object.defineProperty(event, 'requestData', {
      get() {
        throw new Error('secret-detail-from-a-bug');
      },
    });
    const answer = await bundle.entrypoint(event, { awsRequestId: 'req-123' });
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      message:
        "The hook could not check this resource because of an internal error (correlation id req-123). Deploy again; if it persists, give the correlation id to the hook's owner.",
      clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe',
      callbackDelaySeconds: 0,
    });
    const errorLine = logLines().map((l) => JSON.parse(l)).find((l) => l.level === 'ERROR');
    expect(errorLine).toMatchObject({ message: 'Unexpected error', correlationId: 'req-123', errorType: 'Error' });
    expect(logLines().join('')).not.toContain('secret-detail-from-a-bug');
  });
});

describe('entrypoint: hostile events', () => {
  it('answers, never throws, when every property read throws', async () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        has() {
          throw new Error('boom');
        },
      },
    );
    const answer = await bundle.entrypoint(hostile, { awsRequestId: 'req-proxy' });
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure', clientRequestToken: '', callbackDelaySeconds: 0 });
  });
});

describe('entrypoint: logging', () => {
  it('logs one line per invocation with identifiers and the verdict, never property values or credentials', async () => {
    const event = request((r) => {
      r.requestData.targetModel.resourceProperties.ContainerDefinitions[0].Environment = [{ Name: 'DB_PASSWORD', Value: 'canary-env-value' }];
      r.requestData.targetModel.resourceProperties.ContainerDefinitions[0].Command = ['canary-command'];
    });
    await bundle.entrypoint(event, { awsRequestId: 'req-9' });
    expect(logLines()).toHaveLength(1);
    const line = JSON.parse(logLines()[0]!);
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'Answered',
      correlationId: 'req-9',
      invocationPoint: 'CREATE_PRE_PROVISION',
      targetName: 'AWS::ECS::TaskDefinition',
      targetLogicalId: 'WebTask',
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
    });
    const all = logLines().join('');
    for (const canary of ['canary-env-value', 'canary-command', 'caller-secret', 'provider-secret', 'AKIDCALLER', 'caller-token', 'alpine']) {
      expect(all).not.toContain(canary);
    }
  });
});

describe('testEntrypoint', () => {
  it('answers the contract-test event shape with the same verdict', async () => {
    const answer = await bundle.testEntrypoint({
      credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' },
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      request: {
        clientRequestToken: 'test-token',
        hookContext: {
          awsAccountId: '111122223333',
          stackId: 'stack',
          hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
          hookTypeVersion: '00000001',
          invocationPoint: 'CREATE_PRE_PROVISION',
          targetName: 'AWS::ECS::TaskDefinition',
          targetType: 'RESOURCE',
          targetLogicalId: 'TestTask',
          targetModel: { resourceProperties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'false' }] } },
        },
      },
      callbackContext: null,
      typeConfiguration: { ExemptImages: ['unused/*'] },
    });
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message: `TaskDefinition 'TestTask': 1 of 1 container can write to its root filesystem: 'app' (false). ${FIX}`,
      clientRequestToken: 'test-token',
      callbackDelaySeconds: 0,
      annotations: [expect.objectContaining({ status: 'FAILED' })],
    });
  });

  it('answers InvalidRequest for a test event without a request', async () => {
    const answer = await bundle.testEntrypoint({ actionInvocationPoint: 'CREATE_PRE_PROVISION' });
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InvalidRequest',
      message: 'The test event has no request object.',
      clientRequestToken: '',
      callbackDelaySeconds: 0,
    });
  });
});
