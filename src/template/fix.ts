/**
 * Writes `ReadonlyRootFilesystem: true` into a template as text edits at the positions the parser
 * reports, the way linters' fixers work: nothing is re-serialised, so comments, spacing, key order,
 * quoting, indentation and short tags stay as they were, in YAML and JSON alike. Only lines that
 * hold (or now hold) ReadonlyRootFilesystem change.
 */
import { isAlias, isMap, isScalar, parseDocument, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import { asText, classifyReadonlyRootFilesystem, EMPTY_CONFIG, findExemption, REASON_TEXT, RULE_ID, safeName, windowsFamily } from '../policy';
import { decodeTemplate } from './decode';
import {
  type FileStatus,
  findTaskDefinitions,
  givenParameters,
  type SkipReason,
  type TaskDefinitionSite,
  type TemplateError,
  type TemplateResult,
  type ValidateOptions,
  validateTemplate,
} from './judge';
import { type ParsedTemplate, parseTemplateText } from './parse';
import { ifOf, intrinsicOf, isRecord, NO_VALUE, noEchoMask, Resolver } from './resolve';
import { lineStartsOf, type Position, withLineFeeds } from './source-map';
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
  /** Left: the whole task definition, whose containers cannot be read before deployment (no one container). */
  readonly taskDefinition?: true;
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
      /** The fixed text (the input itself when nothing changed; bytes given come back as their text). */
      readonly text: string;
      readonly edits: readonly TextEdit[];
      readonly fixed: readonly FixContainer[];
      /** Containers that fail or may fail and were not changed, and every container validate still fails. */
      readonly left: readonly FixContainer[];
      /** validate's verdict on the fixed text (on the text as given when nothing changed). */
      readonly status: Exclude<FileStatus, 'ERROR'>;
      readonly skipReason?: SkipReason;
    }
  | { readonly ok: false; readonly error: TemplateError };

/** A listed container, with the positions validate may report it at (to match its findings). */
type Listed = FixContainer & { readonly at: readonly Position[] };

interface Entry {
  readonly site: TaskDefinitionSite;
  readonly entry: Record<string, unknown>;
  readonly index: number;
  readonly position: Position;
  readonly resolver: Resolver;
}

const SUPPRESSED = 'suppressed by Metadata guard SuppressedRules (--allow-suppressions)';

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

/**
 * Every literal container entry of every task definition (each Fn::ForEach copy apart), what keeps
 * a container out of reach, and the entries that must not change: those of Windows task
 * definitions (a Fn::ForEach copy may share its text with a Linux one).
 */
