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
  SourceMap,
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

  it('places the task definitions of a template built by hand (no positions known) at the start', () => {
    const root = { Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'a' }] } } } };
    const sites = findTaskDefinitions({ ok: true, format: 'json', root, sourceMap: new SourceMap() });
    expect(sites.map((s) => [s.logicalId, s.type, s.position])).toEqual([['T', 'AWS::ECS::TaskDefinition', { line: 1, column: 1 }]]);
    const loop = { Resources: { 'Fn::ForEach::L': ['X', ['a'], { 'T${X}': { Type: 'AWS::ECS::TaskDefinition' } }] } };
    expect(findTaskDefinitions({ ok: true, format: 'json', root: loop, sourceMap: new SourceMap() }).map((s) => [s.logicalId, s.position])).toEqual([['Ta', { line: 1, column: 1 }]]);
  });

  it('expands only Fn::ForEach:: keys: another entry shaped like a loop is no resource', () => {
    const text = "Transform: AWS::LanguageExtensions\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n  Looks: [X, [a], {'T${X}': {Type: 'AWS::ECS::TaskDefinition', Properties: {ContainerDefinitions: [{Name: a}]}}}]\n";
    const result = validateTemplate(text);
    expect([result.status, result.resources]).toEqual(['SKIP', []]);
  });

  it('reads a Fn::ForEach:: key whose value is no list as an ordinary entry', () => {
    const text = 'Resources:\n  Fn::ForEach::Odd:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {ContainerDefinitions: [{Name: a}]}\n  Fn::ForEach::Text: plain\n';
    expect(validateTemplate(text).resources.map((r) => [r.logicalId, r.status])).toEqual([['Fn::ForEach::Odd', 'FAIL']]);
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

  it('names the first logical id made twice, and lists every copy when asked without a callback (the stack check)', () => {
    expect(validateTemplate(loop('[a, a, b, b]')).error?.message).toBe("Fn::ForEach makes the logical id 'Taska' more than once; CloudFormation would refuse the template");
    expect(findTaskDefinitions(readTemplate(loop('[a, a]')) as never).map((s) => s.logicalId)).toEqual(['Taska', 'Taska']);
  });

  it('refuses a template whose loops make one logical id twice, as CloudFormation does, at the second', () => {
    const twice = (name: string, line: number, column: number) => ({
      status: 'ERROR',
      error: { message: `Fn::ForEach makes the logical id '${name}' more than once; CloudFormation would refuse the template`, line, column },
      declaredParameters: ['Names'],
      resources: [],
    });
    // Two values stripped to the same letters.
    expect(validateTemplate(loop('[x.y, x-y]', 'Task&{Svc}'))).toStrictEqual(twice('Taskxy', 8, 7));
    // A value given twice, and a copy named as a resource beside the loop (of any type).
    expect(validateTemplate(loop('[api, api]'))).toStrictEqual(twice('Taskapi', 8, 7));
    expect(validateTemplate(`${loop('[api]')}  Taskapi: {Type: AWS::SNS::Topic}\n`)).toStrictEqual(twice('Taskapi', 14, 3));
    // Two keys of one copy that come out the same.
    const keys = loop('[a]', 'T${Svc}').replace('    - T${Svc}:', '    - T&{Svc}: {Type: AWS::SNS::Topic}\n      T${Svc}:');
    expect(validateTemplate(keys)).toStrictEqual(twice('Ta', 9, 7));
    // A key left as written (its collection unknown) is compared with nothing: two such loops are no repeat.
    const unknown = loop('!ImportValue names');
    const both = `${unknown}${unknown.slice(unknown.indexOf('  Fn::ForEach::Tasks:')).replace('Fn::ForEach::Tasks', 'Fn::ForEach::Again')}`;
    expect(validateTemplate(both).resources.map((r) => r.logicalId)).toEqual(['Task${Svc}', 'Task${Svc}']);
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

describe('a resource as a whole', () => {
  it('skips a task definition without Properties, with null Properties or Properties removed by AWS::NoValue', () => {
    for (const text of [
      'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n',
      task('      \n').replace('    Properties:\n      \n', '    Properties:\n'),
      'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !Ref AWS::NoValue\n',
    ]) {
      expect([text, only(text)]).toStrictEqual([text, { ...HEAD, status: 'SKIP', reason: 'empty', containers: [] }]);
    }
    expect(validateTemplate('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n')).toStrictEqual({
      status: 'PASS',
      resources: [{ ...HEAD, status: 'SKIP', reason: 'empty', containers: [] }],
    });
  });

  it('fails Properties that are not a mapping, or only known at deploy time', () => {
    expect(only('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: [a]\n')).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      reason: 'not-a-list',
      detail: 'Properties is not a mapping',
      containers: [],
    });
    expect(only('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !ImportValue shared-properties\n')).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      reason: 'unresolved',
      detail: 'Fn::ImportValue cannot be evaluated before deployment',
      containers: [],
    });
  });

  it('names the first combination under which Properties fail', () => {
    const text = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !If [C, !ImportValue shared, text]\n';
    expect(only(text)).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      reason: 'unresolved',
      detail: 'Fn::ImportValue cannot be evaluated before deployment',
      conditions: [{ condition: 'C', value: true }],
      containers: [],
    });
    expect(only(text.replace('!If [C, !ImportValue shared, text]', '!If [C, text, !ImportValue shared]'))).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      reason: 'not-a-list',
      detail: 'Properties is not a mapping',
      conditions: [{ condition: 'C', value: true }],
      containers: [],
    });
  });

  it('fails the containers of the other combinations too when Properties fail under one', () => {
    const r = only('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !If [C, {ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]}, text]\n');
    expect(r).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      reason: 'not-a-list',
      detail: 'Properties is not a mapping',
      conditions: [{ condition: 'C', value: false }],
      deployment: { containers: 1, failing: 0, exempt: 0 },
      containers: [{ name: 'a', index: 0, status: 'PASS', line: 4, column: 59 }],
    });
  });

  it('names the conditions around Properties under which a container fails', () => {
    const r = only('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !If [Locked, {ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]}, {ContainerDefinitions: [{Name: a}]}]\n');
    expect(r.containers).toStrictEqual([{ name: 'a', index: 0, status: 'FAIL', reason: 'missing', line: 4, column: 121, conditions: [{ condition: 'Locked', value: false }] }]);
  });

  it('names the first combination under which ContainerDefinitions is not a list', () => {
    const text = task('      ContainerDefinitions: !If [C, !ImportValue shared, {Name: a}]\n');
    expect(only(text)).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      reason: 'unresolved',
      detail: 'Fn::ImportValue cannot be evaluated before deployment',
      conditions: [{ condition: 'C', value: true }],
      containers: [],
    });
    expect(only(task('      ContainerDefinitions: !If [C, {Name: a}, !ImportValue shared]\n'))).toMatchObject({
      reason: 'not-a-list',
      detail: 'ContainerDefinitions is not a list',
      conditions: [{ condition: 'C', value: true }],
    });
  });

  it('skips ContainerDefinitions removed by AWS::NoValue or null, as an empty list', () => {
    for (const list of ['!Ref AWS::NoValue', 'null', '[]', '!If [C, [], !Ref AWS::NoValue]']) {
      expect([list, only(task(`      ContainerDefinitions: ${list}\n`))]).toStrictEqual([list, { ...HEAD, status: 'SKIP', reason: 'empty', containers: [] }]);
    }
  });

  it('gives the first reason to skip, and none once one combination is checked', () => {
    const windows = '{OperatingSystemFamily: WINDOWS_SERVER_2022_FULL}';
    expect(only(task(`      RuntimePlatform: !If [W, ${windows}, !Ref AWS::NoValue]\n      ContainerDefinitions: []\n`)).reason).toBe('windows');
    expect(only(task(`      RuntimePlatform: !If [W, !Ref AWS::NoValue, ${windows}]\n      ContainerDefinitions: []\n`)).reason).toBe('empty');
    expect(only(task(`      RuntimePlatform: !If [W, ${windows}, {OperatingSystemFamily: LINUX}]\n      ContainerDefinitions: [{Name: a}]\n`))).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      deployment: { containers: 1, failing: 1, exempt: 0 },
      // Where RuntimePlatform decides, the container is judged where it is not Windows, and fails only there.
      containers: [{ name: 'a', index: 0, status: 'FAIL', reason: 'missing', line: 6, column: 30, conditions: [{ condition: 'W', value: false }] }],
    });
    expect(only(task(`      RuntimePlatform: !If [W, ${windows}, {OperatingSystemFamily: LINUX}]\n      ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]\n`))).toStrictEqual({
      ...HEAD,
      status: 'PASS',
      deployment: { containers: 1, failing: 0, exempt: 0 },
      containers: [{ name: 'a', index: 0, status: 'PASS', line: 6, column: 40 }],
    });
  });

  it('reads the operating system family through intrinsics, and a RuntimePlatform that is not a mapping as Linux', () => {
    const windows = only(
      task("      RuntimePlatform:\n        OperatingSystemFamily: !Sub 'WINDOWS_SERVER_${V}_CORE'\n      ContainerDefinitions: [{Name: a}]\n", ''),
      { parameters: {} },
    );
    expect(windows).toMatchObject({ status: 'FAIL' });
    const text = (platform: string) => `Parameters:\n  V: {Type: String, Default: '2019'}\n${task(`      RuntimePlatform: ${platform}\n      ContainerDefinitions: [{Name: a}]\n`)}`;
    expect(validateTemplate(text("{OperatingSystemFamily: !Sub 'WINDOWS_SERVER_${V}_CORE'}")).resources[0]).toMatchObject({ status: 'SKIP', reason: 'windows' });
    for (const platform of ['null', 'text', '[WINDOWS_SERVER_2019_CORE]']) {
      expect([platform, validateTemplate(text(platform)).resources[0]!.status]).toEqual([platform, 'FAIL']);
    }
  });
});

