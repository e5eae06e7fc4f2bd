// A report's parts set aside (in a buffer, past it in a temporary file) come back whole and in order.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spill } from '../../src/cli/format/stream';

let scratch: string;
const tmp = process.env.TMPDIR;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cli-spill-'));
  process.env.TMPDIR = scratch;
});
afterAll(() => {
  if (tmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmp;
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
