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
  it.each([undefined, null, {}, { ExemptContainerNames: null, ExemptImages: undefined }])('reads %j as no exemptions', (raw) => {
    expect(parsePolicyConfig(raw)).toEqual({ exemptContainerNames: [], exemptImages: [] });
    expect(EMPTY_CONFIG).toEqual({ exemptContainerNames: [], exemptImages: [] });
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
    [7, '(configuration)', 'The type configuration must be an object, got a number.'],
    [true, '(configuration)', 'The type configuration must be an object, got a boolean.'],
    [{ ExemptImages: [null] }, 'ExemptImages', 'ExemptImages[0] must be a non-empty string, got null.'],
    [{ ExemptImages: [['x']] }, 'ExemptImages', 'ExemptImages[0] must be a non-empty string, got a list.'],
    [{ ExemptContainerNames: ['a', { b: 1 }] }, 'ExemptContainerNames', 'ExemptContainerNames[1] must be a non-empty string, got an object.'],
    [{ ExemptContainerNames: [false] }, 'ExemptContainerNames', 'ExemptContainerNames[0] must be a non-empty string, got a boolean.'],
    [{ ExemptContainerNames: 5 }, 'ExemptContainerNames', 'ExemptContainerNames must be a list of glob patterns, got a number.'],
    [{ toString: ['x'] }, 'toString', "Unknown type configuration property 'toString'; expected ExemptContainerNames or ExemptImages."],
    [
      { [`Exempt${'X'.repeat(100)}`]: [] },
      `Exempt${'X'.repeat(100)}`,
      `Unknown type configuration property 'Exempt${'X'.repeat(57)}…'; expected ExemptContainerNames or ExemptImages.`,
    ],
  ])('rejects %j naming %s', (raw, property, message) => {
    const error = configError(raw);
    expect(error.property).toBe(property);
    expect(error.message).toBe(message);
  });

  it('accepts 100 patterns, names of 255 characters and images of 1,024', () => {
    const names = Array.from({ length: 100 }, (_, i) => `n${i}`);
    expect(parsePolicyConfig({ ExemptContainerNames: names }).exemptContainerNames).toEqual(names);
    expect(parsePolicyConfig({ ExemptContainerNames: ['x'.repeat(255)], ExemptImages: ['i'.repeat(1024)] })).toEqual({
      exemptContainerNames: ['x'.repeat(255)],
      exemptImages: ['i'.repeat(1024)],
    });
  });

  it('throws a ConfigError by that name', () => {
    const error = configError('x');
    expect(error.name).toBe('ConfigError');
    expect(String(error)).toBe('ConfigError: The type configuration must be an object, got a string.');
  });

  it('rejects more than 100 patterns and over-long patterns instead of truncating', () => {
    expect(configError({ ExemptImages: Array.from({ length: 101 }, (_, i) => `p${i}`) }).message).toBe(
      'ExemptImages has 101 patterns; at most 100 are allowed.',
    );
    expect(configError({ ExemptContainerNames: ['x'.repeat(256)] }).message).toBe(
      'ExemptContainerNames[0] is 256 characters long; at most 255 are allowed.',
    );
    expect(configError({ ExemptImages: ['ok', 'i'.repeat(1025)] }).message).toBe('ExemptImages[1] is 1025 characters long; at most 1024 are allowed.');
    expect(configError({ ExemptContainerNames: Array.from({ length: 101 }, (_, i) => `n${i}`) }).message).toBe(
      'ExemptContainerNames has 101 patterns; at most 100 are allowed.',
    );
  });
});