describe('containers', () => {
  it('places each container where ReadonlyRootFilesystem is set, else where its entry starts', () => {
    const r = only(
      task(`      ContainerDefinitions:
        - Name: set
          Image: nginx
          ReadonlyRootFilesystem: false
        - Name: removed
          ReadonlyRootFilesystem: !Ref AWS::NoValue
        - Name: absent
        - just-text
        - 42
`),
    );
    expect(r.containers).toStrictEqual([
      { name: 'set', index: 0, status: 'FAIL', reason: 'false', line: 8, column: 11 },
      { name: 'removed', index: 1, status: 'FAIL', reason: 'missing', line: 9, column: 11 },
      { name: 'absent', index: 2, status: 'FAIL', reason: 'missing', line: 11, column: 11 },
      { name: null, index: 3, status: 'FAIL', reason: 'malformed', line: 12, column: 11 },
      { name: null, index: 4, status: 'FAIL', reason: 'malformed', line: 13, column: 11 },
    ]);
    expect(r.deployment).toEqual({ containers: 5, failing: 5, exempt: 0 });
  });

  it('reports entries that share a position (a list made by Fn::Split) one by one, at the list', () => {
    const r = only(task("      ContainerDefinitions: !Split [',', 'a,a,b']\n"));
    expect(r.containers).toStrictEqual([
      { name: null, index: 0, status: 'FAIL', reason: 'malformed', line: 5, column: 7 },
      { name: null, index: 1, status: 'FAIL', reason: 'malformed', line: 5, column: 7 },
      { name: null, index: 2, status: 'FAIL', reason: 'malformed', line: 5, column: 7 },
    ]);
  });

  it('fails an entry only known at deploy time as unresolved, saying why', () => {
    const r = only(task('      ContainerDefinitions:\n        - Fn::ImportValue: shared-container\n        - {Name: b, ReadonlyRootFilesystem: !Ref Lock}\n'));
    expect(r.containers).toStrictEqual([
      { name: null, index: 0, status: 'FAIL', reason: 'unresolved', detail: 'Fn::ImportValue cannot be evaluated before deployment', line: 6, column: 11 },
      { name: 'b', index: 1, status: 'FAIL', reason: 'unresolved', detail: "Ref to resource 'Lock' is only known at deploy time", line: 7, column: 21 },
    ]);
  });

  it('tells apart containers of the same Name, and containers without one', () => {
    const r = only(
      task(`      ContainerDefinitions:
        - {Name: app, ReadonlyRootFilesystem: true}
        - {Name: app}
        - {Name: '', ReadonlyRootFilesystem: true}
        - {Name: ''}
`),
    );
    expect(r.containers.map((c) => [c.name, c.index, c.status])).toEqual([
      ['app', 0, 'PASS'],
      ['app', 1, 'FAIL'],
      [null, 2, 'PASS'],
      [null, 3, 'FAIL'],
    ]);
    expect(r.deployment).toEqual({ containers: 4, failing: 2, exempt: 0 });
  });

  it('is one container in every branch that defines it, named or not', () => {
    const r = only(
      task(`      ContainerDefinitions:
        - !If [Extra, {Name: extra, ReadonlyRootFilesystem: true}, !Ref AWS::NoValue]
        - Image: unnamed
          ReadonlyRootFilesystem: !If [Extra, true, false]
        - Name: app
          ReadonlyRootFilesystem: !If [Extra, true, false]
`),
    );
    // Each keeps its index in the first combination that has it (Extra true): 1 and 2.
    expect(r.containers).toStrictEqual([
      { name: 'extra', index: 0, status: 'PASS', line: 6, column: 37 },
      { name: null, index: 1, status: 'FAIL', reason: 'false', line: 8, column: 11, conditions: [{ condition: 'Extra', value: false }] },
      { name: 'app', index: 2, status: 'FAIL', reason: 'false', line: 10, column: 11, conditions: [{ condition: 'Extra', value: false }] },
    ]);
    expect(r.deployment).toEqual({ containers: 2, failing: 2, exempt: 0 });
  });

  it('keys an entry without a Name (absent or empty) by its place in the template, not by its rank among others', () => {
    for (const name of ['', "''"]) {
      const field = name === '' ? '' : `Name: ${name}, `;
      const r = only(
        task(`      ContainerDefinitions:
        - !If [X, {${field}Image: a, ReadonlyRootFilesystem: true}, !Ref AWS::NoValue]
        - {${field}Image: b, ReadonlyRootFilesystem: !If [X, true, false]}
`),
      );
      expect([name, r.containers.map((c) => [c.name, c.index, c.status, c.line, c.conditions ?? null])]).toEqual([
        name,
        [
          [null, 0, 'PASS', 6, null],
          [null, 1, 'FAIL', 7, [{ condition: 'X', value: false }]],
        ],
      ]);
    }
  });

  it('gives an exempt container no reason, even when its ReadonlyRootFilesystem is only known at deploy time', () => {
    const r = only(task('      ContainerDefinitions: [{Name: log, ReadonlyRootFilesystem: !ImportValue lock}]\n'), { config: parsePolicyConfig({ ExemptContainerNames: ['log'] }) });
    expect(r.containers).toStrictEqual([{ name: 'log', index: 0, status: 'EXEMPT', line: 5, column: 42, exemptedBy: { property: 'ExemptContainerNames', pattern: 'log' } }]);
    expect(r.status).toBe('PASS');
  });

  it('reports a container by its most severe verdict: FAIL over PASS over EXEMPT', () => {
    const config = parsePolicyConfig({ ExemptImages: ['agent:*'] });
    const text = task(`      ContainerDefinitions:
        - Image: !If [Agent, 'agent:1', 'app:1']
          ReadonlyRootFilesystem: true
        - Image: !If [Agent, 'app:1', 'agent:1']
          ReadonlyRootFilesystem: true
        - Image: !If [Agent, 'agent:1', 'app:1']
        - Image: !If [Agent, 'app:1', 'agent:1']
`);
    const r = only(text, { config });
    expect(r.containers.map((c) => [c.index, c.status, c.exemptedBy ?? null, c.conditions ?? null])).toEqual([
      [0, 'PASS', null, null],
      [1, 'PASS', null, null],
      [2, 'FAIL', null, [{ condition: 'Agent', value: false }]],
      [3, 'FAIL', null, [{ condition: 'Agent', value: true }]],
    ]);
    expect(r.containers[2]).toMatchObject({ reason: 'missing', line: 10, column: 11 });
    expect(only(text.replace(/Agent, 'app:1', 'agent:1'/g, "Agent, 'agent:1', 'agent:2'").replace(/Agent, 'agent:1', 'app:1'/g, "Agent, 'agent:2', 'agent:1'"), { config }).containers.map((c) => [c.status, c.exemptedBy])).toEqual([
      ['EXEMPT', { property: 'ExemptImages', pattern: 'agent:*' }],
      ['EXEMPT', { property: 'ExemptImages', pattern: 'agent:*' }],
      ['EXEMPT', { property: 'ExemptImages', pattern: 'agent:*' }],
      ['EXEMPT', { property: 'ExemptImages', pattern: 'agent:*' }],
    ]);
  });

  it('exempts by the resolved Name and Image', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['log-*'], ExemptImages: ['*/agent'] });
    const r = only(`Parameters:\n  P: {Type: String, Default: log}\n${task("      ContainerDefinitions:\n        - Name: !Sub '${P}-router'\n        - Image: !Join ['/', [dd, agent]]\n        - Name: other\n")}`, { config });
    expect(r.containers.map((c) => [c.name, c.status, c.exemptedBy ?? null])).toEqual([
      ['log-router', 'EXEMPT', { property: 'ExemptContainerNames', pattern: 'log-*' }],
      [null, 'EXEMPT', { property: 'ExemptImages', pattern: '*/agent' }],
      ['other', 'FAIL', null],
    ]);
  });

  it('lists containers in template order, by line then column, a failing one where it fails', () => {
    const r = only(
      task(`      ContainerDefinitions: !If
        - Late
        - [{Name: b, Image: x, ReadonlyRootFilesystem: true}]
        - [{Name: a, ReadonlyRootFilesystem: true}, {Name: b, Image: x, ReadonlyRootFilesystem: true}, {Name: c, ReadonlyRootFilesystem: true}]
`),
    );
    expect(r.containers.map((c) => [c.name, c.line, c.column])).toEqual([
      ['b', 7, 32],
      ['a', 8, 22],
      ['c', 8, 114],
    ]);
    // c is met first (Late true) but fails further right on the same line (Late false).
    const line = only(task('      ContainerDefinitions: !If [Late, [{Name: c, ReadonlyRootFilesystem: true}], [{Name: a, ReadonlyRootFilesystem: true}, {Name: c}]]\n'));
    expect(line.containers.map((c) => [c.name, c.status, c.line, c.column])).toEqual([
      ['a', 'PASS', 5, 94],
      ['c', 'FAIL', 5, 125],
    ]);
  });
});

