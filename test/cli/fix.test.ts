// `ecs-readonly-rootfs fix`: text edits at the parser's positions, only ReadonlyRootFilesystem lines
// change, a re-run changes nothing, and what is left alone is listed.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch, structuredPatch } from 'diff';
import { runFix } from '../../src/cli/fix';
import { EMPTY_CONFIG } from '../../src/policy';
import { LIMITS } from '../../src/template';
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

  it('--dry-run names files as patch -p1 and git apply read them from here: a space ends at a tab, an absolute path under here is made relative', () => {
    cpSync(join(work, 'styles.yaml'), join(work, 'a b.yaml'));
    execFileSync('git', ['init', '-q'], { cwd: root });
    const r = run(['fix', '--dry-run', 'fix/a b.yaml', join(work, 'styles.json')]);
    expect(r.stdout.split('\n').filter((l) => /^(---|\+\+\+) /.test(l))).toEqual(['--- a/fix/a b.yaml\t', '+++ b/fix/a b.yaml\t', '--- a/fix/styles.json', '+++ b/fix/styles.json']);
    const diff = join(root, 'changes.diff');
    writeFileSync(diff, r.stdout);
    expect(execFileSync('git', ['apply', '--check', '-v', diff], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    expect(execFileSync('patch', ['-p1', '--dry-run', '-i', diff], { cwd: root, encoding: 'utf8' })).toBe("checking file 'fix/a b.yaml'\nchecking file fix/styles.json\n");
    // A file outside the current directory keeps the path given; without a current directory, every path does.
    mkdirSync(join(root, 'elsewhere'));
    expect(cli(['fix', '--dry-run', join(work, 'styles.json')], { cwd: join(root, 'elsewhere') }).stdout).toContain(`--- a/${join(work, 'styles.json')}\n`);
    const out: string[] = [];
    runFix([{ path: join(work, 'styles.json') }], { parameters: new Map(), config: EMPTY_CONFIG, strict: true, dryRun: true }, { stdout: (t) => out.push(t), stderr: () => undefined, writeFile: () => undefined });
    expect(out.join('')).toContain(`--- a/${join(work, 'styles.json')}\n`);
  });

  it('--dry-run quotes a name with a tab, a quote or a backslash as git does, and names a link by the file it leads to', () => {
    for (const name of ['t\tab.yaml', 'q"uote.yaml', 'back\\slash.yaml']) cpSync(join(work, 'styles.yaml'), join(work, name));
    symlinkSync('styles.json', join(work, 'link.json'));
    execFileSync('git', ['init', '-q'], { cwd: root });
    const r = run(['fix', '--dry-run', 'fix/t\tab.yaml', 'fix/q"uote.yaml', 'fix/back\\slash.yaml', 'fix/link.json']);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('--- '))).toEqual(['--- "a/fix/t\\tab.yaml"', '--- "a/fix/q\\"uote.yaml"', '--- "a/fix/back\\\\slash.yaml"', '--- a/fix/styles.json']);
    const diff = join(root, 'quoted.diff');
    writeFileSync(diff, r.stdout);
    expect(execFileSync('git', ['apply', '--check', diff], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    expect(execFileSync('patch', ['-p1', '--dry-run', '-i', diff], { cwd: root, encoding: 'utf8' }).split('\n').filter((l) => l !== '')).toHaveLength(4);
  });

  it('--dry-run shows each line of a file whose lines end with a lone CR, which fix writes with CR', () => {
    const lines = ['Resources:', '  T:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:', '        - Name: app', '          Image: nginx', '        - Name: ok', '          ReadonlyRootFilesystem: true'];
    writeFileSync(join(work, 'cr.yaml'), `${lines.join('\r')}\r`);
    const r = run(['fix', '--dry-run', 'fix/cr.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        '--- a/fix/cr.yaml',
        '+++ b/fix/cr.yaml',
        '@@ -4,6 +4,7 @@',
        '     Properties:',
        '       ContainerDefinitions:',
        '         - Name: app',
        '+          ReadonlyRootFilesystem: true',
        '           Image: nginx',
        '         - Name: ok',
        '           ReadonlyRootFilesystem: true',
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(work, 'cr.yaml'), 'utf8')).toBe(`${lines.join('\r')}\r`);
    // CR LF lines are lines already: shown as they are.
    writeFileSync(join(work, 'crlf.yaml'), `${lines.join('\r\n')}\r\n`);
    expect(run(['fix', '--dry-run', 'fix/crlf.yaml']).stdout).toContain('@@ -4,6 +4,7 @@\n     Properties:\r\n       ContainerDefinitions:\r\n         - Name: app\r\n+          ReadonlyRootFilesystem: true\r\n           Image: nginx\r\n');
    expect(run(['fix', 'fix/cr.yaml']).status).toBe(0);
    expect(readFileSync(join(work, 'cr.yaml'), 'utf8')).toBe(`${[...lines.slice(0, 6), '          ReadonlyRootFilesystem: true', ...lines.slice(6)].join('\r')}\r`);
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

/** Writes a template into the work folder; returns its bytes, to compare with what is there afterwards. */
function put(name: string, content: string | Buffer): Buffer {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  writeFileSync(join(work, name), bytes);
  return bytes;
}
const bytesOf = (name: string): Buffer => readFileSync(join(work, name));

/** Runs fix twice: the second run prints and exits as the first, and changes no byte. */
function fixTwice(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const first = run(['fix', ...args]);
  const names = args.filter((a) => a.startsWith('fix/') && !a.endsWith('cfg.json'));
  const after = names.map((n) => readFileSync(join(root, n)));
  const second = run(['fix', ...args]);
  expect(second.stdout.split('\n').filter((l) => l.startsWith('FIXED'))).toEqual([]);
  expect(names.map((n) => readFileSync(join(root, n)))).toEqual(after);
  expect(second.status).toBe(first.status);
  return first;
}

const ANCHOR_PRIVILEGED = `Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx
          ReadonlyRootFilesystem: &off false
        - Name: tools
          Image: busybox
          ReadonlyRootFilesystem: true
          Privileged: *off
`;

const WINDOWS_ALIAS = `Resources:
  Linux:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - &agent
          Name: agent
          Image: datadog/agent
  Win:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2019_CORE}
      ContainerDefinitions:
        - *agent
`;

describe('fix: YAML anchors', () => {
  it('an edit inside a node an alias refers to is not made: the value, the container; listed as left naming the anchor; exit 19', () => {
    const a = put('anchor-privileged.yaml', ANCHOR_PRIVILEGED);
    const w = put('win-alias.yaml', WINDOWS_ALIAS);
    const r = fixTwice(['fix/anchor-privileged.yaml', 'fix/win-alias.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        "LEFT fix/anchor-privileged.yaml:6:11: 'app' in T: shared through the YAML anchor &off: fix it by hand",
        "LEFT fix/win-alias.yaml:7:11: 'agent' in Linux: shared through the YAML anchor &agent: fix it by hand",
        '0 containers fixed in 0 files; 2 left as they were',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(19);
    expect(bytesOf('anchor-privileged.yaml')).toEqual(a);
    expect(bytesOf('win-alias.yaml')).toEqual(w);
  });

  it('an anchor nobody aliases is harmless; an alias as the value is left, and the anchor it names too', () => {
    const text = `Metadata:
  no: &f false
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - &lone
          Name: app
          ReadonlyRootFilesystem: &lonely false
        - Name: alias
          ReadonlyRootFilesystem: *f
`;
    put('anchors.yaml', text);
    const r = fixTwice(['fix/anchors.yaml']);
    expect(r.stdout.split('\n')).toEqual([
      "LEFT fix/anchors.yaml:11:11: 'alias' in T: set through the YAML alias *f: fix it by hand",
      "FIXED fix/anchors.yaml:9:11: 'app' in T: ReadonlyRootFilesystem: true",
      expect.stringMatching(/^A read-only root filesystem/),
      "  'app' in T: /tmp and any directory it writes at run time",
      '1 container fixed in 1 file; 1 left as it was',
      '',
    ]);
    expect(r.status).toBe(19);
    expect(bytesOf('anchors.yaml').toString('utf8')).toBe(text.replace('&lonely false', '&lonely true'));
  });
});

describe('fix: read and decoded as validate reads them', () => {
  const head = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n';

  it('not UTF-8, or binary: the same error as validate, exit 5, the bytes untouched', () => {
    const latin1 = put('latin1.yaml', Buffer.concat([Buffer.from(`${head}        - Name: app # caf`), Buffer.from([0xe9]), Buffer.from('\n          Image: x\n')]));
    const nul = put('nul.yaml', Buffer.from(`${head}        - Name: app # \u0000\n          Image: x\n`));
    const r = run(['fix', 'fix/latin1.yaml', 'fix/nul.yaml']);
    expect(r.stdout).toBe(
      [
        'ERROR fix/latin1.yaml: not valid UTF-8 text (invalid byte at offset 120); left as it was',
        'ERROR fix/nul.yaml: binary file (NUL byte at offset 117), not a template; left as it was',
        '0 containers fixed in 0 files; 0 left as they were; 2 files not fixed',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(5);
    expect(bytesOf('latin1.yaml')).toEqual(latin1);
    expect(bytesOf('nul.yaml')).toEqual(nul);
    const v = run(['validate', 'fix/latin1.yaml', 'fix/nul.yaml']);
    expect(v.status).toBe(5);
    expect(v.stdout).toContain('ERROR fix/latin1.yaml: not valid UTF-8 text (invalid byte at offset 120)\n');
    expect(v.stdout).toContain('ERROR fix/nul.yaml: binary file (NUL byte at offset 117), not a template\n');
  });

  it('a byte order mark, CRLF and characters beyond ASCII: the only bytes that change are those inserted', () => {
    const before = Buffer.from(`\ufeff${head}        - Name: café # naïve ☕ 𝄞\n          Image: x\n`.replace(/\n/g, '\r\n'));
    put('bom.yaml', before);
    const r = fixTwice(['fix/bom.yaml']);
    expect(r.status).toBe(0);
    const inserted = Buffer.from('          ReadonlyRootFilesystem: true\r\n');
    const at = before.indexOf('          Image');
    expect(bytesOf('bom.yaml')).toEqual(Buffer.concat([before.subarray(0, at), inserted, before.subarray(at)]));
  });
});

describe('fix: every container validate still fails is listed, and the exit code is validate\'s', () => {
  it('a container entry set by an intrinsic function, and a list set by Ref: listed with the reason, exit 19', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Defs:
    Type: String
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - !Select [0, [{Name: app, Image: x}]]
  T2:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: !Ref Defs
`;
    const bytes = put('entry.yaml', text);
    const r = fixTwice(['fix/entry.yaml']);
    expect(r.stdout).toBe(
      [
        "LEFT fix/entry.yaml:10:19: 'app' in T: the container is set by Fn::Select: change the value it comes from",
        "LEFT fix/entry.yaml:11:3: T2: containers unknown before deployment (parameter 'Defs' has no value: pass --parameter Defs=VALUE or a parameter file): fix it by hand",
        '0 containers fixed in 0 files; 2 left as they were',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(19);
    expect(run(['validate', 'fix/entry.yaml']).status).toBe(19);
    expect(bytesOf('entry.yaml')).toEqual(bytes);
  });

  const FOREACH = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Tasks:
    - Svc
    - [log_router, app]
    - Task\${Svc}:
        Type: AWS::ECS::TaskDefinition
        Properties:
          ContainerDefinitions:
            - Name: !Ref Svc
              Image: nginx
`;

  it('Fn::ForEach: each copy is judged; one text shared by an exempt copy and a failing one is left, exit 19', () => {
    const bytes = put('foreach.yaml', FOREACH);
    put('cfg.json', '{"ExemptContainerNames": ["log_router"]}\n');
    const r = fixTwice(['-c', 'fix/cfg.json', 'fix/foreach.yaml']);
    expect(r.stdout).toBe(
      [
        "LEFT fix/foreach.yaml:11:15: 'log_router' in Tasklog_router: exempt by ExemptContainerNames pattern 'log_router'",
        "LEFT fix/foreach.yaml:11:15: 'app' in Taskapp: written once for several Fn::ForEach copies, not all of them to be fixed (exempt or Windows): fix it by hand",
        '0 containers fixed in 0 files; 1 left as it was',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(19);
    expect(run(['validate', '-c', 'fix/cfg.json', 'fix/foreach.yaml']).status).toBe(19);
    expect(bytesOf('foreach.yaml')).toEqual(bytes);
  });

  it('Fn::ForEach without exemptions: the one edit fixes every copy, each listed; validate then passes, exit 0', () => {
    put('foreach.yaml', FOREACH);
    const r = fixTwice(['fix/foreach.yaml']);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith(' ') && !l.startsWith('A read-only'))).toEqual([
      "FIXED fix/foreach.yaml:11:15: 'log_router' in Tasklog_router: ReadonlyRootFilesystem: true",
      "FIXED fix/foreach.yaml:11:15: 'app' in Taskapp: ReadonlyRootFilesystem: true",
      '2 containers fixed in 1 file; 0 left as they were',
      '',
    ]);
    expect(r.status).toBe(0);
    expect(bytesOf('foreach.yaml').toString('utf8')).toBe(FOREACH.replace('              Image: nginx\n', '              ReadonlyRootFilesystem: true\n              Image: nginx\n'));
    expect(run(['validate', 'fix/foreach.yaml']).status).toBe(0);
  });

  it('a value set by a parameter that reads true is not listed, and does not fail the run', () => {
    const text = `Parameters:\n  Ro: {Type: String, Default: 'true'}\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          ReadonlyRootFilesystem: !Ref Ro\n`;
    const bytes = put('param.yaml', text);
    const r = run(['fix', 'fix/param.yaml']);
    expect(r.stdout).toBe('0 containers fixed in 0 files; 0 left as they were\n');
    expect(r.status).toBe(0);
    const given = run(['fix', '-p', 'Ro=false', 'fix/param.yaml']);
    expect(given.stdout).toBe("LEFT fix/param.yaml:8:11: 'a' in T: set by Ref: change the value it comes from\n0 containers fixed in 0 files; 1 left as it was\n");
    expect(given.status).toBe(19);
    expect(bytesOf('param.yaml')).toEqual(bytes);
  });
});

describe('fix: a container that cannot be edited safely is left, naming it; the others are fixed', () => {
  it('layouts of every kind beside an alias and a key without a colon; an empty JSON object', () => {
    const layouts = `Metadata:
  no: &f false
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        -   Name: spaced
            Image: x
        - Name:
            multi
          Image: y
        - {
            Name: flowml,
            Image: x
          }
        - Name: alias
          Image: x
          ReadonlyRootFilesystem: *f
        - Name: nul
          ReadonlyRootFilesystem: null
          Image: x
        - {Name: empty, ReadonlyRootFilesystem: }
        - {Name: nocolon, ReadonlyRootFilesystem}
        - ? Name
          : complex
          Image: z
        - Image: last
          Name: >-
            folded
`;
    const oneliner =
      '{"Resources":{"T":{"Type":"AWS::ECS::TaskDefinition","Properties":{"ContainerDefinitions":[{"Name":"a","Image":"x"},{"Name":"b","Image":"x","ReadonlyRootFilesystem":false},{"Name":"c","Image":"x","ReadonlyRootFilesystem":"False"},{}]}}}}\n';
    put('layouts.yaml', layouts);
    put('oneliner.json', oneliner);
    const r = fixTwice(['fix/layouts.yaml', 'fix/oneliner.json']);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith(' ') && !l.startsWith('A read-only'))).toEqual([
      "LEFT fix/layouts.yaml:17:11: 'alias' in T: set through the YAML alias *f: fix it by hand",
      "LEFT fix/layouts.yaml:24:11: 'nocolon' in T: its ReadonlyRootFilesystem could not be located",
      "FIXED fix/layouts.yaml:8:13: 'spaced' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/layouts.yaml:10:11: 'multi' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/layouts.yaml:13:11: 'flowml' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/layouts.yaml:20:11: 'nul' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/layouts.yaml:23:11: 'empty' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/layouts.yaml:25:11: 'complex' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/layouts.yaml:28:11: 'folded' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/oneliner.json:1:92: 'a' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/oneliner.json:1:117: 'b' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/oneliner.json:1:173: 'c' in T: ReadonlyRootFilesystem: true",
      "FIXED fix/oneliner.json:1:231: 'ContainerDefinitions[3]' in T: ReadonlyRootFilesystem: true",
      '11 containers fixed in 2 files; 2 left as they were',
      '',
    ]);
    expect(r.status).toBe(19);
    expect(bytesOf('layouts.yaml').toString('utf8')).toBe(
      layouts
        .replace('        -   Name: spaced\n', '        -   Name: spaced\n            ReadonlyRootFilesystem: true\n')
        .replace('          Image: y\n', '          Image: y\n          ReadonlyRootFilesystem: true\n')
        .replace('        - {\n', '        - {\n            ReadonlyRootFilesystem: true,\n')
        .replace('ReadonlyRootFilesystem: null', 'ReadonlyRootFilesystem: true')
        .replace('{Name: empty, ReadonlyRootFilesystem: }', '{Name: empty, ReadonlyRootFilesystem: true }')
        .replace('          Image: z\n', '          Image: z\n          ReadonlyRootFilesystem: true\n')
        .replace('        - Image: last\n', '        - Image: last\n          ReadonlyRootFilesystem: true\n'),
    );
    expect(bytesOf('oneliner.json').toString('utf8')).toBe(
      '{"Resources":{"T":{"Type":"AWS::ECS::TaskDefinition","Properties":{"ContainerDefinitions":[{"Name":"a","Image":"x","ReadonlyRootFilesystem":true},{"Name":"b","Image":"x","ReadonlyRootFilesystem":true},{"Name":"c","Image":"x","ReadonlyRootFilesystem":"true"},{"ReadonlyRootFilesystem": true}]}}}}\n',
    );
    expect(run(['validate', 'fix/layouts.yaml', 'fix/oneliner.json']).status).toBe(19);
  });

  it('an edit the re-check refuses leaves its container, naming it, and the others are fixed', () => {
    const text = `${'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n'}        - Name: a\n          ReadonlyRootFilesystem: |-\n            false\n          Image: b\n        - Name: c\n`;
    put('block.yaml', text);
    const r = fixTwice(['fix/block.yaml']);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith(' ') && !l.startsWith('A read-only'))).toEqual([
      "LEFT fix/block.yaml:6:11: 'a' in T: its edit did not pass the re-check (the file would not parse: invalid YAML: Nested mappings are not allowed in compact mappings): fix it by hand",
      "FIXED fix/block.yaml:10:11: 'c' in T: ReadonlyRootFilesystem: true",
      '1 container fixed in 1 file; 1 left as it was',
      '',
    ]);
    expect(r.status).toBe(19);
    expect(bytesOf('block.yaml').toString('utf8')).toBe(`${text}          ReadonlyRootFilesystem: true\n`);
  });
});

/**
 * The environment of a run whose writes to files named `name` are refused. Tests may run as root,
 * whom file modes do not stop: the write itself is refused, by a module loaded before the CLI.
 */
function denyingWritesTo(name: string): Record<string, string> {
  const deny = join(root, 'deny-write.js');
  writeFileSync(
    deny,
    `const fs = require('node:fs');\nconst write = fs.writeFileSync;\nfs.writeFileSync = (path, ...rest) => {\n  if (String(path).endsWith(${JSON.stringify(name)})) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });\n  return write(path, ...rest);\n};\n`,
  );
  return { NODE_OPTIONS: `--require ${deny}` };
}

describe('fix: writing', () => {
  it('a file that cannot be written is not counted as fixed, and the run exits 5', () => {
    const text = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n        - Name: b\n';
    const bytes = put('locked.yaml', text);
    put('open.yaml', text);
    const r = cli(['fix', 'fix/locked.yaml', 'fix/open.yaml'], { cwd: root, env: denyingWritesTo('locked.yaml') });
    expect(r.stdout).toBe(
      [
        'ERROR fix/locked.yaml: cannot write the file; left as it was',
        "FIXED fix/open.yaml:6:11: 'a' in T: ReadonlyRootFilesystem: true",
        "FIXED fix/open.yaml:7:11: 'b' in T: ReadonlyRootFilesystem: true",
        'A read-only root filesystem makes every write outside a volume fail: mount a volume (Volumes + MountPoints) at each path each fixed container writes (docs/cli.md, "After fix"):',
        "  'a' in T: /tmp and any directory it writes at run time",
        "  'b' in T: /tmp and any directory it writes at run time",
        '2 containers fixed in 1 file; 0 left as they were; 1 file not fixed',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(5);
    expect(bytesOf('locked.yaml')).toEqual(bytes);
    expect(bytesOf('open.yaml').toString('utf8')).toBe(text.replace(/( +)- Name: (a|b)\n/g, '$1- Name: $2\n$1  ReadonlyRootFilesystem: true\n'));
  });

  it('writes no file it has nothing to fix in', () => {
    put('locked.yaml', 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          ReadonlyRootFilesystem: true\n');
    const r = cli(['fix', 'fix/locked.yaml'], { cwd: root, env: denyingWritesTo('locked.yaml') });
    expect([r.stdout, r.stderr, r.status]).toEqual(['0 containers fixed in 0 files; 0 left as they were\n', '', 0]);
  });

  it('-f and -o are not options of fix: a usage error, exit 2, nothing written', () => {
    const text = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n';
    const bytes = put('usage.yaml', text);
    const r = run(['fix', '-f', 'json', '-o', 'out.json', 'fix/usage.yaml']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "ecs-readonly-rootfs: fix does not take --format or --output: it edits the files and lists what it did as text (with --dry-run, the diff on standard output)\nTry 'ecs-readonly-rootfs --help'.\n",
    );
    expect(r.status).toBe(2);
    expect(run(['fix', '--dry-run', '--format', 'text', 'fix/usage.yaml']).stderr).toContain('fix does not take --format:');
    expect(run(['fix', '-o', 'out.json', 'fix/usage.yaml']).stderr).toContain('fix does not take --output:');
    expect(readdirSync(root)).not.toContain('out.json');
    expect(bytesOf('usage.yaml')).toEqual(bytes);
  });
});

describe('fix: what cannot be read, and what is not a template', () => {
  it('gives the line and column where a file stops being JSON or YAML', () => {
    put('bad.json', '{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "a",}]}}}}\n');
    const r = run(['fix', 'fix/bad.json']);
    expect(r.stdout.split('\n')[0]).toBe('ERROR fix/bad.json:1:111: invalid JSON: expected a property name in double quotes; left as it was');
    expect(r.status).toBe(5);
  });

  it('lists each file it cannot read with the reason, fixes the others, and exits 5', () => {
    const text = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n';
    put('ok.yaml', text);
    put('big.yaml', '');
    truncateSync(join(work, 'big.yaml'), LIMITS.maxBytes + 1);
    const r = run(['fix', 'fix/missing.yaml', 'fix/big.yaml', 'fix/ok.yaml']);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith(' ') && !l.startsWith('A read-only'))).toEqual([
      'ERROR fix/missing.yaml: cannot read: no such file or directory',
      `ERROR fix/big.yaml: file is ${LIMITS.maxBytes + 1} bytes, over the ${LIMITS.maxBytes}-byte limit`,
      "FIXED fix/ok.yaml:6:11: 'a' in T: ReadonlyRootFilesystem: true",
      '1 container fixed in 1 file; 0 left as they were; 2 files not fixed',
      '',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(5);
    // Nothing could be read, so nothing says there was no template: no warning.
    const missing = run(['fix', 'fix/missing.yaml']);
    expect([missing.stdout, missing.stderr, missing.status]).toEqual(['ERROR fix/missing.yaml: cannot read: no such file or directory\n0 containers fixed in 0 files; 0 left as they were; 1 file not fixed\n', '', 5]);
  });

  it('names a file given that is not a template, or has no task definition; warns when no template was found', () => {
    put('k8s.yaml', 'kind: Pod\n---\nkind: Service\n');
    put('bucket.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    const named = run(['fix', 'fix/k8s.yaml', 'fix/bucket.yaml']);
    expect(named.stdout).toBe('SKIP fix/k8s.yaml: not a CloudFormation template\nSKIP fix/bucket.yaml: no ECS task definitions\n0 containers fixed in 0 files; 0 left as they were\n');
    expect(named.stderr).toBe('');
    expect(named.status).toBe(0);
    const alone = run(['fix', 'fix/k8s.yaml']);
    expect(alone.stderr).toBe('ecs-readonly-rootfs: warning: no CloudFormation template found under the paths given\n');
    expect(alone.status).toBe(0);
    // Found by walking, neither is named.
    rmSync(work, { recursive: true });
    mkdirSync(work);
    put('k8s.yaml', 'kind: Pod\n---\nkind: Service\n');
    put('bucket.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    const walked = run(['fix', 'fix']);
    expect([walked.stdout, walked.stderr, walked.status]).toEqual(['0 containers fixed in 0 files; 0 left as they were\n', '', 0]);
  });
});

describe('fix: an input listed with an error', () => {
  it('is reported with the listing error and never read or written', () => {
    // The listing can fail where a read would not (a directory it could not enter); the file here reads well.
    const path = join(TEMPLATES, 'valid', 'noncompliant.json');
    let out = '';
    const writes: string[] = [];
    const status = runFix([{ path, error: 'cannot read: permission denied' }], { parameters: new Map(), config: EMPTY_CONFIG, strict: true, dryRun: false }, {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      writeFile: (p) => void writes.push(p),
    });
    expect([status, out, writes]).toEqual([5, `ERROR ${path}: cannot read: permission denied\n0 containers fixed in 0 files; 0 left as they were; 1 file not fixed\n`, []]);
  });
});
