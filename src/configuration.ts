/**
 * The type configuration as the hook receives it (`hookModel`): read through the generated
 * TypeConfigurationModel, then checked into the policy's PolicyConfig.
 */
import { CONFIG_PROPERTIES, ConfigError, EMPTY_CONFIG, parsePolicyConfig, type PolicyConfig } from './policy/config';
import { isRecord } from './runtime/protocol';
import { TypeConfigurationError } from './runtime/wrapper';

type ModelsModule = typeof import('./models');
let models: ModelsModule | undefined;

/**
 * The generated models pull in class-transformer and the plugin library's model modules: built apart
 * (dist/models.js) and loaded only when a configuration is present, so an invocation without one neither
 * compiles nor parses them.
 */
function loadModels(): ModelsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  models ??= require('./models') as ModelsModule;
  return models;
}

function isEmpty(raw: unknown): boolean {
  return raw === undefined || raw === null || (isRecord(raw) && Object.keys(raw).length === 0);
}

export function loadConfiguration(raw: unknown): PolicyConfig {
  if (isEmpty(raw)) return EMPTY_CONFIG;
  // Outside the try: a package without dist/models.js is the package's fault, not the configuration's.
  const { TypeConfigurationModel } = loadModels();
  try {
    // Shape first, on the raw document, so errors name the property as the schema spells it.
    parsePolicyConfig(raw);
    const model = TypeConfigurationModel.deserialize(raw as Record<string, unknown>);
    return parsePolicyConfig({
      ExemptContainerNames: model.exemptContainerNames ?? undefined,
      ExemptImages: model.exemptImages ?? undefined,
    } satisfies Record<keyof typeof CONFIG_PROPERTIES, unknown>);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new TypeConfigurationError(`Invalid type configuration: ${error.message}`);
    }
    throw new TypeConfigurationError('Invalid type configuration: it could not be read as the hook schema describes.');
  }
}

/** The Lambda hook's configuration: environment variables, one per type configuration property. */
export const ENVIRONMENT_VARIABLES: Readonly<Record<keyof typeof CONFIG_PROPERTIES, string>> = {
  ExemptContainerNames: 'EXEMPT_CONTAINER_NAMES',
  ExemptImages: 'EXEMPT_IMAGES',
};

/**
 * Reads EXEMPT_CONTAINER_NAMES and EXEMPT_IMAGES (comma-separated glob patterns, spaces around a comma
 * ignored) with the type configuration's meaning and bounds. A bad value is an error naming the
 * variable, never a silent pass.
 */
export function loadEnvironmentConfiguration(env: NodeJS.ProcessEnv): PolicyConfig {
  const raw: Record<string, unknown> = {};
  const names = Object.keys(ENVIRONMENT_VARIABLES) as (keyof typeof ENVIRONMENT_VARIABLES)[];
  for (const property of names) {
    const value = env[ENVIRONMENT_VARIABLES[property]];
    if (value === undefined || value.trim() === '') continue;
    const items = value.split(',').map((item) => item.trim());
    const empty = items.indexOf('');
    if (empty >= 0) {
      throw new TypeConfigurationError(`Invalid environment variable ${ENVIRONMENT_VARIABLES[property]}: item ${empty + 1} is empty (two commas in a row, or a comma at an end).`);
    }
    raw[property] = items;
  }
  try {
    return parsePolicyConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError && Object.prototype.hasOwnProperty.call(ENVIRONMENT_VARIABLES, error.property)) {
      const variable = ENVIRONMENT_VARIABLES[error.property as keyof typeof ENVIRONMENT_VARIABLES];
      // The policy names the property and a list index; the function's owner sets a variable and its items.
      const detail = error.message
        .replace(new RegExp(`^${error.property}\\[(\\d+)\\]`), (_m, i: string) => `item ${Number(i) + 1}`)
        .replace(new RegExp(`^${error.property} has`), 'it has');
      throw new TypeConfigurationError(`Invalid environment variable ${variable}: ${detail}`);
    }
    throw new TypeConfigurationError('Invalid Lambda hook configuration: the environment could not be read.');
  }
}