describe('the combinations under which a container fails', () => {
  const rrf = (expression: string) => only(task(`      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: ${expression}\n`)).containers[0]!;
  const nest = (i: number, n: number, leaf: string): string => (i === n ? leaf : `!If [C${i}, ${nest(i + 1, n, leaf)}, ${nest(i + 1, n, leaf)}]`);

  it('merges two that differ in one condition only', () => {
    expect(rrf('!If [A, !If [B, false, false], true]')).toMatchObject({ status: 'FAIL', conditions: [{ condition: 'A', value: true }] });
    expect(rrf('!If [A, !If [B, false, false], true]').whenAny).toBeUndefined();
    expect(rrf('!If [A, !If [B, false, true], !If [C, false, true]]').whenAny).toEqual([
      [
        { condition: 'A', value: true },
        { condition: 'B', value: true },
      ],
      [
        { condition: 'A', value: false },
        { condition: 'C', value: true },
      ],
    ]);
  });

  it('does not merge combinations of different lengths, and lists one in any order once', () => {
    expect(rrf('!If [A, false, !If [C, false, true]]').whenAny).toEqual([[{ condition: 'A', value: true }], [{ condition: 'A', value: false }, { condition: 'C', value: true }]]);
    // The container reported second meets the first entry (A then D) or the second (D then A).
    const r = only(
      task(`      ContainerDefinitions:
        - {Name: !If [B, app, other], ReadonlyRootFilesystem: true}
        - {Name: app, ReadonlyRootFilesystem: !If [A, true, !If [D, false, true]]}
        - {Name: app, ReadonlyRootFilesystem: !If [D, !If [A, true, false], true]}
`),
    );
    expect(r.containers[2]).toMatchObject({ index: 1, conditions: [{ condition: 'A', value: false }, { condition: 'D', value: true }] });
    expect(r.containers[2]!.whenAny).toBeUndefined();
  });

  it('names no condition when the container fails under every combination, however many', () => {
    for (const n of [1, 2, LIMITS.maxConditions - 1, LIMITS.maxConditions]) {
      const c = rrf(nest(0, n, 'false'));
      expect([n, c.status, c.reason, c.conditions, c.whenAny]).toEqual([n, 'FAIL', 'false', undefined, undefined]);
    }
    expect(rrf(nest(0, LIMITS.maxConditions, 'true')).status).toBe('PASS');
  });

  it('keeps combinations on different conditions apart, and drops one that contains another', () => {
    // The second and third entries named app swap places with B (the first entry's Name): the container
    // reported second meets different entries, failing under A false with D, or with E.
    const r = only(
      task(`      ContainerDefinitions:
        - {Name: !If [B, app, other], ReadonlyRootFilesystem: true}
        - {Name: app, ReadonlyRootFilesystem: !If [A, true, !If [D, false, true]]}
        - {Name: app, ReadonlyRootFilesystem: !If [A, true, !If [E, false, true]]}
`),
    );
    expect(r.containers.map((c) => [c.name, c.index, c.status, c.line, c.conditions ?? null, c.whenAny ?? null])).toEqual([
      ['other', 0, 'PASS', 6, null, null],
      ['app', 0, 'FAIL', 7, [{ condition: 'A', value: false }, { condition: 'D', value: true }], null],
      [
        'app',
        1,
        'FAIL',
        7,
        [{ condition: 'A', value: false }, { condition: 'D', value: true }],
        [
          [{ condition: 'A', value: false }, { condition: 'D', value: true }],
          [{ condition: 'A', value: false }, { condition: 'E', value: true }],
        ],
      ],
      ['app', 2, 'FAIL', 8, [{ condition: 'A', value: false }, { condition: 'E', value: true }], null],
    ]);
    const contained = only(
      task(`      ContainerDefinitions:
        - {Name: !If [B, app, other], ReadonlyRootFilesystem: true}
        - {Name: app, ReadonlyRootFilesystem: !If [A, true, false]}
        - {Name: app, ReadonlyRootFilesystem: !If [A, true, !If [C, false, true]]}
`),
    );
    expect(contained.containers.map((c) => [c.index, c.conditions, c.whenAny])).toEqual([
      [0, undefined, undefined],
      [0, [{ condition: 'A', value: false }], undefined],
      [1, [{ condition: 'A', value: false }], undefined],
      [2, [{ condition: 'A', value: false }, { condition: 'C', value: true }], undefined],
    ]);
  });

  it('leaves out the conditions the parameter values decide', () => {
    const text = `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
${task('      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: !If [IsProd, !If [Open, false, true], false]\n')}`;
    expect(only(text, { parameters: { Env: 'prod' } }).containers[0]).toStrictEqual({
      name: 'app',
      index: 0,
      status: 'FAIL',
      reason: 'false',
      line: 11,
      column: 11,
      conditions: [{ condition: 'Open', value: true }],
    });
    expect(only(text, { parameters: { Env: 'dev' } }).containers[0]).toStrictEqual({ name: 'app', index: 0, status: 'FAIL', reason: 'false', line: 11, column: 11 });
    expect(only(text).containers[0]!.whenAny).toEqual([[{ condition: 'IsProd', value: true }, { condition: 'Open', value: true }], [{ condition: 'IsProd', value: false }]]);
  });
});

