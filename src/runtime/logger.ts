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
  private readonly threshold: number;

  constructor(
    private readonly sink: LogSink = stdoutSink,
    private readonly base: LogFields = {},
    level: LogLevel = levelFromEnv(),
  ) {
    this.threshold = ORDER[level];
  }

  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger {
    return new Logger(this.sink, { ...this.base, ...fields }, this.levelName());
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

  private levelName(): LogLevel {
    return (Object.keys(ORDER) as LogLevel[]).find((l) => ORDER[l] === this.threshold) ?? 'INFO';
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    if (ORDER[level] < this.threshold) return;
    try {
      this.sink(JSON.stringify({ level, message, ...this.base, ...fields, timestamp: new Date().toISOString() }));
    } catch {
      // A broken sink must never change the verdict.
    }
  }
}

/**
 * What may be logged of an error: its class and stack frames, not its message, which could quote
 * input (a parser's message can contain a snippet of what it read).
 */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 15)
    .map((line) => line.trim())
    .join(' | ');
  return { errorType: error.name, stack: frames };
}
