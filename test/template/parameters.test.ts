// Parameter values as the AWS CLI takes them: Name=Value on the command line, and every parameter file form.
import { Conditions, ParameterError, parseParameterAssignment, parseParameterFile, parseTemplateText, PREVIOUS_VALUE, validateTemplate } from '../../src/template';
import { checkFindInMap, checkGivenParameters } from '../../src/template/parameter-check';
import { parameterValues } from '../../src/template/resolve';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ParameterError) {
      expect(error.name).toBe('ParameterError');
      return error.message;
    }
    throw error;
  }
  throw new Error('not refused');
}

const entries = (m: Map<string, string>) => [...m];

describe('parseParameterAssignment', () => {
  it.each([
    ['Env=prod', ['Env', 'prod']],
    ['Env=a=b', ['Env', 'a=b']],
    ['Env=', ['Env', '']],
    ['Env= spaced ', ['Env', ' spaced ']],
    ['AWS::Region=eu-west-1', ['AWS::Region', 'eu-west-1']],
    ['AWS::AccountId=123456789012', ['AWS::AccountId', '123456789012']],
    ['AWS::Partition=aws-cn', ['AWS::Partition', 'aws-cn']],
    [`${'N'.repeat(255)}=1`, ['N'.repeat(255), '1']],
  ])('reads %s', (text, pair) => {
    expect(parseParameterAssignment(text)).toEqual(pair);
  });

  const wanted = 'is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)';
  it.each([
    ['Env'],
    ['=prod'],
    ['my-param=x'],
    ['Env Name=x'],
    ['AWS::StackName=x'],
    ['AWS::RegionX=x'],
    ['xAWS::Region=x'],
    [`${'N'.repeat(256)}=1`],
    [`Pa$$word:${'s'.repeat(100)}`],
  ])('refuses %s, named by where it was given, never by its text (it may be a value)', (text) => {
    expect(refusal(() => parseParameterAssignment(text))).toBe(`a parameter ${wanted}`);
    expect(refusal(() => parseParameterAssignment(text, 'line 7'))).toBe(`line 7 ${wanted}`);
  });
});

