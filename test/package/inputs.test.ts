/**
 * inputs/ for `cfn test`: every file sent to the built bundle the way cfn's hook contract tests send it
 * (HookClient.make_request), with and without the example type configuration. Valid inputs must answer
 * SUCCESS and invalid ones FAILED with an error code, or the contract tests fail.
 */
import Ajv from 'ajv';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, root } from './support';

type Answer = { hookStatus: string; errorCode?: string; message: string; callbackDelaySeconds: number; clientRequestToken: string };
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint };

interface HookSchema {
  typeName: string;
  typeConfiguration: Record<string, unknown>;
  handlers: Record<string, { targetNames: string[] }>;
}
type TargetModel = { resourceProperties: Record<string, unknown>; previousResourceProperties?: Record<string, unknown> };

const schema = readJson<HookSchema>('guardrails-ecs-readonlyrootfilesystem.json');
const example = readJson<{ CloudFormationConfiguration: { HookConfiguration: Record<string, unknown> & { Properties: unknown } } }>(
  'inputs/type-configuration.example.json',
);
const files = readdirSync(join(root, 'inputs')).filter((f) => f.startsWith('inputs_')).sort();
const TD = 'AWS::ECS::TaskDefinition';
const DTD = 'AWS::ECS::DaemonTaskDefinition';

/** What each input must get: status and what the message says after "<Type> '<logical id>': ". */
const EXPECTED: Record<string, Record<string, [string, string]>> = {
  'inputs_1_pre_create.json': { [TD]: ['SUCCESS', '1 container checked'], [DTD]: ['SUCCESS', '1 container checked'] },
  'inputs_1_pre_update.json': { [TD]: ['SUCCESS', '1 container checked'], [DTD]: ['SUCCESS', '1 container checked'] },
  'inputs_1_invalid_pre_create.json': { [TD]: ['FAILED', "'app' (ReadonlyRootFilesystem missing)"], [DTD]: ['FAILED', "'agent' (false)"] },
  'inputs_1_invalid_pre_update.json': {
    [TD]: ['FAILED', "'app' (false)"],
    [DTD]: ['FAILED', "'agent' (ReadonlyRootFilesystem missing)"],
  },
  'inputs_2_pre_create.json': { [TD]: ['SUCCESS', 'checked'], [DTD]: ['SUCCESS', 'checked'] },
  'inputs_2_pre_update.json': { [TD]: ['SUCCESS', 'checked'], [DTD]: ['SUCCESS', 'checked'] },
  'inputs_2_invalid_pre_create.json': { [TD]: ['FAILED', "'app' (false)"], [DTD]: ['FAILED', "'agent' (not true or false)"] },
  'inputs_2_invalid_pre_update.json': {
    [TD]: ['FAILED', "'app' (ReadonlyRootFilesystem missing)"],
    [DTD]: ['FAILED', "'agent' (not true or false)"],
  },
  'inputs_3_pre_create.json': {
    [TD]: ['SUCCESS', 'skipped, WINDOWS_SERVER_2022_CORE containers cannot use a read-only root filesystem.'],
    [DTD]: ['SUCCESS', 'no container definitions, nothing to check.'],
  },
  'inputs_3_pre_update.json': {
    [TD]: ['SUCCESS', 'skipped, WINDOWS_SERVER_2022_CORE containers cannot use a read-only root filesystem.'],
    [DTD]: ['SUCCESS', '1 container checked'],
  },
  'inputs_3_invalid_pre_create.json': { [TD]: ['FAILED', "'ContainerDefinitions[1]' (false)"], [DTD]: ['FAILED', "'agent' (not true or false)"] },
  'inputs_3_invalid_pre_update.json': {
    [TD]: ['FAILED', 'ContainerDefinitions is not a list, so no container can be checked.'],
    [DTD]: ['FAILED', "'ContainerDefinitions[0]' (not a container definition object)"],
  },
};

/** cfn test's request (rpdk.core.contract.hook_client.HookClient.make_request), token and logical id alike. */
function contractRequest(file: string, target: string, targetModel: TargetModel, hookModel: unknown): unknown {
  const token = `${file}:${target}`;
  return {
    requestData: {
      callerCredentials: '{"accessKeyId": "", "secretAccessKey": "", "sessionToken": ""}',
      targetName: target,
      targetType: 'RESOURCE',
      targetLogicalId: token,
      targetModel,
    },
    requestContext: { callbackContext: null },
    hookTypeName: schema.typeName,
    hookTypeVersion: '00000001',
    clientRequestToken: token,
    stackId: token,
    awsAccountId: '123456789012',
    actionInvocationPoint: file.includes('pre_update') ? 'UPDATE_PRE_PROVISION' : 'CREATE_PRE_PROVISION',
    hookModel,
  };
}

