// Large runs use worker threads: the report is the same, file for file and in the same order, as
// the single-threaded run of each file.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
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
