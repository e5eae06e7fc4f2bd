import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { version } from '../../package.json';
import { LIMITS } from '../../src/template';
import { CLI, cli, ROOT, TEMPLATES } from './support';

describe('ecs-readonly-rootfs (built dist/cli.js)', () => {
  it('prints its version and help', () => {
    expect(cli(['--version'])).toEqual({ status: 0, stdout: `ecs-readonly-rootfs ${version}\n`, stderr: '' });
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ecs-readonly-rootfs validate \[options\] PATH\.\.\.\n {7}ecs-readonly-rootfs fix \[--dry-run\] \[options\] PATH\.\.\./);
    expect(help.stdout).toContain('Exit codes: 0 all compliant, 19 any non-compliant, 5 any file unreadable or unparsable, 2 usage error.');
  });

  it('reports the examples as a developer sees them, exit 19', () => {
    const r = cli(['validate', join(ROOT, 'examples', 'noncompliant.yml')]);
    expect(r.status).toBe(19);
    const path = join(ROOT, 'examples', 'noncompliant.yml');
    expect(r.stdout).toBe(
      [
        `FAIL ${path}`,
        `  ${path}:6:3: WebTask (AWS::ECS::TaskDefinition) FAIL: 2 of 3 containers can write to their root filesystem`,
        `    ${path}:13:11: FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing`,
        `    ${path}:19:11: FAIL 'sidecar': can write to its root filesystem: false`,
        `    ${path}:23:11: 'proxy': read-only root filesystem`,
        `  ${path}:24:3: LegacyTask (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem`,
        `    ${path}:31:11: FAIL 'alpine': can write to its root filesystem: ReadonlyRootFilesystem missing`,
        '  fix: Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.',
        '1 file: 0 PASS, 1 FAIL, 0 SKIP, 0 ERROR; 2 task definitions, 2 non-compliant; containers: 3 failing, 1 passing, 0 exempt, 0 suppressed',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
  });

  it('exits 0 when all is compliant and SKIPs files without task definitions', () => {
    const r = cli(['validate', 'valid/compliant.json', 'valid/no-tasks.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'PASS valid/compliant.json',
      '  valid/compliant.json:4:5: JsonTask (AWS::ECS::TaskDefinition) PASS: 2 containers checked, all read-only',
      'SKIP valid/no-tasks.yaml: no ECS task definitions',
      '2 files: 1 PASS, 0 FAIL, 1 SKIP, 0 ERROR; 1 task definition, 0 non-compliant; containers: 0 failing, 2 passing, 0 exempt, 0 suppressed',
      '',
    ]);
  });

  it('gives bad input a per-file ERROR, still judges the others, and exits 5 (5 wins over 19)', () => {
    const r = cli(['validate', 'bad', 'valid/sam.yaml', 'missing.yaml']);
    expect(r.status).toBe(5);
    expect(r.stdout.split('\n').filter((l) => /^(ERROR|FAIL|PASS|SKIP) /.test(l))).toEqual([
      'ERROR bad/alias-bomb.yaml:5:29: more than 10000 aliases',
      'ERROR bad/binary.yaml: binary file (NUL byte at offset 8), not a template',
      'ERROR bad/deep.yaml:2:105: nesting deeper than 100 levels',
      'ERROR bad/invalid.json:5:5: invalid JSON: expected a property name in double quotes',
      'ERROR bad/invalid.yaml:8:1: invalid YAML: All mapping items must start at the same column',
      'ERROR bad/latin1.yaml: not valid UTF-8 text (invalid byte at offset 71)',
      'FAIL valid/sam.yaml',
      'ERROR missing.yaml: cannot read: no such file or directory',
    ]);
  });

  it('recurses into directories for *.yaml, *.yml, *.json and *.template', () => {
    const r = cli(['validate', '-f', 'json', 'valid']);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual([
      'valid/all-tags.yaml',
      'valid/compliant.json',
      'valid/foreach.yaml',
      'valid/intrinsics.yaml',
      'valid/no-tasks.yaml',
      'valid/noncompliant.json',
      'valid/sam.yaml',
      'valid/secrets.yaml',
      'valid/shapes.yaml',
      'valid/sidecars.yaml',
      'valid/suppressed.yaml',
    ]);
    expect(r.status).toBe(19);
  });

  it('reads standard input for -', () => {
    const r = cli(['validate', '-'], { input: readFileSync(join(ROOT, 'examples', 'compliant.yml')) });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('PASS <stdin>');
  });

  it.each([
    [[], 'missing command: validate or fix'],
    [['fix', '-'], 'fix edits files in place: standard input (-) cannot be fixed'],
    [['validate', '--dry-run', 'x'], '--dry-run is an option of fix'],
    [['validate', '--strict', '--allow-suppressions', 'x'], '--allow-suppressions and --strict contradict each other'],
    [['check', 'x.yaml'], "unknown command 'check'"],
    [['validate'], 'no PATH given (use - for standard input)'],
    [['validate', '-', 'x', '-'], 'standard input (-) is given more than once'],
    [['validate', '--stdin-filename', 'a.yaml', 'x'], '--stdin-filename names standard input: give it with validate and -'],
    [['fix', '--stdin-filename', 'a.yaml', 'x'], '--stdin-filename names standard input: give it with validate and -'],
    [['fix', '--stdin-filename', 'a.yaml', '-'], '--stdin-filename names standard input: give it with validate and -'],
    [['validate', '--stdin-filename', '', '-'], "--stdin-filename needs a file's name"],
    [['validate', '--stdin-filename', '-', '-'], "--stdin-filename needs a file's name"],
    [['validate', '-f', 'xml', 'x'], "unknown format 'xml'; use text, json, sarif, junit"],
    [['validate', '--bogus', 'x'], "invalid arguments: Unknown option '--bogus'"],
    [['validate', '-p', 'no-equals', 'x'], '--parameter is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)'],
    [['validate', '-p', 'A=1', '-p', 'MyToken:SECRET-CANARY-123', 'x'], '--parameter #2 is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)'],
    [['validate', '-c', 'params/config-bad.json', 'x'], 'params/config-bad.json: ExemptContainerNames must be a list of glob patterns, got a string.'],
    [['validate', '-c', 'params/none.json', 'x'], 'cannot read configuration file params/none.json: no such file or directory'],
    [['validate', '--parameters-file', 'params/config-bad.json', 'x'], 'params/config-bad.json: parameter file must be a list or an object with Parameters'],
    // Named by line, never quoted: the text may hold a value.
    [['validate', '-c', 'params/config-tag.yaml', 'x'], 'params/config-tag.yaml: The configuration file has a tag (such as !Sub or !Ref), which a configuration cannot resolve, at line 3.'],
    [['validate', '--parameters-file', 'params/values-yaml-style.txt', 'x'], 'params/values-yaml-style.txt: parameter file: line 2 is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)'],
    [['validate', '--parameters-file', 'params/none.json', 'x'], 'cannot read parameter file params/none.json: no such file or directory'],
    [['fix'], 'no PATH given'],
    // What the user typed is echoed only in part.
    [['c'.repeat(100), 'x'], `unknown command '${'c'.repeat(64)}'`],
    [['validate', '-f', 'f'.repeat(100), 'x'], `unknown format '${'f'.repeat(32)}'; use text, json, sarif, junit`],
    [['validate', `--${'o'.repeat(300)}`, 'x'], `invalid arguments: ${`Unknown option '--${'o'.repeat(300)}'`.slice(0, 200)}`],
    [['validate', '-c', 'params', 'x'], 'cannot read configuration file params: is a directory'],
  ])('exits 2 on usage errors: %j', (args, message) => {
    expect(cli(args)).toEqual({ status: 2, stdout: '', stderr: `ecs-readonly-rootfs: ${message}\nTry 'ecs-readonly-rootfs --help'.\n` });
  });

  it('resolves parameters from --parameter and parameter files of both forms', () => {
    expect(cli(['validate', '-f', 'json', 'valid/intrinsics.yaml']).stdout).toContain('"reason": "unresolved"');
    const status = (args: string[]): string =>
      JSON.parse(cli(['validate', '-f', 'json', ...args, 'valid/intrinsics.yaml']).stdout).files[0].resources.find(
        (r: { logicalId: string }) => r.logicalId === 'FromParameter',
      ).status;
    expect(status(['--parameter', 'ReadOnly=true'])).toBe('PASS');
    expect(status(['--parameters-file', 'params/create-stack.json'])).toBe('PASS');
    expect(status(['--parameters-file', 'params/deploy.txt'])).toBe('FAIL');
    expect(status(['--parameters-file', 'params/deploy.txt', '-p', 'ReadOnly=true'])).toBe('PASS');
  });

  it('applies the type configuration as the hook does', () => {
    expect(cli(['validate', 'valid/sidecars.yaml']).status).toBe(19);
    const r = cli(['validate', '--config', 'params/config.json', 'valid/sidecars.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("valid/sidecars.yaml:10:11: EXEMPT 'log_router': exempt by ExemptContainerNames pattern 'log_router'");
  });

  it("gives the hook's verdict on Metadata guard SuppressedRules by default, and honours them only with --allow-suppressions", () => {
    const hook = cli(['validate', 'valid/suppressed.yaml']);
    expect(hook.status).toBe(19);
    expect(hook.stdout.split('\n').slice(0, 5)).toEqual([
      'FAIL valid/suppressed.yaml',
      '  valid/suppressed.yaml:3:3: LegacyTask (AWS::ECS::TaskDefinition) FAIL: 1 of 2 containers can write to their root filesystem',
      "    valid/suppressed.yaml:11:11: FAIL 'legacy': can write to its root filesystem: ReadonlyRootFilesystem missing",
      "    valid/suppressed.yaml:15:11: 'good': read-only root filesystem",
      "    note: Metadata guard SuppressedRules is not honoured at deploy time: the hook never sees template Metadata and blocks this task definition; exempt the container in the hook's type configuration (ExemptContainerNames or ExemptImages, --config here) instead",
    ]);
    expect(cli(['validate', '--strict', 'valid/suppressed.yaml'])).toEqual(hook);
    const allowed = cli(['validate', '--allow-suppressions', 'valid/suppressed.yaml']);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain("valid/suppressed.yaml:11:11: SUPPRESSED 'legacy': suppressed by Metadata guard SuppressedRules (ReadonlyRootFilesystem missing)");
    expect(allowed.stdout).toContain(
      '    note: suppressed here only (--allow-suppressions): the deployed hook never sees template Metadata and will still block this task definition',
    );
  });

  it('names the condition of a failing Fn::If branch and the parameter to pass', () => {
    const r = cli(['validate', 'valid/intrinsics.yaml']);
    expect(r.stdout).toContain("valid/intrinsics.yaml:22:11: FAIL 'app': can write to its root filesystem: false when condition Strict is false");
    expect(r.stdout).toContain(
      "valid/intrinsics.yaml:65:11: FAIL 'app': can write to its root filesystem: value unknown before deployment (parameter 'ReadOnly' has no value: pass --parameter ReadOnly=VALUE or a parameter file)",
    );
  });

  it("reads YAML 1.1's booleans as CloudFormation does: unquoted yes and On are true, off is false, y and a quoted yes are text", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      const file = join(dir, 'yaml11.yaml');
      const flags = ['yes', 'On', 'off', 'y', '"yes"'];
      writeFileSync(file, `Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n${flags.map((f, i) => `        - Name: c${i}\n          ReadonlyRootFilesystem: ${f}\n`).join('')}`);
      const r = cli(['validate', file]);
      expect(r.status).toBe(19);
      expect(r.stdout.split('\n').slice(1, 7)).toEqual([
        `  ${file}:2:3: T (AWS::ECS::TaskDefinition) FAIL: 3 of 5 containers can write to their root filesystem`,
        `    ${file}:7:11: 'c0': read-only root filesystem`,
        `    ${file}:9:11: 'c1': read-only root filesystem`,
        `    ${file}:11:11: FAIL 'c2': can write to its root filesystem: false`,
        `    ${file}:13:11: FAIL 'c3': can write to its root filesystem: not true or false`,
        `    ${file}:15:11: FAIL 'c4': can write to its root filesystem: not true or false`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses text whose ECS type is spelt with escapes (JSON \\u, a YAML escaped line break): never skipped unread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      const json = join(dir, 'escaped.json');
      writeFileSync(json, '{"Resources": {"T": {"Type": "AWS::\\u0045CS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "app"}]}}}}\n');
      const yaml = join(dir, 'escaped.yaml');
      writeFileSync(yaml, 'Resources:\n  T:\n    Type: "AWS::\\\n      ECS::TaskDefinition"\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n');
      const other = join(dir, 'pattern.yaml');
      writeFileSync(other, 'Parameters:\n  P: {Type: String, AllowedPattern: "^\\d+$"}\nResources:\n  B: {Type: AWS::S3::Bucket}\n');
      const r = cli(['validate', json, yaml, other]);
      expect(r.status).toBe(19);
      expect(r.stdout).toContain(`    ${json}:1:103: FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing`);
      expect(r.stdout).toContain(`    ${yaml}:7:11: FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing`);
      expect(r.stdout).toContain(`SKIP ${other}: no ECS task definitions`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reader that closes the pipe early (| head -1): no crash, the run ends with its verdict', async () => {
    const files = Array.from({ length: 300 }, () => join(ROOT, 'examples', 'noncompliant.yml'));
    const child = spawn(process.execPath, [CLI, 'validate', ...files], { cwd: TEMPLATES, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect({ status, stderr }).toEqual({ status: 19, stderr: '' });
  });

  it('writes the report to --output, replacing what the file held', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      const out = join(dir, 'report.json');
      writeFileSync(out, 'an earlier report\n'.repeat(1000));
      const r = cli(['validate', '-f', 'json', '-o', out, 'valid/compliant.json']);
      expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(readFileSync(out, 'utf8')).toBe(cli(['validate', '-f', 'json', 'valid/compliant.json']).stdout);
      expect(JSON.parse(readFileSync(out, 'utf8')).summary.pass).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a file over the size limit as an ERROR with no task definition counted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      const big = join(dir, 'big.yaml');
      writeFileSync(big, '');
      truncateSync(big, LIMITS.maxBytes + 1);
      expect(cli(['validate', big])).toEqual({
        status: 5,
        stdout: `ERROR ${big}: file is ${LIMITS.maxBytes + 1} bytes, over the ${LIMITS.maxBytes}-byte limit\n1 file: 0 PASS, 0 FAIL, 0 SKIP, 1 ERROR; 0 task definitions, 0 non-compliant; containers: 0 failing, 0 passing, 0 exempt, 0 suppressed\n`,
        stderr: '',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says it cannot write --output, and exits 5', () => {
    // A device that is always full: the directory exists, every write fails.
    expect(cli(['validate', '-f', 'json', '-o', '/dev/full', 'valid/compliant.json'])).toEqual({ status: 5, stdout: '', stderr: 'ecs-readonly-rootfs: cannot write /dev/full\n' });
  });

  it('refuses, before checking anything, an --output in no directory, a directory, or a template it checks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      const template = join(dir, 't.yaml');
      const text = readFileSync(join(TEMPLATES, 'valid', 'compliant.json'), 'utf8');
      writeFileSync(template, text);
      const usage = (message: string) => ({ status: 2, stdout: '', stderr: `ecs-readonly-rootfs: ${message}\nTry 'ecs-readonly-rootfs --help'.\n` });
      const missing = join(dir, 'no-such-directory', 'report.json');
      expect(cli(['validate', '-o', missing, template])).toEqual(usage(`--output ${missing}: the directory ${join(dir, 'no-such-directory')} does not exist`));
      expect(cli(['validate', '-o', dir, template])).toEqual(usage(`--output ${dir} is a directory; name the report's file`));
      expect(cli(['validate', '-o', template, template])).toEqual(usage(`--output ${template} is a template to check: the report would replace it`));
      expect(cli(['validate', '-o', 't.yaml', './t.yaml'], { cwd: dir })).toEqual(usage('--output t.yaml is a template to check: the report would replace it'));
      expect(cli(['validate', '-o', 't.yaml', 'other.yaml', 't.yaml'], { cwd: dir })).toEqual(usage('--output t.yaml is a template to check: the report would replace it'));
      // A report not written yet replaces nothing: a missing template is the run's ERROR, not a usage error.
      expect(cli(['validate', '-o', 'new.txt', 'missing.yaml'], { cwd: dir }).status).toBe(5);
      expect(readFileSync(template, 'utf8')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the report of --output out of the directories it walks: a second run checks what the first did', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      writeFileSync(join(dir, 't.yaml'), readFileSync(join(TEMPLATES, 'valid', 'compliant.json'), 'utf8'));
      const first = cli(['validate', '-f', 'json', '-o', 'report.json', '.'], { cwd: dir });
      const report = readFileSync(join(dir, 'report.json'), 'utf8');
      expect(cli(['validate', '-f', 'json', '-o', 'report.json', '.'], { cwd: dir })).toEqual(first);
      expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(report);
      expect(JSON.parse(report).summary).toMatchObject({ files: 1, pass: 1 });
      // Only the report itself: another file of its name elsewhere is checked.
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'report.json'), readFileSync(join(TEMPLATES, 'valid', 'compliant.json'), 'utf8'));
      cli(['validate', '-f', 'json', '-o', 'report.json', '.'], { cwd: dir });
      expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).summary).toMatchObject({ files: 2, pass: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns of no template only when nothing could be read either', () => {
    expect(cli(['validate', 'missing.yaml'])).toEqual({
      status: 5,
      stdout: 'ERROR missing.yaml: cannot read: no such file or directory\n1 file: 0 PASS, 0 FAIL, 0 SKIP, 1 ERROR; 0 task definitions, 0 non-compliant; containers: 0 failing, 0 passing, 0 exempt, 0 suppressed\n',
      stderr: '',
    });
  });

  it('gives an empty list of files, results or suites when nothing is found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cli-empty-'));
    try {
      const run = (format: string) => cli(['validate', '-f', format, empty]);
      expect(run('json').stdout).toMatch(/\n {2}"files": \[\]\n\}\n$/);
      const sarif = run('sarif').stdout;
      expect(sarif).toContain('\n          "toolExecutionNotifications": []\n');
      expect(sarif).toContain('\n      "results": []\n');
      expect(JSON.parse(sarif).runs[0].results).toEqual([]);
      expect(run('junit').stdout).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ecs-readonly-rootfs ${version}" tests="0" failures="0" errors="0" skipped="0">\n  <!-- 0 files: 0 PASS, 0 FAIL, 0 SKIP, 0 ERROR -->\n</testsuites>\n`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each(['text', 'json', 'sarif', 'junit'])('never prints a property value (%s)', (format) => {
    const r = cli(['validate', '-f', format, 'valid/secrets.yaml', 'valid/noncompliant.json']);
    expect(r.status).toBe(19);
    for (const secret of ['SECRET-IMAGE-TAG', 'CMD-SECRET-VALUE', 'ENV-SECRET-VALUE', 'SECRETS-ARN-VALUE', 'CREDENTIALS-SECRET-VALUE', 'maybe-SECRET-RRF', 'hunter2', 'registry.example.com', 'busybox']) {
      expect([format, secret, r.stdout.includes(secret)]).toEqual([format, secret, false]);
    }
  });
});

describe('Fn::If nested in other intrinsics: every branch without parameter values, the chosen one with them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nested-if-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The task definition T is at 12:3; its first container's ReadonlyRootFilesystem (or entry) at 18:11.
  const HEAD = `Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
  OS: {Type: String, AllowedValues: [windows, linux]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
  IsWin: !Equals [!Ref OS, windows]
Mappings:
  Flags: {prod: {ro: 'true'}, dev: {ro: 'false'}}
  Family: {windows: {v: WINDOWS_SERVER_2022_CORE}, linux: {v: LINUX}}
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
`;
  const FIX = '  fix: Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';
  const run = (file: string, properties: string, args: string[] = []) => {
    writeFileSync(join(dir, file), `${HEAD}    Properties:\n${properties}`);
    return cli(['validate', ...args, file], { cwd: dir });
  };
  const lines = (...l: string[]) => `${l.join('\n')}\n`;
  const flag = (expr: string) => `      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n          ReadonlyRootFilesystem: ${expr}\n`;

  it.each([
    ['select.yaml', "!Select [0, !If [IsProd, ['true'], ['false']]]"],
    ['findinmap.yaml', '!FindInMap [Flags, !If [IsProd, prod, dev], ro]'],
    ['join.yaml', "!Join ['', [!If [IsProd, tru, fals], e]]"],
    ['sub.yaml', "!Sub ['${v}', {v: !If [IsProd, 'true', 'false']}]"],
    ['list.yaml', "!Select [1, ['false', !If [IsProd, 'true', 'false']]]"],
  ])('%s: FAIL naming the condition, PASS with -p Env=prod, FAIL with -p Env=dev', (file, expr) => {
    const failing = (reason: string) =>
      lines(
        `FAIL ${file}`,
        `  ${file}:12:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem`,
        `    ${file}:18:11: FAIL 'app': can write to its root filesystem: ${reason}`,
        FIX,
        '1 file: 0 PASS, 1 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 1 non-compliant; containers: 1 failing, 0 passing, 0 exempt, 0 suppressed',
      );
    expect(run(file, flag(expr))).toEqual({ status: 19, stdout: failing('false when condition IsProd is false'), stderr: '' });
    expect(run(file, flag(expr), ['-p', 'Env=prod'])).toEqual({
      status: 0,
      stdout: lines(
        `PASS ${file}`,
        `  ${file}:12:3: T (AWS::ECS::TaskDefinition) PASS: 1 container checked, all read-only`,
        '1 file: 1 PASS, 0 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 0 non-compliant; containers: 0 failing, 1 passing, 0 exempt, 0 suppressed',
      ),
      stderr: '',
    });
    expect(run(file, flag(expr), ['-p', 'Env=dev'])).toEqual({ status: 19, stdout: failing('false'), stderr: '' });
  });

  it('judges the Linux deployment of an OS family chosen inside Fn::FindInMap, and skips only the Windows one', () => {
    const os = '      RuntimePlatform:\n        OperatingSystemFamily: !FindInMap [Family, !If [IsWin, windows, linux], v]\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n';
    const failing = (when: string) =>
      lines(
        'FAIL os.yaml',
        '  os.yaml:12:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem',
        `    os.yaml:18:11: FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing${when}`,
        FIX,
        '1 file: 0 PASS, 1 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 1 non-compliant; containers: 1 failing, 0 passing, 0 exempt, 0 suppressed',
      );
    expect(run('os.yaml', os)).toEqual({ status: 19, stdout: failing(' when condition IsWin is false'), stderr: '' });
    expect(run('os.yaml', os, ['-p', 'OS=windows'])).toEqual({
      status: 0,
      stdout: lines(
        'PASS os.yaml',
        '  os.yaml:12:3: T (AWS::ECS::TaskDefinition) SKIP: Windows containers cannot use a read-only root filesystem, skipped',
        '1 file: 1 PASS, 0 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 0 non-compliant; containers: 0 failing, 0 passing, 0 exempt, 0 suppressed',
      ),
      stderr: '',
    });
    expect(run('os.yaml', os, ['-p', 'OS=linux'])).toEqual({ status: 19, stdout: failing(''), stderr: '' });
  });

  it('matches exemptions on a Name or Image built around an Fn::If in each branch', () => {
    const named =
      "      ContainerDefinitions:\n        - Name: !Join ['_', [!If [IsProd, log, app], router]]\n          Image: nginx\n" +
      "        - Name: agent\n          Image: !Sub ['${r}/agent:7', {r: !If [IsProd, datadog, acme]}]\n";
    const config = ['-c', join(TEMPLATES, 'params', 'config.json')];
    expect(run('named.yaml', named, config)).toEqual({
      status: 19,
      stdout: lines(
        'FAIL named.yaml',
        '  named.yaml:12:3: T (AWS::ECS::TaskDefinition) FAIL: 2 of 2 containers can write to their root filesystem (3 across Fn::If branches)',
        "    named.yaml:16:11: EXEMPT 'log_router': exempt by ExemptContainerNames pattern 'log_router'",
        "    named.yaml:16:11: FAIL 'app_router': can write to its root filesystem: ReadonlyRootFilesystem missing when condition IsProd is false",
        "    named.yaml:18:11: FAIL 'agent': can write to its root filesystem: ReadonlyRootFilesystem missing when condition IsProd is false",
        FIX,
        // Counted in the deployment with the most failing containers (IsProd false), as the resource's line.
        '1 file: 0 PASS, 1 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 1 non-compliant; containers: 2 failing, 0 passing, 0 exempt, 0 suppressed',
      ),
      stderr: '',
    });
    expect(run('named.yaml', named, [...config, '-p', 'Env=prod'])).toEqual({
      status: 0,
      stdout: lines(
        'PASS named.yaml',
        '  named.yaml:12:3: T (AWS::ECS::TaskDefinition) PASS: 0 containers checked, all read-only, 2 exempt',
        "    named.yaml:16:11: EXEMPT 'log_router': exempt by ExemptContainerNames pattern 'log_router'",
        "    named.yaml:18:11: EXEMPT 'agent': exempt by ExemptImages pattern 'datadog/agent:*'",
        '1 file: 1 PASS, 0 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 0 non-compliant; containers: 0 failing, 0 passing, 2 exempt, 0 suppressed',
      ),
      stderr: '',
    });
    expect(run('named.yaml', named, [...config, '-p', 'Env=dev'])).toEqual({
      status: 19,
      stdout: lines(
        'FAIL named.yaml',
        '  named.yaml:12:3: T (AWS::ECS::TaskDefinition) FAIL: 2 of 2 containers can write to their root filesystem',
        "    named.yaml:16:11: FAIL 'app_router': can write to its root filesystem: ReadonlyRootFilesystem missing",
        "    named.yaml:18:11: FAIL 'agent': can write to its root filesystem: ReadonlyRootFilesystem missing",
        FIX,
        '1 file: 0 PASS, 1 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 1 non-compliant; containers: 2 failing, 0 passing, 0 exempt, 0 suppressed',
      ),
      stderr: '',
    });
  });

  it('counts failing containers per deployment, never across branches', () => {
    const two =
      "      ContainerDefinitions:\n        - Name: a\n          Image: nginx\n          ReadonlyRootFilesystem: !Select [0, !If [IsProd, ['true'], ['false']]]\n" +
      "        - Name: b\n          Image: nginx\n          ReadonlyRootFilesystem: !Select [0, !If [IsNotProd, ['true'], ['false']]]\n";
    expect(run('two.yaml', two)).toEqual({
      status: 19,
      stdout: lines(
        'FAIL two.yaml',
        '  two.yaml:12:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 2 containers can write to their root filesystem',
        "    two.yaml:18:11: FAIL 'a': can write to its root filesystem: false when condition IsProd is false",
        "    two.yaml:21:11: FAIL 'b': can write to its root filesystem: false when condition IsNotProd is false",
        FIX,
        '1 file: 0 PASS, 1 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 1 non-compliant; containers: 1 failing, 1 passing, 0 exempt, 0 suppressed',
      ),
      stderr: '',
    });
    expect(run('two.yaml', two, ['-p', 'Env=prod']).stdout).toContain("two.yaml:21:11: FAIL 'b': can write to its root filesystem: false\n");
  });

  it('says a value stays unknown before deployment in the branch that needs it', () => {
    const unknown = "      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n          ReadonlyRootFilesystem: !Select [0, !If [IsProd, [!Ref Flag], ['true']]]\n";
    const text = (args: string[]) => {
      writeFileSync(join(dir, 'unknown.yaml'), `${HEAD.replace('  OS:', '  Flag: {Type: String}\n  OS:')}    Properties:\n${unknown}`);
      return cli(['validate', ...args, 'unknown.yaml'], { cwd: dir });
    };
    const failing = (when: string) =>
      lines(
        'FAIL unknown.yaml',
        '  unknown.yaml:13:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem',
        `    unknown.yaml:19:11: FAIL 'app': can write to its root filesystem: value unknown before deployment (parameter 'Flag' has no value: pass --parameter Flag=VALUE or a parameter file)${when}`,
        FIX,
        '1 file: 0 PASS, 1 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 1 non-compliant; containers: 1 failing, 0 passing, 0 exempt, 0 suppressed',
      );
    expect(text([])).toEqual({ status: 19, stdout: failing(' when condition IsProd is true'), stderr: '' });
    expect(text(['-p', 'Env=prod'])).toEqual({ status: 19, stdout: failing(''), stderr: '' });
    expect(text(['-p', 'Env=prod', '-p', 'Flag=true']).status).toBe(0);
    expect(text(['-p', 'Env=dev']).status).toBe(0);
  });

  it('judges a resource only where its own Condition holds, also through a condition that negates it', () => {
    const own = '      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n          ReadonlyRootFilesystem: !If [IsNotProd, false, true]\n';
    const pass = lines(
      'PASS own.yaml',
      '  own.yaml:12:3: T (AWS::ECS::TaskDefinition) PASS: 1 container checked, all read-only',
      '1 file: 1 PASS, 0 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 0 non-compliant; containers: 0 failing, 1 passing, 0 exempt, 0 suppressed',
    );
    const text = (args: string[]) => {
      writeFileSync(join(dir, 'own.yaml'), `${HEAD}    Condition: IsProd\n    Properties:\n${own}`);
      return cli(['validate', ...args, 'own.yaml'], { cwd: dir });
    };
    expect(text([])).toEqual({ status: 0, stdout: pass, stderr: '' });
    expect(text(['-p', 'Env=prod'])).toEqual({ status: 0, stdout: pass, stderr: '' });
    expect(text(['-p', 'Env=dev'])).toEqual({
      status: 0,
      stdout: lines(
        'PASS own.yaml',
        '  own.yaml:12:3: T (AWS::ECS::TaskDefinition) SKIP: not created: its Condition IsProd is false',
        '1 file: 1 PASS, 0 FAIL, 0 SKIP, 0 ERROR; 1 task definition, 0 non-compliant; containers: 0 failing, 0 passing, 0 exempt, 0 suppressed',
      ),
      stderr: '',
    });
  });
});
