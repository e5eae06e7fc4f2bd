/**
 * `ecs-readonly-rootfs validate [options] PATH...`: the hook's policy run on template files before
 * deployment. The bundle (dist/cli.js) also exports the programmatic API for other tools.
 */
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { ConfigError, EMPTY_CONFIG, type PolicyConfig } from '../policy';
import { GIVEN_PSEUDO_PARAMETERS, ParameterError, parseParameterAssignment, parseParameterFile, readConfigDocument } from '../template';
import { expandPaths, listInputs, readInput, readStdin, realPathOf } from './files';
import { runFix } from './fix';
import { checkEach, runWorker } from './parallel';
import { formatJson } from './format/json';
import { formatJunit } from './format/junit';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { type Backlog, reportWriter } from './format/stream';
import { EXIT, exitCode, type FileResult, printablePath, Tally } from './results';

export * from '../template';
export { formatText, formatJson, formatSarif, formatJunit, exitCode, EXIT, expandPaths, readInput, type FileResult };

export const TOOL = { name: 'ecs-readonly-rootfs', version } as const;
const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export const HELP = `Usage: ${TOOL.name} validate [options] PATH...
       ${TOOL.name} fix [--dry-run] [options] PATH...

validate: checks that every container of the AWS::ECS::TaskDefinition and
AWS::ECS::DaemonTaskDefinition resources in CloudFormation templates sets
ReadonlyRootFilesystem: true, with the policy of the Guardrails::ECS::ReadonlyRootFilesystem hook,
and gives the hook's verdict.
fix: writes ReadonlyRootFilesystem: true into the templates for every container that lacks it or
sets it to false, editing only those lines; --dry-run prints the diff and writes nothing.

PATH is a template file, a directory (searched for *.yaml, *.yml, *.json, *.template; files that
are not CloudFormation templates are skipped and counted) or - for standard input (validate only).

Options:
  -f, --format FORMAT          validate: text (default), json, sarif or junit
  -o, --output FILE            validate: write the report to FILE instead of standard output
  -p, --parameter NAME=VALUE   a template parameter's value (repeatable)
      --parameters-file FILE   parameter values: [{"ParameterKey","ParameterValue"}], ["Name=Value"],
                               {"Parameters":{...}} or Name=Value lines (repeatable)
                               AWS::Region, AWS::AccountId and AWS::Partition may be given too;
                               with values given, Conditions are evaluated and only the Fn::If
                               branches and resources they choose are judged
  -c, --config FILE            the hook's type configuration (the CloudFormationConfiguration
                               document or its Properties), for the same exemptions
      --stdin-filename NAME    validate: report standard input (-) as the file NAME (its path in
                               the repository, for SARIF and the other reports)
  -x, --exclude GLOB           leave out files and directories matching GLOB (repeatable;
                               node_modules and .git are never searched)
      --allow-suppressions     honour Metadata guard SuppressedRules (the deployed hook does not:
                               it still blocks a suppressed task definition)
      --strict                 do not honour suppressions (the default)
      --dry-run                fix: print the changes as a unified diff, write nothing
  -h, --help                   show this help
  -v, --version                show the version

Exit codes: 0 all compliant, 19 any non-compliant, 5 any file unreadable or unparsable, 2 usage error.
fix: validate's exit code on the files as fix leaves them: 0 when nothing fails any more, 19 when
some containers are left failing (listed), 5 when a file could not be read, fixed or written.
Colour only on a terminal; NO_COLOR turns it off.
`;

export interface Io {
  readonly stdout: (text: string) => void;
  /** While standard output holds more than it has taken (a pipe read slowly), a promise of when it has. */
  readonly stdoutBacklog?: Backlog;
  readonly stderr: (text: string) => void;
  readonly stdin: () => Uint8Array;
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
  /** Appends to a file (the report of --output, written as files are judged); absent: written at the end. */
  readonly appendFile?: (path: string, text: string) => void;
  /** The bundle's own file, for worker threads on large runs (none: one thread). */
  readonly bundle?: string;
}

class UsageError extends Error {}

/** A file named by an option: unreadable is a usage error naming it, and why. */
function readNamed(io: Io, path: string, what: string): string {
  try {
    return io.readFile(path);
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^cannot read: /, '') : '';
    throw new UsageError(`cannot read ${what} ${printablePath(path)}${why ? `: ${printablePath(why)}` : ''}`);
  }
}

