/**
 * Intrinsic resolution (src/template/resolve.ts): the values the hook request would carry, the
 * `detail` a user reads when a value is only known at deploy time, and the conditions judged.
 */
import {
  findTaskDefinitions,
  fixTemplate,
  parseParameterFile,
  parseTemplateText,
  PREVIOUS_VALUE,
  resolvedProperties,
  Unresolved,
  validateTemplate,
  type ValidateOptions,
} from '../../src/template';
import { Conditions } from '../../src/template/conditions';
import { LIMITS } from '../../src/template/limits';
import {
  decidingConditions,
  intrinsicOf,
  isRecord,
  NO_VALUE,
  noEchoMask,
  parameterValues,
  Resolver,
  scenarios,
  type TemplateScope,
} from '../../src/template/resolve';

/** A template whose task definition `T` has `X: <expr>` (YAML) among its Properties. */
function template(expr: string, head = ''): string {
  return `${head}Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      X: ${expr}\n`;
}

/** The value `X: <expr>` resolves to, as the hook request for T would carry it. */
function resolved(expr: string, head = '', options: ValidateOptions = {}, scenario: ReadonlyMap<string, boolean> = new Map()): unknown {
  const parsed = parseTemplateText(template(expr, head));
  if (!parsed.ok) throw new Error(parsed.message);
  const [site] = findTaskDefinitions(parsed, options);
  return resolvedProperties(site!, scenario).X;
}

/** The detail (or status) a user reads for one container whose ReadonlyRootFilesystem is `expr`. */
function detailOf(expr: string, head = '', options: ValidateOptions = {}): string | undefined {
  const text = `${head}Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: ${expr}\n`;
  const [c] = validateTemplate(text, options).resources[0]!.containers;
  return c!.detail ?? c!.status;
}

const u = (kind: ConstructorParameters<typeof Unresolved>[0], name: string): Unresolved => new Unresolved(kind, name);

describe('what a user is told about a value only known at deploy time', () => {
  it.each([
    ['a parameter without value', '!Ref Lock', 'Parameters:\n  Lock: {Type: String}\n', "parameter 'Lock' has no value: pass --parameter Lock=VALUE or a parameter file"],
    ['an SSM parameter', '!Ref Lock', "Parameters:\n  Lock: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /x}\n", "parameter 'Lock' is read from SSM Parameter Store at deploy time"],
    ['a pseudo parameter', '!Ref AWS::StackName', '', 'AWS::StackName is only known at deploy time'],
    ['a resource', '!Ref Bucket', '', "Ref to resource 'Bucket' is only known at deploy time"],
    ['Fn::GetAtt', '!GetAtt Bucket.Arn', '', 'Fn::GetAtt cannot be evaluated before deployment'],
    ['a dynamic reference', "'{{resolve:ssm:/ro}}'", '', 'a dynamic reference ({{resolve:...}}) is only resolved at deploy time'],
    ['a pseudo parameter in Fn::Sub', "!Sub '${AWS::Region}'", '', 'AWS::Region is only known at deploy time: pass --parameter AWS::Region=VALUE to decide it'],
    ['the account', '!Ref AWS::AccountId', '', 'AWS::AccountId is only known at deploy time: pass --parameter AWS::AccountId=VALUE to decide it'],
    ['the partition', '!Ref AWS::Partition', '', 'AWS::Partition is only known at deploy time: pass --parameter AWS::Partition=VALUE to decide it'],
    [
      'a parameter kept at its previous value',
      '!Ref Lock',
      'Parameters:\n  Lock: {Type: String, Default: "true"}\n',
      "parameter 'Lock' keeps the stack's previous value (UsePreviousValue), which only the deployed stack knows",
      { parameters: parseParameterFile('[{"ParameterKey": "Lock", "UsePreviousValue": true}]') },
    ],
    ['an attribute in Fn::Sub', "!Sub '${Bucket.Arn}'", '', 'Fn::GetAtt cannot be evaluated before deployment'],
    ['a list parameter in Fn::Sub', "!Sub '${Names}'", 'Parameters:\n  Names: {Type: CommaDelimitedList, Default: "a,b"}\n', 'a list in Fn::Sub cannot be evaluated before deployment'],
    ['a Ref that is not a name', '{Ref: [a]}', '', 'Ref (a name) is malformed, which CloudFormation refuses'],
    ['an Fn::If that is not three arguments', '!If [C, true]', '', 'Fn::If (a condition name and two values) is malformed, which CloudFormation refuses'],
    ['an Fn::If whose condition is not a name', '{Fn::If: [[C], true, true]}', '', 'Fn::If (a condition name and two values) is malformed, which CloudFormation refuses'],
    ['a mapping in Fn::Join', "!Join ['', [{a: 1}]]", '', 'Fn::Join cannot be evaluated before deployment'],
    ['a mapping as a key of Fn::FindInMap', '!FindInMap [M, {a: 1}, k]', 'Mappings:\n  M: {a: {k: "true"}}\n', 'a non-text argument cannot be evaluated before deployment'],
  ])('%s', (_name, expr, head, detail, options: ValidateOptions = {}) => {
    expect(detailOf(expr, head, options)).toBe(detail);
  });

  it('names what is missing with its name cut to 128 characters, never a value', () => {
    const long = `P${'a'.repeat(200)}`;
    expect(detailOf(`!Ref ${long}`)).toBe(`Ref to resource '${long.slice(0, 127)}…' is only known at deploy time`);
  });

  it('describes every kind, including loops and too many conditions', () => {
    expect(u('loop', 'N').describe()).toBe("Fn::ForEach identifier 'N' ranges over values known only at deploy time");
    expect(u('conditions', '9').describe()).toBe('9 conditions decide the containers, more than the 8 whose every combination is judged');
    expect(u('intrinsic', 'Fn::Split').describe()).toBe('Fn::Split cannot be evaluated before deployment');
  });
});

