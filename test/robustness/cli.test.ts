/**
 * The command line (dist/cli.js, run as a child process as CI runs it): canary secrets in every
 * value of every template, parameter and parameter file must not reach any output format; hostile
 * template files (alias bombs, 10,000-level nesting, 10 MB, invalid UTF-8, binary) get a per-file
 * ERROR and exit code 5 within a small heap, while the other files are still judged.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Canaries } from './support/canaries';
import { CLI } from './support/hook';

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with a small heap: a blow-up crashes the process instead of passing unnoticed. */
function cli(args: string[], cwd: string, input = ''): Ran {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first.`);
  const env = { ...process.env, NO_COLOR: '1' };
  const run = spawnSync(process.execPath, ['--max-old-space-size=128', CLI, ...args], {
    cwd,
    env,
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

interface JsonReport {
  files: { path: string; status: string; error?: { message?: string } | string; resources: { logicalId: string; containers: { name: string | null; status: string }[] }[] }[];
}

const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-robustness-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A template whose every value but names, logical ids, parameter and condition names is a canary. */
function canaryTemplate(c: Canaries, tag: string): string {
  const p = (field: string) => c.plant(`${tag}.${field}`);
  return `AWSTemplateFormatVersion: '2010-09-09'
Description: ${p('Description')}
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    Default: ${p('Parameters.DbPassword.Default')}
  ReadOnly:
    Type: String
    Default: ${p('Parameters.ReadOnly.Default')}
  Stage:
    Type: String
    AllowedValues: [${p('Parameters.Stage.AllowedValues')}, prod]
Mappings:
  Settings:
    prod:
      Flag: ${p('Mappings.Flag')}
Conditions:
  IsProd: !Equals [!Ref Stage, ${p('Conditions.Equals')}]
Resources:
  WebTask:
    Type: AWS::ECS::TaskDefinition
    Metadata:
      Note: ${p('Metadata')}
    Properties:
      Family: ${p('Family')}
      TaskRoleArn: arn:aws:iam::123456789012:role/${p('TaskRoleArn')}
      Volumes:
        - Name: data
          EFSVolumeConfiguration: {FilesystemId: ${p('Volumes.FilesystemId')}}
      ContainerDefinitions:
        - Name: app
          Image: https://deploy:${p('Image.password')}@registry.example.com/${p('Image.repository')}:${p('Image.tag')}
          ReadonlyRootFilesystem: ${p('ReadonlyRootFilesystem.literal')}
          Environment:
            - {Name: DB_PASSWORD, Value: !Ref DbPassword}
            - {Name: API, Value: ${p('Environment.Value')}}
            - {Name: SUB, Value: !Sub '${p('Environment.Sub')}-\${Stage}'}
          Secrets:
            - {Name: TOKEN, ValueFrom: arn:aws:secretsmanager:us-east-1:123456789012:secret:${p('Secrets.ValueFrom')}}
          Command: [sh, -c, 'echo ${p('Command')}']
          EntryPoint: [${p('EntryPoint')}]
          RepositoryCredentials: {CredentialsParameter: ${p('RepositoryCredentials')}}
          DockerLabels: {label: ${p('DockerLabels')}}
          LinuxParameters: {Capabilities: {Add: [${p('LinuxParameters')}]}}
          HealthCheck: {Command: [CMD-SHELL, 'curl -H "Authorization: ${p('HealthCheck')}"']}
          LogConfiguration: {LogDriver: awslogs, Options: {awslogs-group: ${p('LogConfiguration')}}}
          User: ${p('User')}
        - Name: sidecar
          Image: !Sub '\${AWS::AccountId}.dkr.ecr.us-east-1.amazonaws.com/${p('Image.sub')}'
          ReadonlyRootFilesystem: !Ref ReadOnly
        - Name: dynamic
          Image: !Join ['', [${p('Image.join')}, ':1']]
          ReadonlyRootFilesystem: '{{resolve:ssm:${p('ReadonlyRootFilesystem.dynamic')}}}'
        - Name: conditional
          ReadonlyRootFilesystem: !If [IsProd, true, ${p('ReadonlyRootFilesystem.if')}]
        - Name: mapped
          ReadonlyRootFilesystem: !FindInMap [Settings, prod, Flag]
        - Name: imported
          ReadonlyRootFilesystem: !ImportValue ${p('ReadonlyRootFilesystem.import')}
        - Name: subbed
          ReadonlyRootFilesystem: !Sub '${p('ReadonlyRootFilesystem.sub')}'
        - Name: fine
          Image: ${p('Image.fine')}
          ReadonlyRootFilesystem: true
Outputs:
  Secret:
    Value: ${p('Outputs')}
`;
}

/** The same idea in JSON, as `aws cloudformation` tooling writes templates. */
function canaryJsonTemplate(c: Canaries): string {
  const p = (field: string) => c.plant(`json.${field}`);
  return JSON.stringify({
    Parameters: { Secret: { Type: 'String', Default: p('Parameters.Default') } },
    Resources: {
      JsonTask: {
        Type: 'AWS::ECS::DaemonTaskDefinition',
        Properties: {
          ContainerDefinitions: [
            {
              Name: 'agent',
              Image: `https://u:${p('Image.password')}@registry.example.com/agent`,
              ReadonlyRootFilesystem: p('ReadonlyRootFilesystem'),
              Environment: [{ Name: 'S', Value: { Ref: 'Secret' } }, { Name: 'T', Value: p('Environment') }],
              Secrets: [{ Name: 'K', ValueFrom: p('Secrets') }],
              Command: [p('Command')],
              DockerLabels: { k: p('DockerLabels') },
            },
            { Name: 'ok', Image: p('Image.ok'), ReadonlyRootFilesystem: 'TRUE' },
          ],
        },
      },
    },
  });
}

