import { closeSync, fstatSync, opendirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../template';

/** Extensions read when recursing into a directory (files named on the command line are read whatever their name). */
export const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'] as const;

/** Directories never walked, whatever the options. */
const NEVER_WALKED = new Set(['node_modules', '.git']);

/** `explicit`: named on the command line (or standard input), as opposed to found by walking a directory. */
export type Input = { path: string; error?: string; explicit?: boolean };

/**
 * A glob as `--exclude` takes it: `*` any run of characters but `/`, `**` any run including `/`,
 * `?` one character but `/`. A pattern without `/` matches a file or directory name anywhere (as in
 * .gitignore); one with `/` matches the path from the directory given (or the path as given); a
 * trailing `/` matches directories only.
 */
export interface Exclude {
  readonly pattern: string;
  readonly dirOnly: boolean;
  readonly anywhere: boolean;
  readonly re: RegExp;
}

export function compileExclude(pattern: string): Exclude {
  let p = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.replace(/\/+$/, '');
  const anywhere = !p.includes('/');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      i++;
      if (p[i + 1] === '/') {
        i++;
        re += '(?:[^/]*/)*';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern also excludes everything under a directory it matches.
  return { pattern, dirOnly, anywhere, re: new RegExp(`^${re}(?:/.*)?$`) };
}

function excluded(excludes: readonly Exclude[], relPath: string, name: string, isDir: boolean): boolean {
  if (excludes.length === 0) return false;
  const rel = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
  const parts = rel.split('/');
  return excludes.some((e) =>
    e.anywhere
      ? e.re.test(name) ? !e.dirOnly || isDir : parts.some((part, i) => i < parts.length - 1 && e.re.test(part))
      : e.re.test(rel),
  );
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'cannot read: no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read: permission denied';
    case 'EISDIR':
      return 'cannot read: is a directory';
    case 'ELOOP':
      return 'cannot read: too many symbolic links';
    default:
      return `cannot read${code ? ` (${code})` : ''}`;
  }
}

function hasTemplateExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return TEMPLATE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/**
 * The inputs named on the command line, directories expanded (sorted, depth-first; hidden
 * directories, node_modules and .git are not entered, symbolic links to directories are not
 * followed); what an `--exclude` pattern matches is left out, named files included.
 */
export function expandPaths(paths: readonly string[], excludePatterns: readonly string[] = []): Input[] {
  const out: Input[] = [];
  walkPaths(paths, excludePatterns, (prefix, name, error, explicit) => {
    const input: Input = { path: prefix + name };
    if (error !== undefined) input.error = error;
    if (explicit) input.explicit = true;
    out.push(input);
  });
  return out;
}

/** What expandPaths lists, as an InputList. */
export function listInputs(paths: readonly string[], excludePatterns: readonly string[] = []): InputList {
  const list = new InputList();
  walkPaths(paths, excludePatterns, (prefix, name, error, explicit) => list.add(prefix, name, error, explicit));
  return list;
}

/** Each input in order, its path given as a prefix and a name. */
function walkPaths(paths: readonly string[], excludePatterns: readonly string[], push: (prefix: string, name: string, error?: string, explicit?: boolean) => void): void {
  const excludes = excludePatterns.map(compileExclude);
  const walk = (dir: string, depth: number, rel: string): void => {
    let entries: Entries;
    try {
      entries = sortedEntries(dir);
    } catch (error) {
      push('', dir, describeFsError(error));
      return;
    }
    // What join(dir, name) gives for every name of the directory (a name is one plain segment), made
    // once: a large directory's walk then leaves little garbage beside the list it builds.
    const prefix = join(dir, '_').slice(0, -1);
    for (let i = 0; i < entries.count; i++) {
      const name = entries.name(i);
      const kind = entries.kind(i);
      const relPath = excludes.length === 0 ? '' : rel === '' ? name : `${rel}/${name}`;
      if (kind === DIRECTORY) {
        if (!name.startsWith('.') && !NEVER_WALKED.has(name) && depth < 64 && !excluded(excludes, relPath, name, true)) walk(prefix + name, depth + 1, relPath);
        continue;
      }
      if (!hasTemplateExtension(name)) continue;
      if (excludes.length > 0 && (excluded(excludes, relPath, name, false) || excluded(excludes, prefix + name, name, false))) continue;
      if (kind === FILE) push(prefix, name);
      else if (kind === LINK) {
        try {
          if (statSync(prefix + name).isFile()) push(prefix, name);
        } catch (error) {
          push(prefix, name, describeFsError(error));
        }
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      push('', '-', undefined, true);
      continue;
    }
    try {
      if (statSync(p).isDirectory()) walk(p, 0, '');
      else if (!excluded(excludes, p, p.split(/[\\/]/).pop() ?? p, false)) push('', p, undefined, true);
    } catch (error) {
      push('', p, describeFsError(error), true);
    }
  }
}

const OTHER = 0;
const DIRECTORY = 1;
const FILE = 2;
const LINK = 3;

interface Entries {
  readonly count: number;
  name(i: number): string;
  kind(i: number): number;
}

/**
 * A directory's entries sorted by name (as `<` orders strings), their names held outside the V8
 * heap until asked for: thousands of entries held through a sort would survive the main thread's
 * young-generation collections, which V8 answers by enlarging that generation for good.
 */
function sortedEntries(path: string): Entries {
  let chars = new Uint16Array(4096);
  let ends = new Int32Array(256);
  let kinds = new Uint8Array(256);
  let count = 0;
  let used = 0;
  const dir = opendirSync(path);
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) {
      const name = e.name;
      if (used + name.length > chars.length) chars = grown(chars, used + name.length, (n) => new Uint16Array(n));
      if (count === ends.length) {
        ends = grown(ends, count + 1, (n) => new Int32Array(n));
        kinds = grown(kinds, count + 1, (n) => new Uint8Array(n));
      }
      for (let c = 0; c < name.length; c++) chars[used++] = name.charCodeAt(c);
      ends[count] = used;
      kinds[count++] = e.isDirectory() ? DIRECTORY : e.isFile() ? FILE : e.isSymbolicLink() ? LINK : OTHER;
    }
  } finally {
    dir.closeSync();
  }
  const start = (i: number): number => (i === 0 ? 0 : ends[i - 1]!);
  const order = new Int32Array(count).map((_, i) => i);
  order.sort((a, b) => {
    const aStart = start(a);
    const bStart = start(b);
    const aLength = ends[a]! - aStart;
    const bLength = ends[b]! - bStart;
    for (let c = 0; c < aLength && c < bLength; c++) {
      const d = chars[aStart + c]! - chars[bStart + c]!;
      if (d !== 0) return d;
    }
    return aLength - bLength;
  });
  return {
    count,
    name: (i) => {
      const at = order[i]!;
      return Buffer.from(chars.buffer, 2 * start(at), 2 * (ends[at]! - start(at))).toString('utf16le');
    },
    kind: (i) => kinds[order[i]!]!,
  };
}