describe('parameter values', () => {
  const values = (declared: unknown, given: Record<string, string> = {}): Map<string, unknown> => parameterValues(declared, new Map(Object.entries(given)));

  it('takes given values over defaults, and given pseudo parameters', () => {
    expect(
      values(
        { A: { Type: 'String', Default: 'd' }, B: { Type: 'String', Default: 'd' } },
        { A: 'given', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111122223333', 'AWS::Partition': 'aws-cn', 'AWS::StackName': 'no' },
      ),
    ).toEqual(
      new Map<string, unknown>([
        ['AWS::Region', 'eu-west-1'],
        ['AWS::AccountId', '111122223333'],
        ['AWS::Partition', 'aws-cn'],
        ['A', 'given'],
        ['B', 'd'],
      ]),
    );
  });

  it('reads scalar defaults as text, list types as lists', () => {
    expect(
      values({
        Num: { Type: 'Number', Default: 5 },
        Bool: { Default: true },
        Csv: { Type: 'CommaDelimitedList', Default: 'a,b' },
        Ids: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'x,y' },
        Listed: { Type: 'CommaDelimitedList', Default: ['a', 1, false] },
        ListedText: { Default: ['a', 'b'] },
        Untyped: {},
      }),
    ).toEqual(
      new Map<string, unknown>([
        ['Num', '5'],
        ['Bool', 'true'],
        ['Csv', ['a', 'b']],
        ['Ids', ['x', 'y']],
        ['Listed', ['a', '1', 'false']],
        ['ListedText', 'a,b'],
        ['Untyped', u('parameter', 'Untyped')],
      ]),
    );
  });

  it('leaves a default that is not text unresolved, and SSM parameters to deploy time', () => {
    expect(
      values({
        Mixed: { Type: 'CommaDelimitedList', Default: ['a', { b: 1 }] },
        Map: { Default: { a: 1 } },
        Ssm: { Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: '/x' },
        Odd: { Type: 5, Default: 'a,b' },
        Bare: 'String',
        Null: null,
      }, { Ssm: 'given' }),
    ).toEqual(
      new Map<string, unknown>([
        ['Mixed', u('parameter', 'Mixed')],
        ['Map', u('parameter', 'Map')],
        ['Ssm', u('ssm-parameter', 'Ssm')],
        ['Odd', 'a,b'],
        ['Bare', u('parameter', 'Bare')],
        ['Null', u('parameter', 'Null')],
      ]),
    );
  });

  it('trims the items of a CommaDelimitedList, given or Default, as CloudFormation does; List<...> items stay as written', () => {
    const declared = { Csv: { Type: 'CommaDelimitedList', Default: ' a , b' }, Ids: { Type: 'List<String>', Default: 'x, y' } };
    expect(values(declared)).toEqual(new Map<string, unknown>([['Csv', ['a', 'b']], ['Ids', ['x', ' y']]]));
    expect(values(declared, { Csv: 'prod, dev ', Ids: ' z' })).toEqual(new Map<string, unknown>([['Csv', ['prod', 'dev']], ['Ids', [' z']]]));
  });

  it("takes a parameter kept at the stack's previous value as unknown, not as its Default", () => {
    expect(values({ Lock: { Type: 'String', Default: 'true' }, Csv: { Type: 'CommaDelimitedList', Default: 'a' } }, { Lock: PREVIOUS_VALUE, Csv: PREVIOUS_VALUE })).toEqual(
      new Map<string, unknown>([
        ['Lock', u('previous-value', 'Lock')],
        ['Csv', u('previous-value', 'Csv')],
      ]),
    );
  });

  it('has only the given pseudo parameters when the template declares none', () => {
    expect(values([1], { 'AWS::Region': 'r' })).toEqual(new Map([['AWS::Region', 'r']]));
    expect(values(undefined)).toEqual(new Map());
  });

  it('resolves Ref to a given pseudo parameter, a list parameter and a loop identifier', () => {
    const head = 'Parameters:\n  Csv: {Type: CommaDelimitedList, Default: "a,b"}\n';
    expect(resolved('[!Ref AWS::Region, !Ref Csv]', head, { parameters: { 'AWS::Region': 'eu-west-1' } })).toEqual(['eu-west-1', ['a', 'b']]);
    expect(resolved('!Ref AWS::Region')).toEqual(u('pseudo', 'AWS::Region'));
  });
});

