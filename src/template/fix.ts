/**
 * Writes `ReadonlyRootFilesystem: true` into a template as text edits at the positions the parser
 * reports, the way linters' fixers work: nothing is re-serialised, so comments, spacing, key order,
 * quoting, indentation and short tags stay as they were, in YAML and JSON alike. Only lines that
 * hold (or now hold) ReadonlyRootFilesystem change.
 */
import { isScalar, parseDocument, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import { EMPTY_CONFIG, findExemption, RULE_ID, safeName, windowsFamily } from '../policy';
import { findTaskDefinitions, type TaskDefinitionSite, type TemplateError, type ValidateOptions, validateTemplate } from './judge';
import { type ParsedTemplate, parseTemplateText } from './parse';
import { intrinsicOf, isRecord, Resolver } from './resolve';
import { lineStartsOf, type Position } from './source-map';
import { CLOUDFORMATION_TAGS } from './tags';

const KEY = 'ReadonlyRootFilesystem';

/** One container entry written in the template (a branch of an Fn::If counts as its own entry). */
export interface FixContainer {
  readonly logicalId: string;
  /** The container's Name when it is a literal or resolves to a string, else null. */
  readonly name: string | null;
  readonly index: number;
  readonly line: number;
  readonly column: number;
  /** For a container left alone: why. */
  readonly why?: string;
  /** Left alone, and the check does not fail it for that: exempt, or suppressed (--allow-suppressions). */
  readonly passes?: boolean;
  /**
   * The paths such a container usually writes, which need a volume once its root filesystem is
   * read-only (from its name, image and FireLens configuration; the image itself is never shown).
   */
  readonly writes: string;
}

export interface TextEdit {
  readonly offset: number;
  readonly remove: number;
  readonly insert: string;
}

export type FixResult =
  | {
      readonly ok: true;
      /** The fixed text (the input itself when nothing changed). */
      readonly text: string;
      readonly edits: readonly TextEdit[];
      readonly fixed: readonly FixContainer[];
      /** Containers that fail or may fail and were not changed: set by an intrinsic, not true or false, exempt, suppressed, unplaceable. */
      readonly left: readonly FixContainer[];
    }
  | { readonly ok: false; readonly error: TemplateError };

interface Entry {
  readonly site: TaskDefinitionSite;
  readonly entry: Record<string, unknown>;
  readonly index: number;
  readonly position: Position;
}

/**
 * Follows Fn::If into both branches (every branch is a template line that may need the fix). The
 * reader bounds nesting (LIMITS.maxDepth), so the recursion is bounded too.
 */
function branches(value: unknown, each: (v: unknown) => void): void {
  const fn = intrinsicOf(value);
  if (fn && fn[0] === 'Fn::If' && Array.isArray(fn[1]) && fn[1].length === 3) {
    branches(fn[1][1], each);
    branches(fn[1][2], each);
    return;
  }
  each(value);
}

function isSuppressed(resource: Record<string, unknown>): boolean {
  const guard = isRecord(resource.Metadata) ? resource.Metadata.guard : undefined;
  const rules = isRecord(guard) ? guard.SuppressedRules : undefined;
  return Array.isArray(rules) && rules.includes(RULE_ID);
}

/** Every literal container entry of every task definition, with what keeps a resource out of reach. */
function containerEntries(parsed: ParsedTemplate, options: ValidateOptions): { entries: Entry[]; left: FixContainer[] } {
  const entries: Entry[] = [];
  const left: FixContainer[] = [];
  const seen = new Set<unknown>();
  for (const site of findTaskDefinitions(parsed, options)) {
    if (seen.has(site.resource)) continue; // Fn::ForEach: one text, several resources
    seen.add(site.resource);
    const condition = site.resource.Condition;
    if (typeof condition === 'string' && site.scope.conditions!.value(condition) === false) continue;
    const resolver = new Resolver(site.scope, new Map());
    const suppressed = !options.strict && isSuppressed(site.resource);
    branches(site.resource.Properties, (props) => {
      if (!isRecord(props)) return;
      const platform = resolver.resolve(props.RuntimePlatform, new Set());
      if (windowsFamily({ RuntimePlatform: platform }) !== undefined) return; // ECS has no read-only root filesystem for Windows
      branches(props.ContainerDefinitions, (list) => {
        if (!Array.isArray(list)) return;
        list.forEach((item, index) => {
          branches(item, (entry) => {
            if (!isRecord(entry) || intrinsicOf(entry)) return;
            const position = parsed.sourceMap.of(entry) ?? site.position;
            if (suppressed) {
              if (verdictOf(entry).kind !== 'ok') left.push({ ...describe(site, entry, index, position, resolver), passes: true, why: 'suppressed by Metadata guard SuppressedRules (--allow-suppressions)' });
              return;
            }
            entries.push({ site, entry, index, position });
          });
        });
      });
    });
  }
  return { entries, left };
}

/** Usual writable paths by kind of container (docs/cli.md, "After fix"). */
export const USUAL_WRITES = {
  nginx: '/var/cache/nginx, /var/run (its pid file), /tmp',
  logRouter: "its buffer directory (Fluent Bit's storage.path, e.g. /var/log/flb-storage), /tmp",
  other: '/tmp and any directory it writes at run time',
} as const;

function writesOf(name: unknown, image: unknown, entry: Record<string, unknown>): string {
  const text = [name, image].filter((v) => typeof v === 'string').join(' ');
  if (/nginx/i.test(text)) return USUAL_WRITES.nginx;
  if ('FirelensConfiguration' in entry || /fluent|firelens|log[-_]?router/i.test(text)) return USUAL_WRITES.logRouter;
  return USUAL_WRITES.other;
}

function describe(site: TaskDefinitionSite, entry: Record<string, unknown>, index: number, position: Position, resolver: Resolver): FixContainer {
  const name = resolver.resolve(entry.Name, new Set());
  const image = resolver.resolve(entry.Image, new Set());
  return {
    logicalId: site.logicalId,
    name: typeof name === 'string' && name !== '' ? name : null,
    index,
    line: position.line,
    column: position.column,
    writes: writesOf(name, image, entry),
  };
}

/** What the fixer does with one container: nothing (it reads true), an edit, or leave it and say why. */
type Verdict = { readonly kind: 'ok' } | { readonly kind: 'fix'; readonly replace: boolean } | { readonly kind: 'leave'; readonly why: string };

function verdictOf(entry: Record<string, unknown>): Verdict {
  if (!Object.prototype.hasOwnProperty.call(entry, KEY)) return { kind: 'fix', replace: false };
  const v = entry[KEY];
  if (v === true || (typeof v === 'string' && v.toLowerCase() === 'true')) return { kind: 'ok' };
  if (v === false || v === null || (typeof v === 'string' && v.toLowerCase() === 'false')) return { kind: 'fix', replace: true };
  if (intrinsicOf(v)) return { kind: 'leave', why: `set by ${intrinsicOf(v)![0]}: change the value it comes from` };
  return { kind: 'leave', why: 'ReadonlyRootFilesystem is neither true nor false: set it by hand' };
}

/**
 * The yaml node of every mapping, by the offset where it starts. The text was read without error by
 * the full reader with these options (or by the fast reader, which reads only texts the full reader
 * reads alike), or is JSON (which is YAML): this parse has no errors to check.
 */
function mapsByOffset(text: string): Map<number, YAMLMap> {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, customTags: CLOUDFORMATION_TAGS });
  const out = new Map<number, YAMLMap>();
  visit(doc, {
    Map(_, node) {
      out.set(node.range![0], node); // no two start together: the reader refuses a mapping as a key
    },
  });
  return out;
}

