// fixTemplate in process: the exact fixed text, edits and listings the `fix` command prints and
// writes (docs/cli.md, "fix"), for every way a container can be written.
import { fixLabel, readConfigDocument, type FixContainer, type FixResult, fixTemplate, USUAL_WRITES, validateTemplate, type ValidateOptions } from '../../src/template';
import { apply, difference } from '../../src/template/fix';
import { fixture } from './support';

type Fixed = Extract<FixResult, { ok: true }>;

const NGINX = '/var/cache/nginx, /var/run (its pid file), /tmp';
const LOG_ROUTER = "its buffer directory (Fluent Bit's storage.path, e.g. /var/log/flb-storage), /tmp";
const OTHER = '/tmp and any directory it writes at run time';
const HOOK_CONFIG = readConfigDocument(fixture('fix/hook-config.yaml').toString('utf8')).config;

function fix(text: string, options: ValidateOptions = {}): Fixed {
  const result = fixTemplate(text, options);
  if (!result.ok) throw new Error(`not fixed: ${result.error.message}`);
  return result;
}

function refusal(text: string, options: ValidateOptions = {}): { message: string; line?: number; column?: number } {
  const result = fixTemplate(text, options);
  if (result.ok) throw new Error('fixed');
  return result.error;
}

/** A template with one task definition T whose ContainerDefinitions are `containers` (YAML lines, 8 spaces in). */
function task(containers: string, before = '', properties = ''): string {
  return `${before}Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n${properties}      ContainerDefinitions:\n${containers}`;
}
const HEAD_LINES = 5;

/** The text with lines changed: each key is a 1-based line number of `text`, each value the lines in its place. */
function withLines(text: string, changes: Record<number, string[]>): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(eol)
    .flatMap((line, i) => changes[i + 1] ?? [line])
    .join(eol);
}

/** What the command line lists for one container: where, which, and why. */
function listed(c: FixContainer): string {
  return `${c.line}:${c.column} ${c.logicalId}/${c.name ?? `[${c.index}]`}${c.why === undefined ? '' : `: ${c.why}`}${c.passes ? ' (passes)' : ''}`;
}

/** A second run changes nothing, and lists the same containers as left alone (lines may have moved). */
function expectIdempotent(result: Fixed, options: ValidateOptions = {}): void {
  const again = fix(result.text, options);
  expect(again.text).toBe(result.text);
  expect(again.edits).toEqual([]);
  expect(again.fixed).toEqual([]);
  const unplaced = (cs: readonly FixContainer[]) => cs.map(({ line: _line, ...rest }) => rest);
  expect(unplaced(again.left)).toEqual(unplaced(result.left));
}

