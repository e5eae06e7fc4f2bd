// Bundles the Lambda handler and the CLI into self-contained files in dist/ (no node_modules at run time).
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_BUNDLE } from './esbuild-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');
const lib = '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';

/**
 * The generated models import the plugin library's main module, which loads AWS SDK v2 and its
 * logging and metrics machinery. Only BaseModel and transformValue are used: map the import to the
 * library's SDK-free modules so none of that enters the bundle.
 */
const sdkFreeLibrary = {
  name: 'sdk-free-cloudformation-lib',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${lib.replace(/[/]/g, '\\/')}$`) }, () => ({
      path: 'cfn-lib-models',
      namespace: 'cfn-lib',
    }));
    b.onLoad({ filter: /.*/, namespace: 'cfn-lib' }, () => ({
      contents: [
        `export { BaseModel, Integer } from '${lib}/dist/interface';`,
        `export { transformValue } from '${lib}/dist/recast';`,
      ].join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
    // The reflect-metadata polyfill serves design-type reflection, which deserialisation never reads
    // (the library turns enableImplicitConversion off); class-transformer's @Type only asks for it.
    // A getMetadata that knows nothing keeps every decorator working and spares its load.
    b.onResolve({ filter: /^reflect-metadata$/ }, () => ({ path: 'reflect-metadata', namespace: 'reflect-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'reflect-stub' }, () => ({
      contents: "if (typeof Reflect.getMetadata !== 'function') Reflect.getMetadata = () => undefined;",
      loader: 'js',
    }));
    // recast -> exceptions -> proxy requires the SDK; nothing on our path calls it.
    b.onResolve({ filter: /^aws-sdk(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const common = {
  ...NODE_BUNDLE,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [sdkFreeLibrary],
  metafile: true,
};

/**
 * The runtime's network half (src/runtime/network.ts) is its own file, dist/network.js, which the
 * handler requires only when an invocation delivers logs or reads a payload: invocations without
 * either never load or parse it.
 */
const networkApart = {
  name: 'network-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/network$/ }, (args) =>
      args.importer.endsWith(join('src', 'runtime', 'wrapper.ts')) ? { path: './network.js', external: true } : undefined,
    );
    // Likewise the stack and change-set checks (with the template reader): dist/stack.js.
    b.onResolve({ filter: /^\.\/stack-checks$/ }, (args) =>
      args.importer.endsWith(join('src', 'handlers.ts')) ? { path: './stack.js', external: true } : undefined,
    );
  },
};

mkdirSync(outdir, { recursive: true });
const results = await Promise.all([
  build({ ...common, plugins: [...common.plugins, networkApart], entryPoints: { handlers: join(root, 'src/handlers.ts') }, outdir }),
  build({ ...common, entryPoints: { network: join(root, 'src/runtime/network.ts') }, outdir }),
  build({ ...common, entryPoints: { stack: join(root, 'src/stack-checks.ts') }, outdir }),
  build({ ...common, entryPoints: { cli: join(root, 'src/cli/main.ts') }, outdir, banner: { js: '#!/usr/bin/env node' } }),
]);
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(results.map((r) => r.metafile)));
