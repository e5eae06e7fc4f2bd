/**
 * `cfn generate` runs Python's shutil.rmtree(docs, ignore_errors=True) before writing docs/README.md.
 * docs is a link to guide/, which rmtree refuses to delete, so the hand-written documents survive (and
 * docs/README.md, which the CLI then does not replace: see guide/registration.md).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('docs link', () => {
  it('is a symbolic link to guide/', () => {
    expect(lstatSync(join(root, 'docs')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, 'docs'))).toBe('guide');
  });

  it('survives the deletion cfn generate performs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-link-'));
    try {
      cpSync(join(root, 'guide'), join(dir, 'guide'), { recursive: true });
      symlinkSync('guide', join(dir, 'docs'));
      const before = readdirSync(join(dir, 'guide')).sort();
      execFileSync('python3', [
        '-c',
        'import shutil, sys, pathlib; p = pathlib.Path(sys.argv[1]); shutil.rmtree(p, ignore_errors=True); p.mkdir(exist_ok=True)',
        join(dir, 'docs'),
      ]);
      expect(existsSync(join(dir, 'docs', 'README.md'))).toBe(true);
      expect(readdirSync(join(dir, 'guide')).sort()).toEqual(before);
      expect(before).toEqual(expect.arrayContaining(['README.md', 'cli.md', 'rollout.md', 'troubleshooting.md', 'comparison.md']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
