/**
 * The hook's STACK and CHANGE_SET targets: one answer for a whole template, or for a change set before
 * anyone executes it. Built apart as dist/stack.js (it carries the template reader) and loaded only by
 * the invocations that need it, so resource-level invocations pay nothing for it at cold start.
 */
import {
  evaluateTaskDefinition,
  isCompliant,
  isTargetType,
  type PolicyConfig,
  reportTargets,
  safeName,
  type TargetContainer,
  type TargetFinding,
} from './policy';
import type { HookHandlerRequest } from './runtime/protocol';
import { isRecord, payloadFailureMessage, payloadSubject } from './runtime/protocol';
import type { HandlerResult } from './runtime/wrapper';
import { LIMITS } from './template/limits';
import { judgeStackTemplate } from './template/stack';

function unreadable(targetName: string, reason: string): HandlerResult {
  return { hookStatus: 'FAILED', errorCode: 'InvalidRequest', message: payloadFailureMessage(payloadSubject(targetName), reason) };
}

function verdictResult(scope: string, findings: readonly TargetFinding[], skipStackHook: boolean): HandlerResult {
  const verdict = reportTargets(scope, findings);
  if (!verdict.compliant) return { hookStatus: 'FAILED', errorCode: 'NonCompliant', message: verdict.message, annotations: verdict.annotations };
  return { hookStatus: skipStackHook ? 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK' : 'SUCCESS', message: verdict.message, annotations: verdict.annotations };
}

function failing(f: TargetFinding): boolean {
  return f.kind === 'not-a-list' || f.containers.some((c) => c.status === 'FAIL');
}

/**
 * A payload field by its documented lower-camel name, else by any casing of it or of an alias: the Java
 * runtime binds these fields case-insensitively and by its own names (`Template`, `ChangedResources`,
 * `Action`, `ResourceProperties`...), so CloudFormation may send either form.
 */
function field(record: Record<string, unknown>, name: string, alias?: string): unknown {
  if (Object.prototype.hasOwnProperty.call(record, name)) return record[name];
  const wanted = [name.toLowerCase(), alias?.toLowerCase()];
  for (const key of Object.keys(record)) if (wanted.includes(key.toLowerCase())) return record[key];
  return undefined;
}

/** Marks a template given as JSON too deep to turn back into text. */
const TOO_DEEP = Symbol('too deep');

/**
 * A template as text; the Java runtime types it as any JSON value, so a parsed JSON template is
 * accepted too. Thousands of levels of nesting overflow JSON.stringify before the reader could refuse
 * them (it reads 100): TOO_DEEP, answered as the reader answers deep nesting.
 */
function templateText(value: unknown): unknown {
  if (!isRecord(value)) return value;
  try {
    return JSON.stringify(value);
  } catch {
    return TOO_DEEP;
  }
}

function checkStack(request: HookHandlerRequest, config: PolicyConfig): HandlerResult {
  const template = templateText(field(request.targetModel, 'template'));
  if (template === TOO_DEEP) return unreadable('STACK', `the template does not parse: nesting deeper than ${LIMITS.maxDepth} levels`);
  if (typeof template !== 'string' || template.trim() === '') return unreadable('STACK', 'it carries no template');
  const judged = judgeStackTemplate(template, config);
  if (!judged.ok) return unreadable('STACK', judged.reason);
  let findings = judged.findings;
  const previousText = templateText(field(request.targetModel, 'previousTemplate'));
  if (request.invocationPoint === 'UPDATE_PRE_PROVISION' && typeof previousText === 'string' && previousText.trim() !== '' && findings.some(failing)) {
    // Only to say that an update turns the protection off; a previous template that does not read changes nothing.
    const previous = judgeStackTemplate(previousText, config);
    if (previous.ok) {
      const protectedBefore = new Set(previous.findings.filter((f) => f.kind === 'checked' && f.containers.every((c) => c.status === 'PASS' || c.status === 'EXEMPT')).map((f) => f.logicalId));
      findings = findings.map((f) => (failing(f) && protectedBefore.has(f.logicalId) ? { ...f, turnsProtectionOff: true } : f));
    }
  }
  return verdictResult(`Stack '${safeName(request.targetLogicalId, 128)}'`, findings, false);
}

/** A value CloudFormation has not resolved yet: an intrinsic, a dynamic reference or a {{...}} placeholder. */
function unresolved(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  return isRecord(value) && Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::'));
}

/**
 * A resource's properties from `{"Properties": {...}}` (afterContext, beforeContext) or from the
 * properties themselves (the Java runtime's ResourceProperties), as a JSON string or already an object;
 * undefined when absent. No task definition has a property named `Properties`, so the two never mix.
 */
function contextProperties(raw: unknown): Record<string, unknown> | undefined | 'unreadable' {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'unreadable';
    }
  }
  if (!isRecord(value)) return 'unreadable';
  if (!Object.prototype.hasOwnProperty.call(value, 'Properties')) return value;
  const props = value.Properties;
  if (props === undefined || props === null) return {};
  return isRecord(props) ? props : 'unreadable';
}