function keyText(sample: Pair | undefined, text: string): string {
  const key = sample?.key as Node | undefined;
  const first = key?.range ? text[key.range[0]] : undefined;
  return first === '"' ? `"${KEY}"` : first === "'" ? `'${KEY}'` : KEY;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** The edit that makes one container's ReadonlyRootFilesystem true, or why there is none. */
function editFor(map: YAMLMap, replace: boolean, text: string, eol: string): TextEdit | string {
  const pairs = map.items as Pair[];
  if (replace) {
    // The entry has the key (it read false or null), so the mapping has its pair.
    const pair = pairs.find((p) => isScalar(p.key) && p.key.value === KEY)!;
    const vr = rangeOf(pair.value);
    if (isScalar(pair.value) && vr && vr[1] > vr[0]) {
      const q = text[vr[0]] === '"' || text[vr[0]] === "'" ? text[vr[0]] : '';
      return { offset: vr[0], remove: vr[1] - vr[0], insert: `${q}true${q}` };
    }
    // `ReadonlyRootFilesystem:` with nothing after it: the colon must follow the key on its line.
    const end = rangeOf(pair.key)![1];
    const colon = /^[ \t]*:/.exec(text.slice(end));
    if (!colon) return 'its ReadonlyRootFilesystem could not be located';
    return { offset: end + colon[0].length, remove: 0, insert: ' true' };
  }
  const mr = map.range!; // a node the parser made: it has a range
  const key = keyText(pairs[0], text);
  if (map.flow) {
    const kr = rangeOf(pairs[0]?.key);
    // The colon spaced as the first key's (never what comes before its value: a tag, an anchor);
    // without a space only after a quoted key, as compact JSON has it (a plain key needs one).
    const spacing = kr ? /^[ \t]*:([ \t]*)/.exec(text.slice(kr[1]))?.[1] : undefined;
    const colon = `:${spacing || (key === KEY ? ' ' : '')}`;
    if (kr) {
      // A line of its own before the first key when nothing but indentation precedes it on its line
      // (then the brace is on a line before: the mapping spans lines).
      const lineStart = text.lastIndexOf('\n', kr[0]) + 1;
      const indent = text.slice(lineStart, kr[0]);
      if (/^[ \t]*$/.test(indent)) return { offset: lineStart, remove: 0, insert: `${indent}${key}${colon}true,${eol}` };
    }
    const last = pairs[pairs.length - 1];
    const end = rangeOf(last?.value)?.[1] ?? rangeOf(last?.key)?.[1];
    if (end === undefined) {
      return { offset: mr[0] + 1, remove: 0, insert: ` ${key}${colon}true ` }; // just inside the opening brace
    }
    let i = end;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === ',') return { offset: i + 1, remove: 0, insert: ` ${key}${colon}true` };
    return { offset: end, remove: 0, insert: `, ${key}${colon}true` };
  }
  // Block mapping: a line of its own after a one-line entry (Name's when it is one), same indentation.
  const oneLine = (p: Pair): boolean => {
    // The parser gives every key a node, an empty one included; a value may have none (`? key`).
    // A block scalar's range ends with its line break, so it is never one line.
    const vr = rangeOf(p.value);
    return vr !== undefined && !/\n/.test(text.slice(rangeOf(p.key)![0], vr[1]));
  };
  const anchor = pairs.find((p) => isScalar(p.key) && p.key.value === 'Name' && oneLine(p)) ?? pairs.find(oneLine);
  if (!anchor) return 'no one-line entry in the container to put the line after';
  const kr = rangeOf(anchor.key)!;
  const vr = rangeOf(anchor.value)!;
  const lineStart = text.lastIndexOf('\n', kr[0]) + 1;
  const indent = ' '.repeat(kr[0] - lineStart);
  const keyed = keyText(anchor, text);
  const newline = text.indexOf('\n', vr[1]);
  if (newline === -1) return { offset: text.length, remove: 0, insert: `${eol}${indent}${keyed}: true` };
  return { offset: newline + 1, remove: 0, insert: `${indent}${keyed}: true${eol}` };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.insert + out.slice(e.offset + e.remove);
  return out;
}

