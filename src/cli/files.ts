import { closeSync, fstatSync, opendirSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LIMITS } from '../template';

/** Extensions read when recursing into a directory (files named on the command line are read whatever their name). */
export const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'] as const;

/** Directories never walked, whatever the options, beside hidden ones (`.git` among them). */
const NEVER_WALKED = new Set(['node_modules']);

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
  let p = asGiven(pattern);
  const dirOnly = p.endsWith('/');
  p = p.replace(/\/+$/, '');
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
  return { pattern, dirOnly, anywhere, re: new RegExp(`^${re}$`) };
}

/** A path or pattern as matched: backslashes read as `/`, and one from the current directory (`./x`) as `x`. */
function asGiven(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  return slashed.startsWith('./') ? slashed.slice(2) : slashed;
}

/**
 * Whether a path is left out: the pattern matches the path itself (a directory, when it ends in `/`),
 * or a directory on it, which leaves out everything under it.
 */
function excluded(excludes: readonly Exclude[], relPath: string, name: string, isDir: boolean): boolean {
  if (excludes.length === 0) return false;
  const rel = asGiven(relPath);
  const parts = rel.split('/');
  const dirs = parts.slice(0, -1);
  return excludes.some((e) =>
    e.re.test(e.anywhere ? name : rel)
      ? !e.dirOnly || isDir
      : e.anywhere
        ? dirs.some((dir) => e.re.test(dir))
        : dirs.some((_, i) => e.re.test(dirs.slice(0, i + 1).join('/'))),
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
  walkPaths(
    paths,
    excludePatterns,
    (prefix, name, error, explicit) => {
      const input: Input = { path: prefix + name };
      if (error !== undefined) input.error = error;
      if (explicit) input.explicit = true;
      out.push(input);
    },
    (i) => out[i]!.path,
  );
  return out;
}

/**
 * What expandPaths lists, as an InputList. `report` (the file of --output) is left out of directories
 * walked: a run writing its report beside the templates never checks the last run's report.
 */
export function listInputs(paths: readonly string[], excludePatterns: readonly string[] = [], report?: string): InputList {
  const list = new InputList();
  walkPaths(paths, excludePatterns, (prefix, name, error, explicit) => list.add(prefix, name, error, explicit), (i) => list.at(i).path, report);
  return list;
}

/** The file's real path, or undefined when it does not exist (or cannot be resolved). */
export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    // No such file (or a link to none): nothing to compare.
  }
  return undefined;
}

/**
 * Each input in order, its path given as a prefix and a name; `pathAt(i)` is the path of the i-th
 * pushed. A file reached twice (named twice, under two paths given, or through a symbolic link) is
 * pushed once, by the first path that reaches it: it would be judged and counted twice. Links to
 * files under the directory walked come after its other files, so that a file a link and the walk
 * both reach goes by its own path (code scanning shows a link as the path it holds).
 */