describe('deployments', () => {
  const count = (list: string) => only(task(`      ContainerDefinitions: ${list}\n`)).deployment;

  it('counts the deployment with the most failing containers, then the most containers', () => {
    expect(count('!If [C, [{Name: a}], [{Name: a, ReadonlyRootFilesystem: true}, {Name: b, ReadonlyRootFilesystem: true}]]')).toEqual({ containers: 1, failing: 1, exempt: 0 });
    expect(count('!If [C, [{Name: a, ReadonlyRootFilesystem: true}, {Name: b, ReadonlyRootFilesystem: true}], [{Name: a}]]')).toEqual({ containers: 1, failing: 1, exempt: 0 });
    expect(count('!If [C, [{Name: a}], [{Name: a, ReadonlyRootFilesystem: true}, {Name: b, ReadonlyRootFilesystem: true}, {Name: c, ReadonlyRootFilesystem: true}]]')).toEqual({ containers: 1, failing: 1, exempt: 0 });
    expect(count('!If [C, [{Name: a}], [{Name: a}, {Name: b, ReadonlyRootFilesystem: true}]]')).toEqual({ containers: 2, failing: 1, exempt: 0 });
    expect(count('!If [C, [{Name: a}, {Name: b, ReadonlyRootFilesystem: true}], [{Name: a}]]')).toEqual({ containers: 2, failing: 1, exempt: 0 });
    expect(count('!If [C, [{Name: a, ReadonlyRootFilesystem: true}], [{Name: a, ReadonlyRootFilesystem: true}, {Name: b, ReadonlyRootFilesystem: true}]]')).toEqual({ containers: 2, failing: 0, exempt: 0 });
    expect(count('!If [C, [{Name: a}, {Name: b}], [{Name: a}]]')).toEqual({ containers: 2, failing: 2, exempt: 0 });
  });

  it('judges every combination of up to eight open conditions, and refuses more', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `        - Name: c${i}\n          ReadonlyRootFilesystem: !If [C${i}, true, 'true']`).join('\n');
    const eight = only(task(`      ContainerDefinitions:\n${entries(LIMITS.maxConditions)}\n`));
    expect([eight.status, eight.reason, eight.deployment]).toEqual(['PASS', undefined, { containers: 8, failing: 0, exempt: 0 }]);
    const site = findTaskDefinitions(readTemplate(task(`      ContainerDefinitions:\n${entries(LIMITS.maxConditions)}\n`)) as never)[0]!;
    expect(deploymentsOf(site).deployments).toHaveLength(2 ** LIMITS.maxConditions);
    const nine = task(`      ContainerDefinitions:\n${entries(LIMITS.maxConditions + 1)}\n`);
    expect(only(nine)).toStrictEqual({
      ...HEAD,
      status: 'FAIL',
      reason: 'unresolved',
      detail: '9 conditions decide the containers, more than the 8 whose every combination is judged',
      containers: [],
    });
    // Conditions that choose only an Image or a Name count while they fit: nine images chosen per
    // environment leave a compliant task definition compliant, and one deciding condition is still judged.
    const images = (n: number, rrf = 'true') =>
      task(`      ContainerDefinitions:\n${Array.from({ length: n }, (_, i) => `        - Name: !If [N${i}, c${i}, d${i}]\n          Image: !If [C${i}, nginx, busybox]\n          ReadonlyRootFilesystem: ${i === 0 ? rrf : 'true'}`).join('\n')}\n`);
    expect(only(images(9))).toMatchObject({ status: 'PASS', deployment: { containers: 9, failing: 0, exempt: 0 } });
    expect(only(images(9, '!If [R, true, false]'))).toMatchObject({
      status: 'FAIL',
      containers: [expect.objectContaining({ name: 'c0', status: 'FAIL', reason: 'false', conditions: [{ condition: 'R', value: false }] }), ...Array.from({ length: 8 }, () => expect.objectContaining({ status: 'PASS' }))],
    });
    // With four conditions in all they are judged as before: each name in its branch.
    expect(only(images(2)).containers.map((c) => c.name)).toEqual(['c0', 'd0', 'c1', 'd1']);
    // Exemptions by image read the Image: its conditions decide again, and nine are too many.
    const byImage = { config: { exemptContainerNames: [], exemptImages: ['nginx'] } };
    expect(only(images(9), byImage)).toMatchObject({ status: 'FAIL', reason: 'unresolved', detail: '9 conditions decide the containers, more than the 8 whose every combination is judged' });
    expect(deploymentsOf(findTaskDefinitions(readTemplate(images(9)) as never)[0]!).deployments).toHaveLength(1);
    // Names: each condition choosing one counts while all fit (every name listed), not past (the true branches').
    const names = (n: number, rrf = 'true', extra = '') =>
      task(`      ContainerDefinitions:\n${Array.from({ length: n }, (_, i) => `        - Name: !If [N${i}, c${i}, d${i}]\n          ReadonlyRootFilesystem: ${i === 0 ? rrf : 'true'}`).join('\n')}\n`, extra);
    const listed = (text: string, options: ValidateOptions = {}) => only(text, options).containers.map((c) => c.name).length;
    expect(listed(names(8))).toBe(16);
    expect(listed(names(9))).toBe(9);
    // A condition the parameter values decide, or the resource's own, is not open: eight open still fit.
    const fixedBy = `Parameters:\n  P: {Type: String}\nConditions:\n  R: !Equals [!Ref P, x]\n`;
    expect(listed(`${fixedBy}${names(8, '!If [R, true, false]')}`, { parameters: { P: 'x' } })).toBe(16);
    expect(listed(names(8, '!If [Own, true, false]').replace('    Properties:', '    Condition: Own\n    Properties:'))).toBe(16);
    // Exemptions by name read the Name: nine such conditions are too many.
    expect(only(names(9), { config: { exemptContainerNames: ['c0'], exemptImages: [] } })).toMatchObject({ status: 'FAIL', reason: 'unresolved' });
    // One of the nine decided by a parameter value: eight left open, all judged.
    const decided = `Parameters:\n  P: {Type: String}\nConditions:\n  C0: !Equals [!Ref P, x]\n${nine}`;
    expect(only(decided, { parameters: { P: 'x' } })).toMatchObject({ status: 'PASS', deployment: { containers: 9, failing: 0, exempt: 0 } });
    expect(deploymentsOf(findTaskDefinitions(readTemplate(decided) as never, { parameters: { P: 'x' } })[0]!)).toEqual({
      open: Array.from({ length: 8 }, (_, i) => `C${i + 1}`),
      deployments: expect.any(Array),
    });
  });

  it('leaves out combinations the Conditions make impossible, and fixes the resource\'s own Condition', () => {
    const text = `Conditions:
  A: !Equals [!Ref 'AWS::Region', eu-west-1]
  NotA: !Not [!Condition A]
${task('      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: !If [A, !If [NotA, false, true], !If [Own, true, false]]\n', '    Condition: Own\n')}`;
    const parsed = readTemplate(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const plan = deploymentsOf(findTaskDefinitions(parsed)[0]!);
    expect(plan.open).toEqual(['A', 'NotA']);
    expect(plan.deployments!.map((d) => [Object.fromEntries(d.open), Object.fromEntries(d.all)])).toEqual([
      [
        { A: false, NotA: true },
        { Own: true, A: false, NotA: true },
      ],
      [
        { A: true, NotA: false },
        { Own: true, A: true, NotA: false },
      ],
    ]);
    expect(only(text).status).toBe('PASS');
  });
});