interface Plan {
  readonly edits: TextEdit[];
  readonly fixed: FixContainer[];
  readonly left: FixContainer[];
  readonly literalTrue: number;
  /** Entries that are the same mapping as one fixed (a YAML alias): the one edit makes them true too. */
  readonly aliases: number;
  readonly entries: number;
}

function plan(text: string, parsed: ParsedTemplate, options: ValidateOptions): Plan {
  const maps = mapsByOffset(text);
  const starts = lineStartsOf(text);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const config = options.config ?? EMPTY_CONFIG;
  const { entries, left } = containerEntries(parsed, options);
  const edits: TextEdit[] = [];
  const fixed: FixContainer[] = [];
  const done = new Set<YAMLMap>();
  let literalTrue = 0;
  let aliases = 0;
  for (const e of entries) {
    const resolver = new Resolver(e.site.scope, new Map());
    const info = describe(e.site, e.entry, e.index, e.position, resolver);
    const image = resolver.resolve(e.entry.Image, new Set());
    const exemption = findExemption(info.name, image, config);
    if (exemption) {
      left.push({ ...info, passes: true, why: `exempt by ${exemption.property} pattern '${safeName(exemption.pattern, 128)}'` });
      continue;
    }
    const verdict = verdictOf(e.entry);
    if (verdict.kind === 'ok') {
      literalTrue++;
      continue;
    }
    if (verdict.kind === 'leave') {
      left.push({ ...info, why: verdict.why });
      continue;
    }
    const map = maps.get(starts[e.position.line - 1]! + e.position.column - 1);
    if (!map) {
      left.push({ ...info, why: 'the container could not be located in the text' });
      continue;
    }
    if (done.has(map)) {
      aliases++;
      continue;
    }
    done.add(map);
    const edit = editFor(map, verdict.replace, text, eol);
    if (typeof edit === 'string') left.push({ ...info, why: edit });
    else {
      edits.push(edit);
      fixed.push(info);
    }
  }
  return { edits, fixed, left, literalTrue, aliases, entries: entries.length };
}

