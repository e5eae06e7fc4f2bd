import fc from 'fast-check';
import { globMatch } from '../../src/policy';
import { GLOB_CACHE_LIMIT, type GlobWork } from '../../src/policy/glob';

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
    // Scanning, plus comparing the literal ends and compiling the pattern once.
    expect(work.steps).toBeLessThanOrEqual(text.length * words + 2 * pattern.length);
  });

  it.each([
    ['a pattern without stars: one step per text character', 'w1-abc', 'w1-abd', false, 6],
    ['literal ends around a star: one step per literal character', 'w2-a*b', 'w2-aXXXXb', true, 5],
    ['a piece between stars: one step per character scanned up to its end', '*w3-ab*', 'xxw3-abyy', true, 7],
    ['a piece not found: the ends, then the whole stretch between them', 'w4-*zz*-end', 'w4-abcdef-end', false, 13],
    ['a piece longer than 32 characters: two words per character scanned', `*${'w5'.repeat(17)}*`, `x${'w5'.repeat(17)}`, true, 70],
    ['literal ends longer than the text: counted, nothing scanned', 'w6-long-start*w6-long-end', 'short', false, 24],
    // The start matches (5 steps); 4 characters are left after it, too few for the piece of 5.
    ['a piece longer than what is left between the ends: nothing scanned', 'w7-ab*w7-cd*', 'w7-abxxxx', false, 5],
    ['a piece as long as what is left: scanned', '*w8-cd*', 'w8-cd', true, 5],
  ])('counts its work: %s', (_label, pattern, text, matches, steps) => {
    const first: GlobWork = { steps: 0 };
    expect(globMatch(pattern, text, first)).toBe(matches);
    // The first use also compiles the pattern, one step per character; later uses find it cached.
    expect(first.steps).toBe(steps + pattern.length);
    const again: GlobWork = { steps: 0 };
    expect(globMatch(pattern, text, again)).toBe(matches);
    expect(again.steps).toBe(steps);
  });

  it(`keeps at most ${GLOB_CACHE_LIMIT} compiled patterns, dropping them all when full`, () => {
    let fresh = 0;
    const addFresh = (): void => void globMatch(`cache-${(fresh += 1)}-*`, 'x');
    const cached = (pattern: string): boolean => {
      const work: GlobWork = { steps: 0 };
      globMatch(pattern, 'x', work);
      return work.steps < pattern.length;
    };
    const probe = 'cache-probe-*';
    globMatch(probe, 'x');
    expect(cached(probe)).toBe(true);
    // Fill until the cache drops everything (how full it was before this test is unknown).
    let added = 0;
    while (cached(probe) && added <= GLOB_CACHE_LIMIT) {
      addFresh();
      added += 1;
    }
    expect(added).toBeLessThanOrEqual(GLOB_CACHE_LIMIT);
    // Now it holds exactly the last fresh pattern and the probe: 254 more fill it, the next drops all.
    for (let i = 0; i < GLOB_CACHE_LIMIT - 2; i++) addFresh();
    expect(cached(probe)).toBe(true);
    addFresh();
    expect(cached(probe)).toBe(false);
    expect(cached(probe)).toBe(true);
  });
});
