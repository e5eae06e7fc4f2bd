/**
 * Reports written while the files are judged, so that a large run holds no more than one file's
 * findings at a time: the text report streams each file's lines in order; the JSON, SARIF and
 * JUnit reports open with totals over every file, so each file's part is rendered at once (as the
 * whole-report formatters render it) and set aside in a spill buffer, written after the head.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type FileResult, type Summary } from '../results';
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

  add(part: string): void {
    this.count++;
    const bytes = Buffer.byteLength(part);
    if (this.used + bytes <= this.held.length) {
      this.used += this.held.write(part, this.used);
      return;
    }
    this.flush();
    if (bytes <= this.held.length) this.used = this.held.write(part, 0);
    else writeSync(this.fd!, part);
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

  /** Everything added, in order, in chunks; then the temporary file is removed. */
  drain(write: (text: string) => void): void {
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

export interface ReportWriter {
  /** The next file, in input order. */
  add(file: FileResult): void;
  /** After the last file, with the totals over every file. */
  finish(summary: Summary): void;
  /** Releases what is set aside (temporary files), also when the run stops early. */
  close(): void;
}

export type Format = 'text' | 'json' | 'sarif' | 'junit';

export function reportWriter(format: Format, tool: { name: string; version: string }, cwd: string, color: boolean, write: (text: string) => void): ReportWriter {
  if (format === 'text') {
    return {
      add: (f) => {
        const lines = textFileLines(f, { color });
        if (lines.length > 0) write(`${lines.join('\n')}\n`);
      },
      finish: (s) => write(`${textSummaryLine(s)}\n`),
      close: () => undefined,
    };
  }
  if (format === 'json') {
    const entries = new Spill();
    return {
      add: (f) => entries.add(`${entries.count === 0 ? '' : ',\n    '}${jsonFileEntry(f)}`),
      finish: (s) => {
        const [head, tail] = jsonReportAround(tool, s, entries.count === 0);
        write(head);
        entries.drain(write);
        write(tail);
      },
      close: () => entries.close(),
    };
  }
  if (format === 'sarif') {
    const notifications = new Spill();
    const results = new Spill();
    let allRead = true;
    return {
      add: (f) => {
        const parts = sarifParts(f, cwd);
        if (f.status === 'ERROR') allRead = false;
        for (const n of parts.notifications) notifications.add(`${notifications.count === 0 ? '' : ',\n            '}${n}`);
        for (const r of parts.results) results.add(`${results.count === 0 ? '' : ',\n        '}${r}`);
      },
      finish: () => {
        const [head, middle, tail] = sarifAround(tool, cwd, allRead, notifications.count === 0, results.count === 0);
        write(head);
        notifications.drain(write);
        write(middle);
        results.drain(write);
        write(tail);
      },
      close: () => {
        notifications.close();
        results.close();
      },
    };
  }
  const suites = new Spill();
  const counts: JunitCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  return {
    add: (f) => suites.add(`${junitSuite(f, counts)}\n`),
    finish: (s) => {
      const [head, tail] = junitAround(tool, counts, s);
      write(head);
      suites.drain(write);
      write(tail);
    },
    close: () => suites.close(),
  };
}
