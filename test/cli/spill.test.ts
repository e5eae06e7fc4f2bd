// A report's parts set aside (in a buffer, past it in a temporary file) come back whole and in order.
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PieceMaker, reportWriter, Spill } from '../../src/cli/format/stream';
import { Tally } from '../../src/cli/results';
// jest can spy on the module object only; and node:os reads the real environment, not jest's copy of
// it, so the temporary directory is redirected by a spy rather than by TMPDIR.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import os = require('node:os');

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(os.tmpdir(), 'cli-spill-'));
  jest.spyOn(os, 'tmpdir').mockReturnValue(scratch);
});
afterAll(() => {
  jest.restoreAllMocks();
  rmSync(scratch, { recursive: true, force: true });
});

async function drained(parts: readonly string[]): Promise<string> {
  const spill = new Spill();
  for (const part of parts) spill.add(part);
  expect(spill.count).toBe(parts.length);
  let out = '';
  await spill.drain((text) => (out += text));
  expect(readdirSync(scratch)).toEqual([]);
  return out;
}

it.each([
  ['a few small parts', ['a', 'é', '😀']],
  ['multi-byte parts across the buffer and the file', Array.from({ length: 4000 }, (_, i) => `${i}: é😀 ${'x'.repeat(i % 13)}\n`)],
  ['a part larger than the buffer', ['start ', 'ü'.repeat(40000), ' end']],
  ['nothing', []],
])('gives back %s as added', async (_, parts) => {
  expect(await drained(parts)).toBe(parts.join(''));
});

it('keeps up to 16 KiB in memory, writes past it to one temporary file, and removes it when drained', async () => {
  const spill = new Spill();
  spill.add('x'.repeat(16 * 1024));
  expect(readdirSync(scratch)).toEqual([]);
  spill.add('y');
  const made = readdirSync(scratch);
  expect(made).toHaveLength(1);
  expect(made[0]).toMatch(/^ecs-readonly-rootfs-/);
  let out = '';
  await spill.drain((text) => (out += text));
  expect(out).toBe(`${'x'.repeat(16 * 1024)}y`);
  expect(readdirSync(scratch)).toEqual([]);
});

// Standard output read slowly (a pipe) takes a chunk at a time: the rest stays on disk, not queued in memory.
it('writes one 64 KiB chunk at a time, each once the output has taken the one before', async () => {
  const spill = new Spill();
  const part = `${'é'.repeat(1000)}\n`;
  for (let i = 0; i < 100; i++) spill.add(part);
  const written: string[] = [];
  let behind: (() => void) | undefined;
  const drained = spill.drain(
    (text) => written.push(text),
    () => new Promise<void>((resolve) => (behind = resolve)),
  );
  for (let chunk = 1; chunk <= 4; chunk++) {
    await new Promise((resolve) => setImmediate(resolve));
    // Waiting on the output: no chunk past this one is read.
    expect(written).toHaveLength(chunk);
    behind!();
  }
  await drained;
  // 200,100 bytes: four chunks, a character cut at the second's end carried into the third.
  expect(written.map((text) => Buffer.byteLength(text))).toEqual([65536, 65535, 65537, 3492]);
  expect(written.join('')).toBe(part.repeat(100));
  expect(readdirSync(scratch)).toEqual([]);
});

it('does not wait when the output keeps up', async () => {
  const spill = new Spill();
  spill.add('x'.repeat(200_000));
  const written: string[] = [];
  let asked = 0;
  await spill.drain(
    (text) => written.push(text),
    () => {
      asked++;
      return undefined;
    },
  );
  expect(written.join('')).toBe('x'.repeat(200_000));
  expect(asked).toBe(written.length);
});

it('removes its temporary file when closed before it is drained (a run that stops early)', () => {
  const spill = new Spill();
  spill.add('z'.repeat(20000));
  expect(readdirSync(scratch)).toHaveLength(1);
  spill.close();
  expect(readdirSync(scratch)).toEqual([]);
});