function walkPaths(
  paths: readonly string[],
  excludePatterns: readonly string[],
  push: (prefix: string, name: string, error?: string, explicit?: boolean) => void,
  pathAt: (i: number) => string,
  leaveOut?: string,
): void {
  const seen = new SeenFiles(pathAt);
  let pushed = 0;
  // With one path given, the walk reaches each plain file once: their real paths are put in the
  // table only when a link of the walk needs them (a large walk then makes no string per file).
  const everyFile = paths.length > 1;
  /** Pushes a readable file unless its real path (`key`) was pushed before. */
  const pushFile = (prefix: string, name: string, key: string | undefined, explicit?: boolean): void => {
    if (key !== undefined && !seen.add(key, pushed)) return;
    push(prefix, name, undefined, explicit);
    pushed++;
  };
  /** Pushes what has no real path to compare: an error, or standard input. */
  const pushAsIs = (prefix: string, name: string, error: string | undefined, explicit?: boolean): void => {
    push(prefix, name, error, explicit);
    pushed++;
  };
  const excludes = excludePatterns.map(compileExclude);
  // The report when it exists already (a rerun).
  const report = leaveOut === undefined ? undefined : realPathOf(leaveOut);
  // Only a file of the report's name is resolved: the walk of a large directory stays one stat per file.
  const isLeftOut = (path: string, name: string): boolean => report !== undefined && name === basename(report) && realPathOf(path) === report;
  // The real path of the directory given, and the prefix of every path the walk makes under it: a
  // plain file's real path is then the one with the other (no stat: directories walked are not links).
  let realTop = '';
  let top = '';
  let linksWithin: { prefix: string; name: string; key: string }[] = [];
  const walk = (dir: string, depth: number, rel: string): void => {
    let entries: Entries;
    try {
      entries = sortedEntries(dir);
    } catch (error) {
      pushAsIs('', dir, describeFsError(error));
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
      if (isLeftOut(prefix + name, name)) continue;
      if (kind === FILE) pushFile(prefix, name, everyFile ? realTop + (prefix + name).slice(top.length) : undefined);
      else if (kind === LINK) {
        try {
          if (statSync(prefix + name).isFile()) {
            const key = realPathOf(prefix + name);
            // A link to a file of the same walk waits for the walk's end: the file is then reported by its own path.
            if (key !== undefined && key.startsWith(realTop)) linksWithin.push({ prefix, name, key });
            else pushFile(prefix, name, key);
          }
        } catch (error) {
          pushAsIs(prefix, name, describeFsError(error));
        }
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      pushAsIs('', '-', undefined, true);
      continue;
    }
    try {
      if (statSync(p).isDirectory()) {
        realTop = join(realpathSync(p), '_').slice(0, -1);
        top = join(p, '_').slice(0, -1);
        const first = pushed;
        walk(p, 0, '');
        if (!everyFile && linksWithin.length > 0) {
          for (let i = first; i < pushed; i++) seen.add(realTop + pathAt(i).slice(top.length), i);
        }
        for (const link of linksWithin) pushFile(link.prefix, link.name, link.key);
        linksWithin = [];
      } else if (!excluded(excludes, p, p.split(/[\\/]/).pop() ?? p, false)) pushFile('', p, realPathOf(p), true);
    } catch (error) {
      pushAsIs('', p, describeFsError(error), true);
    }
  }
}

/**
 * The files pushed so far, by their real paths: a table of 32-bit hashes and input numbers (typed
 * arrays, outside the V8 heap, as the list itself). Two paths whose hashes agree are compared whole,
 * the earlier one resolved again: no file is dropped for a hash.
 */
class SeenFiles {
  private hashes = new Uint32Array(0);
  /** Input number + 1; 0 is an empty slot. */
  private slots = new Int32Array(0);
  private count = 0;

  constructor(private readonly pathAt: (i: number) => string) {}

  /** False when a file of this real path was added before. */
  add(key: string, input: number): boolean {
    if (2 * (this.count + 1) > this.slots.length) this.grow();
    const hash = fnv1a(key);
    const mask = this.slots.length - 1;
    let at = hash & mask;
    for (; this.slots[at] !== 0; at = (at + 1) & mask) {
      if (this.hashes[at] === hash && realPathOf(this.pathAt(this.slots[at]! - 1)) === key) return false;
    }
    this.hashes[at] = hash;
    this.slots[at] = input + 1;
    this.count++;
    return true;
  }

  private grow(): void {
    const hashes = this.hashes;
    const slots = this.slots;
    const size = Math.max(64, 2 * slots.length);
    this.hashes = new Uint32Array(size);
    this.slots = new Int32Array(size);
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] === 0) continue;
      let at = hashes[i]! & (size - 1);
      while (this.slots[at] !== 0) at = (at + 1) & (size - 1);
      this.hashes[at] = hashes[i]!;
      this.slots[at] = slots[i]!;
    }
  }
}

/** FNV-1a over a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const OTHER = 0;
const DIRECTORY = 1;
const FILE = 2;
const LINK = 3;
/** The bits of an entry's kind (OTHER to LINK). */
const KIND = 3;
/** Set beside an entry's kind when its name has a code unit over U+00FF, so is held as UTF-16. */
const WIDE = 4;
/** Any UTF-16 code unit over U+00FF (the pattern has no u flag, so surrogates are matched one by one). */
const OVER_LATIN1 = /[\u0100-\uffff]/;

