// Mutation testing (npm run mutation; not part of npm test or CI). See guide/MUTATION.md.
// Stryker 9.6 is the last line that runs on Node 20 (10.x needs Node 22); the project supports Node 20.
import { lstatSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
// Stryker copies symbolic links as files and fails on a link to a folder (docs -> guide): they stay
// out of the sandbox copy, and scripts/mutation-build.mjs links them again from this root.
const links = readdirSync(root).filter((name) => lstatSync(`${root}/${name}`).isSymbolicLink());
process.env.MUTATION_PROJECT_ROOT = root;
// Each part of a run (scripts/mutation.mjs: PARTS) keeps its own results, incremental file and events:
// a run over one part must not drop the others' results from the incremental file.
const out = process.env.MUTATION_PART ? `reports/mutation/parts/${process.env.MUTATION_PART}` : 'reports/mutation';

/**
 * Suites mutation runs leave out, and why (scripts/mutation.mjs records them, guide/MUTATION.md lists
 * them). A mutant only they could kill counts as surviving: leaving a suite out can only lower a score.
 */
export const LEFT_OUT = {
  'test/package/bundle.test.ts': "reads esbuild's record of input paths, which the sandbox's linked node_modules changes; it runs no code of the mutated files",
  'test/robustness/load.test.ts': 'memory over 10,000 invocations: minutes for each mutant it covers; the answers on its paths are asserted by the end-to-end suites',
  'test/robustness/canary.test.ts': 'searches every output of the built hook on about 40 paths for planted secrets (about 2 minutes); the answers on those paths are asserted by the end-to-end suites',
  'test/robustness/fuzz.test.ts': '20,000 random requests (about 30 s for each mutant it covers)',
  'test/robustness/cli.test.ts': 'hostile files up to 10 MB and 5,000-container templates through the command line (about 15 s)',
  'test/package/package.test.ts': 'packs and installs the npm package (about 5 s); the command line it runs is the one test/cli runs',
  'test/cli/package.test.ts': "packs the npm package and installs it from git as pre-commit does (about 20 s, with npm ci); it reads the project's git files, which the sandbox is not among; the command line it runs is the one the other suites under test/cli run",
  'test/package/mutation-equivalents.test.ts': "reads the sources as text, which the sandbox holds instrumented; it runs no code of the mutated files",
  'test/deploy/templates.test.ts': 'cfn-lint over the shipped templates (about 8 s); it runs no code of the mutated files',
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // No TypeScript checker: on 2 cores it was the slowest stage by far. A mutant that would not
  // compile runs as JavaScript (Stryker marks mutated files ts-nocheck) and is killed or survives on
  // its behaviour like any other.
  mutate: ['src/policy/**/*.ts', 'src/template/**/*.ts', 'src/runtime/**/*.ts', 'src/handlers.ts'],
  // Only mutated files get Stryker's ts-nocheck header (tests read others, e.g. src/models.ts, verbatim).
  disableTypeChecks: 'src/{policy/**/*,template/**/*,runtime/**/*,cli/**/*,handlers}.ts',
  coverageAnalysis: 'perTest',
  jest: {
    configFile: 'jest.config.js',
    // Suites that run dist/ never import a source file, so "related tests" would drop them.
    enableFindRelatedTests: false,
    config: {
      // Attributes what child processes running dist/ cover, and hands them the active mutant.
      setupFilesAfterEnv: ['<rootDir>/test/support/mutation-relay.ts'],
      // Loads only the test files that cover the active mutant.
      filter: '<rootDir>/scripts/mutation-filter.cjs',
      // Likeliest killers first; once one fails, its remaining tests are skipped (testEnvironment) and
      // the remaining files are not loaded (runner).
      testSequencer: `${root}/scripts/mutation-sequencer.cjs`,
      runner: `${root}/scripts/mutation-runner.cjs`,
      // Stryker wraps the environment and resolves its path without <rootDir>.
      testEnvironment: `${root}/scripts/mutation-environment.cjs`,
      testPathIgnorePatterns: ['/node_modules/', ...Object.keys(LEFT_OUT).map((path) => `/${path.replace(/\./g, '\\.')}$`)],

    },
  },
  // dist/ is rebuilt once per run from the instrumented sources: every mutant is in it, switched on
  // at run time, so the end-to-end suites exercise the mutant without a rebuild per mutant.
  buildCommand: 'node scripts/mutation-build.mjs',
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  // event-recorder: one file per mutant under <part>/events as soon as it is judged, so the
  // survivors of a long run can be worked on while it runs.
  // mutation-plan: which mutants are explained equivalents, and each mutant's file, for the test
  // runner processes (scripts/mutation-plan-reporter.mjs).
  appendPlugins: [`${root}/scripts/mutation-plan-reporter.mjs`],
  reporters: ['json', 'progress', 'clear-text', 'event-recorder', 'mutation-plan'],
  eventReporter: { baseDir: `${out}/events` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  concurrency: 2,
  // A mutant that loops forever costs this much plus a restarted runner. The template part's suites
  // run in process in milliseconds; the core part's end-to-end suites start processes.
  timeoutMS: process.env.MUTATION_PART === 'template' ? 5000 : 10000,
  // The every-suite pass starts with one run of the whole suite with per-test coverage: about 8 minutes
  // on 2 cores since the stack-level and SDK suites joined (Stryker's default allows 5).
  dryRunTimeoutMinutes: 30,
  ignorePatterns: links.map((name) => `/${name}`),
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
