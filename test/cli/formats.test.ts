import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { xml } from '../../src/cli/format/junit';
import { artifactUri } from '../../src/cli/format/sarif';
import { repositoryRoot } from '../../src/cli/main';
import { LIMITS } from '../../src/template';
import { recorded } from './in-process';
import { cli, TEMPLATES } from './support';

const sarifSchema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);

describe('json', () => {
  it('has the stable shape', () => {
    const r = cli(['validate', '-f', 'json', 'valid/intrinsics.yaml', 'bad/invalid.json', 'valid/no-tasks.yaml']);
    expect(r.status).toBe(5);
    const report = JSON.parse(r.stdout);
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({
      files: 3,
      pass: 0,
      fail: 1,
      skip: 1,
      notTemplate: 0,
      error: 1,
      resources: 8,
      failingResources: 6,
      containers: { pass: 3, fail: 6, exempt: 0, suppressed: 0 },
    });
    expect(report.files[1]).toEqual({ path: 'bad/invalid.json', status: 'ERROR', error: 'invalid JSON: expected a property name in double quotes', line: 5, column: 5, resources: [] });
    expect(report.files[2]).toEqual({ path: 'valid/no-tasks.yaml', status: 'SKIP', skipReason: 'no-task-definitions', resources: [] });
    expect(report.files[0].resources[1]).toEqual({
      logicalId: 'EntryIf',
      type: 'AWS::ECS::TaskDefinition',
      status: 'FAIL',
      line: 23,
      column: 3,
      deployment: { containers: 2, failing: 1, exempt: 0 },
      containers: [
        { name: 'app', index: 0, status: 'PASS', line: 29, column: 11 },
        { name: 'envoy', index: 1, status: 'FAIL', reason: 'missing', line: 32, column: 13, conditions: [{ condition: 'UseSidecar', value: true }] },
      ],
    });
  });
});

