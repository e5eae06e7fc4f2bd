// npm's prepare step (npm ci, npm install in the project, npm pack, and an install from git): builds
// dist/. An install without devDependencies (npm ci --omit=dev) has no esbuild: there is nothing to
// build with, and nothing that needs it (the bundles carry their dependencies; the published package
// ships dist/cli.js).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const resolves = () => {
  try {
    require.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
};

if (!resolves()) {
  // A global install from git (`npm install -g git+...`, as pre-commit installs its hook) prepares the
  // clone without its devDependencies (npm/cli#8440), so the package would have no dist/cli.js and no
  // command. Install them into the clone from the lockfile, without scripts (this one included).
  if (process.env.npm_config_global !== 'true' || !process.env.npm_execpath) {
    console.log('prepare: esbuild is not installed (devDependencies omitted); dist/ is not built.');
    process.exit(0);
  }
  console.log('prepare: a global install from git; installing the devDependencies to build dist/.');
  const args = [process.env.npm_execpath, 'ci', '--global=false', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'];
  const ci = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (ci.status !== 0 || !resolves()) {
    console.error('prepare: could not install the devDependencies to build dist/ (npm ci failed); the package would have no command.');
    process.exit(1);
  }
}
await import('./build.mjs');
