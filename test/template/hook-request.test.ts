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
import { buildHookRequest, planHookRequests, toHookProperties, UNRESOLVED_PLACEHOLDER } from '../../src/template';
import { Unresolved } from '../../src/template/resolve';
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
