// The walk names every file as path.join(directory, name) would, however the directory was given.
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expandPaths, InputList, isListedError, listInputs, sharedInput } from '../../src/cli/files';

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