/** Files the reader must refuse, each carrying canaries next to the fault. */
function canaryBadFiles(c: Canaries): [string, string | Buffer][] {
  const p = (field: string) => c.plant(`bad.${field}`);
  const task = (body: string) => `Resources:\n  Bad:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n${body}`;
  return [
    ['unclosed-flow.yaml', task(`          Environment: [{Name: K, Value: ${p('unclosed.flow')}}\n          Command: [${p('unclosed.next')}]\n`)],
    ['compact-mapping.yaml', task(`          Environment: ${p('compact.key')}: ${p('compact.value')}\n`)],
    ['bad-indent.yaml', task(`          Image: ${p('indent.before')}\n        Secrets: ${p('indent.line')}\n      - ${p('indent.after')}\n`)],
    ['tab.yaml', task(`\t  Image: ${p('tab.line')}\n`)],
    ['duplicate.yaml', task(`          Image: ${p('duplicate.first')}\n          Image: ${p('duplicate.second')}\n`)],
    ['bad-string.yaml', task(`          Image: "${p('string.open')}\n`)],
    ['invalid.json', `{"Resources": {"Bad": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Image": "${p('json.before')}" "X": "${p('json.after')}"}}}}`],
    ['truncated.json', `{"Resources": {"Bad": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Secret": "${p('json.truncated')}`],
    ['binary.yaml', Buffer.concat([Buffer.from(task(`          Image: ${p('binary.before')}\n`)), Buffer.from([0, 1, 2, 0]), Buffer.from(p('binary.after'))])],
    ['not-utf8.yaml', Buffer.concat([Buffer.from(task(`          Image: ${p('utf8.before')}`)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`${p('utf8.after')}\n`)])],
  ];
}

function assertNoLeak(c: Canaries, text: string, what: string): void {
  const leaks = c.leaks(text);
  if (leaks.length > 0) throw new Error(`${what} leaked ${leaks.length} canaries: ${leaks.slice(0, 8).join(', ')}`);
}

