import { ConfigError, EMPTY_CONFIG, parsePolicyConfig } from '../../src/policy';

function configError(raw: unknown): ConfigError {
  try {
    parsePolicyConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePolicyConfig', () => {
  it.each([undefined, null, {}])('reads %j as no exemptions', (raw) => {
    expect(parsePolicyConfig(raw)).toEqual(EMPTY_CONFIG);
  });

  it('reads both pattern lists', () => {
    expect(parsePolicyConfig({ ExemptContainerNames: ['log_router'], ExemptImages: ['x/*'] })).toEqual({
      exemptContainerNames: ['log_router'],
      exemptImages: ['x/*'],
    });
  });

  it.each([
    [{ ExemptContainerNames: 'log_router' }, 'ExemptContainerNames', 'ExemptContainerNames must be a list of glob patterns, got a string.'],
    [{ ExemptContainerNames: '["log_router"]' }, 'ExemptContainerNames', 'ExemptContainerNames must be a list of glob patterns, got a string.'],
    [{ ExemptImages: { a: 1 } }, 'ExemptImages', 'ExemptImages must be a list of glob patterns, got an object.'],
    [{ ExemptImages: ['ok', 3] }, 'ExemptImages', 'ExemptImages[1] must be a non-empty string, got a number.'],
    [{ ExemptImages: [''] }, 'ExemptImages', 'ExemptImages[0] must be a non-empty string, got a string.'],
    [{ ExemptImages: 'true' }, 'ExemptImages', 'ExemptImages must be a list of glob patterns, got a string.'],
    [{ ExemptContainerName: ['x'] }, 'ExemptContainerName', "Unknown type configuration property 'ExemptContainerName'; expected ExemptContainerNames or ExemptImages."],
    ['true', '(configuration)', 'The type configuration must be an object, got a string.'],
    [[], '(configuration)', 'The type configuration must be an object, got a list.'],
  ])('rejects %j naming %s', (raw, property, message) => {
    const error = configError(raw);
    expect(error.property).toBe(property);
    expect(error.message).toBe(message);
  });

  it('rejects more than 100 patterns and over-long patterns instead of truncating', () => {
    expect(configError({ ExemptImages: Array.from({ length: 101 }, (_, i) => `p${i}`) }).message).toBe(
      'ExemptImages has 101 patterns; at most 100 are allowed.',
    );
    expect(configError({ ExemptContainerNames: ['x'.repeat(256)] }).message).toBe(
      'ExemptContainerNames[0] is 256 characters long; at most 255 are allowed.',
    );
  });
});
