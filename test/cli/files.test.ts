// The walk names every file as path.join(directory, name) would, however the directory was given.
import fc from 'fast-check';
// jest can spy on the module object only, not on an import's namespace.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import fs = require('node:fs');
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expandPaths, InputList, isListedError, listInputs, readInput, readStdin, sharedInput } from '../../src/cli/files';
import { LIMITS } from '../../src/template';

let root: string;
const cwd = process.cwd();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-files-'));
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const f of ['t.yaml', 'T.JSON', 'x.template', 'notes.txt', 'a/u.yml', 'a/b/v.json', 'node_modules/w.yaml']) writeFileSync(join(root, f), '{}');
  process.chdir(root);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

const FOUND = ['T.JSON', 'a/b/v.json', 'a/u.yml', 't.yaml', 'x.template'];

it.each(['.', './', 'a/..', './a/../', 'a//..//'])("gives join(%j, name) for each template, sorted, depth-first", (dir) => {
  const expected = ['T.JSON', join('a', 'b', 'v.json'), join('a', 'u.yml'), 't.yaml', 'x.template'].map((p) => ({ path: join(dir, p) }));
  expect(expandPaths([dir])).toEqual(expected);
});

it('gives absolute paths for an absolute directory, with or without a trailing separator', () => {
  for (const dir of [root, `${root}/`, `${root}//a/..`]) {
    const found = expandPaths([dir]);
    expect(found.map((i) => relative(root, i.path))).toEqual(FOUND);
    expect(found.every((i) => i.path.startsWith(`${root}/`) && !i.path.includes('//'))).toBe(true);
  }
});

it('leaves out what --exclude matches, by name anywhere or by path from the directory given', () => {
  // Case-sensitive, as .gitignore is: T.JSON stays.
  expect(expandPaths(['.'], ['*.json']).map((i) => i.path)).toEqual(['T.JSON', join('a', 'u.yml'), 't.yaml', 'x.template']);
  expect(expandPaths(['.'], ['a/b/']).map((i) => i.path)).toEqual(['T.JSON', join('a', 'u.yml'), 't.yaml', 'x.template']);
});

// The run's list, kept in shared buffers, gives back each input as expandPaths has it, and the workers' view of it the same.
it('lists in shared buffers what expandPaths gives, errors and named files included', () => {
  const args = ['.', 'a/u.yml', 'missing.yaml', '-'];
  const list = listInputs(args, ['x.*']);
  const expected = expandPaths(args, ['x.*']);
  expect(Array.from({ length: list.length }, (_, i) => list.at(i))).toEqual(expected);
  expect(list.stdin).toBe(true);
  const shared = list.shared();
  expect(expected.map((input, i) => (isListedError(shared, i) ? { ...sharedInput(shared, i), error: input.error } : sharedInput(shared, i)))).toEqual(expected);
});

it('keeps every code unit of a path, across its buffers, a path longer than one of them and a lone surrogate included', () => {
  const list = new InputList();
  // About 90 bytes each: some 2,000 fill three 64 KiB buffers.
  const names = Array.from({ length: 2000 }, (_, i) => `${i}-\u00e9\u{1f600}${i % 7 === 0 ? '\ud800' : ''}${i % 11 === 0 ? '\udc00' : ''}-${'n'.repeat(i % 80)}.yaml`);
  names[1000] = `${'long/'.repeat(20000)}t.yaml`;
  // Lone surrogates in names with no pair beside them: high before another unit or at the end, low first or after another.
  ['h\ud800-.yaml', 'h\ud800', '\udc00l.yaml', 'l-\udc00.yaml', '\udc00\ud800.yaml'].forEach((name, k) => (names[1 + 100 * k] = name));
  for (const name of names) list.add('dir/', name);
  list.add('', '-', undefined, true);
  expect(list.length).toBe(2001);
  expect(list.stdin).toBe(true);
  const shared = list.shared();
  expect(shared.chunks.length).toBeGreaterThan(3);
  for (const [i, name] of names.entries()) {
    expect(sharedInput(shared, i)).toEqual({ path: `dir/${name}` });
    expect(list.at(i)).toEqual({ path: `dir/${name}` });
  }
  expect(sharedInput(shared, 2000)).toEqual({ path: '-', explicit: true });
});

