/**
 * The stack-level check: the task definitions of a template as submitted, judged before any resource
 * exists. Parameter values are not known here (the payload has none), so this check blocks only what
 * fails whatever the parameters and conditions turn out to be: a literal missing or false value, in
 * every branch of every Fn::If on its path, in a resource created whatever happens. Anything a deploy-time
 * value could decide is named as left to the resource-level check, which sees the resolved value: this
 * check must never block a stack the resource-level check would let through.
 *
 * It lives beside the template reader because it is a reading of a template; it uses the reader's
 * exported API (readTemplate, findTaskDefinitions) and the policy core, nothing of the CLI.
 */
import { evaluateContainer, type PolicyConfig, type TargetContainer, type TargetFinding } from '../policy';
import { findTaskDefinitions, readTemplate, type TaskDefinitionSite } from './judge';
import type { ParsedTemplate } from './parse';
import { isRecord, Unresolved } from './resolve';
import type { SourceMap } from './source-map';

/** Transforms known not to rewrite ECS task definitions; any other (a macro) may rewrite anything. */
const HARMLESS_TRANSFORMS: ReadonlySet<unknown> = new Set(['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31']);
/** Fn::If branches followed per value; past it the value is left to the resource-level check. */
const MAX_ALTERNATIVES = 64;

export type StackJudgement = { readonly ok: true; readonly findings: TargetFinding[] } | { readonly ok: false; readonly reason: string };

const NO_VALUE = Symbol('AWS::NoValue');
const UNKNOWN = Symbol('deploy-time value');
type Alternative = unknown;

/** An object CloudFormation evaluates (Ref, Fn::...), or a dynamic reference resolved at deploy time. */
function isIntrinsic(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{resolve:');
  return isRecord(value) && Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::'));
}

/**
 * The values `value` can take: each Fn::If followed both ways, Ref AWS::NoValue as NO_VALUE, any other
 * intrinsic as UNKNOWN. Literal mappings and lists are returned as they stand.
 */
function alternatives(value: unknown, out: Alternative[] = [], depth = 0): Alternative[] {
  if (out.length >= MAX_ALTERNATIVES || depth > 32) {
    out.push(UNKNOWN);
    return out;
  }
  if (isRecord(value) && Object.keys(value).length === 1) {
    const ifArgs = value['Fn::If'];
    if (Array.isArray(ifArgs) && ifArgs.length === 3 && typeof ifArgs[0] === 'string') {
      alternatives(ifArgs[1], out, depth + 1);
      alternatives(ifArgs[2], out, depth + 1);
      return out;
    }
    if (value.Ref === 'AWS::NoValue') {
      out.push(NO_VALUE);
      return out;
    }
  }
  out.push(isIntrinsic(value) ? UNKNOWN : value);
  return out;
}

/**
 * True when `key` appears anywhere below `value` (Fn::Transform can splice in any property). The
 * reader bounds the nesting (LIMITS.maxDepth), and so this recursion.
 */
function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => containsKey(v, key));
  if (!isRecord(value)) return false;
  return Object.keys(value).some((k) => k === key || containsKey(value[k], key));
}

/** The names of the template's transforms, a string or `{Name, Parameters}` each (anything else names none). */
function transformsOf(root: Record<string, unknown>): unknown[] {
  const raw = root.Transform;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((t) => (isRecord(t) ? t.Name : t));
}

/**
 * The template without its Parameters: a Ref to a parameter reads as a deploy-time value, as a Ref
 * to a resource does (no Default is taken, e.g. for the collection of an Fn::ForEach).
 */
function withoutParameters(parsed: ParsedTemplate): ParsedTemplate {
  return { ...parsed, root: { ...(parsed.root as Record<string, unknown>), Parameters: undefined } };
}

/** ReadonlyRootFilesystem as literally written: the values both checks fail, `true`, or UNKNOWN. */
function literalFlag(value: Alternative): unknown {
  if (value === NO_VALUE || value === undefined) return undefined;
  if (value === true || value === false) return value;
  if (typeof value === 'string' && (value.toLowerCase() === 'true' || value.toLowerCase() === 'false')) return value;
  // "yes", 1, null...: YAML readers differ on them; the resource-level check sees what CloudFormation made of it.
  return UNKNOWN;
}

function literalText(value: unknown): string | undefined | typeof UNKNOWN {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && !isIntrinsic(value)) return value;
  return UNKNOWN;
}

