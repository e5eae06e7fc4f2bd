/** The Lambda entrypoints: the policy core wired to the hook runtime. */
import { loadConfiguration } from './configuration';
import { evaluateTaskDefinition, isTargetType, report, TARGET_TYPES, type PolicyConfig } from './policy';
import type { HookHandlerRequest } from './runtime/protocol';
import { isRecord, RequestError } from './runtime/protocol';
import { createHook, type HandlerResult } from './runtime/wrapper';

function check(request: HookHandlerRequest, config: PolicyConfig): HandlerResult {
  const { resourceProperties, previousResourceProperties } = request.targetModel;
  // The wrapper only calls with the schema's targets; this narrows the type.
  if (!isTargetType(request.targetName)) throw new Error('handler called for a target it does not handle');
  if (!isRecord(resourceProperties)) {
    throw new RequestError('The request has no target model (requestData.targetModel.resourceProperties is not an object).');
  }
  const previous =
    request.invocationPoint === 'UPDATE_PRE_PROVISION' && isRecord(previousResourceProperties)
      ? evaluateTaskDefinition(previousResourceProperties, config)
      : undefined;
  const verdict = report(evaluateTaskDefinition(resourceProperties, config), {
    logicalId: request.targetLogicalId,
    targetType: request.targetName,
    previous,
  });
  return verdict.compliant
    ? { hookStatus: 'SUCCESS', message: verdict.message, annotations: verdict.annotations }
    : { hookStatus: 'FAILED', errorCode: 'NonCompliant', message: verdict.message, annotations: verdict.annotations };
}

const hook = createHook<PolicyConfig>({
  targetNames: TARGET_TYPES,
  handlers: { CREATE_PRE_PROVISION: check, UPDATE_PRE_PROVISION: check },
  parseConfiguration: loadConfiguration,
});

export const entrypoint = hook.entrypoint;
export const testEntrypoint = hook.testEntrypoint;
