/**
 * The peer rules' own templates (the seed pattern's and CT.ECS.PR.6's), run through the built hook
 * as CloudFormation would send them: primitives as strings. The seed rule and CT.ECS.PR.6 both fail
 * the string "true"; the hook must not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildHookRequest } from '../src/template/hook-request';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sharedDir } = require('./shared-dir.js') as { sharedDir: () => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('../dist/handlers.js') as { entrypoint: (e: unknown) => Promise<Record<string, unknown>> };

const peer = join(sharedDir(), 'peer');
const FIX = 'Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';

async function verdicts(file: string): Promise<Record<string, Record<string, unknown>>> {
  const text = readFileSync(join(peer, file), 'utf8');
  type Resources = Record<string, { Type: string; Properties: unknown }>;
  const document = parse(text) as { Resources?: Resources } & Resources;
  // The remediation examples are bare resource snippets, without a Resources section.
  const resources: Resources = document.Resources ?? document;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
    const answer = await bundle.entrypoint(
      buildHookRequest({
        logicalId,
        targetName: resource.Type,
        properties: resource.Properties as Record<string, unknown>,
        clientRequestToken: `${file}/${logicalId}`,
      }),
    );
    out[logicalId] = { hookStatus: answer.hookStatus, errorCode: answer.errorCode, message: answer.message };
  }
  return out;
}

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

describe('peer templates through the built hook', () => {
  it('covers every peer template', () => {
    expect(readdirSync(peer).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()).toEqual([
      'container-patterns__readonly-root-filesystem.yml',
      'container-patterns__writable-root-filesystem.yml',
      'ct_ecs_pr_6_fail.yaml',
      'ct_ecs_pr_6_pass.yaml',
      'ct_ecs_pr_6_remediation_example.json',
      'ct_ecs_pr_6_remediation_example.yaml',
    ]);
  });

  it('seed: lets the read-only sample through (as the string "true" the seed rule would fail)', async () => {
    expect(await verdicts('container-patterns__readonly-root-filesystem.yml')).toEqual({
      ReadonlyRootTaskDefinition: {
        hookStatus: 'SUCCESS',
        errorCode: undefined,
        message: "TaskDefinition 'ReadonlyRootTaskDefinition': 1 container checked, all with a read-only root filesystem.",
      },
    });
  });

  it('seed: blocks both writable samples, naming the container and the reason', async () => {
    expect(await verdicts('container-patterns__writable-root-filesystem.yml')).toEqual({
      WritableRootTaskDefinition: {
        hookStatus: 'FAILED',
        errorCode: 'NonCompliant',
        message: `TaskDefinition 'WritableRootTaskDefinition': 1 of 1 container can write to its root filesystem: 'alpine' (false). ${FIX}`,
      },
      DefaultTaskDefinition: {
        hookStatus: 'FAILED',
        errorCode: 'NonCompliant',
        message: `TaskDefinition 'DefaultTaskDefinition': 1 of 1 container can write to its root filesystem: 'alpine' (ReadonlyRootFilesystem missing). ${FIX}`,
      },
    });
  });

  it('CT.ECS.PR.6: passes its PASS template', async () => {
    expect((await verdicts('ct_ecs_pr_6_pass.yaml')).ECSTaskDefinition).toMatchObject({ hookStatus: 'SUCCESS' });
  });

  it('CT.ECS.PR.6: fails its FAIL template, naming both containers', async () => {
    expect((await verdicts('ct_ecs_pr_6_fail.yaml')).ECSTaskDefinition).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      message: `TaskDefinition 'ECSTaskDefinition': 2 of 2 containers can write to their root filesystem: 'SampleContainerA' (false), 'SampleContainerB' (false). ${FIX}`,
    });
  });

  it.each(['ct_ecs_pr_6_remediation_example.yaml', 'ct_ecs_pr_6_remediation_example.json'])(
    'CT.ECS.PR.6: passes the remediation example %s',
    async (file) => {
      const all = await verdicts(file);
      expect(Object.values(all).length).toBeGreaterThan(0);
      for (const v of Object.values(all)) expect(v.hookStatus).toBe('SUCCESS');
    },
  );
});
