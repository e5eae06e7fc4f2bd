// Large runs use worker threads: the report is the same, file for file and in the same order, as
// the single-threaded run of each file.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, TEMPLATES } from './support';

const SOURCES = ['valid/intrinsics.yaml', 'valid/noncompliant.json', 'valid/sidecars.yaml', 'valid/no-tasks.yaml', 'bad/invalid.yaml', 'repo/docker-compose.yml'];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-parallel-'));
  for (let i = 0; i < 120; i++) {
    const src = SOURCES[i % SOURCES.length]!;
    copyFileSync(join(TEMPLATES, src), join(dir, `${String(i).padStart(3, '0')}-${src.split('/').pop()}`));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('gives, over 120 files on worker threads, each file the result it gets alone', () => {
  const all = cli(['validate', '-f', 'json', dir]);
  expect(all.status).toBe(5);
  const files = JSON.parse(all.stdout).files as { path: string }[];
  expect(files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
  expect(files).toHaveLength(120);
  for (const [i, src] of SOURCES.entries()) {
    const alone = JSON.parse(cli(['validate', '-f', 'json', join(TEMPLATES, src)]).stdout).files[0];
    for (let k = i; k < 120; k += SOURCES.length) expect({ ...files[k], path: src }).toEqual({ ...alone, path: src });
  }
});

// The report is written while files are judged (each file's part set aside on disk past 16 KB):
// what is written to a file is what goes to standard output, each file's part is the one it has
// alone, and nothing is left in the temporary directory.
describe.each(['text', 'json', 'sarif', 'junit'])('the %s report of 120 files', (format) => {
  let scratch: string;
  let out: string;
  let stdout: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'cli-parallel-tmp-'));
    out = join(mkdtempSync(join(tmpdir(), 'cli-parallel-out-')), 'report');
    stdout = cli(['validate', '-f', format, dir], { env: { TMPDIR: scratch } }).stdout;
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(out, '..'), { recursive: true, force: true });
  });

  it('is the same written with --output, and leaves no temporary file', () => {
    const written = cli(['validate', '-f', format, '-o', out, dir], { env: { TMPDIR: scratch } });
    expect(written).toEqual({ status: 5, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(stdout);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("holds each file's part as the file has it alone", () => {
    const alone = SOURCES.map((src) => cli(['validate', '-f', format, join(TEMPLATES, src)]).stdout);
    if (format === 'text') {
      // Each file's lines (the last line is the summary), with its name in the run's folder; a file
      // found by walking that is not a template has none (named alone, it is reported SKIP).
      const expected = Array.from({ length: 120 }, (_, i) => {
        const src = SOURCES[i % SOURCES.length]!;
        if (src.endsWith('docker-compose.yml')) return [];
        const lines = alone[i % SOURCES.length]!.split('\n').slice(0, -2);
        return lines.map((l) => l.split(join(TEMPLATES, src)).join(join(dir, `${String(i).padStart(3, '0')}-${src.split('/').pop()}`)));
      }).flat();
      expect(stdout.split('\n').slice(0, -2)).toEqual(expected);
    } else if (format === 'sarif') {
      const count = (text: string): [number, number] => {
        const run = JSON.parse(text).runs[0];
        return [run.results.length, run.invocations[0].toolExecutionNotifications.length];
      };
      const singles = alone.map(count);
      const sum = (k: 0 | 1): number => Array.from({ length: 120 }, (_, i) => singles[i % SOURCES.length]![k]).reduce((a, b) => a + b, 0);
      expect(count(stdout)).toEqual([sum(0), sum(1)]);
    } else if (format === 'junit') {
      const tests = (text: string): number => Number(/<testsuites [^>]*tests="(\d+)"/.exec(text)![1]);
      expect(tests(stdout)).toBe(Array.from({ length: 120 }, (_, i) => tests(alone[i % SOURCES.length]!)).reduce((a, b) => a + b, 0));
      expect(stdout.match(/<testsuite /g)).toHaveLength(120);
    } else {
      expect(JSON.parse(stdout).files).toHaveLength(120);
    }
  });
});