describe('the fixtures (what test/cli/fix.test.ts runs through the command line)', () => {
  const original = fixture('fix/styles.yaml').toString('utf8');

  it('styles.yaml: block and flow styles, Fn::If branches; only the ReadonlyRootFilesystem lines change', () => {
    const r = fix(original, { fileName: 'styles.yaml', config: HOOK_CONFIG, strict: true });
    expect(r.text).toBe(
      withLines(original, {
        12: ['        - Name: missing   # the name', '          ReadonlyRootFilesystem: true'],
        18: ['          ReadonlyRootFilesystem: "true"'],
        20: ['          ReadonlyRootFilesystem: true # was false'],
        23: ['          ReadonlyRootFilesystem: true'],
        25: ['        - Image: unnamed', '          ReadonlyRootFilesystem: true'],
        35: ['        - {Name: one-line, Image: nginx, ReadonlyRootFilesystem: true}'],
        36: ['        - {Name: trailing-comma, Image: nginx, ReadonlyRootFilesystem: true }'],
        37: ["        - {Name: single-false, Image: nginx, ReadonlyRootFilesystem: 'true'}"],
        38: ['        - {', '            ReadonlyRootFilesystem: true,'],
        47: ['        - - Name: in-true-branch', '            ReadonlyRootFilesystem: true'],
        51: ['            ReadonlyRootFilesystem: true'],
      }),
    );
    expect(r.edits).toEqual([
      { offset: 365, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' },
      { offset: 588, remove: 7, insert: '"true"' },
      { offset: 660, remove: 5, insert: 'true' },
      { offset: 758, remove: 0, insert: ' true' },
      { offset: 809, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' },
      { offset: 1062, remove: 0, insert: ', ReadonlyRootFilesystem: true' },
      { offset: 1110, remove: 0, insert: ' ReadonlyRootFilesystem: true' },
      { offset: 1182, remove: 7, insert: "'true'" },
      { offset: 1203, remove: 0, insert: '            ReadonlyRootFilesystem: true,\n' },
      { offset: 1415, remove: 0, insert: '            ReadonlyRootFilesystem: true\n' },
      { offset: 1535, remove: 5, insert: 'true' },
    ]);
    expect(r.fixed).toEqual([
      { logicalId: 'Block', name: 'missing', index: 0, line: 12, column: 11, writes: NGINX },
      { logicalId: 'Block', name: 'quoted-false', index: 1, line: 16, column: 11, writes: OTHER },
      { logicalId: 'Block', name: 'boolean-false', index: 2, line: 19, column: 11, writes: OTHER },
      { logicalId: 'Block', name: 'empty', index: 3, line: 22, column: 11, writes: OTHER },
      { logicalId: 'Block', name: null, index: 4, line: 25, column: 11, writes: OTHER },
      { logicalId: 'Flow', name: 'one-line', index: 0, line: 35, column: 11, writes: NGINX },
      { logicalId: 'Flow', name: 'trailing-comma', index: 1, line: 36, column: 11, writes: NGINX },
      { logicalId: 'Flow', name: 'single-false', index: 2, line: 37, column: 11, writes: NGINX },
      { logicalId: 'Flow', name: 'multi-line', index: 3, line: 38, column: 11, writes: NGINX },
      { logicalId: 'Branches', name: 'in-true-branch', index: 0, line: 47, column: 13, writes: NGINX },
      { logicalId: 'Branches', name: 'in-false-branch', index: 0, line: 49, column: 13, writes: NGINX },
    ]);
    expect(r.left).toEqual([
      { logicalId: 'LeftAlone', name: 'from-parameter', index: 0, line: 56, column: 11, writes: NGINX, why: 'set by Ref: change the value it comes from' },
      { logicalId: 'LeftAlone', name: 'odd', index: 1, line: 59, column: 11, writes: NGINX, why: 'ReadonlyRootFilesystem is neither true nor false: set it by hand' },
      { logicalId: 'LeftAlone', name: 'log_router', index: 2, line: 62, column: 11, writes: LOG_ROUTER, passes: true, why: "exempt by ExemptContainerNames pattern 'log_router'" },
    ]);
  });

  it('styles.yaml: validate then fails only what fix left alone, and a second run changes nothing', () => {
    const options = { fileName: 'styles.yaml', config: HOOK_CONFIG, strict: true };
    const r = fix(original, options);
    const failing = validateTemplate(r.text, options).resources.flatMap((res) => res.containers.filter((c) => c.status === 'FAIL').map((c) => `${res.logicalId}/${c.name}`));
    expect(failing).toEqual(['LeftAlone/from-parameter', 'LeftAlone/odd']);
    expectIdempotent(r, options);
  });

  it('styles.yaml without a configuration: the log router is not exempt and is fixed, with its own hint', () => {
    const r = fix(original, { strict: true });
    expect(r.fixed.map(listed)).toContain('62:11 LeftAlone/log_router');
    expect(r.fixed.find((c) => c.name === 'log_router')?.writes).toBe(LOG_ROUTER);
    expect(r.text).toContain('        - Name: log_router\n          ReadonlyRootFilesystem: true\n          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:stable\n');
    expect(r.left.map(listed)).toEqual([
      '56:11 LeftAlone/from-parameter: set by Ref: change the value it comes from',
      '59:11 LeftAlone/odd: ReadonlyRootFilesystem is neither true nor false: set it by hand',
    ]);
  });

  it('styles.json: pretty-printed and compact JSON, keys quoted as JSON, still valid JSON', () => {
    const json = fixture('fix/styles.json').toString('utf8');
    const r = fix(json, { fileName: 'styles.json', strict: true });
    expect(r.text).toBe(
      withLines(json, {
        8: ['          {', '            "ReadonlyRootFilesystem": true,'],
        15: ['            "ReadonlyRootFilesystem": "true"'],
        17: ['          {"Name": "compact", "Image": "nginx", "ReadonlyRootFilesystem": true},'],
        18: ['          {"Name": "compact-false", "ReadonlyRootFilesystem": true, "Image": "nginx"}'],
      }),
    );
    expect(JSON.parse(r.text).Resources.Pretty.Properties.ContainerDefinitions.map((c: { ReadonlyRootFilesystem: unknown }) => c.ReadonlyRootFilesystem)).toEqual([true, 'true', true, true]);
    expect(r.edits).toEqual([
      { offset: 189, remove: 0, insert: '            "ReadonlyRootFilesystem": true,\n' },
      { offset: 378, remove: 7, insert: '"true"' },
      { offset: 445, remove: 0, insert: ', "ReadonlyRootFilesystem": true' },
      { offset: 510, remove: 5, insert: 'true' },
    ]);
    expect(r.fixed.map(listed)).toEqual(['8:11 Pretty/missing', '12:11 Pretty/string-false', '17:11 Pretty/compact', '18:11 Pretty/compact-false']);
    expect(r.left).toEqual([]);
    expectIdempotent(r, { fileName: 'styles.json', strict: true });
  });

  it('crlf.yaml: the inserted line ends with \\r\\n like the others', () => {
    const crlf = fixture('fix/crlf.yaml').toString('utf8');
    const r = fix(crlf, { fileName: 'crlf.yaml' });
    expect(r.text).toBe(
      'Resources:\r\n  Crlf:\r\n    Type: AWS::ECS::TaskDefinition\r\n    Properties:\r\n      ContainerDefinitions:\r\n        - Name: app\r\n          ReadonlyRootFilesystem: true\r\n          Image: nginx\r\n',
    );
    expect(r.edits).toEqual([{ offset: 124, remove: 0, insert: '          ReadonlyRootFilesystem: true\r\n' }]);
    expect(r.fixed).toEqual([{ logicalId: 'Crlf', name: 'app', index: 0, line: 6, column: 11, writes: NGINX }]);
    expectIdempotent(r);
  });

  it('a file mixing CR LF and LF: each inserted line ends as the line it follows', () => {
    const mixed = 'Resources:\r\n  T:\r\n    Type: AWS::ECS::TaskDefinition\r\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          Image: x\r\n        - Name: b\r\n          Image: x\n        - {\n            Name: c, Image: x }\r\n        - {\r\n            Name: d, Image: x }\n';
    const r = fix(mixed);
    expect(r.text).toBe(
      'Resources:\r\n  T:\r\n    Type: AWS::ECS::TaskDefinition\r\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          ReadonlyRootFilesystem: true\n          Image: x\r\n' +
        '        - Name: b\r\n          ReadonlyRootFilesystem: true\r\n          Image: x\n        - {\n            ReadonlyRootFilesystem: true,\n            Name: c, Image: x }\r\n' +
        '        - {\r\n            ReadonlyRootFilesystem: true,\r\n            Name: d, Image: x }\n',
    );
    expectIdempotent(r);
  });

  it('a file whose lines end with a lone CR: read as lines (as YAML and validate read it), the inserted line ends with CR too', () => {
    const cr = 'Resources:\r  Cr:\r    Type: AWS::ECS::TaskDefinition\r    Properties:\r      ContainerDefinitions:\r        - Name: app\r          Image: nginx\r';
    const r = fix(cr);
    expect(r.text).toBe(
      'Resources:\r  Cr:\r    Type: AWS::ECS::TaskDefinition\r    Properties:\r      ContainerDefinitions:\r        - Name: app\r          ReadonlyRootFilesystem: true\r          Image: nginx\r',
    );
    expect(r.edits).toEqual([{ offset: 116, remove: 0, insert: '          ReadonlyRootFilesystem: true\r' }]);
    expect(r.fixed).toEqual([{ logicalId: 'Cr', name: 'app', index: 0, line: 6, column: 11, writes: NGINX }]);
    expect(r.status).toBe('PASS');
    expectIdempotent(r);
    // Nothing to fix: the text comes back as given, CRs and all.
    expect(fix(r.text).text).toBe(r.text);
  });

  it('a file whose lines end with LF but for a lone CR: the inserted line ends with LF', () => {
    const mixed = 'Resources:\r  Cr:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: nginx\n';
    const r = fix(mixed);
    expect(r.text).toBe(mixed.replace('- Name: app\n', '- Name: app\n          ReadonlyRootFilesystem: true\n'));
    expect(r.edits).toEqual([expect.objectContaining({ insert: '          ReadonlyRootFilesystem: true\n' })]);
    expect(r.status).toBe('PASS');
  });
});

describe('which containers are fixed: the value as written', () => {
  const containers = [
    ['a', "'TRUE'"],
    ['b', 'True'],
    ['c', 'FALSE'],
    ['d', 'null'],
    ['e', '~'],
    ['f', '0'],
    ['g', '[false]'],
    ['h', '!GetAtt X.Y'],
    ['i', '{Fn::If: [C, true, false]}'],
    ['j', "'no'"],
    ['k', '{}'],
    ['l', '!If [C, "false", !Ref P]'],
    ['m', '!Ref AWS::NoValue'],
    ['n', '{Fn::If: [Strict, "FALSE", null]}'],
    ['o', '!If [C, "True", "false"]'],
    ['p', '!Sub AWS::NoValue'],
  ]
    .map(([name, value]) => `        - Name: ${name}\n          ReadonlyRootFilesystem: ${value}\n`)
    .join('');
  // In beforeAll, not at load: a fixer that refuses must fail these tests, not the file's loading.
  let r: Fixed;
  beforeAll(() => {
    r = fix(task(containers));
  });

  it('true in any case is left as it is and not listed; false and null in any spelling become true', () => {
    expect(r.text).toBe(
      withLines(task(containers), {
        [HEAD_LINES + 6]: ['          ReadonlyRootFilesystem: true'],
        [HEAD_LINES + 8]: ['          ReadonlyRootFilesystem: true'],
        [HEAD_LINES + 10]: ['          ReadonlyRootFilesystem: true'],
      }),
    );
    expect(r.edits).toEqual([
      { offset: 263, remove: 5, insert: 'true' },
      { offset: 321, remove: 4, insert: 'true' },
      { offset: 378, remove: 1, insert: 'true' },
    ]);
    expect(r.fixed.map(listed)).toEqual(['10:11 T/c', '12:11 T/d', '14:11 T/e']);
  });

  it('a value set by an intrinsic function, or neither true nor false, is left alone and says why', () => {
    expect(r.left.map(listed)).toEqual([
      '16:11 T/f: ReadonlyRootFilesystem is neither true nor false: set it by hand',
      '18:11 T/g: ReadonlyRootFilesystem is neither true nor false: set it by hand',
      '20:11 T/h: set by Fn::GetAtt: change the value it comes from',
      // The branch to change, when the Fn::If holds it as a value.
      "22:11 T/i: chosen by Fn::If on condition 'C': set its false branch to true, or the whole value",
      '24:11 T/j: ReadonlyRootFilesystem is neither true nor false: set it by hand',
      '26:11 T/k: ReadonlyRootFilesystem is neither true nor false: set it by hand',
      '28:11 T/l: set by Fn::If: change the value it comes from',
      '30:11 T/m: removed by Ref AWS::NoValue: set it to true',
      "32:11 T/n: chosen by Fn::If on condition 'Strict': set its true and false branches to true, or the whole value",
      "34:11 T/o: chosen by Fn::If on condition 'C': set its false branch to true, or the whole value",
      '36:11 T/p: set by Fn::Sub: change the value it comes from',
    ]);
    expect(r.left.every((c) => c.passes === undefined)).toBe(true);
  });

  it('names the branches of an Fn::If that do not read true, a string true in any case reading true', () => {
    const left = (value: string) => fix(task(`        - Name: q\n          ReadonlyRootFilesystem: ${value}\n`)).left.map((c) => c.why);
    expect(left('!If [C, "TRUE", false]')).toEqual(["chosen by Fn::If on condition 'C': set its false branch to true, or the whole value"]);
    expect(left('!If [C, null, "tRuE"]')).toEqual(["chosen by Fn::If on condition 'C': set its true branch to true, or the whole value"]);
    expect(left('!If [C, "yes", 1]')).toEqual(["chosen by Fn::If on condition 'C': set its true and false branches to true, or the whole value"]);
  });

  it('a template with nothing to fix comes back as given, with no edits', () => {
    const text = task("        - Name: a\n          ReadonlyRootFilesystem: true\n        - Name: b\n          ReadonlyRootFilesystem: 'true'\n");
    expect(fixTemplate(text)).toEqual({ ok: true, text, edits: [], fixed: [], left: [], status: 'PASS' });
    // YAML 1.1's yes and On are true, as CloudFormation reads them; y is the string "y".
    const yes = task('        - Name: a\n          ReadonlyRootFilesystem: yes\n        - Name: b\n          ReadonlyRootFilesystem: On\n');
    expect(fixTemplate(yes)).toEqual({ ok: true, text: yes, edits: [], fixed: [], left: [], status: 'PASS' });
    expect(fixTemplate(task('        - Name: odd\n          ReadonlyRootFilesystem: y\n'))).toEqual({
      ok: true,
      text: task('        - Name: odd\n          ReadonlyRootFilesystem: y\n'),
      edits: [],
      fixed: [],
      left: [{ logicalId: 'T', name: 'odd', index: 0, line: 6, column: 11, writes: OTHER, why: 'ReadonlyRootFilesystem is neither true nor false: set it by hand' }],
      status: 'FAIL',
    });
  });
});

describe('replacing a value keeps its quotes and what follows it', () => {
  it.each([
    ['false', 'true'],
    ['no', 'true'],
    ['OFF', 'true'],
    ['"false"', '"true"'],
    ["'false'", "'true'"],
    ["'False' # a comment", "'true' # a comment"],
    ['"FALSE"   ', '"true"   '],
    ['Null', 'true'],
  ])('%s becomes %s', (before, after) => {
    const r = fix(task(`        - Name: app\n          ReadonlyRootFilesystem: ${before}\n          Image: busybox\n`));
    expect(r.text).toBe(task(`        - Name: app\n          ReadonlyRootFilesystem: ${after}\n          Image: busybox\n`));
    expect(r.edits).toEqual([{ offset: 149, remove: before.replace(/ *(#.*)?$/, '').length, insert: after.replace(/ *(#.*)?$/, '') }]);
    expect(r.fixed).toEqual([{ logicalId: 'T', name: 'app', index: 0, line: 6, column: 11, writes: OTHER }]);
    expectIdempotent(r);
  });

  it('an empty value gets " true" after its colon, in block and flow style, whatever the key quoting', () => {
    const before = [
      '        - {Name: a, ReadonlyRootFilesystem: }',
      '        - {Name: b, ReadonlyRootFilesystem:}',
      '        - Name: c',
      '          ReadonlyRootFilesystem:   # none',
      '        - Name: d',
      '          "ReadonlyRootFilesystem":',
      '',
    ].join('\n');
    const r = fix(task(before));
    expect(r.text).toBe(
      task(
        [
          '        - {Name: a, ReadonlyRootFilesystem: true }',
          '        - {Name: b, ReadonlyRootFilesystem: true}',
          '        - Name: c',
          '          ReadonlyRootFilesystem: true   # none',
          '        - Name: d',
          '          "ReadonlyRootFilesystem": true',
          '',
        ].join('\n'),
      ),
    );
    expect(r.edits).toEqual([
      { offset: 138, remove: 0, insert: ' true' },
      { offset: 184, remove: 0, insert: ' true' },
      { offset: 237, remove: 0, insert: ' true' },
      { offset: 300, remove: 0, insert: ' true' },
    ]);
    expect(r.fixed.map(listed)).toEqual(['6:11 T/a', '7:11 T/b', '8:11 T/c', '10:11 T/d']);
    expectIdempotent(r);
  });

  it('an empty value whose colon is not on the key line is left alone', () => {
    const text = task('        - ? ReadonlyRootFilesystem\n          :\n          Name: a\n        - Name: b\n          ? ReadonlyRootFilesystem\n');
    const r = fix(text);
    expect(r.text).toBe(text);
    expect(r.left.map(listed)).toEqual(['6:11 T/a: its ReadonlyRootFilesystem could not be located', '9:11 T/b: its ReadonlyRootFilesystem could not be located']);
    expect(r.fixed).toEqual([]);
  });

  it('a flow key without a colon is left alone, and the other containers are fixed', () => {
    const text = task('        - {ReadonlyRootFilesystem}\n        - {ReadonlyRootFilesystem, Name: app}\n        - {ReadonlyRootFilesystem , Image: x}\n        - Name: b\n');
    const r = fix(text);
    expect(r.text).toBe(task('        - {ReadonlyRootFilesystem}\n        - {ReadonlyRootFilesystem, Name: app}\n        - {ReadonlyRootFilesystem , Image: x}\n        - Name: b\n          ReadonlyRootFilesystem: true\n'));
    expect(r.left.map(listed)).toEqual([
      '6:11 T/[0]: its ReadonlyRootFilesystem could not be located',
      '7:11 T/app: its ReadonlyRootFilesystem could not be located',
      '8:11 T/[2]: its ReadonlyRootFilesystem could not be located',
    ]);
    expect(r.fixed.map(listed)).toEqual(['9:11 T/b']);
  });

  it('spaces and tabs between the key and its colon stay', () => {
    const r = fix(task('        - {Name: a, ReadonlyRootFilesystem \t:}\n        - Name: b\n          ReadonlyRootFilesystem  :\n'));
    expect(r.text).toBe(task('        - {Name: a, ReadonlyRootFilesystem \t: true}\n        - Name: b\n          ReadonlyRootFilesystem  : true\n'));
  });
});

describe('a missing key in a block mapping: a line of its own, same indentation and key quoting', () => {
  it("goes after the container's Name, wherever Name is", () => {
    const r = fix(task('        - Image: x\n          Environment: []\n          Name: a   # n\n          Cpu: 1\n'));
    expect(r.text).toBe(task('        - Image: x\n          Environment: []\n          Name: a   # n\n          ReadonlyRootFilesystem: true\n          Cpu: 1\n'));
    expect(r.edits).toEqual([{ offset: 164, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' }]);
    expectIdempotent(r);
  });

  it('takes the indentation of the keys, however far the dash is from them', () => {
    const r = fix(task('        -   Image: x\n            Name: a\n'));
    expect(r.text).toBe(task('        -   Image: x\n            Name: a\n            ReadonlyRootFilesystem: true\n'));
    expect(r.fixed.map(listed)).toEqual(['6:13 T/a']);
  });

  it('quotes the key as the Name key is quoted', () => {
    expect(fix(task('        - Image: x\n          "Name": a\n')).text).toBe(task('        - Image: x\n          "Name": a\n          "ReadonlyRootFilesystem": true\n'));
    expect(fix(task("        - \"Image\": x\n          'Name': a\n")).text).toBe(task("        - \"Image\": x\n          'Name': a\n          'ReadonlyRootFilesystem': true\n"));
    expect(fix(task("        - 'Image': x\n          Name: a\n")).text).toBe(task("        - 'Image': x\n          Name: a\n          ReadonlyRootFilesystem: true\n"));
  });

  it('goes after the first one-line entry when Name is missing, empty, a block scalar or spans lines', () => {
    const cases: [string, string][] = [
      ['        - Command:\n            - sleep\n          Image: x\n          Cpu: 1\n', '        - Command:\n            - sleep\n          Image: x\n          ReadonlyRootFilesystem: true\n          Cpu: 1\n'],
      ["        - 'Image': x\n          \"Name\": >-\n            app\n          Cpu: 1\n", "        - 'Image': x\n          'ReadonlyRootFilesystem': true\n          \"Name\": >-\n            app\n          Cpu: 1\n"],
      ['        - Name: >\n          Image: x\n', '        - Name: >\n          Image: x\n          ReadonlyRootFilesystem: true\n'],
      ['        - Name: |\n          Image: x\n', '        - Name: |\n          Image: x\n          ReadonlyRootFilesystem: true\n'],
      ['        - Name:\n          Image: x\n', '        - Name:\n          ReadonlyRootFilesystem: true\n          Image: x\n'],
      ['        - Name: [\n            a]\n          Image: x\n', '        - Name: [\n            a]\n          Image: x\n          ReadonlyRootFilesystem: true\n'],
    ];
    for (const [before, after] of cases) expect(fix(task(before)).text).toBe(task(after));
  });

  it('a container with no one-line entry is left alone and says why', () => {
    const text = task('        - Command:\n            - sleep\n          Name: |\n            app\n        - Name: |\n');
    const r = fix(text);
    expect(r.text).toBe(text);
    expect(r.left).toEqual([
      { logicalId: 'T', name: 'app\n', index: 0, line: 6, column: 11, writes: OTHER, why: 'no one-line entry in the container to put the line after' },
      { logicalId: 'T', name: null, index: 1, line: 10, column: 11, writes: OTHER, why: 'no one-line entry in the container to put the line after' },
    ]);
  });

  it('at the end of a file without a final line break, the line starts with the line break of the file', () => {
    const lf = fix(task('        - Image: x\n          Name: a'));
    expect(lf.text).toBe(task('        - Image: x\n          Name: a\n          ReadonlyRootFilesystem: true'));
    expect(lf.edits).toEqual([{ offset: 131, remove: 0, insert: '\n          ReadonlyRootFilesystem: true' }]);
    const crlf = task('        - Image: x\r\n          Name: a').replace(/(?<!\r)\n/g, '\r\n');
    const r = fix(crlf);
    expect(r.text).toBe(`${crlf}\r\n          ReadonlyRootFilesystem: true`);
    expect(r.edits).toEqual([{ offset: crlf.length, remove: 0, insert: '\r\n          ReadonlyRootFilesystem: true' }]);
    expectIdempotent(r);
  });

  it('each container of a list gets its own line', () => {
    const r = fix(task('        - Name: a\n          Image: nginx\n        - Name: b\n          Image: nginx\n'));
    expect(r.text).toBe(task('        - Name: a\n          ReadonlyRootFilesystem: true\n          Image: nginx\n        - Name: b\n          ReadonlyRootFilesystem: true\n          Image: nginx\n'));
    expect(r.edits).toEqual([
      { offset: 113, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' },
      { offset: 154, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' },
    ]);
  });
});

describe('a missing key in a flow mapping', () => {
  it('one line: after its last entry, on that line, the colon spaced as after the first key and the key quoted as it', () => {
    const before = ['        - {Name: a, Image: b}', "        - {'Name': a, Image: b}", '        - {"Name": a, Image: b}', '        - {Name : a}', '        - {"Name":"a"}', '        - {Image: x, Name}', ''].join('\n');
    const after = [
      '        - {Name: a, Image: b, ReadonlyRootFilesystem: true}',
      "        - {'Name': a, Image: b, 'ReadonlyRootFilesystem': true}",
      '        - {"Name": a, Image: b, "ReadonlyRootFilesystem": true}',
      '        - {Name : a, ReadonlyRootFilesystem: true}',
      '        - {"Name":"a", "ReadonlyRootFilesystem":true}',
      '        - {Image: x, Name, ReadonlyRootFilesystem: true}',
      '',
    ].join('\n');
    const r = fix(task(before));
    expect(r.text).toBe(task(after));
    expect(r.fixed.map(listed)).toEqual(['6:11 T/a', '7:11 T/a', '8:11 T/a', '9:11 T/a', '10:11 T/a', '11:11 T/[5]']);
    expectIdempotent(r);
  });

  it('the colon never copies the tag or anchor of the first value; tabs and spaces after it are kept', () => {
    const before = [
      "        - {Name: !Sub '${AWS::Region}-app', Image: nginx}",
      '        - {Name: &n app}',
      '        - {',
      '            Name: !Ref AWS::StackName,',
      '            Image: nginx',
      '          }',
      "        - {'Name':'a'}",
      '        - {Name:   a}',
      '        - {"Name"\t:\t"a"}',
      '        - {"Name", Image: a}',
      '        - {Name, Image: a}',
      '',
    ].join('\n');
    const after = [
      "        - {Name: !Sub '${AWS::Region}-app', Image: nginx, ReadonlyRootFilesystem: true}",
      '        - {Name: &n app, ReadonlyRootFilesystem: true}',
      '        - {',
      '            ReadonlyRootFilesystem: true,',
      '            Name: !Ref AWS::StackName,',
      '            Image: nginx',
      '          }',
      "        - {'Name':'a', 'ReadonlyRootFilesystem':true}",
      '        - {Name:   a, ReadonlyRootFilesystem:   true}',
      '        - {"Name"\t:\t"a", "ReadonlyRootFilesystem":\ttrue}',
      '        - {"Name", Image: a, "ReadonlyRootFilesystem":true}',
      '        - {Name, Image: a, ReadonlyRootFilesystem: true}',
      '',
    ].join('\n');
    const r = fix(task(before));
    expect(r.text).toBe(task(after));
    expect(r.fixed.map(listed)).toEqual(['6:11 T/[0]', '7:11 T/app', '8:11 T/[2]', '12:11 T/a', '13:11 T/a', '14:11 T/a', '15:11 T/[6]', '16:11 T/[7]']);
    expectIdempotent(r);
  });

  // The comma spaced as the mapping spaces its commas on their line: none in compact JSON.
  it.each([
    ['compact JSON', '{"Name":"a","Image":"b"}', '{"Name":"a","Image":"b","ReadonlyRootFilesystem":true}'],
    ['the first comma with more after it on its line', '{Name: a,\tImage: b,  Essential: true}', '{Name: a,\tImage: b,  Essential: true,\tReadonlyRootFilesystem: true}'],
    ['a trailing comma', '{"Name":"a","Image":"b",}', '{"Name":"a","Image":"b","ReadonlyRootFilesystem":true}'],
    ['a comma before a comment, then one on the next line', '{Name: a, # c\n           Image: b,Cpu: 1}', '{Name: a, # c\n           Image: b,Cpu: 1,ReadonlyRootFilesystem: true}'],
    ['a comma at the end of a line ending with CR LF, then one on the next line', '{Name: a,\r\n           Image: b,  Cpu: 1}', '{Name: a,\r\n           Image: b,  Cpu: 1,  ReadonlyRootFilesystem: true}'],
    ['spaces and tabs before the commas', '{Name: a \t,Image: b}', '{Name: a \t,Image: b,ReadonlyRootFilesystem: true}'],
    ['a comment between an entry and its comma', '{Name: a  # c\n           , Image: b,\tCpu: 1}', '{Name: a  # c\n           , Image: b,\tCpu: 1,\tReadonlyRootFilesystem: true}'],
    ['a trailing comma, the only one on its line', '{Name: a,\n           Image: b,\t}', '{Name: a,\n           Image: b, ReadonlyRootFilesystem: true\t}'],
  ])('after a comma spaced as the mapping’s own: %s', (_, before, after) => {
    const r = fix(task(`        - ${before}\n`));
    expect(r.text).toBe(task(`        - ${after}\n`));
    expectIdempotent(r);
  });

  it('after a trailing comma, keeping the spaces and tabs before it', () => {
    const r = fix(task('        - {Name: a, Image: b, }\n        - {Name: a, Image: b , }\n        - {Name: a, Image: b\t, }\n        - {Name: a, Image: b \t ,}\n'));
    expect(r.text).toBe(
      task(
        '        - {Name: a, Image: b, ReadonlyRootFilesystem: true }\n        - {Name: a, Image: b , ReadonlyRootFilesystem: true }\n        - {Name: a, Image: b\t, ReadonlyRootFilesystem: true }\n        - {Name: a, Image: b \t , ReadonlyRootFilesystem: true}\n',
      ),
    );
    expect(r.edits.map((e) => e.insert)).toEqual([' ReadonlyRootFilesystem: true', ' ReadonlyRootFilesystem: true', ' ReadonlyRootFilesystem: true', ' ReadonlyRootFilesystem: true']);
  });

  it('several lines with the first key on a line of its own: a line of its own before it, same indentation and quoting', () => {
    const r = fix(task("        - {  # c\n            'Name': a,\n            Image: b\n          }\n        - {\n\n          Name: c}\n"));
    expect(r.text).toBe(task("        - {  # c\n            'ReadonlyRootFilesystem': true,\n            'Name': a,\n            Image: b\n          }\n        - {\n\n          ReadonlyRootFilesystem: true,\n          Name: c}\n"));
    expect(r.edits).toEqual([
      { offset: 112, remove: 0, insert: "            'ReadonlyRootFilesystem': true,\n" },
      { offset: 181, remove: 0, insert: '          ReadonlyRootFilesystem: true,\n' },
    ]);
    expectIdempotent(r);
  });

  it('several lines with the first key on the brace line: after its last entry', () => {
    const r = fix(task('        - {Name: a,\n           Image: b\n          }\n'));
    expect(r.text).toBe(task('        - {Name: a,\n           Image: b, ReadonlyRootFilesystem: true\n          }\n'));
  });

  it('empty: inside the braces', () => {
    const r = fix(task('        - {\n          }\n        - { }\n        - {}\n'));
    expect(r.text).toBe(task('        - { ReadonlyRootFilesystem: true \n          }\n        - { ReadonlyRootFilesystem: true  }\n        - { ReadonlyRootFilesystem: true }\n'));
    expect(r.edits).toEqual([
      { offset: 106, remove: 0, insert: ' ReadonlyRootFilesystem: true ' },
      { offset: 130, remove: 0, insert: ' ReadonlyRootFilesystem: true ' },
      { offset: 144, remove: 0, insert: ' ReadonlyRootFilesystem: true ' },
    ]);
    expect(r.fixed.map(listed)).toEqual(['6:11 T/[0]', '8:11 T/[1]', '9:11 T/[2]']);
  });
});

describe('which containers are reached', () => {
  const CONDITION = 'Conditions:\n  C: !Equals [a, b]\n';

  it('every branch of an Fn::If on an entry, on the list and on the properties', () => {
    const entry = fix(task('        - !If [C, {Name: a, Image: b}, !Ref AWS::NoValue]\n        - !If\n          - C\n          - Name: c\n          - Name: d\n            ReadonlyRootFilesystem: false\n', CONDITION));
    expect(entry.text).toBe(
      task('        - !If [C, {Name: a, Image: b, ReadonlyRootFilesystem: true}, !Ref AWS::NoValue]\n        - !If\n          - C\n          - Name: c\n            ReadonlyRootFilesystem: true\n          - Name: d\n            ReadonlyRootFilesystem: true\n', CONDITION),
    );
    expect(entry.fixed.map(listed)).toEqual(['8:19 T/a', '11:13 T/c', '12:13 T/d']);
    expect(entry.fixed.map((c) => c.index)).toEqual([0, 1, 1]);

    const properties = `${CONDITION}Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !If\n      - C\n      - ContainerDefinitions: !If [C, [{Name: a}], [{Name: b}]]\n      - RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2022_CORE}\n        ContainerDefinitions:\n          - Name: win\n`;
    const p = fix(properties);
    expect(p.text).toBe(properties.replace('[{Name: a}], [{Name: b}]', '[{Name: a, ReadonlyRootFilesystem: true}], [{Name: b, ReadonlyRootFilesystem: true}]'));
    expect(p.fixed.map(listed)).toEqual(['8:40 T/a', '8:53 T/b']);
  });

  it('an Fn::If without two branches, another intrinsic function and AWS::NoValue are not followed; what validate fails is listed', () => {
    const text = task(
      '        - !If [C, {Name: a, Image: b}]\n        - !If [C, {Name: a}, {Name: b}, {Name: c}]\n        - !FindInMap [M, K, {Name: e}]\n        - !Ref AWS::NoValue\n        - 5\n        - [{Name: f}]\n',
      CONDITION,
    );
    const r = fix(text);
    expect({ ...r, left: r.left.map(listed) }).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        '8:15 T/[0]: the container is set by Fn::If: change the value it comes from',
        '9:15 T/[1]: the container is set by Fn::If: change the value it comes from',
        '10:22 T/[2]: the container is set by Fn::FindInMap: change the value it comes from',
        '12:11 T/[3]: not a container definition object: fix it by hand',
        '13:11 T/[4]: not a container definition object: fix it by hand',
      ],
      status: 'FAIL',
    });
    // A list or properties set by an intrinsic function: the task definition as a whole, with validate's reason.
    const list = task('', 'Parameters:\n  L: {Type: String}\n').replace('ContainerDefinitions:\n', 'ContainerDefinitions: !FindInMap [M, K, [{Name: a}]]\n');
    const l = fix(list);
    expect(l.edits).toEqual([]);
    expect(l.left).toEqual([
      { logicalId: 'T', name: null, index: 0, line: 4, column: 3, taskDefinition: true, writes: OTHER, why: 'containers unknown before deployment (a non-text argument cannot be evaluated before deployment): fix it by hand' },
    ]);
    const properties = task('        - Name: a\n').replace('    Properties:\n      ContainerDefinitions:\n        - Name: a\n', '    Properties: !Ref P\n');
    const p = fix(properties);
    expect(p.edits).toEqual([]);
    expect(p.left.map(listed)).toEqual(["2:3 T/[0]: containers unknown before deployment (Ref to resource 'P' is only known at deploy time): fix it by hand"]);
    // Set by an intrinsic function that reads as a container that complies: nothing to say.
    expect(fix(task('        - !Select [0, [{Name: a, ReadonlyRootFilesystem: true}]]\n'))).toEqual({ ok: true, text: task('        - !Select [0, [{Name: a, ReadonlyRootFilesystem: true}]]\n'), edits: [], fixed: [], left: [], status: 'PASS' });
  });

  it('Windows task definitions are never touched, also when the family comes from a parameter', () => {
    const os = 'Parameters:\n  Os: {Type: String, Default: WINDOWS_SERVER_2019_FULL}\n';
    const text = task('        - Name: a\n', os, '      RuntimePlatform: {OperatingSystemFamily: !Ref Os}\n');
    expect(fix(text).edits).toEqual([]);
    expect(fix(text, { parameters: { Os: 'LINUX' } }).text).toBe(task('        - Name: a\n          ReadonlyRootFilesystem: true\n', os, '      RuntimePlatform: {OperatingSystemFamily: !Ref Os}\n'));
    expect(fix(task('        - Name: a\n', '', '      RuntimePlatform: {OperatingSystemFamily: LINUX}\n')).fixed.map(listed)).toEqual(['7:11 T/a']);
  });

  it('a task definition that is Windows or Linux as a condition decides is left, naming the condition', () => {
    const before = 'Parameters:\n  Env: {Type: String}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n';
    const text = task('        - Name: a\n', before, '      RuntimePlatform: {OperatingSystemFamily: !If [Prod, WINDOWS_SERVER_2022_CORE, LINUX]}\n');
    const r = fix(text);
    expect(r.edits).toEqual([]);
    expect(r.left.map(listed)).toEqual([
      "11:11 T/a: the task definition is Windows (no read-only root filesystem) or Linux as condition 'Prod' decides: set ReadonlyRootFilesystem for Linux by hand (with Fn::If)",
    ]);
    // A value given decides it: Windows is left alone and not listed, Linux is fixed.
    expect(fix(text, { parameters: { Env: 'prod' } })).toMatchObject({ edits: [], left: [] });
    expect(fix(text, { parameters: { Env: 'dev' } }).fixed.map(listed)).toEqual(['11:11 T/a']);
    // Every condition that decides it is named; an entry that is no mapping, or set by an intrinsic,
    // is listed as validate lists it; one that reads true is not listed.
    const two = before + '  Big: !Equals [!Ref Env, big]\n';
    const nested = task('        - Name: a\n        - just text\n        - !ImportValue shared-container\n        - {Name: ok, ReadonlyRootFilesystem: true}\n', two, '      RuntimePlatform: {OperatingSystemFamily: !If [Prod, !If [Big, WINDOWS_SERVER_2022_FULL, LINUX], LINUX]}\n');
    expect(fix(nested).left.map(listed)).toEqual([
      "12:11 T/a: the task definition is Windows (no read-only root filesystem) or Linux as condition 'Prod', 'Big' decides: set ReadonlyRootFilesystem for Linux by hand (with Fn::If)",
      '13:11 T/[1]: not a container definition object: fix it by hand',
      '14:24 T/[2]: value unknown before deployment (Fn::ImportValue cannot be evaluated before deployment): fix it by hand',
    ]);
  });

  it('a task definition whose Condition is false for the parameters given is not touched', () => {
    const before = 'Parameters:\n  Env: {Type: String, Default: dev}\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n';
    const text = task('        - Name: a\n', before, '').replace('    Properties:', '    Condition: Prod\n    Properties:');
    expect(fix(text, { parameters: { Env: 'dev' } }).edits).toEqual([]);
    expect(fix(text, { evaluateConditions: true }).edits).toEqual([]);
    expect(fix(text, { parameters: { Env: 'prod' } }).fixed.map(listed)).toEqual(['11:11 T/a']);
    // Without parameter values every deployment counts, and the condition decides nothing.
    expect(fix(text).fixed.map(listed)).toEqual(['11:11 T/a']);
    expect(fix(text.replace('Condition: Prod', 'Condition: [Prod]'), { parameters: { Env: 'dev' } }).fixed.map(listed)).toEqual(['11:11 T/a']);
  });

  it('Fn::ForEach: the one text of several task definitions is fixed once, and each copy listed', () => {
    const r = fix(fixture('valid/foreach.yaml').toString('utf8'));
    expect(r.edits).toEqual([]);
    expect(r.left.map(listed)).toEqual(["15:15 Taskapi/api: chosen by Fn::If on condition 'IsLocked': set its false branch to true, or the whole value", "15:15 Taskworker/worker: chosen by Fn::If on condition 'IsLocked': set its false branch to true, or the whole value"]);
    const missing = fixture('valid/foreach.yaml').toString('utf8').replace('              ReadonlyRootFilesystem: !If [IsLocked, true, false]\n', '');
    const m = fix(missing);
    expect(m.text).toBe(missing.replace('- Name: !Ref Svc\n', '- Name: !Ref Svc\n              ReadonlyRootFilesystem: true\n'));
    expect(m.edits.length).toBe(1);
    expect(m.fixed.map(listed)).toEqual(['15:15 Taskapi/api', '15:15 Taskworker/worker']);
    expect(m.status).toBe('PASS');
  });

  it('Fn::ForEach: a text shared by an exempt or Windows copy and one that fails is left, and says why', () => {
    const missing = fixture('valid/foreach.yaml').toString('utf8').replace('              ReadonlyRootFilesystem: !If [IsLocked, true, false]\n', '');
    const config = readConfigDocument('ExemptContainerNames: [worker]\n').config;
    const r = fix(missing, { config });
    expect(r.edits).toEqual([]);
    expect(r.left.map(listed)).toEqual([
      "15:15 Taskworker/worker: exempt by ExemptContainerNames pattern 'worker' (passes)",
      '15:15 Taskapi/api: written once for several Fn::ForEach copies, not all of them to be fixed (exempt or Windows): fix it by hand',
    ]);
    expect(r.status).toBe('FAIL');
    const windows = missing
      .replace('    Default: api,worker\n', '    Default: api,worker\n  Os:\n    Type: String\n    Default: LINUX\n')
      .replace('        Properties:\n', '        Properties:\n          RuntimePlatform:\n            OperatingSystemFamily: !FindInMap [Family, !Ref Svc, Os]\n')
      .replace('Resources:\n', 'Mappings:\n  Family:\n    api: {Os: LINUX}\n    worker: {Os: WINDOWS_SERVER_2022_CORE}\nResources:\n');
    const w = fix(windows);
    expect(w.edits).toEqual([]);
    expect(w.left.map(listed)).toEqual(['24:15 Taskapi/api: written once for several Fn::ForEach copies, not all of them to be fixed (exempt or Windows): fix it by hand']);
  });

  it('a container written once and used again through a YAML alias is left, naming the anchor', () => {
    const text = task('        - &c {Name: a, Image: nginx}\n        - *c\n');
    const why = 'shared through the YAML anchor &c: fix it by hand';
    expect(fixTemplate(text)).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: 'a', index: 0, line: 6, column: 14, writes: NGINX, why },
        { logicalId: 'T', name: 'a', index: 1, line: 6, column: 14, writes: NGINX, why },
      ],
      status: 'FAIL',
    });
  });
});

describe('suppressions (Metadata guard SuppressedRules)', () => {
  const suppressed = fixture('valid/suppressed.yaml').toString('utf8');

  it('honoured without strict: failing containers are listed as passing, and nothing is written', () => {
    expect(fix(suppressed)).toEqual({
      ok: true,
      text: suppressed,
      edits: [],
      fixed: [],
      left: [{ logicalId: 'LegacyTask', name: 'legacy', index: 0, line: 11, column: 11, writes: OTHER, passes: true, why: 'suppressed by Metadata guard SuppressedRules (--allow-suppressions)' }],
      status: 'PASS',
    });
  });

  it('ignored with strict, as the hook ignores them: the containers are fixed', () => {
    const r = fix(suppressed, { strict: true });
    expect(r.text).toBe(suppressed.replace('        - Name: legacy\n', '        - Name: legacy\n          ReadonlyRootFilesystem: true\n'));
    expect(r.fixed.map(listed)).toEqual(['11:11 LegacyTask/legacy']);
    expect(r.left).toEqual([]);
  });

  it('only the rule of this check suppresses, written under Metadata.guard.SuppressedRules', () => {
    for (const metadata of ['guard: {SuppressedRules: [OTHER_RULE]}', 'guard: {SuppressedRules: ECS_READONLY_ROOT_FILESYSTEM}', 'guard: [ECS_READONLY_ROOT_FILESYSTEM]', 'SuppressedRules: [ECS_READONLY_ROOT_FILESYSTEM]']) {
      const text = suppressed.replace(/ {4}Metadata:\n(?: {6,}.*\n)+/, `    Metadata:\n      ${metadata}\n`);
      expect([metadata, fix(text).fixed.map(listed)]).toEqual([metadata, [`${text.split('\n').indexOf('        - Name: legacy') + 1}:11 LegacyTask/legacy`]]);
    }
    const listMetadata = suppressed.replace(/ {4}Metadata:\n(?: {6,}.*\n)+/, '    Metadata: [guard]\n');
    expect(fix(listMetadata).fixed.length).toBe(1);
  });
});

describe('exemptions (the hook configuration)', () => {
  const config = readConfigDocument(`ExemptImages: ['reg/app:*']\nExemptContainerNames: ['${'n'.repeat(150)}*', sidecar]\n`).config;

  it('by container name or image, with the pattern (at most 128 characters shown); they pass', () => {
    const long = 'n'.repeat(160);
    const r = fix(task(`        - Name: a\n          Image: reg/app:1\n        - Name: b\n          Image: !Ref AWS::NoValue\n        - Image: reg/app:2\n        - Name: ${long}\n        - Name: sidecar\n          Image: reg/app:3\n`), { config });
    expect(r.left).toEqual([
      { logicalId: 'T', name: 'a', index: 0, line: 6, column: 11, writes: OTHER, passes: true, why: "exempt by ExemptImages pattern 'reg/app:*'" },
      { logicalId: 'T', name: null, index: 2, line: 10, column: 11, writes: OTHER, passes: true, why: "exempt by ExemptImages pattern 'reg/app:*'" },
      { logicalId: 'T', name: long, index: 3, line: 11, column: 11, writes: OTHER, passes: true, why: `exempt by ExemptContainerNames pattern '${'n'.repeat(127)}…'` },
      { logicalId: 'T', name: 'sidecar', index: 4, line: 12, column: 11, writes: OTHER, passes: true, why: "exempt by ExemptContainerNames pattern 'sidecar'" },
    ]);
    expect(r.fixed.map(listed)).toEqual(['8:11 T/b']);
  });

  it('an exempt container is listed even when it reads true or is set by an intrinsic function', () => {
    const r = fix(task('        - Name: sidecar\n          ReadonlyRootFilesystem: true\n        - Name: sidecar\n          ReadonlyRootFilesystem: !Ref AWS::NoValue\n'), { config });
    expect(r.left.map(listed)).toEqual(["6:11 T/sidecar: exempt by ExemptContainerNames pattern 'sidecar' (passes)", "8:11 T/sidecar: exempt by ExemptContainerNames pattern 'sidecar' (passes)"]);
  });
});

describe('names and the paths each fixed container usually writes (docs/cli.md, "After fix")', () => {
  it('USUAL_WRITES: nginx, log routers, anything else', () => {
    expect(USUAL_WRITES).toEqual({ nginx: NGINX, logRouter: LOG_ROUTER, other: OTHER });
  });

  it.each([
    ['Name: NGINX', NGINX],
    ['Image: public.ecr.aws/nginx/nginx:1.27', NGINX],
    ['{Name: web, Image: Nginx}', NGINX],
    ['Name: log-router', LOG_ROUTER],
    ['Name: log_router', LOG_ROUTER],
    ['Name: LogRouter', LOG_ROUTER],
    ['Image: fluent/fluentd:v1', LOG_ROUTER],
    ['Image: amazon/aws-for-fluent-bit', LOG_ROUTER],
    ['Name: firelens-sidecar', LOG_ROUTER],
    ['{Name: app, FirelensConfiguration: {Type: fluentbit}}', LOG_ROUTER],
    ['{Name: nginx-logs, FirelensConfiguration: {Type: fluentbit}}', NGINX],
    ['{Name: ngin, Image: x}', OTHER],
    ['{Name: log, Image: router}', OTHER],
    ['{Name: log router}', OTHER],
    ['Name: [nginx]', OTHER],
    ['{Name: {Ref: Missing}, Image: {Ref: AWS::NoValue}}', OTHER],
    ['Name: app', OTHER],
  ])('%s: %s', (entry, writes) => {
    const line = entry.startsWith('{') ? `        - ${entry}\n` : `        - ${entry}\n          Cpu: 1\n`;
    const r = fix(task(line));
    expect(r.fixed.map((c) => c.writes)).toEqual([writes]);
  });

  it('the name is the literal or resolved Name (a number as its text); null when it is empty or does not resolve to text', () => {
    const before = 'Parameters:\n  N: {Type: String, Default: from-default}\n  Free: {Type: String}\n';
    const r = fix(task("        - {Name: !Ref N}\n        - {Name: ''}\n        - {Name: !Ref Free}\n        - {Name: [a]}\n        - {Name: 12}\n", before));
    expect(r.fixed.map((c) => c.name)).toEqual(['from-default', null, null, null, '12']);
    expect(fix(task('        - {Name: !Ref N}\n', before), { parameters: { N: 'given-nginx' } }).fixed).toEqual([
      { logicalId: 'T', name: 'given-nginx', index: 0, line: 9, column: 11, writes: NGINX },
    ]);
  });
});

describe('text that is not fixed', () => {
  it('a file that does not parse: the parser message and position', () => {
    expect(fixTemplate('Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n      Image: bad indent\n     oops: [\n')).toEqual({
      ok: false,
      error: { message: 'invalid YAML: All mapping items must start at the same column', line: 8, column: 1 },
    });
    expect(refusal(task('        - Name: a\n          Name: b\n'))).toEqual({ message: 'duplicate mapping key', line: 7, column: 11 });
    expect(refusal('{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name":"a",}]}}}}', { fileName: 'a.json' })).toEqual({
      message: 'invalid JSON: expected a property name in double quotes',
      line: 1,
      column: 110,
    });
    expect(refusal('[1, 2', { fileName: 't.json' })).toEqual(expect.objectContaining({ message: expect.stringMatching(/^invalid JSON: /) }));
  });

  it('a refusal without a position has none', () => {
    const deep = `${'['.repeat(10_001)}${']'.repeat(10_001)}`;
    expect(fixTemplate(deep)).toEqual({ ok: false, error: { message: 'nesting deeper than 100 levels' } });
  });

  it('what is not a template, or has no task definitions, comes back as given', () => {
    for (const text of ['', 'just text\n', '[1, 2]\n', 'kind: Pod\n']) expect(fixTemplate(text)).toEqual({ ok: true, text, edits: [], fixed: [], left: [], status: 'SKIP', skipReason: 'not-a-template' });
    const bucket = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n';
    expect(fixTemplate(bucket)).toEqual({ ok: true, text: bucket, edits: [], fixed: [], left: [], status: 'SKIP', skipReason: 'no-task-definitions' });
  });

  it('a byte order mark is kept in front of the fixed text, and positions do not count it', () => {
    const text = '\ufeffResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a';
    expect(fixTemplate(text)).toEqual({
      ok: true,
      text: `${text}\n          ReadonlyRootFilesystem: true`,
      edits: [{ offset: 112, remove: 0, insert: '\n          ReadonlyRootFilesystem: true' }],
      fixed: [{ logicalId: 'T', name: 'a', index: 0, line: 6, column: 11, writes: OTHER }],
      left: [],
      status: 'PASS',
    });
    const nothing = '\ufeffResources: {}\n';
    expect(fix(nothing).text).toBe(nothing);
  });
});

describe('YAML anchors and aliases: an edit inside a node an alias refers to is not made', () => {
  it('a false value with an anchor another container aliases is left, naming the anchor, and so is the alias', () => {
    const text = task('        - Name: a\n          ReadonlyRootFilesystem: &x false\n        - Name: b\n          ReadonlyRootFilesystem: *x\n        - Name: c\n');
    const r = fix(text);
    expect(r.text).toBe(text.replace('        - Name: c\n', '        - Name: c\n          ReadonlyRootFilesystem: true\n'));
    expect(r.fixed.map(listed)).toEqual(['10:11 T/c']);
    expect(r.left.map(listed)).toEqual(['6:11 T/a: shared through the YAML anchor &x: fix it by hand', '8:11 T/b: set through the YAML alias *x: fix it by hand']);
    expectIdempotent(r);
  });

  it('a value another property of another container aliases (Privileged: *off) is left', () => {
    const text = task('        - Name: app\n          ReadonlyRootFilesystem: &off false\n        - Name: tools\n          ReadonlyRootFilesystem: true\n          Privileged: *off\n');
    expect(fix(text)).toEqual({ ok: true, text, edits: [], fixed: [], left: [{ logicalId: 'T', name: 'app', index: 0, line: 6, column: 11, writes: OTHER, why: 'shared through the YAML anchor &off: fix it by hand' }], status: 'FAIL' });
  });

  it('a container in a list, or under any node, that an alias refers to is left; Windows task definitions are never touched through one', () => {
    const list = 'Resources:\n  A:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: &defs\n        - Name: a\n  B:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2022_CORE}\n      ContainerDefinitions: *defs\n';
    expect(fix(list).left.map(listed)).toEqual(['6:11 A/a: shared through the YAML anchor &defs: fix it by hand']);
    expect(fix(list).edits).toEqual([]);
    const props = 'Resources:\n  A:\n    Type: AWS::ECS::TaskDefinition\n    Properties: &p\n      ContainerDefinitions:\n        - Name: a\n  B:\n    Type: AWS::ECS::TaskDefinition\n    Properties: *p\n';
    expect(fix(props).left.map(listed)).toEqual(['6:11 A/a: shared through the YAML anchor &p: fix it by hand', '6:11 B/a: shared through the YAML anchor &p: fix it by hand']);
  });

  it('an anchor no alias refers to, or an alias inside the container, changes nothing', () => {
    const r = fix(task('        - &c\n          Name: &n a\n          Hostname: *n\n        - Name: b\n          ReadonlyRootFilesystem: &f false\n'));
    expect(r.text).toBe(task('        - &c\n          Name: &n a\n          ReadonlyRootFilesystem: true\n          Hostname: *n\n        - Name: b\n          ReadonlyRootFilesystem: &f true\n'));
    expect(r.left).toEqual([]);
  });
});

describe('the re-check: an edit that would not read true, or would change anything else, is not made', () => {
  it('an empty JSON object in a .json file gets a quoted key', () => {
    const json = '{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{}, {"Name":"a"}]}}}}';
    const r = fix(json, { fileName: 't.json' });
    expect(r.text).toBe('{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"ReadonlyRootFilesystem": true}, {"Name":"a", "ReadonlyRootFilesystem":true}]}}}}');
    expect(JSON.parse(r.text)).toBeTruthy();
    expectIdempotent(r, { fileName: 't.json' });
  });
});

describe('odd shapes', () => {
  it('what the full reader refuses is not fixed (the fast reader leaves it to the full one)', () => {
    expect(refusal(task('        - {Image: x}: v\n          Name: a\n'))).toEqual({ message: 'a mapping key is not a plain value', line: 6, column: 11 });
    // A tab in a flow mapping's indentation.
    expect(refusal(task('        - {\n\t  Name: a}\n'))).toEqual({ message: 'invalid YAML: Flow map in block collection must be sufficiently indented and end with a }', line: 7, column: 4 });
  });

  it('an anchor on the first key of a container, on the dash line: the re-check leaves it (the line would be indented to the key), the others are fixed', () => {
    const r = fix(task('        - &d Name: c\n          Image: x\n        - Name: d\n'));
    expect(r.text).toBe(task('        - &d Name: c\n          Image: x\n        - Name: d\n          ReadonlyRootFilesystem: true\n'));
    expect(r.fixed.map(listed)).toEqual(['8:11 T/d']);
    expect(r.left.map(listed)).toEqual([
      '6:14 T/c: its edit did not pass the re-check (the file would not parse: invalid YAML: Nested mappings are not allowed in compact mappings): fix it by hand',
    ]);
    expectIdempotent(r);
  });

  it('a block scalar false: the re-check leaves it (its range ends with the line break)', () => {
    const text = task('        - Name: a\n          ReadonlyRootFilesystem: |-\n            false\n          Image: b\n');
    expect(fix(text)).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        {
          logicalId: 'T',
          name: 'a',
          index: 0,
          line: 6,
          column: 11,
          writes: OTHER,
          why: 'its edit did not pass the re-check (the file would not parse: invalid YAML: Nested mappings are not allowed in compact mappings): fix it by hand',
        },
      ],
      status: 'FAIL',
    });
  });
});

describe('more shapes', () => {
  it('a container with an anchor or a tag in front is fixed; positions are those of its first key', () => {
    const r = fix(task('        - &c\n          Name: a\n        - !!map\n          Name: b\n        - !!map {Name: d}\n        - &e {Name: e}\n'));
    expect(r.text).toBe(
      task('        - &c\n          Name: a\n          ReadonlyRootFilesystem: true\n        - !!map\n          Name: b\n          ReadonlyRootFilesystem: true\n        - !!map {Name: d, ReadonlyRootFilesystem: true}\n        - &e {Name: e, ReadonlyRootFilesystem: true}\n'),
    );
    expect(r.fixed.map(listed)).toEqual(['7:11 T/a', '9:11 T/b', '10:17 T/d', '11:14 T/e']);
    expect(r.left).toEqual([]);
  });

  it('a task definition without properties, or with properties that are not a mapping, has nothing to fix', () => {
    const whole = (why: string): FixContainer[] => [{ logicalId: 'T', name: null, index: 0, line: 2, column: 3, taskDefinition: true, writes: OTHER, why }];
    for (const [properties, left] of [
      ['', []],
      ['    Properties: 5\n', whole('Properties is not a mapping: fix it by hand')],
      ['    Properties: [ContainerDefinitions]\n', whole('Properties is not a mapping: fix it by hand')],
      ['    Properties:\n      ContainerDefinitions: {Name: a}\n', whole('ContainerDefinitions is not a list: fix it by hand')],
    ] as const) {
      const text = `Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n${properties}`;
      expect(fixTemplate(text)).toEqual({ ok: true, text, edits: [], fixed: [], left, status: left.length > 0 ? 'FAIL' : 'PASS' });
    }
  });

  it('entries without a value or without a key are not lines to put the key after', () => {
    expect(fix(task('        - ? Cpu\n          Image: y\n')).text).toBe(task('        - ? Cpu\n          Image: y\n          ReadonlyRootFilesystem: true\n'));
    expect(fix(task('        - : x\n          Image: y\n')).text).toBe(task('        - : x\n          ReadonlyRootFilesystem: true\n          Image: y\n'));
  });

  it('a tag or anchor on a value that reads false stays', () => {
    for (const value of ['!!bool false', '!!str false', '&f false', '!!bool FALSE']) {
      expect(fix(task(`        - Name: a\n          ReadonlyRootFilesystem: ${value}\n`)).text).toBe(task(`        - Name: a\n          ReadonlyRootFilesystem: ${value.replace(/false/i, 'true')}\n`));
    }
  });
});

describe('the re-check reads the fixed text as validate does', () => {
  it('a template the fix would take over the size limit is refused, with the limit', () => {
    const head = task('        - Name: a\n');
    const limit = 5 * 1024 * 1024;
    const text = `${head}#${'x'.repeat(limit - head.length - 2)}\n`;
    expect(text.length).toBe(limit);
    expect(validateTemplate(text).status).toBe('FAIL');
    expect(refusal(text)).toEqual({ message: `the fixed template did not pass the re-check (template is over the ${limit}-byte limit); nothing was changed` });
  });
});

/** A task definition T whose guard suppresses this check, with these ContainerDefinitions (YAML lines, 8 spaces in). */
function suppressedTask(containers: string, before = ''): string {
  return task(containers, before).replace('    Properties:\n', '    Metadata:\n      guard:\n        SuppressedRules: [ECS_READONLY_ROOT_FILESYSTEM]\n    Properties:\n');
}
const SUPPRESSED_WHY = 'suppressed by Metadata guard SuppressedRules (--allow-suppressions)';

describe('container entries set by an intrinsic function, or not an object', () => {
  const entries = '        - !Ref AWS::NoValue\n        - !Select [0, [{Name: ok, ReadonlyRootFilesystem: true}]]\n        - !Select [0, [{Name: bad, Image: nginx}]]\n        - 5\n';

  it('without a suppression: one that reads as a failing container is listed with the function that sets it; one that complies or is AWS::NoValue is not', () => {
    const text = task(entries);
    expect(fixTemplate(text)).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: 'bad', index: 1, line: 8, column: 19, writes: NGINX, why: 'the container is set by Fn::Select: change the value it comes from' },
        { logicalId: 'T', name: null, index: 2, line: 9, column: 11, writes: OTHER, why: 'not a container definition object: fix it by hand' },
      ],
      status: 'FAIL',
    });
    expect(validateTemplate(text).resources[0]!.containers.map((c) => [c.name, c.index])).toEqual([
      ['ok', 0],
      ['bad', 1],
      [null, 2],
    ]);
  });

  it('in a suppressed task definition: the failing ones are listed as passing, with the suppression; the others are not listed', () => {
    const text = suppressedTask(entries);
    expect(fixTemplate(text)).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: 'bad', index: 1, line: 11, column: 19, writes: NGINX, passes: true, why: SUPPRESSED_WHY },
        { logicalId: 'T', name: null, index: 2, line: 12, column: 11, writes: OTHER, passes: true, why: SUPPRESSED_WHY },
      ],
      status: 'PASS',
    });
  });

  it('a suppressed task definition whose list is set by Ref is not listed: validate does not fail it', () => {
    const text = suppressedTask('', 'Parameters:\n  Defs: {Type: String}\n').replace('ContainerDefinitions:\n', 'ContainerDefinitions: !Ref Defs\n');
    expect(fixTemplate(text)).toEqual({ ok: true, text, edits: [], fixed: [], left: [], status: 'PASS' });
  });
});

