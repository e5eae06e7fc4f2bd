/**
 * docs/troubleshooting.md for the stack-level, change-set and Lambda hook answers: each message the
 * built hook gives here appears in the document, with the document's placeholders; README and
 * rollout.md carry the table of the three forms and the recommended organisation set-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIX } from '../../src/policy';
import { faults } from '../support/fault-server';
import { faultServersForEachTest, stdoutOfEachTest } from '../support/lifecycle';
import { withEnv } from '../support/aws';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const rollout = readFileSync(join(ROOT, 'docs', 'rollout.md'), 'utf8');
type Answer = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hook = require('../../dist/handlers.js') as { entrypoint: (e: unknown) => Promise<Answer>; lambdaHook: (e: unknown) => Promise<Answer> };

stdoutOfEachTest();
const servers = faultServersForEachTest();

async function whole(targetName: 'STACK' | 'CHANGE_SET', body: unknown): Promise<Answer> {
  const server = await servers.serve(faults.json(body));
  return hook.entrypoint({
    clientRequestToken: 't',
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    hookModel: {},
    requestData: { targetName, targetType: targetName, targetLogicalId: targetName === 'STACK' ? 'web' : 'arn:aws:cloudformation:us-east-1:1:changeSet/cs/1', payload: `${server.url}/p` },
  });
}

const generic = (text: string): string =>
  text
    .replace("Stack 'web'", "Stack '<stack>'")
    .replace("Change set 'cs'", "Change set '<change set>'")
    .replace(/\b\d+ containers? in \d+ task definitions?/, 'N containers in M task definitions')
    .replace(/\b\d+ (task definitions? checked)/, 'N task definitions checked')
    .replace(/'Web\/app' \(ReadonlyRootFilesystem missing\), 'Web\/side' \(false\)\./, "'<id>/<name>' (<reason>), ...");

const TWO_BAD = 'Resources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n        - Name: side\n          ReadonlyRootFilesystem: false\n';
const GOOD = 'Resources:\n  Web:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: true\n';

describe('docs/troubleshooting.md: stacks and change sets', () => {
  it('shows the stack-level violation message and its annotations', async () => {
    const answer = await whole('STACK', { template: TWO_BAD, previousTemplate: '' });
    expect(answer.message.endsWith(FIX)).toBe(true);
    expect(doc).toContain(`### \`${generic(answer.message)}\``);
    expect(doc).toContain("`Container '<name>' of <Type> '<id>' (line N) can write to its root filesystem: <reason>.`");
    expect(answer.annotations[0].statusMessage).toBe("Container 'app' of TaskDefinition 'Web' (line 6) can write to its root filesystem: ReadonlyRootFilesystem missing.");
  });

  it.each([
    ['a compliant stack', 'STACK', { template: GOOD, previousTemplate: '' }],
    ['a stack without task definitions', 'STACK', { template: 'Resources: {}', previousTemplate: '' }],
    [
      'a compliant change set',
      'CHANGE_SET',
      {
        template: GOOD,
        changedResources: [
          { action: 'CREATE', logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', afterContext: JSON.stringify({ Properties: { ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: 'true' }] } }) },
        ],
      },
    ],
  ])('shows the message for %s', async (_name, target, body) => {
    const answer = await whole(target as 'STACK' | 'CHANGE_SET', body);
    expect(doc).toContain(`| \`${answer.hookStatus}\` | \`${generic(answer.message)}\` |`);
  });

  it('names what is left to the resource-level check', async () => {
    const answer = await whole('STACK', { template: `${GOOD}          Image: !Ref Img\n  Other:\n    Type: AWS::ECS::TaskDefinition\n    Condition: C\n    Properties: {}\n`, previousTemplate: '' });
    expect(answer.message).toContain(" Left to the resource-level check (values known only at deploy time): 'Other'.");
    expect(doc).toContain('`Left to the resource-level check (values known only at deploy time): \'<id>/<name>\', ...`');
  });

  it.each([
    ['STACK', { template: 'a: [', previousTemplate: '' }, 'the template does not parse at line N: <what the reader found>'],
    ['STACK', { previousTemplate: '' }, 'it carries no template'],
    ['CHANGE_SET', { template: '' }, 'it carries no changedResources list'],
    ['CHANGE_SET', { template: '', changedResources: [1] }, 'a changed resource is not an object'],
    ['CHANGE_SET', { template: '', changedResources: [{ action: 'CREATE', logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', afterContext: '{' }] }, "the context of '<id>' is not {\"Properties\": {...}} as JSON"],
    ['CHANGE_SET', { template: '', changedResources: [{ action: 'UPDATE', logicalResourceId: 'Web', resourceType: 'AWS::ECS::TaskDefinition', beforeContext: '{}' }] }, "the change to '<id>' carries no afterContext"],
  ])('shows the payload reason for a %s payload %j', async (target, body, documented) => {
    const answer = await whole(target as 'STACK' | 'CHANGE_SET', body);
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InvalidRequest' });
    const reason = /sent: (.*)\. Deploy again/.exec(answer.message)![1]!.replace(/line \d+: .*/, 'line N: <what the reader found>').replace("'Web'", "'<id>'");
    expect(reason).toBe(documented);
    expect(doc).toContain(`\`${documented}\``);
  });
});

describe('docs/troubleshooting.md: the Lambda hook', () => {
  it.each([
    ['EXEMPT_CONTAINER_NAMES', 'a,,b'],
    ['EXEMPT_IMAGES', 'x'.repeat(1025)],
    ['EXEMPT_CONTAINER_NAMES', Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')],
  ])('shows the error for a bad %s', async (variable, value) => {
    const event = {
      clientRequestToken: 't',
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      hookModel: { LambdaFunction: 'arn:aws:lambda:us-east-1:1:function:f' },
      requestData: { targetName: 'AWS::ECS::TaskDefinition', targetType: 'AWS::ECS::TaskDefinition', targetLogicalId: 'Web', targetModel: { resourceProperties: {} } },
    };
    const answer = await withEnv({ [variable]: value }, () => hook.lambdaHook(event));
    expect(answer.errorCode).toBe('InternalFailure');
    expect(doc).toContain(`| \`${answer.message}\``);
  });
});

describe('the three forms', () => {
  it.each([
    ['README.md', readme],
    ['docs/rollout.md', rollout],
  ])('%s has the table and recommends an organisation set-up', (_name, text) => {
    expect(text).toMatch(/\| \| registered hook[^|]*\| Lambda hook[^|]*\| Guard hook[^|]*\|/);
    for (const row of ['needs', 'targets', 'logs', 'exemptions', 'reports']) expect(text).toMatch(new RegExp(`^\\| ${row} \\|`, 'm'));
    expect(text).toContain('TargetOperations=RESOURCE,CHANGE_SET');
  });

  it('README shows how to deploy the Lambda hook and the Guard hook', () => {
    expect(readme).toContain('aws cloudformation package --template-file deploy/lambda-hook.yml');
    expect(readme).toContain('aws cloudformation deploy --template-file lambda-hook.packaged.yml');
    expect(readme).toContain('aws s3 cp rules/readonly-root-filesystem.guard');
    expect(readme).toContain('--template-file deploy/guard-hook.yml');
  });
});