const EXPLICIT = 1;
const LISTED_ERROR = 2;

/** An InputList's paths and flags as worker threads read them (the buffers are shared, not copied). */
export interface SharedInputs {
  readonly chars: Uint16Array;
  readonly ends: Int32Array;
  readonly flags: Uint8Array;
}

/**
 * The inputs of a run, held outside the V8 heap: every path's UTF-16 code units end to end in one
 * shared buffer, where each ends, and its flags (errors, few, in a map). Thousands of path strings
 * would survive the main thread's young-generation collections, which V8 answers by enlarging that
 * generation for good; worker threads read these buffers in place instead of each taking a copy.
 */
export class InputList {
  private chars = new Uint16Array(new SharedArrayBuffer(2 * 4096));
  private ends = new Int32Array(new SharedArrayBuffer(4 * 64));
  private flags = new Uint8Array(new SharedArrayBuffer(64));
  private used = 0;
  private readonly errors = new Map<number, string>();
  length = 0;
  /** Whether standard input (`-`) is one of the inputs. */
  stdin = false;

  add(prefix: string, name: string, error?: string, explicit?: boolean): void {
    const size = prefix.length + name.length;
    if (this.used + size > this.chars.length) this.chars = grown(this.chars, this.used + size, (n) => new Uint16Array(new SharedArrayBuffer(2 * n)));
    if (this.length === this.ends.length) {
      this.ends = grown(this.ends, this.length + 1, (n) => new Int32Array(new SharedArrayBuffer(4 * n)));
      this.flags = grown(this.flags, this.length + 1, (n) => new Uint8Array(new SharedArrayBuffer(n)));
    }
    for (let c = 0; c < prefix.length; c++) this.chars[this.used++] = prefix.charCodeAt(c);
    for (let c = 0; c < name.length; c++) this.chars[this.used++] = name.charCodeAt(c);
    this.ends[this.length] = this.used;
    this.flags[this.length] = (explicit ? EXPLICIT : 0) | (error !== undefined ? LISTED_ERROR : 0);
    if (error !== undefined) this.errors.set(this.length, error);
    if (size === 1 && name === '-' && prefix === '') this.stdin = true;
    this.length++;
  }

