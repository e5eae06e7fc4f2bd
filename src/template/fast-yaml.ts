/**
 * The fast way to read a YAML template: js-yaml (about seven times faster than the yaml package on
 * real templates), with positions from its node listener. Used only when it can only give the same
 * answer as the full reader (src/template/parse.ts, on the yaml package): text without anchors (so
 * without aliases), explicit tags (`!!map`, `!<...>`) or directives, whose flow collections and
 * quoted texts each fit on one line, which js-yaml reads without complaint, and whose every mapping
 * and sequence the listener accounts for. Anything else returns undefined and the full reader runs,
 * with its limits, its checks and the yaml parser's own words for errors.
 */
import { CORE_SCHEMA, load, type LoadOptions, Type, type State } from 'js-yaml';
import { LIMITS } from './limits';
import { lineStartsOf, type Position, positionAt, SourceMap } from './source-map';
import { FN_SHORT_FORMS, longName, scalarValue, YAML11_BOOLEAN, yaml11Boolean } from './tags';

const TAG_TYPES = ['Ref', 'Condition', ...FN_SHORT_FORMS].flatMap((short) => {
  const name = longName(short);
  // Only a scalar comes as a string; an empty node comes as null (see the listener).
  return (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) => new Type(`!${short}`, { kind, construct: (data: unknown) => ({ [name]: typeof data === 'string' ? scalarValue(name, data) : data }) }),
  );
});

// Replaces the core schema's boolean (js-yaml keeps one implicit type per tag), as the full reader does.
const BOOLEAN = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  // An empty scalar comes as null: String(null) is no boolean.
  resolve: (data: string | null) => YAML11_BOOLEAN.test(String(data)),
  construct: yaml11Boolean,
});

const SCHEMA = CORE_SCHEMA.extend({ implicit: [BOOLEAN], explicit: TAG_TYPES });

/**
 * Text left to the full reader before reading it: an explicit tag (js-yaml places a tagged node at
 * its tag, the full reader at its value), a directive (`%TAG` can make any tag one), a tab in a
 * line's indentation or among the block indicators (`- `, `? `, `: `) that open it (the full
 * reader refuses a tab in indentation, and after a dash before a tag: `-\t!Ref x`, `: -\t!Ref x`;
 * js-yaml takes both), or what may be a merge key (`<<:`, which the full reader merges).
 */
const FULL_READER_TEXT = /(?:^|[\s[{,])![!<]|^%|^[ ?:-]*\t|<<[ \t]*:/m;

class Unaccounted extends Error {}

/**
 * What the listener closed under a node, as flat pairs: each child's value and where it starts in
 * the text (before the spaces and comments that precede it). Pairs in one array rather than an
 * object per child: a template has hundreds of thousands of nodes.
 */
type Kids = unknown[];

const NONE: Kids = [];

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

// js-yaml builds plain objects, so for-in sees their own keys only (a key added to Object.prototype
// would only make the counts disagree with the listener's, and the full reader decide).

/** A mapping's keys counted without the array Object.keys would allocate (once per mapping adds up). */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** A mapping's key when it has exactly one, else undefined. */
function soleKey(o: object): string | undefined {
  let only: string | undefined;
  for (const k in o) {
    if (only !== undefined) return undefined;
    only = k;
  }
  return only;
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
    return va === vb || (Array.isArray(va) && Array.isArray(vb) && va.length === vb.length && va.every((x, j) => x === vb[j]));
  });
}

/**
 * The fast reader's positions: text offsets in flat arrays, one entry per mapping and sequence,
 * turned into a line and column only when asked for. A position object per node and a map per
 * mapping made the garbage collector's work grow faster than the template (every major collection
 * walks what a large template keeps alive).
 */
class OffsetSourceMap extends SourceMap {
  private readonly entries = new Map<object, number>();
  /** Per entry: where the node starts, and its children's range in childAt/childKey. */
  private readonly nodeAt: number[] = [];
  private readonly first: number[] = [];
  private readonly count: number[] = [];
  private readonly childAt: number[] = [];
  /** A mapping entry's key; undefined for a sequence item (its index is its place). */
  private readonly childKey: (string | undefined)[] = [];
  /** Each looked-up node's children by name, built on its first look-up. */
  private readonly index = new Map<object, Map<string, number>>();
  private lineStarts: number[] | undefined;
  /** The entry whose children addChild records (set by beginChildren before any addChild). */
  private adding = 0;

  constructor(private readonly text: string) {
    super();
  }

  /**
   * Where a node starts; the first thing recorded of any node. A node set again (a tagged node, once
   * its value's place is known) gets a fresh entry: its children are recorded after that.
   */
  setAt(node: object, offset: number): void {
    this.entries.set(node, this.nodeAt.length);
    this.nodeAt.push(offset);
    // No children until beginChildren gives them a range.
    this.first.push(0);
    this.count.push(0);
  }

  /**
   * Starts recording a node's children (addChild), in place of any recorded before: only an alias
   * reports a node twice, and a document with an anchor is left to the full reader.
   */
  beginChildren(node: object): void {
    const e = this.entries.get(node)!;
    this.first[e] = this.childAt.length;
    this.count[e] = 0;
    this.adding = e;
  }

