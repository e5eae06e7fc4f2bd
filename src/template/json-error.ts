/**
 * Finds where JSON text stops being JSON, with a short description. Used only once JSON.parse has
 * refused the text: V8's messages sometimes omit the position and sometimes quote the input, which
 * must not be printed (it may hold property values).
 *
 * Why not the `yaml` parser's error positions (yaml 2.9.1, 67 malformed inputs compared): YAML's flow
 * syntax is laxer than JSON, so yaml finds no error at all in 44 of them (22 with schema 'json'), and
 * where it does it sometimes points elsewhere. Where JSON.parse fails vs what yaml reports:
 *
 *   input                          JSON.parse / here     yaml (core)           yaml (schema 'json')
 *   {"a": 1,}  [1,]                after the comma       no error              no error
 *   {'a': 1}  ["a<TAB>"]  {1: 2}   the quote/char/key    no error              no error
 *   ["\x41"]  BOM  empty file      the escape/BOM/end    no error              no error
 *   {"a"}  {"a": 1}\n...           the } / the ...       no error              no error
 *   {a: 1}  [NaN]  [tru]  [.5]     its first character   no error              same place
 *   [01]  [0x1F]  [1e]             the bad character     no error              number start
 *   {"a": 1 // c}  {"a": 1 # c}    the comment           no error              the 1 / no error
 *   [1 2]  {"a": 1 "b": 2}         the second value      no error / the 1      the 1
 *   {"a": 1\n "b": 2} (2 lines)    "b" on line 2         end of line 1         end of line 1
 *   {"a": "open                    the opening quote     end of input          end of input
 *   missing : ] }, extra value, bad \q or \u escape: the same place in all three.
 *
 * Here vs V8 (where its message has a position): the same, except that a bad escape, number or
 * unterminated string is pointed at its first character rather than at the character inside.
 */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string, at = i): JsonSyntaxError => ({ offset: Math.min(at, text.length), message });
  const ws = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const str = (): JsonSyntaxError | undefined => {
    const start = i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return fail('control character in string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('bad \\u escape in string');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return fail('bad escape in string');
        i += 2;
        continue;
      }
      i++;
    }
    return fail('unterminated string', start);
  };
  const num = (): JsonSyntaxError | undefined => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    // (A match has at least one digit: the integer part is not optional.)
    if (!m) return fail('invalid number');
    i += m[0].length;
    return undefined;
  };
  /** A property name and its colon; `missing` says what was expected when no name is there. */
  const key = (missing: string): JsonSyntaxError | undefined => {
    if (text[i] !== '"') return fail(missing);
    const e = str();
    if (e) return e;
    ws();
    if (text[i] !== ':') return fail("expected ':' after property name");
    i++;
    return undefined;
  };
  // Explicit stack: no recursion, whatever the nesting.
  const stack: ('{' | '[')[] = [];
  let expectValue = true;
  ws();
  for (;;) {
    if (expectValue) {
      ws();
      const ch = text[i];
      if (ch === undefined) return fail('unexpected end of input');
      if (ch === '{' || ch === '[') {
        stack.push(ch);
        i++;
        ws();
        const close = ch === '{' ? '}' : ']';
        if (text[i] === close) {
          stack.pop();
          i++;
          expectValue = false;
        } else if (ch === '{') {
          const e = key("expected a property name in double quotes or '}'");
          if (e) return e;
        }
        continue;
      }
      let e: JsonSyntaxError | undefined;
      if (ch === '"') e = str();
      else if (ch === '-' || (ch >= '0' && ch <= '9')) e = num();
      else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else return fail('unexpected character');
      if (e) return e;
      expectValue = false;
      continue;
    }
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) return i < text.length ? fail('unexpected text after the JSON document') : undefined;
    const ch = text[i];
    if (ch === ',') {
      i++;
      ws();
      if (top === '{') {
        const e = key('expected a property name in double quotes');
        if (e) return e;
      }
      expectValue = true;
    } else if ((top === '{' && ch === '}') || (top === '[' && ch === ']')) {
      stack.pop();
      i++;
    } else if (ch === undefined) {
      return fail('unexpected end of input');
    } else {
      return fail(top === '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
}
