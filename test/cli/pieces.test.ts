// Files are rendered into pieces where they are judged (a worker renders a few files at a time);
// however the files are cut into pieces, the report is the one the whole-report formatters write.
import { Buffers, buffersOf, type Format, type Piece, PieceMaker, reportWriter } from '../../src/cli/format/stream';
import { formatJson } from '../../src/cli/format/json';
import { formatJunit } from '../../src/cli/format/junit';
import { formatSarif } from '../../src/cli/format/sarif';
import { formatText } from '../../src/cli/format/text';
import { type FileResult, summarize, Tally } from '../../src/cli/results';

const TOOL = { name: 't', version: '0' };
const CWD = '/w';

function container(name: string, status: 'PASS' | 'FAIL' | 'EXEMPT', index: number) {
  return { name, index, status, line: 3 + index, column: 9, ...(status === 'FAIL' ? { reason: 'missing' as const } : {}) };
}

/** Files of every status; some with findings long enough to outgrow a section's first buffer. */
function files(): FileResult[] {
  return Array.from({ length: 40 }, (_, i): FileResult => {
    const path = `t/${String(i).padStart(2, '0')}.yaml`;
    if (i % 10 === 3) return { path, status: 'ERROR', error: { message: 'cannot read: no such file or directory' }, resources: [] };
    if (i % 10 === 5) return { path, status: 'SKIP', skipReason: 'not-a-template', resources: [] };
    if (i % 10 === 7) return { path, status: 'SKIP', resources: [], declaredParameters: ['Env'] };
    const failing = i % 2 === 0;
    const names = Array.from({ length: i % 9 === 0 ? 60 : 2 }, (_, k) => `${'c'.repeat(i % 9 === 0 ? 200 : 4)}${k}`);
    const containers = names.map((n, k) => container(n, failing && k === 0 ? 'FAIL' : k === 1 ? 'EXEMPT' : 'PASS', k));
    return {
      path,
      status: failing ? 'FAIL' : 'PASS',
      declaredParameters: ['Env', `P${i % 3}`],
      resources: [
        {
          logicalId: `Task${i}`,
          type: 'AWS::ECS::TaskDefinition',
          status: failing ? 'FAIL' : 'PASS',
          line: 2,
          column: 3,
          containers,
          deployment: { containers: containers.length, failing: failing ? 1 : 0, exempt: 1 },
        },
      ],
    };
  });
}

/** The report written from pieces of `size` files each. */
async function inPieces(format: Format, all: readonly FileResult[], size: number): Promise<string> {
  let out = '';
  const writer = reportWriter(format, TOOL, CWD, (text) => (out += text));
  const maker = new PieceMaker({ format, cwd: CWD, color: false });
  const tally = new Tally();
  const put = (): void => {
    const piece = maker.take();
    tally.merge(piece.counts);
    writer.add(piece);
    maker.buffers.give(buffersOf(piece));
  };
  for (const [i, f] of all.entries()) {
    maker.add(f);
    if ((i + 1) % size === 0) put();
  }
  if (all.length % size !== 0) put();
  await writer.finish(tally.summary());
  writer.close();
  return out;
}

const whole: Record<Format, (all: readonly FileResult[]) => string> = {
  text: (all) => formatText(all, { color: false }),
  json: (all) => formatJson(all, TOOL),
  sarif: (all) => formatSarif(all, TOOL, CWD),
  junit: (all) => formatJunit(all, TOOL),
};

describe.each(['text', 'json', 'sarif', 'junit'] as const)('the %s report', (format) => {
  it.each([1, 2, 7, 40])('is the whole-report formatter’s, from pieces of %i files', async (size) => {
    const all = files();
    expect(await inPieces(format, all, size)).toBe(whole[format](all));
  });

  it('is that of no file, from a run without files', async () => {
    expect(await inPieces(format, [], 1)).toBe(whole[format]([]));
  });
});

