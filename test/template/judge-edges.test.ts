// The judge's edges: every branch of findTaskDefinitions, deploymentsOf and judgeTaskDefinition as a
// user sees it through validateTemplate (statuses, reasons, details, positions, conditions, counts),
// and the template tests of the exported helpers.
import { parsePolicyConfig } from '../../src/policy';
import {
  deploymentsOf,
  findTaskDefinitions,
  isTemplateDocument,
  LIMITS,
  looksLikeTemplate,
  readTemplate,
  type ResourceFinding,
  type TemplateResult,
  validateTemplate,
  type ValidateOptions,
} from '../../src/template';

/** A template whose only resource is the task definition T, with these Properties lines (6 spaces in). */
function task(properties: string, extra = ''): string {
  return `Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n${extra}    Properties:\n${properties}`;
}

function only(text: string, options: ValidateOptions = {}): ResourceFinding {
  const result = validateTemplate(text, options);
  if (result.resources.length !== 1) throw new Error(`not one resource: ${JSON.stringify(result)}`);
  return result.resources[0]!;
}

const HEAD = { logicalId: 'T', type: 'AWS::ECS::TaskDefinition', line: 2, column: 3 } as const;

describe('where task definitions are found', () => {
  it('reads the top-level entries of a snippet only when one of them is an ECS task definition', () => {
    const snippet = 'Description: a snippet\nB:\n  Type: AWS::S3::Bucket\nT:\n  Type: AWS::ECS::TaskDefinition\n  Properties: {ContainerDefinitions: [{Name: a}]}\n';
    expect(validateTemplate(snippet).resources.map((r) => [r.logicalId, r.status, r.line, r.column])).toEqual([['T', 'FAIL', 4, 1]]);
    // Resources of other types alone: not a template.
    expect(validateTemplate('B:\n  Type: AWS::S3::Bucket\nQ:\n  Type: AWS::SQS::Queue\n')).toStrictEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
  });

  it('does not read top-level entries as resources in a document that declares a template version or Resources', () => {
    const versioned = "AWSTemplateFormatVersion: '2010-09-09'\nT:\n  Type: AWS::ECS::TaskDefinition\n  Properties: {ContainerDefinitions: [{Name: a}]}\n";
    expect(validateTemplate(versioned)).toStrictEqual({ status: 'SKIP', skipReason: 'no-task-definitions', resources: [] });
    const badResources = 'Resources: none\nT:\n  Type: AWS::ECS::TaskDefinition\n  Properties: {ContainerDefinitions: [{Name: a}]}\n';
    expect(validateTemplate(badResources)).toStrictEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
  });

  it('lists only the ECS task definitions of Resources, in template order, at their logical ids', () => {
    const text = `Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Odd: text
  Second:
    Type: AWS::ECS::DaemonTaskDefinition
    Properties: {ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]}
  First:
    Type: AWS::ECS::TaskDefinition
    Properties: {ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]}
`;
    expect(validateTemplate(text).resources.map((r) => [r.logicalId, r.type, r.status, r.line, r.column])).toEqual([
      ['Second', 'AWS::ECS::DaemonTaskDefinition', 'PASS', 4, 3],
      ['First', 'AWS::ECS::TaskDefinition', 'PASS', 7, 3],
    ]);
  });

  it('finds nothing in a document that is not a mapping', () => {
    for (const text of ['just text\n', '- a\n', '', 'a: 1\n']) {
      const parsed = readTemplate(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect([text, findTaskDefinitions(parsed)]).toEqual([text, []]);
    }
  });
});

describe('Fn::ForEach', () => {
  const loop = (collection: string, key = 'Task${Svc}', more = '') => `Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: 'api,web-front'}
Resources:
  Fn::ForEach::Tasks:
    - Svc
    - ${collection}
    - ${key}:
        Type: AWS::ECS::TaskDefinition
        Properties:
          ContainerDefinitions:
            - Name: !Ref Svc
              ReadonlyRootFilesystem: ${more || 'true'}
`;

  it('names each copy after the value, at the position of its key in the template', () => {
    expect(validateTemplate(loop('!Ref Names')).resources.map((r) => [r.logicalId, r.status, r.line, r.column, r.containers[0]!.name])).toEqual([
      ['Taskapi', 'PASS', 8, 7, 'api'],
      ['Taskweb-front', 'PASS', 8, 7, 'web-front'],
    ]);
  });

  it('replaces &{id} with the value stripped to letters and digits', () => {
    expect(validateTemplate(loop('[web-front, api_2]', 'Task&{Svc}')).resources.map((r) => r.logicalId)).toEqual(['Taskwebfront', 'Taskapi2']);
    expect(validateTemplate(loop('[a.b]', 'X${Svc}Y&{Svc}Z')).resources.map((r) => r.logicalId)).toEqual(['Xa.bYabZ']);
  });

  it('keeps the key as written when the collection is not a list of strings', () => {
    for (const collection of ['[api, 1]', 'text', '!ImportValue names']) {
      const r = validateTemplate(loop(collection, 'Task${Svc}', '!Ref Svc')).resources;
      expect([collection, r.map((x) => [x.logicalId, x.status, x.containers[0]!.reason, x.containers[0]!.detail])]).toEqual([
        collection,
        [['Task${Svc}', 'FAIL', 'unresolved', "Fn::ForEach identifier 'Svc' ranges over values known only at deploy time"]],
      ]);
    }
  });

  it('ignores a loop whose identifier is not a string or whose outputs are not a mapping', () => {
    expect(validateTemplate(loop('[api]').replace('- Svc', '- 7'))).toStrictEqual({ status: 'SKIP', skipReason: 'no-task-definitions', declaredParameters: ['Names'], resources: [] });
    const noOutputs = 'Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Tasks: [Svc, [api], [not, a, mapping]]\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {ContainerDefinitions: [{Name: a}]}\n';
    expect(validateTemplate(noOutputs).resources.map((r) => r.logicalId)).toEqual(['T']);
  });

  it('sees the identifiers of the loops around it', () => {
    const text = `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Outer:
    - Env
    - [dev, prod]
    - Fn::ForEach::Inner:
        - Svc
        - [api]
        - \${Env}\${Svc}:
            Type: AWS::ECS::TaskDefinition
            Properties:
              ContainerDefinitions:
                - Name: !Sub '\${Env}-\${Svc}'
                  ReadonlyRootFilesystem: true
`;
    expect(validateTemplate(text).resources.map((r) => [r.logicalId, r.containers[0]!.name, r.status])).toEqual([
      ['devapi', 'dev-api', 'PASS'],
      ['prodapi', 'prod-api', 'PASS'],
    ]);
  });

  it('expands five nested loops, as CloudFormation allows, and no deeper', () => {
    const nested = (levels: number): string => {
      let body = `${'  '.repeat(levels + 1)}T${Array.from({ length: levels }, (_, i) => `\${L${i}}`).join('')}:\n${'  '.repeat(levels + 2)}Type: AWS::ECS::TaskDefinition\n`;
      for (let i = levels - 1; i >= 0; i--) body = `${'  '.repeat(i + 1)}Fn::ForEach::N${i}:\n${'  '.repeat(i + 2)}- L${i}\n${'  '.repeat(i + 2)}- [x${i}]\n${'  '.repeat(i + 2)}-\n${body.replace(/^/gm, '  ')}`;
      return `Transform: AWS::LanguageExtensions\nResources:\n${body}`;
    };
    expect(validateTemplate(nested(5)).resources.map((r) => [r.logicalId, r.status])).toEqual([['Tx0x1x2x3x4', 'SKIP']]);
    expect(validateTemplate(nested(6))).toStrictEqual({ status: 'SKIP', skipReason: 'no-task-definitions', resources: [] });
  });
});
