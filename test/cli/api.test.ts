// The programmatic API of the built bundle (guide/cli.md: Programmatic API) gives the reports the
// command line writes: the same files, judged the same way, in every format, with the same exit code.
import { cli, CLI, TEMPLATES } from './support';

interface Api {
  TOOL: { name: string; version: string };
  expandPaths(paths: string[], excludes?: string[]): { path: string; error?: string; explicit?: boolean }[];
  readInput(path: string, stdin: () => Uint8Array): { ok: true; bytes: Uint8Array } | { ok: false; error: string };
  validateTemplate(bytes: Uint8Array, options: object): object;
  formatText(files: object[], options: { color: boolean }): string;
  formatJson(files: object[], tool: object): string;
  formatSarif(files: object[], tool: object, cwd: string, root?: string): string;
  repositoryRoot(cwd: string): string;
  formatJunit(files: object[], tool: object): string;
  exitCode(files: object[]): number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = require(CLI) as Api;

/** What the command line judges for each input, through the API. */
function judged(paths: string[], options: object = {}): object[] {
  return api.expandPaths(paths).map((input) => {
    const explicit = input.explicit ? { explicit: true } : {};
    if (input.error) return { path: input.path, ...explicit, status: 'ERROR', error: { message: input.error }, resources: [] };
    const read = api.readInput(input.path, () => new Uint8Array());
    if (!read.ok) return { path: input.path, ...explicit, status: 'ERROR', error: { message: read.error }, resources: [] };
    return { path: input.path, ...explicit, ...api.validateTemplate(read.bytes, { fileName: input.path, strict: true, onlyTemplates: true, ...options }) };
  });
}

describe.each([
  ['every fixture', [TEMPLATES], ['ERROR', 'FAIL', 'PASS', 'SKIP']],
  ['named files, one missing', [`${TEMPLATES}/valid/compliant.json`, `${TEMPLATES}/bad/missing.yaml`, `${TEMPLATES}/valid`], ['ERROR', 'FAIL', 'PASS', 'SKIP']],
  // Every file read: SARIF's run is then successful.
  ['named files, all read', [`${TEMPLATES}/valid/compliant.json`, `${TEMPLATES}/valid/shapes.yaml`], ['FAIL', 'PASS']],
])('%s', (_, paths, statuses) => {
  const files = judged(paths);

  it('judges files of these statuses', () => {
    expect([...new Set(files.map((f) => (f as { status: string }).status))].sort()).toEqual(statuses);
  });

  it('counts containers only in a deployment: a resource without one has no container', () => {
    const resources = files.flatMap((f) => (f as { resources: { deployment?: object; containers: object[] }[] }).resources);
    expect(resources.filter((r) => r.deployment === undefined && r.containers.length > 0)).toEqual([]);
    // Not vacuous: some resources have none (a Condition false, Windows, no containers).
    expect(resources.some((r) => r.deployment === undefined)).toBe(true);
  });

  it.each([
    ['text', () => api.formatText(files, { color: false })],
    ['json', () => api.formatJson(files, api.TOOL)],
    // The command line's URIs are from the repository's root.
    ['sarif', () => api.formatSarif(files, api.TOOL, TEMPLATES, api.repositoryRoot(TEMPLATES))],
    ['junit', () => api.formatJunit(files, api.TOOL)],
  ])('formats %s as the command line reports it, with its exit code', (format, render) => {
    const r = cli(['validate', '--format', format, ...paths], { cwd: TEMPLATES });
    expect(r.stdout).toBe(render());
    expect(r.status).toBe(api.exitCode(files));
  });
});

it('gives exit code 19 for a non-compliant file, 5 when any file could not be judged, 0 otherwise', () => {
  const pass = judged([`${TEMPLATES}/valid/compliant.json`]);
  const fail = judged([`${TEMPLATES}/valid/noncompliant.json`]);
  expect(api.exitCode(pass)).toBe(0);
  expect(api.exitCode([...pass, ...fail])).toBe(19);
  expect(api.exitCode([...fail, { path: 'x', status: 'ERROR', resources: [] }, ...pass])).toBe(5);
  expect(api.exitCode([])).toBe(0);
});

describe('findings an API user builds with only the fields the types require', () => {
  const T = 'AWS::ECS::TaskDefinition';
  const files = [
    { path: 'gone.yaml', status: 'ERROR', resources: [] },
    {
      path: 't.yaml',
      status: 'FAIL',
      resources: [
        {
          logicalId: 'A',
          type: T,
          status: 'FAIL',
          line: 3,
          column: 3,
          deployment: { containers: 2, failing: 1, exempt: 1 },
          containers: [
            // No conditions: none named.
            { name: 'app', index: 0, status: 'FAIL', line: 6, column: 9, conditions: [] },
            { name: 'x', index: 1, status: 'EXEMPT', line: 8, column: 9 },
          ],
        },
        { logicalId: 'B', type: T, status: 'FAIL', reason: 'not-a-list', line: 10, column: 3, containers: [] },
        { logicalId: 'C', type: T, status: 'SUPPRESSED', reason: 'unresolved', line: 12, column: 3, containers: [] },
        { logicalId: 'D', type: T, status: 'PASS', line: 14, column: 3, containers: [] },
      ],
    },
  ];
  const tool = { name: 'ecs-readonly-rootfs', version: '1.0.0' };
  const FIX = 'Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';

  it('text: an error without a message is "unreadable"; a reason, a pattern or a detail left out is not made up', () => {
    expect(api.formatText(files, { color: false })).toBe(
      [
        'ERROR gone.yaml: unreadable',
        'FAIL t.yaml',
        '  t.yaml:3:3: A (AWS::ECS::TaskDefinition) FAIL: 1 of 2 containers can write to their root filesystem',
        "    t.yaml:6:9: FAIL 'app': can write to its root filesystem: not compliant",
        "    t.yaml:8:9: EXEMPT 'x': exempt by the configuration",
        '  t.yaml:10:3: B (AWS::ECS::TaskDefinition) FAIL: ContainerDefinitions is not a list',
        '  t.yaml:12:3: C (AWS::ECS::TaskDefinition) SUPPRESSED: containers unknown before deployment',
        '  t.yaml:14:3: D (AWS::ECS::TaskDefinition) PASS: 0 containers checked, all read-only',
        `  fix: ${FIX}`,
        '2 files: 0 PASS, 1 FAIL, 0 SKIP, 1 ERROR; 4 task definitions, 2 non-compliant; containers: 1 failing, 0 passing, 1 exempt, 0 suppressed',
        '',
      ].join('\n'),
    );
  });

  it('JUnit: the same words; a passing resource without containers is a passing case', () => {
    expect(api.formatJunit(files, tool)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="ecs-readonly-rootfs 1.0.0" tests="6" failures="2" errors="1" skipped="2">',
        '  <!-- 2 files: 0 PASS, 1 FAIL, 0 SKIP, 1 ERROR -->',
        '  <testsuite name="gone.yaml" tests="1" failures="0" errors="1" skipped="0">',
        '    <testcase classname="gone.yaml" name="(template)" file="gone.yaml">',
        '      <error message="unreadable" type="ERROR"/>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="t.yaml" tests="5" failures="2" errors="0" skipped="2">',
        '    <testcase classname="t.yaml" name="A/app" file="t.yaml" line="6">',
        `      <failure message="&apos;app&apos;: can write to its root filesystem: not compliant" type="FAIL">t.yaml:6:9: &apos;app&apos;: can write to its root filesystem: not compliant. ${FIX}</failure>`,
        '    </testcase>',
        '    <testcase classname="t.yaml" name="A/x" file="t.yaml" line="8">',
        '      <skipped message="&apos;x&apos;: exempt by the configuration"/>',
        '    </testcase>',
        '    <testcase classname="t.yaml" name="B" file="t.yaml" line="10">',
        `      <failure message="ContainerDefinitions is not a list" type="not-a-list">ContainerDefinitions is not a list. ${FIX}</failure>`,
        '    </testcase>',
        '    <testcase classname="t.yaml" name="C" file="t.yaml" line="12">',
        '      <skipped message="containers unknown before deployment"/>',
        '    </testcase>',
        '    <testcase classname="t.yaml" name="D" file="t.yaml" line="14"/>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it("JSON: a file's notes, as given", () => {
    const notes = ['AllowedPattern of Name not checked'];
    expect(JSON.parse(api.formatJson([{ path: 'n.yaml', status: 'PASS', notes, resources: [] }], tool)).files).toEqual([{ path: 'n.yaml', status: 'PASS', notes, resources: [] }]);
  });

  it('SARIF: paths are from the working directory given, URIs from the root given (by default the same)', () => {
    const uris = (cwd: string, root?: string) =>
      JSON.parse(api.formatSarif([{ path: 't.yaml', status: 'ERROR', error: { message: 'x' }, resources: [] }], tool, cwd, root)).runs[0];
    const notified = (run: any) => run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation;
    expect([uris('/w/infra').originalUriBaseIds['%SRCROOT%'].uri, notified(uris('/w/infra'))]).toEqual(['file:///w/infra/', { uri: 't.yaml', uriBaseId: '%SRCROOT%' }]);
    expect([uris('/w/infra', '/w').originalUriBaseIds['%SRCROOT%'].uri, notified(uris('/w/infra', '/w'))]).toEqual(['file:///w/', { uri: 'infra/t.yaml', uriBaseId: '%SRCROOT%' }]);
    expect(notified(uris('/elsewhere', '/w'))).toEqual({ uri: 'file:///elsewhere/t.yaml' });
  });

  it('SARIF: the error is a notification at line 1, column 1; a suppressed resource is a suppressed result', () => {
    const run = JSON.parse(api.formatSarif(files, tool, '/w')).runs[0];
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'unreadable' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'gone.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1 } } }] },
        ],
      },
    ]);
    expect(run.results.map((r: { message: { text: string }; suppressions?: unknown }) => [r.message.text, r.suppressions])).toEqual([
      [`TaskDefinition 'A': container 'app': can write to its root filesystem: not compliant. ${FIX}`, undefined],
      [`TaskDefinition 'B': ContainerDefinitions is not a list. ${FIX}`, undefined],
      [`TaskDefinition 'C': containers unknown before deployment. ${FIX}`, [{ kind: 'inSource', justification: 'Metadata guard SuppressedRules' }]],
    ]);
  });
});