describe('a piece', () => {
  it('holds the totals of its own files only', () => {
    const all = files();
    const maker = new PieceMaker({ format: 'json', cwd: CWD, color: false });
    for (const f of all.slice(0, 10)) maker.add(f);
    const first = maker.take();
    for (const f of all.slice(10)) maker.add(f);
    const second = maker.take();
    const tally = new Tally();
    tally.merge(first.counts);
    expect(tally.summary()).toEqual(summarize(all.slice(0, 10)));
    tally.merge(second.counts);
    expect(tally.summary()).toEqual(summarize(all));
    expect([...tally.declared].sort()).toEqual(['Env', 'P0', 'P1', 'P2']);
    expect(first.parts).toEqual([10]);
    expect(second.parts).toEqual([30]);
  });

  it('keeps its text while the next piece is rendered, until its buffers are handed back', () => {
    const all = files();
    const maker = new PieceMaker({ format: 'text', cwd: CWD, color: false });
    maker.add(all[0]!);
    const first = maker.take();
    const text = Buffer.from(first.sections[0]!).toString();
    for (const f of all.slice(1)) maker.add(f);
    maker.take();
    expect(Buffer.from(first.sections[0]!).toString()).toBe(text);
    expect(text).toContain('t/00.yaml');
  });

  it('counts the JUnit cases of its files', () => {
    const all = files();
    const maker = new PieceMaker({ format: 'junit', cwd: CWD, color: false });
    for (const f of all) maker.add(f);
    const piece: Piece = maker.take();
    const tests = Number(/<testsuites [^>]*tests="(\d+)"/.exec(formatJunit(all, TOOL))![1]);
    expect(piece.junit.tests).toBe(tests);
    expect(piece.junit.errors).toBe(4);
    expect(piece.junit.failures + piece.junit.skipped + piece.junit.errors).toBeLessThan(tests);
  });
});

describe('the buffers pieces are rendered into', () => {
  it('are new, of at least 8 KiB, when none was handed back', () => {
    const buffers = new Buffers();
    expect(buffers.get(0).length).toBe(8 * 1024);
    expect(buffers.get(20_000).length).toBe(20_000);
  });

  it('are used again once handed back, when large enough', () => {
    const buffers = new Buffers();
    const small = new ArrayBuffer(10_000);
    const large = new ArrayBuffer(40_000);
    buffers.give([small, large]);
    expect(buffers.get(40_000).buffer).toBe(large);
    expect(buffers.get(30_000).buffer).not.toBe(small);
    expect(buffers.get(100).buffer).toBe(small);
  });

  it('are replaced by one twice as large when a section outgrows its buffer, which goes back', () => {
    const buffers = new Buffers();
    const get = jest.spyOn(buffers, 'get');
    const give = jest.spyOn(buffers, 'give');
    const maker = new PieceMaker({ format: 'json', cwd: CWD, color: false }, buffers);
    const first = get.mock.results[0]!.value as Buffer;
    // Small files, about 1 KB each in JSON: the first buffer fills up after a few.
    for (const f of files().filter((_, i) => i % 9 !== 0)) maker.add(f);
    expect(get.mock.calls[1]).toEqual([16 * 1024]);
    expect(give).toHaveBeenCalledWith([first.buffer]);
  });

  it('are kept up to eight, the largest', () => {
    const buffers = new Buffers();
    const given = Array.from({ length: 10 }, (_, i) => new ArrayBuffer(1000 * (i + 1)));
    buffers.give(given);
    const back = Array.from({ length: 8 }, () => buffers.get(0).buffer);
    expect(back.every((b, i) => b === given[9 - i])).toBe(true);
    expect(given).not.toContain(buffers.get(0).buffer);
  });

  it('are kept up to 256 KiB, not larger', () => {
    const buffers = new Buffers();
    const kept = new ArrayBuffer(256 * 1024);
    const dropped = new ArrayBuffer(256 * 1024 + 1);
    buffers.give([dropped, kept]);
    expect(buffers.get(256 * 1024 + 1).buffer).not.toBe(dropped);
    expect(buffers.get(256 * 1024).buffer).toBe(kept);
  });

  it('come back from elsewhere (to a worker, from the main thread) before a new one is made', () => {
    const returned = [[new ArrayBuffer(9000)], [new ArrayBuffer(12_000)]];
    const refill = jest.fn(() => returned.shift());
    const buffers = new Buffers(refill);
    expect(buffers.get(11_000).byteLength).toBe(12_000);
    expect(refill).toHaveBeenCalledTimes(3);
    expect(buffers.get(0).byteLength).toBe(9000);
  });
});
