/** In Lambda (AWS_LAMBDA_FUNCTION_NAME set) log lines are written straight to fd 1; they must still arrive whole. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const bundle = join(__dirname, '..', '..', 'dist', 'handlers.js');
const request = join(__dirname, '..', 'fixtures', 'requests', 'create.json');

it('writes one JSON log line per invocation to standard output', () => {
  const script = `
    const h = require(${JSON.stringify(bundle)});
    const ev = require(${JSON.stringify(request)});
    delete ev.requestData.providerLogGroupName; // no LoggingConfig: delivery has its own suite
    h.entrypoint(ev, { awsRequestId: 'lambda-1' }).then((a) => process.stderr.write(JSON.stringify(a)));
  `;
  const out = execFileSync(process.execPath, ['-e', script], {
    env: { ...process.env, AWS_LAMBDA_FUNCTION_NAME: 'hook' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines).toEqual([
    expect.objectContaining({ level: 'INFO', message: 'Answered', correlationId: 'lambda-1', hookStatus: 'FAILED', errorCode: 'NonCompliant' }),
  ]);
});