function containerEntries(parsed: ParsedTemplate, options: ValidateOptions): { entries: Entry[]; left: Listed[]; untouchable: Set<object> } {
  const entries: Entry[] = [];
  const left: Listed[] = [];
  const untouchable = new Set<object>();
  for (const site of findTaskDefinitions(parsed, options)) {
    const condition = site.resource.Condition;
    if (typeof condition === 'string' && site.scope.conditions.value(condition) === false) continue;
    const resolver = new Resolver(site.scope, new Map());
    const suppressed = !options.strict && isSuppressed(site.resource);
    branches(site.resource.Properties, (props) => {
      if (!isRecord(props)) return;
      const chose = new Set<string>();
      const platform = resolver.resolve(props.RuntimePlatform, chose);
      // ECS has no read-only root filesystem for Windows.
      const windows = windowsFamily({ RuntimePlatform: platform }) !== undefined;
      // Windows in one branch and Linux in another: one value cannot serve both, the author chooses.
      const deciding = [...chose].map((c) => `'${safeName(c, 64)}'`).join(', ');
      branches(props.ContainerDefinitions, (list) => {
        if (!Array.isArray(list)) return;
        // Numbered as validate numbers them: entries that are never there (AWS::NoValue) take no place.
        let place = 0;
        list.forEach((item, literal) => {
          const index = place;
          let present = false;
          branches(item, (entry) => {
            if (resolver.unwrap(entry, new Set()) !== NO_VALUE) present = true;
          });
          if (present) place += 1;
          branches(item, (entry) => {
            if (windows) {
              if (!isRecord(entry)) return;
              untouchable.add(entry);
              // Listed only where validate fails it (see reconcile): where the conditions make it Linux.
              if (!intrinsicOf(entry)) {
                const why = `the task definition is Windows (no read-only root filesystem) or Linux as condition ${deciding} decides: set ReadonlyRootFilesystem for Linux by hand (with Fn::If)`;
                left.push({ ...describe(site, entry, index, parsed.sourceMap.of(entry) ?? site.position, resolver), why });
              }
              return;
            }
            if (!isRecord(entry) || intrinsicOf(entry)) {
              const resolved = resolver.unwrap(entry, new Set());
              if (resolved === NO_VALUE || (isRecord(resolved) && verdictOf(resolved).kind === 'ok')) return;
              const at = parsed.sourceMap.of(resolved) ?? parsed.sourceMap.child(list, literal) ?? site.position;
              const info = describe(site, isRecord(resolved) ? resolved : {}, index, at, resolver);
              const fn = intrinsicOf(entry);
              const why = fn ? `the container is set by ${fn[0]}: change the value it comes from` : 'not a container definition object: fix it by hand';
              left.push(suppressed ? { ...info, passes: true, why: SUPPRESSED } : { ...info, why });
              return;
            }
            const position = parsed.sourceMap.of(entry) ?? site.position;
            if (suppressed) {
              if (verdictOf(entry).kind !== 'ok') left.push({ ...describe(site, entry, index, position, resolver), passes: true, why: SUPPRESSED });
              return;
            }
            entries.push({ site, entry, index, position, resolver });
          });
        });
      });
    });
  }
  return { entries, left, untouchable };
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

function describe(site: TaskDefinitionSite, entry: Record<string, unknown>, index: number, position: Position, resolver: Resolver): Listed {
  const name = asText(resolver.resolve(entry.Name, new Set()));
  const image = asText(resolver.resolve(entry.Image, new Set()));
  return {
    logicalId: site.logicalId,
    name: typeof name === 'string' && name !== '' ? name : null,
    index,
    line: position.line,
    column: position.column,
    writes: writesOf(name, image, entry),
    at: [position],
  };
}

/** What the fixer does with one container: nothing (it reads true), an edit, or leave it and say why. */
type Verdict = { readonly kind: 'ok' } | { readonly kind: 'fix'; readonly replace: boolean } | { readonly kind: 'leave'; readonly why: string };

function verdictOf(entry: Record<string, unknown>): Verdict {
  if (!Object.prototype.hasOwnProperty.call(entry, KEY)) return { kind: 'fix', replace: false };
  const v = entry[KEY];
  if (v === true || (typeof v === 'string' && v.toLowerCase() === 'true')) return { kind: 'ok' };
  if (v === false || v === null || (typeof v === 'string' && v.toLowerCase() === 'false')) return { kind: 'fix', replace: true };
  if (intrinsicOf(v)) return { kind: 'leave', why: chosenBy(v) };
  return { kind: 'leave', why: 'ReadonlyRootFilesystem is neither true nor false: set it by hand' };
}

/** Why a value an intrinsic gives is left, and what to change: the branch of an Fn::If when it is written there. */
function chosenBy(v: unknown): string {
  const [name, arg] = intrinsicOf(v)!;
  if (name === 'Ref' && arg === 'AWS::NoValue') return 'removed by Ref AWS::NoValue: set it to true';
  const branches = ifOf(v);
  if (branches) {
    const failing = (['true', 'false'] as const).filter((_, i) => classifyReadonlyRootFilesystem(branches[i + 1]) !== 'compliant');
    // A branch written as a value (not another intrinsic) is one the author can set to true in place.
    if ([branches[1], branches[2]].every((b) => b === null || typeof b !== 'object')) {
      return `chosen by Fn::If on condition '${safeName(branches[0], 64)}': set its ${failing.join(' and ')} branch${failing.length > 1 ? 'es' : ''} to true, or the whole value`;
    }
  }
  return `set by ${name}: change the value it comes from`;
}

/**
 * The text as the yaml package reads it: every mapping by the offset where it starts, and for a
 * node, the anchor an alias elsewhere refers to on it or on any node that holds it (an edit there
 * would change every place the alias stands for). The text was read without error by the full
 * reader with these options (or by the fast reader, which reads only texts the full reader reads
 * alike), or is JSON (which is YAML): this parse has no errors to check.
 */
class YamlView {
  readonly maps = new Map<number, YAMLMap>();
  private readonly paths = new Map<Node, readonly unknown[]>();
  /** Nodes an alias refers to, by anchor: as the reader resolves it, the last node with that anchor before the alias. */
  private readonly aliased = new Map<unknown, string>();

  constructor(text: string) {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, customTags: CLOUDFORMATION_TAGS });
    const latest = new Map<string, Node>();
    visit(doc, {
      Node: (_, node, path) => {
        if (isAlias(node)) {
          const target = latest.get(node.source);
          if (target) this.aliased.set(target, node.source);
          return;
        }
        if (node.anchor) latest.set(node.anchor, node);
        this.paths.set(node, path);
        // No two mappings start together but a short form's wrapper and what it wraps; the inner one wins.
        if (isMap(node)) this.maps.set(node.range![0], node);
      },
    });
  }

  /** The aliased anchor on `node` or on any node that holds it, if any. */
  sharedAnchor(node: unknown): string | undefined {
    const own = this.aliased.get(node);
    if (own !== undefined) return own;
    for (const holder of this.paths.get(node as Node) ?? []) {
      const anchor = this.aliased.get(holder);
      if (anchor !== undefined) return anchor;
    }
    return undefined;
  }
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
function editFor(map: YAMLMap, replace: boolean, text: string, eol: string, json: boolean): TextEdit | string {
  const pairs = map.items as Pair[];
  // A line added ends as the line it follows (a file may mix CR LF and LF); a file of lone CRs, with CR.
  const endOf = (lineFeed: number): string => (eol === '\r' ? eol : text[lineFeed - 1] === '\r' ? '\r\n' : '\n');
  if (replace) {
    const pair = pairs.find((p) => isScalar(p.key) && p.key.value === KEY);
    if (!pair) return 'its ReadonlyRootFilesystem could not be located';
    // Replacing an alias would leave its anchor to a second run, which might then edit it.
    if (isAlias(pair.value)) return `set through the YAML alias *${safeName(pair.value.source, 64)}: fix it by hand`;
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
  // JSON keys are quoted, whatever the first key looks like (there may be none).
  const key = json ? `"${KEY}"` : keyText(pairs[0], text);
  if (map.flow) {
    const kr = rangeOf(pairs[0]?.key);
    // The colon spaced as the first key's (never what comes before its value: a tag, an anchor);
    // without a space only after a quoted key, as compact JSON has it (a plain key needs one).
    const spacing = kr ? /^[ \t]*:([ \t]*)/.exec(text.slice(kr[1]))?.[1] : undefined;
    const colon = `:${spacing || (key === KEY || !kr ? ' ' : '')}`;
    if (kr) {
      // A line of its own before the first key when nothing but indentation precedes it on its line
      // (then the brace is on a line before: the mapping spans lines).
      const lineStart = text.lastIndexOf('\n', kr[0]) + 1;
      const indent = text.slice(lineStart, kr[0]);
      if (/^[ \t]*$/.test(indent)) return { offset: lineStart, remove: 0, insert: `${indent}${key}${colon}true,${endOf(lineStart - 1)}` };
    }
    const last = pairs[pairs.length - 1];
    const end = rangeOf(last?.value)?.[1] ?? rangeOf(last?.key)?.[1];
    if (end === undefined) {
      // Just inside the opening brace.
      return { offset: mr[0] + 1, remove: 0, insert: json ? `${key}${colon}true` : ` ${key}${colon}true ` };
    }
    const comma = commaAfter(text, end);
    const gap = commaGap(pairs, text) ?? ' ';
    if (comma !== undefined) return { offset: comma + 1, remove: 0, insert: `${gap}${key}${colon}true` };
    return { offset: end, remove: 0, insert: `,${gap}${key}${colon}true` };
  }
  // Block mapping: a line of its own after a one-line entry (Name's when it is one), same indentation.
  const oneLine = (p: Pair): boolean => {
    // The parser gives every key a node, an empty one included; a value may have none (`? key`).
    // A block scalar's range ends with its line break, so it is never one line.
    const vr = rangeOf(p.value);
    return vr !== undefined && !/\n/.test(text.slice(rangeOf(p.key)![0], vr[1]));
  };
  const after = pairs.find((p) => isScalar(p.key) && p.key.value === 'Name' && oneLine(p)) ?? pairs.find(oneLine);
  if (!after) return 'no one-line entry in the container to put the line after';
  const kr = rangeOf(after.key)!;
  const vr = rangeOf(after.value)!;
  const lineStart = text.lastIndexOf('\n', kr[0]) + 1;
  const indent = ' '.repeat(kr[0] - lineStart);
  const keyed = keyText(after, text);
  const newline = text.indexOf('\n', vr[1]);
  if (newline === -1) return { offset: text.length, remove: 0, insert: `${endOf(text.lastIndexOf('\n'))}${indent}${keyed}: true` };
  return { offset: newline + 1, remove: 0, insert: `${indent}${keyed}: true${endOf(newline)}` };
}

/**
 * The spaces and tabs after the first comma between a flow mapping's entries that is followed by
 * more on its line (compact JSON has none); undefined when no entry is followed by one.
 */
function commaGap(pairs: readonly Pair[], text: string): string | undefined {
  // Not the last entry's: a trailing comma separates nothing.
  for (const p of pairs.slice(0, -1)) {
    const comma = commaAfter(text, rangeOf(p.value)?.[1] ?? rangeOf(p.key)![1]);
    if (comma === undefined) continue;
    const next = pastBlanks(text, comma + 1);
    // A line break, a comment or the end of the text after it: the comma ends a line.
    if (!'\r\n#'.includes(text.charAt(next))) return text.slice(comma + 1, next);
  }
  return undefined;
}

/** Where the comma after offset `end` is, past spaces and tabs; undefined when something else comes first. */
function commaAfter(text: string, end: number): number | undefined {
  const i = pastBlanks(text, end);
  return text[i] === ',' ? i : undefined;
}

/** The first offset from `i` on that is not a space or a tab. */
function pastBlanks(text: string, i: number): number {
  let at = i;
  while (text[at] === ' ' || text[at] === '\t') at++;
  return at;
}

export function apply(text: string, edits: readonly TextEdit[]): string {
  // Built in one pass (slicing the text once per edit made thousands of edits quadratic). Two edits at
  // one offset go in as applying them last to first would put them: the later one first.
  const order = edits.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => a.offset - b.offset || j - i);
  const parts: string[] = [];
  let at = 0;
  for (const [e] of order) {
    parts.push(text.slice(at, e.offset), e.insert);
    at = e.offset + e.remove;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** One edit, and the containers it fixes (several when Fn::ForEach copies share the text). */
interface Candidate {
  readonly edit: TextEdit;
  readonly containers: Listed[];
  readonly entries: Set<object>;
}

interface Plan {
  readonly candidates: Candidate[];
  readonly left: Listed[];
}

function plan(text: string, parsed: ParsedTemplate, options: ValidateOptions, eol: string): Plan {
  const view = new YamlView(text);
  const starts = lineStartsOf(text);
  const config = options.config ?? EMPTY_CONFIG;
  const { entries, left, untouchable } = containerEntries(parsed, options);
  const decided: { e: Entry; info: Listed; verdict: Verdict }[] = [];
  for (const e of entries) {
    const info = describe(e.site, e.entry, e.index, e.position, e.resolver);
    const rrfAt = Object.prototype.hasOwnProperty.call(e.entry, KEY) ? parsed.sourceMap.child(e.entry, KEY) : undefined;
    const listed: Listed = rrfAt ? { ...info, at: [...info.at, rrfAt] } : info;
    const exemption = findExemption(info.name, asText(e.resolver.resolve(e.entry.Image, new Set())), config);
    if (exemption) {
      left.push({ ...listed, passes: true, why: `exempt by ${exemption.property} pattern '${safeName(exemption.pattern, 128)}'` });
      untouchable.add(e.entry);
      continue;
    }
    decided.push({ e, info: listed, verdict: verdictOf(e.entry) });
  }
  const candidates = new Map<YAMLMap, Candidate>();
  for (const { e, info, verdict } of decided) {
    if (verdict.kind === 'ok') continue;
    if (verdict.kind === 'leave') {
      left.push({ ...info, why: verdict.why });
      continue;
    }
    if (untouchable.has(e.entry)) {
      left.push({ ...info, why: 'written once for several Fn::ForEach copies, not all of them to be fixed (exempt or Windows): fix it by hand' });
      continue;
    }
    const map = view.maps.get(starts[e.position.line - 1]! + e.position.column - 1);
    if (!map) {
      left.push({ ...info, why: 'the container could not be located in the text' });
      continue;
    }
    const seen = candidates.get(map);
    if (seen) {
      // Another Fn::ForEach copy of the same text: the one edit fixes it too.
      seen.containers.push(info);
      continue;
    }
    const value = verdict.replace ? (map.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === KEY)?.value : undefined;
    const anchor = view.sharedAnchor(map) ?? (value ? view.sharedAnchor(value) : undefined);
    if (anchor !== undefined) {
      left.push({ ...info, why: `shared through the YAML anchor &${safeName(anchor, 64)}: fix it by hand` });
      continue;
    }
    const edit = editFor(map, verdict.replace, text, eol, parsed.format === 'json');
    if (typeof edit === 'string') left.push({ ...info, why: edit });
    else candidates.set(map, { edit, containers: [info], entries: new Set([e.entry]) });
  }
  return { candidates: [...candidates.values()], left };
}

const CHANGED = 'it would change more than ReadonlyRootFilesystem';
const NOT_TRUE = 'it would not read ReadonlyRootFilesystem: true';

/**
 * Why the fixed document `b` is not the document `a` with only the fixed containers'
 * ReadonlyRootFilesystem now true, or undefined. The reader gives trees (an alias is read as a
 * copy), bounded in depth and size, so the walk ends. Exported for its tests: the planner avoids
 * every difference it knows of, so no template reaches some of these branches.
 */
export function difference(a: unknown, b: unknown, fixed: ReadonlySet<object>): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return CHANGED;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return CHANGED;
    for (let i = 0; i < a.length; i++) {
      const why = difference(a[i], b[i], fixed);
      if (why) return why;
    }
    return undefined;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const isFixed = fixed.has(a);
  if (isFixed && verdictOf(rb).kind !== 'ok') return NOT_TRUE;
  const keys = Object.keys(ra).filter((k) => !(isFixed && k === KEY));
  if (keys.length !== Object.keys(rb).filter((k) => !(isFixed && k === KEY)).length) return CHANGED;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(rb, k)) return CHANGED;
    const why = difference(ra[k], rb[k], fixed);
    if (why) return why;
  }
  return undefined;
}

