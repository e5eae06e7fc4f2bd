// A file's bytes turned into template text, or the reason it is not one, byte offset included.
import { validateTemplate } from '../../src/template';
import { decodeTemplate } from '../../src/template/decode';
import { LIMITS } from '../../src/template/limits';

const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const invalidAt = (offset: number) => ({ ok: false, error: `not valid UTF-8 text (invalid byte at offset ${offset})` });

describe('decodeTemplate', () => {
  it.each([
    ['ASCII up to 0x7f', [0x61, 0x7f]],
    ['the first and last 2-byte characters (U+0080, U+07FF)', [0xc2, 0x80, 0xdf, 0xbf]],
    ['the first and last 3-byte characters (U+0800, U+FFFF)', [0xe0, 0xa0, 0x80, 0xef, 0xbf, 0xbf]],
    ['around the surrogates (U+D7FF, U+E000)', [0xed, 0x9f, 0xbf, 0xee, 0x80, 0x80]],
    ['the first and last 4-byte characters (U+10000, U+10FFFF)', [0xf0, 0x90, 0x80, 0x80, 0xf4, 0x8f, 0xbf, 0xbf]],
  ])('reads %s', (_what, seq) => {
    const input = bytes('a: ', seq, '\n');
    expect(decodeTemplate(input)).toEqual({ ok: true, text: input.toString('utf8') });
  });

  it('reads every kind of character one after the other', () => {
    const text = 'Name: café € 😀 ߿ ࠀ\n';
    expect(decodeTemplate(Buffer.from(text, 'utf8'))).toEqual({ ok: true, text });
  });

  it.each([
    ['a lone continuation byte', [0x80], 3],
    ['a continuation byte first, followed by one more', [0xa5, 0x80], 3],
    ['a continuation byte first, followed by two more', [0x85, 0x80, 0x80], 3],
    ['a continuation byte first, followed by three more', [0x81, 0x80, 0x80, 0x80], 3],
    ['the overlong leads 0xc0 and 0xc1', [0xc1, 0xbf], 3],
    ['an overlong 3-byte form', [0xe0, 0x9f, 0xbf], 3],
    ['an overlong 4-byte form', [0xf0, 0x8f, 0xbf, 0xbf], 3],
    ['a surrogate (U+D800)', [0xed, 0xa0, 0x80], 3],
    ['the last surrogate (U+DFFF)', [0xed, 0xbf, 0xbf], 3],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 3],
    ['the leads 0xf5 to 0xff', [0xf5, 0x80, 0x80, 0x80], 3],
    ['0xf9, whose low bits would make a code point in range', [0xf9, 0x80, 0x80, 0x80], 3],
    ['0xff', [0xff], 3],
    ['a 2-byte lead followed by ASCII', [0xc3, 0x41], 3],
    ['a 3-byte lead whose third byte is not a continuation', [0xe2, 0x82, 0x41], 3],
    ['a 4-byte lead whose last byte is not a continuation', [0xf0, 0x9f, 0x98, 0x41], 3],
  ])('refuses %s, at its offset', (_what, seq, offset) => {
    expect(decodeTemplate(bytes('a: ', seq, '\n'))).toEqual(invalidAt(offset));
  });

  it.each([
    [[0xc3], 3],
    [[0xe2, 0x82], 3],
    [[0xf0, 0x9f, 0x98], 3],
  ])('refuses a sequence cut short by the end of the file (%j)', (seq, offset) => {
    expect(decodeTemplate(bytes('a: ', seq))).toEqual(invalidAt(offset));
  });

  it('refuses an invalid first byte, at offset 0', () => {
    expect(decodeTemplate(bytes([0xff], 'a: b'))).toEqual(invalidAt(0));
  });

  it('checks what follows each multi-byte character', () => {
    expect(decodeTemplate(bytes('é', [0xff]))).toEqual(invalidAt(2));
    expect(decodeTemplate(bytes('€', [0xff]))).toEqual(invalidAt(3));
    expect(decodeTemplate(bytes('😀', [0xff]))).toEqual(invalidAt(4));
  });

  it('refuses a NUL byte, even the first one, as binary', () => {
    expect(decodeTemplate(bytes([0], 'a: b'))).toEqual({ ok: false, error: 'binary file (NUL byte at offset 0), not a template' });
    expect(decodeTemplate(bytes('a: b', [0]))).toEqual({ ok: false, error: 'binary file (NUL byte at offset 4), not a template' });
  });

  it('drops a leading byte order mark only', () => {
    expect(decodeTemplate(bytes('\ufeffa: \ufeff'))).toEqual({ ok: true, text: 'a: \ufeff' });
  });

  it('takes a file of exactly the limit and refuses one byte more', () => {
    const full = Buffer.alloc(LIMITS.maxBytes, 0x61);
    const decoded = decodeTemplate(full);
    expect(decoded.ok && decoded.text.length).toBe(LIMITS.maxBytes);
    expect(decodeTemplate(Buffer.alloc(LIMITS.maxBytes + 1, 0x61))).toEqual({ ok: false, error: `file is ${LIMITS.maxBytes + 1} bytes, over the ${LIMITS.maxBytes}-byte limit` });
  });

  it('reads the bytes of a view into a larger buffer, and only those', () => {
    const whole = bytes([0xff], 'a: é', [0xff]);
    expect(decodeTemplate(whole.subarray(1, whole.length - 1))).toEqual({ ok: true, text: 'a: é' });
  });

  it('gives its reason as the template error', () => {
    expect(validateTemplate(bytes('Resources: ', [0xe2, 0x28, 0xa1]))).toEqual({ status: 'ERROR', error: { message: 'not valid UTF-8 text (invalid byte at offset 11)' }, resources: [] });
  });
});