  at(i: number): Input {
    const input = sharedInput({ chars: this.chars, ends: this.ends, flags: this.flags }, i);
    const error = this.errors.get(i);
    return error === undefined ? input : { ...input, error };
  }

  shared(): SharedInputs {
    return { chars: this.chars.subarray(0, this.used), ends: this.ends.subarray(0, this.length), flags: this.flags.subarray(0, this.length) };
  }
}

function grown<T extends Uint16Array | Int32Array | Uint8Array>(from: T, atLeast: number, make: (n: number) => T): T {
  let n = from.length * 2;
  while (n < atLeast) n *= 2;
  const to = make(n);
  to.set(from);
  return to;
}

/** Input `i` of shared inputs, without its error (a listed error is flagged: see isListedError). */
export function sharedInput(list: SharedInputs, i: number): Input {
  const start = i === 0 ? 0 : list.ends[i - 1]!;
  const path = Buffer.from(list.chars.buffer, list.chars.byteOffset + 2 * start, 2 * (list.ends[i]! - start)).toString('utf16le');
  return list.flags[i]! & EXPLICIT ? { path, explicit: true } : { path };
}

/** Whether input `i` was unreadable when listed (its error is the main thread's to report). */
export function isListedError(list: SharedInputs, i: number): boolean {
  return (list.flags[i]! & LISTED_ERROR) !== 0;
}

export type Read = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/**
 * Reads at most the size limit plus one byte, so an oversized file is refused without reading it whole.
 * With `scratch`, a file that fits is read into it (the bytes are then valid until its next use):
 * a thread reading thousands of files then allocates no buffer per file.
 */
export function readInput(path: string, stdin: () => Uint8Array, scratch?: Buffer): Read {
  const limit = LIMITS.maxBytes;
  if (path === '-') {
    try {
      const bytes = stdin();
      return bytes.length > limit ? { ok: false, error: `input is over the ${limit}-byte limit` } : { ok: true, bytes };
    } catch (error) {
      return { ok: false, error: describeFsError(error) };
    }
  }
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, error: 'cannot read: is a directory' };
    if (stat.size > limit) return { ok: false, error: `file is ${stat.size} bytes, over the ${limit}-byte limit` };
    // At least the file's size plus one byte (to see growth since fstat); it grows only if the file does.
    let buffer = scratch && scratch.length > stat.size ? scratch : Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit) return { ok: false, error: `file is over the ${limit}-byte limit` };
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, error: describeFsError(error) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Standard input, read synchronously up to the limit plus one byte. */
export function readStdin(): Uint8Array {
  const limit = LIMITS.maxBytes;
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
    if (total > limit) break;
  }
  return Buffer.concat(chunks);
}
