/**
 * Tests over the team's shared material (../shared: peer rules, sample requests, meta-schemas, corpus).
 * Run by CI with `npm run test:shared`; not part of `npm test`, which must not need ../shared.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test-shared'],
  globalSetup: '<rootDir>/test-shared/require-shared.js',
};
