// A file saved by another writer while fix judged it is left as that writer saved it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFix } from '../../src/cli/fix';
import { EMPTY_CONFIG } from '../../src/policy';

let during: (() => void) | undefined;
jest.mock('../../src/template', () => {
  const actual = jest.requireActual('../../src/template');
  return {
    ...actual,
    fixTemplate: (...args: unknown[]) => {
      during?.();
      return actual.fixTemplate(...args);
    },
  };
});

const TEMPLATE = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n';

describe('fix and another writer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cli-fix-race-'))));
  afterEach(() => {
    during = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (path: string) => {
    const out: string[] = [];
    const writes: string[] = [];
    const status = runFix([{ path }], { parameters: new Map(), config: EMPTY_CONFIG, strict: true, dryRun: false }, {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      writeFile: (p, text) => {
        writes.push(p);
        writeFileSync(p, text);
      },
    });
    return { status, out: out.join(''), writes };
  };

  it('leaves a file changed while it was being fixed as the other writer left it, and says so', () => {
    const path = join(dir, 't.yaml');
    writeFileSync(path, TEMPLATE);
    during = () => writeFileSync(path, `${TEMPLATE}# saved meanwhile\n`);
    const r = run(path);
    expect(r).toEqual({ status: 5, writes: [], out: expect.stringContaining(`ERROR ${path}: changed while it was being fixed; left as it was (run fix again)\n`) });
    expect(readFileSync(path, 'utf8')).toBe(`${TEMPLATE}# saved meanwhile\n`);
  });

  it('says so too when the file is gone meanwhile', () => {
    const path = join(dir, 't.yaml');
    writeFileSync(path, TEMPLATE);
    during = () => rmSync(path);
    expect(run(path)).toMatchObject({ status: 5, writes: [] });
  });

  it('writes a file nobody changed', () => {
    const path = join(dir, 't.yaml');
    writeFileSync(path, TEMPLATE);
    const r = run(path);
    expect([r.status, r.writes]).toEqual([0, [path]]);
    expect(readFileSync(path, 'utf8')).toContain('ReadonlyRootFilesystem: true');
  });
});
