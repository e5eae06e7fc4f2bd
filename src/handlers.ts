/** The Lambda entrypoints: the policy core wired to the hook runtime. */
import { loadConfiguration, loadEnvironmentConfiguration } from './configuration';
import { evaluateTaskDefinition, report, TARGET_TYPES, type PolicyConfig, type TargetType } from './policy';
import type { HookHandlerRequest } from './runtime/protocol';
import { isRecord, payloadSubject, RequestError } from './runtime/protocol';
import { createHook, type HandlerResult } from './runtime/wrapper';

type StackChecks = typeof import('./stack-checks');
/** The stack and change-set checks (dist/stack.js in the bundle, with the template reader), loaded on their first request. */
function stackChecks(): StackChecks {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./stack-checks') as StackChecks;
}

/** Stack-level and change-set targets: the schema lists them beside the resource types. */
const WHOLE_TARGETS = ['STACK', 'CHANGE_SET'] as const;

function check(request: HookHandlerRequest, config: PolicyConfig): HandlerResult {
  if (request.targetName === 'STACK' || request.targetName === 'CHANGE_SET') return stackChecks().checkStackTarget(request, config);
  const { resourceProperties, previousResourceProperties } = request.targetModel;
  if (!isRecord(resourceProperties)) {
    throw new RequestError('The request has no target model (requestData.targetModel.resourceProperties is not an object).');
  }
  const previous =
    request.invocationPoint === 'UPDATE_PRE_PROVISION' && isRecord(previousResourceProperties)
      ? evaluateTaskDefinition(previousResourceProperties, config)
      : undefined;
  const verdict = report(evaluateTaskDefinition(resourceProperties, config), {
    logicalId: request.targetLogicalId,
    // The wrapper calls a handler only for the targets listed below (STACK and CHANGE_SET went above).
    targetType: request.targetName as TargetType,
    previous,
  });
  return verdict.compliant
    ? { hookStatus: 'SUCCESS', message: verdict.message, annotations: verdict.annotations }
    : { hookStatus: 'FAILED', errorCode: 'NonCompliant', message: verdict.message, annotations: verdict.annotations };
}

const hook = createHook<PolicyConfig>({
  targetNames: [...TARGET_TYPES, ...WHOLE_TARGETS],
  handlers: { CREATE_PRE_PROVISION: check, UPDATE_PRE_PROVISION: check },
  parseConfiguration: loadConfiguration,
  parseEnvironment: loadEnvironmentConfiguration,
  payloadSubject,
});

/** The registered hook type's handler (`.rpdk-config` entrypoint). */
export const entrypoint = hook.entrypoint;
export const testEntrypoint = hook.testEntrypoint;
/** The handler of an AWS::CloudFormation::LambdaHook: configuration from EXEMPT_CONTAINER_NAMES / EXEMPT_IMAGES. */
export const lambdaHook = hook.lambdaEntrypoint;
