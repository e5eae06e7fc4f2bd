// The main job: runs the BUILT hook (dist/handlers.js) the way CloudFormation calls it, on the ECS
// task definitions of templates (default: examples/), and prints what a stack event would show.
// Usage: npm start [-- [--config FILE] [--parameter Name=Value]... [--exclude GLOB]... [PATH...]]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

/** Builds when a bundle is missing or older than the sources it is made from. */
function buildIfNeeded() {
  const bundles = ['handlers.js', 'cli.js'].map((b) => join(root, 'dist', b));
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'scripts', 'build.mjs')), newest(join(root, 'package.json')));
  if (bundles.every((b) => existsSync(b) && statSync(b).mtimeMs >= sources)) return;
  console.log('Building dist/ (npm run build)...');
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('The build failed; nothing was run.');
    process.exit(built.status ?? 1);
  }
}

function compact(annotation) {
  const parts = [annotation.status];
  if (annotation.severityLevel) parts.push(annotation.severityLevel);
  return `    ${parts.join(' ')} ${annotation.annotationName}: ${annotation.statusMessage ?? ''}`;
}

const HELP = `Usage: npm start -- [options] [PATH...]

Runs the built hook (dist/handlers.js) the way CloudFormation calls it, on every ECS task definition
of the CloudFormation templates under PATH (default: examples/), and prints what the stack events
would show. Files that are not templates (configuration, parameter files, manifests) are skipped, as
\`ecs-readonly-rootfs validate\` skips them. Builds dist/ first when it is missing or older than src/.

Options:
  -c, --config FILE            the hook's type configuration, sent as hookModel
  -p, --parameter NAME=VALUE   a template parameter's value (repeatable); with values given,
                               Conditions choose the Fn::If branches sent to the hook
  -x, --exclude GLOB           leave out matching files and directories (repeatable)
  -h, --help                   show this help
`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      parameter: { type: 'string', short: 'p', multiple: true, default: [] },
      exclude: { type: 'string', short: 'x', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  buildIfNeeded();
  // The hook logs one JSON line per answer; the demo shows the answers themselves.
  process.env.LOG_LEVEL ??= 'WARN';
  const { entrypoint } = require(join(root, 'dist', 'handlers.js'));
  const cli = require(join(root, 'dist', 'cli.js'));

  let hookModel = {};
  if (values.config) {
    const loaded = cli.readConfigDocument(readFileSync(values.config, 'utf8'));
    hookModel = loaded.hookModel;
  }
  const parameters = new Map(values.parameter.map((p) => cli.parseParameterAssignment(p)));
  const inputs = cli.expandPaths(positionals.length > 0 ? positionals : [join(root, 'examples')], values.exclude);

  const counts = { SUCCESS: 0, FAILED: 0 };
  let errors = 0;
  let templates = 0;
  let notTemplates = 0;
  for (const input of inputs) {
    const shown = relative(process.cwd(), input.path) || input.path;
    const read = input.error ? { ok: false, error: input.error } : cli.readInput(input.path, () => readFileSync(0));
    // The command line's template detection: what is not a template is skipped, never sent.
    const judged = read.ok ? cli.validateTemplate(read.bytes, { fileName: input.path, parameters, onlyTemplates: true }) : undefined;
    if (judged?.skipReason === 'not-a-template') {
      notTemplates++;
      if (input.explicit) console.log(`${shown}  (not a CloudFormation template)`);
      continue;
    }
    const plan = !read.ok
      ? { ok: false, error: { message: read.error } }
      : judged.status === 'ERROR'
        ? { ok: false, error: judged.error }
        : judged.skipReason === 'no-task-definitions'
          ? { ok: true, requests: [] }
          : cli.planHookRequests(read.bytes, { fileName: input.path, parameters, hookModel });
    if (!plan.ok) {
      errors++;
      const at = plan.error.line !== undefined ? `:${plan.error.line}:${plan.error.column}` : '';
      console.log(`${shown}${at}  ERROR: ${plan.error.message}`);
      continue;
    }
    templates++;
    if (plan.requests.length === 0) {
      console.log(`${shown}  (no ECS task definitions)`);
      continue;
    }
    for (const planned of plan.requests) {
      const answer = await entrypoint(planned.request, { awsRequestId: planned.request.invocationId });
      counts[answer.hookStatus] = (counts[answer.hookStatus] ?? 0) + 1;
      const when = planned.conditions.length ? ` [${planned.conditions.map((c) => `${c.condition}=${c.value}`).join(', ')}]` : '';
      const code = answer.errorCode ? ` (${answer.errorCode})` : '';
      console.log(`${shown} ${planned.logicalId} ${planned.type}${when}  ${answer.hookStatus}${code}: ${answer.message}`);
      for (const annotation of answer.annotations ?? []) console.log(compact(annotation));
    }
  }
  const total = counts.SUCCESS + counts.FAILED;
  console.log(
    `${total} hook invocation${total === 1 ? '' : 's'} for ${templates} template${templates === 1 ? '' : 's'}: ` +
      `${counts.SUCCESS} SUCCESS, ${counts.FAILED} FAILED${errors ? `; ${errors} file${errors === 1 ? '' : 's'} could not be read` : ''}` +
      `${notTemplates ? `; ${notTemplates} not a template (skipped)` : ''}`,
  );
  // FAILED verdicts are the demo working; only unreadable input is an error.
  process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message.split('\n')[0] : 'unknown error'}`);
  process.exitCode = 1;
});
