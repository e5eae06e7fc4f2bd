// Corpus check (CI: `npm run corpus`): every template in ../shared/corpus and ../shared/peer parses;
// every task definition and container is found where the source says; and for each task definition
// the verdict of the BUILT command line (`validate --format json`, default options) equals what the
// BUILT hook answers for the properties CloudFormation would send.
//
// Comparison: the CLI judges every combination of the Fn::If conditions that decide the containers
// and fails a task definition when any combination fails; the hook is invoked once per combination
// (the requests come from the same resolver) and must FAIL at least once exactly when the CLI fails.
// A value the CLI cannot resolve (reason `unresolved`) is sent as an opaque string, which the hook
// rejects as not `true`: both sides fail.
//
// Suppressions: the hook never sees template Metadata, and by default neither does the CLI. Every
// corpus template with task definitions is also checked as a copy whose task definitions all carry
// `Metadata.guard.SuppressedRules: [ECS_READONLY_ROOT_FILESYSTEM]`, with the project's own
// suppression fixtures: the CLI must still give the hook's verdict.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const shared = resolve(process.env.SHARED_DIR ?? join(root, '..', 'shared'));
const folders = ['corpus', 'peer'].map((f) => join(shared, f));

for (const folder of folders) {
  if (!existsSync(folder)) {
    console.error(`corpus check: ${folder} is missing. The check needs the shared material beside the repository (or SHARED_DIR).`);
    process.exit(1);
  }
}
for (const bundle of ['handlers.js', 'cli.js']) {
  if (!existsSync(join(root, 'dist', bundle))) {
    console.error(`corpus check: dist/${bundle} is missing; run npm run build first (npm run corpus does).`);
    process.exit(1);
  }
}
process.env.LOG_LEVEL ??= 'WARN';
const { entrypoint } = require(join(root, 'dist', 'handlers.js'));
const cli = require(join(root, 'dist', 'cli.js'));
const YAML = require('yaml');

/** An independent reading for counting: short forms become {Fn::X: ...} without positions. */
const names = ['Ref', 'Condition', 'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join', 'Not', 'Or', 'Select', 'Split', 'Sub', 'Transform'];
const customTags = names.flatMap((n) => {
  const key = n === 'Ref' || n === 'Condition' ? n : `Fn::${n}`;
  return [
    { tag: `!${n}`, resolve: (s) => ({ [key]: s }) },
    { tag: `!${n}`, collection: 'seq', resolve: (s) => ({ [key]: s.toJSON() }) },
    { tag: `!${n}`, collection: 'map', resolve: (m) => ({ [key]: m.toJSON() }) },
  ];
});

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}
function at(text, starts, line, column) {
  return text.slice(starts[line - 1] + column - 1, starts[line - 1] + column - 1 + 200);
}

let passed = 0;
let failed = 0;
const problems = [];
const corpusFiles = folders.flatMap((folder) =>
  readdirSync(folder)
    .filter((n) => /\.(ya?ml|json)$/i.test(n))
    .sort()
    .map((n) => join(folder, n)),
);

/** The same template with every ECS task definition suppressed in Metadata, as JSON. */
function suppressedCopy(text) {
  let doc;
  try {
    doc = YAML.parse(text, { customTags, uniqueKeys: false });
  } catch {
    return undefined;
  }
  const resources = doc?.Resources;
  if (!resources || typeof resources !== 'object') return undefined;
  let any = false;
  for (const r of Object.values(resources)) {
    if (r && typeof r === 'object' && /^AWS::ECS::(Daemon)?TaskDefinition$/.test(r.Type)) {
      r.Metadata = { ...(r.Metadata ?? {}), guard: { SuppressedRules: ['ECS_READONLY_ROOT_FILESYSTEM'] } };
      any = true;
    }
  }
  return any ? `${JSON.stringify(doc, null, 2)}\n` : undefined;
}

const work = mkdtempSync(join(tmpdir(), 'corpus-check-'));
const suppressedFiles = [];
for (const file of corpusFiles) {
  const copy = suppressedCopy(readFileSync(file, 'utf8'));
  if (copy === undefined) continue;
  const out = join(work, `suppressed-${file.slice(shared.length + 1).replace(/[\\/]/g, '__')}.json`);
  writeFileSync(out, copy);
  suppressedFiles.push(out);
}
const fixtures = ['valid/suppressed.yaml', 'repo/infra/service.yaml'].map((f) => join(root, 'test', 'fixtures', 'templates', f));
const files = [...corpusFiles, ...suppressedFiles, ...fixtures];
if (suppressedFiles.length === 0) {
  console.error('corpus check: no corpus template has a task definition to suppress');
  process.exit(1);
}

// The command line's verdicts, all files in one run, as a user runs it.
const ran = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'validate', '--format', 'json', ...files], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
if (![0, 19].includes(ran.status)) {
  console.error(`corpus check: validate exited ${ran.status}: ${ran.stderr.slice(0, 500)}`);
  process.exit(1);
}
const reported = new Map(JSON.parse(ran.stdout).files.map((f) => [f.path, f]));

