// `npm start`: help, and the command line's template detection (configuration and parameter files
// are not templates and are never sent to the hook).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, TEMPLATES } from './support';

function start(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm start', () => {
  it('answers --help with its usage', () => {
    const r = start(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm start -- \[options\] \[PATH\.\.\.\]\n/);
    expect(r.stdout).toContain('-x, --exclude GLOB');
  });

  it('skips configuration and parameter files and sends only templates to the hook', () => {
    const r = start([join(TEMPLATES, 'params'), join(TEMPLATES, 'valid', 'compliant.json')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/params\/.*ERROR/);
    expect(r.stdout).toContain('test/fixtures/templates/valid/compliant.json JsonTask AWS::ECS::TaskDefinition  SUCCESS');
    expect(r.stdout.trim().split('\n').pop()).toBe('1 hook invocation for 1 template: 1 SUCCESS, 0 FAILED; 6 not a template (skipped)');
  });
});
