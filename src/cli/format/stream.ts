/**
 * Reports written while the files are judged, so that a large run holds no more than a few files'
 * findings at a time. Files are rendered where they are judged (a worker thread, or the main
 * thread), into pieces: the parts consecutive files add to each section of the report, as the
 * whole-report formatters render them, and their totals. The main thread writes the pieces in
 * file order: the text report streams them; the JSON, SARIF and JUnit reports open with totals
 * over every file, so their pieces are set aside in a spill buffer, written after the head.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type Counts, type FileResult, type Summary, Tally } from '../results';
import { jsonFileEntry, jsonReportAround } from './json';
import { junitSuite, junitAround, type JunitCounts } from './junit';
import { sarifAround, sarifParts } from './sarif';
import { textFileLines, textSummaryLine } from './text';

/** Rendered parts kept in memory up to this many bytes; more go to a temporary file. */
const SPILL_AT = 16 * 1024;
const READ_CHUNK = 64 * 1024;

/**
 * Parts of a report set aside in order: encoded at once into a buffer outside the V8 heap (part
 * strings kept for long would survive the young-generation collections of the thread that
 * renders them, which V8 answers by enlarging that generation), past it in a temporary file.
 */
export class Spill {
  private readonly held = Buffer.allocUnsafe(SPILL_AT);
  private used = 0;
  private dir: string | undefined;
  private fd: number | undefined;
  count = 0;

  /** Adds text, or text encoded in UTF-8, holding `parts` parts of the report. */
  add(part: string | Uint8Array, parts = 1): void {
    this.count += parts;
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    if (this.used + bytes.length > this.held.length) this.flush();
    if (bytes.length > this.held.length) {
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd!, bytes, at);
      return;
    }
    this.held.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Writes what the buffer holds to the temporary file (made on first use). */
  private flush(): void {
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(tmpdir(), 'ecs-readonly-rootfs-'));
      this.fd = openSync(join(this.dir, 'report.part'), 'w+', 0o600);
    }
    for (let at = 0; at < this.used; ) at += writeSync(this.fd, this.held, at, this.used - at);
    this.used = 0;
  }

  /**
   * Everything added, in order, in chunks; then the temporary file is removed. After each chunk it
   * waits while the output holds more than it has taken (a pipe read slowly would otherwise hold
   * the whole report in memory).
   */
  async drain(write: (text: string) => void, backlog?: Backlog): Promise<void> {
    if (this.fd !== undefined) {
      this.flush();
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      // Holds back a character cut at a chunk's end; nothing is left at the file's end, which
      // holds whole strings.
      const decoder = new StringDecoder();
      for (let at = 0; ; ) {
        const n = readSync(this.fd, buffer, 0, READ_CHUNK, at);
        if (n === 0) break;
        at += n;
        write(decoder.write(buffer.subarray(0, n)));
        await backlog?.();
      }
    } else write(this.held.toString('utf8', 0, this.used));
    this.used = 0;
    this.close();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.fd = undefined;
    this.dir = undefined;
  }
}

export type Format = 'text' | 'json' | 'sarif' | 'junit';

/**
 * While the report's destination holds more than it has taken (standard output read slowly), a
 * promise of when it has (never rejected: an output that fails or closes has taken all it will);
 * otherwise undefined.
 */
export type Backlog = () => Promise<void> | undefined;

export interface RenderOptions {
  readonly format: Format;
  /** Where relative paths are from (SARIF's artifact locations). */
  readonly cwd: string;
  /** What SARIF's URIs are relative to (%SRCROOT%); the working directory when not given. */
  readonly root?: string;
  /** Terminal colours in the text report. */
  readonly color: boolean;
}

/**
 * What consecutive files add to a report. Plain data, its text encoded outside the V8 heap: workers
 * post it to the main thread, handing over the buffers, and the text is never held as strings
 * that would outlive a young-generation collection.
 */
export interface Piece {
  /** Per section of the format (SEPARATORS), its parts rendered in UTF-8 and joined with the section's separator. */
  readonly sections: readonly Uint8Array[];
  /** How many parts each section holds. */
  readonly parts: readonly number[];
  readonly counts: Counts;
  /** The JUnit report's test cases, counted by kind (zero in other formats). */
  readonly junit: JunitCounts;
}

/** Separators between the parts of each section: text's lines and JUnit's suites carry their own ends. */
const SEPARATORS: Record<Format, readonly string[]> = {
  text: [''],
  json: [',\n    '],
  sarif: [',\n            ', ',\n        '],
  junit: [''],
};

/** The parts of each section for one file. */
function fileParts(f: FileResult, options: RenderOptions, junit: JunitCounts): string[][] {
  if (options.format === 'text') {
    const lines = textFileLines(f, { color: options.color });
    return [lines.length > 0 ? [`${lines.join('\n')}\n`] : []];
  }
  if (options.format === 'json') return [[jsonFileEntry(f)]];
  if (options.format === 'sarif') {
    const parts = sarifParts(f, options.cwd, options.root ?? options.cwd);
    return [parts.notifications, parts.results];
  }
  return [[`${junitSuite(f, junit)}\n`]];
}

/**
 * The buffers pieces are rendered into, used again once a piece is written: a run allocates a few,
 * not one per piece. (A buffer dropped instead is freed only when the V8 heap that last held it is
 * collected, and the main thread's heap, which receives the workers' pieces, is seldom collected.)
 */
export class Buffers {
  private readonly free: ArrayBuffer[] = [];

  /** `refill` gives buffers handed back from elsewhere (to a worker, by the main thread). */
  constructor(private readonly refill: () => readonly ArrayBuffer[] | undefined = () => undefined) {}

