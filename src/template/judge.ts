/**
 * Judges the ECS task definitions of a template with the hook's policy core, adding what only a
 * template reader knows: lines and columns, Fn::If branches, unresolved values and suppressions.
 */
import {
  EMPTY_CONFIG,
  evaluateTaskDefinition,
  type Exemption,
  type FailReason,
  isTargetType,
  type PolicyConfig,
  RULE_ID,
  type TargetType,
} from '../policy';
import { decodeTemplate } from './decode';
import { LIMITS } from './limits';
import { type ParsedTemplate, parseTemplateText } from './parse';
import {
  decidingConditions,
  isRecord,
  NO_VALUE,
  parameterValues,
  Resolver,
  scenarios,
  type TemplateScope,
  Unresolved,
} from './resolve';
import type { Position, SourceMap } from './source-map';

export type FileStatus = 'PASS' | 'FAIL' | 'SKIP' | 'ERROR';
export type ResourceStatus = 'PASS' | 'FAIL' | 'SKIP' | 'SUPPRESSED';
export type ContainerStatus = 'PASS' | 'FAIL' | 'EXEMPT' | 'SUPPRESSED';
/** The policy core's reasons, plus `unresolved`: the value is only known at deploy time. */
export type Reason = FailReason | 'unresolved';
/** Why a whole resource passes or fails without a per-container verdict. */
export type ResourceReason = 'empty' | 'windows' | 'not-a-list' | 'unresolved';

export interface ConditionChoice {
  readonly condition: string;
  readonly value: boolean;
}

export interface ContainerFinding {
  /** The container's Name when it resolves to a non-empty string, else null. */
  readonly name: string | null;
  /** Position in ContainerDefinitions (in the first combination of conditions that has it). */
  readonly index: number;
  readonly status: ContainerStatus;
  /** Why it fails (also for SUPPRESSED: why it would). */
  readonly reason?: Reason;
  /** For `unresolved`: what is missing and how to supply it. */
  readonly detail?: string;
  /** Where ReadonlyRootFilesystem is set, else where the container entry starts. */
  readonly line: number;
  readonly column: number;
  /** The Fn::If conditions, and their values, under which the container fails. */
  readonly conditions?: readonly ConditionChoice[];
  readonly exemptedBy?: Exemption;
}

export interface ResourceFinding {
  readonly logicalId: string;
  readonly type: TargetType;
  readonly status: ResourceStatus;
  readonly line: number;
  readonly column: number;
  readonly reason?: ResourceReason;
  readonly detail?: string;
  readonly conditions?: readonly ConditionChoice[];
  readonly suppressed?: boolean;
  readonly containers: readonly ContainerFinding[];
}