function judgeChange(
  logicalId: string,
  targetType: TargetFinding['targetType'],
  line: number | undefined,
  props: Record<string, unknown>,
  before: Record<string, unknown> | undefined,
  config: PolicyConfig,
): TargetFinding {
  const head = { logicalId, targetType, line };
  const left = (why: string): TargetFinding => ({ ...head, kind: 'left', why, containers: [] });
  const platform = props.RuntimePlatform;
  if (unresolved(platform) || (isRecord(platform) && unresolved(platform.OperatingSystemFamily))) return left('its OperatingSystemFamily is known only at deploy time');
  const list = props.ContainerDefinitions;
  if (unresolved(list)) return left('its ContainerDefinitions are known only at deploy time');
  // Judged exactly as the resource-level check judges resourceProperties.
  const evaluation = evaluateTaskDefinition(props, config);
  const previous = before === undefined ? undefined : evaluateTaskDefinition(before, config);
  const turnsProtectionOff = previous !== undefined && previous.kind === 'checked' && isCompliant(previous) && !isCompliant(evaluation);
  switch (evaluation.kind) {
    case 'empty':
    case 'windows':
      return { ...head, kind: 'skipped', containers: [] };
    case 'not-a-list':
      return { ...head, kind: 'not-a-list', containers: [], turnsProtectionOff };
    case 'checked': {
      const entries = list as unknown[];
      const containers = evaluation.containers.map((c): TargetContainer => {
        const entry = entries[c.index];
        const pending =
          unresolved(entry) ||
          (isRecord(entry) &&
            (unresolved(entry.ReadonlyRootFilesystem) ||
              (config.exemptContainerNames.length > 0 && unresolved(entry.Name)) ||
              (config.exemptImages.length > 0 && unresolved(entry.Image))));
        return pending ? { index: c.index, name: c.name, status: 'LEFT' } : c;
      });
      return { ...head, kind: 'checked', containers, turnsProtectionOff };
    }
  }
}

function checkChangeSet(request: HookHandlerRequest, config: PolicyConfig): HandlerResult {
  const changes = field(request.targetModel, 'changedResources');
  if (!Array.isArray(changes)) return unreadable('CHANGE_SET', 'it carries no changedResources list');
  const findings: TargetFinding[] = [];
  for (const change of changes) {
    if (!isRecord(change)) return unreadable('CHANGE_SET', 'a changed resource is not an object');
    const resourceType = field(change, 'resourceType');
    if (!isTargetType(resourceType)) continue;
    const logicalResourceId = field(change, 'logicalResourceId');
    const logicalId = typeof logicalResourceId === 'string' ? logicalResourceId : '';
    // Only a deletion creates nothing; any other action (an import, one added later) is judged on what it
    // leaves deployed, and an entry whose action cannot be read was not judged at all.
    const rawAction = field(change, 'action');
    if (typeof rawAction !== 'string' || rawAction.trim() === '') return unreadable('CHANGE_SET', `the change to '${safeName(logicalId, 128)}' names no action`);
    const action = rawAction.trim().toUpperCase();
    if (action === 'DELETE') continue;
    const after = contextProperties(field(change, 'afterContext', 'resourceProperties'));
    const before = action === 'UPDATE' ? contextProperties(field(change, 'beforeContext', 'previousResourceProperties')) : undefined;
    if (after === 'unreadable' || before === 'unreadable') {
      return unreadable('CHANGE_SET', `the context of '${safeName(logicalId, 128)}' is not {"Properties": {...}} as JSON`);
    }
    // A creation or update always says what it will create: without it nothing was judged.
    if (after === undefined) return unreadable('CHANGE_SET', `the change to '${safeName(logicalId, 128)}' carries no afterContext`);
    const lineNumber = Number(field(change, 'lineNumber'));
    const line = Number.isInteger(lineNumber) && lineNumber > 0 ? lineNumber : undefined;
    findings.push(judgeChange(logicalId, resourceType, line, after, before, config));
  }
  // Skipping the stack-level invocation is safe only when nothing was left to deploy-time values.
  const resolved = findings.every((f) => f.kind !== 'left' && f.containers.every((c) => c.status !== 'LEFT'));
  const name = /:changeSet\/([^/]+)/.exec(request.targetLogicalId)?.[1] ?? request.targetLogicalId;
  return verdictResult(`Change set '${safeName(name, 128)}'`, findings, resolved);
}

/** Judges a STACK or CHANGE_SET request whose payload the wrapper has read into `targetModel`. */
export function checkStackTarget(request: HookHandlerRequest, config: PolicyConfig): HandlerResult {
  return request.targetName === 'STACK' ? checkStack(request, config) : checkChangeSet(request, config);
}
