/**
 * How a name appears in a message, annotation or CLI line: every code point that could forge a line,
 * reorder text or hide is escaped (its neighbours printed as they are), and the result never exceeds
 * its bound.
 */
import { EMPTY_CONFIG, evaluateTaskDefinition, report, safeName } from '../../src/policy';

const hex = (code: number): string => code.toString(16).padStart(4, '0');

describe('safeName escapes exactly the unsafe code points', () => {
  // Each range's first and last member, and the code points just outside it.
  const escaped = [
    0x00, 0x1f, 0x7f, 0x9f, 0xad, 0x61c, 0x180e, 0x200b, 0x200f, 0x2028, 0x202e, 0x2060, 0x206f, 0xfeff, 0xfff9, 0xfffb,
    0xd800, 0xdbff, 0xdc00, 0xdfff,
  ];
  const kept = [0x20, 0x7e, 0xa0, 0xac, 0xae, 0x61b, 0x61d, 0x180d, 0x180f, 0x200a, 0x2010, 0x2027, 0x202f, 0x205f, 0x2070, 0xfefe, 0xff00, 0xfff8, 0xfffc, 0xd7ff, 0xe000];

  it.each(escaped.map((c) => [hex(c)]))('U+%s is printed as \\u%s', (code) => {
    expect(safeName(`a${String.fromCharCode(parseInt(code, 16))}b`)).toBe(`a\\u${code}b`);
  });

  it.each(kept.map((c) => [hex(c)]))('U+%s is printed as it is', (code) => {
    const ch = String.fromCharCode(parseInt(code, 16));
    expect(safeName(`a${ch}b`)).toBe(`a${ch}b`);
  });

  it('keeps a surrogate pair whole, up to the last code point, and escapes a high surrogate without its pair', () => {
    expect(safeName('\u{10FFFF}')).toBe('\u{10FFFF}');
    expect(safeName('\u{10000}x')).toBe('\u{10000}x');
    expect(safeName('\ud83dx')).toBe('\\ud83dx');
    expect(safeName('\ud83d\ud83d\ude80')).toBe('\\ud83d\u{1F680}');
    expect(safeName('x\ud83d')).toBe('x\\ud83d');
  });

  it('escapes a low surrogate however it is followed, and never pairs it with what comes before', () => {
    expect(safeName('\udc00\udc00')).toBe('\\udc00\\udc00');
    expect(safeName('\ue000\udc00')).toBe('\ue000\\udc00');
  });
});

describe('safeName keeps within its bound', () => {
  it('keeps a name of exactly the bound whole', () => {
    expect(safeName('abcd', 4)).toBe('abcd');
    expect(safeName('n'.repeat(64))).toBe('n'.repeat(64));
  });

  it('cuts one character over the bound, leaving room for the ellipsis', () => {
    expect(safeName('abcde', 4)).toBe('abc…');
    expect(safeName('n'.repeat(65))).toBe(`${'n'.repeat(63)}…`);
  });

  it('drops a last character whose escape would cross the bound', () => {
    expect(safeName('abcd\t', 5)).toBe('abcd…');
    expect(safeName('abc\t', 9)).toBe('abc\\u0009');
    expect(safeName('abc\t', 8)).toBe('abc…');
  });

  it('never splits a surrogate pair at the bound', () => {
    expect(safeName('ab\u{1F680}', 4)).toBe('ab\u{1F680}');
    expect(safeName('ab\u{1F680}', 3)).toBe('ab…');
    expect(safeName('ab\u{1F680}c', 4)).toBe('ab…');
  });

  it('bounds a container name in the message, escape and ellipsis included', () => {
    const name = `${'a'.repeat(60)}\t`;
    const v = report(evaluateTaskDefinition({ ContainerDefinitions: [{ Name: name }] }, EMPTY_CONFIG), {
      logicalId: 'WebTask',
      targetType: 'AWS::ECS::TaskDefinition',
    });
    expect(v.message).toContain(`'${'a'.repeat(60)}…' (ReadonlyRootFilesystem missing)`);
    expect(v.annotations[0]?.statusMessage).toBe(`Container '${'a'.repeat(60)}…' can write to its root filesystem: ReadonlyRootFilesystem missing.`);
  });
});
