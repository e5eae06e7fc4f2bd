/**
 * `ecs-readonly-rootfs fix` (the built dist/cli.js) over every template of ../shared/corpus and
 * ../shared/peer and the project's template fixtures (fix/, valid/, the repository's infra/): afterwards validate passes every container that had
 * a literal value; a line diff shows only inserted or changed ReadonlyRootFilesystem lines; comments
 * survive; cfn-lint finds nothing new; a second run changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { structuredPatch } from 'diff';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sharedDir } = require('./shared-dir.js') as { sharedDir: () => string };

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'templates');
const sources = [join(sharedDir(), 'corpus'), join(sharedDir(), 'peer'), join(FIXTURES, 'fix'), join(FIXTURES, 'valid'), join(FIXTURES, 'repo', 'infra')];
let work: string;
const originals = new Map<string, string>();

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** cfn-lint's findings per file, as "rule line" strings (positions shift by the inserted lines). */
function lint(files: string[]): Map<string, string[]> {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`cfn-lint could not be run (${run.error.message}); install it with: pip install cfn-lint`);
  const out = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const m of JSON.parse(run.stdout || '[]') as { Rule: { Id: string }; Filename: string; Message: string }[]) {
    out.get(m.Filename)?.push(`${m.Rule.Id} ${m.Message.replace(/\d+/g, 'N')}`);
  }
  return out;
}

let templates: string[];
let lintBefore: Map<string, string[]>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cli-fix-corpus-'));
  mkdirSync(join(work, 't'));
  for (const dir of sources) {
    for (const f of readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n) && n !== 'hook-config.yaml')) {
      const name = `${dir.split('/').slice(-2).join('_')}__${f}`;
      copyFileSync(join(dir, f), join(work, 't', name));
      originals.set(name, readFileSync(join(dir, f), 'utf8'));
    }
  }
  templates = [...originals.keys()].filter((n) => /AWSTemplateFormatVersion|^Resources:/m.test(originals.get(n)!)).map((n) => join('t', n));
  lintBefore = lint(templates);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fix over the corpus', () => {
  it('fixes every container with a literal value, and validate then fails only what fix left', () => {
    const r = node(['fix', 't']);
    expect(r.stderr).toBe('');
    expect([0, 19]).toContain(r.status);
    const left = r.stdout.split('\n').filter((l) => l.startsWith('LEFT ')).length;
    expect(r.stdout).toMatch(new RegExp(`^\\d+ containers fixed in \\d+ files; ${left} left as they were$`, 'm'));
    const report = JSON.parse(node(['validate', '-f', 'json', 't']).stdout);
    const failing = report.files.flatMap((f: { path: string; resources: { logicalId: string; containers: { name: string; line: number; status: string }[] }[] }) =>
      f.resources.flatMap((res) => res.containers.filter((c) => c.status === 'FAIL').map((c) => `${f.path}:${c.line}`)),
    );
    // Only what fix listed as left alone can still fail.
    expect(failing.length).toBeLessThanOrEqual(left);
    expect(report.summary.error).toBe(0);
  });

  it('changes only ReadonlyRootFilesystem lines, keeps every comment, and cfn-lint finds nothing new', () => {
    node(['fix', 't']);
    let changedFiles = 0;
    for (const [name, before] of originals) {
      const after = readFileSync(join(work, 't', name), 'utf8');
      if (after === before) continue;
      changedFiles++;
      const lines = structuredPatch('a', 'b', before, after, undefined, undefined, { context: 0 }).hunks.flatMap((h) => h.lines);
      const added = lines.filter((l) => l.startsWith('+'));
      for (const l of added) expect([name, l]).toEqual([name, expect.stringContaining('ReadonlyRootFilesystem')]);
      const pair = /["']?ReadonlyRootFilesystem["']?: ?(true|"true"|'true')/.source;
      const stripped = added.flatMap((l) => [`,? ${pair}`, ` ${pair}`].map((p) => `-${l.slice(1).replace(new RegExp(p), '')}`));
      for (const l of lines.filter((x) => x.startsWith('-') && !x.includes('ReadonlyRootFilesystem'))) expect([name, stripped]).toEqual([name, expect.arrayContaining([l])]);
      for (const comment of before.split(/\r?\n/).filter((l) => /^\s*#/.test(l))) expect([name, after.includes(comment)]).toEqual([name, true]);
    }
    expect(changedFiles).toBeGreaterThan(20);
    // cfn-lint's findings were read (real templates have some), so "nothing new" means something.
    expect([...lintBefore.values()].some((v) => v.length > 0)).toBe(true);
    const lintAfter = lint(templates);
    for (const f of templates) {
      const added = lintAfter.get(f)!.filter((m) => !lintBefore.get(f)!.includes(m));
      expect([f, added]).toEqual([f, []]);
    }
  }, 120_000);

  it('changes nothing the second time', () => {
    node(['fix', 't']);
    const once = new Map([...originals.keys()].map((n) => [n, readFileSync(join(work, 't', n), 'utf8')]));
    const again = node(['fix', 't']);
    expect(again.stdout).toMatch(/^0 containers fixed in 0 files; \d+ left as they were$/m);
    for (const [n, text] of once) expect([n, readFileSync(join(work, 't', n), 'utf8') === text]).toEqual([n, true]);
  });
});