it('never touches the disk for a report that fits in memory', async () => {
  const calls = (os.tmpdir as jest.Mock).mock.calls.length;
  expect(await drained(['a', 'b'.repeat(16 * 1024 - 1)])).toBe(`a${'b'.repeat(16 * 1024 - 1)}`);
  expect((os.tmpdir as jest.Mock).mock.calls.length).toBe(calls);
});

it('closes its temporary file, and does not fail when something else removed it first', () => {
  // The lowest free descriptor: one left open would push it up.
  const lowestFree = (): number => {
    const fd = openSync(__filename, 'r');
    closeSync(fd);
    return fd;
  };
  const before = lowestFree();
  const spill = new Spill();
  spill.add('z'.repeat(20000));
  const [made] = readdirSync(scratch);
  // A cleaner of the temporary directory got there first.
  rmSync(join(scratch, made!), { recursive: true });
  expect(() => spill.close()).not.toThrow();
  expect(lowestFree()).toBe(before);
});

describe.each(['json', 'sarif', 'junit'] as const)('a %s report stopped before its end', (format) => {
  it('removes what it set aside', () => {
    let out = '';
    const writer = reportWriter(format, { name: 't', version: '0' }, '/w', (text) => (out += text));
    const failing = { path: 'x.yaml', status: 'FAIL' as const, resources: [{ logicalId: 'T', type: 'AWS::ECS::TaskDefinition' as const, status: 'FAIL' as const, line: 1, column: 1, containers: [{ name: 'c'.repeat(200), index: 0, status: 'FAIL' as const, line: 2, column: 3 }], deployment: { containers: 1, failing: 1, exempt: 0 } }] };
    const maker = new PieceMaker({ format, cwd: '/w', color: false });
    maker.add(failing);
    const piece = maker.take();
    for (let i = 0; i < 200; i++) writer.add(piece);
    expect(readdirSync(scratch).length).toBeGreaterThan(0);
    writer.close();
    expect(readdirSync(scratch)).toEqual([]);
    expect(out).toBe('');
  });
});

// The reports that open with totals read their parts back from disk at the end: each chunk is
// written once the output has taken the one before, in every section.
describe.each(['json', 'sarif', 'junit'] as const)('a large %s report', (format) => {
  it('is read back a chunk at a time, asking the output after each', async () => {
    const failing = { path: 'x.yaml', status: 'FAIL' as const, resources: [{ logicalId: 'T', type: 'AWS::ECS::TaskDefinition' as const, status: 'FAIL' as const, line: 1, column: 1, containers: [{ name: 'c'.repeat(200), index: 0, status: 'FAIL' as const, line: 2, column: 3 }], deployment: { containers: 1, failing: 1, exempt: 0 } }] };
    const broken = { path: 'y.yaml', status: 'ERROR' as const, error: { message: 'e'.repeat(300) }, resources: [] };
    const maker = new PieceMaker({ format, cwd: '/w', color: false });
    maker.add(failing);
    maker.add(broken);
    const piece = maker.take();
    const tally = new Tally();
    const writes: number[] = [];
    const asked: number[] = [];
    const writer = reportWriter(
      format,
      { name: 't', version: '0' },
      '/w',
      (text) => writes.push(Buffer.byteLength(text)),
      () => {
        asked.push(writes.length);
        return Promise.resolve();
      },
    );
    for (let i = 0; i < 400; i++) {
      writer.add(piece);
      tally.merge(piece.counts);
    }
    await writer.finish(tally.summary());
    // Head and tail (SARIF: a middle too) are written without asking; each chunk read back (at
    // most 64 KiB) is followed by a question, one per chunk.
    expect(asked).toHaveLength(writes.length - (format === 'sarif' ? 3 : 2));
    expect(asked.length).toBeGreaterThanOrEqual(format === 'sarif' ? 4 : 2);
    expect(new Set(asked).size).toBe(asked.length);
    for (const after of asked) expect(writes[after - 1]).toBeLessThanOrEqual(64 * 1024 + 3);
    expect(readdirSync(scratch)).toEqual([]);
  });
});
