/**
 * The fast way to read a YAML template: js-yaml (about seven times faster than the yaml package on
 * real templates), with positions from its node listener. Used only when it can only give the same
 * answer as the full reader (src/template/parse.ts, on the yaml package): text without anchors or
 * aliases, which js-yaml reads without complaint, and whose every mapping and sequence the listener
 * accounts for. Anything else returns undefined and the full reader runs, with its limits, its
 * checks and the yaml parser's own words for errors.
 */
import { CORE_SCHEMA, load, Type, type State } from 'js-yaml';
import { LIMITS } from './limits';
import { type Position, SourceMap } from './source-map';
import { FN_SHORT_FORMS } from './tags';

function longName(short: string): string {
  return short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const TAG_TYPES = ['Ref', 'Condition', ...FN_SHORT_FORMS].flatMap((short) => {
  const name = longName(short);
  return (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) =>
      new Type(`!${short}`, {
        kind,
        construct: (data: unknown) => {
          const out: Record<string, unknown> = {};
          // `!GetAtt Resource.Attribute`: the logical id ends at the first dot (as src/template/tags.ts).
          if (short === 'GetAtt' && kind === 'scalar' && typeof data === 'string') {
            const dot = data.indexOf('.');
            put(out, name, dot < 0 ? [data] : [data.slice(0, dot), data.slice(dot + 1)]);
          } else put(out, name, kind === 'scalar' && (data === null || data === undefined) ? '' : data);
          return out;
        },
      }),
  );
});

const SCHEMA = CORE_SCHEMA.extend(TAG_TYPES);

/**
 * Whether every mapping and sequence of the value is its own object. js-yaml returns an alias as the
 * very object it refers to; the full reader expands aliases within its limits (alias bombs), so a
 * document that uses one is left to it.
 */
function unshared(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (seen.has(v)) return false;
    seen.add(v);
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push(child);
  }
  return true;
}

class Unaccounted extends Error {}

interface Frame {
  readonly start: number;
  readonly children: { value: unknown; at: number }[];
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/** The same node reported twice: the same keys (or length) and the same values. */
function sameNode(a: object, b: object): boolean {
  if (a === b) return true;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => {
    if (k !== kb[i]) return false;
    const va = (a as Record<string, unknown>)[k];
    const vb = (b as Record<string, unknown>)[k];
    return va === vb || (!isObject(va) && !isObject(vb) && String(va) === String(vb)) || (Array.isArray(va) && Array.isArray(vb) && va.length === vb.length && va.every((x, j) => x === vb[j]));
  });
}

/** The template's values and positions, or undefined when the full reader must decide. */
export function readYamlFast(text: string): { root: unknown; sourceMap: SourceMap } | undefined {
  // Cheap first: text without `*` can hold no alias.
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  /** The listener opens a node before the spaces, line breaks and comments that precede it. */
  const contentStart = (offset: number): number => {
    let i = offset;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else if (c === 0x23) {
        const eol = text.indexOf('\n', i);
        if (eol < 0) return text.length;
        i = eol + 1;
      } else return i;
    }
  };
  /** Where a node's value starts: after its short-form tag, if any. */
  const afterTag = (offset: number): number => {
    if (text[offset] !== '!') return offset;
    let i = offset;
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    return contentStart(i);
  };
  const map = new SourceMap();
  const stack: Frame[] = [];
  /** What the listener reported under each object, for a node reported twice as two objects. */
  const reported = new WeakMap<object, { at: number; children: Frame['children'] }>();
  const listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') {
      // Deep nesting is the full reader's to refuse, with its message.
      if (stack.length > LIMITS.maxDepth) throw new Unaccounted();
      stack.push({ start: state.position, children: [] });
      return;
    }
    const frame = stack.pop();
    if (!frame) throw new Unaccounted();
    let at = contentStart(frame.start);
    const result = (state as State & { result: unknown }).result;
    stack[stack.length - 1]?.children.push({ value: result, at });
    if (!isObject(result)) return;
    let children = frame.children;
    // The listener can report one node twice, nested (a tagged node's raw and constructed value):
    // the inner report holds the parts.
    const only = children.length === 1 ? children[0]!.value : undefined;
    if (isObject(only) && sameNode(only, result)) {
      if (only === result) return;
      const inner = reported.get(only);
      if (inner) ({ at, children } = inner);
    }
    reported.set(result, { at, children });
    const pos = position(at);
    map.set(result, pos);
    let target: unknown = result;
    const keys = Object.keys(result);
    // A short-form tag: on a collection, the listener reports the collection's items under the tag.
    if (!Array.isArray(result) && keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0]!.startsWith('Fn::'))) {
      const inner = (result as Record<string, unknown>)[keys[0]!];
      const longForm = children.length === 2 && children[0]!.value === keys[0];
      if (!longForm) {
        // As the full reader: a tagged node is where its value starts, after the tag.
        const valueAt = position(afterTag(at));
        reported.set(result, { at: afterTag(at), children });
        map.override(result, valueAt);
        if (isObject(inner) && children.length > 0) {
          target = inner;
          map.set(inner, valueAt);
        } else {
          // A tag on a scalar (or an empty collection): its parts are where its value is.
          map.setChild(result, keys[0]!, valueAt);
          if (isObject(inner)) map.set(inner, valueAt);
          return;
        }
      }
    }
    if (Array.isArray(target)) {
      if (children.length !== target.length) throw new Unaccounted();
      children.forEach((c, i) => map.setChild(target as object, i, position(afterTag(c.at))));
    } else {
      const n = Object.keys(target as object).length;
      if (children.length !== 2 * n) throw new Unaccounted();
      for (let i = 0; i < children.length; i += 2) {
        const key = children[i]!;
        map.setChild(target as object, key.value === null ? 'null' : String(key.value), position(key.at));
      }
    }
  };
  try {
    const root = load(text, { schema: SCHEMA, listener, json: false });
    if (stack.length !== 0 || (text.includes('*') && !unshared(root))) return undefined;
    return { root: root === undefined ? null : root, sourceMap: map };
  } catch {
    return undefined;
  }
}