describe('merge keys (<<): the value the container reads, and the text that holds it', () => {
  it('a ReadonlyRootFilesystem: true merged in is left as it is, and nothing is written', () => {
    const text = task('        - <<: {ReadonlyRootFilesystem: true}\n          Name: a\n');
    expect(fixTemplate(text)).toEqual({ ok: true, text, edits: [], fixed: [], left: [], status: 'PASS' });
  });

  it('a ReadonlyRootFilesystem: false merged in has no pair of its own to replace: left, saying so', () => {
    const text = task('        - <<: {ReadonlyRootFilesystem: false}\n          Name: a\n');
    expect(fixTemplate(text)).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [{ logicalId: 'T', name: 'a', index: 0, line: 6, column: 11, writes: OTHER, why: 'its ReadonlyRootFilesystem could not be located' }],
      status: 'FAIL',
    });
  });
});

describe('the re-check compares the fixed template with the template as given', () => {
  const recheck = (why: string) => `its edit did not pass the re-check (${why}): fix it by hand`;

  it('an empty value with an anchor or a tag would read "true &a" or "true !!null": not true, so left; a container before it that complies is compared too', () => {
    for (const value of ['&a', '!!null']) {
      const text = task(`        - Name: ok\n          ReadonlyRootFilesystem: true\n        - Name: b\n          ReadonlyRootFilesystem: ${value}\n        - Name: c\n`);
      expect(fixTemplate(text)).toEqual({
        ok: true,
        text: text.replace('        - Name: c\n', '        - Name: c\n          ReadonlyRootFilesystem: true\n'),
        edits: [{ offset: text.length, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' }],
        fixed: [{ logicalId: 'T', name: 'c', index: 2, line: 10, column: 11, writes: OTHER }],
        left: [{ logicalId: 'T', name: 'b', index: 1, line: 8, column: 11, writes: OTHER, why: recheck('it would not read ReadonlyRootFilesystem: true') }],
        status: 'FAIL',
      });
    }
  });

  it('a block scalar false followed by a list item would swallow the item: it would change more than ReadonlyRootFilesystem', () => {
    const text = task('        - Name: a\n          ReadonlyRootFilesystem: |-\n            false\n        - 5\n');
    expect(fixTemplate(text)).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: 'a', index: 0, line: 6, column: 11, writes: OTHER, why: recheck('it would change more than ReadonlyRootFilesystem') },
        { logicalId: 'T', name: null, index: 1, line: 9, column: 11, writes: OTHER, why: 'not a container definition object: fix it by hand' },
      ],
      status: 'FAIL',
    });
  });

  it('edits that pass alone but not together (the node limit): nothing is changed, and the failure names every container', () => {
    // Aliases expand 990 copies of a 999-item list: with `extra` more items the template is one node under the limit.
    const build = (extra: number): string =>
      `${task('        - Name: a\n        - Name: b\n')}Metadata:\n  L: &l [${Array(999).fill(0).join(', ')}]\n  M: [${Array(990).fill('*l').join(', ')}]\n  R: [${Array(extra).fill(0).join(', ')}]\n`;
    const extra = 7996;
    expect(validateTemplate(build(extra + 1)).status).toBe('FAIL');
    expect(validateTemplate(build(extra + 2))).toEqual({
      status: 'ERROR',
      error: { message: 'more than 1000000 values once aliases are expanded (an alias bomb?)', line: 11, column: 23998 },
      resources: [],
    });
    expect(fixTemplate(build(extra))).toEqual({
      ok: false,
      error: {
        message:
          "the fixed template did not pass the re-check (the file would not parse: more than 1000000 values once aliases are expanded (an alias bomb?), with 'a' in T, 'b' in T fixed together); nothing was changed",
      },
    });
  });
});

