/**
 * The HookInvocationRequest CloudFormation sends the hook's Lambda function for a resource of a
 * template, so the built hook can be run exactly as CloudFormation runs it (`npm start`, the corpus
 * check). CloudFormation hands hooks every primitive property as a string.
 */
import { randomUUID } from 'node:crypto';
import type { TargetType } from '../policy';
import type { ConditionChoice, TaskDefinitionSite, ValidateOptions } from './judge';
import { deploymentsOf, findTaskDefinitions, readTemplate, type TemplateError } from './judge';
import { LIMITS } from './limits';
import { isRecord, NO_VALUE, Resolver, scenarios, Unresolved } from './resolve';

export const HOOK_TYPE_NAME = 'Guardrails::ECS::ReadonlyRootFilesystem';

/**
 * What a value only known at deploy time is sent as. Any string but "true" would do: it stands for
 * some value the template cannot tell, and the policy judges it as not `true`.
 */
export const UNRESOLVED_PLACEHOLDER = '{{unresolved}}';

export interface HookInvocationRequest {
  clientRequestToken: string;
  awsAccountId: string;
  stackId: string;
  changeSetId?: string;
  hookTypeName: string;
  hookTypeVersion: string;
  hookModel: Record<string, unknown>;
  actionInvocationPoint: 'CREATE_PRE_PROVISION' | 'UPDATE_PRE_PROVISION';
  invocationId: string;
  requestData: {
    targetName: string;
    targetType: 'RESOURCE';
    targetLogicalId: string;
    targetModel: { resourceProperties: Record<string, unknown>; previousResourceProperties?: Record<string, unknown> };
  };
  requestContext: { invocation: number; callbackContext: Record<string, never> };
}

/** Properties as CloudFormation sends them to a hook: booleans and numbers become strings, at every depth. */
export function toHookProperties(value: unknown): unknown {
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Unresolved) return UNRESOLVED_PLACEHOLDER;
  if (Array.isArray(value)) return value.filter((v) => v !== NO_VALUE).map(toHookProperties);
  if (isRecord(value)) {
    // Object.fromEntries defines own properties: a `__proto__` key stays a key.
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === NO_VALUE || v === undefined ? [] : [[k, toHookProperties(v)]])));
  }
  return value;
}

export interface HookRequestInput {
  readonly logicalId: string;
  readonly targetName: TargetType | string;
  /** Resolved properties (template values); stringified here. */
  readonly properties: Record<string, unknown>;
  readonly previousProperties?: Record<string, unknown>;
  /** The type configuration's Properties (`hookModel`). */
  readonly hookModel?: Record<string, unknown>;
  readonly invocationPoint?: 'CREATE_PRE_PROVISION' | 'UPDATE_PRE_PROVISION';
  readonly clientRequestToken?: string;
  readonly stackName?: string;
}

export function buildHookRequest(input: HookRequestInput): HookInvocationRequest {
  const stack = input.stackName ?? 'template-check';
  const request: HookInvocationRequest = {
    clientRequestToken: input.clientRequestToken ?? randomUUID(),
    awsAccountId: '123456789012',
    stackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${stack}/${randomUUID()}`,
    hookTypeName: HOOK_TYPE_NAME,
    hookTypeVersion: '00000001',
    hookModel: input.hookModel ?? {},
    actionInvocationPoint: input.invocationPoint ?? 'CREATE_PRE_PROVISION',
    invocationId: randomUUID(),
    requestData: {
      targetName: input.targetName,
      targetType: 'RESOURCE',
      targetLogicalId: input.logicalId,
      targetModel: { resourceProperties: toHookProperties(input.properties) as Record<string, unknown> },
    },
    requestContext: { invocation: 1, callbackContext: {} },
  };
  if (input.previousProperties !== undefined) {
    request.requestData.targetModel.previousResourceProperties = toHookProperties(input.previousProperties) as Record<string, unknown>;
  }
  return request;
}

export interface PlannedRequest {
  readonly logicalId: string;
  readonly type: TargetType;
  readonly line: number;
  readonly column: number;
  /** The Fn::If condition values this request assumes (empty when no condition decides the containers). */
  readonly conditions: readonly ConditionChoice[];
  readonly request: HookInvocationRequest;
}

export interface PlanOptions extends ValidateOptions {
  /** The type configuration's Properties, sent as hookModel. */
  readonly hookModel?: Record<string, unknown>;
}

/** The properties CloudFormation would resolve for a task definition under one choice of conditions. */
export function resolvedProperties(site: TaskDefinitionSite, scenario: ReadonlyMap<string, boolean>): Record<string, unknown> {
  const resolved = new Resolver(site.scope, scenario).resolve(site.resource.Properties, new Set());
  return isRecord(resolved) ? resolved : {};
}

/**
 * For every ECS task definition of a template and every combination of the conditions deciding its
 * containers, the request CloudFormation would send the hook at CREATE_PRE_PROVISION.
 */
export function planHookRequests(
  source: string | Uint8Array,
  options: PlanOptions = {},
): { ok: true; requests: PlannedRequest[] } | { ok: false; error: TemplateError } {
  const parsed = readTemplate(source, options.fileName);
  if (!parsed.ok) return parsed;
  const requests: PlannedRequest[] = [];
  for (const site of findTaskDefinitions(parsed, options)) {
    // A resource whose Condition the parameter values make false is not created: no request.
    if (typeof site.resource.Condition === 'string' && site.scope.conditions.value(site.resource.Condition) === false) continue;
    const plan = deploymentsOf(site, options.config);
    // Over the limit of open conditions: the first combinations, as the judge reports the resource unresolved.
    const deployments = plan.deployments ?? [...scenarios(plan.open.slice(0, LIMITS.maxConditions))].map((open) => ({ open, all: open }));
    for (const { open, all } of deployments) {
      requests.push({
        logicalId: site.logicalId,
        type: site.type,
        line: site.position.line,
        column: site.position.column,
        conditions: [...open].map(([condition, value]) => ({ condition, value })),
        request: buildHookRequest({
          logicalId: site.logicalId,
          targetName: site.type,
          properties: resolvedProperties(site, all),
          hookModel: options.hookModel,
        }),
      });
    }
  }
  return { ok: true, requests };
}
