/**
 * Positions for a JSON template read with JSON.parse (native, many times faster than a YAML parser
 * reading the same text): one scan of the text records where each object, array, key and item
 * starts, by path; the parsed values are mapped to their paths on first use. The scan also refuses
 * what JSON.parse lets through but a template must not have: duplicate keys, absurd nesting.
 */
import { LIMITS } from './limits';
import { duplicateKeyMessage, lineStartsOf, type Position, positionAt, SourceMap } from './source-map';

const SEP = '\u0000';

export class JsonScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Frame {
  readonly kind: 0x7b | 0x5b; // { or [
  readonly path: string;
  index: number;
  key: string | undefined;
  readonly keys: Set<string> | undefined;
}

/** Offsets by path: `nodes` where each object or array starts, `children` where each key or item starts. */
function scan(text: string): { nodes: Map<string, number>; children: Map<string, number> } {
  const nodes = new Map<string, number>();
  const children = new Map<string, number>();
  const stack: Frame[] = [];
  let expectKey = false;
  const childPath = (top: Frame): string => `${top.path}${SEP}${top.kind === 0x7b ? top.key! : String(top.index)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x3a) continue; // space , :
    const top = stack[stack.length - 1];
    if (c === 0x22) {
      // A string: a key or a value.
      let j = i + 1;
      let escaped = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j++;
        } else if (d === 0x22) break;
      }
      if (top && top.kind === 0x7b && expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys!.has(key)) throw new JsonScanError(duplicateKeyMessage(key, stack.length - 1), i);
        top.keys!.add(key);
        top.key = key;
        children.set(childPath(top), i);
        expectKey = false;
      } else if (top) {
        if (top.kind === 0x5b) children.set(childPath(top), i);
        if (top.kind === 0x5b) top.index++;
        else expectKey = true;
      }
      i = j;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const path = top ? childPath(top) : '';
      if (top?.kind === 0x5b) {
        children.set(path, i);
        top.index++;
      }
      if (stack.length >= LIMITS.maxDepth) throw new JsonScanError(`nesting deeper than ${LIMITS.maxDepth} levels`, i);
      nodes.set(path, i);
      stack.push({ kind: c, path, index: 0, key: undefined, keys: c === 0x7b ? new Set() : undefined });
      expectKey = c === 0x7b;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      stack.pop();
      const parent = stack[stack.length - 1];
      expectKey = parent?.kind === 0x7b;
      continue;
    }
    // A number, true, false or null: skip to its end.
    if (top?.kind === 0x5b) {
      children.set(childPath(top), i);
      top.index++;
    } else expectKey = true;
    while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1]!)) i++;
  }
  return { nodes, children };
}

export class JsonSourceMap extends SourceMap {
  private readonly paths = new WeakMap<object, string>();
  private readonly nodeOffsets: Map<string, number>;
  private readonly childOffsets: Map<string, number>;
  private lineStarts: number[] | undefined;

  /** Throws JsonScanError for a duplicate key or nesting deeper than the limit. */
  constructor(
    private readonly text: string,
    root: unknown,
  ) {
    super();
    const { nodes, children } = scan(text);
    this.nodeOffsets = nodes;
    this.childOffsets = children;
    this.assign(root, '');
  }

  /** Recursion as deep as the scan let the text nest (it refuses deeper). */
  private assign(value: unknown, path: string): void {
    if (typeof value !== 'object' || value === null) return;
    this.paths.set(value, path);
    // An array's entries are its indexes, as String writes them: the scan's item paths.
    for (const [k, v] of Object.entries(value)) this.assign(v, `${path}${SEP}${k}`);
  }

  position(offset: number): Position {
    return positionAt((this.lineStarts ??= lineStartsOf(this.text)), offset);
  }

  // (WeakMap and Map lookups answer undefined for a value they never stored, primitives included.)
  override of(node: unknown): Position | undefined {
    const known = super.of(node);
    if (known) return known;
    const offset = this.nodeOffsets.get(this.paths.get(node as object)!);
    return offset === undefined ? undefined : this.position(offset);
  }

  override child(node: unknown, key: string | number): Position | undefined {
    const known = super.child(node, key);
    if (known) return known;
    // A node without a path looks up 'undefined…', which no path is (each is '' or starts with SEP).
    const offset = this.childOffsets.get(`${this.paths.get(node as object)}${SEP}${String(key)}`);
    return offset === undefined ? undefined : this.position(offset);
  }
}