describe('what validate fails decides what is listed', () => {
  const before = 'Parameters:\n  P: {Type: String}\n  Q: {Type: String}\n  Ro: {Type: String, Default: \'true\'}\nConditions:\n  C: !Equals [!Ref P, x]\n';
  const config = readConfigDocument('ExemptContainerNames: [sidecar]\n').config;
  const unknownQ = "parameter 'Q' has no value: pass --parameter Q=VALUE or a parameter file";

  it('a value set by a parameter that reads true is not listed', () => {
    const text = task('        - Name: a\n          ReadonlyRootFilesystem: !Ref Ro\n', before);
    expect(fixTemplate(text)).toEqual({ ok: true, text, edits: [], fixed: [], left: [], status: 'PASS' });
    expect(fixTemplate(text, { parameters: { Ro: 'false' } })).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [{ logicalId: 'T', name: 'a', index: 0, line: 12, column: 11, writes: OTHER, why: 'set by Ref: change the value it comes from' }],
      status: 'FAIL',
    });
  });

  it('a container exempt by the name fix reads, failing by a name another deployment gives it: listed with validate\'s reason, named and unnamed', () => {
    const text = task(
      '        - Name: !If [C, sidecar, other]\n        - Name: !If [C, sidecar, !Ref AWS::NoValue]\n          ReadonlyRootFilesystem: !Ref Q\n        - Image: x\n          ReadonlyRootFilesystem: !Ref Q\n',
      before,
    );
    expect(fixTemplate(text, { config })).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: 'other', index: 0, line: 12, column: 11, writes: OTHER, why: 'ReadonlyRootFilesystem missing: fix it by hand' },
        { logicalId: 'T', name: 'sidecar', index: 0, line: 12, column: 11, writes: OTHER, passes: true, why: "exempt by ExemptContainerNames pattern 'sidecar'" },
        { logicalId: 'T', name: 'sidecar', index: 1, line: 13, column: 11, writes: OTHER, passes: true, why: "exempt by ExemptContainerNames pattern 'sidecar'" },
        { logicalId: 'T', name: null, index: 1, line: 14, column: 11, writes: OTHER, why: `value unknown before deployment (${unknownQ}): fix it by hand` },
        { logicalId: 'T', name: null, index: 2, line: 15, column: 11, writes: OTHER, why: 'set by Ref: change the value it comes from' },
      ],
      status: 'FAIL',
    });
  });

  it('on one line: matched by line and column, and listed in the order of their columns', () => {
    const text = task('', before).replace('ContainerDefinitions:\n', 'ContainerDefinitions: [{Image: x, ReadonlyRootFilesystem: !Ref Q}, {Name: !If [C, sidecar, other]}]\n');
    expect(fixTemplate(text, { config })).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: null, index: 0, line: 11, column: 30, writes: OTHER, why: 'set by Ref: change the value it comes from' },
        { logicalId: 'T', name: 'other', index: 1, line: 11, column: 74, writes: OTHER, why: 'ReadonlyRootFilesystem missing: fix it by hand' },
        { logicalId: 'T', name: 'sidecar', index: 1, line: 11, column: 74, writes: OTHER, passes: true, why: "exempt by ExemptContainerNames pattern 'sidecar'" },
      ],
      status: 'FAIL',
    });
  });

  it('a container of another task definition with the same name does not stand for it', () => {
    const text = `${task('        - Name: !If [C, sidecar, other]\n', before)}  U:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: other\n          ReadonlyRootFilesystem: !Ref Q\n`;
    expect(fixTemplate(text, { config })).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: 'other', index: 0, line: 12, column: 11, writes: OTHER, why: 'ReadonlyRootFilesystem missing: fix it by hand' },
        { logicalId: 'T', name: 'sidecar', index: 0, line: 12, column: 11, writes: OTHER, passes: true, why: "exempt by ExemptContainerNames pattern 'sidecar'" },
        { logicalId: 'U', name: 'other', index: 0, line: 17, column: 11, writes: OTHER, why: 'set by Ref: change the value it comes from' },
      ],
      status: 'FAIL',
    });
  });

  it('a list set by Ref in one deployment: the task definition as a whole, beside the containers of the other', () => {
    const text = task('', before).replace('ContainerDefinitions:\n', 'ContainerDefinitions: !If [C, [{Name: a, ReadonlyRootFilesystem: !Ref Q}], !Ref Q]\n');
    expect(fixTemplate(text)).toEqual({
      ok: true,
      text,
      edits: [],
      fixed: [],
      left: [
        { logicalId: 'T', name: null, index: 0, line: 8, column: 3, taskDefinition: true, writes: OTHER, why: `containers unknown before deployment (${unknownQ}): fix it by hand` },
        { logicalId: 'T', name: 'a', index: 0, line: 11, column: 38, writes: OTHER, why: 'set by Ref: change the value it comes from' },
      ],
      status: 'FAIL',
    });
  });
});

