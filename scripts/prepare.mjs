// npm's prepare step (npm ci, npm install in the project, npm pack): builds dist/. An install without
// devDependencies (npm ci --omit=dev) has no esbuild: there is nothing to build with, and nothing
// that needs it (the bundles carry their dependencies; the published package ships dist/cli.js).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('esbuild');
} catch {
  console.log('prepare: esbuild is not installed (devDependencies omitted); dist/ is not built.');
  process.exit(0);
}
await import('./build.mjs');
