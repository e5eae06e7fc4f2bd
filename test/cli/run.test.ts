// The command line run in process, through its Io (what the API's `run` takes): where the report
// goes, and what a failure of the Io itself gives. Exit codes and messages as the built CLI's.
import { join } from 'node:path';
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