describe('fixLabel: how the command line names a listed container', () => {
  const c: FixContainer = { logicalId: 'T', name: 'app', index: 2, line: 1, column: 1, writes: OTHER };

  it("'name' in LogicalId; the entry's index when it has no name; the logical id alone for a whole task definition", () => {
    expect(fixLabel(c)).toBe("'app' in T");
    expect(fixLabel({ ...c, name: null })).toBe("'ContainerDefinitions[2]' in T");
    expect(fixLabel({ ...c, taskDefinition: true })).toBe('T');
  });

  /** How validate names each container of the template, in order. */
  function validateNames(text: string): (string | number)[] {
    const r = validateTemplate(text, {});
    return r.resources.flatMap((res) => res.containers.map((k) => k.name ?? k.index));
  }

  it('a Name or Image that is a number or a boolean is its text, as validate and the exemptions read it', () => {
    const text = task('        - Name: 2048\n          Image: app\n        - Name: true\n          Image: 7\n');
    const r = fix(text, { config: { exemptContainerNames: [], exemptImages: ['7'] } });
    expect(r.fixed.map((k) => k.name)).toEqual(['2048']);
    expect(r.left.map(listed)).toEqual([`8:11 T/true: exempt by ExemptImages pattern '7' (passes)`]);
    expect(validateNames(text)).toEqual(['2048', 'true']);
  });

  it('an entry that is never there (AWS::NoValue) takes no place in the numbering, as in validate', () => {
    const text = task('        - !Ref AWS::NoValue\n        - !If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]\n        - Image: app\n        - !If [C, {Image: b}, !Ref AWS::NoValue]\n        - Image: c\n', 'Parameters:\n  P: {Type: String}\nConditions:\n  C: !Equals [!Ref P, b]\n');
    const r = fix(text);
    expect(r.fixed.map((k) => k.index)).toEqual([0, 1, 2]);
    expect(validateNames(text)).toEqual([0, 1, 2]);
  });
});

