// How every Lambda-side bundle is built (scripts/build.mjs, and the bench's bundles of runtime pieces),
// so that what the bench times is built as what ships.
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
};