beforeEach(() => {
  // The hook logs a line per answer; keep the test output to the results.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

describe('inputs/', () => {
  it('has the four files cfn test reads for each numbered case, and no others', () => {
    const cases = [...new Set(files.map((f) => f.split('_')[1]))];
    expect(cases).toEqual(['1', '2', '3']);
    expect(files).toEqual(
      cases.flatMap((n) => ['invalid_pre_create', 'invalid_pre_update', 'pre_create', 'pre_update'].map((kind) => `inputs_${n}_${kind}.json`)),
    );
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  it.each(files)('%s gives a model for every target of the handler', (file) => {
    // cfn leaves out the stack and change-set targets (HOOK_SPECIAL_TARGET_NAMES): they have no resource model.
    const targets = [...new Set(Object.values(schema.handlers).flatMap((h) => h.targetNames))].filter((t) => t !== 'STACK' && t !== 'CHANGE_SET').sort();
    const models = readJson<Record<string, TargetModel>>(`inputs/${file}`);
    expect(Object.keys(models).sort()).toEqual(targets);
    for (const model of Object.values(models)) {
      expect(Object.keys(model)).toEqual(file.includes('pre_update') ? ['resourceProperties', 'previousResourceProperties'] : ['resourceProperties']);
    }
  });

  describe.each([
    ['without a type configuration', null],
    ['with the example type configuration', example.CloudFormationConfiguration.HookConfiguration.Properties],
  ])('%s', (_name, hookModel) => {
    it.each(files)('%s gets the answer the contract tests expect', async (file) => {
      const models = readJson<Record<string, TargetModel>>(`inputs/${file}`);
      for (const [target, model] of Object.entries(models)) {
        const [status, says] = EXPECTED[file]![target]!;
        const answer = await bundle.entrypoint(contractRequest(file, target, model, hookModel));
        const prefix = `${target.split('::')[2]} '${file}:${target}': `;
        expect({ target, status: answer.hookStatus, errorCode: answer.errorCode, delay: answer.callbackDelaySeconds }).toEqual({
          target,
          status,
          errorCode: status === 'FAILED' ? 'NonCompliant' : undefined,
          delay: 0,
        });
        expect(answer.clientRequestToken).toBe(`${file}:${target}`);
        expect(answer.message.startsWith(prefix)).toBe(true);
        expect(answer.message).toContain(says);
      }
    });
  });
});

describe('inputs/type-configuration.example.json', () => {
  const configuration = example.CloudFormationConfiguration.HookConfiguration;

  it('is a hook configuration document for set-type-configuration and cfn test --typeconfig', () => {
    expect(Object.keys(configuration)).toEqual(['HookInvocationStatus', 'TargetOperations', 'FailureMode', 'TargetFilters', 'Properties']);
    expect(configuration).toMatchObject({
      HookInvocationStatus: 'ENABLED',
      TargetOperations: ['RESOURCE'],
      FailureMode: 'WARN',
      TargetFilters: { Actions: ['CREATE', 'UPDATE'], InvocationPoints: ['PRE_PROVISION'], TargetNames: [TD, DTD] },
    });
  });

  it('has properties the hook schema accepts', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema.typeConfiguration);
    expect(validate(configuration.Properties)).toBe(true);
  });

  it('exempts the FireLens log router', async () => {
    const answer = await bundle.entrypoint(
      contractRequest('example', TD, {
        resourceProperties: {
          ContainerDefinitions: [
            { Name: 'app', Image: 'public.ecr.aws/docker/library/nginx:stable', ReadonlyRootFilesystem: 'true' },
            { Name: 'log_router', Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable' },
          ],
        },
      }, configuration.Properties),
    );
    expect(answer).toMatchObject({
      hookStatus: 'SUCCESS',
      message: `TaskDefinition 'example:${TD}': 1 container checked, all with a read-only root filesystem. Exempt by configuration: 'log_router'.`,
    });
  });
});
