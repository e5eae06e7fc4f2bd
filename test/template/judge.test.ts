import { parsePolicyConfig } from '../../src/policy';
import {
  parseParameterFile,
  readConfigDocument,
  type ResourceFinding,
  type TemplateResult,
  validateTemplate,
  type ValidateOptions,
} from '../../src/template';
import { fixture } from './support';

function judge(path: string, options: ValidateOptions = {}): TemplateResult {
  return validateTemplate(fixture(path), { fileName: path, ...options });
}

function resource(result: TemplateResult, logicalId: string): ResourceFinding {
  const found = result.resources.find((r) => r.logicalId === logicalId);
  if (!found) throw new Error(`no ${logicalId}`);
  return found;
}

describe('intrinsic functions', () => {
  const result = judge('valid/intrinsics.yaml');

  it('judges Fn::If on the property branch by branch, naming the condition', () => {
    expect(resource(result, 'PropertyIf')).toEqual({
      logicalId: 'PropertyIf',
      type: 'AWS::ECS::TaskDefinition',
      status: 'FAIL',
      line: 16,
      column: 3,
      deployment: { containers: 1, failing: 1, exempt: 0 },
      containers: [
        { name: 'app', index: 0, status: 'FAIL', reason: 'false', line: 22, column: 11, conditions: [{ condition: 'Strict', value: false }] },
      ],
    });
  });

  it('judges Fn::If on a container entry; AWS::NoValue removes the entry', () => {
    expect(resource(result, 'EntryIf').containers).toEqual([
      { name: 'app', index: 0, status: 'PASS', line: 29, column: 11 },
      { name: 'envoy', index: 1, status: 'FAIL', reason: 'missing', line: 32, column: 13, conditions: [{ condition: 'UseSidecar', value: true }] },
    ]);
  });

  it('judges Fn::If on the whole ContainerDefinitions list', () => {
    expect(resource(result, 'ListIf').containers).toEqual([
      { name: 'locked', index: 0, status: 'PASS', line: 42, column: 13 },
      { name: 'loose', index: 0, status: 'FAIL', reason: 'missing', line: 43, column: 13, conditions: [{ condition: 'Strict', value: false }] },
    ]);
  });

  it('passes when every branch is compliant, string or boolean', () => {
    expect(resource(result, 'BothBranchesSafe').status).toBe('PASS');
  });

  it('treats Ref AWS::NoValue on the property as absent', () => {
    expect(resource(result, 'NoValueRemoves').containers).toEqual([{ name: 'app', index: 0, status: 'FAIL', reason: 'missing', line: 56, column: 11 }]);
  });

  it('fails an unresolved parameter with reason unresolved, saying which parameter to pass', () => {
    expect(resource(result, 'FromParameter').containers).toEqual([
      {
        name: 'app',
        index: 0,
        status: 'FAIL',
        reason: 'unresolved',
        detail: "parameter 'ReadOnly' has no value: pass --parameter ReadOnly=VALUE or a parameter file",
        line: 65,
        column: 11,
      },
    ]);
  });

  it('resolves a parameter from its Default', () => {
    expect(resource(result, 'FromDefault').status).toBe('PASS');
  });

  it('reports what cannot be evaluated before deployment', () => {
    expect(resource(result, 'FromImport').containers[0]).toMatchObject({
      status: 'FAIL',
      reason: 'unresolved',
      detail: 'Fn::ImportValue cannot be evaluated before deployment',
    });
  });

  it.each([
    [{ ReadOnly: 'true' }, 'PASS'],
    [{ ReadOnly: 'false' }, 'FAIL'],
    [new Map([['ReadOnly', 'true']]), 'PASS'],
  ])('resolves Ref from given parameters %j', (parameters, status) => {
    expect(resource(judge('valid/intrinsics.yaml', { parameters }), 'FromParameter').status).toBe(status);
  });

  it('refuses a given value outside AllowedValues, as CloudFormation would, naming the parameter only', () => {
    expect(judge('valid/intrinsics.yaml', { parameters: { ReadOnly: 'TRUE' } })).toEqual({
      status: 'ERROR',
      error: { message: "parameter 'ReadOnly': the value given is not one of its AllowedValues; CloudFormation would refuse the stack", line: 3, column: 3 },
      declaredParameters: ['ReadOnly', 'ReadOnlyWithDefault', 'SidecarName'],
      resources: [],
    });
  });

  it('resolves parameters from a file in each form the AWS CLI takes', () => {
    for (const [file, status] of [
      ['params/create-stack.json', 'PASS'],
      ['params/deploy.txt', 'FAIL'],
      ['params/deploy-list.json', 'PASS'],
    ] as const) {
      const parameters = parseParameterFile(fixture(file).toString('utf8'));
      expect([file, resource(judge('valid/intrinsics.yaml', { parameters }), 'FromParameter').status]).toEqual([file, status]);
    }
    expect(parseParameterFile('{"Parameters": {"A": "1", "B": true}}')).toEqual(new Map([['A', '1'], ['B', 'true']]));
    expect(() => parseParameterFile('[{"ParameterKey": "A"}]')).toThrow('parameter file: entry 0 has no string ParameterValue');
    expect(() => parseParameterFile('not an assignment')).toThrow('parameter file: line 1 is not Name=Value');
  });

  it('resolves Fn::FindInMap, Fn::Sub, Fn::Join and Fn::Select from the template', () => {
    const text = `
Parameters:
  Env: {Type: String, Default: prod}
Mappings:
  Locks: {prod: {Value: 'true'}, dev: {Value: 'false'}}
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: !Sub '\${Env}-app'
          ReadonlyRootFilesystem: !FindInMap [Locks, !Ref Env, Value]
        - Name: !Join ['-', [!Ref Env, worker]]
          ReadonlyRootFilesystem: !Select [1, [false, true]]
        - Name: !Sub ['\${X}-third', {X: !Ref Env}]
          ReadonlyRootFilesystem: !Sub '\${Env}'
`;
    const t = validateTemplate(text).resources[0]!;
    expect(t.containers.map((c) => [c.name, c.status, c.reason])).toEqual([
      ['prod-app', 'PASS', undefined],
      ['prod-worker', 'PASS', undefined],
      ['prod-third', 'FAIL', 'invalid'],
    ]);
    expect(validateTemplate(text, { parameters: { Env: 'dev' } }).resources[0]!.containers[0]).toMatchObject({ status: 'FAIL', reason: 'false' });
  });

  it('says an SSM parameter type is only known at deploy time', () => {
    const text = `
Parameters:
  Lock: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /ecs/lock}
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          ReadonlyRootFilesystem: !Ref Lock
        - Name: dyn
          ReadonlyRootFilesystem: '{{resolve:ssm:/ecs/lock}}'
`;
    expect(validateTemplate(text).resources[0]!.containers.map((c) => c.detail)).toEqual([
      "parameter 'Lock' is read from SSM Parameter Store at deploy time",
      'a dynamic reference ({{resolve:...}}) is only resolved at deploy time',
    ]);
  });

  it('fails a ContainerDefinitions list that is only known at deploy time', () => {
    const r = validateTemplate('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: !ImportValue shared\n');
    expect(r.resources[0]).toEqual({
      logicalId: 'T',
      type: 'AWS::ECS::TaskDefinition',
      status: 'FAIL',
      line: 2,
      column: 3,
      reason: 'unresolved',
      detail: 'Fn::ImportValue cannot be evaluated before deployment',
      containers: [],
    });
  });

  it('refuses to guess when too many conditions decide the containers', () => {
    const entries = Array.from({ length: 9 }, (_, i) => `        - Name: c${i}\n          ReadonlyRootFilesystem: !If [C${i}, true, true]`).join('\n');
    const r = validateTemplate(`Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n${entries}\n`);
    expect(r.resources[0]).toMatchObject({
      status: 'FAIL',
      reason: 'unresolved',
      detail: '9 conditions decide the containers, more than the 8 whose every combination is judged',
    });
  });
});