describe('Fn::If', () => {
  const head = 'Parameters:\n  Env: {Type: String, Default: prod}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n';

  it('takes the branch chosen, the branch the Conditions decide, else the true branch', () => {
    expect(resolved('!If [IsProd, a, b]', head, {}, new Map([['IsProd', false]]))).toBe('b');
    expect(resolved('!If [IsProd, a, b]', head, {}, new Map([['IsProd', true]]))).toBe('a');
    expect(resolved('!If [IsProd, a, b]', head, { parameters: { Env: 'dev' } })).toBe('b');
    expect(resolved('!If [IsProd, a, b]', head, { parameters: { Env: 'prod' } })).toBe('a');
    expect(resolved('!If [IsProd, a, b]', head)).toBe('a');
    expect(resolved('!If [Undeclared, a, b]')).toBe('a');
  });

  it('follows nested Fn::If and removes what stands for AWS::NoValue', () => {
    expect(resolved('{k: !If [C, !If [D, !Ref AWS::NoValue, x], y], l: [1, !If [C, !Ref AWS::NoValue, 2], 3]}', '', {}, new Map([['C', true], ['D', true]]))).toEqual({ l: [1, 3] });
    expect(resolved('!If [C, !If [D, a, b], c]', '', {}, new Map([['D', false]]))).toBe('b');
  });

  it('gives up past 64 nested Fn::If, as past the resolver can follow', () => {
    const nest = (n: number): unknown => (n === 0 ? 'leaf' : { 'Fn::If': ['C', nest(n - 1), 'other'] });
    const scope: TemplateScope = { parameters: new Map(), mappings: undefined, loop: new Map() };
    expect(new Resolver(scope, new Map()).resolve(nest(64), new Set())).toBe('leaf');
    expect(new Resolver(scope, new Map()).resolve(nest(65), new Set())).toEqual(u('intrinsic', 'Fn::If'));
  });

  it('records the conditions it consults', () => {
    const used = new Set<string>();
    const scope: TemplateScope = { parameters: new Map(), mappings: undefined, loop: new Map() };
    new Resolver(scope, new Map([['A', false]])).resolve({ x: { 'Fn::If': ['A', { 'Fn::If': ['B', 1, 2] }, { 'Fn::If': ['C', 3, 4] }] } }, used);
    expect([...used]).toEqual(['A', 'C']);
  });

  it('reads a condition from the Conditions given in scope', () => {
    const plain: TemplateScope = { parameters: new Map([['Env', 'dev']]), mappings: undefined, loop: new Map() };
    const conditions = new Conditions({ IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } }, plain, true);
    expect(new Resolver({ ...plain, conditions }, new Map()).resolve({ 'Fn::If': ['IsProd', 'a', 'b'] }, new Set())).toBe('b');
  });
});

