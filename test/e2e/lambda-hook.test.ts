/**
 * dist/handlers.js `lambdaHook`: the handler of an AWS::CloudFormation::LambdaHook. Its requests have the
 * shape the Hooks User Guide documents for Lambda hooks (hookModel names the function; no type
 * configuration, no delivery settings); its configuration comes from EXEMPT_CONTAINER_NAMES and
 * EXEMPT_IMAGES; it answers only the statuses and error codes Lambda hooks accept.
 */
import { faults } from '../support/fault-server';
import { faultServersForEachTest, stdoutOfEachTest } from '../support/lifecycle';
import { withEnv } from '../support/aws';

type Answer = Record<string, any>;
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint; lambdaHook: EntryPoint };

const FUNCTION_ARN = 'arn:aws:lambda:us-west-2:123456789012:function:ecs-readonly-rootfs-check';
const output = stdoutOfEachTest();
const servers = faultServersForEachTest();

/** A resource-level request as the guide's Lambda hook example shapes it. */
function resourceRequest(properties: Record<string, unknown>, previous?: Record<string, unknown>): Answer {
  return {
    clientRequestToken: 'f1d4ae34-lambda',
    awsAccountId: '123456789012',
    stackId: 'arn:aws:cloudformation:us-west-2:123456789012:stack/web/5e7a8b10-0000-11ef-9a0e-0a1b2c3d4e5f',
    changeSetId: null,
    hookTypeName: 'Private::Guardrails::EcsReadonlyRootfs',
    hookTypeVersion: '00000001',
    hookModel: { LambdaFunction: FUNCTION_ARN },
    actionInvocationPoint: previous === undefined ? 'CREATE_PRE_PROVISION' : 'UPDATE_PRE_PROVISION',
    requestData: {
      targetName: 'AWS::ECS::TaskDefinition',
      targetType: 'AWS::ECS::TaskDefinition',
      targetLogicalId: 'WebTask',
      targetModel: previous === undefined ? { resourceProperties: properties } : { resourceProperties: properties, previousResourceProperties: previous },
    },
    requestContext: { invocation: 1, callbackContext: null },
  };
}

/** The same request as CloudFormation sends a registered hook type, with the configuration in hookModel. */
function registered(event: Answer, hookModel: unknown): Answer {
  return { ...event, hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem', hookModel };
}

const CONTAINERS = {
  compliant: [{ Name: 'app', Image: 'nginx', ReadonlyRootFilesystem: 'true' }],
  missing: [{ Name: 'app', Image: 'nginx' }],
  mixed: [
    { Name: 'app', Image: 'nginx', ReadonlyRootFilesystem: 'true' },
    { Name: 'log_router', Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', ReadonlyRootFilesystem: 'false' },
    { Image: 'busybox', ReadonlyRootFilesystem: 'yes' },
    'not-an-object',
  ],
  windows: [{ Name: 'iis', Image: 'mcr.microsoft.com/windows/servercore/iis' }],
};

describe('the documented request shapes', () => {
  it('a resource: the verdict, as an answer a Lambda hook may give', async () => {
    const answer = await bundle.lambdaHook(resourceRequest({ ContainerDefinitions: CONTAINERS.missing }));
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message:
        "TaskDefinition 'WebTask': 1 of 1 container can write to its root filesystem: 'app' (ReadonlyRootFilesystem missing). Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.",
      clientRequestToken: 'f1d4ae34-lambda',
      callbackDelaySeconds: 0,
      annotations: [expect.objectContaining({ status: 'FAILED', statusMessage: "Container 'app' can write to its root filesystem: ReadonlyRootFilesystem missing." })],
    });
  });

  it.each([
    ['STACK', 'web', { template: 'Resources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n', previousTemplate: '' }, 'FAILED'],
    [
      'CHANGE_SET',
      'arn:aws:cloudformation:us-west-2:123456789012:changeSet/review/1a2b',
      {
        template: '',
        changedResources: [
          {
            action: 'CREATE',
            beforeContext: null,
            afterContext: JSON.stringify({ Properties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }] } }),
            lineNumber: 3,
            logicalResourceId: 'Web',
            resourceType: 'AWS::ECS::TaskDefinition',
          },
        ],
      },
      'SUCCESS',
    ],
  ])('a %s request: read from its payload URL', async (targetName, logicalId, body, status) => {
    const server = await servers.serve(faults.json(body));
    const event = resourceRequest({});
    event.requestData = { targetName, targetType: targetName, targetLogicalId: logicalId, payload: `${server.url}/p?X-Amz-Signature=sig` };
    const answer = await bundle.lambdaHook(event);
    expect(answer.hookStatus).toBe(status);
    expect(answer).toEqual({ ...(await bundle.entrypoint(registered(event, {}))), hookStatus: status });
  });

  it('logs to the function own output only: settings for delivery in a request are never used', async () => {
    const event = resourceRequest({ ContainerDefinitions: CONTAINERS.compliant });
    event.requestData.providerLogGroupName = 'owner-logs';
    event.requestData.providerCredentials = JSON.stringify({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' });
    await withEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' }, () => bundle.lambdaHook(event));
    expect(output().map((l) => JSON.parse(l).message)).toEqual(['Answered']);
  });
});

