/**
 * dist/handlers.js deployed without dist/network.js (or dist/models.js) beside it (a hand-made package): the hook still
 * judges every request; only delivery is lost, said once in its log, and a remote payload, which it
 * cannot read without the network half, fails closed with a correlation id.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = join(__dirname, '..', '..', 'dist');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'handlers-alone-'));
  copyFileSync(join(dist, 'handlers.js'), join(dir, 'handlers.js'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(event: unknown): { answer: Record<string, unknown>; log: Record<string, unknown>[] } {
  const script = `require('./handlers.js').entrypoint(JSON.parse(process.argv[1]), { awsRequestId: 'alone-1' }).then((a) => console.log('ANSWER ' + JSON.stringify(a)));`;
  const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(event)], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  const lines = stdout.split('\n').filter((l) => l !== '');
  const answer = lines.find((l) => l.startsWith('ANSWER '));
  if (answer === undefined) throw new Error(`no answer in:\n${stdout}`);
  return { answer: JSON.parse(answer.slice(7)), log: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)) };
}

function fixture(): Record<string, any> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'requests', 'create.json'), 'utf8'));
}

it('answers the verdict when delivery was asked for, and says delivery is unavailable', () => {
  const { answer, log } = run(fixture());
  expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe' });
  expect(log.map((l) => [l.level, l.message, l.errorType])).toEqual([
    ['ERROR', 'Delivery unavailable', 'Error'],
    ['INFO', 'Answered', undefined],
  ]);
});

it('fails closed with a correlation id when the model is behind a payload URL', () => {
  const event = fixture();
  delete event.requestData.providerLogGroupName;
  event.requestData.targetModel = {};
  event.requestData.payload = 'https://payloads.example.com/model.json';
  const { answer, log } = run(event);
  expect(answer).toEqual({
    hookStatus: 'FAILED',
    errorCode: 'InternalFailure',
    message:
      "The hook could not check this resource because of an internal error (correlation id alone-1). Deploy again; if it persists, give the correlation id to the hook's owner.",
    clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe',
    callbackDelaySeconds: 0,
  });
  expect(log.map((l) => l.message)).toEqual(['Unexpected error', 'Answered']);
});

describe('without dist/models.js beside it', () => {
  it('judges a request without a type configuration, and fails closed with a correlation id when one is present', () => {
    const event = fixture();
    delete event.requestData.providerLogGroupName;
    delete event.requestData.providerCredentials;
    expect(run({ ...event, hookModel: {} }).answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    // The package is at fault, not the account's configuration: never InvalidTypeConfiguration.
    const { answer, log } = run({ ...event, hookModel: { ExemptContainerNames: ['sidecar'] } });
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(answer.message).toContain('correlation id alone-1');
    expect(log.map((l) => l.message)).toEqual(['Unexpected error', 'Answered']);
  });
});
