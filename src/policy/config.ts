import { safeName } from './text';

/** The hook's type configuration, as the policy uses it. */
export interface PolicyConfig {
  /** Glob patterns matched against container names. */
  readonly exemptContainerNames: readonly string[];
  /** Glob patterns matched against container images. */
  readonly exemptImages: readonly string[];
}

export const EMPTY_CONFIG: PolicyConfig = Object.freeze({
  exemptContainerNames: Object.freeze([]) as readonly string[],
  exemptImages: Object.freeze([]) as readonly string[],
});

/** Property names exactly as in the hook schema's `typeConfiguration`. */
export const CONFIG_PROPERTIES = {
  ExemptContainerNames: 'exemptContainerNames',
  ExemptImages: 'exemptImages',
} as const;
export type ConfigPropertyName = keyof typeof CONFIG_PROPERTIES;

/** Bounds from the schema; a configuration beyond them is rejected, never truncated. */
export const MAX_PATTERNS = 100;
export const MAX_PATTERN_LENGTH: Record<ConfigPropertyName, number> = {
  ExemptContainerNames: 255,
  ExemptImages: 1024,
};

export class ConfigError extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function patternList(property: ConfigPropertyName, value: unknown): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new ConfigError(property, `${property} must be a list of glob patterns, got ${describe(value)}.`);
  }
  if (value.length > MAX_PATTERNS) {
    throw new ConfigError(property, `${property} has ${value.length} patterns; at most ${MAX_PATTERNS} are allowed.`);
  }
  const limit = MAX_PATTERN_LENGTH[property];
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || item.length === 0) {
      throw new ConfigError(property, `${property}[${i}] must be a non-empty string, got ${describe(item)}.`);
    }
    if (item.length > limit) {
      throw new ConfigError(property, `${property}[${i}] is ${item.length} characters long; at most ${limit} are allowed.`);
    }
    return item;
  });
}

/**
 * Reads a type configuration (the schema's property names, e.g. the hook's `hookModel` or a CLI
 * config file's `Properties`). Throws ConfigError naming the property when the shape is wrong, so a
 * bad configuration can never silently switch the check off.
 */
export function parsePolicyConfig(raw: unknown): PolicyConfig {
  if (raw === undefined || raw === null) return EMPTY_CONFIG;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('(configuration)', `The type configuration must be an object, got ${describe(raw)}.`);
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!Object.prototype.hasOwnProperty.call(CONFIG_PROPERTIES, key)) {
      throw new ConfigError(
        key,
        `Unknown type configuration property '${safeName(key, 64)}'; expected ${Object.keys(CONFIG_PROPERTIES).join(' or ')}.`,
      );
    }
  }
  return {
    exemptContainerNames: patternList('ExemptContainerNames', record.ExemptContainerNames),
    exemptImages: patternList('ExemptImages', record.ExemptImages),
  };
}