  /** A child of the node given to beginChildren: a mapping's key, or a sequence's item (key undefined). */
  addChild(key: string | undefined, offset: number): void {
    this.childAt.push(offset);
    this.childKey.push(key);
    this.count[this.adding]!++;
  }

  position(offset: number): Position {
    return positionAt((this.lineStarts ??= lineStartsOf(this.text)), offset);
  }

  override of(node: unknown): Position | undefined {
    const e = this.entries.get(node as object);
    return e === undefined ? super.of(node) : this.position(this.nodeAt[e]!);
  }

  override child(node: unknown, key: string | number): Position | undefined {
    const known = super.child(node, key);
    if (known || !isObject(node)) return known;
    const e = this.entries.get(node);
    if (e === undefined) return undefined;
    const found = this.find(node, e, String(key));
    return found < 0 ? undefined : this.position(this.childAt[found]!);
  }

  /** The index in childAt of a node's child named `name` (a key, or a sequence index as String writes it), or -1. */
  private find(node: object, e: number, name: string): number {
    let byName = this.index.get(node);
    if (!byName) {
      byName = new Map();
      const first = this.first[e]!;
      for (let i = 0; i < this.count[e]!; i++) byName.set(this.childKey[first + i] ?? String(i), first + i);
      this.index.set(node, byName);
    }
    return byName.get(name) ?? -1;
  }
}

/**
 * Whether the lines of a flow collection or quoted text (from `at` to `end`, over several lines) are
 * indented as the full reader requires and js-yaml does not check: past the block they are in (the
 * yaml lexer's next indent), counted in spaces; a closing bracket that ends the collection may stand
 * one space less. The bound is the lexer's, worked out from the first line, or more, never less:
 * what passes here passes there.
 */
function indentedPastBlock(text: string, at: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let p = lineStart;
  while (text.charCodeAt(p) === 0x20) p++;
  // The lexer's indent of the line so far, and (at most) the next indent it requires.
  let value = p - lineStart;
  let next = value;
  // Each block indicator (`- `, `? `, `: `) requires the next lines past itself. (Never a tab
  // among them: such a line leaves the text to the full reader, FULL_READER_TEXT.)
  for (;;) {
    const c = text.charCodeAt(p);
    if ((c !== 0x2d && c !== 0x3f && c !== 0x3a) || text.charCodeAt(p + 1) !== 0x20) break;
    next = value + 1;
    let q = p + 1;
    while (text.charCodeAt(q) === 0x20) q++;
    value += q - p;
    p = q;
  }
  // A key (or a tag) before the node: the key's colon requires the next lines past the key.
  if (p < at) next = value + 1;
  // At least one space: a line at the margin may end the document.
  const bound = Math.max(next, 1);
  for (let eol = text.indexOf('\n', at); eol !== -1 && eol < end; eol = text.indexOf('\n', eol + 1)) {
    let q = eol + 1;
    while (text.charCodeAt(q) === 0x20) q++;
    const c = text.charCodeAt(q);
    // Lines of spaces only count for nothing.
    if (c === 0x0a || c === 0x0d) continue;
    const indent = q - eol - 1;
    if (indent >= bound) continue;
    if (indent === bound - 1 && q === end - 1 && (c === 0x5d || c === 0x7d)) continue;
    return false;
  }
  return true;
}

