// Whole reports, in every format, over templates that give every kind of finding: a resource whose
// containers are unknown or not a list, exempt, suppressed (honoured or not) and conditional
// containers, Windows and empty task definitions, a resource not created, a file that does not
// parse, one without task definitions and one that is not a template. The expected reports in
// test/fixtures/report/expected were read line by line when written; {version} and {cwd} stand
// for the tool's version and the working directory's file URI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../../package.json';
import { cli, ROOT } from './support';

const DIR = join(ROOT, 'test', 'fixtures', 'report');
const RUNS = {
  all: { args: ['-c', 'exempt.yaml', 'findings.yaml', 'kinds.yaml', 'broken.yaml', 'bucket.yaml', 'k8s.yaml'], status: 5 },
  decided: { args: ['--allow-suppressions', '-p', 'Env=dev', '-p', 'Area=us', '-p', 'Img=nginx', 'findings.yaml'], status: 19 },
} as const;

const expected = (run: string, format: string): string =>
  readFileSync(join(DIR, 'expected', `${run}.${format}`), 'utf8').replaceAll('{version}', version).replaceAll('{cwd}', `${pathToFileURL(DIR).href}/`);

describe.each(Object.entries(RUNS))('%s', (name, { args, status }) => {
  it.each(['text', 'json', 'sarif', 'junit'])('%s', (format) => {
    const r = cli(['validate', '-f', format, ...args], { cwd: DIR });
    expect(r.stdout).toBe(expected(name, format));
    expect(r.status).toBe(status);
  });
});
