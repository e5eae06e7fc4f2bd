/**
 * The type configuration as the hook receives it (`hookModel`): read through the generated
 * TypeConfigurationModel, then checked into the policy's PolicyConfig.
 */
import { CONFIG_PROPERTIES, ConfigError, EMPTY_CONFIG, parsePolicyConfig, type PolicyConfig } from './policy/config';
import { isRecord } from './runtime/protocol';
import { TypeConfigurationError } from './runtime/wrapper';

type ModelsModule = typeof import('./models');
let models: ModelsModule | undefined;

/** The generated models pull in class-transformer; loaded only when a configuration is present. */
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
  try {
    // Shape first, on the raw document, so errors name the property as the schema spells it.
    parsePolicyConfig(raw);
    const model = loadModels().TypeConfigurationModel.deserialize(raw as Record<string, unknown>);
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