describe('the same verdicts as the registered hook', () => {
  const configs: [string, Record<string, string>, unknown][] = [
    ['no exemptions', {}, {}],
    ['exempt names', { EXEMPT_CONTAINER_NAMES: 'log_*, app' }, { ExemptContainerNames: ['log_*', 'app'] }],
    ['exempt images', { EXEMPT_IMAGES: 'public.ecr.aws/aws-observability/*' }, { ExemptImages: ['public.ecr.aws/aws-observability/*'] }],
  ];
  const cases = Object.entries(CONTAINERS).flatMap(([name, containers]) =>
    configs.map(([config, env, hookModel]) => [`${name}, ${config}`, containers, env, hookModel] as const),
  );
  it.each(cases)('%s', async (_name, containers, env, hookModel) => {
    const properties: Record<string, unknown> = { ContainerDefinitions: containers };
    if (containers === CONTAINERS.windows) properties.RuntimePlatform = { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' };
    for (const event of [resourceRequest(properties), resourceRequest(properties, { ContainerDefinitions: CONTAINERS.compliant })]) {
      const lambda = await withEnv(env, () => bundle.lambdaHook(event));
      expect(lambda).toEqual(await bundle.entrypoint(registered(event, hookModel)));
    }
  });
});

describe('only SUCCESS, FAILED, IN_PROGRESS and only NonCompliant, InternalFailure', () => {
  it.each([
    ['EXEMPT_CONTAINER_NAMES', 'app,,sidecar', 'Invalid environment variable EXEMPT_CONTAINER_NAMES: item 2 is empty (two commas in a row, or a comma at an end).'],
    ['EXEMPT_IMAGES', 'x'.repeat(1025), 'Invalid environment variable EXEMPT_IMAGES: item 1 is 1025 characters long; at most 1024 are allowed.'],
    ['EXEMPT_CONTAINER_NAMES', Array.from({ length: 101 }, (_, i) => `c${i}`).join(','), 'Invalid environment variable EXEMPT_CONTAINER_NAMES: it has 101 patterns; at most 100 are allowed.'],
  ])('a bad %s: FAILED naming the variable, never a silent pass', async (variable, value, message) => {
    const answer = await withEnv({ [variable]: value }, () => bundle.lambdaHook(resourceRequest({ ContainerDefinitions: CONTAINERS.compliant })));
    expect(answer).toEqual({ hookStatus: 'FAILED', errorCode: 'InternalFailure', message, clientRequestToken: 'f1d4ae34-lambda', callbackDelaySeconds: 0 });
  });

  it.each([
    ['not an object', 'a string'],
    ['no requestData', { clientRequestToken: 't' }],
    ['an unknown invocation point', { ...resourceRequest({}), actionInvocationPoint: 'SOMETIME' }],
    ['no target model', { ...resourceRequest({}), requestData: { targetName: 'AWS::ECS::TaskDefinition' } }],
    ['a payload URL that is not https', { ...resourceRequest({}), requestData: { targetName: 'STACK', targetType: 'STACK', payload: 'http://example.com/p' } }],
  ])('%s: InternalFailure', async (_name, event) => {
    const answer = await bundle.lambdaHook(event);
    expect(answer.hookStatus).toBe('FAILED');
    expect(answer.errorCode).toBe('InternalFailure');
  });

  it('a request the registered hook answers with InvalidTypeConfiguration or InvalidRequest never shows those codes', async () => {
    const event = resourceRequest({ ContainerDefinitions: 'not a list' });
    expect((await bundle.lambdaHook(event)).errorCode).toBe('NonCompliant');
    const broken = resourceRequest({});
    broken.requestData.targetModel = { resourceProperties: 'nope' };
    expect(await bundle.entrypoint(registered(broken, {}))).toMatchObject({ errorCode: 'InvalidRequest' });
    output().length = 0;
    expect(await bundle.lambdaHook(broken)).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    // The log line says what the answer says, and which code it stands for.
    expect(output().map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ message: 'Answered', hookStatus: 'FAILED', errorCode: 'InternalFailure', detailCode: 'InvalidRequest' }),
    ]);
  });
});