export interface TemplateError {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface TemplateResult {
  readonly status: FileStatus;
  readonly error?: TemplateError;
  readonly resources: readonly ResourceFinding[];
}

export interface ValidateOptions {
  /** Parameter values (`--parameter Name=Value`, a parameter file); others take their Default. */
  readonly parameters?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** The hook's type configuration (see parsePolicyConfig / readConfigDocument). */
  readonly config?: PolicyConfig;
  /** Ignore Metadata guard SuppressedRules. */
  readonly strict?: boolean;
  /** The file's name: a `.json` file must be JSON. */
  readonly fileName?: string;
}

/** One ECS task definition found in a template. */
export interface TaskDefinitionSite {
  readonly logicalId: string;
  readonly type: TargetType;
  readonly resource: Record<string, unknown>;
  readonly position: Position;
  readonly scope: TemplateScope;
}

const START: Position = { line: 1, column: 1 };

function given(parameters: ValidateOptions['parameters']): ReadonlyMap<string, string> {
  if (parameters === undefined) return new Map();
  return parameters instanceof Map ? parameters : new Map(Object.entries(parameters));
}

/** Replaces `${id}` and `&{id}` (alphanumerics only) in a Fn::ForEach output key. */
function loopKey(key: string, id: string, value: string | Unresolved): string {
  if (value instanceof Unresolved) return key;
  return key.split(`\${${id}}`).join(value).split(`&{${id}}`).join(value.replace(/[^A-Za-z0-9]/g, ''));
}

/**
 * A snippet without `Resources` (documentation examples often are): its top-level entries are read
 * as resources when one of them is an ECS task definition.
 */
function fragment(root: Record<string, unknown>): Record<string, unknown> | undefined {
  if ('AWSTemplateFormatVersion' in root || 'Resources' in root) return undefined;
  return Object.values(root).some((v) => isRecord(v) && isTargetType(v.Type)) ? root : undefined;
}

/** The task definitions of a template, with Fn::ForEach (AWS::LanguageExtensions) expanded where it can be. */
export function findTaskDefinitions(parsed: ParsedTemplate, options: ValidateOptions = {}): TaskDefinitionSite[] {
  const root = parsed.root;
  if (!isRecord(root)) return [];
  const resources = isRecord(root.Resources) ? root.Resources : fragment(root);
  if (!resources) return [];
  const base: TemplateScope = {
    parameters: parameterValues(root.Parameters, given(options.parameters)),
    mappings: root.Mappings,
    loop: new Map(),
  };
  const out: TaskDefinitionSite[] = [];
  const visit = (resources: Record<string, unknown>, scope: TemplateScope, depth: number): void => {
    for (const [key, value] of Object.entries(resources)) {
      const position = parsed.sourceMap.child(resources, key) ?? START;
      if (key.startsWith('Fn::ForEach::') && Array.isArray(value) && depth < 5) {
        const [id, collection, outputs] = value;
        if (typeof id !== 'string' || !isRecord(outputs)) continue;
        const items = new Resolver(scope, new Map()).resolve(collection, new Set());
        const values: (string | Unresolved)[] =
          Array.isArray(items) && items.every((i) => typeof i === 'string') ? (items as string[]) : [new Unresolved('loop', id)];
        for (const v of values) {
          const loop = new Map(scope.loop).set(id, v);
          const renamed: Record<string, unknown> = {};
          for (const [k, r] of Object.entries(outputs)) {
            renamed[loopKey(k, id, v)] = r;
            parsed.sourceMap.setChild(renamed, loopKey(k, id, v), parsed.sourceMap.child(outputs, k) ?? position);
          }
          visit(renamed, { ...scope, loop }, depth + 1);
        }
        continue;
      }
      if (isRecord(value) && isTargetType(value.Type)) {
        out.push({ logicalId: key, type: value.Type, resource: value, position, scope });
      }
    }
  };
  visit(resources, base, 0);
  return out;
}

function isSuppressed(resource: Record<string, unknown>): boolean {
  const metadata = resource.Metadata;
  const guard = isRecord(metadata) ? metadata.guard : undefined;
  const rules = isRecord(guard) ? guard.SuppressedRules : undefined;
  return Array.isArray(rules) && rules.includes(RULE_ID);
}

function choicesOf(used: Iterable<string>, scenario: ReadonlyMap<string, boolean>): ConditionChoice[] {
  const out: ConditionChoice[] = [];
  for (const condition of used) {
    const value = scenario.get(condition);
    if (value !== undefined && !out.some((c) => c.condition === condition)) out.push({ condition, value });
  }
  return out;
}

interface Merged {
  name: string | null;
  index: number;
  status: 'PASS' | 'FAIL' | 'EXEMPT';
  reason?: Reason;
  detail?: string;
  position: Position;
  conditions?: ConditionChoice[];
  exemptedBy?: Exemption;
}

const RANK = { EXEMPT: 0, PASS: 1, FAIL: 2 } as const;

/** Judges one task definition under every combination of the conditions that decide its containers. */
export function judgeTaskDefinition(site: TaskDefinitionSite, sourceMap: SourceMap, options: ValidateOptions = {}): ResourceFinding {
  const config = options.config ?? EMPTY_CONFIG;
  const suppressed = !options.strict && isSuppressed(site.resource);
  const head = { logicalId: site.logicalId, type: site.type, line: site.position.line, column: site.position.column };
  const props = site.resource.Properties;
  const deciding = decidingConditions(props);
  if (deciding.length > LIMITS.maxConditions) {
    return {
      ...head,
      status: suppressed ? 'SUPPRESSED' : 'FAIL',
      reason: 'unresolved',
      detail: new Unresolved('conditions', String(deciding.length)).describe(),
      ...(suppressed ? { suppressed } : {}),
      containers: [],
    };
  }
  const containers = new Map<unknown, Merged>();
  let resourceFail: { reason: ResourceReason; detail?: string; conditions: ConditionChoice[] } | undefined;
  let checked = false;
  let skipReason: ResourceReason | undefined;

  for (const scenario of scenarios(deciding)) {
    const r = new Resolver(site.scope, scenario);
    const used0 = new Set<string>();
    let p = r.unwrap(props, used0);
    if (p === NO_VALUE || p === undefined || p === null) p = {};
    if (p instanceof Unresolved || !isRecord(p)) {
      resourceFail ??= {
        reason: p instanceof Unresolved ? 'unresolved' : 'not-a-list',
        detail: p instanceof Unresolved ? p.describe() : 'Properties is not a mapping',
        conditions: choicesOf(used0, scenario),
      };
      continue;
    }
    const usedPlatform = new Set(used0);
    const platform = r.unwrap(p.RuntimePlatform, usedPlatform);
    const family = isRecord(platform) ? r.resolve(platform.OperatingSystemFamily, usedPlatform) : undefined;
    const usedList = new Set(used0);
    const list = r.unwrap(p.ContainerDefinitions, usedList);
    const listAt = sourceMap.child(p, 'ContainerDefinitions') ?? site.position;

    const entries: { key: unknown; used: Set<string>; position: Position; unresolved?: Unresolved }[] = [];
    const view: unknown[] = [];
    if (Array.isArray(list)) {
      list.forEach((raw, i) => {
        const used = new Set(usedList);
        const entry = r.unwrap(raw, used);
        if (entry === NO_VALUE) return;
        const at = sourceMap.of(entry) ?? sourceMap.child(list, i) ?? listAt;
        const key = sourceMap.of(entry) ? entry : `${at.line}:${at.column}#${view.length}`;
        if (!isRecord(entry)) {
          entries.push({ key, used, position: at, unresolved: entry instanceof Unresolved ? entry : undefined });
          view.push(entry);
          return;
        }
        const field = (name: string): unknown => r.resolve(entry[name], used);
        const rrf = field('ReadonlyRootFilesystem');
        const shown: Record<string, unknown> = { Name: field('Name'), Image: field('Image') };
        if (rrf !== NO_VALUE) shown.ReadonlyRootFilesystem = rrf;
        entries.push({
          key,
          used,
          position: rrf !== NO_VALUE && 'ReadonlyRootFilesystem' in entry ? (sourceMap.child(entry, 'ReadonlyRootFilesystem') ?? at) : at,
          unresolved: rrf instanceof Unresolved ? rrf : undefined,
        });
        view.push(shown);
      });
    }
    const evaluation = evaluateTaskDefinition(
      {
        ContainerDefinitions: Array.isArray(list) ? view : list === NO_VALUE ? undefined : list,
        RuntimePlatform: { OperatingSystemFamily: family },
      },
      config,
    );
    switch (evaluation.kind) {
      case 'windows':
      case 'empty':
        skipReason ??= evaluation.kind;
        continue;
      case 'not-a-list':
        resourceFail ??= {
          reason: list instanceof Unresolved ? 'unresolved' : 'not-a-list',
          detail: list instanceof Unresolved ? list.describe() : 'ContainerDefinitions is not a list',
          conditions: choicesOf(usedList, scenario),
        };
        continue;
      case 'checked':
        checked = true;
    }
    evaluation.containers.forEach((c, i) => {
      const entry = entries[i]!;
      const failing = c.status === 'FAIL';
      const next: Merged = {
        name: c.name,
        index: c.index,
        status: c.status,
        position: entry.position,
        ...(failing
          ? {
              reason: entry.unresolved ? 'unresolved' : c.reason,
              ...(entry.unresolved ? { detail: entry.unresolved.describe() } : {}),
              conditions: choicesOf(entry.used, scenario),
            }
          : {}),
        ...(c.exemptedBy ? { exemptedBy: c.exemptedBy } : {}),
      };
      const seen = containers.get(entry.key);
      if (!seen) containers.set(entry.key, next);
      else if (RANK[next.status] > RANK[seen.status]) containers.set(entry.key, { ...next, name: seen.name ?? next.name, index: seen.index });
      else if (seen.name === null && next.name !== null) seen.name = next.name;
    });
  }

  const list = [...containers.values()].sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
  const findings: ContainerFinding[] = list.map((m) => ({
    name: m.name,
    index: m.index,
    status: m.status === 'FAIL' && suppressed ? 'SUPPRESSED' : m.status,
    ...(m.reason ? { reason: m.reason } : {}),
    ...(m.detail ? { detail: m.detail } : {}),
    line: m.position.line,
    column: m.position.column,
    ...(m.conditions && m.conditions.length > 0 ? { conditions: m.conditions } : {}),
    ...(m.exemptedBy ? { exemptedBy: m.exemptedBy } : {}),
  }));
  const failing = resourceFail !== undefined || list.some((m) => m.status === 'FAIL');
  const status: ResourceStatus = failing ? (suppressed ? 'SUPPRESSED' : 'FAIL') : checked ? 'PASS' : 'SKIP';
  const why = resourceFail ?? (!checked && skipReason ? { reason: skipReason, conditions: [] } : undefined);
  return {
    ...head,
    status,
    ...(why ? { reason: why.reason } : {}),
    ...(why?.detail ? { detail: why.detail } : {}),
    ...(why && why.conditions.length > 0 ? { conditions: why.conditions } : {}),
    ...(suppressed && failing ? { suppressed: true } : {}),
    containers: findings,
  };
}

function fileStatus(resources: readonly ResourceFinding[]): FileStatus {
  if (resources.length === 0) return 'SKIP';
  return resources.some((r) => r.status === 'FAIL') ? 'FAIL' : 'PASS';
}

/** Reads template text or bytes; a failure carries the message and position to print. */
export function readTemplate(source: string | Uint8Array, fileName = ''): ParsedTemplate | { ok: false; error: TemplateError } {
  let text: string;
  if (typeof source === 'string') text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  else {
    const decoded = decodeTemplate(source);
    if (!decoded.ok) return { ok: false, error: { message: decoded.error } };
    text = decoded.text;
  }
  if (Buffer.byteLength(text, 'utf8') > LIMITS.maxBytes) {
    return { ok: false, error: { message: `template is over the ${LIMITS.maxBytes}-byte limit` } };
  }
  const parsed = parseTemplateText(text, fileName);
  if (!parsed.ok) return { ok: false, error: { message: parsed.message, ...(parsed.position ?? {}) } };
  return parsed;
}

/**
 * Judges every ECS task definition (AWS::ECS::TaskDefinition and AWS::ECS::DaemonTaskDefinition)
 * of a CloudFormation template with the hook's policy. Never throws: unreadable input comes back
 * with status ERROR.
 */
export function validateTemplate(source: string | Uint8Array, options: ValidateOptions = {}): TemplateResult {
  try {
    const parsed = readTemplate(source, options.fileName);
    if (!parsed.ok) return { status: 'ERROR', error: parsed.error, resources: [] };
    const resources = findTaskDefinitions(parsed, options).map((site) => judgeTaskDefinition(site, parsed.sourceMap, options));
    return { status: fileStatus(resources), resources };
  } catch {
    return { status: 'ERROR', error: { message: 'internal error while judging the template' }, resources: [] };
  }
}
