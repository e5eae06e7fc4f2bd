/**
 * How a request is read (src/runtime/protocol.ts) at its edges: where the target model is (inline,
 * or remote behind a payload URL), the defaults of the target's fields, the refusals and their exact
 * words; and which payload URLs are read at all (src/runtime/payload.ts).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readPayload } from '../../src/runtime/payload';
import { parseInvocationRequest, parseTestEvent, payloadSubject, RequestError, tokenOf } from '../../src/runtime/protocol';

const URL_ = 'https://bucket.s3.amazonaws.com/payload?X-Amz-Signature=canary';
const request = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  clientRequestToken: 'token-1',
  actionInvocationPoint: 'CREATE_PRE_PROVISION',
  requestData: { targetName: 'AWS::ECS::TaskDefinition', ...data },
  ...extra,
});
const refusal = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestError);
    expect((error as Error).name).toBe('RequestError');
    return (error as Error).message;
  }
  return 'accepted';
};

describe('where the target model is', () => {
  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', {}],
  ])('%s, with a payload URL: remote, read from the URL', (_name, targetModel) => {
    const parsed = parseInvocationRequest(request({ targetModel, payload: URL_ }));
    expect(parsed.payloadUrl).toBe(URL_);
    expect(parsed.handlerRequest.targetModel).toEqual({});
  });

  it('given, with a payload URL too: inline, the URL not read', () => {
    const parsed = parseInvocationRequest(request({ targetModel: { resourceProperties: { Family: 'web' } }, payload: URL_ }));
    expect(parsed.payloadUrl).toBeUndefined();
    expect(parsed.handlerRequest.targetModel).toEqual({ resourceProperties: { Family: 'web' } });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['not text', 42],
  ])('no model and a payload URL %s: refused', (_name, payload) => {
    expect(refusal(() => parseInvocationRequest(request({ payload })))).toBe('The request has no target model (requestData.targetModel).');
  });

  it('an empty model without a payload URL is judged as it is', () => {
    const parsed = parseInvocationRequest(request({ targetModel: {} }));
    expect(parsed.payloadUrl).toBeUndefined();
    expect(parsed.handlerRequest.targetModel).toEqual({});
  });

  it.each([['text'], [[1]], [7]])('a model that is not an object (%j) is refused', (targetModel) => {
    expect(refusal(() => parseInvocationRequest(request({ targetModel })))).toBe('The request has no target model (requestData.targetModel).');
    expect(refusal(() => parseInvocationRequest(request({ targetModel, payload: URL_ })))).toBe('The request has no target model (requestData.targetModel).');
  });
});

describe("the target's fields", () => {
  it('type RESOURCE and an empty logical id when not given; given ones kept; ids not text left out', () => {
    expect(parseInvocationRequest(request({ targetModel: {} })).handlerRequest).toMatchObject({ targetType: 'RESOURCE', targetLogicalId: '' });
    expect(parseInvocationRequest(request({ targetModel: {}, targetType: 'STACK', targetLogicalId: 'Web' })).handlerRequest).toMatchObject({ targetType: 'STACK', targetLogicalId: 'Web' });
    const h = parseInvocationRequest(request({ targetModel: {} }, { hookTypeName: 7, awsAccountId: '123456789012', invocationId: 'i-1' }));
    expect([h.handlerRequest.hookTypeName, h.handlerRequest.awsAccountId, h.invocationId]).toEqual([undefined, '123456789012', 'i-1']);
  });

  it('a target name that is empty or not text is refused', () => {
    expect(refusal(() => parseInvocationRequest(request({ targetName: '', targetModel: {} })))).toBe('The request has no requestData.targetName.');
    expect(refusal(() => parseInvocationRequest(request({ targetName: 5, targetModel: {} })))).toBe('The request has no requestData.targetName.');
  });

  it('an unknown invocation point is named, cut at 64 characters, odd characters masked', () => {
    const points = 'CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION, DELETE_PRE_PROVISION';
    expect(refusal(() => parseInvocationRequest(request({ targetModel: {} }, { actionInvocationPoint: `X y${'z'.repeat(100)}` })))).toMatch(
      new RegExp(`^Unknown actionInvocationPoint 'X\\?y${'z'.repeat(61)}'; expected one of ${points}`),
    );
    expect(refusal(() => parseTestEvent({ actionInvocationPoint: 'NOPE', request: { hookContext: { targetName: 'T', targetModel: {} } } }))).toMatch(
      /^Unknown actionInvocationPoint 'NOPE'; expected one of /,
    );
  });
});

it('the payload subject names a stack, a change set, or a resource', () => {
  expect([payloadSubject('STACK'), payloadSubject('CHANGE_SET'), payloadSubject('AWS::ECS::TaskDefinition')]).toEqual([
    "the stack's template",
    'the change set',
    "the target's properties",
  ]);
});

it('the token: the request’s own, or the inner one of a test event, or empty', () => {
  expect([tokenOf({ clientRequestToken: 't' }), tokenOf({ request: { clientRequestToken: 'inner' } }), tokenOf('x'), tokenOf({ clientRequestToken: 5 })]).toEqual(['t', 'inner', '', '']);
});

describe('which payload URLs are read', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  const refused = (reason: string, errorCode = 'InvalidRequest') => ({
    ok: false,
    errorCode,
    message: `The hook could not read the target's properties from the payload CloudFormation sent: ${reason}. Deploy again; if it persists, the hook's owner will find details in its logs.`,
  });

  it.each(['http://example.com/payload', 'http://127.0.0.2/payload', 'ftp://127.0.0.1/payload', 'file:///etc/passwd'])('%s: not https, refused unread', async (url) => {
    await expect(readPayload(url, Date.now() + 1000)).resolves.toEqual(refused('requestData.payload is not an https URL'));
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('http on loopback (%s) is read (a local emulator)', async (host) => {
    server = http.createServer((_req, res) => res.writeHead(200).end('{"a":1}'));
    await new Promise<void>((resolve) => server!.listen(0, '::', resolve));
    const port = (server.address() as AddressInfo).port;
    await expect(readPayload(`http://${host}:${port}/payload`, Date.now() + 5000)).resolves.toEqual({ ok: true, document: { a: 1 } });
  });

  it.each([
    [500, refused('the storage service answered HTTP 500', 'ServiceInternalError')],
    [403, refused('the payload URL was refused (HTTP 403: expired or not signed for this function)', 'AccessDenied')],
    [499, refused('the storage service answered HTTP 499')],
  ])('HTTP %i', async (status, answer) => {
    server = http.createServer((_req, res) => res.writeHead(status).end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    // Time for one attempt only.
    await expect(readPayload(`http://127.0.0.1:${(server.address() as AddressInfo).port}/p`, Date.now() + 250)).resolves.toEqual(answer);
  });
});
