/**
 * Edges of the built hook's answers (dist/handlers.js, called as CloudFormation calls it) that the
 * main suite does not reach: what each changes is the exact answer CloudFormation gets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stdoutOfEachTest } from '../support/lifecycle';

type Answer = Record<string, unknown>;
type EntryPoint = (event: unknown, context?: unknown) => Promise<Answer>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../../dist/handlers.js') as { entrypoint: EntryPoint; testEntrypoint: EntryPoint; lambdaHook: EntryPoint };

const FIX = 'Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';

function request(mutate: (r: Record<string, any>) => void = () => undefined): Record<string, any> {
  const r = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', 'create.json'), 'utf8'));
  delete r.requestData.providerLogGroupName;
  mutate(r);
  return r;
}

stdoutOfEachTest();

describe('previous properties', () => {
  it('are read only for an update: a create that carries them is judged on its own', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.actionInvocationPoint = 'CREATE_PRE_PROVISION';
        r.requestData.targetModel = {
          previousResourceProperties: { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: true }] },
          resourceProperties: { ContainerDefinitions: [{ Name: 'app' }] },
        };
      }),
    );
    expect(answer.message).toBe(`TaskDefinition 'WebTask': 1 of 1 container can write to its root filesystem: 'app' (ReadonlyRootFilesystem missing). ${FIX}`);
  });

  it('that are not an object are ignored by an update', async () => {
    const answer = await bundle.entrypoint(
      request((r) => {
        r.actionInvocationPoint = 'UPDATE_PRE_PROVISION';
        r.requestData.targetModel = { previousResourceProperties: 'not an object', resourceProperties: { ContainerDefinitions: [{ Name: 'app' }] } };
      }),
    );
    expect(answer.message).toBe(`TaskDefinition 'WebTask': 1 of 1 container can write to its root filesystem: 'app' (ReadonlyRootFilesystem missing). ${FIX}`);
  });
});
