/**
 * Structured log lines (one JSON object a line). Callers pass only identifiers, names and reasons:
 * the logger has no way to receive a task definition, so it cannot leak one.
 */
import { writeSync } from 'node:fs';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Readonly<Record<string, LogValue>>;
export type LogSink = (line: string) => void;

const ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

function levelFromEnv(): LogLevel {
  const raw = (process.env.LOG_LEVEL ?? '').toUpperCase();
  return raw in ORDER ? (raw as LogLevel) : 'INFO';
}

/**
 * In Lambda, lines go straight to fd 1: creating process.stdout (a stream over a pipe) would cost a few
 * milliseconds of every cold start. Elsewhere (tests, sam local without the variable) the stream is kept.
 */
const direct = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;

const stdoutSink: LogSink = (line) => {
  if (direct) {
    try {
      writeSync(1, `${line}\n`);
      return;
    } catch {
      // fd 1 non-blocking and full (EAGAIN): the stream queues the line instead.
    }
  }
  process.stdout.write(`${line}\n`);
};

export class Logger {
  constructor(
    private readonly sink: LogSink = stdoutSink,
    private readonly base: LogFields = {},
    private readonly level: LogLevel = levelFromEnv(),
  ) {}

  /** A logger that also hands every line it writes to `extra` (one invocation's delivery). */
  teeTo(extra: LogSink): Logger {
    const sink = this.sink;
    return new Logger(
      (line) => {
        try {
          sink(line);
        } finally {
          extra(line);
        }
      },
      this.base,
      this.level,
    );
  }

  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger {
    return new Logger(this.sink, { ...this.base, ...fields }, this.level);
  }

  debug(message: string, fields?: LogFields): void {
    this.write('DEBUG', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('INFO', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('WARN', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('ERROR', message, fields);
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    if (ORDER[level] < ORDER[this.level]) return;
    try {
      this.sink(JSON.stringify({ level, message, ...this.base, ...fields, timestamp: new Date().toISOString() }));
    } catch {
      // A broken sink must never change the verdict.
    }
  }
}

/** Error classes whose name may be logged; any other name (a thrown object can carry any) logs as Error. */
const KNOWN_ERRORS = new Set([
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
  'RequestError', 'TypeConfigurationError', 'ConfigError', 'AwsCallError', 'CredentialsError',
]);

/** Where this code runs from: in the bundle, the bundle itself. */
const OWN_FILE = __filename;

/** `line:column` of a V8 frame in OWN_FILE, else undefined. Linear: no regular expression over the line. */
function ownPosition(line: string): string | undefined {
  const text = line.trim();
  if (!text.startsWith('at ') || text.length > 2048) return undefined;
  const open = text.lastIndexOf('(');
  const location = open >= 0 && text.endsWith(')') ? text.slice(open + 1, -1) : text.slice(3);
  const col = location.lastIndexOf(':');
  const row = location.lastIndexOf(':', col - 1);
  if (row <= 0 || location.slice(0, row) !== OWN_FILE) return undefined;
  const position = location.slice(row + 1);
  return /^\d+:\d+$/.test(position) ? position : undefined;
}

/**
 * What may be logged of an error: a known class name and the positions of its frames in this file.
 * Never its message, which could quote input, nor the rest of its stack: a message may span lines
 * that look like frames, and a thrown object may carry any stack or name.
 */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const errorType = KNOWN_ERRORS.has(error.name) ? error.name : 'Error';
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const frames: string[] = [];
  for (const line of stack.split('\n', 200)) {
    const position = ownPosition(line);
    if (position !== undefined) frames.push(position);
    if (frames.length === 15) break;
  }
  return { errorType, stack: frames.join(' | ') };
}
