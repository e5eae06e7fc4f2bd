/**
 * docs/troubleshooting.md promises "every answer the hook can give": this keeps it true. Each message
 * the built hook answers is produced here and must appear in the document, word for word (with the
 * logical id, names and counts written as the document's placeholders).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIX, REASON_TEXT } from '../../src/policy';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hook = require('../../dist/handlers.js') as {
  entrypoint: (event: unknown, context?: { awsRequestId?: string }) => Promise<{ hookStatus: string; errorCode?: string; message: string }>;
  testEntrypoint: (event: unknown) => Promise<{ hookStatus: string; errorCode?: string; message: string }>;
};

function request(properties: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clientRequestToken: 'token',
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    requestData: {
      targetName: 'AWS::ECS::TaskDefinition',
      targetType: 'RESOURCE',
      targetLogicalId: 'WebTask',
      targetModel: { resourceProperties: properties },
    },
    ...extra,
  };
}

/**
 * The message as the document writes it: placeholders for the logical id and counts; the exemption
 * note, which the document shows on its own, left off.
 */
function generic(message: string): string {
  return message
    .replace("TaskDefinition 'WebTask'", "<Type> '<id>'")
    .replace(/\b\d+ (containers? )/, 'N $1')
    .replace(/ Exempt by configuration: .*$/, '');
}

async function answer(event: unknown): Promise<{ hookStatus: string; errorCode?: string; message: string }> {
  const writes = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await hook.entrypoint(event, { awsRequestId: 'docs-test' });
  } finally {
    writes.mockRestore();
  }
}

