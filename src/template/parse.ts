/**
 * Reads a CloudFormation template (YAML with short-form tags, or JSON) into plain values plus a
 * SourceMap. Never throws: every problem becomes a ParseFailure with, for YAML, the parser's own words
 * (cut where they would quote the input, which may hold secrets) and, where known, a position.
 */
import { isAlias, isMap, isScalar, LineCounter, parseDocument, Scalar, visit, type Alias, type Document, type Node, type YAMLError } from 'yaml';
import { locateJsonError } from './json-error';
import { readYamlFast } from './fast-yaml';
import { JsonScanError, JsonSourceMap } from './json-source-map';
import { LIMITS, MAX_RAW_BRACKET_DEPTH } from './limits';
import { duplicateKeyMessage, lineStartsOf, type Position, positionAt, SourceMap, withLineFeeds } from './source-map';
import { CLOUDFORMATION_TAGS } from './tags';
import { safeName } from '../policy/text';

export type TemplateFormat = 'json' | 'yaml';

export interface ParsedTemplate {
  readonly ok: true;
  readonly format: TemplateFormat;
  /** The document as plain values, short forms in their long form; null for an empty document. */
  readonly root: unknown;
  readonly sourceMap: SourceMap;
}

export interface ParseFailure {
  readonly ok: false;
  readonly message: string;
  readonly position?: Position;
}

class ReadError extends Error {
  constructor(
    message: string,
    readonly position?: Position,
  ) {
    super(message);
  }
}

/**
 * The yaml parser's own message, first line only. The few messages that quote more of the input than
 * a character or a tag (a block scalar header's extra text, an escape sequence) are cut before the
 * quote: the input may hold secrets.
 */