describe('json: every field a finding can carry', () => {
  it('gives details, conditions, alternatives, exemptions, ignored suppressions and counts per deployment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-json-'));
    try {
      const template = [
        'Parameters:',
        '  Img: {Type: String}',
        '  Env: {Type: String}',
        '  Area: {Type: String}',
        'Conditions:',
        '  IsProd: !Equals [!Ref Env, prod]',
        '  IsEu: !Equals [!Ref Area, eu]',
        'Resources:',
        '  Unknown:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Properties:',
        '      ContainerDefinitions: !Ref Img',
        '  OnlyProd:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Condition: IsProd',
        '    Properties:',
        '      ContainerDefinitions:',
        '        - Name: app',
        '          Image: nginx',
        '          ReadonlyRootFilesystem: !Ref Img',
        '        - Name: log_router',
        '          Image: fluent-bit',
        '  Legacy:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Metadata:',
        '      guard:',
        '        SuppressedRules: [ECS_READONLY_ROOT_FILESYSTEM]',
        '    Properties:',
        '      ContainerDefinitions:',
        '        - Name: legacy',
        '          Image: legacy/app',
        '  ListByCondition:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Properties:',
        '      ContainerDefinitions: !If',
        '        - IsProd',
        '        - !Ref Img',
        '        - - Name: web',
        '            Image: nginx',
        '            ReadonlyRootFilesystem: true',
        '  ValueByCondition:',
        '    Type: AWS::ECS::TaskDefinition',
        '    Properties:',
        '      ContainerDefinitions:',
        '        - Name: api',
        '          Image: api',
        '          ReadonlyRootFilesystem: !If [IsProd, false, true]',
        '        - Name: worker',
        '          Image: worker',
        '          ReadonlyRootFilesystem: !If [IsProd, false, !If [IsProd, true, false]]',
        '        - Name: cron',
        '          Image: cron',
        '          ReadonlyRootFilesystem: !If [IsProd, false, !If [IsEu, false, true]]',
      ].join('\n');
      writeFileSync(join(dir, 't.yaml'), `${template}\n`);
      writeFileSync(join(dir, 'c.yaml'), 'ExemptContainerNames: [log_router]\n');
      const r = cli(['validate', '-f', 'json', '-c', 'c.yaml', 't.yaml'], { cwd: dir });
      const report = JSON.parse(r.stdout) as { summary: unknown; files: { resources: unknown[] }[] };
      expect(report.summary).toEqual({
        files: 1,
        pass: 0,
        fail: 1,
        skip: 0,
        notTemplate: 0,
        error: 0,
        resources: 5,
        failingResources: 5,
        containers: {
          pass: 1,
          fail: 5,
          exempt: 1,
          suppressed: 0,
        },
      });
      expect(report.files[0]!.resources).toEqual([
        {
          logicalId: 'Unknown',
          type: 'AWS::ECS::TaskDefinition',
          status: 'FAIL',
          line: 9,
          column: 3,
          reason: 'unresolved',
          detail: "parameter 'Img' has no value: pass --parameter Img=VALUE or a parameter file",
          containers: [],
        },
        {
          logicalId: 'OnlyProd',
          type: 'AWS::ECS::TaskDefinition',
          status: 'FAIL',
          line: 13,
          column: 3,
          deployment: {
            containers: 2,
            failing: 1,
            exempt: 1,
          },
          containers: [
            {
              name: 'app',
              index: 0,
              status: 'FAIL',
              reason: 'unresolved',
              line: 20,
              column: 11,
              detail: "parameter 'Img' has no value: pass --parameter Img=VALUE or a parameter file",
            },
            {
              name: 'log_router',
              index: 1,
              status: 'EXEMPT',
              line: 21,
              column: 11,
              exemptedBy: {
                property: 'ExemptContainerNames',
                pattern: 'log_router',
              },
            },
          ],
        },
        {
          logicalId: 'Legacy',
          type: 'AWS::ECS::TaskDefinition',
          status: 'FAIL',
          line: 23,
          column: 3,
          suppressionIgnored: true,
          deployment: {
            containers: 1,
            failing: 1,
            exempt: 0,
          },
          containers: [
            {
              name: 'legacy',
              index: 0,
              status: 'FAIL',
              reason: 'missing',
              line: 30,
              column: 11,
            },
          ],
        },
        {
          logicalId: 'ListByCondition',
          type: 'AWS::ECS::TaskDefinition',
          status: 'FAIL',
          line: 32,
          column: 3,
          reason: 'unresolved',
          detail: "parameter 'Img' has no value: pass --parameter Img=VALUE or a parameter file",
          conditions: [
            {
              condition: 'IsProd',
              value: true,
            },
          ],
          deployment: {
            containers: 1,
            failing: 0,
            exempt: 0,
          },
          containers: [
            {
              name: 'web',
              index: 0,
              status: 'PASS',
              line: 40,
              column: 13,
            },
          ],
        },
        {
          logicalId: 'ValueByCondition',
          type: 'AWS::ECS::TaskDefinition',
          status: 'FAIL',
          line: 41,
          column: 3,
          deployment: {
            containers: 3,
            failing: 3,
            exempt: 0,
          },
          containers: [
            {
              name: 'api',
              index: 0,
              status: 'FAIL',
              reason: 'false',
              line: 47,
              column: 11,
              conditions: [
                {
                  condition: 'IsProd',
                  value: true,
                },
              ],
            },
            {
              name: 'worker',
              index: 1,
              status: 'FAIL',
              reason: 'false',
              line: 50,
              column: 11,
            },
            {
              name: 'cron',
              index: 2,
              status: 'FAIL',
              reason: 'false',
              line: 53,
              column: 11,
              conditions: [
                {
                  condition: 'IsProd',
                  value: true,
                },
              ],
              whenAny: [
                [
                  {
                    condition: 'IsProd',
                    value: true,
                  },
                ],
                [
                  {
                    condition: 'IsProd',
                    value: false,
                  },
                  {
                    condition: 'IsEu',
                    value: true,
                  },
                ],
              ],
            },
          ],
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sarif', () => {
  // The schema's language pattern is not valid with the u flag; compile its patterns without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(sarifSchema);

  it('locates a file under the root from its URI there, percent-encoded, and one outside it by its file URI', () => {
    expect(artifactUri('/w/a b/#1/t.yaml', '/w')).toBe('a%20b/%231/t.yaml');
    expect(artifactUri('/w/..t.yaml', '/w')).toBe('..t.yaml');
    expect(artifactUri('/w', '/w')).toBe('file:///w');
    expect(artifactUri('/elsewhere/t.yaml', '/w')).toBe('file:///elsewhere/t.yaml');
    expect(artifactUri('/else where/#1.yaml', '/w')).toBe('file:///else%20where/%231.yaml');
    expect(artifactUri('/w', '/w/sub')).toBe('file:///w');
    expect(artifactUri('/w/a/t.yaml', '/w/a/b')).toBe('file:///w/a/t.yaml');
    expect(artifactUri('-', '/w')).toBe('stdin');
    // A relative path is from the working directory given.
    expect(artifactUri('t.yaml', '/w', '/w/infra')).toBe('infra/t.yaml');
    expect(artifactUri('../t.yaml', '/w/infra', '/w/infra/sub')).toBe('t.yaml');
    const base = mkdtempSync(join(tmpdir(), 'cli-sarif-'));
    const dir = join(base, 'a #1 100%');
    mkdirSync(dir);
    try {
      const failing = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n';
      writeFileSync(join(dir, 'in.yaml'), failing);
      writeFileSync(join(base, 'out.yaml'), failing);
      // Named by an absolute path, a file under the working directory is still located from it.
      const log = JSON.parse(cli(['validate', '-f', 'sarif', join(dir, 'in.yaml'), join(base, 'out.yaml')], { cwd: dir }).stdout);
      expect([validate(log), validate.errors ?? []]).toEqual([true, []]);
      expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(dir).href}/` } });
      expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toContain('/a%20%231%20100%25/');
      expect(log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) => r.locations[0]!.physicalLocation.artifactLocation)).toEqual([
        { uri: 'in.yaml', uriBaseId: '%SRCROOT%' },
        { uri: pathToFileURL(join(base, 'out.yaml')).href },
      ]);
      // SARIF columns are UTF-16 code units, and a lone CR ends a line, as the reader counts them.
      expect([log.runs[0].columnKind, log.runs[0].newlineSequences]).toEqual(['utf16CodeUnits', ['\r\n', '\n', '\r']]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('is valid SARIF 2.1.0 with one result per failing container and unreadable files as notifications', () => {
    const r = cli(['validate', '-f', 'sarif', '--allow-suppressions', 'valid/noncompliant.json', 'valid/suppressed.yaml', 'valid/shapes.yaml', 'bad/invalid.yaml']);
    expect(r.status).toBe(5);
    const log = JSON.parse(r.stdout);
    expect([validate(log), validate.errors ?? []]).toEqual([true, []]);
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(['ECS_READONLY_ROOT_FILESYSTEM']);
    const where = run0.results.map((res: any) => {
      const loc = res.locations[0].physicalLocation;
      return `${loc.artifactLocation.uri}:${loc.region.startLine}:${loc.region.startColumn}${res.suppressions ? ' suppressed' : ''}`;
    });
    // From the repository's root, as code scanning reads them.
    const from = relative(repositoryRoot(TEMPLATES), TEMPLATES).split(sep).filter(Boolean).map((p) => `${p}/`).join('');
    expect(where).toEqual([
      `${from}valid/noncompliant.json:7:6`,
      `${from}valid/noncompliant.json:8:46`,
      `${from}valid/noncompliant.json:9:43`,
      `${from}valid/suppressed.yaml:11:11 suppressed`,
      `${from}valid/shapes.yaml:7:11`,
      `${from}valid/shapes.yaml:21:3`,
      `${from}valid/shapes.yaml:32:11`,
      `${from}valid/shapes.yaml:33:11`,
    ]);
    expect(run0.results[0].message.text).toBe(
      "TaskDefinition 'JsonTask': container 'web': can write to its root filesystem: ReadonlyRootFilesystem missing. Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.",
    );
    expect(run0.invocations[0].executionSuccessful).toBe(false);
    expect(run0.invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'invalid YAML: All mapping items must start at the same column' },
        locations: [{ physicalLocation: { artifactLocation: { uri: `${from}bad/invalid.yaml`, uriBaseId: '%SRCROOT%' }, region: { startLine: 8, startColumn: 1 } } }],
      },
    ]);
  });

  it('reports standard input under --stdin-filename in every format, and under stdin without it', () => {
    const base = mkdtempSync(join(tmpdir(), 'cli-sarif-stdin-'));
    try {
      mkdirSync(join(base, 'repo', '.git'), { recursive: true });
      mkdirSync(join(base, 'repo', 'infra'), { recursive: true });
      const failing = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n';
      const run = (args: string[], input = failing) => cli(['validate', ...args, '-'], { cwd: join(base, 'repo', 'infra'), input });
      const sarif = (args: string[]) => JSON.parse(run(['-f', 'sarif', ...args]).stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation;
      expect(sarif(['--stdin-filename', 'ecs/task.yaml'])).toEqual({ uri: 'infra/ecs/task.yaml', uriBaseId: '%SRCROOT%' });
      expect(sarif([])).toEqual({ uri: 'stdin' });
      expect(run(['--stdin-filename', 'ecs/task.yaml']).stdout.split('\n')[0]).toBe('FAIL ecs/task.yaml');
      // Only standard input takes the name: a file given beside it keeps its own.
      writeFileSync(join(base, 'repo', 'infra', 'other.yaml'), failing);
      expect(run(['--stdin-filename', 'ecs/task.yaml', 'other.yaml']).stdout.split('\n').filter((l) => l.startsWith('FAIL '))).toEqual(['FAIL other.yaml', 'FAIL ecs/task.yaml']);
      expect(JSON.parse(run(['-f', 'json', '--stdin-filename', 'ecs/task.yaml']).stdout).files[0].path).toBe('ecs/task.yaml');
      expect(run(['-f', 'junit', '--stdin-filename', 'ecs/task.yaml']).stdout).toContain('<testsuite name="ecs/task.yaml"');
      // The name's extension says JSON, as a file's would: YAML named .json is not read as YAML.
      const json = run(['-f', 'json', '--stdin-filename', 'task.json']);
      expect([json.status, JSON.parse(json.stdout).files[0]]).toMatchObject([5, { path: 'task.json', status: 'ERROR' }]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("names files from the repository's root, found from the working directory up (.git a directory or a worktree's file)", () => {
    const base = mkdtempSync(join(tmpdir(), 'cli-sarif-repo-'));
    try {
      const failing = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n';
      mkdirSync(join(base, 'repo', '.git'), { recursive: true });
      mkdirSync(join(base, 'repo', 'infra', 'ecs'), { recursive: true });
      writeFileSync(join(base, 'repo', 'infra', 'ecs', 't.yaml'), failing);
      const located = (cwd: string) => {
        const log = JSON.parse(cli(['validate', '-f', 'sarif', join('ecs', 't.yaml')], { cwd }).stdout);
        return [log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, log.runs[0].results[0].locations[0].physicalLocation.artifactLocation];
      };
      expect(located(join(base, 'repo', 'infra'))).toEqual([`${pathToFileURL(join(base, 'repo')).href}/`, { uri: 'infra/ecs/t.yaml', uriBaseId: '%SRCROOT%' }]);
      rmSync(join(base, 'repo', '.git'), { recursive: true });
      writeFileSync(join(base, 'repo', '.git'), 'gitdir: /elsewhere/worktrees/repo\n');
      expect(located(join(base, 'repo', 'infra'))[1]).toEqual({ uri: 'infra/ecs/t.yaml', uriBaseId: '%SRCROOT%' });
      // No repository: from the working directory.
      rmSync(join(base, 'repo', '.git'));
      expect(located(join(base, 'repo', 'infra'))).toEqual([`${pathToFileURL(join(base, 'repo', 'infra')).href}/`, { uri: 'ecs/t.yaml', uriBaseId: '%SRCROOT%' }]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('is valid with no results', () => {
    const log = JSON.parse(cli(['validate', '-f', 'sarif', 'valid/compliant.json']).stdout);
    expect([validate(log), log.runs[0].results]).toEqual([true, []]);
  });

  it('refuses what the schema refuses (the check is not vacuous)', () => {
    const log = JSON.parse(cli(['validate', '-f', 'sarif', 'valid/sam.yaml']).stdout);
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });
});

describe('junit', () => {
  it('escapes the five characters XML gives a meaning, and drops those XML 1.0 cannot hold', () => {
    expect(xml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(xml('\u0000\u0008\u000b\u000c\u001f\ufffe\uffff|\t\n\r|\u007f\u00e9')).toBe('|\t\n\r|\u007f\u00e9');
  });

  it('names every testcase of a suite apart: long names whole, and a repeated one with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-junit-'));
    try {
      const long = 'service-'.padEnd(200, 'x');
      const text = `Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - {Name: ${long}a, ReadonlyRootFilesystem: true}\n        - {Name: ${long}b}\n        - {Name: twin}\n        - {Name: twin, ReadonlyRootFilesystem: true}\n        - {Name: twin}\n  U:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: [{Name: one}, {Name: one}, {Name: one}]\n`;
      writeFileSync(join(dir, 't.yaml'), text);
      const names = [...cli(['validate', '-f', 'junit', 't.yaml'], { cwd: dir }).stdout.matchAll(/<testcase classname="t.yaml" name="([^"]*)"/g)].map((m) => m[1]);
      // Three on one line: the line, then a count.
      expect(names).toEqual([`T/${long}a`, `T/${long}b`, 'T/twin', 'T/twin (line 9)', 'T/twin (line 10)', 'U/one', 'U/one (line 14)', 'U/one (line 14, 3)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a testsuite per file and a testcase per container', () => {
    const r = cli(['validate', '-f', 'junit', '--allow-suppressions', 'valid/suppressed.yaml', 'valid/no-tasks.yaml', 'bad/invalid.json', 'valid/noncompliant.json']);
    expect(r.status).toBe(5);
    expect(r.stdout).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="ecs-readonly-rootfs 1.0.0" tests="7" failures="3" errors="1" skipped="2">',
        '  <!-- 4 files: 1 PASS, 1 FAIL, 1 SKIP, 1 ERROR -->',
        '  <testsuite name="valid/suppressed.yaml" tests="2" failures="0" errors="0" skipped="1">',
        '    <testcase classname="valid/suppressed.yaml" name="LegacyTask/legacy" file="valid/suppressed.yaml" line="11">',
        '      <skipped message="&apos;legacy&apos;: suppressed by Metadata guard SuppressedRules (ReadonlyRootFilesystem missing)"/>',
        '    </testcase>',
        '    <testcase classname="valid/suppressed.yaml" name="LegacyTask/good" file="valid/suppressed.yaml" line="15"/>',
        '  </testsuite>',
        '  <testsuite name="valid/no-tasks.yaml" tests="1" failures="0" errors="0" skipped="1">',
        '    <testcase classname="valid/no-tasks.yaml" name="(template)" file="valid/no-tasks.yaml">',
        '      <skipped message="no ECS task definitions"/>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="bad/invalid.json" tests="1" failures="0" errors="1" skipped="0">',
        '    <testcase classname="bad/invalid.json" name="(template)" file="bad/invalid.json" line="5">',
        '      <error message="invalid JSON: expected a property name in double quotes" type="ERROR"/>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="valid/noncompliant.json" tests="3" failures="3" errors="0" skipped="0">',
        '    <testcase classname="valid/noncompliant.json" name="JsonTask/web" file="valid/noncompliant.json" line="7">',
        '      <failure message="&apos;web&apos;: can write to its root filesystem: ReadonlyRootFilesystem missing" type="missing">valid/noncompliant.json:7:6: &apos;web&apos;: can write to its root filesystem: ReadonlyRootFilesystem missing. Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.</failure>',
        '    </testcase>',
        '    <testcase classname="valid/noncompliant.json" name="JsonTask/worker" file="valid/noncompliant.json" line="8">',
        '      <failure message="&apos;worker&apos;: can write to its root filesystem: false" type="false">valid/noncompliant.json:8:46: &apos;worker&apos;: can write to its root filesystem: false. Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.</failure>',
        '    </testcase>',
        '    <testcase classname="valid/noncompliant.json" name="JsonTask/odd" file="valid/noncompliant.json" line="9">',
        '      <failure message="&apos;odd&apos;: can write to its root filesystem: not true or false" type="invalid">valid/noncompliant.json:9:43: &apos;odd&apos;: can write to its root filesystem: not true or false. Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });
});

describe('colour', () => {
  /** The command line run in this process, its standard output returned with its exit code. */
  async function inProcess(args: string[], env: Record<string, string | undefined>, isTty: boolean, cwd = TEMPLATES): Promise<{ status: number; out: string }> {
    const { status, stdout } = await recorded(args, { env, isTty, cwd });
    return { status, out: stdout };
  }
  const sam = async (env: Record<string, string | undefined>, isTty: boolean): Promise<string> => {
    const { status, out } = await inProcess(['validate', join(TEMPLATES, 'valid/sam.yaml')], env, isTty);
    expect(status).toBe(19);
    return out;
  };

  it('colours each verdict, and the fix, in its own colour', async () => {
    const dir = join(TEMPLATES, '..', 'report');
    const files = ['findings.yaml', 'kinds.yaml', 'broken.yaml', 'bucket.yaml'].map((f) => join(dir, f));
    const { status, out } = await inProcess(['validate', '--allow-suppressions', '-c', 'exempt.yaml', ...files], {}, true, dir);
    expect(status).toBe(5);
    const paint = (code: number, text: string) => `\u001b[${code}m${text}\u001b[0m`;
    for (const piece of [`${paint(31, 'FAIL')} `, `${paint(32, 'PASS')}`, `${paint(33, 'SKIP')} `, `${paint(35, 'ERROR')} `, `${paint(2, 'EXEMPT')} `, `${paint(33, 'SUPPRESSED')} `, `  ${paint(1, 'fix:')} `]) {
      expect(out).toContain(piece);
    }
  });

  it('colours verdicts on a terminal only', async () => {
    expect(await sam({}, true)).toContain('\u001b[31mFAIL\u001b[0m');
    expect(await sam({}, false)).not.toContain('\u001b[');
  });

  it('honours NO_COLOR (any non-empty value)', async () => {
    expect(await sam({ NO_COLOR: '1' }, true)).not.toContain('\u001b[');
    expect(await sam({ NO_COLOR: '' }, true)).toContain('\u001b[');
  });

  it('never colours when run as a child without a terminal', () => {
    expect(cli(['validate', 'valid/sam.yaml']).stdout).not.toContain('\u001b[');
  });
});

describe('what every format says', () => {
  const failing = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n';
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-formats-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names standard input <stdin> in text and JUnit, and stdin in SARIF', () => {
    expect(cli(['validate', '-'], { input: failing }).stdout.split('\n')[0]).toBe('FAIL <stdin>');
    // Named on the command line, standard input that is not a template is listed, not only counted.
    const k8s = cli(['validate', '-'], { input: 'kind: Pod\n---\nkind: Service\n' });
    expect([k8s.stdout.split('\n')[0], k8s.stderr, k8s.status]).toEqual(['SKIP <stdin>: not a CloudFormation template', "ecs-readonly-rootfs: warning: no CloudFormation template found under '-'\n", 0]);
    const junit = cli(['validate', '-f', 'junit', '-'], { input: failing }).stdout;
    expect(junit).toContain('<testsuite name="&lt;stdin&gt;" tests="1" failures="1" errors="0" skipped="0">');
    expect(junit).toContain('&lt;stdin&gt;:6:11: &apos;app&apos;: can write to its root filesystem: ReadonlyRootFilesystem missing.');
    const sarif = JSON.parse(cli(['validate', '-f', 'sarif', '-'], { input: failing }).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    // Not a file under the working directory: no base.
    expect(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation)).toEqual([{ uri: 'stdin' }]);
  });

  it('reads standard input whole past its first 64 KiB, up to the size limit', () => {
    const long = `${`${'#'.repeat(99)}\n`.repeat(1000)}${failing}`;
    expect(cli(['validate', '-'], { input: long }).stdout.split('\n').slice(0, 3)).toEqual([
      'FAIL <stdin>',
      '  <stdin>:1002:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem',
      "    <stdin>:1006:11: FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing",
    ]);
    const over = cli(['validate', '-'], { input: Buffer.alloc(LIMITS.maxBytes + 1, 0x20) });
    expect([over.stdout.split('\n')[0], over.status]).toEqual([`ERROR <stdin>: input is over the ${LIMITS.maxBytes}-byte limit`, 5]);
  });

  it('escapes control and direction characters of a file name, in text, JUnit and fix', () => {
    const name = 'a\u001b[2Jb\u202ec\u0085d.yaml';
    writeFileSync(join(dir, name), failing);
    const shown = 'a\\u001b[2Jb\\u202ec\\u0085d.yaml';
    const text = cli(['validate', name], { cwd: dir }).stdout;
    expect(text.split('\n').slice(0, 3)).toEqual([`FAIL ${shown}`, `  ${shown}:2:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem`, `    ${shown}:6:11: FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing`]);
    const junit = cli(['validate', '-f', 'junit', name], { cwd: dir }).stdout;
    expect(junit).toContain(`<testsuite name="${shown}" tests="1"`);
    // eslint-disable-next-line no-control-regex
    expect(junit).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0085\u202e]/);
    const fixed = cli(['fix', '--dry-run', name], { cwd: dir });
    expect(fixed.stderr.split('\n')[0]).toBe(`WOULD FIX ${shown}:6:11: 'app' in T: ReadonlyRootFilesystem: true`);
  });

  it('lists a file\'s notes under it, whether it is judged or skipped', () => {
    const pattern = "Parameters:\n  Env:\n    Type: String\n    AllowedPattern: '(a+)+$'\n";
    writeFileSync(join(dir, 'skipped.yaml'), `${pattern}Resources:\n  B:\n    Type: AWS::S3::Bucket\n`);
    writeFileSync(join(dir, 'judged.yaml'), `${pattern}${failing}`);
    const note = "  note: parameter 'Env': its AllowedPattern was not checked (a pattern that could take too long to run)";
    const r = cli(['validate', '-p', 'Env=aaaa', 'skipped.yaml', 'judged.yaml'], { cwd: dir });
    expect(r.stdout.split('\n').slice(0, 5)).toEqual(['SKIP skipped.yaml: no ECS task definitions', note, 'FAIL judged.yaml', note, '  judged.yaml:6:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem']);
  });

  it('reports a resource that is Windows in one deployment and fails in another by its failure', () => {
    writeFileSync(
      join(dir, 'os.yaml'),
      'Parameters:\n  Os: {Type: String}\nConditions:\n  IsWin: !Equals [!Ref Os, windows]\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RuntimePlatform:\n        OperatingSystemFamily: !If [IsWin, WINDOWS_SERVER_2022_CORE, LINUX]\n      ContainerDefinitions: !If\n        - IsWin\n        - []\n        - - Name: app\n            Image: nginx\n',
    );
    expect(cli(['validate', 'os.yaml'], { cwd: dir }).stdout.split('\n').slice(0, 3)).toEqual([
      'FAIL os.yaml',
      '  os.yaml:6:3: T (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem',
      "    os.yaml:14:13: FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing when condition IsWin is false",
    ]);
    expect(cli(['validate', '-p', 'Os=windows', 'os.yaml'], { cwd: dir }).stdout.split('\n').slice(0, 2)).toEqual([
      'PASS os.yaml',
      '  os.yaml:6:3: T (AWS::ECS::TaskDefinition) SKIP: Windows containers cannot use a read-only root filesystem, skipped',
    ]);
  });

  it('names each set of conditions under which a container fails', () => {
    writeFileSync(
      join(dir, 'branches.yaml'),
      'Parameters:\n  P: {Type: String}\n  Q: {Type: String}\nConditions:\n  A: !Equals [!Ref P, x]\n  B: !Equals [!Ref Q, y]\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n          ReadonlyRootFilesystem: !If [A, false, !If [B, false, true]]\n',
    );
    const r = cli(['validate', 'branches.yaml'], { cwd: dir });
    expect(r.stdout.split('\n')[2]).toBe("    branches.yaml:14:11: FAIL 'app': can write to its root filesystem: false when condition A is true, when condition A is false and B is true");
    // Decided by the values given, the conditions are no longer named.
    expect(cli(['validate', '-p', 'P=z', '-p', 'Q=y', 'branches.yaml'], { cwd: dir }).stdout.split('\n')[2]).toBe("    branches.yaml:14:11: FAIL 'app': can write to its root filesystem: false");
  });
});
