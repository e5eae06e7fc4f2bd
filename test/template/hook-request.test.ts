import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entrypoint } from '../../src/handlers';

/** What the hook writes to standard output from here on (restored by jest.restoreAllMocks). */
function captureStdout(): string[] {
  const lines: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}
import {
  buildHookRequest,
  HOOK_TYPE_NAME,
  LIMITS,
  planHookRequests,
  type PlannedRequest,
  type PlanOptions,
  toHookProperties,
  UNRESOLVED_PLACEHOLDER,
} from '../../src/template';
import { NO_VALUE, Unresolved } from '../../src/template/resolve';
import { fixture } from './support';

const sample = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', 'create.json'), 'utf8'));

describe('the request CloudFormation would send', () => {
  it('stringifies booleans and numbers at every depth, as CloudFormation does', () => {
    expect(
      toHookProperties({
        Cpu: 256,
        ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: true, PortMappings: [{ ContainerPort: 80 }], Essential: false, Extra: null }],
        Lock: new Unresolved('parameter', 'P'),
      }),
    ).toEqual({
      Cpu: '256',
      ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: 'true', PortMappings: [{ ContainerPort: '80' }], Essential: 'false', Extra: null }],
      Lock: UNRESOLVED_PLACEHOLDER,
    });
  });

  it('has the shape of a CloudFormation request (test/fixtures/requests/create.json)', () => {
    const request = buildHookRequest({
      logicalId: 'WebTask',
      targetName: 'AWS::ECS::TaskDefinition',
      properties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: true }] },
      hookModel: { ExemptContainerNames: ['log_router'] },
      clientRequestToken: 'token-1',
    });
    for (const key of ['clientRequestToken', 'awsAccountId', 'stackId', 'hookTypeName', 'hookTypeVersion', 'hookModel', 'actionInvocationPoint', 'invocationId', 'requestData', 'requestContext']) {
      expect([key, key in request]).toEqual([key, key in sample]);
    }
    expect(request).toMatchObject({
      clientRequestToken: 'token-1',
      hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
      hookModel: { ExemptContainerNames: ['log_router'] },
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      requestData: {
        targetName: 'AWS::ECS::TaskDefinition',
        targetType: 'RESOURCE',
        targetLogicalId: 'WebTask',
        targetModel: { resourceProperties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }] } },
      },
    });
    expect(request.stackId).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/template-check\//);
  });

  it('plans one request per task definition and per combination of deciding conditions', () => {
    const plan = planHookRequests(fixture('valid/intrinsics.yaml'));
    if (!plan.ok) throw new Error('no plan');
    const list = plan.requests.map((p) => [p.logicalId, p.conditions.map((c) => `${c.condition}=${c.value}`).join(',')]);
    expect(list).toEqual([
      ['PropertyIf', 'Strict=true'],
      ['PropertyIf', 'Strict=false'],
      ['EntryIf', 'UseSidecar=true'],
      ['EntryIf', 'UseSidecar=false'],
      ['ListIf', 'Strict=true'],
      ['ListIf', 'Strict=false'],
      ['BothBranchesSafe', 'Strict=true'],
      ['BothBranchesSafe', 'Strict=false'],
      ['NoValueRemoves', ''],
      ['FromParameter', ''],
      ['FromDefault', ''],
      ['FromImport', ''],
    ]);
    const entryIfWithout = plan.requests[3]!.request.requestData.targetModel.resourceProperties;
    expect(entryIfWithout).toEqual({ ContainerDefinitions: [{ Name: 'app', Image: 'nginx', ReadonlyRootFilesystem: 'true' }] });
    expect(plan.requests[9]!.request.requestData.targetModel.resourceProperties).toEqual({
      ContainerDefinitions: [{ Name: 'app', Image: 'nginx', ReadonlyRootFilesystem: UNRESOLVED_PLACEHOLDER }],
    });
  });

  it('gets the verdicts the CLI gives from the hook itself', async () => {
    const logged = captureStdout();
    const plan = planHookRequests(fixture('valid/intrinsics.yaml'));
    if (!plan.ok) throw new Error('no plan');
    const answers = [];
    for (const p of plan.requests) {
      const a = await entrypoint(p.request, {});
      answers.push(`${p.logicalId}:${a.hookStatus}`);
    }
    // The hook logs one line per answer (captured here, not printed into the test run).
    expect(logged.splice(0).filter((l) => l.includes('"message":"Answered"')).length).toBe(plan.requests.length);
    jest.restoreAllMocks();
    expect(answers).toEqual([
      'PropertyIf:SUCCESS',
      'PropertyIf:FAILED',
      'EntryIf:FAILED',
      'EntryIf:SUCCESS',
      'ListIf:SUCCESS',
      'ListIf:FAILED',
      'BothBranchesSafe:SUCCESS',
      'BothBranchesSafe:SUCCESS',
      'NoValueRemoves:FAILED',
      'FromParameter:FAILED',
      'FromDefault:SUCCESS',
      'FromImport:FAILED',
    ]);
  });

  it('reports unreadable templates instead of planning', () => {
    expect(planHookRequests(fixture('bad/invalid.yaml'))).toEqual({
      ok: false,
      error: { message: 'invalid YAML: All mapping items must start at the same column', line: 8, column: 1 },
    });
  });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the properties as a hook receives them', () => {
  it('turns every number, bigint and boolean into its text, leaves strings and null alone', () => {
    expect(toHookProperties(10n)).toBe('10');
    expect(toHookProperties(0)).toBe('0');
    expect(toHookProperties(false)).toBe('false');
    expect(toHookProperties('text')).toBe('text');
    expect(toHookProperties(null)).toBeNull();
    expect(toHookProperties([1, [true, 'x']])).toEqual(['1', ['true', 'x']]);
    // A value only known at deploy time: a string the hook judges as not "true".
    expect(toHookProperties({ ReadonlyRootFilesystem: new Unresolved('parameter', 'P') })).toEqual({ ReadonlyRootFilesystem: '{{unresolved}}' });
  });

  it('drops what AWS::NoValue removed and keys without a value, in lists and mappings', () => {
    const out = toHookProperties({ Gone: NO_VALUE, Absent: undefined, Kept: 'k', List: [NO_VALUE, 1, NO_VALUE, 'a'] });
    expect(out).toStrictEqual({ Kept: 'k', List: ['1', 'a'] });
    expect(Object.keys(out as object)).toEqual(['Kept', 'List']);
  });

  it('keeps a __proto__ key as an ordinary key (never as the prototype)', () => {
    const out = toHookProperties(JSON.parse('{"__proto__": {"ReadonlyRootFilesystem": true}, "Name": "a"}')) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'Name']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')).toEqual({ value: { ReadonlyRootFilesystem: 'true' }, enumerable: true, writable: true, configurable: true });
    expect(JSON.stringify(out)).toBe('{"__proto__":{"ReadonlyRootFilesystem":"true"},"Name":"a"}');
  });
});