/**
 * Plans and applies the fix to a template's text, then re-checks the result: it must parse, hold the
 * same task definitions and container entries, and every fixed container must now read
 * `ReadonlyRootFilesystem: true`. Otherwise nothing is changed and the failure says why.
 */
export function fixTemplate(source: string, options: ValidateOptions = {}): FixResult {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const bom = text === source ? '' : '\ufeff';
  const parsed = parseTemplateText(text, options.fileName);
  if (!parsed.ok) return { ok: false, error: { message: parsed.message, ...(parsed.position ?? {}) } };
  const before = plan(text, parsed, options);
  if (before.edits.length === 0) return { ok: true, text: source, edits: [], fixed: [], left: before.left };
  const next = apply(text, before.edits);
  const refused = (why: string): FixResult => ({ ok: false, error: { message: `the fixed template did not pass the re-check (${why}); nothing was changed` } });
  // Read back as validate reads it.
  const reparsed = parseTemplateText(next, options.fileName);
  if (!reparsed.ok) return refused(`it does not parse: ${reparsed.message}`);
  const after = plan(next, reparsed, options);
  if (after.edits.length > 0) return refused('containers still need the fix');
  if (after.entries !== before.entries) return refused('the container entries changed');
  if (after.literalTrue !== before.literalTrue + before.fixed.length + before.aliases) return refused('a fixed container does not read ReadonlyRootFilesystem: true');
  const was = validateTemplate(text, options);
  const now = validateTemplate(next, options);
  if (now.status === 'ERROR') return refused(now.error!.message); // e.g. the size limit, which the lines added can cross
  if (now.resources.length !== was.resources.length) return refused('the task definitions changed');
  return { ok: true, text: bom + next, edits: before.edits, fixed: before.fixed, left: before.left };
}
