import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'templates');

export function fixture(path: string): Buffer {
  return readFileSync(join(FIXTURES, path));
}
