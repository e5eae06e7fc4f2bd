/**
 * The explanations of equivalent mutants (scripts/mutation-equivalents.json) name code that exists,
 * each entry once: a mutation run trusts them and runs no test for the mutants they match
 * (scripts/mutation-plan-reporter.mjs), so one that matched a killable mutant would hide it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './support';

interface Entry {
  file: string;
  mutator: string;
  original: string;
  replacement: string;
  line: string;
  nth?: number;
  why: string;
}
interface Location {
  start: { line: number; column: number };
  end: { line: number; column: number };
}
interface Plan {
  entryKey(entry: Entry): string;
  mutantKey(file: string, source: string, mutant: { mutatorName: string; replacement?: string; location: Location }): string;
  originalOf(source: string, location: Location): string;
  lineOf(source: string, location: Location): string;
  nthOf(source: string, location: Location): number;
  namedAfter(file: string, testPath: string): boolean;
}

// A CommonJS script of the project, not a module of the sources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plan = require(join(root, 'scripts', 'mutation-plan.cjs')) as Plan;
const entries = JSON.parse(readFileSync(join(root, 'scripts', 'mutation-equivalents.json'), 'utf8')) as Entry[];
const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('scripts/mutation-equivalents.json', () => {
  it.each(entries.map((e, i) => [i, e.file, e.original] as const))('entry %i (%s, %s) names code on its line, in a mutated file, with a reason', (i) => {
    const e = entries[i] as Entry;
    expect(e.file).toMatch(/^src\/(policy\/|template\/|runtime\/|cli\/|handlers\.ts$)/);
    const source = squash(readFileSync(join(root, e.file), 'utf8'));
    expect(source).toContain(squash(e.line));
    expect(squash(e.line).split(squash(e.original)).length - 1).toBeGreaterThanOrEqual(e.nth ?? 1);
    expect(e.why.length).toBeGreaterThan(40);
  });

  it('has one entry per mutant key', () => {
    const keys = entries.map((e) => plan.entryKey(e));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('scripts/mutation-plan.cjs', () => {
  const source = ['for (let i = 0; i < text.length; i++) a(i);', 'const x = 1;', 'for (let i = 0; i < text.length; i++) b(i);', ''].join('\n');
  const at = (line: number): Location => ({ start: { line, column: 17 }, end: { line, column: 32 } });
  const mutant = (line: number) => ({ mutatorName: 'EqualityOperator', replacement: 'i <= text.length', location: at(line) });

  it('reads the code a mutant replaces and the lines it is on', () => {
    expect(plan.originalOf(source, at(3))).toBe('i < text.length');
    expect(plan.lineOf(source, at(3))).toBe('for (let i = 0; i < text.length; i++) b(i);');
  });

  it('tells apart the same change at two places, and matches an explanation wherever its line moves', () => {
    const entry: Entry = {
      file: 'src/x.ts',
      mutator: 'EqualityOperator',
      original: 'i < text.length',
      replacement: 'i <= text.length',
      line: 'for (let i = 0;   i < text.length; i++) a(i);',
      why: '',
    };
    expect(plan.mutantKey('src/x.ts', source, mutant(1))).toBe(plan.entryKey(entry));
    expect(plan.mutantKey('src/x.ts', source, mutant(3))).not.toBe(plan.entryKey(entry));
    expect(plan.mutantKey('src/x.ts', `// a line above\n${source}`, mutant(2))).toBe(plan.entryKey(entry));
  });

  it('tells apart the same change made twice on one line', () => {
    const line = 'while (i + 1 < text.length && ok(text[i + 1])) i++;';
    const first: Location = { start: { line: 1, column: 8 }, end: { line: 1, column: 13 } };
    const second: Location = { start: { line: 1, column: 39 }, end: { line: 1, column: 44 } };
    expect([plan.originalOf(line, first), plan.originalOf(line, second)]).toEqual(['i + 1', 'i + 1']);
    expect([plan.nthOf(line, first), plan.nthOf(line, second)]).toEqual([1, 2]);
    const entry: Entry = { file: 'src/x.ts', mutator: 'ArithmeticOperator', original: 'i + 1', replacement: 'i - 1', line, why: '' };
    const mutant = (location: Location) => plan.mutantKey('src/x.ts', line, { mutatorName: 'ArithmeticOperator', replacement: 'i - 1', location });
    expect(mutant(first)).toBe(plan.entryKey(entry));
    expect(mutant(second)).not.toBe(plan.entryKey(entry));
    expect(mutant(second)).toBe(plan.entryKey({ ...entry, nth: 2 }));
  });

  it('names the test files after their source file', () => {
    expect(plan.namedAfter('src/runtime/credentials.ts', '/p/test/runtime/credentials-edges.test.ts')).toBe(true);
    expect(plan.namedAfter('src/template/fix.ts', '/p/test/template/fix.test.ts')).toBe(true);
    expect(plan.namedAfter('src/template/parse.ts', '/p/test/template/parameters.test.ts')).toBe(false);
    expect(plan.namedAfter('src/runtime/payload.ts', '/p/test/runtime/fetch-payload-edges.test.ts')).toBe(false);
  });
});
