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
  formatSarif(files: object[], tool: object, cwd: string): string;
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
  ['every fixture', [TEMPLATES]],
  ['named files, one missing', [`${TEMPLATES}/valid/compliant.json`, `${TEMPLATES}/bad/missing.yaml`, `${TEMPLATES}/valid`]],
])('%s', (_, paths) => {
  const files = judged(paths);

  it('judges some files of each status', () => {
    const statuses = new Set(files.map((f) => (f as { status: string }).status));
    expect([...statuses].sort()).toEqual(paths.length === 1 ? ['ERROR', 'FAIL', 'PASS', 'SKIP'] : expect.arrayContaining(['ERROR', 'PASS']));
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
    ['sarif', () => api.formatSarif(files, api.TOOL, TEMPLATES)],
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