describe('a built request', () => {
  it('has fresh identifiers and fixed test account values when nothing else is given', () => {
    const request = buildHookRequest({ logicalId: 'T', targetName: 'AWS::ECS::DaemonTaskDefinition', properties: { Cpu: 256 } });
    expect(request).toStrictEqual({
      clientRequestToken: expect.stringMatching(UUID),
      awsAccountId: '123456789012',
      stackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/template-check\/[0-9a-f-]{36}$/),
      hookTypeName: HOOK_TYPE_NAME,
      hookTypeVersion: '00000001',
      hookModel: {},
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      invocationId: expect.stringMatching(UUID),
      requestData: {
        targetName: 'AWS::ECS::DaemonTaskDefinition',
        targetType: 'RESOURCE',
        targetLogicalId: 'T',
        targetModel: { resourceProperties: { Cpu: '256' } },
      },
      requestContext: { invocation: 1, callbackContext: {} },
    });
    expect(HOOK_TYPE_NAME).toBe('Guardrails::ECS::ReadonlyRootFilesystem');
    const again = buildHookRequest({ logicalId: 'T', targetName: 'AWS::ECS::TaskDefinition', properties: {} });
    expect(again.clientRequestToken).not.toBe(request.clientRequestToken);
    expect(again.invocationId).not.toBe(request.invocationId);
    expect(again.stackId).not.toBe(request.stackId);
  });

  it('carries an update: the invocation point, the stack name and the previous properties, stringified', () => {
    const request = buildHookRequest({
      logicalId: 'T',
      targetName: 'AWS::ECS::TaskDefinition',
      properties: { ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: true }] },
      previousProperties: { ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: false }] },
      invocationPoint: 'UPDATE_PRE_PROVISION',
      stackName: 'web',
    });
    expect(request.actionInvocationPoint).toBe('UPDATE_PRE_PROVISION');
    expect(request.stackId).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/web\/[0-9a-f-]{36}$/);
    expect(request.requestData.targetModel).toStrictEqual({
      resourceProperties: { ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: 'true' }] },
      previousResourceProperties: { ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: 'false' }] },
    });
  });
});

