// Whole reports, in every format, over templates that give every kind of finding: a resource whose
// containers are unknown or not a list, exempt, suppressed (honoured or not) and conditional
// containers, Windows and empty task definitions, a resource not created, a file that does not
// parse, one without task definitions and one that is not a template. The expected reports in
// test/fixtures/report/expected were read line by line when written; {version} stands for the tool's
// version, {root} for the repository root's file URI (SARIF's %SRCROOT%) and {dir} for the path from
// it to the working directory.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../../package.json';
import { repositoryRoot } from '../../src/cli/main';
import { cli, ROOT } from './support';

const DIR = join(ROOT, 'test', 'fixtures', 'report');
const root = repositoryRoot(DIR);
const dir = relative(root, DIR).split(sep).filter(Boolean).map((p) => `${p}/`).join('');
const RUNS = {
  all: { args: ['-c', 'exempt.yaml', 'findings.yaml', 'kinds.yaml', 'broken.yaml', 'bucket.yaml', 'k8s.yaml'], status: 5 },
  decided: { args: ['--allow-suppressions', '-p', 'Env=dev', '-p', 'Area=us', '-p', 'Img=nginx', 'findings.yaml'], status: 19 },
} as const;

const expected = (run: string, format: string): string =>
  readFileSync(join(DIR, 'expected', `${run}.${format}`), 'utf8').replaceAll('{version}', version).replaceAll('{root}', pathToFileURL(root).href.replace(/\/?$/, '/')).replaceAll('{dir}', dir);

describe.each(Object.entries(RUNS))('%s', (name, { args, status }) => {
  it.each(['text', 'json', 'sarif', 'junit'])('%s', (format) => {
    const r = cli(['validate', '-f', format, ...args], { cwd: DIR });
    expect(r.stdout).toBe(expected(name, format));
    expect(r.status).toBe(status);
  });
});