describe('resolving a whole value', () => {
  const scope: TemplateScope = { parameters: new Map([['P', 'v']]), mappings: undefined, loop: new Map() };

  it('keeps a __proto__ key as an ordinary entry', () => {
    const value = JSON.parse('{"__proto__": {"Ref": "P"}, "a": 1}') as unknown;
    const out = new Resolver(scope, new Map()).resolve(value, new Set()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')).toEqual({ value: 'v', enumerable: true, writable: true, configurable: true });
  });

  it('gives up past the nesting limit', () => {
    // A template cannot nest this deep (the reader stops at LIMITS.maxDepth); a value built in code can.
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(new Resolver(scope, new Map()).resolve(deep, new Set()))).toBe(`${'['.repeat(100)}"leaf"${']'.repeat(100)}`);
    let inner: unknown = new Resolver(scope, new Map()).resolve({ a: deep }, new Set());
    inner = (inner as Record<string, unknown>).a;
    for (let i = 0; i < 99; i++) inner = (inner as unknown[])[0];
    expect(inner).toEqual([u('intrinsic', 'nesting')]);
  });

  it('leaves a string that only looks like a dynamic reference as it is', () => {
    expect(resolved("['{{resolve:ssm:/x}', 'x{{resolve:ssm:/x}}', '{{resolve:ssm:/x}}']")).toEqual(['{{resolve:ssm:/x}', 'x{{resolve:ssm:/x}}', u('dynamic', '')]);
  });

  it('reads an object of more than one key, or of a key that is not an intrinsic, as a mapping', () => {
    expect(resolved('{Ref: P, Other: !Ref P}', 'Parameters:\n  P: {Default: v}\n')).toEqual({ Ref: 'P', Other: 'v' });
    expect(resolved('{Fnx: !Ref P}', 'Parameters:\n  P: {Default: v}\n')).toEqual({ Fnx: 'v' });
    expect(intrinsicOf({ 'Fn::Anything': 1 })).toEqual(['Fn::Anything', 1]);
    expect(intrinsicOf({ Ref: 'x' })).toEqual(['Ref', 'x']);
    expect(intrinsicOf({ Fn: 1 })).toBeUndefined();
    expect(intrinsicOf([{ Ref: 'x' }])).toBeUndefined();
    expect(isRecord(u('parameter', 'x'))).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord([])).toBe(false);
  });

  it('says an unknown intrinsic cannot be evaluated', () => {
    expect(resolved('!ImportValue shared')).toEqual(u('intrinsic', 'Fn::ImportValue'));
    expect(resolved('!Base64 x')).toEqual(u('intrinsic', 'Fn::Base64'));
  });

  it('resolves Ref AWS::NoValue at the top to nothing', () => {
    const r = new Resolver(scope, new Map());
    expect(r.unwrap({ Ref: 'AWS::NoValue' }, new Set())).toBe(NO_VALUE);
    expect(r.resolve({ 'Fn::If': ['C', { Ref: 'AWS::NoValue' }, 1] }, new Set())).toBe(NO_VALUE);
    expect(r.unwrap({ a: { Ref: 'P' } }, new Set())).toEqual({ a: { Ref: 'P' } });
  });
});

describe('Fn::FindInMap', () => {
  const head = 'Parameters:\n  Env: {Default: prod}\nMappings:\n  M:\n    prod: {k: "true", n: 3}\n    dev: {}\n';

  it('reads the mapping, its keys resolved', () => {
    expect(resolved('[!FindInMap [M, !Ref Env, k], !FindInMap [M, prod, n]]', head)).toEqual(['true', 3]);
  });

  it('takes DefaultValue when the entry is missing, and resolves it', () => {
    expect(resolved('!FindInMap [M, dev, k, {DefaultValue: !Ref Env}]', head)).toBe('prod');
    expect(resolved('!FindInMap [M, dev, k, {DefaultValue: [!Ref AWS::NoValue, a]}]', head)).toEqual(['a']);
    expect(resolved('!FindInMap [M, nowhere, k, {DefaultValue: x}]', head)).toBe('x');
  });

  it('cannot evaluate a missing entry without DefaultValue, or too few keys', () => {
    expect(resolved('!FindInMap [M, dev, k]', head)).toEqual(u('intrinsic', 'Fn::FindInMap'));
    expect(resolved('!FindInMap [M, dev, k, {Other: x}]', head)).toEqual(u('intrinsic', 'Fn::FindInMap'));
    expect(resolved('!FindInMap [M, dev, k, [DefaultValue]]', head)).toEqual(u('intrinsic', 'Fn::FindInMap'));
    expect(resolved('!FindInMap [M, prod]', head)).toEqual(u('intrinsic', 'Fn::FindInMap'));
    expect(resolved('!FindInMap [M, prod, toString]', head)).toEqual(u('intrinsic', 'Fn::FindInMap'));
    expect(resolved('!FindInMap [M, prod, k]')).toEqual(u('intrinsic', 'Fn::FindInMap'));
  });

  it('needs three keys, even where an entry is named "undefined"', () => {
    expect(resolved('!FindInMap [M, prod]', 'Mappings:\n  M:\n    prod: {undefined: x}\n')).toEqual(u('intrinsic', 'Fn::FindInMap'));
  });

  it('ends an entry that refers to itself, through any intrinsic, as too deeply nested', () => {
    const head = `Mappings:
  M:
    a:
      row: !FindInMap [M, a, row]
      key: !FindInMap [M, !FindInMap [M, a, key], x]
      join: !Join ['', !FindInMap [M, a, join]]
      select: !Select [0, !FindInMap [M, a, select]]
      index: !Select [!FindInMap [M, a, index], [x]]
      sub: !Sub ['\${A}', {A: !FindInMap [M, a, sub]}]
      split: !Split [',', !FindInMap [M, a, split]]
      default: !FindInMap [M, nowhere, x, {DefaultValue: !FindInMap [M, a, default]}]
`;
    for (const entry of ['row', 'key', 'join', 'select', 'index', 'sub', 'split', 'default']) {
      expect([entry, resolved(`!FindInMap [M, a, ${entry}]`, head)]).toEqual([entry, u('intrinsic', 'nesting')]);
    }
    expect(detailOf('!FindInMap [M, a, row]', head)).toBe('nesting cannot be evaluated before deployment');
  });

  it('says which key is only known at deploy time', () => {
    expect(resolved('!FindInMap [M, !Ref AWS::Region, k]', head)).toEqual(u('pseudo', 'AWS::Region'));
    expect(resolved('!FindInMap [M, !Ref Bucket]', head)).toEqual(u('resource', 'Bucket'));
  });
});