/** The template's values and positions, or undefined when the full reader must decide. */
export function readYamlFast(text: string): { root: unknown; sourceMap: SourceMap } | undefined {
  if (FULL_READER_TEXT.test(text)) return undefined;
  /** The listener opens a node before the spaces, line breaks and comments that precede it. */
  const contentStart = (offset: number): number => {
    let i = offset;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else if (c === 0x23) {
        const eol = text.indexOf('\n', i);
        if (eol === -1) return text.length;
        i = eol + 1;
      } else return i;
    }
  };
  /** Where a node's value starts: after its short-form tag, if any. */
  const afterTag = (offset: number): number => {
    if (text.charCodeAt(offset) !== 0x21) return offset;
    let i = offset;
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    return contentStart(i);
  };
  /** Flow collections and quoted texts over several lines, as start and end offsets, inner ones first. */
  const multiLine: number[] = [];
  const noteLines = (kind: string, start: number, end: number): void => {
    const at = afterTag(contentStart(start));
    const c = text.charCodeAt(at);
    if (kind === 'scalar' ? c !== 0x22 && c !== 0x27 : c !== 0x5b && c !== 0x7b) return;
    const eol = text.indexOf('\n', at);
    if (eol !== -1 && eol < end) multiLine.push(at, end);
  };
  const map = new OffsetSourceMap(text);
  // The open nodes: where each starts, what closed under it so far (allocated on the first), and,
  // while it has one child only, what was reported under that child (an outer report of the same
  // node reuses it): where that child's parts start and its own children.
  const starts: number[] = [];
  const under: (Kids | undefined)[] = [];
  const firstAt: number[] = [];
  const firstKids: (Kids | undefined)[] = [];
  /** Hands a closed node to its parent, with what was reported under it. */
  const report = (value: unknown, start: number, reportedAt: number, reported: Kids | undefined): void => {
    const top = under.length - 1;
    if (top < 0) return;
    const list = under[top];
    if (!list) {
      under[top] = [value, start];
      firstAt[top] = reportedAt;
      firstKids[top] = reported;
      return;
    }
    list.push(value, start);
    // Kept only while the parent has one child: kept longer, it would hold the whole template's.
    firstKids[top] = undefined;
  };
  const listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') {
      starts.push(state.position);
      under.push(undefined);
      firstAt.push(0); // read only once a child set it
      firstKids.push(undefined);
      return;
    }
    if (starts.length === 0) throw new Unaccounted();
    const start = starts.pop()!;
    let children: Kids = under.pop() ?? NONE;
    const onlyAt = firstAt.pop()!;
    const onlyKids = firstKids.pop();
    const { result, anchor, kind } = state as State & { result: unknown; anchor: string | null };
    // js-yaml places an anchored node at its anchor, the full reader at its value; and without
    // anchors there are no aliases (js-yaml returns an alias as the very object it names).
    if (anchor !== null) throw new Unaccounted();
    noteLines(kind, start, state.position);
    if (!isObject(result)) {
      // Where a scalar's parts are is never asked: only a mapping or sequence is a node's sole object child.
      report(result, start, 0, undefined);
      return;
    }
    let at = contentStart(start);
    // The listener can report one node twice, nested (a tagged node's raw and constructed value):
    // the inner report holds the parts.
    const only = children.length === 2 ? children[0] : undefined;
    if (isObject(only) && sameNode(only, result)) {
      if (only === result) {
        report(result, start, onlyAt, onlyKids);
        return;
      }
      at = onlyAt;
      children = onlyKids ?? children;
    }
    let reportedAt = at;
    map.setAt(result, at);
    let target: object = result;
    const key = Array.isArray(result) ? undefined : soleKey(result);
    // A short-form tag: on a collection, the listener reports the collection's items under the tag.
    if (key !== undefined && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))) {
      const inner = (result as Record<string, unknown>)[key];
      // Written out (`Ref: x`): its first child is its key; a tag's is its raw value, if any.
      const longForm = children[0] === key;
      if (!longForm) {
        // An empty tagged node (`a: !Ref`): null to js-yaml, '' to the full reader, which places it
        // after the tag by rules of its own: left to it.
        if (inner === null) throw new Unaccounted();
        // As the full reader: a tagged node, and its tag's key, are where its value starts, after the tag.
        const valueAt = afterTag(at);
        reportedAt = valueAt;
        map.setAt(result, valueAt);
        map.beginChildren(result);
        map.addChild(key, valueAt);
        if (isObject(inner) && children.length > 0) {
          target = inner;
          map.setAt(inner, valueAt);
        } else {
          // A tag on a scalar (or an empty collection): its parts are where its value is.
          if (isObject(inner)) map.setAt(inner, valueAt);
          if (Array.isArray(inner)) {
            // `!GetAtt A.B`: each part too.
            map.beginChildren(inner);
            for (let i = 0; i < inner.length; i++) map.addChild(undefined, valueAt);
          }
          report(result, start, reportedAt, children);
          return;
        }
      }
    }
    if (Array.isArray(target)) {
      if (children.length !== 2 * target.length) throw new Unaccounted();
      map.beginChildren(target);
      for (let i = 0; i < children.length; i += 2) map.addChild(undefined, afterTag(contentStart(children[i + 1] as number)));
    } else {
      if (children.length !== 4 * keyCount(target)) throw new Unaccounted();
      map.beginChildren(target);
      for (let i = 0; i < children.length; i += 4) {
        const name = children[i];
        // A null key (`null:`, `~:`) is '' to the yaml package and 'null' to js-yaml, a collection as a
        // key (`[a]: 1`) a string to js-yaml and an error to the full reader: it decides.
        if (typeof name === 'object') throw new Unaccounted(); // null too
        map.addChild(String(name), contentStart(children[i + 1] as number));
      }
    }
    report(result, start, reportedAt, children);
  };
  try {
    // Deep nesting is the full reader's to refuse, with its message: js-yaml 4.3 refuses nesting as
    // deep as its maxDepth (not in @types/js-yaml), so the fast reader stops one level short of it.
    const root = load(text, { schema: SCHEMA, listener, maxDepth: LIMITS.maxDepth } as LoadOptions);
    // The outermost of each nest decides: its lines include its inner ones'.
    let outerStart = -1;
    let outerEnd = -1;
    for (let i = multiLine.length - 2; i >= 0; i -= 2) {
      const at = multiLine[i]!;
      const end = multiLine[i + 1]!;
      if (at >= outerStart && end <= outerEnd) continue;
      if (!indentedPastBlock(text, at, end)) return undefined;
      outerStart = at;
      outerEnd = end;
    }
    return { root: root === undefined ? null : root, sourceMap: map };
  } catch {
    // js-yaml's refusal, or Unaccounted.
  }
  return undefined;
}
