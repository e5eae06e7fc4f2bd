// How every Lambda-side bundle is built (scripts/build.mjs: dist/handlers.js, dist/network.js,
// dist/decrypt.js); the bench times those files as built.
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  // Nothing in these bundles reads a minified function's name (errors name themselves); keeping names
  // would add a call per function at load. dist/models.js keeps them: see scripts/build.mjs.
  keepNames: false,
};
