/**
 * How a failed AWS call is named in the hook's WARN lines ("Log delivery failed", "Log and metric
 * delivery skipped"): service, action and a code, never the service's own message; and the deadline
 * every call and phase runs under.
 */
import { callWithin, describeFailure } from '../../src/runtime/aws/sdk';
import { deadlineAt } from '../../src/runtime/aws/deadline';

function failure(error: unknown, signal?: AbortSignal): { message: string; code: string; name: string } {
  const e = describeFailure('logs', 'PutLogEvents', error, signal);
  return { message: e.message, code: e.code, name: e.name };
}

describe('describeFailure', () => {
  it('an aborted call ran out of time, whatever the error says', () => {
    const aborted = AbortSignal.abort();
    expect(failure({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }, aborted)).toEqual({
      message: 'logs PutLogEvents: the time allowed ran out',
      code: 'timeout',
      name: 'AwsCallError',
    });
    expect(failure({ name: 'AbortError' }, new AbortController().signal)).toEqual({ message: 'logs PutLogEvents: the time allowed ran out', code: 'timeout', name: 'AwsCallError' });
    expect(failure({ name: 'AbortError' })).toMatchObject({ code: 'timeout' });
  });

  it("the SDK's own timeout: the endpoint did not answer", () => {
    expect(failure({ name: 'TimeoutError', code: 'ETIMEDOUT' })).toEqual({ message: 'logs PutLogEvents: the endpoint did not answer in time', code: 'timeout', name: 'AwsCallError' });
  });

  it('a connection error by its Node code only', () => {
    expect(failure({ name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })).toEqual({
      message: 'logs PutLogEvents: the connection failed (ECONNREFUSED)',
      code: 'network',
      name: 'AwsCallError',
    });
    expect(failure({ code: 'E_NOT_A_REAL_ONE' }).message).toBe('logs PutLogEvents: the connection failed (E_NOT_A_REAL_ONE)');
  });

  it('a code that is not a Node error code is not quoted', () => {
    for (const code of ['econnrefused', 'ECONN REFUSED', 'E', `E${'X'.repeat(32)}`, 'XECONNRESET', 42]) {
      expect(failure({ name: 'Weird', code })).toEqual({ message: 'logs PutLogEvents: the call failed (Weird)', code: 'network', name: 'AwsCallError' });
    }
    expect(failure({ code: `E${'X'.repeat(31)}` }).message).toBe(`logs PutLogEvents: the connection failed (E${'X'.repeat(31)})`);
    // Only a string is a code: a value that merely prints as one is not quoted.
    expect(failure({ name: 'Weird', code: ['ECONNREFUSED'] })).toEqual({ message: 'logs PutLogEvents: the call failed (Weird)', code: 'network', name: 'AwsCallError' });
  });

  it('a 2xx answer the SDK could not read', () => {
    for (const status of [200, 204, 299]) {
      expect(failure({ name: 'SyntaxError', $metadata: { httpStatusCode: status } })).toEqual({
        message: 'logs PutLogEvents: the answer could not be read',
        code: 'unreadable',
        name: 'AwsCallError',
      });
    }
  });

  it("an error answer by the service's code and the HTTP status", () => {
    expect(failure({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 }, message: 'secret detail' })).toEqual({
      message: 'logs PutLogEvents: ThrottlingException (HTTP 400)',
      code: 'ThrottlingException',
      name: 'AwsCallError',
    });
    expect(failure({ name: 'Redirect', $metadata: { httpStatusCode: 300 } }).message).toBe('logs PutLogEvents: Redirect (HTTP 300)');
    expect(failure({ name: 'Throttled', $metadata: { httpStatusCode: 199 } }).message).toBe('logs PutLogEvents: Throttled (HTTP 199)');
  });

  it('an error answer without a readable code is UnknownError', () => {
    for (const name of ['Error', 'SyntaxError', 'not a code', '', `A${'b'.repeat(64)}`]) {
      expect(failure({ name, $metadata: { httpStatusCode: 502 } })).toEqual({ message: 'logs PutLogEvents: UnknownError (HTTP 502)', code: 'UnknownError', name: 'AwsCallError' });
    }
    expect(failure({ name: `A${'b'.repeat(63)}`, $metadata: { httpStatusCode: 502 } }).code).toBe(`A${'b'.repeat(63)}`);
  });

  it('no answer and no connection error: the call failed, named by its class when it has a readable one', () => {
    expect(failure(new TypeError('x'))).toEqual({ message: 'logs PutLogEvents: the call failed (TypeError)', code: 'network', name: 'AwsCallError' });
    expect(failure({ name: 'has spaces' })).toEqual({ message: 'logs PutLogEvents: the call failed', code: 'network', name: 'AwsCallError' });
    expect(failure('a string')).toEqual({ message: 'logs PutLogEvents: the call failed', code: 'network', name: 'AwsCallError' });
    expect(failure(null)).toEqual({ message: 'logs PutLogEvents: the call failed', code: 'network', name: 'AwsCallError' });
    expect(failure({ name: 7, $metadata: { httpStatusCode: '500' } })).toEqual({ message: 'logs PutLogEvents: the call failed', code: 'network', name: 'AwsCallError' });
  });
});

describe('callWithin', () => {
  it("gives the call's value", async () => {
    await expect(callWithin('sts', 'AssumeRole', new AbortController().signal, async () => 'ok')).resolves.toBe('ok');
  });

  it("names the call's failure", async () => {
    const send = async (): Promise<never> => {
      throw Object.assign(new Error('AccessDenied detail'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    };
    await expect(callWithin('sts', 'AssumeRole', new AbortController().signal, send)).rejects.toMatchObject({ message: 'sts AssumeRole: AccessDenied (HTTP 403)', code: 'AccessDenied' });
  });

  it('never starts a call whose time has run out', async () => {
    const send = jest.fn(async () => 'sent');
    await expect(callWithin('kms', 'Decrypt', AbortSignal.abort(), send)).rejects.toMatchObject({ message: 'kms Decrypt: the time allowed ran out', code: 'timeout' });
    await Promise.resolve();
    expect(send).not.toHaveBeenCalled();
  });

  it('settles when the time runs out, even if the call never does, and hands the call the same signal', async () => {
    const controller = new AbortController();
    let given: AbortSignal | undefined;
    const pending = callWithin('monitoring', 'PutMetricData', controller.signal, (signal) => {
      given = signal;
      return new Promise<never>(() => undefined);
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(given).toBe(controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ message: 'monitoring PutMetricData: the time allowed ran out', code: 'timeout' });
  });
});

describe('deadlineAt', () => {
  it('a deadline already passed is aborted at once, and disposing it is harmless', () => {
    for (const at of [Date.now(), Date.now() - 1000]) {
      const d = deadlineAt(at);
      expect(d.signal.aborted).toBe(true);
      expect(() => d.dispose()).not.toThrow();
    }
  });

  it('a deadline ahead aborts when it comes, not before', async () => {
    const d = deadlineAt(Date.now() + 60);
    expect(d.signal.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(d.signal.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(d.signal.aborted).toBe(true);
    d.dispose();
  });

  it('disposing ends the phase: its signal aborts (a request still open is closed)', () => {
    const d = deadlineAt(Date.now() + 60_000);
    expect(d.signal.aborted).toBe(false);
    d.dispose();
    expect(d.signal.aborted).toBe(true);
  });
});
