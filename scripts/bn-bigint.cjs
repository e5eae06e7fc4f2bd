// Stands in for bn.js in dist/decrypt.js (scripts/build.mjs). On the decryption path the Encryption SDK
// (@aws-crypto/serialize) asks bn.js for two things only: a frame's 64-bit content length written as 8
// big-endian bytes (the body's additional authenticated data), and a non-framed body's 64-bit length read
// back as a number. BigInt does both; the 47 KB library is then not compiled in the cold path. Anything
// else throws, as do the inputs bn.js refuses (a number past 53 bits, a value longer than its bytes).
'use strict';

class BN {
  constructor(value, base, endian) {
    if (typeof value === 'number' && base === undefined) {
      if (!Number.isSafeInteger(value) || value < 0) throw new Error('BN: a non-negative safe integer is expected');
      this.value = BigInt(value);
    } else if (Array.isArray(value) && endian === 'be') {
      this.value = value.reduce((n, byte) => {
        if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new Error('BN: bytes are expected');
        return (n << 8n) | BigInt(byte);
      }, 0n);
    } else {
      throw new Error('BN: only what the Encryption SDK decryption uses is available');
    }
  }

  toNumber() {
    if (this.value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('Number can only safely store up to 53 bits');
    return Number(this.value);
  }

  toArray(endian, length) {
    if (endian !== 'be' || !Number.isInteger(length) || length <= 0) throw new Error('BN: only big-endian arrays of a given length are available');
    const bytes = new Array(length).fill(0);
    let rest = this.value;
    for (let i = length - 1; i >= 0 && rest > 0n; i--) {
      bytes[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    if (rest > 0n) throw new Error('byte array longer than desired length');
    return bytes;
  }
}

module.exports = BN;
