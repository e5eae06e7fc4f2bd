// A report's parts set aside (in a buffer, past it in a temporary file) come back whole and in order.
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PieceMaker, reportWriter, Spill } from '../../src/cli/format/stream';
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

function drained(parts: readonly string[]): string {
  const spill = new Spill();
  for (const part of parts) spill.add(part);
  expect(spill.count).toBe(parts.length);
  let out = '';
  spill.drain((text) => (out += text));
  expect(readdirSync(scratch)).toEqual([]);
  return out;
}

it.each([
  ['a few small parts', ['a', 'é', '😀']],
  ['multi-byte parts across the buffer and the file', Array.from({ length: 4000 }, (_, i) => `${i}: é😀 ${'x'.repeat(i % 13)}\n`)],
  ['a part larger than the buffer', ['start ', 'ü'.repeat(40000), ' end']],
  ['nothing', []],
])('gives back %s as added', (_, parts) => {
  expect(drained(parts)).toBe(parts.join(''));
});

it('keeps up to 16 KiB in memory, writes past it to one temporary file, and removes it when drained', () => {
  const spill = new Spill();
  spill.add('x'.repeat(16 * 1024));
  expect(readdirSync(scratch)).toEqual([]);
  spill.add('y');
  const made = readdirSync(scratch);
  expect(made).toHaveLength(1);
  expect(made[0]).toMatch(/^ecs-readonly-rootfs-/);
  let out = '';
  spill.drain((text) => (out += text));
  expect(out).toBe(`${'x'.repeat(16 * 1024)}y`);
  expect(readdirSync(scratch)).toEqual([]);
});

it('removes its temporary file when closed before it is drained (a run that stops early)', () => {
  const spill = new Spill();
  spill.add('z'.repeat(20000));
  expect(readdirSync(scratch)).toHaveLength(1);
  spill.close();
  expect(readdirSync(scratch)).toEqual([]);
});

it('never touches the disk for a report that fits in memory', () => {
  const calls = (os.tmpdir as jest.Mock).mock.calls.length;
  expect(drained(['a', 'b'.repeat(16 * 1024 - 1)])).toBe(`a${'b'.repeat(16 * 1024 - 1)}`);
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