describe('suppression', () => {
  const suppressed = (rules: string, body = '      ContainerDefinitions: [{Name: a}]\n') => task(body, `    Metadata:\n      guard:\n        SuppressedRules: ${rules}\n`);

  it('reports a suppressed failing resource SUPPRESSED, and the file passes; --strict fails it and says the suppression was ignored', () => {
    expect(validateTemplate(suppressed('[ECS_READONLY_ROOT_FILESYSTEM]'))).toStrictEqual({
      status: 'PASS',
      resources: [
        {
          ...HEAD,
          status: 'SUPPRESSED',
          suppressed: true,
          deployment: { containers: 1, failing: 1, exempt: 0 },
          containers: [{ name: 'a', index: 0, status: 'SUPPRESSED', reason: 'missing', line: 8, column: 30 }],
        },
      ],
    });
    expect(validateTemplate(suppressed('[ECS_READONLY_ROOT_FILESYSTEM]'), { strict: true })).toStrictEqual({
      status: 'FAIL',
      resources: [
        {
          ...HEAD,
          status: 'FAIL',
          suppressionIgnored: true,
          deployment: { containers: 1, failing: 1, exempt: 0 },
          containers: [{ name: 'a', index: 0, status: 'FAIL', reason: 'missing', line: 8, column: 30 }],
        },
      ],
    });
  });

  it('says nothing of a suppression on a passing resource', () => {
    const text = suppressed('[ECS_READONLY_ROOT_FILESYSTEM]', '      ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]\n');
    for (const strict of [false, true]) {
      expect(only(text, { strict })).toStrictEqual({
        ...HEAD,
        status: 'PASS',
        deployment: { containers: 1, failing: 0, exempt: 0 },
        containers: [{ name: 'a', index: 0, status: 'PASS', line: 8, column: 40 }],
      });
    }
  });

  it('suppresses a resource that fails as a whole', () => {
    expect(only(suppressed('[ECS_READONLY_ROOT_FILESYSTEM]', '      ContainerDefinitions: {Name: a}\n'))).toStrictEqual({
      ...HEAD,
      status: 'SUPPRESSED',
      reason: 'not-a-list',
      detail: 'ContainerDefinitions is not a list',
      suppressed: true,
      containers: [],
    });
    const entries = Array.from({ length: 9 }, (_, i) => `        - Name: c${i}\n          ReadonlyRootFilesystem: !If [C${i}, true, true]`).join('\n');
    const many = suppressed('[ECS_READONLY_ROOT_FILESYSTEM]', `      ContainerDefinitions:\n${entries}\n`);
    const detail = '9 conditions decide the containers, more than the 8 whose every combination is judged';
    expect(only(many)).toStrictEqual({ ...HEAD, status: 'SUPPRESSED', reason: 'unresolved', detail, suppressed: true, containers: [] });
    expect(only(many, { strict: true })).toStrictEqual({ ...HEAD, status: 'FAIL', reason: 'unresolved', detail, suppressionIgnored: true, containers: [] });
  });

  it('only honours the rule listed in Metadata guard SuppressedRules', () => {
    for (const rules of ['[OTHER_RULE]', 'ECS_READONLY_ROOT_FILESYSTEM', '[ecs_readonly_root_filesystem]', '{Rule: ECS_READONLY_ROOT_FILESYSTEM}']) {
      const r = only(suppressed(rules));
      expect([rules, r.status, r.suppressed, r.suppressionIgnored]).toEqual([rules, 'FAIL', undefined, undefined]);
    }
    for (const metadata of ['    Metadata: text\n', '    Metadata:\n      guard: [ECS_READONLY_ROOT_FILESYSTEM]\n']) {
      expect(only(task('      ContainerDefinitions: [{Name: a}]\n', metadata)).status).toBe('FAIL');
    }
  });
});

