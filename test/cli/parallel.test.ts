// Large runs use worker threads: the report is the same, file for file and in the same order, as
// the single-threaded run of each file.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listInputs } from '../../src/cli/files';
import { checkEach, WORKER_MAX_BYTES } from '../../src/cli/parallel';
import { type Piece, reportWriter } from '../../src/cli/format/stream';
import { Tally } from '../../src/cli/results';
import { EMPTY_CONFIG } from '../../src/policy';
import { CLI, cli, TEMPLATES } from './support';

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

it('checks standard input on the main thread, with 120 files beside it', () => {
  const template = readFileSync(join(TEMPLATES, 'valid/noncompliant.json'), 'utf8');
  const run = JSON.parse(cli(['validate', '-f', 'json', '-', dir], { input: template }).stdout).files as { path: string; status: string }[];
  const alone = JSON.parse(cli(['validate', '-f', 'json', '-'], { input: template }).stdout).files[0];
  expect(run).toHaveLength(121);
  expect(run[0]).toEqual(alone);
  expect(run[0]).toMatchObject({ path: '-', status: 'FAIL' });
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

// A reader slower than the run (a pipe not read for a while, as `| tee` in CI): the run waits for
// it, at the end where the JSON and SARIF reports are read back from disk, and the report arrives whole.
it.each(['json', 'sarif'])('writes the whole %s report to a reader that falls behind', (format) => {
  const atOnce = cli(['validate', '-f', format, dir]);
  expect(Buffer.byteLength(atOnce.stdout)).toBeGreaterThan(2 * 64 * 1024);
  const script = '{ "$0" "$1" validate -f "$2" "$3"; echo "status $?" >&2; } | { sleep 1; cat; }';
  const slow = spawnSync('/bin/sh', ['-c', script, process.execPath, CLI, format, dir], { cwd: TEMPLATES, encoding: 'utf8' });
  expect(slow.stderr).toBe(`${atOnce.stderr}status ${atOnce.status}\n`);
  expect(slow.stdout).toBe(atOnce.stdout);
});

// A worker's heap is small (its old generation bounded, so that V8 collects it early): a file larger
// than a worker is meant for is handed back to the main thread unread, and a file that exhausts a
// worker's heap anyway (an alias bomb within the reader's limits: a worker dies of it in a fraction
// of a second) has the main thread check it after the worker's death, while another worker takes
// its place. Either way every file is reported as it is alone, in order.
describe('files a worker cannot hold', () => {
  let heap: string;
  const large = (): string => {
    const text = readFileSync(join(TEMPLATES, 'valid/sidecars.yaml'), 'utf8');
    return `${text}\n${'# padding to make the file larger than a worker takes\n'.repeat(Math.ceil(WORKER_MAX_BYTES / 50))}`;
  };
  const bomb = (): string =>
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Metadata:',
      `  a: &a {${Array.from({ length: 500 }, (_, i) => `k${i}: x`).join(', ')}}`,
      `  b: &b [${Array(20).fill('*a').join(', ')}]`,
      `  c: &c [${Array(20).fill('*b').join(', ')}]`,
      `  d: [${Array(4).fill('*c').join(', ')}]`,
      'Resources:',
      '  Task:',
      '    Type: AWS::ECS::TaskDefinition',
      '    Properties:',
      '      ContainerDefinitions: [{Name: app, Image: nginx, ReadonlyRootFilesystem: true}]',
      '',
    ].join('\n');
  // Workers claim files a few at a time (6 here, on 2 cores): 31 is handed back to the main thread
  // and 33 kills a worker in the middle of the files it claimed, after it answered some of them.
  const special: Record<number, [string, () => string]> = { 10: ['large.yaml', large], 31: ['large.yaml', large], 33: ['bomb.yaml', bomb], 34: ['bomb.yaml', bomb], 70: ['large.yaml', large] };

  beforeAll(() => {
    heap = mkdtempSync(join(tmpdir(), 'cli-parallel-heap-'));
    for (let i = 0; i < 100; i++) {
      const name = `${String(i).padStart(3, '0')}-`;
      const own = special[i];
      if (own) writeFileSync(join(heap, name + own[0]), own[1]());
      else copyFileSync(join(TEMPLATES, SOURCES[i % SOURCES.length]!), join(heap, name + SOURCES[i % SOURCES.length]!.split('/').pop()));
    }
  });
  afterAll(() => rmSync(heap, { recursive: true, force: true }));

  it('reports the large files and the alias bombs as they are alone, and every other file too', () => {
    expect(Buffer.byteLength(large())).toBeGreaterThan(WORKER_MAX_BYTES);
    const run = cli(['validate', '-f', 'json', heap]);
    expect(run.status).toBe(5);
    expect(run.stderr).toBe('');
    const files = JSON.parse(run.stdout).files as { path: string }[];
    expect(files.map((f) => f.path)).toEqual(readdirSync(heap).map((f) => join(heap, f)));
    const alone = new Map<string, unknown>();
    for (const [i, file] of files.entries()) {
      const name = readdirSync(heap)[i]!;
      const kind = name.slice(4);
      if (!alone.has(kind)) alone.set(kind, { ...JSON.parse(cli(['validate', '-f', 'json', join(heap, name)]).stdout).files[0], path: kind });
      expect({ ...file, path: kind }).toEqual(alone.get(kind));
    }
    expect(alone.get('bomb.yaml')).toMatchObject({ status: 'ERROR', error: 'more than 1000000 values once aliases are expanded (an alias bomb?)' });
    expect(alone.get('large.yaml')).toMatchObject({ status: 'FAIL' });
  });
});

describe('checkEach', () => {
  const options = { parameters: new Map<string, string>(), config: EMPTY_CONFIG, strict: true, onlyTemplates: true };
  const judged = async (bundle: string | undefined, from = dir): Promise<Piece[]> => {
    const out: Piece[] = [];
    // Copied: a piece's buffers are used again once emit returns.
    await checkEach(listInputs([from]), options, { format: 'json', cwd: from, color: false }, () => new Uint8Array(), bundle, (p) => out.push({ ...p, sections: p.sections.map((s) => Buffer.from(s)) }));
    return out;
  };
  const report = async (pieces: readonly Piece[]): Promise<string> => {
    let out = '';
    const writer = reportWriter('json', { name: 't', version: '0' }, dir, (text) => (out += text));
    const tally = new Tally();
    for (const p of pieces) {
      tally.merge(p.counts);
      writer.add(p);
    }
    await writer.finish(tally.summary());
    return out;
  };

  // The bundle runs in the workers. Each claims a few files at a time (at least eight claims each,
  // at most 16 files), checks and renders them, and posts them as one piece.
  it('shares a large run out among worker threads, a few files to a piece, and emits it in order', async () => {
    const alone = await judged(undefined);
    expect(alone.map((p) => p.counts.files)).toEqual(Array(120).fill(1));
    const shared = await judged(CLI);
    const sizes = shared.map((p) => p.counts.files);
    const workers = Math.min(availableParallelism(), 3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.floor(120 / (workers * 8)));
    expect(await report(shared)).toBe(await report(alone));
  });

  // A file too large for a worker's heap, second of its chunk (5 or 7 files, on 3 or 2 cores): the
  // worker posts the file before it, hands the large one to the main thread, and posts the rest.
  it('has the main thread check a file a worker hands back, between the pieces of its chunk', async () => {
    const withLarge = mkdtempSync(join(tmpdir(), 'cli-parallel-large-'));
    try {
      for (const name of readdirSync(dir)) copyFileSync(join(dir, name), join(withLarge, name));
      const text = readFileSync(join(TEMPLATES, 'valid/sidecars.yaml'), 'utf8');
      writeFileSync(join(withLarge, '000-large.yaml'), `${text}\n${'# padding\n'.repeat(Math.ceil(WORKER_MAX_BYTES / 10))}`);
      const pieces = await judged(CLI, withLarge);
      const sizes = pieces.map((p) => p.counts.files);
      const chunk = Math.floor(121 / (Math.min(availableParallelism(), 3) * 8));
      // Files 000-intrinsics (before it) and 000-large sort 0 and 1.
      expect(sizes.slice(0, 3)).toEqual([1, 1, chunk - 2]);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(121);
      expect(sizes.filter((n) => n === 1).length).toBeLessThanOrEqual(3);
      expect(await report(pieces)).toBe(await report(await judged(undefined, withLarge)));
    } finally {
      rmSync(withLarge, { recursive: true, force: true });
    }
  });

  // Standard output read slowly: while it is behind, workers claim no more files, so what waits to
  // be written is what they had in hand (a chunk, or two for one that claimed its next before the
  // gate shut), not the rest of the report. On one thread, no file after the one written.
  it.each([
    ['on one thread', undefined],
    ['on worker threads', CLI],
  ])('checks no more files while the output is behind, and all of them once it catches up (%s)', async (_, bundle) => {
    const alone = await judged(undefined);
    const out: Piece[] = [];
    let files = 0;
    let catchUp: (() => void) | undefined;
    let asked = 0;
    const run = checkEach(
      listInputs([dir]),
      options,
      { format: 'json', cwd: dir, color: false },
      () => new Uint8Array(),
      bundle,
      (p) => {
        files += p.counts.files;
        out.push({ ...p, sections: p.sections.map((s) => Buffer.from(s)) });
      },
      () => {
        asked++;
        return catchUp ? undefined : new Promise<void>((resolve) => (catchUp = resolve));
      },
    );
    const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    for (let waited = 0; !catchUp && waited < 20_000; waited += 10) await pause(10);
    expect(catchUp).toBeDefined();
    // Time for the workers to finish what they hold and reach the gate.
    await pause(400);
    const workers = Math.min(availableParallelism(), 3);
    const held = files;
    expect(held).toBeLessThanOrEqual(bundle ? 2 * workers * Math.floor(120 / (workers * 8)) : 1);
    await pause(100);
    expect(files).toBe(held);
    // Asked once: while it is behind, what is written meanwhile does not ask again.
    expect(asked).toBe(1);
    catchUp!();
    await run;
    expect(files).toBe(120);
    expect(await report(out)).toBe(await report(alone));
  });

  it.each([
    ['a bundle path a worker refuses at once (not absolute)', 'dist/cli.js'],
    ['a bundle that fails as it loads, before any file is claimed', 'failing'],
  ])('workers that cannot start, %s: the main thread checks every file, in order, as one thread would', async (_, bundle) => {
    const failing = join(dir, '..', `${dir.split('/').pop()}-failing.js`);
    writeFileSync(failing, "throw new Error('no worker here');\n");
    try {
      const alone = await judged(undefined);
      expect(alone).toHaveLength(120);
      expect(await judged(bundle === 'failing' ? failing : bundle)).toEqual(alone);
    } finally {
      rmSync(failing, { force: true });
    }
  });
});
