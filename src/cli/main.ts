/**
 * `ecs-readonly-rootfs validate [options] PATH...`: the hook's policy run on template files before
 * deployment. The bundle (dist/cli.js) also exports the programmatic API for other tools.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { ConfigError, EMPTY_CONFIG, type PolicyConfig } from '../policy';
import { ParameterError, parseParameterAssignment, parseParameterFile, readConfigDocument, validateTemplate } from '../template';
import { expandPaths, readInput, readStdin } from './files';
import { formatJson } from './format/json';
import { formatJunit } from './format/junit';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { EXIT, exitCode, type FileResult, printablePath } from './results';

export * from '../template';
export { formatText, formatJson, formatSarif, formatJunit, exitCode, EXIT, expandPaths, readInput, type FileResult };

export const TOOL = { name: 'ecs-readonly-rootfs', version } as const;
const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export const HELP = `Usage: ${TOOL.name} validate [options] PATH...

Checks that every container of the AWS::ECS::TaskDefinition and AWS::ECS::DaemonTaskDefinition
resources in CloudFormation templates sets ReadonlyRootFilesystem: true, with the policy of the
Guardrails::ECS::ReadonlyRootFilesystem hook.

PATH is a template file, a directory (searched for *.yaml, *.yml, *.json, *.template) or - for
standard input.

Options:
  -f, --format FORMAT          text (default), json, sarif or junit
  -o, --output FILE            write the report to FILE instead of standard output
  -p, --parameter NAME=VALUE   a template parameter's value (repeatable)
      --parameters-file FILE   parameter values: [{"ParameterKey","ParameterValue"}], ["Name=Value"],
                               {"Parameters":{...}} or Name=Value lines (repeatable)
  -c, --config FILE            the hook's type configuration (the CloudFormationConfiguration
                               document or its Properties), for the same exemptions
      --strict                 ignore Metadata guard SuppressedRules
  -h, --help                   show this help
  -v, --version                show the version

Exit codes: 0 all compliant, 19 any non-compliant, 5 any file unreadable or unparsable, 2 usage error.
Colour only on a terminal; NO_COLOR turns it off.
`;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => Uint8Array;
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
}

class UsageError extends Error {}

/** A file named by an option: unreadable is a usage error naming it. */
function readNamed(io: Io, path: string, what: string): string {
  try {
    return io.readFile(path);
  } catch {
    throw new UsageError(`cannot read ${what} ${printablePath(path)}`);
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
  for (const value of values) {
    try {
      const [k, v] = parseParameterAssignment(value);
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
export function run(argv: readonly string[], io: Io): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        output: { type: 'string', short: 'o' },
        parameter: { type: 'string', short: 'p', multiple: true, default: [] },
        'parameters-file': { type: 'string', multiple: true, default: [] },
        config: { type: 'string', short: 'c' },
        strict: { type: 'boolean', default: false },
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
    if (command !== 'validate') {
      throw new UsageError(command === undefined ? 'missing command: validate' : `unknown command '${printablePath(command.slice(0, 64))}'`);
    }
    if (paths.length === 0) throw new UsageError('no PATH given (use - for standard input)');
    const format = values.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${printablePath(String(values.format).slice(0, 32))}'; use ${FORMATS.join(', ')}`);
    const parameters = parameterMap(values.parameter, values['parameters-file'], io);
    const config = loadConfig(values.config, io);

    const results: FileResult[] = expandPaths(paths).map((input) => {
      if (input.error) return { path: input.path, status: 'ERROR', error: { message: input.error }, resources: [] };
      const read = readInput(input.path, io.stdin);
      if (!read.ok) return { path: input.path, status: 'ERROR', error: { message: read.error }, resources: [] };
      return { path: input.path, ...validateTemplate(read.bytes, { parameters, config, strict: values.strict, fileName: input.path }) };
    });
    const color = format === 'text' && values.output === undefined && io.isTty && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
    const report =
      format === 'json'
        ? formatJson(results, TOOL)
        : format === 'sarif'
          ? formatSarif(results, TOOL, io.cwd)
          : format === 'junit'
            ? formatJunit(results, TOOL)
            : formatText(results, { color });
    if (values.output !== undefined) {
      try {
        io.writeFile(values.output, report);
      } catch {
        io.stderr(`${TOOL.name}: cannot write ${printablePath(values.output)}\n`);
        return EXIT.unreadable;
      }
    } else io.stdout(report);
    return exitCode(results);
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

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
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
  };
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2), processIo());
}
