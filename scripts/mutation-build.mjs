// Stryker's build step (stryker.config.mjs: buildCommand), run once per mutation run inside Stryker's
// sandbox, whose sources are already instrumented: every mutant is compiled in behind a switch. The
// normal build bundles them into dist/; a prologue then lets a bundle that runs in a child process
// (the CLI, the Lambda-stdout and canary suites) learn the active mutant and report what it covered,
// even when the test hands the child a scrubbed environment. Each thread reports its own coverage
// (the CLI's worker threads share the process's pid, so the file is also named after the thread).
// See test/support/mutation-relay.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const channel = join(root, '.mutation-channel');
mkdirSync(channel, { recursive: true });

// The project's top-level symbolic links (docs -> guide, schema.json), left out of the sandbox copy.
const project = process.env.MUTATION_PROJECT_ROOT;
if (project && project !== root) {
  for (const name of readdirSync(project)) {
    if (lstatSync(join(project, name)).isSymbolicLink() && !existsSync(join(root, name))) symlinkSync(readlinkSync(join(project, name)), join(root, name));
  }
}
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });

// In-process (a jest test requiring dist/), Stryker's test environment already provides the
// namespace; in a child process the parent is the Stryker worker running jest in band. A worker
// thread of the jest process itself (a test starting dist/cli.js as a worker) has neither: it
// talks through the files of its own process, which the relay marks with `jest-<pid>`.
const prologue = `;(function(){var g=globalThis;if(g.__stryker__)return;var fs=require('fs'),path=require('path'),dir=${JSON.stringify(channel)};
var owner=fs.existsSync(path.join(dir,'jest-'+process.pid))?process.pid:process.ppid;
var ns=g.__stryker__={},id;try{id=fs.readFileSync(path.join(dir,'active-'+owner),'utf8')}catch(e){}
if(id){ns.activeMutant=id;return}
var t=require('worker_threads').threadId;
process.on('exit',function(){var c=ns.mutantCoverage;if(c&&c.static&&Object.keys(c.static).length)try{fs.writeFileSync(path.join(dir,'cov-'+owner+'-'+process.pid+(t?'-'+t:'')+'.json'),JSON.stringify(c.static))}catch(e){}});})();
`;
for (const file of ['handlers.js', 'network.js', 'cli.js']) {
  const path = join(root, 'dist', file);
  const text = readFileSync(path, 'utf8');
  const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
  writeFileSync(path, shebang + prologue + text.slice(shebang.length));
}
