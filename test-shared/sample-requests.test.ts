/** The runtimes' sample requests (../shared/schemas/sample-hook-request.*) through the built hook. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sharedDir } = require('./shared-dir.js') as { sharedDir: () => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../dist/handlers.js') as { entrypoint: (e: unknown) => Promise<Record<string, unknown>> };

function sample(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(sharedDir(), 'schemas', name), 'utf8'));
}

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

describe('sample hook requests', () => {
  it('lets the resource sample through: its target is not an ECS task definition', async () => {
    expect(await bundle.entrypoint(sample('sample-hook-request.resource.json'))).toEqual({
      hookStatus: 'SUCCESS',
      message: 'Nothing to check: AWS::Example::ResourceTarget is not a target of this hook.',
      clientRequestToken: '123456',
      callbackDelaySeconds: 0,
    });
  });

  it('reads the stack sample as a stack-level request: its foreign hookModel is refused before any payload is read', async () => {
    expect(await bundle.entrypoint(sample('sample-hook-request.stack.json'))).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InvalidTypeConfiguration',
      message: "Invalid type configuration: Unknown type configuration property 'property1'; expected ExemptContainerNames or ExemptImages.",
      clientRequestToken: '123456',
      callbackDelaySeconds: 0,
    });
  });

  it('refuses the stack sample\'s payload URL unread: plain http to a host that is not loopback', async () => {
    const event = sample('sample-hook-request.stack.json');
    event.hookModel = {};
    expect(await bundle.entrypoint(event)).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InvalidRequest',
      message:
        "The hook could not read the stack's template from the payload CloudFormation sent: requestData.payload is not an https URL. Deploy again; if it persists, the hook's owner will find details in its logs.",
      clientRequestToken: '123456',
      callbackDelaySeconds: 0,
    });
  });

  it('judges the resource sample retargeted at a task definition, and rejects its foreign hookModel', async () => {
    const event = sample('sample-hook-request.resource.json');
    event.requestData.targetName = 'AWS::ECS::TaskDefinition';
    event.requestData.targetModel.resourceProperties = { ContainerDefinitions: [{ Name: 'web', ReadonlyRootFilesystem: 'true' }] };
    expect(await bundle.entrypoint(event)).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InvalidTypeConfiguration',
      message: "Invalid type configuration: Unknown type configuration property 'property1'; expected ExemptContainerNames or ExemptImages.",
      clientRequestToken: '123456',
      callbackDelaySeconds: 0,
    });
    event.hookModel = {};
    expect(await bundle.entrypoint(event)).toMatchObject({
      hookStatus: 'SUCCESS',
      message: "TaskDefinition 'myResource': 1 container checked, all with a read-only root filesystem.",
    });
  });
});