const shown = (file) => (file.startsWith(shared) ? file.slice(shared.length + 1) : file.startsWith(work) ? file.slice(work.length + 1) : file.slice(root.length + 1));

for (const file of files) {
  const name = shown(file);
  const fail = (message) => problems.push(`${name}: ${message}`);
  const before = problems.length;
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8');
  const starts = lineStarts(text);
  const result = reported.get(file);
  if (!result) {
    fail('not in the report of validate');
    failed++;
    continue;
  }
  if (result.status === 'ERROR') fail(`does not parse: ${result.error}`);
  if (result.status === 'SKIP' && result.skipReason === 'not-a-template') fail('taken for something that is not a template');

  // Task definitions: an independent count of `Type: AWS::ECS::...TaskDefinition` in the source.
  const typeLines = text.match(/["']?Type["']?\s*:\s*["']?AWS::ECS::(Daemon)?TaskDefinition["']?\s*(,|\r?\n|$|})/g) ?? [];
  if (typeLines.length !== result.resources.length) {
    fail(`${typeLines.length} task definitions in the source, ${result.resources.length} found`);
  }
  let plain;
  try {
    plain = YAML.parse(text, { customTags, uniqueKeys: false });
  } catch {
    plain = undefined;
  }
  const plainResources = plain && (plain.Resources ?? plain);

  for (const r of result.resources) {
    const here = at(text, starts, r.line, r.column);
    if (!here.startsWith(r.logicalId) && !here.startsWith(`"${r.logicalId}"`) && !here.startsWith(`'${r.logicalId}'`)) {
      fail(`${r.logicalId} reported at ${r.line}:${r.column}, which is not its key`);
    }
    for (const c of r.containers) {
      const there = at(text, starts, c.line, c.column);
      const ok = /^("|')?ReadonlyRootFilesystem\1\s*:/.test(there) || /^(\{|!|Fn::|"|'|[A-Za-z])/.test(there);
      const before = text.slice(starts[c.line - 1], starts[c.line - 1] + c.column - 1);
      const entryStart = /^\s*(-\s+)+$/.test(before) || /[[{,]\s*$/.test(before) || /^\s*$/.test(before) || /ReadonlyRootFilesystem/.test(there.slice(0, 30));
      if (!ok || !entryStart) fail(`${r.logicalId}/${c.name ?? c.index} reported at ${c.line}:${c.column}, which starts no container entry or ReadonlyRootFilesystem`);
      if (c.name !== null && !text.includes(c.name)) fail(`${r.logicalId}: container name not in the source`);
    }
    // Containers: a literal list must be found entry by entry.
    const list = plainResources?.[r.logicalId]?.Properties?.ContainerDefinitions;
    const literal = Array.isArray(list) && list.every((e) => e && typeof e === 'object' && !Array.isArray(e) && !Object.keys(e).some((k) => k.startsWith('Fn::') || k === 'Ref'));
    if (literal && list.length !== r.containers.length) fail(`${r.logicalId}: ${list.length} containers in the source, ${r.containers.length} found`);
  }

  // Verdicts against the built hook.
  const plan = cli.planHookRequests(bytes, { fileName: file });
  if (!plan.ok) fail(`no hook requests: ${plan.error.message}`);
  for (const r of result.resources) {
    const requests = plan.ok ? plan.requests.filter((p) => p.logicalId === r.logicalId) : [];
    if (requests.length === 0) {
      fail(`${r.logicalId}: no hook request built`);
      continue;
    }
    const answers = [];
    for (const p of requests) answers.push(await entrypoint(p.request, {}));
    const odd = answers.find((a) => a.hookStatus === 'FAILED' && a.errorCode !== 'NonCompliant');
    if (odd) fail(`${r.logicalId}: the hook answered ${odd.errorCode}`);
    const hookFails = answers.some((a) => a.hookStatus === 'FAILED');
    const cliFails = r.status === 'FAIL';
    if (hookFails !== cliFails) fail(`${r.logicalId}: CLI says ${r.status}, the hook ${hookFails ? 'FAILED' : 'SUCCESS'}`);
    if (requests.length === 1 && cliFails) {
      const hookFailing = (answers[0].annotations ?? []).filter((a) => a.status === 'FAILED' && a.statusMessage?.startsWith('Container ')).length;
      const cliFailing = r.containers.filter((c) => c.status === 'FAIL').length;
      if (r.containers.length > 0 && hookFailing !== cliFailing) fail(`${r.logicalId}: CLI finds ${cliFailing} failing containers, the hook ${hookFailing}`);
    }
  }
  const ok = problems.length === before;
  if (ok) passed++;
  else failed++;
  const verdicts = result.resources.map((r) => `${r.logicalId}=${r.status}`).join(' ');
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${result.status} ${verdicts}`);
}
rmSync(work, { recursive: true, force: true });

for (const p of problems) console.error(`  ${p}`);
console.log(`corpus: ${passed} passed, ${failed} failed (${suppressedFiles.length} of them suppressed copies)`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