describe('a file', () => {
  it('applies a resource Condition only when it names a condition', () => {
    const text = `Conditions:\n  '5': !Equals [a, b]\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Condition: 5\n    Properties: {ContainerDefinitions: [{Name: a}]}\n`;
    expect(validateTemplate(text, { parameters: { Any: 'x' } }).resources.map((r) => [r.status, r.reason])).toEqual([['FAIL', undefined]]);
  });

  it('skips only a resource whose own Condition is false (a condition named undefined included)', () => {
    const text = `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  undefined: !Equals [!Ref Env, nowhere]
Resources:
  Always:
    Type: AWS::ECS::TaskDefinition
    Properties: {ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]}
  ProdOnly:
    Type: AWS::ECS::TaskDefinition
    Condition: IsProd
    Properties: {ContainerDefinitions: [{Name: b}]}
`;
    expect(validateTemplate(text, { parameters: { Env: 'dev' } })).toStrictEqual({
      status: 'PASS',
      declaredParameters: ['Env'],
      resources: [
        { logicalId: 'Always', type: 'AWS::ECS::TaskDefinition', status: 'PASS', line: 7, column: 3, deployment: { containers: 1, failing: 0, exempt: 0 }, containers: [{ name: 'a', index: 0, status: 'PASS', line: 9, column: 51 }] },
        { logicalId: 'ProdOnly', type: 'AWS::ECS::TaskDefinition', status: 'SKIP', line: 10, column: 3, reason: 'condition', conditions: [{ condition: 'IsProd', value: false }], containers: [] },
      ],
    });
  });

  it('passes when nothing fails: skipped and suppressed resources do not fail it', () => {
    const text = `Resources:
  Win:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2019_CORE}
      ContainerDefinitions: [{Name: iis}]
  Quiet:
    Type: AWS::ECS::TaskDefinition
    Metadata: {guard: {SuppressedRules: [ECS_READONLY_ROOT_FILESYSTEM]}}
    Properties: {ContainerDefinitions: [{Name: a}]}
`;
    const r: TemplateResult = validateTemplate(text);
    expect([r.status, r.resources.map((x) => [x.logicalId, x.status, x.reason])]).toEqual([
      'PASS',
      [
        ['Win', 'SKIP', 'windows'],
        ['Quiet', 'SUPPRESSED', undefined],
      ],
    ]);
    expect(validateTemplate(text, { strict: true }).status).toBe('FAIL');
  });

  it('lists the declared parameters, with or without values given', () => {
    const text = `Parameters:\n  B: {Type: String, Default: x}\n  A: {Type: String, Default: y}\n${task('      ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]\n')}`;
    expect(validateTemplate(text)).toMatchObject({ status: 'PASS', declaredParameters: ['B', 'A'] });
    expect(validateTemplate(text, { parameters: { Other: '1' } })).toMatchObject({ status: 'PASS', declaredParameters: ['B', 'A'] });
    expect('declaredParameters' in validateTemplate(task('      ContainerDefinitions: []\n'))).toBe(false);
    expect(validateTemplate('Parameters: {}\nResources:\n  B: {Type: AWS::S3::Bucket}\n')).toStrictEqual({ status: 'SKIP', skipReason: 'no-task-definitions', declaredParameters: [], resources: [] });
  });

  it('refuses a given value CloudFormation would refuse, listing declared parameters only when there are some', () => {
    const text = `Mappings:\n  Regions: {us-east-1: {Lock: 'true'}}\n${task("      ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: !FindInMap [Regions, !Ref 'AWS::Region', Lock]}]\n")}`;
    expect(validateTemplate(text, { parameters: { 'AWS::Region': 'us-east-1' } }).status).toBe('PASS');
    expect(validateTemplate(text, { parameters: { 'AWS::Region': 'eu-west-1' } })).toStrictEqual({
      status: 'ERROR',
      error: {
        message: "Fn::FindInMap finds no entry in mapping 'Regions' for the value given to parameter 'AWS::Region'; CloudFormation would refuse the stack",
        line: 7,
        column: 75,
      },
      resources: [],
    });
  });

  it('checks Fn::FindInMap in every resource when conditions are not evaluated', () => {
    const text = `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Sizes: {dev: {Cpu: '256'}}
Resources:
  ProdOnly:
    Type: AWS::ECS::TaskDefinition
    Condition: IsProd
    Properties:
      Cpu: !FindInMap [Sizes, !Ref Env, Cpu]
      ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]
`;
    expect(validateTemplate(text, { parameters: { Env: 'staging' } }).status).toBe('PASS');
    expect(validateTemplate(text, { parameters: { Env: 'staging' }, evaluateConditions: false })).toMatchObject({
      status: 'ERROR',
      error: { message: "Fn::FindInMap finds no entry in mapping 'Sizes' for the value given to parameter 'Env'; CloudFormation would refuse the stack" },
      declaredParameters: ['Env'],
    });
  });

  it('passes on the notes of what was not checked', () => {
    const text = `Parameters:\n  Tier: {Type: String, AllowedPattern: '(a+)+b'}\n${task('      ContainerDefinitions: [{Name: !Ref Tier, ReadonlyRootFilesystem: true}]\n')}`;
    expect(validateTemplate(text, { parameters: { Tier: 'aaaa' } })).toStrictEqual({
      status: 'PASS',
      declaredParameters: ['Tier'],
      notes: ["parameter 'Tier': its AllowedPattern was not checked (a pattern that could take too long to run)"],
      resources: [expect.objectContaining({ logicalId: 'T', status: 'PASS' })],
    });
    expect('notes' in validateTemplate(text, { parameters: { Other: 'ab' } })).toBe(false);
  });

  it('never throws: what goes wrong inside is an ERROR', () => {
    const parameters = {
      get Boom(): string {
        throw new Error('broken parameter source');
      },
    };
    Object.defineProperty(parameters, 'Boom', { enumerable: true });
    expect(validateTemplate(task('      ContainerDefinitions: []\n'), { parameters })).toStrictEqual({
      status: 'ERROR',
      error: { message: 'internal error while judging the template' },
      resources: [],
    });
  });
});