function parameterMap(values: readonly string[], files: readonly string[], io: Io): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    const text = readNamed(io, file, 'parameter file');
    try {
      for (const [k, v] of parseParameterFile(text)) out.set(k, v);
    } catch (error) {
      throw new UsageError(`${printablePath(file)}: ${error instanceof ParameterError ? error.message : 'unreadable parameter file'}`);
    }
  }
  for (const [i, value] of values.entries()) {
    try {
      const [k, v] = parseParameterAssignment(value, values.length > 1 ? `--parameter #${i + 1}` : '--parameter');
      out.set(k, v);
    } catch (error) {
      throw new UsageError(error instanceof ParameterError ? error.message : 'bad --parameter');
    }
  }
  return out;
}

function loadConfig(path: string | undefined, io: Io): PolicyConfig {
  if (path === undefined) return EMPTY_CONFIG;
  const text = readNamed(io, path, 'configuration file');
  try {
    return readConfigDocument(text).config;
  } catch (error) {
    throw new UsageError(`${printablePath(path)}: ${error instanceof ConfigError ? error.message : 'invalid configuration'}`);
  }
}

/** Runs the command line; resolves to the exit code. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        parameter: { type: 'string', short: 'p', multiple: true, default: [] },
        'parameters-file': { type: 'string', multiple: true, default: [] },
        config: { type: 'string', short: 'c' },
        exclude: { type: 'string', short: 'x', multiple: true, default: [] },
        'stdin-filename': { type: 'string' },
        'allow-suppressions': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
    if (values.help) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (values.version) {
      io.stdout(`${TOOL.name} ${TOOL.version}\n`);
      return EXIT.ok;
    }
    const [command, ...paths] = positionals;
    if (command !== 'validate' && command !== 'fix') {
      throw new UsageError(command === undefined ? 'missing command: validate or fix' : `unknown command '${printablePath(command.slice(0, 64))}'`);
    }
    if (paths.length === 0) throw new UsageError(command === 'fix' ? 'no PATH given' : 'no PATH given (use - for standard input)');
    if (values['allow-suppressions'] && values.strict) throw new UsageError('--allow-suppressions and --strict contradict each other');
    if (values['dry-run'] && command !== 'fix') throw new UsageError('--dry-run is an option of fix');
    const stdinName = values['stdin-filename'];
    if (stdinName !== undefined && (command !== 'validate' || !paths.includes('-'))) {
      throw new UsageError('--stdin-filename names standard input: give it with validate and -');
    }
    if (stdinName === '' || stdinName === '-') throw new UsageError("--stdin-filename needs a file's name");
    // Standard input can be read once: a second - would be judged empty.
    if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) is given more than once');
    // fix has no report to format or send elsewhere: it edits the files and lists what it did.
    const reportOptions = [values.format !== undefined ? '--format' : '', values.output !== undefined ? '--output' : ''].filter((o) => o !== '');
    if (command === 'fix' && reportOptions.length > 0) {
      throw new UsageError(`fix does not take ${reportOptions.join(' or ')}: it edits the files and lists what it did as text (with --dry-run, the diff on standard output)`);
    }
    const format = (values.format ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${printablePath(String(values.format).slice(0, 32))}'; use ${FORMATS.join(', ')}`);
    const parameters = parameterMap(values.parameter, values['parameters-file'], io);
    const config = loadConfig(values.config, io);
    // The hook's verdict by default: it never sees template Metadata, so suppressions count only on request.
    const options = { parameters, config, strict: !values['allow-suppressions'], onlyTemplates: true, ...(stdinName !== undefined ? { stdinName } : {}) } as const;

    if (command === 'fix') {
      if (paths.includes('-')) throw new UsageError('fix edits files in place: standard input (-) cannot be fixed');
      return runFix(expandPaths(paths, values.exclude), { ...options, dryRun: values['dry-run'] }, io);
    }

    if (values.output !== undefined) checkOutputPath(values.output, paths);
    const inputs = listInputs(paths, values.exclude, values.output);
    const color = format === 'text' && values.output === undefined && io.isTty && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
    // The report is written as files are judged (see format/stream.ts): a run holds the totals and
    // what is still to be written, not every file's findings.
    const output = reportOutput(io, values.output);
    // SARIF's paths are from the repository's root, as code scanning reads them, wherever the run starts.
    const root = repositoryRoot(io.cwd);
    const writer = reportWriter(format, TOOL, root, output.write, output.backlog);
    const tally = new Tally();
    try {
      await checkEach(
        inputs,
        options,
        { format, cwd: io.cwd, root, color },
        io.stdin,
        io.bundle,
        (piece) => {
          tally.merge(piece.counts);
          writer.add(piece);
        },
        output.backlog,
      );
      warnAbout(tally, paths, parameters, io);
      await writer.finish(tally.summary());
    } finally {
      writer.close();
    }
    if (!output.close()) {
      io.stderr(`${TOOL.name}: cannot write ${printablePath(values.output ?? '')}\n`);
      return EXIT.unreadable;
    }
    return tally.exitCode();
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const message = error instanceof UsageError ? error.message : `invalid arguments: ${String((error as Error).message).split('. ')[0]!.slice(0, 200)}`;
      io.stderr(`${TOOL.name}: ${message}\nTry '${TOOL.name} --help'.\n`);
      return EXIT.usage;
    }
    io.stderr(`${TOOL.name}: internal error; no verdict was reached.\n`);
    return EXIT.unreadable;
  }
}

/** The nearest directory from `cwd` up that holds `.git` (a directory, or a worktree's file); else `cwd`. */
export function repositoryRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/**
 * What --output names must be a file in a directory that exists, and not one of the templates named:
 * the report would replace it. Said before any file is checked, not after the whole run.
 */
