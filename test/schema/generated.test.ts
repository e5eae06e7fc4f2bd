/**
 * The three files `cfn generate` writes from the schema (src/models.ts, docs/README.md, hook-role.yaml)
 * are committed as it writes them; these tests catch a schema edit that was not followed by a regenerate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface ConfigProperty {
  description: string;
  type: string;
  items?: { type: string };
}
interface HookSchema {
  typeName: string;
  required: string[];
  typeConfiguration: { properties: Record<string, ConfigProperty> };
  handlers: Record<string, { targetNames: string[]; permissions: string[] }>;
}

const schema = JSON.parse(read('guardrails-ecs-readonlyrootfilesystem.json')) as HookSchema;
const properties = Object.entries(schema.typeConfiguration.properties);
// cfn generate lists the targets it has schemas for: STACK and CHANGE_SET (HOOK_SPECIAL_TARGET_NAMES) are left out.
const targets = [...new Set(Object.values(schema.handlers).flatMap((h) => h.targetNames))].filter((t) => t !== 'STACK' && t !== 'CHANGE_SET').sort();
const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

describe('src/models.ts', () => {
  const models = read('src/models.ts');

  it('is the generated TypeConfigurationModel on the library BaseModel', () => {
    expect(models.startsWith('// This is a generated file. Modifications will be overwritten.\n')).toBe(true);
    expect(models).toContain("from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';");
    expect([...models.matchAll(/^export class (\w+) extends (\w+) \{$/gm)].map((m) => [m[1], m[2]])).toEqual([
      ['TypeConfigurationModel', 'BaseModel'],
    ]);
  });

  it('exposes exactly the configuration properties of the schema, in its order', () => {
    expect([...models.matchAll(/@Expose\(\{ name: '(\w+)' \}\)/g)].map((m) => m[1])).toEqual(properties.map(([name]) => name));
  });

  it.each(properties)('recasts %s as a list of strings', (name, property) => {
    expect(property).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(models).toContain(
      [
        `    @Expose({ name: '${name}' })`,
        '    @Transform(',
        '        ({value, obj}) =>',
        `            transformValue(String, '${camel(name)}', value, obj, [Array]),`,
        '        {',
        '            toClassOnly: true,',
        '        }',
        '    )',
        `    ${camel(name)}?: Optional<Array<string>>;`,
      ].join('\n'),
    );
  });
});

describe('docs/README.md', () => {
  const readme = read('docs/README.md');

  it('is the type configuration reference of this hook', () => {
    expect(readme.split('\n')[0]).toBe(`# ${schema.typeName}`);
    expect(readme).toContain('## Activation');
  });

  it('documents every configuration property, in the schema order, with its description', () => {
    expect([...readme.matchAll(/^#### (\w+)$/gm)].map((m) => m[1])).toEqual(properties.map(([name]) => name));
    for (const [name, property] of properties) {
      const section = readme.slice(readme.indexOf(`#### ${name}\n`)).split('\n\n');
      expect(section.slice(1, 4)).toEqual([
        property.description,
        `_Required_: ${schema.required.includes(name) ? 'Yes' : 'No'}`,
        '_Type_: List of String',
      ]);
      expect(readme).toContain(`"<a href="#${name.toLowerCase()}" title="${name}">${name}</a>" : <i>[ String, ... ]</i>`);
    }
  });

  it('lists the targets of the handlers', () => {
    const section = readme.slice(readme.indexOf('## Targets\n'));
    expect([...section.matchAll(/^\* `([\w:]+)`$/gm)].map((m) => m[1])).toEqual(targets);
  });
});

describe('hook-role.yaml', () => {
  interface Role {
    Resources: {
      ExecutionRole: {
        Type: string;
        Properties: {
          MaxSessionDuration: number;
          AssumeRolePolicyDocument: {
            Statement: Array<{ Principal: { Service: string[] }; Condition: Record<string, Record<string, unknown>> }>;
          };
          Policies: Array<{ PolicyDocument: { Statement: Array<{ Effect: string; Action: string[]; Resource: string }> } }>;
        };
      };
    };
    Outputs: Record<string, unknown>;
  }
  const role = parse(read('hook-role.yaml')) as Role;
  const execution = role.Resources.ExecutionRole;

  it('lets only this hook type assume the role', () => {
    const [trust] = execution.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust?.Principal.Service).toEqual(['hooks.cloudformation.amazonaws.com', 'resources.cloudformation.amazonaws.com']);
    expect(trust?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      StringLike: {
        'aws:SourceArn': {
          'Fn::Sub': `arn:\${AWS::Partition}:cloudformation:\${AWS::Region}:\${AWS::AccountId}:type/hook/${schema.typeName.replace(/::/g, '-')}/*`,
        },
      },
    });
  });

  it('grants nothing, as the handlers need no permissions', () => {
    expect(Object.values(schema.handlers).flatMap((h) => h.permissions)).toEqual([]);
    expect(execution.Properties.Policies.map((p) => p.PolicyDocument.Statement)).toEqual([
      [{ Effect: 'Deny', Action: ['*'], Resource: '*' }],
    ]);
  });

  it('allows sessions as long as cfn derives from the default handler timeout', () => {
    // 70 seconds per minute of the default 120-minute handler timeout.
    expect(execution.Properties.MaxSessionDuration).toBe(8400);
    expect(role.Outputs).toEqual({ ExecutionRoleArn: { Value: { 'Fn::GetAtt': 'ExecutionRole.Arn' } } });
  });
});