describe('reading the text', () => {
  it('drops a byte order mark from text as from bytes', () => {
    const json = '{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "a"}]}}}}';
    for (const source of [`\ufeff${json}`, Buffer.from(`\ufeff${json}`, 'utf8')]) {
      expect(validateTemplate(source, { fileName: 't.json' }).resources.map((r) => [r.status, r.containers[0]!.line, r.containers[0]!.column])).toEqual([['FAIL', 1, 98]]);
    }
  });

  it('refuses text over the size limit, counted in UTF-8 bytes', () => {
    const message = `template is over the ${LIMITS.maxBytes}-byte limit`;
    expect(validateTemplate(' '.repeat(LIMITS.maxBytes + 1))).toStrictEqual({ status: 'ERROR', error: { message }, resources: [] });
    expect(validateTemplate(`#${'é'.repeat(LIMITS.maxBytes / 2)}`)).toStrictEqual({ status: 'ERROR', error: { message }, resources: [] });
    expect(readTemplate(`#${'é'.repeat(LIMITS.maxBytes / 2)}`)).toStrictEqual({ ok: false, error: { message } });
    expect(validateTemplate(`#${'é'.repeat(LIMITS.maxBytes / 2 - 1)}`)).toStrictEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
    expect(validateTemplate(`#${' '.repeat(LIMITS.maxBytes - 1)}`)).toStrictEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
  });

  it('reads text and bytes, or says why not and where', () => {
    expect(readTemplate('a: [1')).toStrictEqual({
      ok: false,
      error: { message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]', line: 1, column: 6 },
    });
    expect(readTemplate(Buffer.from([0x61, 0x3a, 0x20, 0xff]))).toStrictEqual({ ok: false, error: { message: 'not valid UTF-8 text (invalid byte at offset 3)' } });
    const parsed = readTemplate(Buffer.from('a: 1\n'));
    expect(parsed.ok && parsed.root).toEqual({ a: 1 });
  });
});

