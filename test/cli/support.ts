import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const TEMPLATES = join(ROOT, 'test', 'fixtures', 'templates');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the BUILT command line (npm test builds first) from the fixtures folder. */
export function cli(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Ran {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const env = { ...process.env, ...options.env };
  delete env.NO_COLOR;
  if (options.env?.NO_COLOR !== undefined) env.NO_COLOR = options.env.NO_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? TEMPLATES, input: options.input ?? '', env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