/** One container entry, judged in every scenario: FAIL only when it fails in all of them. */
function judgeEntry(raw: unknown, index: number, config: PolicyConfig, sourceMap: SourceMap, list: unknown[], fallbackLine?: number): TargetContainer | undefined {
  const entries = alternatives(raw);
  if (entries.every((e) => e === NO_VALUE)) return undefined;
  const lineOf = (entry: unknown): number | undefined =>
    (isRecord(entry) ? (sourceMap.child(entry, 'ReadonlyRootFilesystem') ?? sourceMap.of(entry)) : undefined)?.line ?? sourceMap.child(list, index)?.line ?? fallbackLine;
  const results: TargetContainer[] = [];
  let leftName: string | null = null;
  for (const entry of entries) {
    if (entry === NO_VALUE || entry === UNKNOWN) return { index, name: leftName, status: 'LEFT', line: lineOf(raw) };
    if (!isRecord(entry)) {
      results.push({ ...evaluateContainer(entry, index, config), line: lineOf(entry) });
      continue;
    }
    const name = literalText(entry.Name);
    const image = literalText(entry.Image);
    if (typeof name === 'string' && name.length > 0) leftName ??= name;
    // An exemption pattern could match the deploy-time name or image.
    if ((name === UNKNOWN && config.exemptContainerNames.length > 0) || (image === UNKNOWN && config.exemptImages.length > 0)) {
      return { index, name: leftName, status: 'LEFT', line: lineOf(entry) };
    }
    for (const flag of alternatives(entry.ReadonlyRootFilesystem)) {
      const value = literalFlag(flag);
      if (value === UNKNOWN) return { index, name: leftName, status: 'LEFT', line: lineOf(entry) };
      // The policy core reads a Name or Image only when it is text: UNKNOWN here is no name, no image.
      const view = { Name: name, Image: image, ReadonlyRootFilesystem: value };
      results.push({ ...evaluateContainer(view, index, config), line: lineOf(entry) });
    }
  }
  const names = new Set(results.map((r) => r.name));
  const name = names.size === 1 ? results[0]!.name : null;
  if (results.every((r) => r.status === 'FAIL')) return { ...results[0]!, name };
  if (results.some((r) => r.status === 'FAIL')) return { index, name, status: 'LEFT', line: results[0]!.line };
  if (results.every((r) => r.status === 'EXEMPT')) return { ...results[0]!, name };
  return { index, name, status: 'PASS', line: results[0]!.line };
}

function judgeSite(site: TaskDefinitionSite, config: PolicyConfig, sourceMap: SourceMap, transformLeft: string | undefined): TargetFinding {
  const head = { logicalId: site.logicalId, targetType: site.type, line: site.position.line };
  const left = (why: string): TargetFinding => ({ ...head, kind: 'left', why, containers: [] });
  const resource = site.resource;
  if (transformLeft !== undefined) return left(transformLeft);
  if (resource.Condition !== undefined) {
    return left(typeof resource.Condition === 'string' ? 'the resource exists only when its Condition holds' : 'its Condition is not a name');
  }
  if ([...site.scope.loop.values()].some((v) => v instanceof Unresolved)) return left('Fn::ForEach ranges over values known only at deploy time');
  if (containsKey(resource, 'Fn::Transform')) return left('Fn::Transform can add properties at deploy time');
  const props = resource.Properties;
  if (props === undefined || props === null) return { ...head, kind: 'skipped', containers: [] };
  if (!isRecord(props) || isIntrinsic(props)) return left('its Properties are computed at deploy time');
  const platform = props.RuntimePlatform;
  if (platform !== undefined) {
    if (!isRecord(platform) || isIntrinsic(platform)) return left('its RuntimePlatform is computed at deploy time');
    const family = literalText(platform.OperatingSystemFamily);
    if (family === UNKNOWN) return left('its OperatingSystemFamily is known only at deploy time');
    if (typeof family === 'string' && family.startsWith('WINDOWS')) return { ...head, kind: 'skipped', containers: [] };
  }
  const list = props.ContainerDefinitions;
  if (list === undefined || list === null) return { ...head, kind: 'skipped', containers: [] };
  if (isIntrinsic(list)) return left('its ContainerDefinitions are computed at deploy time');
  if (!Array.isArray(list)) return { ...head, kind: 'not-a-list', containers: [] };
  const containers: TargetContainer[] = [];
  list.forEach((raw, i) => {
    const judged = judgeEntry(raw, i, config, sourceMap, list, site.position.line);
    if (judged !== undefined) containers.push(judged);
  });
  return { ...head, kind: containers.length === 0 ? 'skipped' : 'checked', containers };
}

/** Judges the template of a stack-level request. A template that does not parse is refused, not passed. */
export function judgeStackTemplate(text: string, config: PolicyConfig): StackJudgement {
  const parsed = readTemplate(text);
  if (!parsed.ok) {
    const at = parsed.error.line === undefined ? '' : ` at line ${parsed.error.line}`;
    return { ok: false, reason: `the template does not parse${at}: ${parsed.error.message}` };
  }
  if (!isRecord(parsed.root)) return { ok: false, reason: 'the template is not a mapping' };
  const others = transformsOf(parsed.root).filter((t) => !HARMLESS_TRANSFORMS.has(t));
  const transformLeft = others.length > 0 ? 'the template runs a macro (Transform) that may rewrite it' : undefined;
  // No Resources-less fragments here: CloudFormation deploys only templates with Resources.
  if (!isRecord(parsed.root.Resources)) return { ok: true, findings: [] };
  const sites = findTaskDefinitions(withoutParameters(parsed));
  return { ok: true, findings: sites.map((site) => judgeSite(site, config, parsed.sourceMap, transformLeft)) };
}
