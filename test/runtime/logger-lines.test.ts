/**
 * The hook's own log lines, as they reach the function's log (and the owner's log group): one JSON
 * object a line, the level LOG_LEVEL asks for, and of an error only a known class name and positions
 * in the hook's own bundle.
 */
import { resolve } from 'node:path';
import { errorFields, Logger } from '../../src/runtime/logger';

const OWN = resolve(__dirname, '..', '..', 'src', 'runtime', 'logger.ts');

function capture(): { lines: string[]; sink: (line: string) => void } {
  const lines: string[] = [];
  return { lines, sink: (line) => lines.push(line) };
}

describe('LOG_LEVEL', () => {
  const saved = process.env.LOG_LEVEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  });

  function levelsWritten(): string[] {
    const { lines, sink } = capture();
    const log = new Logger(sink);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    return lines.map((l) => (JSON.parse(l) as { level: string }).level);
  }

  it.each([
    [undefined, ['INFO', 'WARN', 'ERROR']],
    ['', ['INFO', 'WARN', 'ERROR']],
    ['debug', ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    ['DEBUG', ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    ['Info', ['INFO', 'WARN', 'ERROR']],
    ['warn', ['WARN', 'ERROR']],
    ['ERROR', ['ERROR']],
    ['verbose', ['INFO', 'WARN', 'ERROR']],
    ['toString', ['INFO', 'WARN', 'ERROR']],
  ])('%s writes %j', (level, expected) => {
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
    expect(levelsWritten()).toEqual(expected);
  });
});

describe('a line', () => {
  it('is the level, the message, the fields, then the time, in that order', () => {
    const { lines, sink } = capture();
    new Logger(sink, { clientRequestToken: 't1', logicalId: 'Base' }, 'INFO').child({ logicalId: 'Task' }).warn('Delivery failed', { reason: 'r', count: 2, ok: false, none: null });
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['level', 'message', 'clientRequestToken', 'logicalId', 'reason', 'count', 'ok', 'none', 'timestamp']);
    expect(parsed).toMatchObject({ level: 'WARN', message: 'Delivery failed', clientRequestToken: 't1', logicalId: 'Task', reason: 'r', count: 2, ok: false, none: null });
    expect(Math.abs(Date.parse(parsed.timestamp as string) - Date.now())).toBeLessThan(5000);
    expect(parsed.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a field cannot overwrite the level, the message or the time', () => {
    const { lines, sink } = capture();
    new Logger(sink, {}, 'DEBUG').info('real', { timestamp: 'forged' });
    expect((JSON.parse(lines[0]!) as Record<string, unknown>).timestamp).not.toBe('forged');
  });

  it('a child keeps its parent level and sink', () => {
    const { lines, sink } = capture();
    const child = new Logger(sink, {}, 'WARN').child({ a: 1 });
    child.info('hidden');
    child.warn('shown');
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['shown']);
  });

  it('teeTo hands every line to both sinks, even when the first one throws, and never throws itself', () => {
    const extra = capture();
    const broken = new Logger(() => {
      throw new Error('sink down');
    }, {}, 'INFO');
    const tee = broken.teeTo(extra.sink);
    expect(() => tee.error('still delivered')).not.toThrow();
    expect(extra.lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['still delivered']);

    const first = capture();
    const second = capture();
    new Logger(first.sink, { k: 'v' }, 'WARN').teeTo(second.sink).warn('both');
    expect(first.lines).toEqual(second.lines);
    expect(first.lines).toHaveLength(1);
    new Logger(first.sink, {}, 'WARN').teeTo(second.sink).info('below the level');
    expect(second.lines).toHaveLength(1);
  });
});

