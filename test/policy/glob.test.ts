import { globMatch } from '../../src/policy';

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

  it('stays linear on patterns that make backtracking regular expressions explode', () => {
    const pattern = `${'a*'.repeat(120)}b`;
    const text = 'a'.repeat(10_000);
    expect(globMatch(pattern, text)).toBe(false);
  });
});
