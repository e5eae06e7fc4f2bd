// The command line installable on its own: `npm pack` gives a package whose dist/cli.js needs no
// node_modules, which installs offline with `npm install -g ./<tarball>`, and `npm ci --omit=dev`
// in the project does not fail; pre-commit's global install from git gives a working command too.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { version } from '../../package.json';
import packageJson from '../../package.json';
import { ROOT } from './support';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cli-package-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function npm(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the npm package', () => {
  it('has no runtime dependencies: the bundle carries what it needs', () => {
    expect((packageJson as { dependencies?: Record<string, string> }).dependencies ?? {}).toEqual({});
    expect(packageJson.bin).toEqual({ 'ecs-readonly-rootfs': 'dist/cli.js' });
  });

  it('packs dist/cli.js (built, not built on install) and installs offline with npm install -g into a working ecs-readonly-rootfs', () => {
    // dist/ is built by npm test; --ignore-scripts keeps pack from rebuilding it under other tests.
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    expect(packed.status).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path).sort();
    // The command, its guide, the licence; `main` is the bundle too (npm always packs it).
    expect(paths).toEqual(['LICENSE', 'README.md', 'dist/THIRD-PARTY-LICENSES.txt', 'dist/cli.js', 'guide/cli.md', 'package.json']);
    expect(packageJson.main).toBe('dist/cli.js');
    expect(paths.filter((p) => p.startsWith('src/') || p.startsWith('test/') || p.startsWith('node_modules/'))).toEqual([]);

    const prefix = join(work, 'prefix');
    const installed = npm(['install', '-g', '--offline', '--prefix', prefix, join(work, info!.filename)], work);
    expect({ status: installed.status, stderr: installed.stderr.split('\n').filter((l) => /ERR/.test(l)) }).toEqual({ status: 0, stderr: [] });
    const bin = join(prefix, 'bin', 'ecs-readonly-rootfs');
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(v.stdout).toBe(`ecs-readonly-rootfs ${version}\n`);
    // Nothing but the bundle: the installed package has no node_modules.
    expect(readdirSync(join(prefix, 'lib', 'node_modules', packageJson.name))).not.toContain('node_modules');
    const r = spawnSync(bin, ['validate', join(ROOT, 'examples', 'noncompliant.yml')], { encoding: 'utf8' });
    expect(r.status).toBe(19);
    expect(r.stdout).toContain("FAIL 'app': can write to its root filesystem: ReadonlyRootFilesystem missing");
    // Required as a package, it is the documented API, and runs no command.
    const api = spawnSync(process.execPath, ['-e', 'const m = require(process.argv[1]); console.log(typeof m.validateTemplate, typeof m.fixTemplate)', join(prefix, 'lib', 'node_modules', packageJson.name)], { encoding: 'utf8' });
    expect(api.stdout).toBe('function function\n');
  });

  // pre-commit installs a `language: node` hook with exactly this command. npm prepares a git
  // dependency installed globally without its devDependencies (npm/cli#8440): prepare installs them.
  it('installs from git globally as pre-commit does, with a working ecs-readonly-rootfs', () => {
    const repo = join(work, 'repo');
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    mkdirSync(repo);
    git('init', '-q');
    // The working tree as it is (not the last commit, new files too), without dist/ and node_modules.
    for (const file of execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean)) {
      if (!existsSync(join(ROOT, file))) continue; // deleted, not yet committed
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      cpSync(join(ROOT, file), join(repo, file), { verbatimSymlinks: true });
    }
    git('add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'hook');
    const prefix = join(work, 'pre-commit-env');
    const installed = npm(['install', '--allow-git=root', '--install-links', '-g', '--prefix', prefix, '--prefer-offline', `git+file://${repo}`], work);
    expect({ status: installed.status, stderr: installed.stderr.split('\n').filter((l) => /ERR/.test(l)) }).toEqual({ status: 0, stderr: [] });
    const bin = join(prefix, 'bin', 'ecs-readonly-rootfs');
    expect(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout).toBe(`ecs-readonly-rootfs ${version}\n`);
    expect(readdirSync(join(prefix, 'lib', 'node_modules', packageJson.name))).not.toContain('node_modules');
    const r = spawnSync(bin, ['validate', join(ROOT, 'examples', 'noncompliant.yml')], { encoding: 'utf8' });
    expect(r.status).toBe(19);
  }, 300_000);

  it('npm ci --omit=dev does not fail (prepare has nothing to build with, and says so)', () => {
    const project = join(work, 'project');
    mkdirSync(join(project, 'scripts'), { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, f), join(project, f));
    for (const f of ['prepare.mjs', 'build.mjs', 'esbuild-options.mjs']) copyFileSync(join(ROOT, 'scripts', f), join(project, 'scripts', f));
    const r = npm(['ci', '--omit=dev', '--offline'], project);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('prepare: esbuild is not installed (devDependencies omitted); dist/ is not built.');
  });
});