describe('secret canaries through the command line', () => {
  const c = new Canaries();
  let work: string;

  beforeAll(() => {
    work = join(dir, 'canary');
    mkdirSync(join(work, 'good'), { recursive: true });
    mkdirSync(join(work, 'bad'), { recursive: true });
    writeFileSync(join(work, 'good', 'web.yaml'), canaryTemplate(c, 'yaml'));
    writeFileSync(join(work, 'good', 'daemon.json'), canaryJsonTemplate(c));
    for (const [name, body] of canaryBadFiles(c)) writeFileSync(join(work, 'bad', name), body);
    writeFileSync(
      join(work, 'params.json'),
      JSON.stringify([
        { ParameterKey: 'DbPassword', ParameterValue: c.plant('parameters-file.DbPassword') },
        { ParameterKey: 'Stage', ParameterValue: 'prod' },
        // Declared by no template: warned about by name only.
        { ParameterKey: 'Undeclared', ParameterValue: c.plant('parameters-file.Undeclared') },
      ]),
    );
    writeFileSync(join(work, 'config.json'), JSON.stringify({ ExemptContainerNames: ['mapped'], ExemptImages: ['registry.example.com/never:*'] }));
  });

  it('plants canaries everywhere', () => {
    expect(c.size).toBeGreaterThan(60);
  });

  const common = (extra: string[]) => ['validate', ...extra, '--parameters-file', 'params.json', '-p', `ReadOnly=${c.plant('parameter.ReadOnly')}`, '-c', 'config.json'];

  it.each(FORMATS)('%s: a given value outside AllowedValues is an ERROR naming the parameter, never the value', (format) => {
    const run = cli([...common(['-f', format]), '-p', `Stage=${c.plant('parameter.Stage')}`, 'good/web.yaml'], work);
    expect(run.status).toBe(5);
    expect(run.stdout).toMatch(/parameter (&apos;|')Stage(&apos;|'): the value given is not one of its AllowedValues/);
    assertNoLeak(c, run.stdout + run.stderr, `${format} output`);
  });

  it.each(FORMATS)('%s: non-compliant templates are judged (exit 19) and no output holds a canary', (format) => {
    const run = cli([...common(['-f', format]), 'good'], work);
    expect({ status: run.status, stderr: run.stderr.slice(0, 500) }).toEqual({ status: 19, stderr: expect.any(String) });
    // The files were read: the report names their resources and containers.
    for (const name of ['WebTask', 'JsonTask', 'sidecar', 'conditional']) expect(run.stdout).toContain(name);
    assertNoLeak(c, run.stdout, `${format} standard output`);
    assertNoLeak(c, run.stderr, `${format} standard error`);
  });

  it.each(FORMATS)('%s: unparsable files are ERRORs (exit 5) and no output holds a canary', (format) => {
    const run = cli([...common(['-f', format]), 'bad', 'good'], work);
    expect(run.status).toBe(5);
    for (const name of readdirSync(join(work, 'bad'))) expect(run.stdout).toContain(name);
    assertNoLeak(c, run.stdout, `${format} standard output`);
    assertNoLeak(c, run.stderr, `${format} standard error`);
  });

  it.each(FORMATS)('%s: a report written with --output and the console both stay clean', (format) => {
    const out = join(work, `report.${format}`);
    const run = cli([...common(['-f', format, '-o', out]), 'bad', 'good'], work);
    expect(run.status).toBe(5);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain('WebTask');
    assertNoLeak(c, report, `${format} report file`);
    assertNoLeak(c, run.stdout + run.stderr, `${format} console`);
  });

  it('a template on standard input', () => {
    const run = cli([...common(['-f', 'json']), '-'], work, canaryTemplate(c, 'stdin'));
    expect(run.status).toBe(19);
    assertNoLeak(c, run.stdout + run.stderr, 'standard input run');
  });

  it('every bad file is an ERROR with a message, and each is clean in JSON', () => {
    const run = cli([...common(['-f', 'json']), 'bad'], work);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.files.map((f) => f.status)).toEqual(report.files.map(() => 'ERROR'));
    expect(report.files).toHaveLength(canaryBadFiles(new Canaries()).length);
    for (const f of report.files) expect(JSON.stringify(f.error ?? '').length).toBeGreaterThan(10);
  });

  it('usage errors quote no parameter or configuration value', () => {
    writeFileSync(join(work, 'bad-config.json'), JSON.stringify({ ExemptContainerNames: c.plant('usage.config') }));
    const badConfig = cli(['validate', '-c', 'bad-config.json', 'good'], work);
    expect(badConfig.status).toBe(2);
    assertNoLeak(c, badConfig.stdout + badConfig.stderr, 'a configuration error');
    writeFileSync(join(work, 'bad-params.json'), `[{"ParameterKey": "A", "ParameterValue": "${c.plant('usage.params')}" oops]`);
    const badParams = cli(['validate', '--parameters-file', 'bad-params.json', 'good'], work);
    expect(badParams.status).toBe(2);
    assertNoLeak(c, badParams.stdout + badParams.stderr, 'a parameter file error');
  });
});

