import fc from 'fast-check';
import { globMatch } from '../../src/policy';
import type { GlobWork } from '../../src/policy/glob';

/** Reference semantics by dynamic programming: obviously right, quadratic. */
function reference(pattern: string, text: string): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (p === '*') {
      let any = false;
      for (let j = 0; j <= text.length; j++) next[j] = any = any || row[j]!;
    } else {
      for (let j = 1; j <= text.length; j++) next[j] = row[j - 1]! && (p === '?' || p === text[j - 1]);
    }
    row = next;
  }
  return row[text.length]!;
}


describe('globMatch', () => {
  it.each([
    ['log_router', 'log_router', true],
    ['log_router', 'log_router2', false],
    ['datadog-*', 'datadog-agent', true],
    ['datadog-*', 'datadog-', true],
    ['datadog-*', 'xdatadog-agent', false],
    ['*', '', true],
    ['?', '', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*fluent-bit:*', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0', true],
    ['*.*', 'nodot', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['[abc]', 'a', false],
    ['[abc]', '[abc]', true],
    ['a.c', 'abc', false],
    ['**', 'anything', true],
  ])('%s vs %s -> %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it('agrees with the reference on random patterns and texts', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 40 }), (pattern, text) => {
        expect(globMatch(pattern, text)).toBe(reference(pattern, text));
      }),
      { numRuns: 5000, seed: 20261128 },
    );
  });

  it('agrees with the reference on pieces longer than one 32-bit word', () => {
    const long = 'ab'.repeat(40);
    for (const [pattern, text] of [
      [`*${long}*`, `xx${long}yy`],
      [`*${long}?*`, `xx${long}`],
      [`x*${long.slice(0, 70)}?b*y`, `x${long}y`],
      [`*${'a'.repeat(33)}b*`, `${'a'.repeat(100)}b`],
      [`*${'a'.repeat(33)}b*`, 'a'.repeat(100)],
    ] as const) {
      expect(globMatch(pattern, text)).toBe(reference(pattern, text));
    }
  });

  it.each([
    ['a star before a long piece', `*${'a'.repeat(1000)}b`, 'a'.repeat(10_000)],
    ['many stars', `${'a*'.repeat(120)}b`, 'a'.repeat(10_000)],
    ['a piece with ?', `*${'a?'.repeat(500)}b*`, 'a'.repeat(10_000)],
    ['a pattern that matches', `*${'?'.repeat(200)}*`, 'x'.repeat(10_000)],
  ])('does work linear in the text for %s (counted, not timed)', (_label, pattern, text) => {
    const work: GlobWork = { steps: 0 };
    globMatch(pattern, text, work);
    const words = Math.ceil(pattern.length / 32);
    expect(work.steps).toBeLessThanOrEqual(text.length * words + pattern.length);
  });
});
