/**
 * Glob matching for exemption patterns: `*` matches any run of characters (also none), `?` exactly one
 * UTF-16 unit; every other character is literal.
 *
 * Linear in the text: the pattern is split at its stars; the first piece must match at the start, the
 * last at the end, and each piece between is found at its leftmost place after the previous one (which
 * is enough for `*` globs). Each search is a bit-parallel Shift-And scan of the text, so a piece of m
 * characters costs ceil(m / 32) word operations per text character, and pieces scan disjoint stretches
 * of the text. No backtracking, so no pattern can make the hook's time explode.
 */

/**
 * Counts word operations, for tests that bound the work instead of timing it: one per pattern
 * character compiled (only when the pattern is not cached), one per literal character compared, and
 * one per word per text character a piece scans.
 */
export interface GlobWork {
  steps: number;
}

function matchesAt(piece: string, text: string, at: number): boolean {
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i);
    if (p !== 63 /* ? */ && p !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Shift-And masks of a piece: bit i of the mask of c is set where the piece has c or `?` at i. */
class Piece {
  readonly words: number;
  private readonly masks = new Map<number, Uint32Array>();
  private readonly any: Uint32Array;

  constructor(readonly text: string) {
    this.words = Math.ceil(text.length / 32);
    this.any = new Uint32Array(this.words);
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 63) this.any[i >>> 5]! |= 1 << (i & 31);
    }
    // A `?` gets a mask too: `any` with its own bits, which are already in `any`, so a `?` in the
    // text matches exactly where any other unlisted character does.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let mask = this.masks.get(c);
      if (!mask) {
        mask = Uint32Array.from(this.any);
        this.masks.set(c, mask);
      }
      mask[i >>> 5]! |= 1 << (i & 31);
    }
  }

  /** End (exclusive) of the leftmost occurrence in text[from, to), or -1. */
  find(text: string, from: number, to: number, work: GlobWork | undefined): number {
    const m = this.text.length;
    // Too little text left to hold the piece: nothing to scan.
    if (to - from < m) return -1;
    const last = m - 1;
    const state = new Uint32Array(this.words);
    for (let t = from; t < to; t++) {
      const mask = this.masks.get(text.charCodeAt(t)) ?? this.any;
      let carry = 1;
      for (let w = 0; w < this.words; w++) {
        const word = state[w]!;
        state[w] = ((word << 1) | carry) & mask[w]!;
        carry = word >>> 31;
      }
      if (work) work.steps += this.words;
      if ((state[last >>> 5]! >>> (last & 31)) & 1) return t + 1;
    }
    return -1;
  }
}

/** A pattern without stars matches only itself (`?` aside); one with stars, by its pieces. */
type Compiled =
  | { readonly exact: string }
  | { readonly first: string; readonly middle: readonly Piece[]; readonly last: string };

function compile(pattern: string): Compiled {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return { exact: pattern };
  return {
    first: pieces[0]!,
    middle: pieces.slice(1, -1).filter((p) => p.length > 0).map((p) => new Piece(p)),
    last: pieces[pieces.length - 1]!,
  };
}

/**
 * Compiled patterns, reused across containers and invocations (a configuration's patterns recur).
 * Bounded: at most as many entries as two full pattern lists, cleared when full.
 */
const cache = new Map<string, Compiled>();
export const GLOB_CACHE_LIMIT = 256;

function compiled(pattern: string, work: GlobWork | undefined): Compiled {
  let c = cache.get(pattern);
  if (!c) {
    if (cache.size >= GLOB_CACHE_LIMIT) cache.clear();
    if (work) work.steps += pattern.length;
    c = compile(pattern);
    cache.set(pattern, c);
  }
  return c;
}

export function globMatch(pattern: string, text: string, work?: GlobWork): boolean {
  const c = compiled(pattern, work);
  if ('exact' in c) {
    if (work) work.steps += text.length;
    return c.exact.length === text.length && matchesAt(c.exact, text, 0);
  }
  const { first, middle, last } = c;
  const end = text.length - last.length;
  if (work) work.steps += first.length + last.length;
  if (first.length > end || !matchesAt(first, text, 0) || !matchesAt(last, text, end)) return false;
  let at = first.length;
  for (const piece of middle) {
    at = piece.find(text, at, end, work);
    if (at === -1) return false;
  }
  return true;
}