describe('resource shapes', () => {
  const result = judge('valid/shapes.yaml');

  it('judges AWS::ECS::DaemonTaskDefinition like a task definition', () => {
    expect(resource(result, 'Daemon')).toMatchObject({ type: 'AWS::ECS::DaemonTaskDefinition', status: 'FAIL' });
  });

  it('skips Windows task definitions and empty lists, with the reason', () => {
    expect(resource(result, 'Windows')).toMatchObject({ status: 'SKIP', reason: 'windows', containers: [] });
    expect(resource(result, 'Empty')).toMatchObject({ status: 'SKIP', reason: 'empty', containers: [] });
  });

  it('fails closed on a ContainerDefinitions that is not a list and on entries that are not objects', () => {
    expect(resource(result, 'NotAList')).toMatchObject({ status: 'FAIL', reason: 'not-a-list', detail: 'ContainerDefinitions is not a list' });
    expect(resource(result, 'Unnamed').containers.map((c) => [c.name, c.index, c.status, c.reason ?? null])).toEqual([
      [null, 0, 'PASS', null],
      [null, 1, 'FAIL', 'missing'],
      [null, 2, 'FAIL', 'malformed'],
    ]);
  });

  it('reads SAM templates', () => {
    expect(judge('valid/sam.yaml').resources.map((r) => [r.logicalId, r.status])).toEqual([['SamTask', 'FAIL']]);
  });

  it('expands Fn::ForEach of AWS::LanguageExtensions', () => {
    expect(judge('valid/foreach.yaml').resources.map((r) => [r.logicalId, r.status, r.containers.map((c) => c.name)])).toEqual([
      ['Taskapi', 'FAIL', ['api']],
      ['Taskworker', 'FAIL', ['worker']],
    ]);
  });

  it('reports an unexpandable Fn::ForEach collection as unresolved', () => {
    const text = `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Tasks:
    - Svc
    - !ImportValue names
    - Task\${Svc}:
        Type: AWS::ECS::TaskDefinition
        Properties:
          ContainerDefinitions:
            - Name: app
              ReadonlyRootFilesystem: !Ref Svc
`;
    expect(validateTemplate(text).resources[0]).toMatchObject({
      logicalId: 'Task${Svc}',
      status: 'FAIL',
      containers: [{ reason: 'unresolved', detail: "Fn::ForEach identifier 'Svc' ranges over values known only at deploy time" }],
    });
  });

  it('tells templates from other documents, judging a template with a broken resource all the same', () => {
    const broken = 'Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: [{Name: app}]\n  Typo:\n    Typ: AWS::S3::Bucket\n';
    expect(validateTemplate(broken, { onlyTemplates: true }).status).toBe('FAIL');
    expect(validateTemplate('apiVersion: v1\nkind: Pod\nmetadata: {name: AWS::ECS::TaskDefinition}\n', { onlyTemplates: true })).toEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
    expect(validateTemplate('services:\n  web: {image: nginx}\n', { onlyTemplates: true })).toEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
    expect(validateTemplate('a: 1\n---\nb: AWS::ECS::TaskDefinition\n', { onlyTemplates: true })).toEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
    expect(validateTemplate('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n  - oops\n', { onlyTemplates: true }).status).toBe('ERROR');
  });

  it('marks a file without ECS task definitions SKIP', () => {
    expect(judge('valid/no-tasks.yaml')).toEqual({ status: 'SKIP', skipReason: 'no-task-definitions', resources: [] });
    expect(validateTemplate('')).toEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
    expect(validateTemplate('{"name": "not-a-template"}', { fileName: 'package.json' })).toEqual({ status: 'SKIP', skipReason: 'not-a-template', resources: [] });
  });

  it('reads a Resources snippet without the Resources key', () => {
    expect(validateTemplate('T:\n  Type: AWS::ECS::TaskDefinition\n  Properties:\n    ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]\n').status).toBe('PASS');
  });
});