describe('docs/troubleshooting.md', () => {
  it('explains every failure reason and the fix', () => {
    for (const reason of Object.values(REASON_TEXT)) expect(doc).toContain(`| \`${reason}\` |`);
    expect(doc).toContain(
      `### \`<Type> '<id>': N of M containers can write to their root filesystem: '<name>' (<reason>), ... ${FIX}\``,
    );
  });

  it.each([
    [2, 'their'],
    [1, 'its'],
  ])('shows the violation message with %i offending containers', async (failing, pronoun) => {
    const containers = [{ Name: 'ok', ReadonlyRootFilesystem: true }, { Name: 'app' }, { Name: 'sidecar', ReadonlyRootFilesystem: false }];
    const { message } = await answer(request({ ContainerDefinitions: containers.slice(0, failing + 1) }));
    const head = /^TaskDefinition 'WebTask': \d+ of \d+ containers can write to (its|their) root filesystem: /.exec(message);
    expect(head).not.toBeNull();
    expect(head![1]).toBe(pronoun);
    expect(message.endsWith(`. ${FIX}`)).toBe(true);
    const generic = head![0].replace("TaskDefinition 'WebTask'", "<Type> '<id>'").replace(/\d+ of \d+/, failing === 1 ? '1 of M' : 'N of M');
    expect(doc).toContain(failing === 1 ? `\`${generic.replace(/^<Type> '<id>': /, '').replace(/: $/, '')}\`` : generic);
  });

  it.each([
    ['compliant', request({ ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: 'true' }, { Name: 'b', ReadonlyRootFilesystem: true }] })],
    ['all exempt', request({ ContainerDefinitions: [{ Name: 'log_router' }, { Name: 'log_shipper' }] }, { hookModel: { ExemptContainerNames: ['log_*'] } })],
    ['empty', request({ ContainerDefinitions: [] })],
    ['windows', request({ RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }, ContainerDefinitions: [{ Name: 'iis' }] })],
    ['not a list', request({ ContainerDefinitions: { Name: 'app' } })],
  ])('shows the %s message', async (_name, event) => {
    const { message } = await answer(event);
    expect(doc).toContain(generic(message));
  });

  it('shows the sentence an update that turns the protection off adds', async () => {
    const event = request({ ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'false' }] }, { actionInvocationPoint: 'UPDATE_PRE_PROVISION' });
    (event.requestData as { targetModel: Record<string, unknown> }).targetModel.previousResourceProperties = {
      ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }],
    };
    const { message } = await answer(event);
    const sentence = /This update turns the protection off: [^.]+\./.exec(message);
    expect(sentence).not.toBeNull();
    expect(doc).toContain(`\`${sentence![0]}\``);
  });

  it('shows the exemption note and the exemption annotation', async () => {
    const { message } = await answer(
      request({ ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: true }, { Name: 'log_router' }] }, { hookModel: { ExemptContainerNames: ['log_router'] } }),
    );
    expect(message).toContain(" Exempt by configuration: 'log_router'.");
    expect(doc).toContain("Exempt by configuration: '<name>', ...");
    expect(doc).toContain("`Container '<name>' is exempt: ExemptContainerNames pattern 'log_router'.`");
  });

  it.each([
    ['a list given as a string', { ExemptContainerNames: 'log_router' }],
    ['a pattern that is no string', { ExemptImages: ['ok', 3] }],
    ['too many patterns', { ExemptContainerNames: Array.from({ length: 120 }, (_, i) => `p${i}`) }],
    ['a pattern too long', { ExemptContainerNames: ['x'.repeat(300)] }],
    ['an unknown property', { Exempt: ['x'] }],
    ['a configuration that is no object', 'str'],
  ])('shows the configuration error for %s', async (_name, hookModel) => {
    const result = await answer(request({ ContainerDefinitions: [] }, { hookModel }));
    expect(result).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InvalidTypeConfiguration' });
    const prefix = 'Invalid type configuration: ';
    expect(result.message.startsWith(prefix)).toBe(true);
    expect(doc).toContain(`| \`${result.message.slice(prefix.length)}\``);
  });

  it.each([
    ['not an object', 'x'],
    ['no requestData', { clientRequestToken: 't', actionInvocationPoint: 'CREATE_PRE_PROVISION' }],
    ['no invocation point', { clientRequestToken: 't', requestData: {} }],
    ['unknown invocation point', { clientRequestToken: 't', actionInvocationPoint: 'X', requestData: {} }],
    ['no target name', { actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData: { targetModel: {} } }],
    ['no target model', { actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData: { targetName: 'AWS::ECS::TaskDefinition' } }],
    ['no resource properties', { actionInvocationPoint: 'CREATE_PRE_PROVISION', requestData: { targetName: 'AWS::ECS::TaskDefinition', targetModel: {} } }],
  ])('shows the InvalidRequest message for %s', async (_name, event) => {
    const result = await answer(event);
    expect(result.errorCode).toBe('InvalidRequest');
    expect(doc).toContain(`| \`${result.message}\` |`);
  });

  it.each([
    ['not an object', 'x'],
    ['no request', { actionInvocationPoint: 'CREATE_PRE_PROVISION' }],
    ['no target name', { actionInvocationPoint: 'CREATE_PRE_PROVISION', request: { hookContext: {} } }],
    ['no target model', { actionInvocationPoint: 'CREATE_PRE_PROVISION', request: { hookContext: { targetName: 'AWS::ECS::TaskDefinition' } } }],
  ])('shows the test entry point message for %s', async (_name, event) => {
    const writes = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const result = await hook.testEntrypoint(event).finally(() => writes.mockRestore());
    expect(result.errorCode).toBe('InvalidRequest');
    expect(doc).toContain(`| \`${result.message}\` |`);
  });

  it.each([
    ['a deletion', request({}, { actionInvocationPoint: 'DELETE_PRE_PROVISION' })],
    ['another resource type', { ...request({}), requestData: { targetName: 'AWS::S3::Bucket', targetModel: { resourceProperties: {} } } }],
  ])('shows the message for %s', async (_name, event) => {
    const result = await answer(event);
    expect(result.hookStatus).toBe('SUCCESS');
    expect(doc).toContain(`| \`${result.message.replace('AWS::S3::Bucket', '<type>')}\` |`);
  });

  it('shows the internal error message as the wrapper writes it', () => {
    const wrapper = readFileSync(join(ROOT, 'src', 'runtime', 'wrapper.ts'), 'utf8');
    const template = /`(The hook could not check this resource because of an internal error \(correlation id \$\{correlationId\}\)[^`]*)`/.exec(wrapper);
    expect(template).not.toBeNull();
    expect(doc).toContain(`\`${template![1]!.replace('${correlationId}', '<id>')}\``);
    expect(doc).toContain('`The hook could not check this resource because of an internal error.`');
  });

  it('shows every annotation text', async () => {
    const containers = Array.from({ length: 30 }, (_, i) => ({ Name: `c${i}` }));
    const events = [
      request({ ContainerDefinitions: [{ Name: 'app' }] }),
      request({ ContainerDefinitions: { Name: 'app' } }),
      request({ ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: true }, { Name: 'b', Image: 'x/y:1' }] }, { hookModel: { ExemptImages: ['x/*'] } }),
      request({ ContainerDefinitions: [] }),
      request({ RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' }, ContainerDefinitions: [{ Name: 'iis' }] }),
      request({ ContainerDefinitions: containers }),
    ];
    const texts = new Set<string>();
    for (const event of events) {
      const result = (await answer(event)) as { annotations?: Array<{ status: string; statusMessage?: string; remediationMessage?: string }> };
      for (const a of result.annotations ?? []) {
        texts.add(`${a.status} ${a.statusMessage ?? ''}`);
        if (a.remediationMessage) texts.add(`remediation ${a.remediationMessage}`);
      }
    }
    const generic = (t: string): string =>
      t
        .replace(/'(app|b|c\d+)'/g, "'<name>'")
        .replace("pattern 'x/*'", "pattern '<pattern>'")
        .replace(/^\d+ (more container results)/, 'N $1')
        .replace(/\d+ containers? (have|has) a read-only root filesystem; \d+ exempt/, 'N containers have a read-only root filesystem; K exempt');
    const bodies = [...texts].map((text) =>
      generic(text.slice(text.indexOf(' ') + 1)).replace(/can write to its root filesystem: .*\.$/, 'can write to its root filesystem: <reason>.'),
    );
    expect(bodies.filter((body) => !doc.includes(`\`${body}\``))).toEqual([]);
    expect(bodies.length).toBeGreaterThanOrEqual(8);
  });

  it('names every error code the hook answers with', () => {
    for (const code of ['NonCompliant', 'InvalidTypeConfiguration', 'InvalidRequest', 'InternalFailure']) {
      expect(doc).toContain(`FAILED, ${code}`);
    }
  });
});