describe('hostile template files', () => {
  let work: string;
  const hostile: Record<string, () => string | Buffer> = {
    // Each level multiplies by 9: 9^12 values if expanded.
    'alias-bomb.yaml': () =>
      [
        'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
        ...Array.from({ length: 12 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`),
        'Resources:',
        '  Bomb:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Properties:',
        '      ContainerDefinitions: *a12',
      ].join('\n'),
    // Each names an ECS type, or the checker would rightly skip it unparsed (no task definition can be in it).
    'nested-flow.yaml': () => `# AWS::ECS::TaskDefinition\nResources: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    'nested-mappings.yaml': () => `# AWS::ECS::TaskDefinition\nResources: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
    'nested-deeper.yaml': () => `# AWS::ECS::TaskDefinition\nResources: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`,
    'nested.json': () => `{"Resources": ${'{"a": '.repeat(10_000)}1${'}'.repeat(10_000)}, "Type": "AWS::ECS::TaskDefinition"}`,
    'nested-arrays.json': () => `{"Resources": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "Type": "AWS::ECS::TaskDefinition"}`,
    'ten-megabytes.yaml': () => `Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n${'# padding line of a huge template\n'.repeat(300_000)}`,
    'invalid-utf8.yaml': () => Buffer.concat([Buffer.from('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: {Family: "'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]), Buffer.from('"}\n')]),
    'binary.yaml': () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    'utf16.yaml': () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Resources: {}\n', 'utf16le')]),
  };

  /** What each ERROR must be about: a clear message, not a stack trace or a generic failure. */
  const says: Record<string, RegExp> = {
    'alias-bomb.yaml': /alias/i,
    'nested-flow.yaml': /nest|deep/i,
    'nested-mappings.yaml': /nest|deep/i,
    'nested-deeper.yaml': /nest|deep/i,
    'nested.json': /nest|deep/i,
    'nested-arrays.json': /nest|deep/i,
    'ten-megabytes.yaml': /limit|too (big|large)|bytes/i,
    'invalid-utf8.yaml': /UTF-8/i,
    'binary.yaml': /binary|UTF-8/i,
    'utf16.yaml': /binary|UTF/i,
  };

  beforeAll(() => {
    work = join(dir, 'hostile');
    mkdirSync(join(work, 'files'), { recursive: true });
    for (const [name, make] of Object.entries(hostile)) writeFileSync(join(work, 'files', name), make());
    writeFileSync(
      join(work, 'files', 'zz-good.yaml'),
      'Resources:\n  Good:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - {Name: app, Image: nginx, ReadonlyRootFilesystem: true}\n',
    );
  });

  it('the ten-megabyte file really is over ten megabytes', () => {
    expect(readFileSync(join(work, 'files', 'ten-megabytes.yaml')).length).toBeGreaterThan(10_000_000);
  });

  it('each hostile file is an ERROR with a clear message, the good one still passes, exit 5, in a 128 MB heap', () => {
    const run = cli(['validate', '-f', 'json', 'files'], work);
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 5, signal: null });
    const report = JSON.parse(run.stdout) as JsonReport;
    const byName = Object.fromEntries(report.files.map((f) => [f.path.split(/[\\/]/).pop()!, f]));
    expect(Object.keys(byName).sort()).toEqual([...Object.keys(hostile), 'zz-good.yaml'].sort());
    expect(byName['zz-good.yaml']!.status).toBe('PASS');
    for (const name of Object.keys(hostile)) {
      const file = byName[name]!;
      const message = typeof file.error === 'string' ? file.error : (file.error?.message ?? '');
      expect([name, file.status]).toEqual([name, 'ERROR']);
      expect([name, message]).toEqual([name, expect.stringMatching(says[name]!)]);
      expect(message.length).toBeLessThanOrEqual(500);
      expect(message).not.toMatch(/\n\s+at /);
    }
  });

  it.each(Object.keys(hostile))('%s alone: ERROR and exit 5 in every format', (name) => {
    for (const format of FORMATS) {
      const run = cli(['validate', '-f', format, join('files', name)], work);
      expect([format, run.status, run.signal]).toEqual([format, 5, null]);
      expect(run.stdout.length).toBeLessThan(20_000);
      if (format === 'text') expect(run.stdout).toContain('ERROR');
    }
  });

  it('hostile container names are printed escaped in text, and junit stays valid XML', () => {
    const names = ['evil\\nPASS fake.yaml', 'rtl\\u202Eelif', 'esc\\e[31mred', 'bell\\a\\0nul', 'x'.repeat(10_000)];
    const template = [
      'Resources:',
      '  Evil:',
      '    Type: AWS::ECS::TaskDefinition',
      '    Properties:',
      '      ContainerDefinitions:',
      ...names.map((n) => `        - {Name: "${n}", ReadonlyRootFilesystem: false}`),
    ].join('\n');
    writeFileSync(join(work, 'names.yaml'), template);
    const text = cli(['validate', 'names.yaml'], work);
    expect(text.status).toBe(19);
    expect(text.stdout).toContain("'evil\\u000aPASS fake.yaml'");
    expect(text.stdout).toContain("'rtl\\u202eelif'");
    expect(text.stdout).toContain("'esc\\u001b[31mred'");
    // eslint-disable-next-line no-control-regex
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text.stdout.split('\n').some((line) => line.startsWith('PASS fake.yaml'))).toBe(false);
    expect(text.stdout.split('\n').every((line) => line.length <= 2_000)).toBe(true);
    const junit = cli(['validate', '-f', 'junit', 'names.yaml'], work);
    // eslint-disable-next-line no-control-regex
    expect(junit.stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    for (const format of ['json', 'sarif']) {
      const run = cli(['validate', '-f', format, 'names.yaml'], work);
      expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    }
  });

  it('a hostile file name cannot forge a line or reorder text in text or junit', () => {
    const sub = join(work, 'named');
    mkdirSync(sub, { recursive: true });
    writeFileSync(
      join(sub, 'x\nPASS evil\u001b[31m\u202e.yaml'),
      'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - {Name: app, ReadonlyRootFilesystem: false}\n',
    );
    for (const format of ['text', 'junit'] as const) {
      const run = cli(['validate', '-f', format, 'named'], work);
      expect([format, run.status]).toEqual([format, 19]);
      expect([format, run.stdout.split('\n').filter((line) => line.trimStart().startsWith('PASS evil'))]).toEqual([format, []]);
      // eslint-disable-next-line no-control-regex
      expect([format, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/.test(run.stdout)]).toEqual([format, false]);
    }
    const json = cli(['validate', '-f', 'json', 'named'], work);
    expect((JSON.parse(json.stdout) as JsonReport).files[0]!.path).toBe('named/x\nPASS evil\u001b[31m\u202e.yaml');
  });

  it('5,000 containers with 10,000-character names: every one judged, output bounded per line', () => {
    const lines = ['Resources:', '  Big:', '    Type: AWS::ECS::TaskDefinition', '    Properties:', '      ContainerDefinitions:'];
    for (let i = 0; i < 5_000; i++) lines.push(`        - {Name: c${i}${i % 500 === 0 ? 'x'.repeat(10_000) : ''}, ReadonlyRootFilesystem: ${i % 2 ? 'true' : 'false'}}`);
    writeFileSync(join(work, 'big.yaml'), lines.join('\n'));
    const run = cli(['validate', '-f', 'json', 'big.yaml'], work);
    expect(run.status).toBe(19);
    const report = JSON.parse(run.stdout) as JsonReport;
    const containers = report.files[0]!.resources[0]!.containers;
    expect(containers).toHaveLength(5_000);
    expect(containers.filter((x) => x.status === 'FAIL')).toHaveLength(2_500);
    const text = cli(['validate', 'big.yaml'], work);
    expect(text.status).toBe(19);
    expect(text.stdout.split('\n').every((line) => line.length <= 2_000)).toBe(true);
  });
});