/** Why the text with these edits is not the template with only their containers fixed, or undefined. */
function recheck(text: string, parsed: ParsedTemplate, candidates: readonly Candidate[], fileName: string | undefined): string | undefined {
  const reparsed = parseTemplateText(apply(text, candidates.map((c) => c.edit)), fileName);
  if (!reparsed.ok) return `the file would not parse: ${reparsed.message}`;
  return difference(parsed.root, reparsed.root, new Set(candidates.flatMap((c) => [...c.entries])));
}

/** How the command line names a listed container: `'name' in LogicalId`, or the task definition's logical id. */
export function fixLabel(c: FixContainer): string {
  return c.taskDefinition ? safeName(c.logicalId, 128) : `'${safeName(c.name ?? `ContainerDefinitions[${c.index}]`)}' in ${safeName(c.logicalId, 128)}`;
}

/**
 * validate's verdict on the fixed text decides: a container it fails that no listed one matches
 * (by name, or by where validate places it) is listed as left, with validate's reason; one listed as
 * left that it does not fail (a value set elsewhere that reads true) is not listed.
 */
function reconcile(verdict: TemplateResult, left: Listed[]): Listed[] {
  const out: Listed[] = [];
  const failing = new Set<Listed>();
  for (const r of verdict.resources) {
    const mine = left.filter((c) => c.logicalId === r.logicalId && !c.passes);
    if (r.status === 'FAIL' && (r.reason === 'unresolved' || r.reason === 'not-a-list')) {
      const whole = mine.filter((c) => c.taskDefinition);
      whole.forEach((c) => failing.add(c));
      if (whole.length === 0) {
        const why = r.reason === 'unresolved' ? `containers unknown before deployment (${r.detail ?? 'deploy-time values'})` : (r.detail ?? 'ContainerDefinitions is not a list');
        out.push({ logicalId: r.logicalId, name: null, index: 0, line: r.line, column: r.column, taskDefinition: true, why: `${why}: fix it by hand`, writes: USUAL_WRITES.other, at: [] });
      }
    }
    for (const c of r.containers) {
      if (c.status !== 'FAIL') continue;
      const match = mine.filter((m) => !m.taskDefinition && ((c.name !== null && m.name === c.name) || m.at.some((p) => p.line === c.line && p.column === c.column)));
      match.forEach((m) => failing.add(m));
      if (match.length > 0) continue;
      const reason = c.reason === 'unresolved' || c.reason === undefined ? 'value unknown before deployment' : REASON_TEXT[c.reason];
      out.push({ logicalId: r.logicalId, name: c.name, index: c.index, line: c.line, column: c.column, why: `${reason}${c.detail ? ` (${c.detail})` : ''}: fix it by hand`, writes: writesOf(c.name, undefined, {}), at: [] });
    }
  }
  // A value set elsewhere that reads true here has nothing to say.
  for (const c of left) if (c.passes || failing.has(c)) out.push(c);
  return out;
}

