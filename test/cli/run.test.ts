// The command line run in process, through its Io (what the API's `run` takes): where the report
// goes, and what a failure of the Io itself gives. Exit codes and messages as the built CLI's.
import { join } from 'node:path';
import { processIo } from '../../src/cli/main';
import { recorded } from './in-process';
import { TEMPLATES } from './support';

// Inputs are read from the process's working directory, as the CLI reads them.
const ARGS = ['validate', '-f', 'json', ...['valid/compliant.json', 'valid/noncompliant.json'].map((f) => join(TEMPLATES, f))];

describe('--output', () => {
  it('is written piece by piece when the Io can append: the first piece replaces the file, the others follow', async () => {
    const direct = await recorded(ARGS);
    const r = await recorded([...ARGS, '-o', 'report.json']);
    expect([r.status, r.stdout, r.stderr]).toEqual([19, '', '']);
    expect(r.writes.map(([p]) => p)).toEqual(['report.json']);
    expect(r.appends.length).toBeGreaterThan(0);
    expect(r.appends.every(([p]) => p === 'report.json')).toBe(true);
    expect([...r.writes, ...r.appends].map(([, t]) => t).join('')).toBe(direct.stdout);
  });

  it('is written once, whole, at the end when the Io cannot append', async () => {
    const direct = await recorded(ARGS);
    const r = await recorded([...ARGS, '-o', 'report.json'], {}, false);
    expect([r.status, r.stdout, r.stderr]).toEqual([19, '', '']);
    expect(r.writes).toEqual([['report.json', direct.stdout]]);
  });

  it('stops at the first piece that cannot be written, says so and exits 5', async () => {
    let refused = 0;
    const writes: string[] = [];
    const r = await recorded([...ARGS, '-o', 'report.json'], {
      // Refused once only: nothing after it is tried, even where it would have worked.
      writeFile: (_, t) => {
        if (refused++ === 0) throw Object.assign(new Error('refused'), { code: 'EACCES' });
        writes.push(t);
      },
    });
    expect([r.status, r.stdout, r.stderr]).toEqual([5, '', 'ecs-readonly-rootfs: cannot write report.json\n']);
    expect([refused, writes, r.appends]).toEqual([1, [], []]);
  });
});

// Standard output read slowly: nothing more is checked or read back until it has taken what it holds.
describe('standard output that falls behind', () => {
  it('holds the run until it catches up, then writes the rest', async () => {
    const direct = await recorded(ARGS);
    let behind = 0;
    let catchUp: (() => void) | undefined;
    let written = '';
    const run = recorded(ARGS, {
      stdout: (t) => (written += t),
      stdoutBacklog: () => {
        behind++;
        return catchUp ? undefined : new Promise<void>((resolve) => (catchUp = resolve));
      },
    });
    for (let waited = 0; !catchUp && waited < 5000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The first file's part is set aside; the second file waits, and nothing is written yet (the JSON report opens with totals).
    expect([behind, written]).toEqual([1, '']);
    catchUp!();
    const r = await run;
    expect([r.status, written]).toEqual([19, direct.stdout]);
    expect(behind).toBe(2);
  });

  it('is not asked about when the report goes to --output', async () => {
    let behind = 0;
    const r = await recorded([...ARGS, '-o', 'report.json'], {
      stdoutBacklog: () => {
        behind++;
        return undefined;
      },
    });
    expect([r.status, behind]).toEqual([19, 0]);
  });
});

describe("the process's own standard output", () => {
  // An own property over the stream class's getter (which cannot be spied on).
  const needsDrain = (value: boolean): void => void Object.defineProperty(process.stdout, 'writableNeedDrain', { value, configurable: true });
  afterEach(() => delete (process.stdout as { writableNeedDrain?: boolean }).writableNeedDrain);

  it.each(['drain', 'close', 'error'])('is behind while it needs draining, until it emits %s', async (event) => {
    const io = processIo();
    const counts = (): number[] => ['drain', 'close', 'error'].map((e) => process.stdout.listenerCount(e));
    const before = counts();
    needsDrain(true);
    let caughtUp = false;
    const behind = io.stdoutBacklog!()!.then(() => (caughtUp = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(caughtUp).toBe(false);
    process.stdout.emit(event, event === 'error' ? Object.assign(new Error('gone'), { code: 'EPIPE' }) : undefined);
    await behind;
    expect(caughtUp).toBe(true);
    // Nothing is left listening once it has caught up.
    expect(counts()).toEqual(before);
  });

  it('keeps up while it needs no draining', () => {
    const io = processIo();
    needsDrain(false);
    expect(io.stdoutBacklog!()).toBeUndefined();
  });

  it('is never waited for once its reader has gone (EPIPE)', () => {
    const io = processIo();
    process.stdout.emit('error', Object.assign(new Error('gone'), { code: 'EPIPE' }));
    needsDrain(true);
    expect(io.stdoutBacklog!()).toBeUndefined();
  });
});

describe('a failure of the Io itself', () => {
  it.each([
    ['an error without a code', new Error('broken')],
    ['an error with a system code', Object.assign(new Error('broken'), { code: 'EIO' })],
    ['something not an error', 'broken'],
  ])('%s: an internal error, no verdict, exit 5 (never a usage error)', async (_, thrown) => {
    const r = await recorded(ARGS, {
      stdout: () => {
        throw thrown;
      },
    });
    expect([r.status, r.stderr]).toEqual([5, 'ecs-readonly-rootfs: internal error; no verdict was reached.\n']);
  });

  it('a file named by an option whose read fails: a usage error with the reason, escaped', async () => {
    const r = await recorded(['validate', '-c', 'c.yaml', 'x'], {
      readFile: () => {
        throw new Error('cannot read: gone\u001b[2J');
      },
    });
    expect([r.status, r.stderr]).toEqual([2, "ecs-readonly-rootfs: cannot read configuration file c.yaml: gone\\u001b[2J\nTry 'ecs-readonly-rootfs --help'.\n"]);
    const opaque = await recorded(['validate', '--parameters-file', 'p.json', 'x'], {
      readFile: () => {
        throw 'no reason';
      },
    });
    expect(opaque.stderr).toBe("ecs-readonly-rootfs: cannot read parameter file p.json\nTry 'ecs-readonly-rootfs --help'.\n");
  });
});