interface Entries {
  readonly count: number;
  name(i: number): string;
  kind(i: number): number;
}

/**
 * A directory's entries sorted by name (as `<` orders strings), their names held outside the V8
 * heap until asked for: thousands of entries held through a sort would survive the main thread's
 * young-generation collections, which V8 answers by enlarging that generation for good. A name is
 * held as its UTF-16 code units, one byte each when none is over U+00FF (nearly every name), two
 * otherwise, so that the sort compares code units as `<` does.
 */
function sortedEntries(path: string): Entries {
  const names = new Chunks((n) => Buffer.allocUnsafe(n));
  let kinds = new Uint8Array(256);
  let count = 0;
  const dir = opendirSync(path);
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) {
      const wide = OVER_LATIN1.test(e.name);
      names.add('', e.name, wide ? 'utf16le' : 'latin1');
      if (count === kinds.length) kinds = grown(kinds, count + 1, (n) => new Uint8Array(n));
      kinds[count++] = (e.isDirectory() ? DIRECTORY : e.isFile() ? FILE : e.isSymbolicLink() ? LINK : OTHER) | (wide ? WIDE : 0);
    }
  } finally {
    dir.closeSync();
  }
  const where = names.where;
  const order = new Int32Array(count).map((_, i) => i);
  order.sort((a, b) => {
    const aChunk = names.chunks[where[3 * a]!]!;
    const bChunk = names.chunks[where[3 * b]!]!;
    const aStart = where[3 * a + 1]!;
    const bStart = where[3 * b + 1]!;
    const aWide = (kinds[a]! & WIDE) !== 0;
    const bWide = (kinds[b]! & WIDE) !== 0;
    const aLength = (where[3 * a + 2]! - aStart) / (aWide ? 2 : 1);
    const bLength = (where[3 * b + 2]! - bStart) / (bWide ? 2 : 1);
    for (let c = 0; c < aLength && c < bLength; c++) {
      const aUnit = aWide ? aChunk[aStart + 2 * c]! + 256 * aChunk[aStart + 2 * c + 1]! : aChunk[aStart + c]!;
      const bUnit = bWide ? bChunk[bStart + 2 * c]! + 256 * bChunk[bStart + 2 * c + 1]! : bChunk[bStart + c]!;
      if (aUnit !== bUnit) return aUnit - bUnit;
    }
    return aLength - bLength;
  });
  return {
    count,
    name: (i) => names.text(order[i]!, (kinds[order[i]!]! & WIDE) !== 0 ? 'utf16le' : 'latin1'),
    kind: (i) => kinds[order[i]!]! & KIND,
  };
}

type Encoding = 'utf8' | 'utf16le' | 'latin1';

/** The first buffer strings are written into (most directories hold few names), and the largest. */
const FIRST_CHUNK_BYTES = 8 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Strings written end to end into buffers, a new one when one is full (each twice the size of the
 * last, up to 64 KiB): a long list grows without copying, and leaves no larger and larger buffers
 * behind for the C library to keep. `where` holds, for string `i`, its buffer, start and end
 * (3i, 3i + 1, 3i + 2).
 */
class Chunks {
  readonly chunks: Buffer[] = [];
  where: Int32Array;
  length = 0;
  private used = 0;

  constructor(
    private readonly make: (bytes: number) => Buffer,
    private readonly makeWhere: (n: number) => Int32Array = (n) => new Int32Array(n),
  ) {
    this.where = makeWhere(3 * 64);
  }

