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
  safeName,
  type TargetType,
} from '../policy';
import { Conditions } from './conditions';
import { decodeTemplate } from './decode';
import { LIMITS } from './limits';
import { checkFindInMap, checkGivenParameters } from './parameter-check';
import { type ParsedTemplate, parseTemplateText } from './parse';
import {
  decidingConditions,
  isRecord,
  NO_VALUE,
  noEchoMask,
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
/**
 * Why a whole resource passes or fails without a per-container verdict. `condition`: the resource's
 * Condition is false for the parameter values given, so CloudFormation would not create it.
 */
export type ResourceReason = 'empty' | 'windows' | 'not-a-list' | 'unresolved' | 'condition';

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
  /**
   * The Fn::If conditions, and their values, under which the container fails (the first of
   * `whenAny` when it fails under several distinct combinations). Conditions decided by the
   * parameter values given are not listed.
   */
  readonly conditions?: readonly ConditionChoice[];
  /** When the container fails under several distinct combinations: each of them (any one fails it). */
  readonly whenAny?: readonly (readonly ConditionChoice[])[];
  readonly exemptedBy?: Exemption;
}

/** The containers of one deployment: that with the most failing containers (ties: the most containers). */
export interface DeploymentCount {
  readonly containers: number;
  readonly failing: number;
  readonly exempt: number;
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
  /**
   * The resource carries Metadata guard SuppressedRules for the rule but suppressions were not
   * honoured (`strict`): the deployed hook never sees template Metadata and blocks it all the same.
   */
  readonly suppressionIgnored?: boolean;
  /** Containers counted in one deployment, never across Fn::If branches (absent when nothing was checked). */
  readonly deployment?: DeploymentCount;
  readonly containers: readonly ContainerFinding[];
}