/**
 * The plan with NoEcho parameter values hidden in logical ids and names, as validate hides them in
 * its findings (which the listing is matched with by name).
 */
function masked(planned: Plan, root: unknown, options: ValidateOptions): Plan {
  const mask = noEchoMask(isRecord(root) ? root.Parameters : undefined, givenParameters(options.parameters));
  if (!mask) return planned;
  const hide = (c: Listed): Listed => ({ ...c, logicalId: mask(c.logicalId), name: c.name === null ? null : mask(c.name) });
  return { ...planned, left: planned.left.map(hide), candidates: planned.candidates.map((c) => ({ ...c, containers: c.containers.map(hide) })) };
}

/** A listed container as the result carries it: without the positions used to match validate's findings. */
function plain({ at: _at, ...c }: Listed): FixContainer {
  return c;
}

const byPosition = (a: FixContainer, b: FixContainer): number => a.line - b.line || a.column - b.column;

/**
 * Plans and applies the fix to a template (text, or a file's bytes, decoded as validate decodes
 * them), then re-checks the result: it must parse and be the same template but for the fixed
 * containers' ReadonlyRootFilesystem, now true. An edit that fails this is not made (its containers
 * are left, with the reason); when the edits pass alone but not together, or validate refuses the
 * result (its size), nothing is changed and the failure says why. Every container validate still
 * fails afterwards is listed as left.
 */