  add(prefix: string, name: string, encoding: Encoding): void {
    const bytes = Buffer.byteLength(prefix, encoding) + Buffer.byteLength(name, encoding);
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used + bytes > chunk.length) {
      const size = chunk ? Math.min(CHUNK_BYTES, 2 * chunk.length) : FIRST_CHUNK_BYTES;
      chunk = this.make(Math.max(size, bytes));
      this.chunks.push(chunk);
      this.used = 0;
    }
    if (3 * this.length === this.where.length) this.where = grown(this.where, 3 * this.length + 3, this.makeWhere);
    const start = this.used;
    this.used += chunk.write(prefix, this.used, encoding);
    this.used += chunk.write(name, this.used, encoding);
    this.where[3 * this.length] = this.chunks.length - 1;
    this.where[3 * this.length + 1] = start;
    this.where[3 * this.length + 2] = this.used;
    this.length++;
  }

  text(i: number, encoding: Encoding): string {
    return textAt(this.chunks, this.where, i, encoding);
  }
}

function textAt(chunks: readonly Uint8Array[], where: Int32Array, i: number, encoding: Encoding): string {
  const chunk = chunks[where[3 * i]!]!;
  const start = where[3 * i + 1]!;
  return Buffer.from(chunk.buffer, chunk.byteOffset + start, where[3 * i + 2]! - start).toString(encoding);
}

const EXPLICIT = 1;
const LISTED_ERROR = 2;
const UTF16 = 4;

/** An InputList's paths and flags as worker threads read them (the buffers are shared, not copied). */
export interface SharedInputs {
  readonly chunks: readonly Uint8Array[];
  readonly where: Int32Array;
  readonly flags: Uint8Array;
}

/** A path that is not well-formed UTF-16 (a lone surrogate), which UTF-8 could not give back. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The inputs of a run, held outside the V8 heap: every path in UTF-8 (UTF-16 for one that UTF-8
 * cannot hold), end to end in shared buffers that are never copied (see Chunks), and its flags
 * (errors, few, in a map). Thousands of path strings would survive the main thread's
 * young-generation collections, which V8 answers by enlarging that generation for good; worker
 * threads read these buffers in place instead of each taking a copy.
 */
export class InputList {
  private readonly paths = new Chunks(
    (n) => Buffer.from(new SharedArrayBuffer(n)),
    (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
  );
  private flags = new Uint8Array(new SharedArrayBuffer(64));
  private readonly errors = new Map<number, string>();
  length = 0;
  /** Whether standard input (`-`) is one of the inputs. */
  stdin = false;

  add(prefix: string, name: string, error?: string, explicit?: boolean): void {
    const utf16 = LONE_SURROGATE.test(prefix) || LONE_SURROGATE.test(name);
    this.paths.add(prefix, name, utf16 ? 'utf16le' : 'utf8');
    if (this.length === this.flags.length) this.flags = grown(this.flags, this.length + 1, (n) => new Uint8Array(new SharedArrayBuffer(n)));
    this.flags[this.length] = (explicit ? EXPLICIT : 0) | (error !== undefined ? LISTED_ERROR : 0) | (utf16 ? UTF16 : 0);
    if (error !== undefined) this.errors.set(this.length, error);
    if (name === '-' && prefix === '') this.stdin = true;
    this.length++;
  }

  at(i: number): Input {
    const flags = this.flags[i]!;
    const path = this.paths.text(i, flags & UTF16 ? 'utf16le' : 'utf8');
    const input: Input = flags & EXPLICIT ? { path, explicit: true } : { path };
    const error = this.errors.get(i);
    return error === undefined ? input : { ...input, error };
  }

  shared(): SharedInputs {
    return { chunks: this.paths.chunks, where: this.paths.where.subarray(0, 3 * this.length), flags: this.flags.subarray(0, this.length) };
  }
}

function grown<T extends Int32Array | Uint8Array>(from: T, atLeast: number, make: (n: number) => T): T {
  let n = from.length * 2;
  while (n < atLeast) n *= 2;
  const to = make(n);
  to.set(from);
  return to;
}

/** Input `i` of shared inputs, without its error (a listed error is flagged: see isListedError). */
export function sharedInput(list: SharedInputs, i: number): Input {
  const flags = list.flags[i]!;
  const path = textAt(list.chunks, list.where, i, flags & UTF16 ? 'utf16le' : 'utf8');
  return flags & EXPLICIT ? { path, explicit: true } : { path };
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
