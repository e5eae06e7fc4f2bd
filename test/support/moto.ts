/**
 * moto_server (an AWS API emulator) on 127.0.0.1 for the delivery, payload and canary suites. CI starts
 * one and passes its address in MOTO_ENDPOINT; otherwise each suite starts its own. Suites may share
 * one server at once, so they never reset it: every test names its own groups, buckets and accounts.
 * Missing moto_server is an error, never a skip.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export interface Moto {
  readonly endpoint: string;
  stop(): Promise<void>;
}

let sequence = 0;
/** A name no other test, suite or run on the same server has used. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

/** A 12-digit account id of its own for a test: metric namespaces include the account. */
export function uniqueAccount(): string {
  sequence += 1;
  return String(100_000_000_000 + ((process.pid * 7919 + Date.now() + sequence * 104_729) % 899_999_999_999));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess | undefined): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    if (child !== undefined && child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`moto_server did not answer at ${endpoint} within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startMoto(): Promise<Moto> {
  const given = process.env.MOTO_ENDPOINT;
  if (given) {
    const endpoint = given.replace(/\/$/, '');
    await waitUntilUp(endpoint, undefined);
    return { endpoint, stop: async () => undefined };
  }
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).error) {
    throw new Error('moto_server is required for this suite and was not found: pip install "moto[server]==5.2.1"');
  }
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
