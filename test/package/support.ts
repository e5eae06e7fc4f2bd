/** Reading zips (yauzl) and running the package script, for the package tests. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';

export const root = join(__dirname, '..', '..');

export interface ZipEntry {
  data: Buffer;
  compressionMethod: number;
  /** DOS date and time fields as stored. */
  dosDate: number;
  dosTime: number;
  mode: number;
  extraFieldLength: number;
}

export async function readZip(buffer: Buffer): Promise<Map<string, ZipEntry>> {
  const zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, strictFileNames: true });
  const entries = new Map<string, ZipEntry>();
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    entries.set(entry.fileName, {
      data: Buffer.concat(chunks),
      compressionMethod: entry.compressionMethod,
      dosDate: entry.lastModFileDate,
      dosTime: entry.lastModFileTime,
      mode: (entry.externalFileAttributes >>> 16) & 0o177777,
      extraFieldLength: entry.extraFieldLength,
    });
  }
  return entries;
}

/** Runs `node scripts/package.mjs --out FILE` and returns what it printed and the zip. */
export function runPackage(out: string): { stdout: string; zip: Buffer } {
  const stdout = execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', out], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { stdout, zip: readFileSync(out) };
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as T;
}
