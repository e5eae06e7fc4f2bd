import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../template';

/** Extensions read when recursing into a directory (files named on the command line are read whatever their name). */
export const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'] as const;

export type Input = { path: string; error?: string };

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

/**
 * The inputs named on the command line, directories expanded (sorted, depth-first; hidden
 * directories and node_modules are not entered, symbolic links to directories are not followed).
 */
export function expandPaths(paths: readonly string[]): Input[] {
  const out: Input[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      out.push({ path: dir, error: describeFsError(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules' && depth < 64) walk(full, depth + 1);
        continue;
      }
      if (!TEMPLATE_EXTENSIONS.some((ext) => e.name.toLowerCase().endsWith(ext))) continue;
      if (e.isFile()) out.push({ path: full });
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(full).isFile()) out.push({ path: full });
        } catch (error) {
          out.push({ path: full, error: describeFsError(error) });
        }
      }
    }
  };
  for (const p of paths) {
    if (p === '-') {
      out.push({ path: '-' });
      continue;
    }
    try {
      if (statSync(p).isDirectory()) walk(p, 0);
      else out.push({ path: p });
    } catch (error) {
      out.push({ path: p, error: describeFsError(error) });
    }
  }
  return out;
}

export type Read = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** Reads at most the size limit plus one byte, so an oversized file is refused without reading it whole. */
export function readInput(path: string, stdin: () => Uint8Array): Read {
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
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
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
