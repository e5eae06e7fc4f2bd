/**
 * Stack-level and change-set requests through the built bundle (dist/handlers.js, which loads
 * dist/stack.js): the payload served by a loopback HTTP server as S3 would serve a presigned URL, every
 * fault failing closed with an error code other than NonCompliant, and the URL never shown.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { faults, type FaultServer } from '../support/fault-server';
import { faultServersForEachTest, lambdaContext, stdoutOfEachTest } from '../support/lifecycle';

type Answer = Record<string, any>;
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint; lambdaHook: EntryPoint };

const FIXTURES = join(__dirname, '..', 'fixtures', 'payloads');
const payload = (name: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const text = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const CHANGE_SET_ARN = 'arn:aws:cloudformation:eu-west-1:111122223333:changeSet/review-42/1a2345b6-0000-00a0-a123-00abc0abc000';
const LINK = 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-readonlyRootFilesystem';
const FIX = 'Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';
const CANARY = 'signature-canary-77c1';

const output = stdoutOfEachTest();
const servers = faultServersForEachTest();
let server: FaultServer | undefined;

async function serve(handler: Parameters<typeof servers.serve>[0]): Promise<string> {
  server = await servers.serve(handler);
  return `${server.url}/hooks/payload.json?X-Amz-Credential=AKIACANARY&X-Amz-Signature=${CANARY}`;
}

function request(targetName: 'STACK' | 'CHANGE_SET', url: string, hookModel: unknown = {}): Record<string, any> {
  return {
    clientRequestToken: 'token-stack',
    awsAccountId: '111122223333',
    stackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/web/8a1f2e30',
    changeSetId: targetName === 'CHANGE_SET' ? CHANGE_SET_ARN : undefined,
    hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
    hookTypeVersion: '00000001',
    hookModel,
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    requestData: { targetName, targetType: targetName, targetLogicalId: targetName === 'STACK' ? 'web' : CHANGE_SET_ARN, targetModel: {}, payload: url },
    requestContext: { invocation: 1, callbackContext: null },
  };
}

const failedAnnotation = (statusMessage: string, remediationMessage: string): Answer => ({
  annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
  status: 'FAILED',
  statusMessage,
  remediationMessage,
  remediationLink: LINK,
  severityLevel: 'HIGH',
});
const skipped = (statusMessage: string): Answer => ({ annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'SKIPPED', statusMessage });

function unread(subject: string, errorCode: string, reason: string): Answer {
  return {
    hookStatus: 'FAILED',
    errorCode,
    message: `The hook could not read ${subject} from the payload CloudFormation sent: ${reason}. Deploy again; if it persists, the hook's owner will find details in its logs.`,
    clientRequestToken: 'token-stack',
    callbackDelaySeconds: 0,
  };
}

afterEach(() => {
  // Whatever the case, the presigned URL and the template's values stay out of answers and logs.
  expect(output().join('')).not.toContain(CANARY);
  expect(output().join('')).not.toContain('AKIACANARY');
  expect(output().join('')).not.toContain('hunter2-canary');
});

describe('STACK: the template as submitted', () => {
  it('blocks what fails whatever the parameters and conditions; leaves the rest to the resource-level check', async () => {
    const url = await serve(faults.json(payload('stack-payload.json')));
    const answer = await bundle.entrypoint(request('STACK', url));
    expect(answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message:
        `Stack 'web': 2 containers in 1 task definition can write to their root filesystem: 'Web/app' (ReadonlyRootFilesystem missing), 'Web/sidecar' (false). ${FIX}` +
        " Left to the resource-level check (values known only at deploy time): 'Web/by-parameter', 'Web/by-condition', 'ProdOnly'.",
      clientRequestToken: 'token-stack',
      callbackDelaySeconds: 0,
      annotations: [
        failedAnnotation(
          "Container 'app' of TaskDefinition 'Web' (line 13) can write to its root filesystem: ReadonlyRootFilesystem missing.",
          "Set ReadonlyRootFilesystem: true on container 'app' of 'Web' and mount a volume at any path it must write.",
        ),
        failedAnnotation(
          "Container 'sidecar' of TaskDefinition 'Web' (line 20) can write to its root filesystem: false.",
          "Set ReadonlyRootFilesystem: true on container 'sidecar' of 'Web' and mount a volume at any path it must write.",
        ),
        skipped("Container 'by-parameter' of 'Web' (line 26) depends on values known only at deploy time; the resource-level check judges it."),
        skipped("Container 'by-condition' of 'Web' (line 29) depends on values known only at deploy time; the resource-level check judges it."),
        skipped(
          "TaskDefinition 'ProdOnly' (line 30) depends on values known only at deploy time (the resource exists only when its Condition holds); the resource-level check judges it.",
        ),
      ],
    });
    expect(server!.requests).toEqual(['GET /hooks/payload.json']);
  });

  it('applies the type configuration: exempt containers do not block', async () => {
    const url = await serve(faults.json(payload('stack-payload.json')));
    const answer = await bundle.entrypoint(request('STACK', url, { ExemptContainerNames: ['app', 'side*'] }));
    expect(answer).toMatchObject({
      hookStatus: 'SUCCESS',
      message:
        "Stack 'web': 2 task definitions checked, no container that can write to its root filesystem. Left to the resource-level check (values known only at deploy time): 'Web/by-parameter', 'Web/by-condition', 'ProdOnly'.",
    });
    expect(answer.errorCode).toBeUndefined();
  });

  it('an update that turns the protection off says so, from previousTemplate', async () => {
    const before = 'Resources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: true\n';
    const after = before.replace('ReadonlyRootFilesystem: true', 'ReadonlyRootFilesystem: false');
    const url = await serve(faults.json({ template: after, previousTemplate: before }));
    const event = request('STACK', url);
    event.actionInvocationPoint = 'UPDATE_PRE_PROVISION';
    expect((await bundle.entrypoint(event)).message).toBe(
      `Stack 'web': 1 container in 1 task definition can write to its root filesystem: 'Web/app' (false). ${FIX} These updates turn the protection off: 'Web'.`,
    );
    const broken = await serve(faults.json({ template: after, previousTemplate: 'Resources: [' }));
    const second = request('STACK', broken);
    second.actionInvocationPoint = 'UPDATE_PRE_PROVISION';
    expect((await bundle.entrypoint(second)).message).toBe(`Stack 'web': 1 container in 1 task definition can write to its root filesystem: 'Web/app' (false). ${FIX}`);
  });

  it('passes a compliant JSON template', async () => {
    const url = await serve(faults.json({ template: text('compliant.json'), previousTemplate: text('compliant.json') }));
    expect(await bundle.entrypoint(request('STACK', url))).toEqual({
      hookStatus: 'SUCCESS',
      message: "Stack 'web': 1 task definition checked, no container that can write to its root filesystem.",
      clientRequestToken: 'token-stack',
      callbackDelaySeconds: 0,
      annotations: [{ annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'PASSED', statusMessage: '1 task definition passes the check.' }],
    });
  });

  it('a 500-resource template: every offender counted, the message within 1,024 characters, 25 annotations', async () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) {
      resources[`Task${i}`] = { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'nginx', ReadonlyRootFilesystem: i % 2 === 0 } ] } };
    }
    const url = await serve(faults.json({ template: JSON.stringify({ Resources: resources }), previousTemplate: '' }));
    const answer = await bundle.entrypoint(request('STACK', url));
    expect(answer.hookStatus).toBe('FAILED');
    expect(answer.errorCode).toBe('NonCompliant');
    expect(answer.message.length).toBeLessThanOrEqual(1024);
    expect(answer.message).toMatch(/^Stack 'web': 250 containers in 250 task definitions can write to their root filesystem: 'Task1\/app' \(false\), 'Task3\/app' \(false\), .*, and \d+ more\. Set ReadonlyRootFilesystem/);
    expect(answer.annotations).toHaveLength(25);
    expect(answer.annotations[24]).toEqual({
      annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
      status: 'FAILED',
      statusMessage: '226 more results are not listed; the message names the offending containers.',
      remediationLink: LINK,
      severityLevel: 'HIGH',
    });
  });

  it.each([
    ['a template that does not parse', { template: 'Resources: [unclosed', previousTemplate: '' }, "the template does not parse at line 1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ['no template', { previousTemplate: '' }, 'it carries no template'],
    ['an empty template', { template: '  ', previousTemplate: '' }, 'it carries no template'],
  ])('%s: FAILED InvalidRequest, never SUCCESS', async (_name, body, reason) => {
    const url = await serve(faults.json(body));
    expect(await bundle.entrypoint(request('STACK', url))).toEqual(unread("the stack's template", 'InvalidRequest', reason));
  });

  it('a template given as JSON nested 20,000 levels deep: FAILED InvalidRequest as any too deep template, not an internal failure', async () => {
    // Written by hand: JSON.stringify of such an object overflows the stack, here as in the hook.
    const deep = `{"template":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)},"previousTemplate":""}`;
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(deep));
    expect(await bundle.entrypoint(request('STACK', url))).toEqual(unread("the stack's template", 'InvalidRequest', 'the template does not parse: nesting deeper than 100 levels'));
  });
});

describe('STACK: a payload that cannot be read fails closed', () => {
  it('HTTP 503 twice, then the payload: judged', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      if (calls <= 2) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload('stack-payload.json')));
    });
    expect(await bundle.entrypoint(request('STACK', url))).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(server!.requests).toHaveLength(3);
  });

  it.each([
    ['endless HTTP 503', faults.status(503), 'ServiceInternalError', 'the storage service answered HTTP 503 (4 attempts)'],
    ['HTTP 403', faults.status(403), 'AccessDenied', 'the payload URL was refused (HTTP 403: expired or not signed for this function)'],
    ['a truncated body', faults.truncate('{"template": "Resources:'), 'NetworkFailure', 'the connection closed before all of it arrived (4 attempts)'],
    ['a body that is not JSON', faults.garbage(), 'InvalidRequest', 'it is not JSON'],
  ])('%s', async (_name, handler, errorCode, reason) => {
    const url = await serve(handler);
    expect(await bundle.entrypoint(request('STACK', url))).toEqual(unread("the stack's template", errorCode, reason));
  });

  // Lambda's runtime ends an invocation whose process runs out of work before the handler answers
  // (Runtime.NodeJsExit); here nothing but the retries' waits is left to keep the child's loop alive.
  it.each(['entrypoint', 'lambdaHook'] as const)('%s in a process with nothing else running still retries and answers', async (entry) => {
    const url = await serve(faults.status(503));
    const script = `
      process.on('beforeExit', () => process.stderr.write('exited without an answer'));
      require(process.argv[1])[process.argv[2]](JSON.parse(process.argv[3]), { awsRequestId: 'alone' })
        .then((answer) => { process.removeAllListeners('beforeExit'); process.stderr.write(JSON.stringify(answer)); });
    `;
    const bundlePath = join(__dirname, '..', '..', 'dist', 'handlers.js');
    const event = request('STACK', url, entry === 'lambdaHook' ? { LambdaFunction: 'arn:aws:lambda:eu-west-1:111122223333:function:f' } : {});
    const { stderr } = await promisify(execFile)(process.execPath, ['-e', script, bundlePath, entry, JSON.stringify(event)], { encoding: 'utf8' });
    const reason = 'the storage service answered HTTP 503 (4 attempts)';
    const expected = unread("the stack's template", 'ServiceInternalError', reason);
    expect(JSON.parse(stderr)).toEqual(entry === 'lambdaHook' ? { ...expected, errorCode: 'InternalFailure' } : expected);
    expect(server!.requests).toHaveLength(4);
  });

  it('a server that never answers: NetworkFailure inside the invocation, with the answer reserve kept', async () => {
    const url = await serve(faults.hang());
    const started = Date.now();
    expect(await bundle.entrypoint(request('STACK', url), lambdaContext(3_000, 'stack-run'))).toEqual(
      unread("the stack's template", 'NetworkFailure', 'reading it took longer than the time allowed'),
    );
    expect(Date.now() - started).toBeLessThan(2_900);
  });
});

describe('CHANGE_SET: the changed resources as CloudFormation will create them', () => {
  it('judges afterContext as resourceProperties, beforeContext as the previous version; annotations carry id and line', async () => {
    const url = await serve(faults.json(payload('change-set-payload.json')));
    expect(await bundle.entrypoint(request('CHANGE_SET', url))).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message:
        `Change set 'review-42': 2 containers in 1 task definition can write to their root filesystem: 'Web/app' (ReadonlyRootFilesystem missing), 'Web/sidecar' (false). ${FIX}` +
        " These updates turn the protection off: 'Web'.",
      clientRequestToken: 'token-stack',
      callbackDelaySeconds: 0,
      annotations: [
        failedAnnotation(
          "Container 'app' of TaskDefinition 'Web' (line 9) can write to its root filesystem: ReadonlyRootFilesystem missing.",
          "Set ReadonlyRootFilesystem: true on container 'app' of 'Web' and mount a volume at any path it must write.",
        ),
        failedAnnotation(
          "Container 'sidecar' of TaskDefinition 'Web' (line 9) can write to its root filesystem: false.",
          "Set ReadonlyRootFilesystem: true on container 'sidecar' of 'Web' and mount a volume at any path it must write.",
        ),
      ],
    });
  });

  it('a compliant change set, every value resolved: CHANGE_SET_SUCCESS_SKIP_STACK_HOOK', async () => {
    const body = payload('change-set-payload.json');
    body.changedResources = body.changedResources.filter((c: any) => c.logicalResourceId !== 'Web');
    const url = await serve(faults.json(body));
    expect(await bundle.entrypoint(request('CHANGE_SET', url))).toEqual({
      hookStatus: 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK',
      message: "Change set 'review-42': 1 task definition checked, no container that can write to its root filesystem.",
      clientRequestToken: 'token-stack',
      callbackDelaySeconds: 0,
      annotations: [{ annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'PASSED', statusMessage: '1 task definition passes the check.' }],
    });
  });

  it('a value CloudFormation has not resolved yet: left, and no skip of the stack-level check', async () => {
    const after = { Properties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: { Ref: 'ReadOnly' } }, { Name: 'web', ReadonlyRootFilesystem: 'true' }] } };
    const url = await serve(
      faults.json({
        template: '',
        changedResources: [{ action: 'CREATE', logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', lineNumber: 4, beforeContext: null, afterContext: JSON.stringify(after) }],
      }),
    );
    expect(await bundle.entrypoint(request('CHANGE_SET', url))).toMatchObject({
      hookStatus: 'SUCCESS',
      message:
        "Change set 'review-42': 1 task definition checked, no container that can write to its root filesystem. Left to the resource-level check (values known only at deploy time): 'Web/app'.",
    });
  });

  it.each([
    ['a context that is not JSON', [{ action: 'CREATE', logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', afterContext: '{"Properties": ' }], `the context of 'Web' is not {"Properties": {...}} as JSON`],
    ['no changedResources list', undefined, 'it carries no changedResources list'],
  ])('%s: FAILED InvalidRequest', async (_name, changedResources, reason) => {
    const url = await serve(faults.json({ template: 'Resources: {}', changedResources }));
    expect(await bundle.entrypoint(request('CHANGE_SET', url))).toEqual(unread('the change set', 'InvalidRequest', reason));
  });
});

describe("the Java runtime's payload form: its field names, in any case", () => {
  const unwrap = (context: string | null): string | null => (context === null ? null : JSON.stringify(JSON.parse(context).Properties));
  /** The fixture as the Java runtime models it: capitalised names, ResourceProperties holding the properties themselves. */
  const javaChangeSet = (): Record<string, unknown> => {
    const body = payload('change-set-payload.json');
    return {
      Template: body.template,
      ChangedResources: body.changedResources.map((c: any) => ({
        Action: c.action,
        ResourceType: c.resourceType,
        LogicalResourceId: c.logicalResourceId,
        LineNumber: c.lineNumber,
        ResourceProperties: unwrap(c.afterContext),
        PreviousResourceProperties: unwrap(c.beforeContext),
      })),
    };
  };

  it('a stack payload with Template and PreviousTemplate: the same answer as the documented form', async () => {
    const body = payload('stack-payload.json');
    const documented = await bundle.entrypoint(request('STACK', await serve(faults.json(body))));
    expect(documented).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    const java = await bundle.entrypoint(request('STACK', await serve(faults.json({ Template: body.template, PreviousTemplate: body.previousTemplate ?? '' }))));
    expect(java).toEqual(documented);
  });

  it('a JSON template sent as an object rather than as text: judged', async () => {
    const template = { Resources: { Web: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'nginx' }] } } } };
    const answer = await bundle.entrypoint(request('STACK', await serve(faults.json({ Template: template }))));
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', message: `Stack 'web': 1 container in 1 task definition can write to its root filesystem: 'Web/app' (ReadonlyRootFilesystem missing). ${FIX}` });
  });

  it('a change set with Action, ResourceType and ResourceProperties: the same answer as the documented form', async () => {
    const documented = await bundle.entrypoint(request('CHANGE_SET', await serve(faults.json(payload('change-set-payload.json')))));
    expect(documented).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(await bundle.entrypoint(request('CHANGE_SET', await serve(faults.json(javaChangeSet()))))).toEqual(documented);
    expect(await bundle.lambdaHook(request('CHANGE_SET', await serve(faults.json(javaChangeSet())), { LambdaFunction: 'arn:aws:lambda:eu-west-1:111122223333:function:f' }))).toEqual(documented);
  });
});

