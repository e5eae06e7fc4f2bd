/**
 * The BigInt stand-in for bn.js that dist/decrypt.js is built with (scripts/bn-bigint.cjs): for what the
 * Encryption SDK's serializer asks of it (64-bit lengths to 8 big-endian bytes, and 8 bytes back to a
 * number), the same results and the same refusals as bn.js itself, the Encryption SDK's own dependency.
 */
import fc from 'fast-check';
import { join } from 'node:path';

interface BigNumber {
  toArray(endian: 'be', length: number): number[];
  toNumber(): number;
}
type BigNumberClass = new (value: number | number[], base?: number, endian?: 'be') => BigNumber;
/* eslint-disable @typescript-eslint/no-require-imports */
const StandIn = require(join(__dirname, '..', '..', 'scripts', 'bn-bigint.cjs')) as BigNumberClass;
// bn.js as installed for @aws-crypto/serialize (the package the stand-in replaces it for).
const Original = require(require.resolve('bn.js', { paths: [require.resolve('@aws-crypto/serialize')] })) as BigNumberClass;
/* eslint-enable @typescript-eslint/no-require-imports */

function outcome(run: () => unknown): { value: unknown } | { threw: true } {
  try {
    return { value: run() };
  } catch {
    return { threw: true };
  }
}

it('writes a length as bn.js does: 8 big-endian bytes', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.maxSafeNat()), (n) => {
      expect(new StandIn(n).toArray('be', 8)).toEqual(new Original(n).toArray('be', 8));
    }),
  );
  expect(new StandIn(0).toArray('be', 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  expect(new StandIn(Number.MAX_SAFE_INTEGER).toArray('be', 8)).toEqual([0, 0x1f, 255, 255, 255, 255, 255, 255]);
});

it('reads 8 big-endian bytes as bn.js does, refusing what needs more than 53 bits', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 7 }), (bytes, zeros) => {
      // Leading zero bytes make small lengths, the ones a message really carries, as likely as large ones.
      const value = bytes.map((b, i) => (i < zeros ? 0 : b));
      const expected = outcome(() => new Original(value, 16, 'be').toNumber());
      expect(outcome(() => new StandIn(value, 16, 'be').toNumber())).toEqual(expected);
    }),
  );
  expect(new StandIn([0, 0x1f, 255, 255, 255, 255, 255, 255], 16, 'be').toNumber()).toBe(Number.MAX_SAFE_INTEGER);
  expect(() => new StandIn([0, 0x20, 0, 0, 0, 0, 0, 0], 16, 'be').toNumber()).toThrow('53 bits');
});

it('refuses a value longer than the bytes asked for, and anything the serializer never asks', () => {
  expect(() => new StandIn(2 ** 40).toArray('be', 4)).toThrow('longer than desired');
  expect(() => new Original(2 ** 40).toArray('be', 4)).toThrow();
  expect(() => new StandIn(-1)).toThrow();
  expect(() => new StandIn(1.5)).toThrow();
  expect(() => new StandIn('10' as never)).toThrow();
  expect(() => new StandIn([1, 2], 16, 'le' as never)).toThrow();
  expect(() => new StandIn([256], 16, 'be')).toThrow();
});
