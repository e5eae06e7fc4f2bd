import { safeName } from '../policy/text';

/** 1-based line and column (in UTF-16 code units, as editors count). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Where each mapping and sequence of a parsed template came from, and where each of its entries
 * starts (the key of a mapping entry, the item of a sequence entry). Kept beside the plain values
 * so the policy core reads ordinary objects.
 */
export class SourceMap {
  private readonly nodes = new WeakMap<object, Position>();
  private readonly children = new WeakMap<object, Map<string, Position>>();

  set(node: object, position: Position): void {
    if (!this.nodes.has(node)) this.nodes.set(node, position);
  }

  setChild(node: object, key: string | number, position: Position): void {
    let entries = this.children.get(node);
    if (!entries) {
      entries = new Map();
      this.children.set(node, entries);
    }
    entries.set(String(key), position);
  }

  // (A WeakMap answers undefined for a value it never stored, primitives included.)

  /** Where a mapping or sequence starts. */
  of(node: unknown): Position | undefined {
    return this.nodes.get(node as object);
  }

  /** Where a mapping's key or a sequence's item starts. */
  child(node: unknown, key: string | number): Position | undefined {
    return this.children.get(node as object)?.get(String(key));
  }
}

/**
 * The text with each lone CR turned into LF. YAML (and CloudFormation's reader) take a lone CR as a
 * line break; the yaml package does not. Same length, so every offset stays as it was.
 */
export function withLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Where each line of the text starts (offsets), for positionAt; the text has gone through withLineFeeds. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line and column of a text offset, by binary search over lineStartsOf's answer. */
export function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/**
 * A duplicate key's message. Keys of a template's sections, logical ids and a resource's attributes
 * (mappings nested at most 2 deep) are named; deeper ones may be data (DockerLabels, log options) and
 * are left to the position.
 */
export function duplicateKeyMessage(name: string, depth: number): string {
  return depth <= 2 ? `duplicate mapping key '${safeName(name)}'` : 'duplicate mapping key';
}