describe('Fn::Sub', () => {
  const head = 'Parameters:\n  Env: {Default: prod}\n  Csv: {Type: CommaDelimitedList, Default: "a,b"}\n';

  it('substitutes parameters, variables and literal ${!...}', () => {
    expect(resolved("!Sub '${Env}-${!Literal}-${!}'", head)).toBe('prod-${Literal}-${}');
    expect(resolved("!Sub ['${A}/${Env}', {A: !Join [',', [x, y]]}]", head)).toBe('x,y/prod');
    expect(resolved("!Sub ['${A}', {A: 7}]", head)).toBe('7');
    expect(resolved("!Sub ['${toString}', {}]", head)).toEqual(u('resource', 'toString'));
  });

  it('names the first value missing and keeps the text whole', () => {
    expect(resolved("!Sub '${Env}-${AWS::Region}-${Bucket}'", head)).toEqual(u('pseudo', 'AWS::Region'));
    expect(resolved("!Sub ['${A}', {A: !Ref Bucket}]", head)).toEqual(u('resource', 'Bucket'));
  });

  it('reads AWS::NoValue as text in it, not as the absence of a value', () => {
    expect(resolved('{a: !Sub AWS::NoValue}')).toEqual({ a: 'AWS::NoValue' });
  });

  it('cannot evaluate a template that is not text', () => {
    expect(resolved('!Sub [[a], {}]', head)).toEqual(u('intrinsic', 'Fn::Sub'));
    expect(resolved('{Fn::Sub: 5}', head)).toEqual(u('intrinsic', 'Fn::Sub'));
  });

  it('reads a dynamic reference it builds as one', () => {
    expect(resolved("!Sub '{{resolve:ssm:/${Env}/ro}}'", head)).toEqual(u('dynamic', ''));
    expect(resolved("!Sub '{{resolve:ssm:/${Env}/ro}} '", head)).toBe('{{resolve:ssm:/prod/ro}} ');
  });
});

describe('Fn::Join, Fn::Select, Fn::Split', () => {
  const head = 'Parameters:\n  Csv: {Type: CommaDelimitedList, Default: "a,b"}\n  Two: {Default: "1"}\n';

  it('joins text, numbers and booleans', () => {
    expect(resolved("!Join ['-', [a, 1, true, !Ref Two]]", head)).toBe('a-1-true-1');
    expect(resolved("!Join ['+', !Ref Csv]", head)).toBe('a+b');
    expect(resolved("!Join ['-', []]", head)).toBe('');
  });

  it('cannot join without a text delimiter or a list, or with a part that is not text', () => {
    expect(resolved('!Join [1, [a, b]]', head)).toEqual(u('intrinsic', 'Fn::Join'));
    expect(resolved("!Join ['-', a]", head)).toEqual(u('intrinsic', 'Fn::Join'));
    expect(resolved("!Join ['-', [a, [b]]]", head)).toEqual(u('intrinsic', 'Fn::Join'));
    expect(resolved("!Join ['-', [a, !Ref Bucket, !Ref AWS::Region]]", head)).toEqual(u('resource', 'Bucket'));
    expect(resolved("!Join ['-', !Ref Bucket]", head)).toEqual(u('resource', 'Bucket'));
  });

  it('selects within bounds, the index resolved', () => {
    expect(resolved('[!Select [0, [a, b]], !Select [!Ref Two, [a, b]], !Select ["1", !Ref Csv]]', head)).toEqual(['a', 'b', 'b']);
    for (const index of ['2', '-1', '0.5', 'x']) {
      expect([index, resolved(`!Select ['${index}', [a, b]]`, head)]).toEqual([index, u('intrinsic', 'Fn::Select')]);
    }
    expect(resolved('!Select [0, a]', head)).toEqual(u('intrinsic', 'Fn::Select'));
  });

  it('names what the index or the list waits for', () => {
    expect(resolved('!Select [!Ref AWS::Region, !Ref Bucket]', head)).toEqual(u('pseudo', 'AWS::Region'));
    expect(resolved('!Select [0, !Ref Bucket]', head)).toEqual(u('resource', 'Bucket'));
    expect(resolved('!Select [[0], [a]]', head)).toEqual(u('intrinsic', 'a non-text argument'));
  });

  it('splits text on a non-empty delimiter', () => {
    expect(resolved("!Split [',', 'a,b,,c']", head)).toEqual(['a', 'b', '', 'c']);
    expect(resolved("!Select [1, !Split ['::', !Join ['::', [x, y]]]]", head)).toBe('y');
    expect(resolved("!Split ['', abc]", head)).toEqual(u('intrinsic', 'Fn::Split'));
    expect(resolved('!Split [1, a1b]', head)).toEqual(u('intrinsic', 'Fn::Split'));
    expect(resolved("!Split [',', !Ref Bucket]", head)).toEqual(u('resource', 'Bucket'));
    expect(resolved("!Split [',', [a]]", head)).toEqual(u('intrinsic', 'a non-text argument'));
  });

  it('judges a container by a split and selected value', () => {
    expect(detailOf("!Select [1, !Split [',', 'false,true']]")).toBe('PASS');
    expect(detailOf("!Select [0, !Split [',', 'false,true']]")).toBe('FAIL');
  });
});