export interface TemplateError {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** Why a file is SKIP. */
export type SkipReason = 'not-a-template' | 'no-task-definitions';

export interface TemplateResult {
  readonly status: FileStatus;
  readonly error?: TemplateError;
  /** For SKIP: not a CloudFormation template at all, or a template without ECS task definitions. */
  readonly skipReason?: SkipReason;
  /** The template's declared parameter names (to warn about given parameters no template declares). */
  readonly declaredParameters?: readonly string[];
  /** Things not checked, worth a warning (e.g. an AllowedPattern too costly to run). */
  readonly notes?: readonly string[];
  readonly resources: readonly ResourceFinding[];
}

export interface ValidateOptions {
  /** Parameter values (`--parameter Name=Value`, a parameter file); others take their Default. */
  readonly parameters?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** The hook's type configuration (see parsePolicyConfig / readConfigDocument). */
  readonly config?: PolicyConfig;
  /** Ignore Metadata guard SuppressedRules (as the deployed hook does; the CLI's default). */
  readonly strict?: boolean;
  /** The file's name: a `.json` file must be JSON. */
  readonly fileName?: string;
  /**
   * Evaluate `Conditions` with the parameter values (given, else Default) and judge only the
   * branches they choose. Default: when any parameter value is given. `false`: every branch is judged.
   */
  readonly evaluateConditions?: boolean;
  /**
   * Skip, without reporting an error, what is not a CloudFormation template: text without
   * `AWS::ECS::` is not parsed, and text that does not parse is an ERROR only when it looks like a
   * template (the command line's directory walk). Default false: every parse error is an ERROR.
   */
  readonly onlyTemplates?: boolean;
}

/** One ECS task definition found in a template. */
export interface TaskDefinitionSite {
  readonly logicalId: string;
  readonly type: TargetType;
  readonly resource: Record<string, unknown>;
  readonly position: Position;
  readonly scope: SiteScope;
}

/** The scope of a task definition: the template's Conditions always come with it. */
export type SiteScope = TemplateScope & { readonly conditions: Conditions };

const START: Position = { line: 1, column: 1 };

/** The parameter values given, as a map whichever form the options carry them in. */
export function givenParameters(parameters: ValidateOptions['parameters']): ReadonlyMap<string, string> {
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

/**
 * The task definitions of a template, with Fn::ForEach (AWS::LanguageExtensions) expanded where it can be.
 * `twice`, when given, is told the first logical id (of any type) the expansion makes a second time,
 * at that second place: CloudFormation refuses such a template.
 */
export function findTaskDefinitions(parsed: ParsedTemplate, options: ValidateOptions = {}, twice?: (logicalId: string, position: Position) => void): TaskDefinitionSite[] {
  const root = parsed.root;
  if (!isRecord(root)) return [];
  const resources = isRecord(root.Resources) ? root.Resources : fragment(root);
  if (!resources) return [];
  const values = givenParameters(options.parameters);
  const plain: TemplateScope = {
    parameters: parameterValues(root.Parameters, values),
    mappings: root.Mappings,
    loop: new Map(),
  };
  const base: SiteScope = { ...plain, conditions: new Conditions(root.Conditions, plain, options.evaluateConditions ?? values.size > 0) };
  const out: TaskDefinitionSite[] = [];
  const ids = new Set<string>();
  let repeated = false;
  const visit = (resources: Record<string, unknown>, scope: SiteScope, depth: number): void => {
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
            // Every identifier in scope: a nested loop's keys name the outer loops' values too.
            const name = [...loop].reduce((key, [i, value]) => loopKey(key, i, value), k);
            // Two keys of one copy that come out the same ("&{D}" of "x.y" and "x-y").
            if (Object.prototype.hasOwnProperty.call(renamed, name)) noteTwice(name, parsed.sourceMap.child(outputs, k) ?? position);
            renamed[name] = r;
            parsed.sourceMap.setChild(renamed, name, parsed.sourceMap.child(outputs, k) ?? position);
          }
          visit(renamed, { ...scope, loop }, depth + 1);
        }
        continue;
      }
      // A key a loop left unexpanded (its collection unknown) is no logical id to compare.
      if (!/[$&]\{/.test(key)) {
        if (ids.has(key)) noteTwice(key, position);
        ids.add(key);
      }
      if (isRecord(value) && isTargetType(value.Type)) {
        out.push({ logicalId: key, type: value.Type, resource: value, position, scope });
      }
    }
  };
  const noteTwice = (logicalId: string, position: Position): void => {
    if (repeated) return;
    repeated = true;
    twice?.(logicalId, position);
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

function choicesOf(used: ReadonlySet<string>, scenario: ReadonlyMap<string, boolean>): ConditionChoice[] {
  const out: ConditionChoice[] = [];
  for (const condition of used) {
    const value = scenario.get(condition);
    if (value !== undefined) out.push({ condition, value });
  }
  return out;
}

/** One deployment of a task definition: values for the conditions deciding its containers. */
export interface Deployment {
  /** The values of the conditions left open (not decided by the parameter values given). */
  readonly open: ReadonlyMap<string, boolean>;
  /** Open and decided values together: what the resolver reads. */
  readonly all: ReadonlyMap<string, boolean>;
}

/**
 * The deployments to judge for a task definition: every combination of the open conditions that
 * decide its containers, with those the parameter values decide fixed, the resource's own Condition
 * true (it exists only then), and combinations the Conditions make impossible left out.
 * `undefined` when more conditions are open than LIMITS.maxConditions. Conditions that choose only
 * a Name or an Image the exemptions do not read (none are configured for it) count only while they
 * fit in that bound: past it they take their true branch, as they cannot change a verdict (nine
 * images chosen per environment do not make a compliant task definition unknown).
 */
export function deploymentsOf(site: TaskDefinitionSite, config: PolicyConfig = EMPTY_CONFIG): { open: string[]; deployments: Deployment[] } | { open: string[]; deployments?: undefined } {
  const all = decidingConditions(site.resource.Properties);
  const isOpen = (c: string): boolean => site.scope.conditions.value(c) === undefined && c !== site.resource.Condition;
  const deciding =
    all.filter(isOpen).length <= LIMITS.maxConditions
      ? all
      : decidingConditions(site.resource.Properties, { name: config.exemptContainerNames.length > 0, image: config.exemptImages.length > 0 });
  const conditions = site.scope.conditions;
  const own = site.resource.Condition;
  const fixed = new Map<string, boolean>();
  // The resource exists only when its Condition holds: combinations that contradict it are left out
  // too (Condition IsProd with an Fn::If on IsNotProd: !Not [!Condition IsProd]).
  if (typeof own === 'string') fixed.set(own, conditions.value(own) ?? true);
  for (const c of deciding) {
    const v = conditions.value(c);
    if (v !== undefined) fixed.set(c, v);
  }
  const open = deciding.filter((c) => !fixed.has(c));
  if (open.length > LIMITS.maxConditions) return { open };
  const deployments: Deployment[] = [];
  for (const scenario of scenarios(open)) {
    const all = new Map([...fixed, ...scenario]);
    if (!conditions.consistent(all)) continue;
    deployments.push({ open: scenario, all });
  }
  return { open, deployments };
}

/**
 * The combinations under which a container fails, shortened: two that differ in one condition only
 * become one without it, and one that contains another is dropped. An empty list means always.
 */
function simplify(lists: readonly ConditionChoice[][]): ConditionChoice[][] {
  const holds = (l: readonly ConditionChoice[], c: ConditionChoice): boolean => l.some((y) => y.condition === c.condition && y.value === c.value);
  const current = [...lists];
  // Each change removes one combination, so this ends.
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < current.length; i++) {
      for (let j = 0; j < current.length; j++) {
        if (i === j) continue;
        const a = current[i]!;
        const b = current[j]!;
        // b contains or repeats a: a alone says it. The empty combination (always) is in every other.
        if (a.every((x) => holds(b, x))) {
          current.splice(j, 1);
          changed = true;
          break outer;
        }
        if (a.length === b.length) {
          const differ = a.filter((x) => !holds(b, x));
          if (differ.length === 1 && b.some((y) => y.condition === differ[0]!.condition)) {
            current[i] = a.filter((x) => x !== differ[0]);
            current.splice(j, 1);
            changed = true;
            break outer;
          }
        }
      }
    }
  }
  return current;
}