describe('worker threads always end', () => {
  let work: string;

  beforeAll(() => {
    // Workers that finish their files quickly while V8 still compiles their code in the background:
    // the shape on which runs hung (Node issue 54918) before workers compiled on their own thread.
    work = mkdtempSync(join(tmpdir(), 'cli-workers-'));
    for (let i = 0; i < 3000; i++) {
      mkdirSync(join(work, `d${i}`));
      writeFileSync(join(work, `d${i}`, 't.json'), '{}');
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** One run of the built CLI, stopped after 30 seconds if it has not ended by then. */
  function run(): Promise<{ status: number | null; signal: NodeJS.Signals | null; files: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'validate', '--format', 'json', '.'], { cwd: work, timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.on('error', reject);
      child.on('close', (status, signal) => {
        const text = Buffer.concat(out).toString('utf8');
        resolve({ status, signal, files: text ? (JSON.parse(text) as { files: unknown[] }).files.length : -1 });
      });
    });
  }

  it('40 runs over 3,000 directories, four at a time: each ends by itself with every file reported', async () => {
    for (let round = 0; round < 10; round++) {
      const runs = await Promise.all([run(), run(), run(), run()]);
      expect(runs).toEqual(Array(4).fill({ status: 0, signal: null, files: 3000 }));
    }
  }, 600_000);
});
