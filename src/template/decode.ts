import { LIMITS } from './limits';

export type Decoded = { ok: true; text: string } | { ok: false; error: string };

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      // Past the end (a sequence cut short) reads as 0, not a continuation byte.
      const c = bytes[i + k] ?? 0;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Turns a file's bytes into template text, or says why it is not one: too large, binary (a NUL
 * byte), or not UTF-8 (CloudFormation reads templates as UTF-8). A leading byte order mark is dropped.
 */
export function decodeTemplate(bytes: Uint8Array): Decoded {
  if (bytes.length > LIMITS.maxBytes) {
    return { ok: false, error: `file is ${bytes.length} bytes, over the ${LIMITS.maxBytes}-byte limit` };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, error: `binary file (NUL byte at offset ${nul}), not a template` };
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) return { ok: false, error: `not valid UTF-8 text (invalid byte at offset ${bad})` };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