describe('configuration and suppression', () => {
  it('exempts as the hook does, from the whole configuration document', () => {
    const { config, hookModel } = readConfigDocument(fixture('params/config.json').toString('utf8'));
    expect(hookModel).toEqual({ ExemptContainerNames: ['log_router'], ExemptImages: ['datadog/agent:*'] });
    const r = judge('valid/sidecars.yaml', { config });
    expect(r.status).toBe('PASS');
    expect(r.resources[0]!.containers.map((c) => [c.name, c.status, c.exemptedBy ?? null])).toEqual([
      ['app', 'PASS', null],
      ['log_router', 'EXEMPT', { property: 'ExemptContainerNames', pattern: 'log_router' }],
      ['datadog-agent', 'EXEMPT', { property: 'ExemptImages', pattern: 'datadog/agent:*' }],
    ]);
  });

  it('takes the Properties alone too, and rejects a bad shape naming the property', () => {
    expect(readConfigDocument(fixture('params/config-properties.json').toString('utf8')).config).toEqual(
      parsePolicyConfig({ ExemptContainerNames: ['log_router', 'datadog-*'] }),
    );
    expect(() => readConfigDocument(fixture('params/config-bad.json').toString('utf8'))).toThrow(
      'ExemptContainerNames must be a list of glob patterns, got a string.',
    );
  });

  it('reports suppressed containers as suppressed, never hides them; --strict ignores suppression', () => {
    const r = judge('valid/suppressed.yaml');
    expect(r.status).toBe('PASS');
    expect(r.resources[0]).toMatchObject({ status: 'SUPPRESSED', suppressed: true });
    expect(r.resources[0]!.containers.map((c) => [c.name, c.status, c.reason ?? null])).toEqual([
      ['legacy', 'SUPPRESSED', 'missing'],
      ['good', 'PASS', null],
    ]);
    const strict = judge('valid/suppressed.yaml', { strict: true });
    expect(strict.status).toBe('FAIL');
    expect(strict.resources[0]!.containers[0]).toMatchObject({ name: 'legacy', status: 'FAIL', reason: 'missing' });
  });
});

describe('JSON templates', () => {
  it('judges string booleans as the hook does', () => {
    expect(judge('valid/compliant.json').status).toBe('PASS');
    expect(judge('valid/noncompliant.json').resources[0]!.containers.map((c) => [c.name, c.reason, c.line, c.column])).toEqual([
      ['web', 'missing', 7, 6],
      ['worker', 'false', 8, 46],
      ['odd', 'invalid', 9, 43],
    ]);
  });

  it('never carries a property value in its result', () => {
    const text = JSON.stringify(judge('valid/secrets.yaml'));
    for (const secret of ['SECRET-IMAGE-TAG', 'CMD-SECRET-VALUE', 'ENV-SECRET-VALUE', 'SECRETS-ARN-VALUE', 'CREDENTIALS-SECRET-VALUE', 'maybe-SECRET-RRF']) {
      expect(text).not.toContain(secret);
    }
  });
});
