// The command line run in this process through an Io that records what it is asked to do (what the
// API's `run` takes). Kept apart from support.ts, which runs the built bundle and loads no source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Io, run } from '../../src/cli/main';
import { TEMPLATES } from './support';

export interface Recorded {
  status: number;
  stdout: string;
  stderr: string;
  writes: [string, string][];
  appends: [string, string][];
}

/**
 * Runs `args` through a recording Io: files named by options are read from `io.cwd` (the fixtures
 * folder unless given), files written or appended are recorded; `append: false` gives an Io that
 * cannot append. Anything in `io` replaces the recording default.
 */
export async function recorded(args: string[], io: Partial<Io> = {}, append = true): Promise<Recorded> {
  const r: Recorded = { status: -1, stdout: '', stderr: '', writes: [], appends: [] };
  const cwd = io.cwd ?? TEMPLATES;
  const base: Io = {
    stdout: (t) => (r.stdout += t),
    stderr: (t) => (r.stderr += t),
    stdin: () => new Uint8Array(),
    isTty: false,
    env: {},
    cwd,
    readFile: (p) => readFileSync(join(cwd, p), 'utf8'),
    writeFile: (p, t) => void r.writes.push([p, t]),
    ...(append ? { appendFile: (p: string, t: string) => void r.appends.push([p, t]) } : {}),
  };
  r.status = await run(args, { ...base, ...io });
  return r;
}