describe('planned requests', () => {
  const plan = (text: string, options: PlanOptions = {}): PlannedRequest[] => {
    const p = planHookRequests(text, options);
    if (!p.ok) throw new Error(p.error.message);
    return p.requests;
  };

  it('plans nothing for a document that is not a mapping, or has no task definitions', () => {
    expect(planHookRequests('just text\n')).toEqual({ ok: true, requests: [] });
    expect(planHookRequests('- a\n- b\n')).toEqual({ ok: true, requests: [] });
    expect(planHookRequests('')).toEqual({ ok: true, requests: [] });
    expect(planHookRequests('Resources:\n  B: {Type: AWS::S3::Bucket}\n')).toEqual({ ok: true, requests: [] });
  });

  it('reads a .json file as JSON only', () => {
    expect(planHookRequests('a: 1\n', { fileName: 'stack.json' })).toEqual({ ok: false, error: { message: 'invalid JSON: unexpected character', line: 1, column: 1 } });
  });

  it('sends the type configuration as hookModel, and names where each resource starts', () => {
    const [r, ...rest] = plan('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {Cpu: 256, ContainerDefinitions: [{Name: a}]}\n', {
      hookModel: { ExemptContainerNames: ['a'] },
    });
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ logicalId: 'T', type: 'AWS::ECS::TaskDefinition', line: 2, column: 3, conditions: [] });
    expect(r!.request.hookModel).toEqual({ ExemptContainerNames: ['a'] });
    expect(r!.request.requestData).toEqual({
      targetName: 'AWS::ECS::TaskDefinition',
      targetType: 'RESOURCE',
      targetLogicalId: 'T',
      targetModel: { resourceProperties: { Cpu: '256', ContainerDefinitions: [{ Name: 'a' }] } },
    });
  });

  it('sends empty properties when Properties is absent or not a mapping', () => {
    const requests = plan('Resources:\n  A:\n    Type: AWS::ECS::TaskDefinition\n  B:\n    Type: AWS::ECS::TaskDefinition\n    Properties: text\n');
    expect(requests.map((r) => [r.logicalId, r.request.requestData.targetModel.resourceProperties])).toEqual([
      ['A', {}],
      ['B', {}],
    ]);
  });

  const conditional = `Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  undefined: !Equals [!Ref Env, nowhere]
Resources:
  Always:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: a, ReadonlyRootFilesystem: true}]
  ProdOnly:
    Type: AWS::ECS::TaskDefinition
    Condition: IsProd
    Properties:
      ContainerDefinitions: [{Name: b, ReadonlyRootFilesystem: !If [IsProd, true, false]}]
`;

  it('sends no request for a resource CloudFormation would not create', () => {
    expect(plan(conditional, { parameters: { Env: 'dev' } }).map((r) => r.logicalId)).toEqual(['Always']);
    expect(plan(conditional, { parameters: { Env: 'prod' } }).map((r) => [r.logicalId, r.conditions])).toEqual([
      ['Always', []],
      ['ProdOnly', []],
    ]);
    // Without values, the resource's own Condition is taken as true where it decides a container.
    const open = plan(conditional);
    expect(open.map((r) => [r.logicalId, r.conditions])).toEqual([
      ['Always', []],
      ['ProdOnly', []],
    ]);
    expect(open[1]!.request.requestData.targetModel.resourceProperties).toEqual({ ContainerDefinitions: [{ Name: 'b', ReadonlyRootFilesystem: 'true' }] });
  });

  it('sends a request for a resource whose Condition does not name a condition', () => {
    const text = `Conditions:\n  '5': !Equals [a, b]\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Condition: 5\n    Properties: {ContainerDefinitions: [{Name: a}]}\n`;
    expect(plan(text, { parameters: { Any: 'x' } }).map((r) => r.logicalId)).toEqual(['T']);
  });

  it('over the limit of open conditions, sends the combinations of the first ones', () => {
    const entries = Array.from({ length: LIMITS.maxConditions + 1 }, (_, i) => `        - Name: c${i}\n          ReadonlyRootFilesystem: !If [C${i}, true, false]`).join('\n');
    const requests = plan(`Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n${entries}\n`);
    expect(requests).toHaveLength(2 ** LIMITS.maxConditions);
    const first = Array.from({ length: LIMITS.maxConditions }, (_, i) => `C${i}`);
    expect(requests[0]!.conditions).toEqual(first.map((condition) => ({ condition, value: true })));
    expect(requests.at(-1)!.conditions).toEqual(first.map((condition) => ({ condition, value: false })));
    const lastSent = requests.at(-1)!.request.requestData.targetModel.resourceProperties as { ContainerDefinitions: { Name: string; ReadonlyRootFilesystem: string }[] };
    // The combinations assume values for the first conditions; the others take their true branch.
    expect(lastSent.ContainerDefinitions.map((c) => c.ReadonlyRootFilesystem)).toEqual([...first.map(() => 'false'), 'true']);
  });

  it('resolves the properties under each combination, with the decided conditions applied', () => {
    const requests = plan(conditional.replace('    Condition: IsProd\n', ''), { parameters: { Env: 'dev' } });
    expect(requests.map((r) => [r.logicalId, r.conditions, r.request.requestData.targetModel.resourceProperties])).toEqual([
      ['Always', [], { ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: 'true' }] }],
      ['ProdOnly', [], { ContainerDefinitions: [{ Name: 'b', ReadonlyRootFilesystem: 'false' }] }],
    ]);
  });
});
