/**
 * The built hook invoked in a child Node.js process, as Lambda runs it: its own realm (Jest's VM
 * context gives Node's own errors, such as a refused connection, another Error class than the
 * bundle's, which changes how the AWS SDK classifies them), its own environment, and everything it
 * writes to stdout and stderr captured.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const HANDLERS = join(__dirname, '..', '..', 'dist', 'handlers.js');

const CHILD = `
const hook = require(process.argv[1]);
const event = JSON.parse(process.env.HOOK_TEST_EVENT);
delete process.env.HOOK_TEST_EVENT;
const end = Date.now() + Number(process.argv[2]);
hook.entrypoint(event, { awsRequestId: process.argv[3], getRemainingTimeInMillis: () => end - Date.now() })
  .then((answer) => process.stdout.write('\\n@@answer ' + JSON.stringify(answer) + '\\n'));
`;

export interface ChildRun {
  readonly answer: Record<string, unknown>;
  /** The hook's own log lines (stdout), parsed. */
  readonly lines: Record<string, unknown>[];
  readonly stderr: string;
}

/** Invokes dist/handlers.js with `event` in a fresh process with `env` (and PATH only) and `remainingMs` left. */
export function invokeInChild(event: unknown, env: Record<string, string>, remainingMs = 30_000, awsRequestId = 'child-run'): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, HANDLERS, String(remainingMs), awsRequestId], {
      env: { PATH: process.env.PATH ?? '', ...env, HOOK_TEST_EVENT: JSON.stringify(event) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const marker = stdout.lastIndexOf('\n@@answer ');
      if (code !== 0 || marker < 0) return reject(new Error(`the hook's process exited with ${code} without an answer: ${stderr.slice(0, 2000)}`));
      const lines = stdout
        .slice(0, marker)
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ answer: JSON.parse(stdout.slice(marker + 10)) as Record<string, unknown>, lines, stderr });
    });
  });
}
