// The hook's type configuration read from a file, in each form it is written, as the CLI reads it.
import { ConfigError } from '../../src/policy';
import { configProperties, readConfigDocument } from '../../src/template';

const EMPTY = { exemptContainerNames: [], exemptImages: [] };

function refusal(text: string): { property: string; message: string } {
  try {
    readConfigDocument(text);
  } catch (error) {
    if (error instanceof ConfigError) return { property: error.property, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('readConfigDocument', () => {
  it('reads the whole CloudFormationConfiguration document, JSON or YAML', () => {
    const json = JSON.stringify({ CloudFormationConfiguration: { HookConfiguration: { TargetStacks: 'ALL', FailureMode: 'FAIL', Properties: { ExemptImages: ['*/datadog-agent:*'] } } } });
    expect(readConfigDocument(json)).toEqual({ config: { exemptContainerNames: [], exemptImages: ['*/datadog-agent:*'] }, hookModel: { ExemptImages: ['*/datadog-agent:*'] } });
    const yaml = 'CloudFormationConfiguration:\n  HookConfiguration:\n    Properties:\n      ExemptContainerNames: [log-*]\n';
    expect(readConfigDocument(yaml)).toEqual({ config: { exemptContainerNames: ['log-*'], exemptImages: [] }, hookModel: { ExemptContainerNames: ['log-*'] } });
  });

  it('reads HookConfiguration at the top, and the Properties alone', () => {
    expect(readConfigDocument('HookConfiguration:\n  Properties:\n    ExemptImages: [a]\n').hookModel).toEqual({ ExemptImages: ['a'] });
    expect(readConfigDocument('ExemptImages: [a]\n')).toEqual({ config: { exemptContainerNames: [], exemptImages: ['a'] }, hookModel: { ExemptImages: ['a'] } });
  });

  it('takes a HookConfiguration without Properties, an empty file and null as no exemption', () => {
    for (const text of ['CloudFormationConfiguration: {HookConfiguration: {FailureMode: FAIL}}', '', 'null', '~\n']) {
      expect(readConfigDocument(text)).toEqual({ config: EMPTY, hookModel: {} });
    }
  });

  it('refuses a file that is not JSON or YAML at its line, and an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${`*${String.fromCharCode(97 + i)}, `.repeat(9)}*${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(refusal(bomb)).toEqual({ property: '(file)', message: 'The configuration file is not valid JSON or YAML.' });
    expect(refusal('{"ExemptImages": [')).toEqual({ property: '(file)', message: 'The configuration file has text that is not valid JSON or YAML at line 1.' });
    expect(refusal('x: 1\na: b: c')).toEqual({ property: '(file)', message: 'The configuration file has text that is not valid JSON or YAML at line 2.' });
    expect(refusal('x: 1\nx: 2\n')).toEqual({ property: '(file)', message: 'The configuration file has a key given twice at line 2.' });
    expect(refusal('{\n "ExemptImages": [],\n "ExemptImages": ["a"]\n}')).toEqual({ property: '(file)', message: 'The configuration file has a key given twice at line 3.' });
  });

  it('refuses a short tag at its line, never printing the line (it may hold a value)', async () => {
    const warnings: unknown[] = [];
    const listener = (w: unknown): number => warnings.push(w);
    process.on('warning', listener);
    try {
      expect(refusal('ExemptContainerNames: [a]\nExemptImages: [!Sub "${AWS::AccountId}.dkr.ecr/SECRET-CANARY-123"]\n')).toEqual({
        property: '(file)',
        message: 'The configuration file has a tag (such as !Sub or !Ref), which a configuration cannot resolve, at line 2.',
      });
      // Node emits warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).toEqual([]);
  });

  it('refuses what is not an object, and an unknown property, naming it', () => {
    expect(refusal('[a, b]')).toEqual({ property: '(configuration)', message: 'The type configuration must be an object, got a list.' });
    expect(refusal('just text')).toEqual({ property: '(configuration)', message: 'The type configuration must be an object, got a string.' });
    // A HookConfiguration that is not an object is not taken for one.
    expect(refusal('HookConfiguration: none')).toEqual({ property: 'HookConfiguration', message: "Unknown type configuration property 'HookConfiguration'; expected ExemptContainerNames or ExemptImages." });
  });
});

describe('configProperties', () => {
  it('finds the Properties in each form and leaves anything else as it is', () => {
    expect(configProperties({ CloudFormationConfiguration: { HookConfiguration: { Properties: { ExemptImages: ['a'] } } } })).toEqual({ ExemptImages: ['a'] });
    expect(configProperties({ CloudFormationConfiguration: { HookConfiguration: {} } })).toEqual({});
    expect(configProperties({ CloudFormationConfiguration: 'x', ExemptImages: [] })).toEqual({ CloudFormationConfiguration: 'x', ExemptImages: [] });
    expect(configProperties({ HookConfiguration: { Properties: null } })).toEqual({});
    for (const other of [null, undefined, 'text', 3, ['a']]) expect(configProperties(other)).toBe(other);
  });
});