describe('Fn::ForEach identifiers', () => {
  it('resolves Ref and ${} to the loop value, before parameters of the same name', () => {
    const text =
      'Transform: AWS::LanguageExtensions\nParameters:\n  N: {Default: param}\nResources:\n  Fn::ForEach::Tasks:\n    - N\n    - [a]\n    - T${N}:\n        Type: AWS::ECS::TaskDefinition\n        Properties:\n          X: [!Ref N, !Sub "${N}-x"]\n';
    const parsed = parseTemplateText(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const [site] = findTaskDefinitions(parsed);
    expect(resolvedProperties(site!, new Map()).X).toEqual(['a', 'a-x']);
  });
});

describe('the conditions that decide the containers', () => {
  it('are those of Fn::If around Properties, the list, entries, Name, Image, the flag and the OS family', () => {
    const text = `Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties: !If
      - P
      - RuntimePlatform: !If [R, {OperatingSystemFamily: !If [O, LINUX, WINDOWS_SERVER_2022_CORE]}, {}]
        Cpu: !If [Cpu, 1, 2]
        ContainerDefinitions: !If
          - L
          - - !If
              - E
              - Name: !If [N, a, b]
                Image: !If [I, x, y]
                ReadonlyRootFilesystem: !If [F, true, false]
                Environment: !If [Env, [], []]
              - !Ref AWS::NoValue
            - plain
          - !Ref AWS::NoValue
      - !If [Q, {}, {}]
`;
    const parsed = parseTemplateText(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const properties = (parsed.root as { Resources: { T: { Properties: unknown } } }).Resources.T.Properties;
    expect(decidingConditions(properties)).toEqual(['P', 'L', 'E', 'N', 'I', 'F', 'R', 'O', 'Q']);
    // Without exemptions to match, Name and Image decide nothing.
    expect(decidingConditions(properties, { name: false, image: false })).toEqual(['P', 'L', 'E', 'F', 'R', 'O', 'Q']);
    expect(decidingConditions(properties, { name: true, image: false })).toEqual(['P', 'L', 'E', 'N', 'F', 'R', 'O', 'Q']);
    expect(decidingConditions(properties, { name: false, image: true })).toEqual(['P', 'L', 'E', 'I', 'F', 'R', 'O', 'Q']);
  });

  it('ignore a malformed Fn::If and stop following past 64 nested ones', () => {
    expect(decidingConditions({ 'Fn::If': ['A', {}] })).toEqual([]);
    expect(decidingConditions({ 'Fn::If': [['A'], {}, {}] })).toEqual([]);
    expect(decidingConditions({ ContainerDefinitions: { 'Fn::If': ['A', [], [], []] } })).toEqual([]);
    expect(decidingConditions({ ContainerDefinitions: [{ ReadonlyRootFilesystem: { 'Fn::FindInMap': ['M', 'a', 'b'] } }] })).toEqual([]);
    expect(decidingConditions({ ContainerDefinitions: [{ Name: { 'Fn::If': ['A', 'a'] } }] })).toEqual([]);
    const nest = (n: number): unknown => (n === 0 ? { ContainerDefinitions: [{ Name: { 'Fn::If': ['Deep', 'a', 'b'] } }] } : { 'Fn::If': [`C${n}`, nest(n - 1), {}] });
    expect(decidingConditions(nest(64))).toContain('Deep');
    expect(decidingConditions(nest(64))).toHaveLength(65);
    expect(decidingConditions(nest(65))).not.toContain('Deep');
    expect(decidingConditions(nest(65))).toHaveLength(64);
    expect(decidingConditions(nest(65))).not.toContain('C1');
    expect(decidingConditions({ ContainerDefinitions: 'x', RuntimePlatform: 'y' })).toEqual([]);
    expect(decidingConditions({ ContainerDefinitions: ['x', { Name: 'n' }], RuntimePlatform: { OperatingSystemFamily: 'LINUX' } })).toEqual([]);
    expect(decidingConditions('Properties')).toEqual([]);
    expect(decidingConditions(null)).toEqual([]);
    expect(decidingConditions({ ContainerDefinitions: [null, { ReadonlyRootFilesystem: { 'Fn::If': ['F', true, false] } }] })).toEqual(['F']);
    const nestElse = (n: number): unknown => (n === 0 ? { ContainerDefinitions: [{ Name: { 'Fn::If': ['Deep', 'a', 'b'] } }] } : { 'Fn::If': [`C${n}`, {}, nestElse(n - 1)] });
    expect(decidingConditions(nestElse(64))).toHaveLength(65);
    expect(decidingConditions(nestElse(65))).toHaveLength(64);
    expect(decidingConditions(nestElse(65))).not.toContain('C1');
  });

  it('include every Fn::If inside another intrinsic standing for a value the policy reads, and none elsewhere', () => {
    const text = `Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform: {OperatingSystemFamily: !FindInMap [Family, !If [O, windows, linux], v]}
      Cpu: !Select [0, !If [Cpu, ['1'], ['2']]]
      ContainerDefinitions:
        - Name: !Join ['_', [!If [N, log, app], router]]
          Image: !Sub ['\${r}/agent', {r: !If [I, a, b]}]
          ReadonlyRootFilesystem: !Select [0, !If [S, ['true'], ['false']]]
          Environment: [{Name: X, Value: !Select [0, !If [Env, [a], [b]]]}]
        - ReadonlyRootFilesystem: {'Fn::Base64': {'Fn::ImportValue': !Sub ['\${e}', {e: !If [B, x, y]}]}}
        - !Select [0, [!If [E, {Name: a, Environment: !If [Env2, [], []]}, {Name: b}]]]
        - ReadonlyRootFilesystem: {'Fn::FindInMap': [M, {'Fn::If': [Bad, a]}, !If [K, [a, !If [K2, b, c]], x]]}
`;
    const parsed = parseTemplateText(text);
    if (!parsed.ok) throw new Error(parsed.message);
    // An intrinsic in place of an entry is evaluated whole: every Fn::If in it counts (Env2 too).
    expect(decidingConditions((parsed.root as { Resources: { T: { Properties: unknown } } }).Resources.T.Properties)).toEqual([
      'N',
      'I',
      'S',
      'B',
      'E',
      'Env2',
      'K',
      'K2',
      'O',
    ]);
    // An intrinsic in place of ContainerDefinitions or Properties likewise.
    expect(decidingConditions({ ContainerDefinitions: { 'Fn::Select': [0, { 'Fn::If': ['L', [[]], [[]]] }] } })).toEqual(['L']);
    expect(decidingConditions({ 'Fn::FindInMap': ['M', { 'Fn::If': ['P', 'a', 'b'] }, 'k'] })).toEqual(['P']);
  });

  it('inside another intrinsic, follow 64 Fn::If in a row as at the top, and stop at the nesting the reader allows', () => {
    const chain = (n: number, leaf: unknown, name = 'C'): unknown => (n === 0 ? leaf : { 'Fn::If': [`${name}${n}`, chain(n - 1, leaf, name), 'x'] });
    const flag = (value: unknown) => decidingConditions({ ContainerDefinitions: [{ ReadonlyRootFilesystem: { 'Fn::Select': [0, [value]] } }] });
    expect(flag(chain(64, 'true'))).toHaveLength(64);
    expect(flag(chain(65, 'true'))).toHaveLength(64);
    expect(flag(chain(65, 'true'))).not.toContain('C1');
    // A chain starts again past any other node, as Resolver.unwrap's does.
    expect(flag(chain(64, [chain(2, 'true', 'D')]))).toHaveLength(66);
    // The Fn::If sits three levels below the flag's value (Fn::Select, its arguments, the list).
    const deep = (n: number): unknown => (n === 0 ? { 'Fn::If': ['Deep', 'a', 'b'] } : [deep(n - 1)]);
    expect(flag(deep(LIMITS.maxDepth - 3))).toEqual(['Deep']);
    expect(flag(deep(LIMITS.maxDepth - 2))).toEqual([]);
    // Through either branch, 64 in a row; each branch is a level deeper, a list in it one more.
    const elseChain = (n: number): unknown => (n === 0 ? 'true' : { 'Fn::If': [`E${n}`, 'x', elseChain(n - 1)] });
    expect(flag(elseChain(65))).toHaveLength(64);
    expect(flag(elseChain(65))).not.toContain('E1');
    const inThen = (n: number): unknown => (n === 0 ? { 'Fn::If': ['Deep', 'a', 'b'] } : { 'Fn::If': [`T${n}`, [inThen(n - 1)], 'x'] });
    const inElse = (n: number): unknown => (n === 0 ? { 'Fn::If': ['Deep', 'a', 'b'] } : { 'Fn::If': [`F${n}`, 'x', [inElse(n - 1)]] });
    for (const nest of [inThen, inElse]) {
      expect(flag(nest(40))).toContain('Deep');
      expect(flag(nest(60))).not.toContain('Deep');
    }
  });

  it('inside another intrinsic, a malformed Fn::If is unresolved whole: nothing in it decides', () => {
    const flag = (value: unknown) => decidingConditions({ ContainerDefinitions: [{ ReadonlyRootFilesystem: { 'Fn::Select': [0, [value]] } }] });
    expect(flag({ 'Fn::If': ['Bad', { 'Fn::If': ['Inner', 'a', 'b'] }] })).toEqual([]);
    expect(flag({ 'Fn::Join': ['', [{ 'Fn::If': ['Good', 'a', 'b'] }]] })).toEqual(['Good']);
  });

  it('are judged in every combination, all true first', () => {
    expect([...scenarios([])]).toEqual([new Map()]);
    expect([...scenarios(['A', 'B'])]).toEqual([
      new Map([['A', true], ['B', true]]),
      new Map([['A', false], ['B', true]]),
      new Map([['A', true], ['B', false]]),
      new Map([['A', false], ['B', false]]),
    ]);
    expect([...scenarios(['A', 'B', 'C'])]).toHaveLength(8);
  });
});

describe('NoEcho parameter values are never printed', () => {
  const TEMPLATE = `Transform: AWS::LanguageExtensions
Parameters:
  Secret: {Type: String, NoEcho: true}
  Names: {Type: CommaDelimitedList, NoEcho: "true", Default: "s3cr3tA, s3cr3tB"}
  Plain: {Type: String, Default: plainname}
Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: !Sub app-\${Secret}-\${Plain}
  Fn::ForEach::Loop:
    - N
    - !Ref Names
    - 'Task\${N}':
        Type: AWS::ECS::TaskDefinition
        Properties:
          ContainerDefinitions:
            - Name: !Ref N
            - Image: nginx
`;

  it('hides them in logical ids and container names, as CloudFormation shows them (****)', () => {
    const result = validateTemplate(TEMPLATE, { parameters: { Secret: 'hunter2' } });
    expect(result.resources.map((r) => [r.logicalId, r.containers.map((c) => c.name)])).toEqual([
      ['T', ['app-****-plainname']],
      ['Task****', ['****', null]],
      ['Task****', ['****', null]],
    ]);
    expect(JSON.stringify(result)).not.toMatch(/hunter2|s3cr3t/);
  });

  it('hides them in what fix lists', () => {
    const fixed = fixTemplate(TEMPLATE, { parameters: { Secret: 'hunter2' } });
    expect(JSON.stringify(fixed.ok && [fixed.fixed, fixed.left])).not.toMatch(/hunter2|s3cr3t/);
    expect(fixed.ok && fixed.fixed.map((c) => `${c.logicalId}/${c.name}`)).toEqual(['T/app-****-plainname', 'Task****/****', 'Task****/****', 'Task****/null', 'Task****/null']);
  });

  it('hides the longest value first, every item of a list, and nothing without NoEcho', () => {
    const mask = noEchoMask({ A: { NoEcho: true, Default: 'ab' }, B: { NoEcho: 'TRUE' }, C: { NoEcho: false, Default: 'x' }, D: { NoEcho: true, Default: ['l1', 'l2'] } }, new Map([['B', 'abc']]));
    expect(mask!('abc-ab-x-l1-l2')).toBe('****-****-x-****-****');
    expect(noEchoMask({ C: { Default: 'x' } }, new Map())).toBeUndefined();
    expect(noEchoMask({ E: { NoEcho: true, Default: '' } }, new Map())).toBeUndefined();
    expect(noEchoMask({ E: { NoEcho: true } }, new Map([['E', PREVIOUS_VALUE]]))).toBeUndefined();
    // Without a value or a Default there is nothing to hide.
    expect(noEchoMask({ F: { NoEcho: true } }, new Map())).toBeUndefined();
    expect(noEchoMask(undefined, new Map())).toBeUndefined();
  });
});