  /** A buffer of at least `size` bytes. */
  get(size: number): Buffer {
    for (let back = this.refill(); back !== undefined; back = this.refill()) this.give(back);
    const i = this.free.findIndex((b) => b.byteLength >= size);
    if (i < 0) return Buffer.allocUnsafeSlow(Math.max(size, SECTION_START));
    return Buffer.from(this.free.splice(i, 1)[0]!);
  }

  /** Buffers free to use again; past a few, the smallest are dropped, and very large ones at once. */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (b.byteLength <= KEPT_BYTES) this.free.push(b);
    this.free.sort((x, y) => y.byteLength - x.byteLength);
    this.free.length = Math.min(this.free.length, FREE_BUFFERS);
  }
}

const SECTION_START = 8 * 1024;
const FREE_BUFFERS = 8;
/** Larger buffers (a file with thousands of findings) are not kept for the next pieces. */
const KEPT_BYTES = 256 * 1024;

/** A section's text as it is rendered, in a buffer that is replaced by a larger one when full. */
class Section {
  private bytes: Buffer;
  private used = 0;
  parts = 0;

  constructor(
    private readonly separator: string,
    private readonly buffers: Buffers,
  ) {
    this.bytes = buffers.get(0);
  }

  append(part: string): void {
    const text = this.parts++ === 0 ? part : `${this.separator}${part}`;
    const size = Buffer.byteLength(text);
    if (this.used + size > this.bytes.length) {
      const larger = this.buffers.get(Math.max(2 * this.bytes.length, this.used + size));
      this.bytes.copy(larger, 0, 0, this.used);
      this.buffers.give([this.bytes.buffer as ArrayBuffer]);
      this.bytes = larger;
    }
    this.used += this.bytes.write(text, this.used);
  }

  /** The text so far; the section starts again empty, in another buffer. */
  take(): Uint8Array {
    const text = new Uint8Array(this.bytes.buffer, 0, this.used);
    this.bytes = this.buffers.get(0);
    this.used = 0;
    this.parts = 0;
    return text;
  }
}

/** Renders files, in order, into pieces. */
export class PieceMaker {
  private readonly sections: readonly Section[];
  private tally = new Tally();
  private junit = noCases();

  constructor(
    private readonly options: RenderOptions,
    readonly buffers = new Buffers(),
  ) {
    this.sections = SEPARATORS[options.format].map((separator) => new Section(separator, buffers));
  }

  add(f: FileResult): void {
    this.tally.add(f);
    for (const [k, parts] of fileParts(f, this.options, this.junit).entries()) {
      for (const part of parts) this.sections[k]!.append(part);
    }
  }

  /** The piece of the files added since the last take. Its buffers are the taker's until handed back (bufferOf). */
  take(): Piece {
    const parts = this.sections.map((s) => s.parts);
    const piece = { sections: this.sections.map((s) => s.take()), parts, counts: this.tally.counts(), junit: this.junit };
    this.tally = new Tally();
    this.junit = noCases();
    return piece;
  }
}

/** The buffers a piece's text is in, to hand back once it is written. */
export function buffersOf(piece: Piece): ArrayBuffer[] {
  return piece.sections.map((s) => s.buffer as ArrayBuffer);
}

function noCases(): JunitCounts {
  return { tests: 0, failures: 0, errors: 0, skipped: 0 };
}

export interface ReportWriter {
  /** The next files' piece, in input order. */
  add(piece: Piece): void;
  /** After the last file, with the totals over every file; resolves once all of it is written. */
  finish(summary: Summary): Promise<void>;
  /** Releases what is set aside (temporary files), also when the run stops early. */
  close(): void;
}

/** `root`: what SARIF's URIs are relative to (%SRCROOT%), as RenderOptions.root. */
export function reportWriter(format: Format, tool: { name: string; version: string }, root: string, write: (text: string) => void, backlog?: Backlog): ReportWriter {
  if (format === 'text') {
    return {
      add: (p) => {
        const text = p.sections[0]!;
        write(Buffer.from(text.buffer, text.byteOffset, text.length).toString('utf8'));
      },
      finish: async (s) => write(`${textSummaryLine(s)}\n`),
      close: () => undefined,
    };
  }
  // Each section set aside, a piece's part joined to those before it by the section's separator.
  const spills = SEPARATORS[format].map(() => new Spill());
  const counts = noCases();
  const add = (p: Piece): void => {
    for (const [k, spill] of spills.entries()) {
      if (p.parts[k] === 0) continue;
      if (spill.count > 0) spill.add(SEPARATORS[format][k]!, 0);
      spill.add(p.sections[k]!, p.parts[k]);
    }
    counts.tests += p.junit.tests;
    counts.failures += p.junit.failures;
    counts.errors += p.junit.errors;
    counts.skipped += p.junit.skipped;
  };
  const close = (): void => {
    for (const spill of spills) spill.close();
  };
  const [first, second] = spills as [Spill, Spill | undefined];
  if (format === 'json') {
    return {
      add,
      finish: async (s) => {
        const [head, tail] = jsonReportAround(tool, s, first.count === 0);
        write(head);
        await first.drain(write, backlog);
        write(tail);
      },
      close,
    };
  }
  if (format === 'sarif') {
    return {
      add,
      finish: async (s) => {
        const [head, middle, tail] = sarifAround(tool, root, s.error === 0, first.count === 0, second!.count === 0);
        write(head);
        await first.drain(write, backlog);
        write(middle);
        await second!.drain(write, backlog);
        write(tail);
      },
      close,
    };
  }
  return {
    add,
    finish: async (s) => {
      const [head, tail] = junitAround(tool, counts, s);
      write(head);
      await first.drain(write, backlog);
      write(tail);
    },
    close,
  };
}
