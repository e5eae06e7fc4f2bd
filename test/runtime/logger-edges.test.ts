/**
 * The function's own log lines (src/runtime/logger.ts): the level LOG_LEVEL sets, where lines go in
 * Lambda (straight to fd 1, the stream when that fails) and elsewhere, a tee that still delivers when
 * the first sink throws, and what of an error may be logged.
 */
import { errorFields, Logger } from '../../src/runtime/logger';

type LoggerModule = typeof import('../../src/runtime/logger');

/** The logger module loaded afresh under `env`, with node:fs's writeSync replaced by `writeSync`. */
function loadWith(env: Record<string, string | undefined>, writeSync: jest.Mock = jest.fn()): LoggerModule {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    let loaded: LoggerModule | undefined;
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => ({ ...jest.requireActual<object>('node:fs'), writeSync }));
      loaded = jest.requireActual<LoggerModule>('../../src/runtime/logger');
    });
    return loaded!;
  } finally {
    process.env = saved;
  }
}

const levels = (logger: Logger): void => {
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
};

describe('LOG_LEVEL', () => {
  it.each([
    [undefined, ['INFO', 'WARN', 'ERROR']],
    ['bogus', ['INFO', 'WARN', 'ERROR']],
    ['debug', ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    ['WARN', ['WARN', 'ERROR']],
    ['error', ['ERROR']],
  ])('%s: lines from %j up', (level, expected) => {
    const saved = process.env.LOG_LEVEL;
    const lines: string[] = [];
    try {
      if (level === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = level;
      // Read when a logger is made (each invocation's).
      levels(new Logger((line) => lines.push(line)));
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
    expect(lines.map((l) => JSON.parse(l) as { level: string; message: string }).map((l) => [l.level, l.message])).toEqual(
      expected.map((lvl) => [lvl, lvl[0]!.toLowerCase()]),
    );
  });
});

describe('where lines go', () => {
  afterEach(() => jest.restoreAllMocks());

  it('in Lambda, straight to fd 1 and not through the stream', () => {
    const writeSync = jest.fn();
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { Logger: Fresh } = loadWith({ AWS_LAMBDA_FUNCTION_NAME: 'hook', LOG_LEVEL: 'INFO' }, writeSync);
    new Fresh().info('Answered', { targetLogicalId: 'WebTask' });
    expect(writeSync).toHaveBeenCalledTimes(1);
    expect(writeSync.mock.calls[0]![0]).toBe(1);
    expect(JSON.parse(writeSync.mock.calls[0]![1] as string)).toMatchObject({ level: 'INFO', message: 'Answered', targetLogicalId: 'WebTask' });
    expect(stdout).not.toHaveBeenCalled();
  });

  it('in Lambda with fd 1 full, through the stream', () => {
    const writeSync = jest.fn(() => {
      throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    });
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => written.push(String(line)) > 0);
    const { Logger: Fresh } = loadWith({ AWS_LAMBDA_FUNCTION_NAME: 'hook', LOG_LEVEL: 'INFO' }, writeSync);
    new Fresh().info('Answered');
    expect(writeSync).toHaveBeenCalledTimes(1);
    expect(written).toHaveLength(1);
    expect(written[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(written[0]!)).toMatchObject({ level: 'INFO', message: 'Answered' });
  });

  it('outside Lambda, through the stream', () => {
    const writeSync = jest.fn();
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => written.push(String(line)) > 0);
    const { Logger: Fresh } = loadWith({ AWS_LAMBDA_FUNCTION_NAME: undefined, LOG_LEVEL: 'INFO' }, writeSync);
    new Fresh().warn('Log delivery failed');
    expect(writeSync).not.toHaveBeenCalled();
    expect(written.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([expect.objectContaining({ level: 'WARN', message: 'Log delivery failed' })]);
  });

  it('a tee writes to both sinks, and to the second even when the first throws', () => {
    const first: string[] = [];
    const second: string[] = [];
    new Logger((line) => first.push(line), {}, 'INFO').teeTo((line) => second.push(line)).info('Answered');
    expect(first).toHaveLength(1);
    expect(second).toEqual(first);
    const failing = new Logger(
      () => {
        throw new Error('sink');
      },
      {},
      'INFO',
    ).teeTo((line) => second.push(line));
    expect(() => failing.info('Again')).not.toThrow();
    expect(JSON.parse(second[1]!)).toMatchObject({ message: 'Again' });
  });
});

describe('errorFields', () => {
  it('a known class is named, any other name logs as Error, a thrown non-error by its type', () => {
    expect(errorFields(new TypeError('quoted input')).errorType).toBe('TypeError');
    expect(errorFields(new RangeError('x')).errorType).toBe('RangeError');
    expect(errorFields(Object.assign(new Error('x'), { name: 'Secret-Looking Name' })).errorType).toBe('Error');
    expect(errorFields('a string')).toEqual({ errorType: 'string' });
    expect(errorFields(undefined)).toEqual({ errorType: 'undefined' });
    expect(errorFields(Object.assign(new Error('x'), { stack: 42 }))).toEqual({ errorType: 'Error', stack: '' });
  });
});

describe("errorFields: an error's name and its frames in this file, nothing else", () => {
  // The logger's own file, as its frames name it (the bundle in production, the source here).
  const FILE = require.resolve('../../src/runtime/logger');
  const withStack = (stack: unknown, name = 'Error'): Error => Object.assign(new Error('message quoting input'), { name, stack });

  it.each([
    'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
    'RequestError', 'TypeConfigurationError', 'ConfigError', 'AwsCallError', 'CredentialsError',
  ])('%s is named', (name) => {
    expect(errorFields(withStack('', name))).toEqual({ errorType: name, stack: '' });
  });

  it("keeps line:column of this file's frames, with or without a function name, joined by ' | '", () => {
    const stack = [
      'Error: message quoting input',
      `    at judge (${FILE}:12:34)`,
      `    at ${FILE}:5:6`,
      '    at other (/var/task/elsewhere.js:1:2)',
      `    at Object.<anonymous> (${FILE}:7:8)   `,
    ].join('\n');
    expect(errorFields(withStack(stack))).toEqual({ errorType: 'Error', stack: '12:34 | 5:6 | 7:8' });
  });

  it('leaves out what only looks like a frame of this file', () => {
    const lines = [
      `Error: ${FILE}:1:1`,
      `    message at (${FILE}:2:2)`,
      `    at f (${FILE}:3:3) trailing`,
      `    at f (${FILE}:x:4)`,
      `    at f (${FILE}:x1:2)`,
      `    at f (${FILE}:1:2x)`,
      `    at f (${FILE}:1:2x`,
      `    at f (${FILE}:5:y)`,
      `    at f (${FILE}:6:7:8)`,
      `    at f (${FILE}9:9)`,
      `    at f (${FILE}.map:10:10)`,
      `    at f (prefix${FILE}:11:11)`,
      `    at ${'f'.repeat(2048)} (${FILE}:12:12)`,
      '    at :13:13',
    ];
    expect(errorFields(withStack(lines.join('\n')))).toEqual({ errorType: 'Error', stack: '' });
  });

  it('a frame of exactly 2048 characters is kept; positions of many digits are', () => {
    const tail = ` (${FILE}:123:4567)`;
    const padded = `at ${'f'.repeat(2048 - 3 - tail.length)}${tail}`;
    expect(padded).toHaveLength(2048);
    expect(errorFields(withStack(`Error\n    ${padded}`))).toEqual({ errorType: 'Error', stack: '123:4567' });
  });

  it('at most 15 frames, from the first 200 lines', () => {
    const frames = Array.from({ length: 20 }, (_, i) => `    at f (${FILE}:${i + 1}:1)`);
    expect(errorFields(withStack(['Error', ...frames].join('\n'))).stack).toBe(Array.from({ length: 15 }, (_, i) => `${i + 1}:1`).join(' | '));
    const late = [...Array.from({ length: 199 }, () => 'noise'), `    at f (${FILE}:200:1)`, `    at f (${FILE}:201:1)`];
    expect(errorFields(withStack(late.join('\n'))).stack).toBe('200:1');
  });
});