function parserWords(error: YAMLError): string {
  // Not syntax: the parser's words would name its API or its stack.
  if (error.code === 'MULTIPLE_DOCS') return 'more than one YAML document in the file';
  // (The yaml parser gives its stack overflows this code.)
  if (error.code === 'RESOURCE_EXHAUSTION') return 'nesting too deep to read';
  const first = error.message.split('\n')[0] ?? '';
  // (An unresolved tag is a warning, not an error: `!Nope x` reads as a plain value.)
  const cut = first.replace(/^(Block scalar header includes extra characters):.*$/, '$1').replace(/^(Invalid escape sequence) .*$/, '$1');
  // The parser's words are not in quotes here: its own quote characters stay as they are.
  return safeName(cut, 200).replace(/\\(['"])/g, '$1') || error.code.toLowerCase().replace(/_/g, ' ');
}

function firstNonSpace(text: string): string | undefined {
  return /\S/.exec(text)?.[0];
}

/** Bracket depth counted naively (quotes ignored): a cheap guard against absurd flow nesting. */
function rawBracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  // A key named __proto__ is data here, never the prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

class Walker {
  private nodes = 0;
  private aliases = 0;
  private readonly active = new Set<Node>();
  private targets: Map<Alias, Node | undefined> | undefined;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly map: SourceMap,
  ) {}

  pos(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * A scalar's value: a short form on a scalar (`{Ref: x}`, `{"Fn::GetAtt": [a, b]}`, two levels at
   * most) is placed, with its parts, where its value is; text, numbers and null have no place.
   */
  private locateTagValue(value: unknown, position: Position): void {
    if (typeof value !== 'object' || value === null) return;
    this.map.set(value, position);
    for (const [k, v] of Object.entries(value)) {
      this.map.setChild(value, k, position);
      this.locateTagValue(v, position);
    }
  }

  /**
   * What an alias refers to, as yaml's `Alias.resolve` finds it: the last node with its anchor before
   * it in document order. Found for every alias in one pass: `resolve` walks the whole document on
   * each call, which made 10,000 aliases take seconds.
   */
  private targetOf(alias: Alias): Node | undefined {
    if (this.targets === undefined) {
      const targets = new Map<Alias, Node | undefined>();
      const latest = new Map<string, Node>();
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, latest.get(node.source));
          else if (node.anchor) latest.set(node.anchor, node);
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  /**
   * A merge key (`<<: *base`, or a list of them), which `aws cloudformation package` and SAM resolve
   * before CloudFormation sees the template: the mapping's own keys win, then earlier sources.
   */
  private merge(out: Record<string, unknown>, value: unknown, at: Position): void {
    for (const source of Array.isArray(value) ? value : [value]) {
      if (typeof source !== 'object' || source === null || Array.isArray(source)) throw new ReadError('a merge key (<<) takes a mapping or a list of mappings', at);
      for (const [name, item] of Object.entries(source)) {
        if (Object.prototype.hasOwnProperty.call(out, name)) continue;
        put(out, name, item);
        this.map.setChild(out, name, this.map.child(source, name) ?? at);
      }
    }
  }

  /**
   * Every node the yaml composer places in a document or collection has a range (the composer reads
   * each one's end itself); a missing value (`? a`, `b:`, an empty document) is null.
   */
  walk(node: Node | null, depth: number): unknown {
    if (node === null) return null;
    const at = this.pos(node.range![0]);
    if (depth > LIMITS.maxDepth) throw new ReadError(`nesting deeper than ${LIMITS.maxDepth} levels`, at);
    if (++this.nodes > LIMITS.maxNodes) {
      throw new ReadError(`more than ${LIMITS.maxNodes} values once aliases are expanded (an alias bomb?)`, at);
    }
    if (isAlias(node)) {
      if (++this.aliases > LIMITS.maxAliases) throw new ReadError(`more than ${LIMITS.maxAliases} aliases`, at);
      const target = this.targetOf(node);
      if (!target) throw new ReadError('an alias refers to no anchor defined before it', at);
      if (this.active.has(target)) throw new ReadError('an alias refers to a collection that contains it', at);
      try {
        return this.walk(target, depth + 1);
      } catch (error) {
        // Point at the alias in the text, not inside what it expands to.
        if (error instanceof ReadError) throw new ReadError(error.message, at);
        throw error;
      }
    }
    if (isScalar(node)) {
      const value = node.value;
      this.locateTagValue(value, at);
      return value;
    }
    if (isMap(node)) {
      this.active.add(node);
      const out: Record<string, unknown> = {};
      this.map.set(out, at);
      let merged: { value: unknown; at: Position } | undefined;
      for (const pair of node.items) {
        const key = pair.key;
        const keyAt = this.pos((key as Node).range![0]);
        if (!isScalar(key)) throw new ReadError('a mapping key is not a plain value', keyAt);
        if (key.type === Scalar.PLAIN && key.value === '<<') {
          if (merged !== undefined) throw new ReadError("duplicate mapping key '<<'", keyAt);
          merged = { value: this.walk(pair.value as Node | null, depth + 1), at: keyAt };
          continue;
        }
        const name = key.value === null ? '' : String(key.value);
        if (Object.prototype.hasOwnProperty.call(out, name)) {
          throw new ReadError(duplicateKeyMessage(name, depth), keyAt);
        }
        put(out, name, this.walk(pair.value as Node | null, depth + 1));
        this.map.setChild(out, name, keyAt);
      }
      if (merged !== undefined) this.merge(out, merged.value, merged.at);
      this.active.delete(node);
      return out;
    }
    // A sequence: the only kind of node left.
    this.active.add(node);
    const out: unknown[] = [];
    this.map.set(out, at);
    node.items.forEach((item, i) => {
      const itemAt = this.pos((item as Node).range![0]);
      out.push(this.walk(item as Node, depth + 1));
      this.map.setChild(out, i, itemAt);
    });
    this.active.delete(node);
    return out;
  }
}

function jsonFailure(text: string): ParseFailure {
  const found = locateJsonError(text);
  return { ok: false, message: `invalid JSON: ${found?.message ?? 'syntax error'}`, position: positionAt(lineStartsOf(text), found?.offset ?? 0) };
}

function yamlFailure(error: YAMLError, walker: Walker): ParseFailure {
  return {
    ok: false,
    message: `invalid YAML: ${parserWords(error)}`,
    position: walker.pos(error.pos[0]),
  };
}

function jsonTemplate(text: string, root: unknown): ParsedTemplate | ParseFailure {
  try {
    const sourceMap = new JsonSourceMap(text, root);
    return { ok: true, format: 'json', root, sourceMap };
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error;
    return { ok: false, message: error.message, position: positionAt(lineStartsOf(text), error.offset) };
  }
}

/**
 * Parses template text. YAML is read by the fast reader when it can only agree with the full one
 * (src/template/fast-yaml.ts); `fullReader` makes the full reader read it (tests compare the two).
 * `name` (a file name) only decides whether text that is not valid JSON may still be read as YAML:
 * a `.json` file must be JSON.
 */
export function parseTemplateText(given: string, name = '', options: { readonly fullReader?: boolean } = {}): ParsedTemplate | ParseFailure {
  try {
    const text = withLineFeeds(given);
    const lines = new LineCounter();
    if (rawBracketDepth(text) > MAX_RAW_BRACKET_DEPTH) {
      return { ok: false, message: `nesting deeper than ${LIMITS.maxDepth} levels` };
    }
    const first = firstNonSpace(text);
    if (first === '{' || first === '[' || /\.json$/i.test(name)) {
      let root: unknown;
      let validJson = true;
      try {
        root = JSON.parse(text);
      } catch {
        validJson = false;
      }
      // Valid JSON: the values from JSON.parse, positions from one scan of the text.
      if (validJson) return jsonTemplate(text, root);
      if (/\.json$/i.test(name)) return jsonFailure(text);
    }
    const format: TemplateFormat = 'yaml';
    const fast = options.fullReader ? undefined : readYamlFast(text);
    if (fast) return { ok: true, format, root: fast.root, sourceMap: fast.sourceMap };
    const doc = parseDocument(text, {
      prettyErrors: false,
      uniqueKeys: false,
      customTags: CLOUDFORMATION_TAGS,
      lineCounter: lines,
    });
    const walker = new Walker(doc, lines, new SourceMap());
    const error = doc.errors[0];
    if (error) {
      // Text that looked like JSON and is not YAML either: the JSON error is the useful one.
      if (first === '{' || first === '[') return jsonFailure(text);
      return yamlFailure(error, walker);
    }
    const root = walker.walk(doc.contents, 0);
    return { ok: true, format, root, sourceMap: walker.map };
  } catch (error) {
    if (error instanceof ReadError) return { ok: false, message: error.message, position: error.position };
    if (error instanceof RangeError) return { ok: false, message: 'nesting too deep to read' };
    return { ok: false, message: 'the file could not be read as a template' };
  }
}