describe('where lines go', () => {
  const savedName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  afterEach(() => {
    if (savedName === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = savedName;
    jest.restoreAllMocks();
  });

  function loadLogger(writeSync: jest.Mock): typeof import('../../src/runtime/logger') {
    let module: typeof import('../../src/runtime/logger') | undefined;
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => ({ ...jest.requireActual<typeof import('node:fs')>('node:fs'), writeSync }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      module = require('../../src/runtime/logger') as typeof import('../../src/runtime/logger');
    });
    return module!;
  }

  it('in Lambda, straight to file descriptor 1, one line each', () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'hook';
    const writeSync = jest.fn();
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    new (loadLogger(writeSync).Logger)(undefined, {}, 'INFO').info('direct');
    expect(writeSync).toHaveBeenCalledTimes(1);
    expect(writeSync.mock.calls[0]![0]).toBe(1);
    expect(writeSync.mock.calls[0]![1]).toMatch(/^\{"level":"INFO","message":"direct","timestamp":"[^"]+"\}\n$/);
    expect(stdout).not.toHaveBeenCalled();
  });

  it('in Lambda, when fd 1 is full, through the stdout stream instead', () => {
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'hook';
    const writeSync = jest.fn(() => {
      throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    new (loadLogger(writeSync).Logger)(undefined, {}, 'INFO').info('queued');
    expect(stdout).toHaveBeenCalledTimes(1);
    expect(String(stdout.mock.calls[0]![0])).toMatch(/^\{"level":"INFO","message":"queued","timestamp":"[^"]+"\}\n$/);
  });

  it('elsewhere, through the stdout stream', () => {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    const writeSync = jest.fn();
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    new (loadLogger(writeSync).Logger)(undefined, {}, 'INFO').warn('stream');
    expect(writeSync).not.toHaveBeenCalled();
    expect(String(stdout.mock.calls[0]![0])).toMatch(/^\{"level":"WARN","message":"stream","timestamp":"[^"]+"\}\n$/);
  });
});

describe('errorFields', () => {
  function withStack(stack: unknown, name = 'Error'): Error {
    const e = new Error('a message that may quote input');
    Object.defineProperty(e, 'stack', { value: stack });
    e.name = name;
    return e;
  }

  it('a thrown value that is not an Error is named by its type only', () => {
    expect(errorFields('secret')).toEqual({ errorType: 'string' });
    expect(errorFields(undefined)).toEqual({ errorType: 'undefined' });
    expect(errorFields({ name: 'TypeError', stack: `at f (${OWN}:1:2)` })).toEqual({ errorType: 'object' });
  });

  it.each([
    'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
    'RequestError', 'TypeConfigurationError', 'ConfigError', 'AwsCallError', 'CredentialsError',
  ])('the known class %s is named', (name) => {
    expect(errorFields(withStack('', name))).toEqual({ errorType: name, stack: '' });
  });

  it('any other name is Error', () => {
    for (const name of ['', 'ErrorSecretValue', 'typeerror', 'My Error']) expect(errorFields(withStack('', name)).errorType).toBe('Error');
  });

  it("keeps only the positions of the hook's own frames, in order, never the message or other files", () => {
    const stack = [
      'Error: a message at ' + OWN + ':9:9',
      `    at check (${OWN}:12:34)`,
      '    at other (/var/task/elsewhere.js:1:1)',
      `    at ${OWN}:5:6`,
      `    at new Thing (${OWN}:7:8)`,
      `    at odd (${OWN}:7:8) trailing`,
      `    at bad (${OWN}:x:8)`,
      `    at bad (${OWN}:12)`,
      `    at bad (${OWN}x:1:2)`,
      `    at (:1:2)`,
      `at no-indent (${OWN}:3:4)`,
    ].join('\n');
    expect(errorFields(withStack(stack, 'TypeError'))).toEqual({ errorType: 'TypeError', stack: '12:34 | 5:6 | 7:8 | 3:4' });
  });

  it('a frame line of up to 2,048 characters is read, a longer one is not', () => {
    const frame = (length: number): string => {
      const tail = ` (${OWN}:1:2)`;
      return `at ${'f'.repeat(length - 3 - tail.length)}${tail}`;
    };
    expect(frame(2048)).toHaveLength(2048);
    expect(errorFields(withStack(`Error\n${frame(2048)}`)).stack).toBe('1:2');
    expect(errorFields(withStack(`Error\n${frame(2049)}`)).stack).toBe('');
  });

  it('at most 15 frames, and only from the first 200 lines', () => {
    const frames = Array.from({ length: 20 }, (_, i) => `    at f (${OWN}:${i + 1}:1)`);
    expect(errorFields(withStack(['Error', ...frames].join('\n'))).stack).toBe(frames.slice(0, 15).map((_, i) => `${i + 1}:1`).join(' | '));
    const late = [...Array.from({ length: 199 }, () => 'noise'), `at f (${OWN}:1:1)`, `at f (${OWN}:2:2)`];
    expect(errorFields(withStack(late.join('\n'))).stack).toBe('1:1');
  });

  it('a stack that is not a string gives no positions', () => {
    expect(errorFields(withStack(42))).toEqual({ errorType: 'Error', stack: '' });
  });
});
