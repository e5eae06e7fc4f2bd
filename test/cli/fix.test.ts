// `ecs-readonly-rootfs fix`: text edits at the parser's positions, only ReadonlyRootFilesystem lines
// change, a re-run changes nothing, and what is left alone is listed.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch, structuredPatch } from 'diff';
import { cli, TEMPLATES } from './support';

const FIX = join(TEMPLATES, 'fix');
let work: string;
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-fix-'));
  work = join(root, 'fix');
  cpSync(FIX, work, { recursive: true });
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const run = (args: string[]) => cli(args, { cwd: root });
const files = () => readdirSync(FIX).filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'hook-config.yaml');

/** Every line the fix removed or added, from a line diff of the two texts. */
function changedLines(before: string, after: string): string[] {
  return structuredPatch('a', 'b', before, after, undefined, undefined, { context: 0 }).hunks.flatMap((h) => h.lines.filter((l) => l.startsWith('+') || l.startsWith('-')));
}

describe('fix', () => {
  it('writes ReadonlyRootFilesystem: true and changes no other line, in YAML block and flow styles and in JSON', () => {
    const r = run(['fix', '-c', 'fix/hook-config.yaml', 'fix']);
    expect(r.stderr).toBe('');
    // Two containers are left: one set by Ref, one neither true nor false.
    expect(r.status).toBe(19);
    for (const f of files()) {
      const before = readFileSync(join(FIX, f), 'utf8');
      const after = readFileSync(join(work, f), 'utf8');
      const changed = changedLines(before, after);
      expect([f, changed.length > 0]).toEqual([f, true]);
      // Added lines hold ReadonlyRootFilesystem; a removed line does too, or is a one-line mapping the pair was added to.
      const added = changed.filter((l) => l.startsWith('+'));
      for (const line of added) expect([f, line]).toEqual([f, expect.stringContaining('ReadonlyRootFilesystem')]);
      const pair = /["']?ReadonlyRootFilesystem["']?: ?(true|"true"|'true')/;
      const without = added.flatMap((l) => [`,? ${pair.source}`, ` ${pair.source}`].map((p) => `-${l.slice(1).replace(new RegExp(p), '')}`));
      for (const line of changed.filter((l) => l.startsWith('-') && !l.includes('ReadonlyRootFilesystem'))) expect([f, without]).toEqual([f, expect.arrayContaining([line])]);
      // Comments, short tags and quoting stay as they were.
      for (const comment of before.split(/\r?\n/).filter((l) => l.trim().startsWith('#'))) expect(after).toContain(comment);
    }
    const yaml = readFileSync(join(work, 'styles.yaml'), 'utf8');
    expect(yaml).toContain("        - Name: missing   # the name\n          ReadonlyRootFilesystem: true\n          Image: nginx\n");
    expect(yaml).toContain('          ReadonlyRootFilesystem: "true"\n');
    expect(yaml).toContain('          ReadonlyRootFilesystem: true # was false\n');
    expect(yaml).toContain('        - {Name: one-line, Image: nginx, ReadonlyRootFilesystem: true}\n');
    expect(yaml).toContain("        - {Name: single-false, Image: nginx, ReadonlyRootFilesystem: 'true'}\n");
    expect(yaml).toContain('        - {\n            ReadonlyRootFilesystem: true,\n            Name: multi-line,\n');
    expect(yaml).toContain("          Image: !Sub '${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/app'\n");
    const json = readFileSync(join(work, 'styles.json'), 'utf8');
    expect(JSON.parse(json)).toBeTruthy();
    expect(json).toContain('          {\n            "ReadonlyRootFilesystem": true,\n            "Name": "missing",\n');
    expect(json).toContain('"ReadonlyRootFilesystem": "true"');
    // Line endings stay as they were.
    const crlf = readFileSync(join(work, 'crlf.yaml'), 'utf8');
    expect(crlf).toContain('        - Name: app\r\n          ReadonlyRootFilesystem: true\r\n');
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('lists what it leaves alone and hints at the volumes each fixed container needs', () => {
    const r = run(['fix', '-c', 'fix/hook-config.yaml', 'fix/styles.yaml']);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('LEFT '))).toEqual([
      "LEFT fix/styles.yaml:56:11: 'from-parameter' in LeftAlone: set by Ref: change the value it comes from",
      "LEFT fix/styles.yaml:59:11: 'odd' in LeftAlone: ReadonlyRootFilesystem is neither true nor false: set it by hand",
      "LEFT fix/styles.yaml:62:11: 'log_router' in LeftAlone: exempt by ExemptContainerNames pattern 'log_router'",
    ]);
    expect(lines.filter((l) => l.startsWith('FIXED ')).length).toBe(11);
    expect(lines).toContain("FIXED fix/styles.yaml:12:11: 'missing' in Block: ReadonlyRootFilesystem: true");
    expect(lines).toContain(
      'A read-only root filesystem makes every write outside a volume fail: mount a volume (Volumes + MountPoints) at each path each fixed container writes (docs/cli.md, "After fix"):',
    );
    expect(lines).toContain("  'missing' in Block: /var/cache/nginx, /var/run (its pid file), /tmp");
    expect(lines).toContain("  'boolean-false' in Block: /tmp and any directory it writes at run time");
    expect(lines[lines.length - 2]).toBe('11 containers fixed in 1 file; 2 left as they were');
    // The Windows task definition is never touched.
    expect(readFileSync(join(work, 'styles.yaml'), 'utf8')).toContain('        - Name: win\n          Image: mcr.microsoft.com/windows/servercore\n');
  });

  it('leaves validate passing for every container it fixed, and a second run changes nothing', () => {
    run(['fix', '-c', 'fix/hook-config.yaml', 'fix']);
    const report = JSON.parse(run(['validate', '-f', 'json', '-c', 'fix/hook-config.yaml', 'fix']).stdout);
    const failing = report.files.flatMap((f: { resources: { logicalId: string; containers: { name: string; status: string }[] }[] }) =>
      f.resources.flatMap((r) => r.containers.filter((c) => c.status === 'FAIL').map((c) => `${r.logicalId}/${c.name}`)),
    );
    expect(failing).toEqual(['LeftAlone/from-parameter', 'LeftAlone/odd']);
    const fixed = files().map((f) => readFileSync(join(work, f), 'utf8'));
    const again = run(['fix', '-c', 'fix/hook-config.yaml', 'fix']);
    expect(again.stdout.split('\n').filter((l) => l.startsWith('FIXED'))).toEqual([]);
    expect(again.stdout).toContain('0 containers fixed in 0 files; 2 left as they were\n');
    expect(files().map((f) => readFileSync(join(work, f), 'utf8'))).toEqual(fixed);
  });

  it('--dry-run prints a unified diff that applies to the files, and writes nothing', () => {
    const r = run(['fix', '--dry-run', '-c', 'fix/hook-config.yaml', 'fix/styles.yaml', 'fix/styles.json']);
    expect(r.status).toBe(19);
    for (const f of files()) expect(readFileSync(join(work, f), 'utf8')).toBe(readFileSync(join(FIX, f), 'utf8'));
    expect(r.stdout.startsWith('--- a/fix/styles.yaml\n+++ b/fix/styles.yaml\n@@ ')).toBe(true);
    expect(r.stderr).toContain("WOULD FIX fix/styles.yaml:12:11: 'missing' in Block: ReadonlyRootFilesystem: true\n");
    expect(r.stderr).toContain('15 containers would be fixed in 2 files; 2 left as they were\n');
    // Each file's part of the diff, applied to the original, gives what fix writes.
    const parts = r.stdout.split(/(?=^--- a\/)/m);
    run(['fix', '-c', 'fix/hook-config.yaml', 'fix/styles.yaml', 'fix/styles.json']);
    for (const [i, f] of ['styles.yaml', 'styles.json'].entries()) {
      expect(applyPatch(readFileSync(join(FIX, f), 'utf8'), parts[i]!)).toBe(readFileSync(join(work, f), 'utf8'));
    }
  });

  it('leaves a file that does not parse as it was, says so, and exits 5; skips what is not a template', () => {
    writeFileSync(join(work, 'broken.yaml'), 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n      Image: bad indent\n     oops: [\n');
    writeFileSync(join(work, 'k8s.yaml'), 'kind: Pod\n---\nkind: Service\n');
    const r = run(['fix', 'fix/broken.yaml', 'fix/k8s.yaml']);
    expect(r.status).toBe(5);
    expect(r.stdout.split('\n')).toEqual([
      'ERROR fix/broken.yaml:8:1: invalid YAML: All mapping items must start at the same column; left as it was',
      'SKIP fix/k8s.yaml: not a CloudFormation template',
      '0 containers fixed in 0 files; 0 left as they were; 1 file not fixed',
      '',
    ]);
  });

  it('fixes the containers of a suppressed task definition (the hook blocks it), unless --allow-suppressions', () => {
    const suppressed = join(TEMPLATES, 'valid', 'suppressed.yaml');
    cpSync(suppressed, join(work, 'suppressed.yaml'));
    expect(run(['fix', '--dry-run', 'fix/suppressed.yaml']).stderr).toContain("WOULD FIX fix/suppressed.yaml:11:11: 'legacy' in LegacyTask");
    const allowed = run(['fix', '--allow-suppressions', 'fix/suppressed.yaml']);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain("LEFT fix/suppressed.yaml:11:11: 'legacy' in LegacyTask: suppressed by Metadata guard SuppressedRules (--allow-suppressions)");
  });
});