// Names with no code unit over U+00FF are held one byte a unit, the others two: the order of any
// mix of the two is still that of `<`.
it('orders names of one-byte and two-byte code units as `<` does', () => {
  // Mostly one letter, so that names share long beginnings; and a name with `.yaml` twice beside
  // the same name with it once, so that one name begins another.
  const unit = fc.oneof(
    { arbitrary: fc.constant('a'), weight: 6 },
    { arbitrary: fc.constantFrom('B', 'z', '0', '~', ' ', '\u007f', '\u00a0', '\u00e9', '\u00ff', '\u0100', '\u00ff\u0100', '\ue000', '\uffe0', '\uffef', '\u{10000}', '\u{1f600}'), weight: 4 },
  );
  const bases = fc.uniqueArray(fc.array(unit, { minLength: 1, maxLength: 12 }).map((units) => units.join('')), { minLength: 2, maxLength: 30 });
  const names = bases.map((list) => list.flatMap((base, i) => (i % 3 === 0 ? [`${base}.yaml`, `${base}.yaml.yaml`] : [`${base}.yaml`])));
  let run = 0;
  fc.assert(
    fc.property(names, (list) => {
      const dir = join(root, `mixed-${run++}`);
      mkdirSync(dir);
      try {
        for (const name of list) writeFileSync(join(dir, name), '{}');
        expect(expandPaths([dir]).map((i) => i.path)).toEqual([...list].sort().map((n) => join(dir, n)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 60 },
  );
});

it('walks directories whose names have code units over U+00FF, in order among the others', () => {
  const dir = join(root, 'wide-dirs');
  for (const sub of ['\u0100', '\u00e9', 'b', '\u{1f600}']) {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, 't.yaml'), '{}');
  }
  writeFileSync(join(dir, '\u00ff.yaml'), '{}');
  try {
    expect(expandPaths([dir]).map((i) => relative(dir, i.path))).toEqual([join('b', 't.yaml'), join('\u00e9', 't.yaml'), '\u00ff.yaml', join('\u0100', 't.yaml'), join('\u{1f600}', 't.yaml')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('sorts a large directory as `<` orders its names, past the first buffer of names', () => {
  const dir = join(root, 'large');
  mkdirSync(dir);
  const marks = ['', 'a', 'B', '\u00e9', '\ue000', '\uffe0', '\u{1f600}', '\u{10000}', '\u0100', '~'];
  const names = Array.from({ length: 3000 }, (_, i) => `${marks[i % marks.length]}${(i * 7919) % 3001}${marks[(i * 3) % marks.length]}.yaml`);
  for (const name of names) writeFileSync(join(dir, name), '{}');
  try {
    expect(expandPaths([dir]).map((i) => i.path)).toEqual([...new Set(names)].sort().map((n) => join(dir, n)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('what a walk enters and --exclude leaves out', () => {
  let tree: string;
  const FILES = [
    't.yaml',
    'x1.yaml',
    'x12.yaml',
    'a+b.yaml',
    'ab.yaml',
    'aab.yaml',
    'dir/t.yaml',
    'dir/at.yaml',
    'dir/sub/t.yaml',
    'dir/sub/deep/u.json',
    'other/dir/v.yaml',
    'y.yaml/z.yaml',
    '.aws-sam/build/template.yaml',
    '.hidden.yaml',
    'node_modules/dep/n.yaml',
    '.git/refs/g.json',
  ];
  const WALKED = FILES.filter((f) => !/^\.aws-sam|^node_modules|^\.git\//.test(f)).sort();

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'cli-walk-'));
    for (const f of FILES) {
      mkdirSync(join(tree, f, '..'), { recursive: true });
      writeFileSync(join(tree, f), '{}');
    }
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  const walked = (excludes: string[], dir = tree) => expandPaths([dir], excludes).map((i) => relative(tree, i.path).split('\\').join('/'));
  const sorted = (files: string[]) => files.map((f) => join(tree, f)).sort().map((p) => relative(tree, p));

  it('enters every directory but hidden ones, node_modules and .git; hidden files are read', () => {
    expect(walked([])).toEqual(sorted(WALKED));
  });

  it.each([
    [['*.yaml'], ['dir/sub/deep/u.json']],
    // `?` is one character; `*` does not cross `/`; a name pattern matches a directory anywhere.
    [['x?.yaml'], WALKED.filter((f) => f !== 'x1.yaml')],
    [['dir/*.yaml'], WALKED.filter((f) => f !== 'dir/t.yaml' && f !== 'dir/at.yaml')],
    [['dir/**/t.yaml'], WALKED.filter((f) => f !== 'dir/t.yaml' && f !== 'dir/sub/t.yaml')],
    [['dir/*t.yaml'], WALKED.filter((f) => f !== 'dir/t.yaml' && f !== 'dir/at.yaml')],
    [['dir/**'], WALKED.filter((f) => !f.startsWith('dir/'))],
    [['**/deep'], WALKED.filter((f) => f !== 'dir/sub/deep/u.json')],
    [['dir'], WALKED.filter((f) => !f.startsWith('dir/') && f !== 'other/dir/v.yaml')],
    [['sub'], WALKED.filter((f) => !f.startsWith('dir/sub/'))],
    // Everything else is literal: `+` and `.` included.
    [['a+b.yaml'], WALKED.filter((f) => f !== 'a+b.yaml')],
    [['t?yaml'], WALKED.filter((f) => !f.endsWith('/t.yaml') && f !== 't.yaml')],
    [['t.yam'], WALKED],
    // A trailing `/` (or several) matches directories only.
    [['x1.yaml/'], WALKED],
    [['y.yaml/'], WALKED.filter((f) => f !== 'y.yaml/z.yaml')],
    [['y.yaml//'], WALKED.filter((f) => f !== 'y.yaml/z.yaml')],
    [['dir/sub/'], WALKED.filter((f) => !f.startsWith('dir/sub/'))],
    [['dir/t.yaml/'], WALKED],
    [['dir/s*/'], WALKED.filter((f) => !f.startsWith('dir/sub/'))],
    // `./` and backslashes are read as the path from the directory given.
    [['./dir/sub'], WALKED.filter((f) => !f.startsWith('dir/sub/'))],
    [['dir\\sub'], WALKED.filter((f) => !f.startsWith('dir/sub/'))],
    [['other/dir'], WALKED.filter((f) => f !== 'other/dir/v.yaml')],
  ])('--exclude %j', (excludes, expected) => {
    expect(walked(excludes)).toEqual(sorted(expected));
  });

  it('matches a pattern with `/` against the path from the directory given, and against the path as given', () => {
    const dir = join(tree, 'dir');
    expect(walked(['sub/t.yaml'], dir)).toEqual(['dir/at.yaml', 'dir/sub/deep/u.json', 'dir/t.yaml']);
    expect(walked([`${dir}/t.yaml`], dir)).toEqual(['dir/at.yaml', 'dir/sub/deep/u.json', 'dir/sub/t.yaml']);
    expect(walked(['dir/t.yaml'], dir)).toEqual(['dir/at.yaml', 'dir/sub/deep/u.json', 'dir/sub/t.yaml', 'dir/t.yaml']);
  });

  it('leaves out a named file that a pattern matches, by its name or by a directory on its path', () => {
    const named = (excludes: string[]) => expandPaths([join(tree, 'dir/sub/t.yaml'), join(tree, 'x1.yaml')], excludes).map((i) => relative(tree, i.path));
    expect(named([])).toEqual([join('dir', 'sub', 't.yaml'), 'x1.yaml']);
    expect(named(['t.yaml'])).toEqual(['x1.yaml']);
    expect(named(['sub'])).toEqual(['x1.yaml']);
    expect(named(['sub/'])).toEqual(['x1.yaml']);
    expect(named(['x1.yaml/'])).toEqual([join('dir', 'sub', 't.yaml'), 'x1.yaml']);
    expect(named([join(tree, 'x1.yaml')])).toEqual([join('dir', 'sub', 't.yaml')]);
    expect(named([`${join(tree, 'dir', 'sub')}/`])).toEqual(['x1.yaml']);
    expect(expandPaths([join(tree, 'dir/sub/deep/u.json')], [join(tree, 'dir')])).toEqual([]);
    expect(named([`${join(tree, 'x1.yaml')}/`, `${join(tree, 'dir', 'sub', 't.yaml')}/`])).toEqual([join('dir', 'sub', 't.yaml'), 'x1.yaml']);
    // A path given from the current directory is matched without its `./`.
    const cwdBefore = process.cwd();
    process.chdir(tree);
    try {
      expect(expandPaths(['./dir/sub/t.yaml', './x1.yaml'], ['dir/sub/t.yaml']).map((i) => i.path)).toEqual(['./x1.yaml']);
      expect(expandPaths(['./dir/sub/t.yaml', './x1.yaml'], ['dir/**']).map((i) => i.path)).toEqual(['./x1.yaml']);
    } finally {
      process.chdir(cwdBefore);
    }
  });

  it('enters directories down to 64 levels below the one given, and no deeper', () => {
    const deep = mkdtempSync(join(tmpdir(), 'cli-deep-'));
    try {
      let dir = deep;
      for (let level = 0; level <= 66; level++) {
        writeFileSync(join(dir, 't.yaml'), '{}');
        dir = join(dir, 'd');
        mkdirSync(dir);
      }
      const found = expandPaths([deep]).map((i) => relative(deep, i.path).split(/[\\/]/).length - 1);
      expect(found).toEqual(Array.from({ length: 65 }, (_, level) => 64 - level));
    } finally {
      rmSync(deep, { recursive: true, force: true });
    }
  });
});

describe('what cannot be read is listed with the reason, in words', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-unreadable-'));
    writeFileSync(join(dir, 'real.yaml'), '{}');
    mkdirSync(join(dir, 'sub'));
    symlinkSync('loop.yaml', join(dir, 'loop.yaml'));
    symlinkSync('nowhere.yaml', join(dir, 'gone.yaml'));
    symlinkSync('real.yaml', join(dir, 'link.yaml'));
    symlinkSync('sub', join(dir, 'sub-link.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  it('follows a link to a file, skips one to a directory, and lists a broken or looping one with its reason', () => {
    // link.yaml is real.yaml, which the walk reaches by its own path.
    expect(expandPaths([dir]).map((i) => ({ ...i, path: relative(dir, i.path) }))).toEqual([
      { path: 'gone.yaml', error: 'cannot read: no such file or directory' },
      { path: 'loop.yaml', error: 'cannot read: too many symbolic links' },
      { path: 'real.yaml' },
    ]);
    expect(expandPaths([join(dir, 'link.yaml')])).toEqual([{ path: join(dir, 'link.yaml'), explicit: true }]);
    expect(expandPaths([join(dir, 'loop.yaml'), join(dir, 'missing')]).map((i) => i.error)).toEqual(['cannot read: too many symbolic links', 'cannot read: no such file or directory']);
  });

  it.each([
    ['EACCES', 'cannot read: permission denied'],
    ['EPERM', 'cannot read: permission denied'],
    ['EISDIR', 'cannot read: is a directory'],
    ['EIO', 'cannot read (EIO)'],
    [undefined, 'cannot read'],
  ])('names %s as %j', (code, message) => {
    // Root reads everything here: the system's refusal is simulated.
    const statSync = fs.statSync;
    jest.spyOn(fs, 'statSync').mockImplementation(((path: string) => {
      if (!path.endsWith('.yaml')) return statSync(path);
      throw Object.assign(new Error('refused'), code === undefined ? {} : { code });
    }) as typeof fs.statSync);
    expect(expandPaths(['somewhere.yaml'])).toEqual([{ path: 'somewhere.yaml', error: message, explicit: true }]);
    // Links are the entries a walk asks about.
    expect(expandPaths([dir]).filter((i) => i.error !== undefined)).toEqual(['gone.yaml', 'link.yaml', 'loop.yaml', 'sub-link.yaml'].map((name) => ({ path: join(dir, name), error: message })));
  });

  it('closes every file it opens, read or refused', () => {
    // The lowest free descriptor: any left open would push it up.
    const lowestFree = (): number => {
      const fd = fs.openSync(join(dir, 'real.yaml'), 'r');
      fs.closeSync(fd);
      return fd;
    };
    const before = lowestFree();
    for (let i = 0; i < 20; i++) {
      expect(readInput(join(dir, 'real.yaml'), () => new Uint8Array()).ok).toBe(true);
      expect(readInput(join(dir, 'sub'), () => new Uint8Array()).ok).toBe(false);
    }
    expect(lowestFree()).toBe(before);
  });

  it('says why a file gone since it was listed cannot be read', () => {
    expect(readInput(join(dir, 'deleted.yaml'), () => new Uint8Array())).toEqual({ ok: false, error: 'cannot read: no such file or directory' });
    expect(readInput(join(dir, 'loop.yaml'), () => new Uint8Array(), Buffer.alloc(64))).toEqual({ ok: false, error: 'cannot read: too many symbolic links' });
  });

  it('reads an empty file as no bytes, with or without a scratch buffer', () => {
    writeFileSync(join(dir, 'empty.yaml'), '');
    for (const scratch of [undefined, Buffer.alloc(8)]) {
      const read = readInput(join(dir, 'empty.yaml'), () => new Uint8Array(), scratch);
      expect(read.ok && read.bytes.length).toBe(0);
    }
  });

  it('lists a directory it cannot open with the reason, and walks the others', () => {
    const opendirSync = fs.opendirSync;
    jest.spyOn(fs, 'opendirSync').mockImplementation(((path: string) => {
      if (path.endsWith('sub')) throw Object.assign(new Error('refused'), { code: 'EACCES' });
      return opendirSync(path);
    }) as typeof fs.opendirSync);
    writeFileSync(join(dir, 'sub', 'inner.yaml'), '{}');
    try {
      const found = expandPaths([dir]).map((i) => ({ ...i, path: relative(dir, i.path) }));
      expect(found.filter((i) => i.error !== undefined || i.path.startsWith('sub') || i.path === 'real.yaml')).toEqual([
        { path: 'gone.yaml', error: 'cannot read: no such file or directory' },
        { path: 'loop.yaml', error: 'cannot read: too many symbolic links' },
        { path: 'real.yaml' },
        { path: 'sub', error: 'cannot read: permission denied' },
      ]);
    } finally {
      rmSync(join(dir, 'sub', 'inner.yaml'));
    }
  });

  it('refuses a directory, and a file over the size limit without reading it', () => {
    expect(readInput(join(dir, 'sub'), () => new Uint8Array())).toEqual({ ok: false, error: 'cannot read: is a directory' });
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, LIMITS.maxBytes + 1);
    expect(readInput(big, () => new Uint8Array())).toEqual({ ok: false, error: `file is ${LIMITS.maxBytes + 1} bytes, over the ${LIMITS.maxBytes}-byte limit` });
    truncateSync(big, LIMITS.maxBytes);
    const read = readInput(big, () => new Uint8Array());
    expect(read.ok && read.bytes.length).toBe(LIMITS.maxBytes);
    rmSync(big);
  });

  it('reads standard input within the limit, and refuses it past the limit', () => {
    expect(readInput('-', () => new Uint8Array([123, 125]))).toEqual({ ok: true, bytes: new Uint8Array([123, 125]) });
    expect(readInput('-', () => new Uint8Array(LIMITS.maxBytes + 1))).toEqual({ ok: false, error: `input is over the ${LIMITS.maxBytes}-byte limit` });
    const atLimit = readInput('-', () => new Uint8Array(LIMITS.maxBytes));
    expect(atLimit.ok && atLimit.bytes.length).toBe(LIMITS.maxBytes);
    expect(
      readInput('-', () => {
        throw Object.assign(new Error('gone'), { code: 'EIO' });
      }),
    ).toEqual({ ok: false, error: 'cannot read (EIO)' });
  });

  it('reads a file into the scratch buffer given when it fits, and into its own when not', () => {
    const scratch = Buffer.alloc(8);
    const small = readInput(join(dir, 'real.yaml'), () => new Uint8Array(), scratch);
    expect(small.ok && small.bytes.buffer).toBe(scratch.buffer);
    expect(small.ok && Buffer.from(small.bytes).toString()).toBe('{}');
    writeFileSync(join(dir, 'eight.json'), '[1,2,34]');
    const exact = readInput(join(dir, 'eight.json'), () => new Uint8Array(), scratch);
    expect(exact.ok && exact.bytes.buffer).not.toBe(scratch.buffer);
    expect(exact.ok && Buffer.from(exact.bytes).toString()).toBe('[1,2,34]');
  });
});

describe('reading what has no size before it is read', () => {
  // A named pipe (what `validate <(make-template)` names) says it holds 0 bytes: the buffer grows as it is read.
  const fromPipe = (bytes: number): ReturnType<typeof readInput> => {
    const fifo = join(root, `pipe-${bytes}.yaml`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    try {
      // The writer is another process: this one blocks in the read until the writer closes the pipe.
      const writer = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(fifo)}, Buffer.alloc(${bytes}, 'a'))`], { stdio: 'ignore' });
      const read = readInput(fifo, () => new Uint8Array());
      writer.kill();
      return read;
    } finally {
      rmSync(fifo, { force: true });
    }
  };

  it('reads a pipe whole, past several doublings of its buffer', () => {
    const read = fromPipe(300_000);
    expect(read.ok && [read.bytes.length, read.bytes.every((b) => b === 0x61)]).toEqual([300_000, true]);
  });

  it('reads a pipe of exactly the size limit, and refuses one a byte over it', () => {
    const at = fromPipe(LIMITS.maxBytes);
    expect(at.ok && at.bytes.length).toBe(LIMITS.maxBytes);
    expect(fromPipe(LIMITS.maxBytes + 1)).toEqual({ ok: false, error: `file is over the ${LIMITS.maxBytes}-byte limit` });
  });
});

describe('standard input', () => {
  afterEach(() => jest.restoreAllMocks());

  /** readSync on descriptor 0 answering from `steps`: a byte count to fill, or an error code to throw; then end of input. */
  const stdinGiving = (steps: readonly (number | string)[]): jest.SpyInstance => {
    let at = 0;
    return jest.spyOn(fs, 'readSync').mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number) => {
      expect(fd).toBe(0);
      const step = steps[at++];
      if (step === undefined) return 0;
      if (typeof step === 'string') throw Object.assign(new Error(step), { code: step });
      const n = Math.min(step, length);
      buffer.fill(0x62, offset, offset + n);
      return n;
    }) as unknown as typeof fs.readSync);
  };

  it('waits out a non-blocking descriptor with nothing to read yet (EAGAIN), and ends at EOF as at a read of 0 bytes', () => {
    const calls = stdinGiving(['EAGAIN', 10, 'EAGAIN', 5, 'EOF', 7]);
    expect(Buffer.from(readStdin()).toString()).toBe('b'.repeat(15));
    expect(calls).toHaveBeenCalledTimes(5);
  });

  it('passes on any other error', () => {
    stdinGiving([3, 'EIO']);
    expect(() => readStdin()).toThrow(expect.objectContaining({ code: 'EIO' }));
  });

  it('stops reading one chunk past the size limit: enough to refuse it, never the whole stream', () => {
    const chunk = 65536;
    const full = Math.floor(LIMITS.maxBytes / chunk);
    const rest = LIMITS.maxBytes - full * chunk;
    const upToLimit = [...Array.from({ length: full }, () => chunk), ...(rest > 0 ? [rest] : [])];
    // Exactly the limit, then one byte more: the byte that makes it too large is read.
    const exact = stdinGiving([...upToLimit, 1, chunk, chunk]);
    expect(readStdin().length).toBe(LIMITS.maxBytes + 1);
    expect(exact).toHaveBeenCalledTimes(upToLimit.length + 1);
    jest.restoreAllMocks();
    const endless = stdinGiving(Array.from({ length: 10_000 }, () => chunk));
    expect(readStdin().length).toBe((full + 1) * chunk);
    expect(endless).toHaveBeenCalledTimes(full + 1);
  });
});

it('leaves out a file whose name holds a backslash when the pattern names it as typed (a backslash reads as /, in names as in patterns)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-backslash-'));
  try {
    for (const name of ['b\\c.yaml', 'd.yaml']) writeFileSync(join(dir, name), '{}');
    expect(expandPaths([dir], ['b\\c.yaml']).map((i) => relative(dir, i.path))).toEqual(['d.yaml']);
    expect(expandPaths([dir], ['b/c.yaml']).map((i) => relative(dir, i.path))).toEqual(['d.yaml']);
    expect(expandPaths([dir], []).map((i) => relative(dir, i.path))).toEqual(['b\\c.yaml', 'd.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('a file reached twice is listed once, by the first path that reaches it', () => {
  let dir: string;
  const rel = (inputs: { path: string; explicit?: boolean }[]) => inputs.map((i) => relative(dir, i.path) + (i.explicit ? ' (named)' : ''));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-twice-'));
    mkdirSync(join(dir, 'repo', 'infra', '.shared'), { recursive: true });
    mkdirSync(join(dir, 'elsewhere'));
    for (const f of ['repo/infra/a.yaml', 'repo/infra/m.yaml', 'repo/infra/.shared/hidden.yaml', 'elsewhere/out.yaml']) writeFileSync(join(dir, f), '{}');
    // Into the walk, out of it (a hidden directory), and out of the directory given.
    symlinkSync('m.yaml', join(dir, 'repo', 'infra', 'b-link.yaml'));
    symlinkSync('.shared/hidden.yaml', join(dir, 'repo', 'infra', 'c-hidden.yaml'));
    symlinkSync('../../elsewhere/out.yaml', join(dir, 'repo', 'infra', 'd-out.yaml'));
    symlinkSync('../../elsewhere/out.yaml', join(dir, 'repo', 'infra', 'e-out.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists a link after the walk when its file is under the directory given, and only if the walk did not reach that file', () => {
    const walked = rel(expandPaths([join(dir, 'repo')]));
    expect(walked).toEqual(['repo/infra/a.yaml', 'repo/infra/d-out.yaml', 'repo/infra/m.yaml', 'repo/infra/c-hidden.yaml']);
    // The same list for the workers: the paths it holds are the ones expandPaths gives.
    const list = listInputs([join(dir, 'repo')]);
    expect(rel(Array.from({ length: list.length }, (_, i) => list.at(i)))).toEqual(walked);
  });

  it('lists a file once when it is named twice, named and walked, or under two directories given', () => {
    const infra = join(dir, 'repo', 'infra');
    expect(rel(expandPaths([join(infra, 'a.yaml'), join(infra, '..', 'infra', 'a.yaml'), infra]))).toEqual([
      'repo/infra/a.yaml (named)',
      'repo/infra/d-out.yaml',
      'repo/infra/m.yaml',
      'repo/infra/c-hidden.yaml',
    ]);
    expect(rel(expandPaths([infra, join(dir, 'repo'), join(dir, 'elsewhere')]))).toEqual(['repo/infra/a.yaml', 'repo/infra/d-out.yaml', 'repo/infra/m.yaml', 'repo/infra/c-hidden.yaml']);
    // Errors are listed each time: there is no file to compare.
    expect(rel(expandPaths([join(dir, 'none.yaml'), join(dir, 'none.yaml')]))).toEqual(['none.yaml (named)', 'none.yaml (named)']);
  });

  it('lists each of many files once when each is named twice, past the table growing several times', () => {
    mkdirSync(join(dir, 'many'));
    const names = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(3, '0')}.yaml`);
    for (const name of names) writeFileSync(join(dir, 'many', name), '{}');
    const named = names.map((n) => join(dir, 'many', n));
    expect(rel(expandPaths([...named, ...named.slice().reverse(), join(dir, 'many')]))).toEqual(names.map((n) => `many/${n} (named)`));
  });

  it('keeps two files whose paths hash alike', () => {
    // FNV-1a, as the list's table hashes real paths: two names found to collide under this directory.
    const fnv = (text: string, from = 0x811c9dc5) => {
      let h = from;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      return h;
    };
    const prefix = fnv(join(fs.realpathSync(dir), 'hash', 'c'));
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const name = `c${i}.yaml`;
      const h = fnv(`${i}.yaml`, prefix) >>> 0;
      const other = byHash.get(h);
      if (other !== undefined) pair = [other, name];
      else byHash.set(h, name);
    }
    mkdirSync(join(dir, 'hash'));
    for (const name of pair) writeFileSync(join(dir, 'hash', name), '{}');
    // Two paths given: every file's real path goes into the table, and the one named again is dropped.
    expect(rel(expandPaths([join(dir, 'hash'), join(dir, 'hash', pair[1])]))).toEqual(pair.map((n) => `hash/${n}`).sort());
  });
});