describe('bytes, decoded as validate decodes them', () => {
  const text = task('        - Name: a\n');
  const fixedText = `${text}          ReadonlyRootFilesystem: true\n`;

  it('UTF-8 bytes are fixed as their text; a byte order mark is kept in front', () => {
    expect(fixTemplate(Buffer.from(text))).toEqual({
      ok: true,
      text: fixedText,
      edits: [{ offset: text.length, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' }],
      fixed: [{ logicalId: 'T', name: 'a', index: 0, line: 6, column: 11, writes: OTHER }],
      left: [],
      status: 'PASS',
    });
    const bom = fixTemplate(Buffer.from(`\ufeff${text}`));
    expect(bom.ok && [bom.text, bom.edits]).toEqual([`\ufeff${fixedText}`, [{ offset: text.length, remove: 0, insert: '          ReadonlyRootFilesystem: true\n' }]]);
  });

  it('only the three bytes EF BB BF make a byte order mark', () => {
    // EF 8E BF, E3 BB BF, EF BB 80 and C2 BF as the second and third bytes: none is a byte order mark.
    for (const start of ['\uf3bf', '\u3eff', '\ufec0', 'R\u00bf']) {
      const bytes = Buffer.from(`${start}\n`);
      expect([start, fixTemplate(bytes)]).toEqual([start, { ok: true, text: `${start}\n`, edits: [], fixed: [], left: [], status: 'SKIP', skipReason: 'not-a-template' }]);
    }
  });

  it('not UTF-8, or binary: the decoder\'s error', () => {
    const latin1 = Buffer.concat([Buffer.from(`${task('        - Name: app # caf')}`), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(fixTemplate(latin1)).toEqual({ ok: false, error: { message: 'not valid UTF-8 text (invalid byte at offset 120)' } });
    expect(fixTemplate(Buffer.from(`${task('        - Name: app # \u0000\n')}`))).toEqual({ ok: false, error: { message: 'binary file (NUL byte at offset 117), not a template' } });
  });
});

describe('what validate refuses, and failures inside the fixer', () => {
  it('a template over the size limit is refused with validate\'s error, before any edit is planned', () => {
    const limit = 5 * 1024 * 1024;
    const text = `${task('        - Name: a\n')}#${'x'.repeat(limit)}\n`;
    expect(fixTemplate(text)).toEqual({ ok: false, error: { message: `template is over the ${limit}-byte limit` } });
  });

  it('an exception while fixing is an internal error, and nothing is changed', () => {
    // Options whose file name can be read by validate only: the fixer's own read throws.
    const options: ValidateOptions = {};
    Object.defineProperty(options, 'fileName', {
      get: () => {
        if (new Error().stack?.includes('validateTemplate')) return undefined;
        throw new Error('not here');
      },
    });
    expect(fixTemplate(task('        - Name: a\n'), options)).toEqual({ ok: false, error: { message: 'internal error while fixing the template; nothing was changed' } });
  });
});

describe('difference: the re-check\'s comparison of the template before and after the edits', () => {
  const CHANGED = 'it would change more than ReadonlyRootFilesystem';
  const NOT_TRUE = 'it would not read ReadonlyRootFilesystem: true';
  const none = new Set<object>();

  it('the same values, in trees that are not the same objects, are no difference', () => {
    const a = { R: { T: [{ Name: 'a', ReadonlyRootFilesystem: false }, 'x', 1, null, true] } };
    expect(difference(a, structuredClone(a), none)).toBeUndefined();
    expect(difference(a, a, none)).toBeUndefined();
    expect(difference(Number.NaN, Number.NaN, none)).toBeUndefined();
    expect(difference([], [], none)).toBeUndefined();
    expect(difference({}, {}, none)).toBeUndefined();
  });

  it.each([
    ['a scalar changed', 'a', 'b'],
    ['a scalar against a mapping', 'a', {}],
    ['a mapping against a scalar', {}, 'a'],
    ['null against a mapping', null, {}],
    ['a mapping against null', {}, null],
    ['a list against a mapping', [], {}],
    ['a mapping against a list', {}, []],
    ['a list that is longer', [1], [1, 2]],
    ['a list that is shorter', [1, 2], [1]],
    ['a list item changed, the last', [1, 2], [1, 3]],
    ['a list item changed, the first', [{ a: 1 }, 2], [{ a: 2 }, 2]],
    ['a key added', { a: 1 }, { a: 1, b: 2 }],
    ['a key gone', { a: 1, b: 2 }, { a: 1 }],
    ['a key renamed', { a: 1 }, { b: 1 }],
    ['a value changed deep down', { a: { b: [{ c: 1 }] } }, { a: { b: [{ c: 2 }] } }],
    ['a value changed after an equal one', { a: 1, b: 1 }, { a: 1, b: 2 }],
    // Walked as mappings, these would have the same keys and values.
    ['a number against an empty mapping', 1, {}],
    ['an empty mapping against a number', {}, 1],
    ['text against a mapping of its characters', 'ab', { 0: 'a', 1: 'b' }],
    ['a list against a mapping with its items and length', [1], { 0: 1, length: 1 }],
    ['a mapping with a list\'s items and length against the list', { 0: 1, length: 1 }, [1]],
    ['a key renamed, both without a value', { a: undefined }, { b: undefined }],
  ])('%s is a change', (_, a, b) => {
    expect(difference(a, b, none)).toBe(CHANGED);
  });

  it('a container not fixed may not gain or change ReadonlyRootFilesystem', () => {
    expect(difference({ Name: 'a' }, { Name: 'a', ReadonlyRootFilesystem: 'true' }, none)).toBe(CHANGED);
    expect(difference({ Name: 'a', ReadonlyRootFilesystem: false }, { Name: 'a', ReadonlyRootFilesystem: true }, none)).toBe(CHANGED);
  });

  it('a fixed container must read true afterwards, and change nothing else', () => {
    const missing = { Name: 'a' };
    const falsy = { Name: 'a', ReadonlyRootFilesystem: 'false' };
    const fixed = new Set<object>([missing, falsy]);
    for (const now of [true, 'true', 'TRUE']) {
      expect(difference([missing], [{ Name: 'a', ReadonlyRootFilesystem: now }], fixed)).toBeUndefined();
      expect(difference({ L: [falsy] }, { L: [{ ReadonlyRootFilesystem: now, Name: 'a' }] }, fixed)).toBeUndefined();
    }
    expect(difference([missing], [{ Name: 'a', ReadonlyRootFilesystem: 'yes' }], fixed)).toBe(NOT_TRUE);
    expect(difference([missing], [{ Name: 'a' }], fixed)).toBe(NOT_TRUE);
    expect(difference([falsy], [{ Name: 'a', ReadonlyRootFilesystem: false }], fixed)).toBe(NOT_TRUE);
    expect(difference([missing], [{ Name: 'b', ReadonlyRootFilesystem: true }], fixed)).toBe(CHANGED);
    expect(difference([missing], [{ Name: 'a', Image: 'x', ReadonlyRootFilesystem: true }], fixed)).toBe(CHANGED);
    expect(difference([falsy], [{ ReadonlyRootFilesystem: true }], fixed)).toBe(CHANGED);
    // Only the fixed container: the one beside it is compared as it was.
    expect(difference([missing, { Name: 'b' }], [{ Name: 'a', ReadonlyRootFilesystem: true }, { Name: 'b', ReadonlyRootFilesystem: true }], fixed)).toBe(CHANGED);
  });
});


describe('apply', () => {
  it('applies edits given in any order, and two at one offset as applying them last to first puts them', () => {
    const edits = [
      { offset: 6, remove: 5, insert: 'there' },
      { offset: 0, remove: 0, insert: '> ' },
      { offset: 5, remove: 0, insert: ',' },
      { offset: 5, remove: 0, insert: '!' },
    ];
    expect(apply('hello world', edits)).toBe('> hello!, there');
    expect(apply('hello world', [])).toBe('hello world');
  });
});
