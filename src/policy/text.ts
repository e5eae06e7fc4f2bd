/** Code points that could forge a line, reorder text or hide in a message: escaped, never printed raw. */
function unsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0xad ||
    code === 0x61c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff ||
    (code >= 0xfff9 && code <= 0xfffb) ||
    (code >= 0xd800 && code <= 0xdfff) // only lone surrogates reach here
  );
}

function escapeChar(ch: string): string {
  if (ch === '\\') return '\\\\';
  if (ch === "'") return "\\'";
  if (ch.length === 1 && unsafe(ch.charCodeAt(0))) return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return ch;
}

/**
 * A name as it may appear in a message: unsafe characters escaped, at most `max` characters, an
 * ellipsis where cut. Runs in time linear in the output, whatever the input's length.
 */
export function safeName(name: string, max = 64): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const code = name.charCodeAt(i);
    // Keep surrogate pairs whole; a lone surrogate is escaped by escapeChar.
    const width = code >= 0xd800 && code <= 0xdbff && (name.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    const piece = escapeChar(name.slice(i, i + width));
    if (out.length + piece.length > max - 1 && i + width < name.length) return `${out}…`;
    if (out.length + piece.length > max) return `${out}…`;
    out += piece;
    i += width;
  }
  return out;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