function checkOutputPath(path: string, paths: readonly string[]): void {
  const shown = printablePath(path);
  const isDirectory = (p: string): boolean => {
    try {
      return statSync(p).isDirectory();
    } catch {
      // Nothing there.
    }
    return false;
  };
  if (isDirectory(path)) throw new UsageError(`--output ${shown} is a directory; name the report's file`);
  if (!isDirectory(dirname(path))) throw new UsageError(`--output ${shown}: the directory ${printablePath(dirname(path))} does not exist`);
  const report = realPathOf(path);
  if (report !== undefined && paths.some((p) => realPathOf(p) === report)) {
    throw new UsageError(`--output ${shown} is a template to check: the report would replace it`);
  }
}

/**
 * Where the report goes: standard output, or the file of --output, written piece by piece when the
 * Io can append (else at the end). A piece that cannot be written stops the writing; close() says
 * whether all of it was written.
 */
function reportOutput(io: Io, path: string | undefined): { write: (text: string) => void; backlog?: Backlog; close: () => boolean } {
  if (path === undefined) return { write: io.stdout, ...(io.stdoutBacklog ? { backlog: io.stdoutBacklog } : {}), close: () => true };
  let failed = false;
  let started = false;
  const held: string[] = [];
  const put = (text: string): void => {
    if (failed) return;
    try {
      if (!started) io.writeFile(path, text);
      else io.appendFile!(path, text);
      started = true;
    } catch {
      failed = true;
    }
  };
  return {
    write: (text) => (io.appendFile ? put(text) : held.push(text)),
    close: () => {
      // With appendFile every piece is written already (a report always has one).
      if (!io.appendFile) put(held.join(''));
      return !failed;
    },
  };
}

/**
 * Warnings on standard error, which the reports never carry: no template under the paths given,
 * and given parameters that no checked template declares (CloudFormation would refuse them).
 */
function warnAbout(tally: Tally, paths: readonly string[], parameters: ReadonlyMap<string, string>, io: Io): void {
  if (tally.noTemplate) {
    io.stderr(`${TOOL.name}: warning: no CloudFormation template found under ${paths.map((p) => `'${printablePath(p)}'`).join(', ')}\n`);
    return;
  }
  const declared = tally.declared;
  for (const name of parameters.keys()) {
    if (declared.has(name) || (GIVEN_PSEUDO_PARAMETERS as readonly string[]).includes(name)) continue;
    const near = [...declared].find((d) => d.toLowerCase() === name.toLowerCase());
    io.stderr(
      `${TOOL.name}: warning: parameter '${printablePath(name)}' is not declared by any checked template${near ? ` (did you mean '${printablePath(near)}'? names are case-sensitive)` : ''}; CloudFormation would refuse it\n`,
    );
  }
}

/** Resolves once the stream has taken what it holds, or can take nothing more (closed, failed). */
function outputTaken(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const event of ['drain', 'close', 'error']) stream.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) stream.on(event, done);
  });
}

export function processIo(): Io {
  // A reader that stops early (`| head`) closes the pipe: the run goes on unprinted, to its exit code.
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
  });
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stdoutBacklog: () => (stdoutClosed || !process.stdout.writableNeedDrain ? undefined : outputTaken(process.stdout)),
    stderr: (text) => process.stderr.write(text),
    stdin: readStdin,
    isTty: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    readFile: (path) => {
      const read = readInput(path, readStdin);
      if (!read.ok) throw new Error(read.error);
      return Buffer.from(read.bytes).toString('utf8');
    },
    writeFile: (path, text) => writeFileSync(path, text),
    appendFile: (path, text) => appendFileSync(path, text),
    bundle: __filename.endsWith('.js') ? __filename : undefined,
  };
}

// In a worker thread of a large run, this bundle checks files; run as a program, it is the command line.
if (!runWorker() && require.main === module) {
  void run(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
