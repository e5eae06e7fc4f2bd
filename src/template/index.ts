/** Template reading and judging: the CLI's engine, also a typed API for other tools (e.g. CDK validation plugins). */
export {
  validateTemplate,
  findTaskDefinitions,
  judgeTaskDefinition,
  readTemplate,
  deploymentsOf,
  isTemplateDocument,
  looksLikeTemplate,
  mayHoldEcsType,
  type Deployment,
  type DeploymentCount,
  type SkipReason,
  type ConditionChoice,
  type ContainerFinding,
  type ContainerStatus,
  type FileStatus,
  type Reason,
  type ResourceFinding,
  type ResourceReason,
  type ResourceStatus,
  type TaskDefinitionSite,
  type TemplateError,
  type TemplateResult,
  type ValidateOptions,
} from './judge';
export {
  buildHookRequest,
  planHookRequests,
  resolvedProperties,
  toHookProperties,
  HOOK_TYPE_NAME,
  UNRESOLVED_PLACEHOLDER,
  type HookInvocationRequest,
  type HookRequestInput,
  type PlannedRequest,
  type PlanOptions,
} from './hook-request';
export { readConfigDocument, configProperties, type LoadedConfig } from './config';
export { parseParameterFile, parseParameterAssignment, ParameterError, PREVIOUS_VALUE } from './parameters';
export { parseTemplateText, type ParsedTemplate, type ParseFailure, type TemplateFormat } from './parse';
export { SourceMap, type Position } from './source-map';
export { Unresolved, GIVEN_PSEUDO_PARAMETERS, type UnresolvedKind } from './resolve';
export { Conditions } from './conditions';
export { LIMITS } from './limits';
export { fixTemplate, fixLabel, USUAL_WRITES, type FixContainer, type FixResult, type TextEdit } from './fix';