export function fixTemplate(source: string | Uint8Array, options: ValidateOptions = {}): FixResult {
  try {
    let text: string;
    let bom = '';
    if (typeof source === 'string') {
      text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
      bom = text === source ? '' : '\ufeff';
    } else {
      const decoded = decodeTemplate(source);
      if (!decoded.ok) return { ok: false, error: { message: decoded.error } };
      text = decoded.text;
      bom = source[0] === 0xef && source[1] === 0xbb && source[2] === 0xbf ? '\ufeff' : '';
    }
    // Read as validate reads it (a lone CR is a line break); edits go into the text as given, at the same offsets.
    const given = text;
    text = withLineFeeds(text);
    const was = validateTemplate(text, options);
    if (was.status === 'ERROR') return { ok: false, error: was.error ?? { message: 'the file could not be read as a template' } };
    const unchanged = (left: readonly FixContainer[], status: Exclude<FileStatus, 'ERROR'>) => ({ ok: true as const, text: bom + given, edits: [], fixed: [], left, status });
    if (was.status === 'SKIP') return { ...unchanged([], 'SKIP'), ...(was.skipReason ? { skipReason: was.skipReason } : {}) };
    const parsed = parseTemplateText(text, options.fileName);
    if (!parsed.ok) return { ok: false, error: { message: parsed.message, ...(parsed.position ?? {}) } };
    // Lines written end as the file's lines do.
    const eol = /\r\n/.test(given) ? '\r\n' : given.includes('\r') && !given.includes('\n') ? '\r' : '\n';
    const planned = masked(plan(text, parsed, options, eol), parsed.root, options);
    const left = planned.left;
    let kept = planned.candidates;
    if (kept.length > 0 && recheck(text, parsed, kept, options.fileName) !== undefined) {
      // Each edit alone: those that fail are not made, and their containers say why.
      const failed = new Set<Candidate>();
      for (const c of kept) {
        const why = recheck(text, parsed, [c], options.fileName);
        if (why === undefined) continue;
        failed.add(c);
        for (const info of c.containers) left.push({ ...info, why: `its edit did not pass the re-check (${why}): fix it by hand` });
      }
      kept = kept.filter((c) => !failed.has(c));
      const why = kept.length > 0 ? recheck(text, parsed, kept, options.fileName) : undefined;
      if (why !== undefined) {
        const names = kept.flatMap((c) => c.containers.map(fixLabel)).join(', ');
        return { ok: false, error: { message: `the fixed template did not pass the re-check (${why}, with ${names} fixed together); nothing was changed` } };
      }
    }
    const edits = kept.map((c) => c.edit);
    const next = edits.length > 0 ? apply(text, edits) : text;
    const now = edits.length > 0 ? validateTemplate(next, options) : was;
    // e.g. the size limit, which the lines added can cross
    if (now.status === 'ERROR') return { ok: false, error: { message: `the fixed template did not pass the re-check (${now.error?.message ?? 'unreadable'}); nothing was changed` } };
    const listed = reconcile(now, left).map(plain).sort(byPosition);
    if (edits.length === 0) return unchanged(listed, now.status);
    return { ok: true, text: bom + (given === text ? next : apply(given, edits)), edits, fixed: kept.flatMap((c) => c.containers.map(plain)), left: listed, status: now.status };
  } catch {
    return { ok: false, error: { message: 'internal error while fixing the template; nothing was changed' } };
  }
}
