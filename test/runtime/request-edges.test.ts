/**
 * What an invocation request says about delivery (src/runtime/delivery-request.ts): whether the owner
 * asked for it, the log group, the credentials and whether they are encrypted, the Region the clients
 * use (a Region name only: it lands in a host name), and the names metrics and streams are made of.
 */
import { deliveryRequestOf } from '../../src/runtime/delivery-request';

const CREDENTIALS = '{"accessKeyId":"AKIDCANARY","secretAccessKey":"canary"}';
const EVENT = {
  awsAccountId: '123456789012',
  stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/web/1',
  hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
  region: 'eu-west-1',
  requestData: { providerLogGroupName: 'owner-logs', providerCredentials: CREDENTIALS, targetLogicalId: 'WebTask' },
};
const withData = (data: Record<string, unknown>, event: Record<string, unknown> = {}) => ({ ...EVENT, ...event, requestData: { ...EVENT.requestData, ...data } });

it('reads the log group, credentials and names', () => {
  expect(deliveryRequestOf(EVENT, {})).toEqual({
    logGroupName: 'owner-logs',
    rawCredentials: CREDENTIALS,
    encrypted: undefined,
    region: 'eu-west-1',
    awsAccountId: '123456789012',
    hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
    stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/web/1',
    targetLogicalId: 'WebTask',
  });
});

it.each([
  ['no event object', 'text'],
  ['no requestData', { ...EVENT, requestData: undefined }],
  ['requestData not an object', { ...EVENT, requestData: 'text' }],
  ['no log group', withData({ providerLogGroupName: undefined })],
  ['an empty log group', withData({ providerLogGroupName: '' })],
  ['a log group that is not text', withData({ providerLogGroupName: 42 })],
  ['no credentials', withData({ providerCredentials: undefined })],
  ['null credentials', withData({ providerCredentials: null })],
])('%s: no delivery', (_name, event) => {
  expect(deliveryRequestOf(event, {})).toBeUndefined();
});

it('credentials are taken as they come (an object too); a log group name is cut at 512 characters', () => {
  const request = deliveryRequestOf(withData({ providerCredentials: { accessKeyId: 'A' }, providerLogGroupName: 'g'.repeat(600) }), {});
  expect(request?.rawCredentials).toEqual({ accessKeyId: 'A' });
  expect(request?.logGroupName).toBe('g'.repeat(512));
});

it('credentials are encrypted only when both the key and the role are named', () => {
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/k';
  const roleArn = 'arn:aws:iam::123456789012:role/r';
  expect(deliveryRequestOf(withData({ hookEncryptionKeyArn: keyArn, hookEncryptionKeyRole: roleArn }), {})?.encrypted).toEqual({ keyArn, roleArn });
  expect(deliveryRequestOf(withData({ hookEncryptionKeyArn: keyArn }), {})?.encrypted).toBeUndefined();
  expect(deliveryRequestOf(withData({ hookEncryptionKeyRole: roleArn }), {})?.encrypted).toBeUndefined();
  expect(deliveryRequestOf(withData({ hookEncryptionKeyArn: '', hookEncryptionKeyRole: roleArn }), {})?.encrypted).toBeUndefined();
});

it('names that are empty or not text are left out', () => {
  const request = deliveryRequestOf(withData({ targetLogicalId: '' }, { awsAccountId: 123456789012, hookTypeName: '', stackId: null }), {});
  expect(request).toMatchObject({ logGroupName: 'owner-logs' });
  expect([request?.awsAccountId, request?.hookTypeName, request?.stackId, request?.targetLogicalId]).toEqual([undefined, undefined, undefined, undefined]);
});

describe("the clients' Region: the function's own, else the request's, else us-east-1; a Region name or nothing", () => {
  it.each(['us-east-1', 'eu-central-1', 'us-gov-west-1', 'ap-southeast-12', 'us-isob-east-1'])('%s is a Region', (region) => {
    expect(deliveryRequestOf(EVENT, { AWS_REGION: region })?.region).toBe(region);
    expect(deliveryRequestOf({ ...EVENT, region }, {})?.region).toBe(region);
  });

  it.each(['US-EAST-1', 'us-east-1x', 'xus-east-1', 'evil.example/us-east-1', 'u-east-1', 'us-east-123', 'us-east-', 'useast-1', 'us-east-a', 'us-1-1', ''])(
    '%j is not: the next source is used',
    (region) => {
      expect(deliveryRequestOf({ ...EVENT, region: 'ap-south-1' }, { AWS_REGION: region })?.region).toBe('ap-south-1');
      expect(deliveryRequestOf({ ...EVENT, region }, {})?.region).toBe('us-east-1');
    },
  );

  it("the function's Region wins over the request's", () => {
    expect(deliveryRequestOf({ ...EVENT, region: 'ap-south-1' }, { AWS_REGION: 'eu-north-1' })?.region).toBe('eu-north-1');
  });

  it('without either, us-east-1', () => {
    expect(deliveryRequestOf({ ...EVENT, region: undefined }, {})?.region).toBe('us-east-1');
  });
});