describe('parseParameterFile', () => {
  it("reads create-stack's list of ParameterKey/ParameterValue, scalars as text, UsePreviousValue as the previous value", () => {
    const text = JSON.stringify([
      { ParameterKey: 'Env', ParameterValue: 'prod' },
      { ParameterKey: 'Count', ParameterValue: 3 },
      { ParameterKey: 'Debug', ParameterValue: false },
      { ParameterKey: 'Kept', UsePreviousValue: true },
      { ParameterKey: 'Given', ParameterValue: 'x', UsePreviousValue: false },
    ]);
    expect(entries(parseParameterFile(`\n  ${text}\n`))).toEqual([
      ['Env', 'prod'],
      ['Count', '3'],
      ['Debug', 'false'],
      ['Kept', PREVIOUS_VALUE],
      ['Given', 'x'],
    ]);
  });

  it("reads deploy's list of Name=Value and its object of Parameters", () => {
    expect(entries(parseParameterFile('["Env=prod", "Url=https://x?a=b"]'))).toEqual([
      ['Env', 'prod'],
      ['Url', 'https://x?a=b'],
    ]);
    expect(entries(parseParameterFile('{"Parameters": {"Env": "prod", "Count": 2, "Debug": true}}'))).toEqual([
      ['Env', 'prod'],
      ['Count', '2'],
      ['Debug', 'true'],
    ]);
  });

  it('reads Name=Value lines, LF or CRLF, skipping blank lines and comments; a later value wins', () => {
    expect(entries(parseParameterFile('# values\r\nEnv=dev\r\n\r\n  Tier=web  \n   # indented comment\nEnv=prod\n'))).toEqual([
      ['Env', 'prod'],
      ['Tier', 'web'],
    ]);
    expect(entries(parseParameterFile(''))).toEqual([]);
    expect(entries(parseParameterFile('[]'))).toEqual([]);
    expect(entries(parseParameterFile('{"Parameters": {}}'))).toEqual([]);
  });

  it.each([
    ['[{"ParameterKey": "Env"', 'parameter file is not valid JSON'],
    ['{"Parameters": ', 'parameter file is not valid JSON'],
    ['{"Env": "prod"}', 'parameter file must be a list or an object with Parameters'],
    ['{"Parameters": ["Env=prod"]}', 'parameter file must be a list or an object with Parameters'],
    ['{"Parameters": null}', 'parameter file must be a list or an object with Parameters'],
    ['{"Parameters": {"Env": ["prod"]}}', "parameter file: value of 'Env' must be a string"],
    ['{"Parameters": {"Env": null}}', "parameter file: value of 'Env' must be a string"],
    [`{"Parameters": {"${'K'.repeat(70)}": {}}}`, `parameter file: value of '${'K'.repeat(64)}' must be a string`],
    ['[{"ParameterKey": "Env"}]', 'parameter file: entry 0 has no string ParameterValue'],
    ['["A=1", {"ParameterKey": "Env", "ParameterValue": {"a": 1}}]', 'parameter file: entry 1 has no string ParameterValue'],
    ['[{"ParameterKey": "Env", "ParameterValue": null, "UsePreviousValue": "true"}]', 'parameter file: entry 0 has no string ParameterValue'],
    ['["A=1", 3]', 'parameter file: entry 1 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['[{"ParameterKey": 1, "ParameterValue": "x"}]', 'parameter file: entry 0 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['[["Env=prod"]]', 'parameter file: entry 0 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['[null]', 'parameter file: entry 0 is neither Name=Value nor {ParameterKey, ParameterValue}'],
    ['["A=1", "Env"]', 'parameter file: entry 1 is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)'],
    ['Env=prod\nnot a pair\n', 'parameter file: line 2 is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)'],
    // The text of a malformed line is never shown: it may be a value.
    ['# secrets\r\nEnv=prod\r\nDbPassword: SECRET-CANARY-123\r\n', 'parameter file: line 3 is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)'],
    ['Cert=-----BEGIN KEY-----\nSECRETCANARY123ABCDEF\n', 'parameter file: line 2 is not Name=Value with an alphanumeric name (or AWS::Region, AWS::AccountId, AWS::Partition)'],
  ])('refuses %s', (text, message) => {
    expect(refusal(() => parseParameterFile(text))).toBe(message);
  });
});

describe('given values checked against the declared parameters, as CloudFormation checks them', () => {
  function check(parameters: string, given: Record<string, string>): { problems: string[]; notes: string[] } {
    const parsed = parseTemplateText(`Parameters:\n${parameters}`, 't.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    const checked = checkGivenParameters((parsed.root as Record<string, unknown>).Parameters, new Map(Object.entries(given)), parsed.sourceMap);
    return { problems: checked.problems.map((p) => p.message), notes: checked.notes };
  }
  const refused = (name: string, why: string) => `parameter '${name}': the value given ${why}; CloudFormation would refuse the stack`;
  const notRun = (name: string) => `parameter '${name}': its AllowedPattern was not checked (a pattern that could take too long to run)`;
  const ok = { problems: [], notes: [] };

  it('reports an ERROR at the parameter, naming it, never its value', () => {
    const text = 'Parameters:\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\nResources:\n  T: {Type: AWS::ECS::TaskDefinition}\n';
    expect(validateTemplate(text, { parameters: { Env: 'se-cr-et' } })).toEqual({
      status: 'ERROR',
      error: { message: refused('Env', 'is not one of its AllowedValues'), line: 2, column: 3 },
      declaredParameters: ['Env'],
      resources: [],
    });
  });

  it('checks only declared parameters given a value, declared as objects', () => {
    expect(check('  Env: {Type: String, AllowedValues: [dev]}\n  Odd: dev\n  Empty: ~\n', { Other: 'x', Odd: 'x', Empty: 'x' })).toEqual(ok);
    const parsed = parseTemplateText('Parameters: [Env, {AllowedValues: [a]}]\n', 't.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    // Parameters that are not a mapping declare nothing to check, not even by position.
    const given = new Map([['Env', 'x'], ['0', 'x'], ['1', 'x']]);
    expect(checkGivenParameters((parsed.root as Record<string, unknown>).Parameters, given, parsed.sourceMap)).toEqual(ok);
    expect(checkGivenParameters(undefined, given, parsed.sourceMap)).toEqual(ok);
  });

  it('checks Number values, bounds included, every item of a List<Number>', () => {
    const decl = '  N: {Type: Number, MinValue: 2, MaxValue: "10"}\n  L: {Type: List<Number>, MinValue: 2, MaxValue: 10}\n  F: {Type: Number}\n';
    expect(check(decl, { N: '2', L: '2,10', F: '-1.5e3' })).toEqual(ok);
    for (const value of ['+3', '3.', '.5', '.55', '007', '1E2', '1e+5', '2E-10', '1e10', '-0']) expect(check(decl, { F: value })).toEqual(ok);
    expect(check(decl, { N: '10' })).toEqual(ok);
    expect(check(decl, { N: '1.5' })).toEqual({ problems: [refused('N', 'is below its MinValue')], notes: [] });
    expect(check(decl, { N: '10.5' })).toEqual({ problems: [refused('N', 'is above its MaxValue')], notes: [] });
    expect(check(decl, { L: '5,1' })).toEqual({ problems: [refused('L', 'is below its MinValue')], notes: [] });
    expect(check(decl, { L: '11,5' })).toEqual({ problems: [refused('L', 'is above its MaxValue')], notes: [] });
    // What JavaScript's Number() reads and CloudFormation refuses: hexadecimal, binary, octal, spaces.
    for (const value of ['ten', '', ' ', 'Infinity', '0x', '1,2', '0x10', '0b101', '0o7', ' 5', '5 ', '1e', '.', '+']) {
      expect(check(decl, { N: value })).toEqual({ problems: [refused('N', 'is not a number')], notes: [] });
    }
    for (const value of ['1,x', '3,,4', '3, ']) {
      expect(check(decl, { L: value })).toEqual({ problems: [refused('L', 'is not a number')], notes: [] });
    }
  });

  it('stops at a value that is not a number, and reports each other failure', () => {
    const decl = "  N: {Type: Number, AllowedValues: [1, 2], AllowedPattern: '[0-9]', MinLength: 2}\n";
    expect(check(decl, { N: 'x' })).toEqual({ problems: [refused('N', 'is not a number')], notes: [] });
    expect(check(decl, { N: '3' })).toEqual({
      problems: [refused('N', 'is not one of its AllowedValues'), refused('N', 'is shorter than its MinLength')],
      notes: [],
    });
    expect(check("  S: {AllowedValues: [ab], AllowedPattern: 'a', MaxLength: 1, MinLength: 3}\n", { S: 'xy' })).toEqual({
      problems: [refused('S', 'is not one of its AllowedValues'), refused('S', 'does not match its AllowedPattern'), refused('S', 'is shorter than its MinLength'), refused('S', 'is longer than its MaxLength')],
      notes: [],
    });
  });

  it('takes AllowedValues written as numbers and booleans as their text, ignoring other entries', () => {
    const decl = '  P: {Type: String, AllowedValues: [1, true, x, {a: 1}, [y]]}\n';
    for (const value of ['1', 'true', 'x']) expect(check(decl, { P: value })).toEqual(ok);
    for (const value of ['y', '[object Object]', 'undefined', '']) expect(check(decl, { P: value }).problems).toEqual([refused('P', 'is not one of its AllowedValues')]);
  });

  it('checks each item of a CommaDelimitedList (spaces trimmed) and of a List<...> (as written)', () => {
    const decl = "  C: {Type: CommaDelimitedList, AllowedValues: [a, b], AllowedPattern: '[a-z]'}\n  Z: {Type: 'List<AWS::EC2::AvailabilityZone::Name>', AllowedValues: [a, b]}\n";
    expect(check(decl, { C: 'a, b', Z: 'a,b' })).toEqual(ok);
    expect(check(decl, { C: 'a,c' }).problems).toEqual([refused('C', 'is not one of its AllowedValues')]);
    expect(check(decl, { Z: 'a, b' }).problems).toEqual([refused('Z', 'is not one of its AllowedValues')]);
    expect(check("  C: {Type: CommaDelimitedList, AllowedPattern: '[a-z]'}\n", { C: 'a,bc' }).problems).toEqual([refused('C', 'does not match its AllowedPattern')]);
    // Without a list type, the whole value is one item.
    expect(check("  S: {AllowedValues: ['a,b']}\n  T: {Type: 3, AllowedValues: ['a,b']}\n", { S: 'a,b', T: 'a,b' })).toEqual(ok);
  });

  it('checks MinLength and MaxLength on the whole value, bounds included', () => {
    const decl = "  P: {MinLength: 2, MaxLength: '4'}\n";
    expect(check(decl, { P: 'ab' })).toEqual(ok);
    expect(check(decl, { P: 'abcd' })).toEqual(ok);
    expect(check(decl, { P: 'a' }).problems).toEqual([refused('P', 'is shorter than its MinLength')]);
    expect(check(decl, { P: 'abcde' }).problems).toEqual([refused('P', 'is longer than its MaxLength')]);
    expect(check("  C: {Type: CommaDelimitedList, MaxLength: 3}\n", { C: 'a,b,c' }).problems).toEqual([refused('C', 'is longer than its MaxLength')]);
  });

  it('requires the whole value to match AllowedPattern, with Unicode characters whole', () => {
    expect(check("  P: {AllowedPattern: '[a-z]+'}\n", { P: 'abc' })).toEqual(ok);
    for (const value of ['abc1', '1abc', '']) expect(check("  P: {AllowedPattern: '[a-z]+'}\n", { P: value }).problems).toEqual([refused('P', 'does not match its AllowedPattern')]);
    expect(check("  P: {AllowedPattern: '.'}\n", { P: '😀' })).toEqual(ok);
    expect(check("  P: {AllowedPattern: 'a|b'}\n", { P: 'ab' }).problems).toEqual([refused('P', 'does not match its AllowedPattern')]);
    expect(check('  P: {AllowedPattern: 12}\n', { P: '12' })).toEqual(ok);
  });

  it('runs a pattern JavaScript reads only without Unicode mode (an identity escape)', () => {
    expect(check("  P: {AllowedPattern: 'x\\-y'}\n", { P: 'x-y' })).toEqual(ok);
    expect(check("  P: {AllowedPattern: 'x\\-y'}\n", { P: 'xy' }).problems).toEqual([refused('P', 'does not match its AllowedPattern')]);
  });

  it.each([
    '(a+)+',
    '(a*)*',
    '(a?)?',
    '(a{1,2}){2}',
    '(a|b)*',
    '(a|b)+',
    '(a|b)?',
    '(a|b){2}',
    '(?:a+)+',
    '((a)+)+',
    '((a|b))+',
    '(((a*)))*',
    '((ab)*)*',
    '(x(a|b))+',
    '[a](b+)+',
    '\\\\(a+)+',
    '\\d(a+)+',
    '(a)\\1',
    '(?<n>a)\\k<n>',
    '(?=a)a',
    '(?!b)a',
    '(?<=a)b',
    '(?<!a)b',
    'a)+|(b',
    '(a|b)x)|(y',
    '(a',
    '[a',
    'a'.repeat(1001),
  ])('does not run %s, and says so', (pattern) => {
    expect(check(`  P: {AllowedPattern: ${JSON.stringify(pattern)}}\n`, { P: 'a' })).toEqual({ problems: [], notes: [notRun('P')] });
  });

  it.each([
    ['(ab)+', 'abab'],
    ['(a)(b)+', 'abb'],
    ['(a*)', 'aaa'],
    ['(a|b)', 'b'],
    ['((a)+)', 'aa'],
    ['(a(b)c)*', 'abcabc'],
    ['a+(b)+', 'aabb'],
    ['(a+)b*', 'aabbb'],
    ['([+])+', '++'],
    ['([ab+])+', 'a+b'],
    ['[(]+', '(('],
    ['[)]+', '))'],
    ['\\(a+\\)+', '(aa))'],
    ['(\\*)+', '**'],
    ['(\\|)+', '||'],
    ['a'.repeat(1000), 'a'.repeat(1000)],
  ])('runs %s, a pattern that cannot backtrack badly', (pattern, value) => {
    const decl = `  P: {AllowedPattern: ${JSON.stringify(pattern)}}\n`;
    expect(check(decl, { P: value })).toEqual(ok);
    expect(check(decl, { P: `${value}~` })).toEqual({ problems: [refused('P', 'does not match its AllowedPattern')], notes: [] });
  });

  it("checks neither an SSM parameter's name (CloudFormation checks the value it reads) nor a value kept from the stack", () => {
    const decl = "  S: {Type: 'AWS::SSM::Parameter::Value<String>', AllowedValues: [prod], MinLength: 9}\n  K: {Type: Number, AllowedValues: [1]}\n";
    expect(check(decl, { S: '/platform/env', K: PREVIOUS_VALUE })).toEqual(ok);
  });

  it.each([
    ['\\p{Digit}+', '8080'],
    ['\\p{Alpha}+', 'café'],
    ['\\P{Lower}+', 'AB'],
    ['\\A[a-z]+\\z', 'abc'],
    ['[a-z]+\\Z', 'abc'],
    ['[a-z&&[^q]]+', 'abc'],
    ['\\Qa.b\\E', 'a.b'],
    ['\\h*x', 'x'],
    ['\\v?x', 'x'],
    ['\\x{41}', 'A'],
    ['\\u{41}', 'A'],
    ['\\e', 'e'],
  ])('does not run %s, Java syntax JavaScript reads otherwise, and says so', (pattern, value) => {
    expect(check(`  P: {AllowedPattern: ${JSON.stringify(pattern)}}\n`, { P: value })).toEqual({
      problems: [],
      notes: ["parameter 'P': its AllowedPattern was not checked (Java syntax that JavaScript reads otherwise)"],
    });
  });

  it.each([
    ['\\d{2}\\s\\w+\\b', '12 ab'],
    ['[\\x41-\\x43]+\\u0044', 'ABCD'],
    ['a\\.b\\-c\\t?', 'a.b-c'],
    ['\\cJ?x', 'x'],
  ])('runs %s, whose escapes Java and JavaScript read alike', (pattern, value) => {
    expect(check(`  P: {AllowedPattern: ${JSON.stringify(pattern)}}\n`, { P: value })).toEqual(ok);
  });

  it('does not run a pattern ending in a lone backslash, which neither reads', () => {
    expect(check('  P: {AllowedPattern: "a\\\\"}\n', { P: 'a' }).notes).toEqual([notRun('P')]);
  });

  it('names a long parameter by its first 128 characters at most', () => {
    const name = 'P'.repeat(200);
    expect(check(`  ${name}: {AllowedValues: [a]}\n`, { [name]: 'b' }).problems).toEqual([refused(`${'P'.repeat(127)}…`, 'is not one of its AllowedValues')]);
  });
});

describe('Fn::FindInMap with keys from given values, as CloudFormation looks them up', () => {
  const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: {Type: String}
  Size: {Type: String}
  Table: {Type: String}
  Mode: {Type: String}
  Zones: {Type: CommaDelimitedList}
  Ids: {Type: 'List<AWS::EC2::Subnet::Id>'}
  Stored: {Type: 'AWS::SSM::Parameter::Value<String>'}
Conditions:
  IsBig: !Equals [!Ref Mode, big]
Mappings:
  Sizes:
    dev: {Cpu: '256'}
    prod: {Cpu: '1024'}
  Big: {huge: {Cpu: '4096'}}
  Small: {tiny: {Cpu: '128'}}
  Regions: {eu-west-1: {Ami: ami-1}}
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx
          ReadonlyRootFilesystem: true
          Cpu: LOOKUP
`;
  function find(lookup: string, given: Record<string, string>, extra = ''): string[] {
    const parsed = parseTemplateText(TEMPLATE.replace('LOOKUP', lookup) + extra, 't.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    const root = parsed.root as Record<string, unknown>;
    const values = new Map(Object.entries(given));
    const conditions = new Conditions(root.Conditions, { parameters: parameterValues(root.Parameters, values), mappings: root.Mappings, loop: new Map() }, true);
    return checkFindInMap(root, values, conditions, parsed.sourceMap).map((p) => p.message);
  }
  const missing = (mapping: string, parameter: string) =>
    `Fn::FindInMap finds no entry in mapping '${mapping}' for the value given to parameter '${parameter}'; CloudFormation would refuse the stack`;
  // The key the template writes is missing under the given value: the parameter is named, not blamed.
  const written = (mapping: string, parameter: string) =>
    `Fn::FindInMap finds no entry in mapping '${mapping}' for its key written in the template, with the value given to parameter '${parameter}'; CloudFormation would refuse the stack`;

  it('refuses a missing entry as an ERROR at the Fn::FindInMap, naming the mapping and the parameter', () => {
    const text = TEMPLATE.replace('LOOKUP', '!FindInMap [Sizes, !Ref Env, Cpu]');
    expect(validateTemplate(text, { parameters: { Env: 'staging' } })).toMatchObject({ status: 'ERROR', error: { message: missing('Sizes', 'Env'), line: 27, column: 27 }, resources: [] });
    expect(validateTemplate(text, { parameters: { Env: 'prod' } }).status).toBe('PASS');
  });

  it('names the parameter whose value is missing, at each level, else the first given', () => {
    expect(find('!FindInMap [Sizes, !Ref Env, Cpu]', { Env: 'staging' })).toEqual([missing('Sizes', 'Env')]);
    expect(find('!FindInMap [Sizes, dev, !Ref Size]', { Size: 'Memory' })).toEqual([missing('Sizes', 'Size')]);
    expect(find('!FindInMap [!Ref Table, dev, Cpu]', { Table: 'Other' })).toEqual([missing('(from a parameter)', 'Table')]);
    expect(find('!FindInMap [!Ref Table, !Ref Env, Cpu]', { Table: 'Sizes', Env: 'qa' })).toEqual([missing('(from a parameter)', 'Env')]);
    expect(find('!FindInMap [Sizes, !Ref Env, Memory]', { Env: 'dev' })).toEqual([written('Sizes', 'Env')]);
    expect(find('!FindInMap [Sizes, staging, !Ref Size]', { Size: 'Cpu' })).toEqual([written('Sizes', 'Size')]);
    expect(find('!FindInMap [Other, !Ref Env, Cpu]', { Env: 'dev' })).toEqual(["Fn::FindInMap names mapping 'Other', which the template does not declare; CloudFormation would refuse the stack"]);
    expect(find('!FindInMap [Sizes, !Ref Env, !Ref Size]', { Env: 'dev', Size: 'Cpu' })).toEqual([]);
    expect(find("!FindInMap [Regions, !Ref 'AWS::Region', Ami]", { 'AWS::Region': 'eu-north-1' })).toEqual([missing('Regions', 'AWS::Region')]);
    expect(find("!FindInMap [Regions, !Ref 'AWS::Region', Ami]", { 'AWS::Region': 'eu-west-1' })).toEqual([]);
  });

  it('finds no entry under the names of Object prototype properties', () => {
    expect(find('!FindInMap [Sizes, !Ref Env, toString]', { Env: '__proto__' })).toEqual([missing('Sizes', 'Env')]);
    expect(find('!FindInMap [Sizes, dev, !Ref Size]', { Size: 'toString' })).toEqual([missing('Sizes', 'Size')]);
    expect(find('!FindInMap [!Ref Table, __proto__, toString]', { Table: '__proto__' })).toEqual([missing('(from a parameter)', 'Table')]);
    expect(find('!FindInMap [!Ref Table, dev, Cpu]', { Table: 'constructor' })).toEqual([missing('(from a parameter)', 'Table')]);
    expect(find('!FindInMap [!Ref Table, !Ref Env, Cpu]', { Table: '__proto__', Env: 'dev' })).toEqual([missing('(from a parameter)', 'Table')]);
  });

  it('checks only lookups with a key from a given value of a declared (or pseudo) parameter that is not a list', () => {
    expect(find('!FindInMap [Sizes, test, Cpu]', { Env: 'x' })).toEqual([]);
    expect(find('!FindInMap [Sizes, !Ref Env, Cpu]', { Size: 'x' })).toEqual([]);
    expect(find('!FindInMap [Sizes, !Ref Other, Cpu]', { Other: 'x' })).toEqual([]);
    expect(find('!FindInMap [Sizes, !Ref Zones, Cpu]', { Zones: 'x' })).toEqual([]);
    expect(find('!FindInMap [Sizes, !Ref Ids, Cpu]', { Ids: 'x' })).toEqual([]);
    // An SSM parameter is given its name, not the value CloudFormation looks up with; a kept value is unknown.
    expect(find('!FindInMap [Sizes, !Ref Stored, Cpu]', { Stored: '/platform/env' })).toEqual([]);
    expect(find('!FindInMap [Sizes, !Ref Env, Cpu]', { Env: PREVIOUS_VALUE })).toEqual([]);
    expect(find("!FindInMap [Sizes, !Sub '${Env}', Cpu]", { Env: 'x' })).toEqual([]);
    expect(find("!FindInMap [!Sub 'Sizes', !Ref Env, Cpu]", { Env: 'x' })).toEqual([]);
    // Only Ref takes a given value: another function naming a parameter, or a number, is no given key.
    expect(find("!FindInMap [Sizes, !Sub 'Env', Cpu]", { Env: 'x' })).toEqual([]);
    expect(find('!FindInMap [Sizes, 1, !Ref Env]', { Env: 'x' })).toEqual([]);
    expect(find("!FindInMap [Sizes, !Ref Env, !Sub 'Cpu']", { Env: 'x' })).toEqual([]);
    expect(find("!FindInMap [Sizes, !Ref Env, !Sub 'Cpu']", { Env: 'dev' })).toEqual([]);
    expect(find('!FindInMap [Sizes, {Ref: [Env]}, Cpu]', { Env: 'x' })).toEqual([]);
    expect(find('!FindInMap [Sizes, !Ref Env, Cpu, {DefaultValue: "1"}]', { Env: 'x' })).toEqual([]);
    expect(find("{'Fn::FindInMap': {Ref: Env}}", { Env: 'x' })).toEqual([]);
    // Another function of three arguments is not a lookup.
    expect(find("{'Fn::Cidr': [Sizes, !Ref Env, Cpu]}", { Env: 'x' })).toEqual([]);
    // Values that are not objects (null included) are passed over.
    expect(find('{a: ~, b: 1, c: [x, ~], d: !FindInMap [Sizes, !Ref Env, Cpu]}', { Env: 'x' })).toEqual([missing('Sizes', 'Env')]);
    expect(find('!FindInMap [Sizes, !Ref Env, Cpu]', { Env: 'x' }).length).toBe(1);
  });

  it('checks nothing without Mappings as a mapping', () => {
    const parsed = parseTemplateText('Parameters: {Env: {Type: String}}\nMappings: [Sizes]\nResources: {T: {Properties: {Cpu: !FindInMap [Sizes, !Ref Env, Cpu]}}}\n', 't.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(checkFindInMap(parsed.root as Record<string, unknown>, new Map([['Env', 'x']]), undefined, parsed.sourceMap)).toEqual([]);
  });

  it('follows only the Fn::If branch CloudFormation would take, both when the condition is open', () => {
    const lookup = '!If [IsBig, !FindInMap [Big, !Ref Size, Cpu], !FindInMap [Small, !Ref Size, Cpu]]';
    expect(find(lookup, { Mode: 'big', Size: 'huge' })).toEqual([]);
    expect(find(lookup, { Mode: 'small', Size: 'tiny' })).toEqual([]);
    expect(find(lookup, { Mode: 'big', Size: 'tiny' })).toEqual([missing('Big', 'Size')]);
    expect(find(lookup, { Mode: 'small', Size: 'huge' })).toEqual([missing('Small', 'Size')]);
    expect(find(lookup, { Size: 'huge' })).toEqual([missing('Small', 'Size')]);
    expect(find(lookup, { Size: 'tiny' })).toEqual([missing('Big', 'Size')]);
    // Not a well-formed Fn::If: every part is looked at.
    expect(find("{'Fn::If': [IsBig, !FindInMap [Big, !Ref Size, Cpu]]}", { Mode: 'small', Size: 'tiny' })).toEqual([missing('Big', 'Size')]);
    expect(find("{'Fn::If': [[IsBig], x, !FindInMap [Small, !Ref Size, Cpu]]}", { Mode: 'big', Size: 'huge' })).toEqual([missing('Small', 'Size')]);
  });

  it('skips resources and outputs whose Condition is false, checks outputs otherwise, and reports the first problem only', () => {
    const output = 'Outputs:\n  O:\n    Condition: IsBig\n    Value: !FindInMap [Big, !Ref Size, Cpu]\n';
    expect(find('1', { Mode: 'small', Size: 'tiny' }, output)).toEqual([]);
    expect(find('1', { Mode: 'big', Size: 'tiny' }, output)).toEqual([missing('Big', 'Size')]);
    expect(find('1', { Size: 'tiny' }, output)).toEqual([missing('Big', 'Size')]);
    expect(find('1', { Mode: 'big', Size: 'tiny' }, output.replace('    Condition: IsBig\n', ''))).toEqual([missing('Big', 'Size')]);
    const resource = '  U:\n    Type: AWS::ECS::TaskDefinition\n    Condition: IsBig\n    Properties: {Cpu: !FindInMap [Big, !Ref Size, Cpu]}\n';
    expect(find('1', { Mode: 'small', Size: 'tiny' }, resource)).toEqual([]);
    expect(find('1', { Mode: 'big', Size: 'tiny' }, resource)).toEqual([missing('Big', 'Size')]);
    expect(find('!FindInMap [Sizes, !Ref Env, Cpu]', { Mode: 'big', Size: 'tiny', Env: 'qa' }, resource)).toEqual([missing('Sizes', 'Env')]);
    // A Condition that is not a name is no condition.
    expect(find('1', { Mode: 'small', Size: 'tiny' }, resource.replace('Condition: IsBig', 'Condition: [IsBig]'))).toEqual([missing('Big', 'Size')]);
    expect(find('1', { Mode: 'small', Size: 'tiny' }, output.replace('Condition: IsBig', 'Condition: [IsBig]'))).toEqual([missing('Big', 'Size')]);
  });

  it('names a long mapping by its first 128 characters at most', () => {
    const name = 'M'.repeat(130);
    expect(find(`!FindInMap [${name}, !Ref Env, Cpu]`, { Env: 'x' })).toEqual([`Fn::FindInMap names mapping '${'M'.repeat(127)}…', which the template does not declare; CloudFormation would refuse the stack`]);
    expect(find(`!FindInMap [!Ref Table, !Ref Env, Cpu]`, { Table: name, Env: 'x' })).toEqual([missing('(from a parameter)', 'Table')]);
  });

  describe('bounds on the walk (templates built through the API)', () => {
    const sourceMap = (() => {
      const parsed = parseTemplateText('{}', 'e.json');
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.sourceMap;
    })();
    const lookup = { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Cpu'] };
    const root = (resource: unknown) => ({ Parameters: { Env: { Type: 'String' } }, Mappings: { Sizes: { dev: { Cpu: '1' } } }, Resources: { T: resource } });
    const check = (resource: unknown) => checkFindInMap(root(resource), new Map([['Env', 'qa']]), undefined, sourceMap).map((p) => p.message);
    const nest = (n: number): unknown => (n === 0 ? lookup : { a: nest(n - 1) });
    const nestList = (n: number): unknown => (n === 0 ? lookup : [nestList(n - 1)]);
    // Without Conditions, both branches of each Fn::If are looked at.
    const nestIf = (n: number, then: boolean): unknown => (n === 0 ? lookup : { 'Fn::If': ['C', ...(then ? [nestIf(n - 1, then), 1] : [1, nestIf(n - 1, then)])] });

    it('looks 100 levels deep, no deeper', () => {
      expect(check(nest(100))).toEqual([missing('Sizes', 'Env')]);
      expect(check(nest(101))).toEqual([]);
      expect(check(nestList(100))).toEqual([missing('Sizes', 'Env')]);
      expect(check(nestList(101))).toEqual([]);
      expect(check(nestIf(100, true))).toEqual([missing('Sizes', 'Env')]);
      expect(check(nestIf(101, true))).toEqual([]);
      expect(check(nestIf(100, false))).toEqual([missing('Sizes', 'Env')]);
      expect(check(nestIf(101, false))).toEqual([]);
    });

    it('walks outputs without resources, passes over resources that are not objects, and without Conditions skips nothing', () => {
      const given = new Map([['Env', 'qa']]);
      const base = { Parameters: { Env: { Type: 'String' } }, Mappings: { Sizes: { dev: { Cpu: '1' } } } };
      expect(checkFindInMap({ ...base, Outputs: { O: { Value: lookup } } }, given, undefined, sourceMap).map((p) => p.message)).toEqual([missing('Sizes', 'Env')]);
      expect(checkFindInMap({ ...base, Resources: { N: null, T: { Condition: 'C', Properties: { Cpu: lookup } } } }, given, undefined, sourceMap).map((p) => p.message)).toEqual([missing('Sizes', 'Env')]);
      expect(checkFindInMap({ ...base, Outputs: { N: null, O: { Condition: 'C', Value: lookup } } }, given, undefined, sourceMap).map((p) => p.message)).toEqual([missing('Sizes', 'Env')]);
    });

    it('looks at a million values, no more', () => {
      expect(check([...new Array<number>(999_998).fill(0), lookup])).toEqual([missing('Sizes', 'Env')]);
      expect(check([...new Array<number>(999_999).fill(0), lookup])).toEqual([]);
    });
  });
});