interface Merged {
  name: string | null;
  index: number;
  status: 'PASS' | 'FAIL' | 'EXEMPT';
  reason?: Reason;
  detail?: string;
  position: Position;
  failing: ConditionChoice[][];
  exemptedBy?: Exemption;
}

const RANK = { EXEMPT: 0, PASS: 1, FAIL: 2 } as const;

/**
 * Judges one task definition in every deployment its conditions allow (see deploymentsOf). A
 * container is reported once, named by its Name when it has one (the same container in several
 * Fn::If branches is one container), with the combinations of conditions under which it fails.
 */
export function judgeTaskDefinition(site: TaskDefinitionSite, sourceMap: SourceMap, options: ValidateOptions = {}): ResourceFinding {
  const config = options.config ?? EMPTY_CONFIG;
  const hasSuppression = isSuppressed(site.resource);
  const suppressed = !options.strict && hasSuppression;
  const head = { logicalId: site.logicalId, type: site.type, line: site.position.line, column: site.position.column };
  const own = typeof site.resource.Condition === 'string' ? site.resource.Condition : undefined;
  if (own !== undefined && site.scope.conditions.value(own) === false) {
    return { ...head, status: 'SKIP', reason: 'condition', conditions: [{ condition: own, value: false }], containers: [] };
  }
  const props = site.resource.Properties;
  const plan = deploymentsOf(site, config);
  const suppressionFlags = (failing: boolean): { suppressed?: true; suppressionIgnored?: true } =>
    failing && hasSuppression ? (suppressed ? { suppressed: true } : { suppressionIgnored: true }) : {};
  if (!plan.deployments) {
    return {
      ...head,
      status: suppressed ? 'SUPPRESSED' : 'FAIL',
      reason: 'unresolved',
      detail: new Unresolved('conditions', String(plan.open.length)).describe(),
      ...suppressionFlags(true),
      containers: [],
    };
  }
  const containers = new Map<unknown, Merged>();
  let resourceFail: { reason: ResourceReason; detail?: string; conditions: ConditionChoice[] } | undefined;
  let checked = false;
  let skipReason: ResourceReason | undefined;
  let worst: DeploymentCount | undefined;

  for (const { open, all } of plan.deployments) {
    const r = new Resolver(site.scope, all);
    const used0 = new Set<string>();
    let p = r.unwrap(props, used0);
    if (p === NO_VALUE || p === undefined || p === null) p = {};
    // isRecord is false for an Unresolved too.
    if (!isRecord(p)) {
      resourceFail ??= {
        reason: p instanceof Unresolved ? 'unresolved' : 'not-a-list',
        detail: p instanceof Unresolved ? p.describe() : 'Properties is not a mapping',
        conditions: choicesOf(used0, open),
      };
      continue;
    }
    const usedPlatform = new Set(used0);
    const platform = r.unwrap(p.RuntimePlatform, usedPlatform);
    const family = isRecord(platform) ? r.resolve(platform.OperatingSystemFamily, usedPlatform) : undefined;
    // The OS family decides whether the containers are judged at all: its conditions are theirs too.
    const usedList = new Set(usedPlatform);
    const list = r.unwrap(p.ContainerDefinitions, usedList);
    const listAt = sourceMap.child(p, 'ContainerDefinitions') ?? site.position;

    const entries: { key: unknown; used: Set<string>; position: Position; unresolved?: Unresolved }[] = [];
    const view: unknown[] = [];
    // How many containers of this list so far had each name: the nth "app" is the same container in every branch.
    const seen = new Map<string, number>();
    if (Array.isArray(list)) {
      list.forEach((raw, i) => {
        const used = new Set(usedList);
        const entry = r.unwrap(raw, used);
        if (entry === NO_VALUE) return;
        const at = sourceMap.of(entry) ?? sourceMap.child(list, i) ?? listAt;
        const nodeKey = sourceMap.of(entry) ? entry : `${at.line}:${at.column}#${view.length}`;
        if (!isRecord(entry)) {
          entries.push({ key: nodeKey, used, position: at, unresolved: entry instanceof Unresolved ? entry : undefined });
          view.push(entry);
          return;
        }
        const field = (name: string): unknown => r.resolve(entry[name], used);
        const rrf = field('ReadonlyRootFilesystem');
        const name = field('Name');
        const shown: Record<string, unknown> = { Name: name, Image: field('Image') };
        if (rrf !== NO_VALUE) shown.ReadonlyRootFilesystem = rrf;
        // A named container is the same container in every branch that defines it.
        let key: unknown = nodeKey;
        if (typeof name === 'string' && name !== '') {
          const nth = seen.get(name) ?? 0;
          seen.set(name, nth + 1);
          key = `name:${nth}:${name}`;
        }
        entries.push({
          key,
          used,
          position: rrf !== NO_VALUE ? (sourceMap.child(entry, 'ReadonlyRootFilesystem') ?? at) : at,
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
          conditions: choicesOf(usedList, open),
        };
        continue;
      case 'checked':
        checked = true;
    }
    const count: DeploymentCount = {
      containers: evaluation.containers.length,
      failing: evaluation.containers.filter((c) => c.status === 'FAIL').length,
      exempt: evaluation.containers.filter((c) => c.status === 'EXEMPT').length,
    };
    if (!worst || count.failing > worst.failing || (count.failing === worst.failing && count.containers > worst.containers)) worst = count;
    evaluation.containers.forEach((c, i) => {
      const entry = entries[i]!;
      const failing = c.status === 'FAIL';
      const next: Merged = {
        name: c.name,
        index: c.index,
        status: c.status,
        position: entry.position,
        failing: failing ? [choicesOf(entry.used, open)] : [],
        ...(failing
          ? {
              reason: entry.unresolved ? 'unresolved' : c.reason,
              ...(entry.unresolved ? { detail: entry.unresolved.describe() } : {}),
            }
          : {}),
        ...(c.exemptedBy ? { exemptedBy: c.exemptedBy } : {}),
      };
      const seen = containers.get(entry.key);
      if (!seen) containers.set(entry.key, next);
      else {
        const failingSoFar = [...seen.failing, ...next.failing];
        // One key, one name: a name key is the Name itself, a node key is an entry without one.
        if (RANK[next.status] > RANK[seen.status]) containers.set(entry.key, { ...next, index: seen.index, failing: failingSoFar });
        else seen.failing = failingSoFar;
      }
    });
  }

  const list = [...containers.values()].sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
  const findings: ContainerFinding[] = list.map((m) => {
    // Only a FAIL ever recorded failing combinations (FAIL outranks the others when merged).
    const when = simplify(m.failing);
    return {
      name: m.name,
      index: m.index,
      status: m.status === 'FAIL' && suppressed ? 'SUPPRESSED' : m.status,
      ...(m.reason ? { reason: m.reason } : {}),
      ...(m.detail ? { detail: m.detail } : {}),
      line: m.position.line,
      column: m.position.column,
      ...(when.length > 0 && when[0]!.length > 0 ? { conditions: when[0]! } : {}),
      ...(when.length > 1 ? { whenAny: when } : {}),
      ...(m.exemptedBy ? { exemptedBy: m.exemptedBy } : {}),
    };
  });
  const failing = resourceFail !== undefined || list.some((m) => m.status === 'FAIL');
  const status: ResourceStatus = failing ? (suppressed ? 'SUPPRESSED' : 'FAIL') : checked ? 'PASS' : 'SKIP';
  const why = resourceFail ?? (!checked && skipReason ? { reason: skipReason, conditions: [] } : undefined);
  return {
    ...head,
    status,
    ...(why ? { reason: why.reason } : {}),
    ...(why?.detail ? { detail: why.detail } : {}),
    ...(why && why.conditions.length > 0 ? { conditions: why.conditions } : {}),
    ...suppressionFlags(failing),
    ...(worst ? { deployment: worst } : {}),
    containers: findings,
  };
}

function fileStatus(resources: readonly ResourceFinding[]): FileStatus {
  if (resources.length === 0) return 'SKIP';
  return resources.some((r) => r.status === 'FAIL') ? 'FAIL' : 'PASS';
}

/**
 * A CloudFormation template: a mapping with `AWSTemplateFormatVersion`, or with a `Resources` mapping
 * whose entries have string `Type`s (one is enough: a template with a broken resource is still a
 * template, and its task definitions are still judged). A snippet whose top-level entries include an
 * ECS task definition counts too (see findTaskDefinitions).
 */
export function isTemplateDocument(root: unknown): boolean {
  if (!isRecord(root)) return false;
  if ('AWSTemplateFormatVersion' in root) return true;
  if (isRecord(root.Resources)) {
    return Object.entries(root.Resources).some(([k, v]) => k.startsWith('Fn::ForEach::') || (isRecord(v) && typeof v.Type === 'string'));
  }
  return fragment(root) !== undefined;
}

/**
 * Whether text can hold an ECS resource type, so is worth parsing: `AWS::ECS::` as written, or an
 * escape that could spell it (JSON's `\u`; YAML's `\x`, `\u`, `\U` and escaped line breaks).
 */
export function mayHoldEcsType(text: string): boolean {
  return text.includes('AWS::ECS::') || /\\[uxU\r\n]/.test(text);
}

/**
 * For text that is not parsed (no `AWS::ECS::` in it) or does not parse: whether it reads like a
 * template. `AWSTemplateFormatVersion`, or a top-level `Resources:` key (YAML, column 1) or a
 * `"Resources"` key beside a `"Type": "X::Y"` (JSON).
 */
export function looksLikeTemplate(text: string): boolean {
  if (text.includes('AWSTemplateFormatVersion')) return true;
  if (/^["']?Resources["']?[ \t]*:/m.test(text)) return true;
  return /"Resources"\s*:/.test(text) && /"Type"\s*:\s*"[A-Za-z0-9]+::/.test(text);
}

/** Reads template text or bytes; a failure carries the message and position to print. */
export function readTemplate(source: string | Uint8Array, fileName?: string): ParsedTemplate | { ok: false; error: TemplateError } {
  const text = templateText(source);
  if (typeof text !== 'string') return text;
  const parsed = parseTemplateText(text, fileName);
  if (!parsed.ok) return { ok: false, error: { message: parsed.message, ...(parsed.position ?? {}) } };
  return parsed;
}

function templateText(source: string | Uint8Array): string | { ok: false; error: TemplateError } {
  let text: string;
  if (typeof source === 'string') text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  else {
    const decoded = decodeTemplate(source);
    if (!decoded.ok) return { ok: false, error: { message: decoded.error } };
    text = decoded.text;
  }
  if (Buffer.byteLength(text) > LIMITS.maxBytes) {
    return { ok: false, error: { message: `template is over the ${LIMITS.maxBytes}-byte limit` } };
  }
  return text;
}

function declaredNames(root: Record<string, unknown>): string[] | undefined {
  return isRecord(root.Parameters) ? Object.keys(root.Parameters) : undefined;
}

/**
 * Judges every ECS task definition (AWS::ECS::TaskDefinition and AWS::ECS::DaemonTaskDefinition)
 * of a CloudFormation template with the hook's policy. Never throws: unreadable input comes back
 * with status ERROR.
 */
export function validateTemplate(source: string | Uint8Array, options: ValidateOptions = {}): TemplateResult {
  try {
    const text = templateText(source);
    if (typeof text !== 'string') return { status: 'ERROR', error: text.error, resources: [] };
    // With parameter values given, a template's declared parameters are needed for the warnings: parse it.
    if (options.onlyTemplates && !mayHoldEcsType(text) && (givenParameters(options.parameters).size === 0 || !looksLikeTemplate(text))) {
      // Nothing here can be an ECS task definition: not worth parsing.
      return { status: 'SKIP', skipReason: looksLikeTemplate(text) ? 'no-task-definitions' : 'not-a-template', resources: [] };
    }
    const parsed = parseTemplateText(text, options.fileName);
    if (!parsed.ok) {
      if (options.onlyTemplates && !looksLikeTemplate(text)) return { status: 'SKIP', skipReason: 'not-a-template', resources: [] };
      return { status: 'ERROR', error: { message: parsed.message, ...(parsed.position ?? {}) }, resources: [] };
    }
    if (!isTemplateDocument(parsed.root)) return { status: 'SKIP', skipReason: 'not-a-template', resources: [] };
    const root = parsed.root as Record<string, unknown>;
    const declaredParameters = declaredNames(root);
    const supplied = givenParameters(options.parameters);
    const notes: string[] = [];
    if (supplied.size > 0) {
      const checked = checkGivenParameters(root.Parameters, supplied, parsed.sourceMap);
      notes.push(...checked.notes);
      const problems = [...checked.problems, ...checkFindInMap(root, supplied, conditionsOf(root, supplied, options), parsed.sourceMap)];
      const first = problems[0];
      if (first) {
        return {
          status: 'ERROR',
          error: { message: first.message, ...(first.position ?? {}) },
          ...(declaredParameters ? { declaredParameters } : {}),
          resources: [],
        };
      }
    }
    const mask = noEchoMask(root.Parameters, supplied);
    let duplicate: { logicalId: string; position: Position } | undefined;
    const sites = findTaskDefinitions(parsed, options, (logicalId, position) => (duplicate = { logicalId, position }));
    if (duplicate) {
      const id = mask ? mask(duplicate.logicalId) : duplicate.logicalId;
      return {
        status: 'ERROR',
        error: { message: `Fn::ForEach makes the logical id '${safeName(id, 128)}' more than once; CloudFormation would refuse the template`, ...duplicate.position },
        ...(declaredParameters ? { declaredParameters } : {}),
        resources: [],
      };
    }
    const judged = sites.map((site) => judgeTaskDefinition(site, parsed.sourceMap, options));
    const resources = mask ? judged.map((r) => maskedFinding(r, mask)) : judged;
    const status = fileStatus(resources);
    return {
      status,
      ...(status === 'SKIP' ? { skipReason: 'no-task-definitions' as const } : {}),
      ...(declaredParameters ? { declaredParameters } : {}),
      ...(notes.length > 0 ? { notes } : {}),
      resources,
    };
  } catch {
    return { status: 'ERROR', error: { message: 'internal error while judging the template' }, resources: [] };
  }
}

/** A finding whose logical id and container names hide NoEcho parameter values (see noEchoMask). */
function maskedFinding(r: ResourceFinding, mask: (text: string) => string): ResourceFinding {
  return { ...r, logicalId: mask(r.logicalId), containers: r.containers.map((c) => (c.name === null ? c : { ...c, name: mask(c.name) })) };
}

function conditionsOf(root: Record<string, unknown>, values: ReadonlyMap<string, string>, options: ValidateOptions): Conditions {
  const scope: TemplateScope = { parameters: parameterValues(root.Parameters, values), mappings: root.Mappings, loop: new Map() };
  // Only called with parameter values given: evaluated unless told otherwise.
  return new Conditions(root.Conditions, scope, options.evaluateConditions ?? true);
}
