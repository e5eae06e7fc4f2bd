/**
 * The hook schema against CloudFormation's hook meta-schema (draft-07), read from
 * ../shared/schemas with every $ref resolved locally (no network).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sharedDir } = require('./shared-dir.js') as { sharedDir: () => string };

const root = join(__dirname, '..');
const metaDir = join(sharedDir(), 'schemas');
const HOOK_META = 'https://schema.cloudformation.us-east-1.amazonaws.com/provider.definition.schema.hooks.v1.json';
const SCHEMA_FILE = 'guardrails-ecs-readonlyrootfilesystem.json';

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function hookValidator(): ValidateFunction {
  // The meta-schemas carry CloudFormation's own annotation keywords (insertionOrder, ...): not strict.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const file of [
    'base.definition.schema.v1.json',
    'provider.configuration.definition.schema.hooks.v1.json',
    'provider.definition.schema.hooks.v1.json',
  ]) {
    ajv.addSchema(readJson(join(metaDir, file)));
  }
  const validate = ajv.getSchema(HOOK_META);
  if (!validate) throw new Error(`meta-schema ${HOOK_META} not loaded`);
  return validate;
}

function errorsOf(validate: ValidateFunction, schema: unknown): string[] {
  return validate(schema) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('hook schema', () => {
  const validate = hookValidator();
  const schema = readJson(join(root, SCHEMA_FILE));

  it('validates against the hook meta-schema', () => {
    expect(errorsOf(validate, schema)).toEqual([]);
  });

  it('is what schema.json links to', () => {
    expect(readlinkSync(join(root, 'schema.json'))).toBe(SCHEMA_FILE);
  });

  it('has the type name, handlers and targets the project is registered with', () => {
    expect(schema.typeName).toBe('Guardrails::ECS::ReadonlyRootFilesystem');
    // The two ECS types, and the whole-stack and change-set targets (issue 10).
    const targets = ['AWS::ECS::TaskDefinition', 'AWS::ECS::DaemonTaskDefinition', 'STACK', 'CHANGE_SET'];
    expect(schema.handlers).toEqual({
      preCreate: { targetNames: targets, permissions: [] },
      preUpdate: { targetNames: targets, permissions: [] },
    });
  });

  // The meta-schema does reject things: without these the test above would prove nothing.
  it.each([
    ['no typeConfiguration', (s: Record<string, unknown>) => delete s.typeConfiguration, ' must have required property \'typeConfiguration\''],
    ['no description', (s: Record<string, unknown>) => delete s.description, ' must have required property \'description\''],
    [
      'a configuration property of an unknown type',
      (s: Record<string, unknown>) => {
        const config = s.typeConfiguration as { properties: Record<string, Record<string, unknown>> };
        config.properties.ExemptImages!.type = 'list';
      },
      '/typeConfiguration/properties/ExemptImages/type must be equal to one of the allowed values',
    ],
    ['an unknown top-level keyword', (s: Record<string, unknown>) => (s.targets = []), ' must NOT have additional properties'],
  ])('rejects a schema with %s', (_name, mutate, expected) => {
    const broken = structuredClone(schema);
    mutate(broken);
    expect(errorsOf(validate, broken)).toContain(expected);
  });
});