describe('CHANGE_SET: every action but a deletion is judged; an entry without one is not read as compliant', () => {
  const writable = JSON.stringify({ Properties: { ContainerDefinitions: [{ Name: 'app', Image: 'nginx' }] } });
  const changeSet = (entry: Record<string, unknown>) => ({ template: '', changedResources: [{ logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', afterContext: writable, ...entry }] });

  it.each([['create'], ['Update'], ['IMPORT'], [' CREATE ']])('action %p: judged', async (action) => {
    const answer = await bundle.entrypoint(request('CHANGE_SET', await serve(faults.json(changeSet({ action })))));
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', message: `Change set 'review-42': 1 container in 1 task definition can write to its root filesystem: 'Web/app' (ReadonlyRootFilesystem missing). ${FIX}` });
  });

  it.each([['delete'], ['DELETE']])('action %p: nothing to judge', async (action) => {
    const answer = await bundle.entrypoint(request('CHANGE_SET', await serve(faults.json(changeSet({ action })))));
    expect(answer).toMatchObject({ hookStatus: 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK' });
  });

  it.each([
    ['no action', {}],
    ['an empty action', { action: '' }],
    ['an action that is not text', { action: 1 }],
  ])('%s: FAILED InvalidRequest (InternalFailure as a Lambda hook), never a skip of the stack-level check', async (_name, entry) => {
    expect(await bundle.entrypoint(request('CHANGE_SET', await serve(faults.json(changeSet(entry)))))).toEqual(
      unread('the change set', 'InvalidRequest', "the change to 'Web' names no action"),
    );
    const url = await serve(faults.json(changeSet(entry)));
    expect(await bundle.lambdaHook(request('CHANGE_SET', url, { LambdaFunction: 'arn:aws:lambda:eu-west-1:111122223333:function:f' }))).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
    });
  });
});

describe('lambdaHook: the same checks as an AWS::CloudFormation::LambdaHook', () => {
  const lambdaRequest = (targetName: 'STACK' | 'CHANGE_SET', url: string): Record<string, any> =>
    request(targetName, url, { LambdaFunction: 'arn:aws:lambda:eu-west-1:111122223333:function:ecs-readonly-rootfs' });

  it('gives the registered hook verdict on a stack', async () => {
    const url = await serve(faults.json(payload('stack-payload.json')));
    expect(await bundle.lambdaHook(lambdaRequest('STACK', url))).toEqual(await bundle.entrypoint(request('STACK', url)));
  });

  it('answers SUCCESS where the registered hook answers CHANGE_SET_SUCCESS_SKIP_STACK_HOOK', async () => {
    const body = payload('change-set-payload.json');
    body.changedResources = body.changedResources.filter((c: any) => c.logicalResourceId !== 'Web');
    const url = await serve(faults.json(body));
    expect(await bundle.lambdaHook(lambdaRequest('CHANGE_SET', url))).toMatchObject({ hookStatus: 'SUCCESS' });
  });

  it.each([
    ['HTTP 403', faults.status(403)],
    ['not JSON', faults.garbage()],
  ])('an unread payload (%s): FAILED InternalFailure, the only other error code a Lambda hook accepts', async (_name, handler) => {
    const url = await serve(handler);
    expect(await bundle.lambdaHook(lambdaRequest('STACK', url))).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
  });
});