describe('what a directory walk skips (onlyTemplates)', () => {
  const walk = (text: string, parameters: Record<string, string> = {}) => validateTemplate(text, { onlyTemplates: true, parameters });

  it('does not parse text without ECS task definitions, saying whether it looked like a template', () => {
    // Neither parses: skipped without an error.
    expect(walk('Resources:\n  A: [\n')).toStrictEqual({ status: 'SKIP', skipReason: 'no-task-definitions', resources: [] });
    expect(walk('key: [\n')).toStrictEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
    expect(validateTemplate('Resources:\n  A: [\n').status).toBe('ERROR');
  });

  it('parses text whose escapes could spell the ECS type (\\u, \\x, \\U, an escaped line break), and only those', () => {
    // Broken text shows which were parsed: those come back ERROR.
    for (const escape of ['\\u0045', '\\x45', '\\U00000045', '\\\n', '\\\r\n']) {
      expect([escape, walk(`Resources:\n  A: ["${escape}", [\n`).status]).toEqual([escape, 'ERROR']);
    }
    for (const escape of ['\\d', '\\t', '\\\\', '\\"', '\\/']) {
      expect([escape, walk(`Resources:\n  A: ["${escape}", [\n`)]).toStrictEqual([escape, { status: 'SKIP', skipReason: 'no-task-definitions', resources: [] }]);
    }
  });

  it('parses a template without task definitions when parameter values are given, for their warnings', () => {
    expect(walk('Parameters:\n  P: {Type: String}\nResources:\n  B: {Type: AWS::S3::Bucket}\n', { P: 'x' })).toStrictEqual({
      status: 'SKIP',
      skipReason: 'no-task-definitions',
      declaredParameters: ['P'],
      resources: [],
    });
    expect(walk('Resources:\n  A: [\n', { P: 'x' }).status).toBe('ERROR');
    expect(walk('key: [\n', { P: 'x' })).toStrictEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
  });

  it('skips text with AWS::ECS:: that does not parse only when it does not look like a template', () => {
    expect(walk('note: AWS::ECS::TaskDefinition [\n')).toStrictEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
    expect(walk('Resources:\n  T: {Type: AWS::ECS::TaskDefinition\n')).toMatchObject({ status: 'ERROR', error: { line: 3 } });
  });
});

describe('what is a template', () => {
  it.each([
    [null, false],
    ['text', false],
    [['Resources'], false],
    [{ AWSTemplateFormatVersion: '2010-09-09' }, true],
    [{ Resources: { A: { Type: 'AWS::S3::Bucket' } } }, true],
    [{ Resources: { A: { Type: 'AWS::S3::Bucket' }, B: 'broken' } }, true],
    [{ Resources: { B: 'broken', A: { Typ: 'AWS::S3::Bucket' } } }, false],
    [{ Resources: { A: { Type: 5 } } }, false],
    [{ Resources: { 'Fn::ForEach::Loop': [] } }, true],
    [{ Resources: { 'Loop::Fn::ForEach::': [] } }, false],
    [{ Resources: {} }, false],
    [{ Resources: 'none', T: { Type: 'AWS::ECS::TaskDefinition' } }, false],
    [{ T: { Type: 'AWS::ECS::TaskDefinition' }, Description: 'x' }, true],
    [{ T: { Type: 'AWS::S3::Bucket' } }, false],
  ])('%j: %s', (root, expected) => {
    expect(isTemplateDocument(root)).toBe(expected);
  });

  it.each([
    ['AWSTemplateFormatVersion anywhere', 'x: 1\n# AWSTemplateFormatVersion\n', true],
    ['Resources: at column 1', 'Description: x\nResources:\n  A: 1\n', true],
    ['quoted and spaced Resources key', '"Resources" :\n', true],
    ["single-quoted Resources with a tab", "'Resources'\t: x\n", true],
    ['indented Resources', 'Outputs:\n  Resources: x\n', false],
    ['Resources without a colon', 'Resources\n', false],
    ['a longer key', 'MyResources: x\nResourcesX: y\n', false],
    ['JSON Resources with a typed entry', '{"Resources": {"A": {"Type": "AWS::S3::Bucket"}}}', true],
    ['JSON spaced', '{"Resources" : {"A": {"Type" :\n "Custom::Thing"}}}', true],
    ['JSON without a type', '{"Resources": {"A": {}}}', false],
    ['JSON type without a namespace', '{"Resources": {"A": {"Type": "Bucket"}}}', false],
    ['JSON type with an empty namespace', '{"Resources": {"A": {"Type": "::Bucket"}}}', false],
    ['JSON type only', '{"Type": "AWS::S3::Bucket"}', false],
  ])('%s', (_, text, expected) => {
    expect(looksLikeTemplate(text)).toBe(expected);
  });
});
