// How every Lambda-side bundle is built (scripts/build.mjs: dist/handlers.js, dist/network.js,
// dist/decrypt.js); the bench times those files as built.
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
};
