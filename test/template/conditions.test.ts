// Conditions decided by the parameter values given, every branch judged without them, and each
// container counted once per deployment.
import { Conditions, type ContainerFinding, parseTemplateText, type ResourceFinding, type TemplateResult, validateTemplate, type ValidateOptions } from '../../src/template';
import { parameterValues } from '../../src/template/resolve';
import { parsePolicyConfig } from '../../src/policy';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
  Region: {Type: String, Default: eu-west-1}
  Tier: {Type: String, Default: web, AllowedPattern: '[a-z]+'}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  InEurope: !Or [!Equals [!Ref 'AWS::Region', eu-west-1], !Equals [!Ref 'AWS::Region', eu-central-1]]
  ProdInEurope: !And [!Condition IsProd, !Condition InEurope]
Mappings:
  Sizes:
    dev: {Cpu: '256'}
    prod: {Cpu: '1024'}
Resources:
  ListChoice:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: !If
        - IsProd
        - - {Name: app, Image: nginx, ReadonlyRootFilesystem: true}
          - {Name: sidecar, Image: envoy, ReadonlyRootFilesystem: true}
        - - {Name: app, Image: nginx}
  PropertyChoice:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx
          ReadonlyRootFilesystem: !If [ProdInEurope, true, !If [IsDev, false, 'true']]
  Opposites:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx
          ReadonlyRootFilesystem: !If [IsProd, !If [IsDev, false, true], true]
  ProdOnly:
    Type: AWS::ECS::TaskDefinition
    Condition: IsProd
    Properties:
      Cpu: !FindInMap [Sizes, !Ref Env, Cpu]
      ContainerDefinitions:
        - {Name: debug, Image: busybox, ReadonlyRootFilesystem: !If [IsProd, false, true]}
`;

function judge(options: ValidateOptions = {}, text = TEMPLATE): TemplateResult {
  return validateTemplate(text, { fileName: 'conditions.yaml', ...options });
}

function resource(result: TemplateResult, id: string): ResourceFinding {
  const r = result.resources.find((x) => x.logicalId === id);
  if (!r) throw new Error(`no ${id} in ${JSON.stringify(result)}`);
  return r;
}

const brief = (c: ContainerFinding) => [c.name, c.status, c.reason, c.conditions, c.whenAny];

describe('without parameter values: every branch, each container once', () => {
  const result = judge();

  it('reports a container of a list chosen by Fn::If once, with the condition under which it fails, counted per deployment', () => {
    const r = resource(result, 'ListChoice');
    expect(r.status).toBe('FAIL');
    // In source order; a failing container is shown where it fails.
    expect(r.containers.map(brief)).toEqual([
      ['sidecar', 'PASS', undefined, undefined, undefined],
      ['app', 'FAIL', 'missing', [{ condition: 'IsProd', value: false }], undefined],
    ]);
    expect(r.deployment).toEqual({ containers: 1, failing: 1, exempt: 0 });
  });

  it('follows nested Fn::If and conditions made of conditions', () => {
    const r = resource(result, 'PropertyChoice');
    expect(r.containers.map(brief)).toEqual([['app', 'FAIL', 'false', [{ condition: 'ProdInEurope', value: false }, { condition: 'IsDev', value: true }], undefined]]);
  });

  it('leaves out combinations the Conditions make impossible (IsProd and IsDev both true)', () => {
    expect(resource(result, 'Opposites').status).toBe('PASS');
  });

  it('judges a resource whose Condition is open, only where its Condition holds', () => {
    const r = resource(result, 'ProdOnly');
    expect(r.containers.map(brief)).toEqual([['debug', 'FAIL', 'false', undefined, undefined]]);
  });
});

describe('with parameter values: Conditions decided', () => {
  it('judges only the chosen list', () => {
    const prod = resource(judge({ parameters: { Env: 'prod' } }), 'ListChoice');
    expect(prod.status).toBe('PASS');
    expect(prod.containers.map((c) => c.name)).toEqual(['app', 'sidecar']);
    expect(prod.deployment).toEqual({ containers: 2, failing: 0, exempt: 0 });
    const dev = resource(judge({ parameters: { Env: 'dev' } }), 'ListChoice');
    expect(dev.containers.map(brief)).toEqual([['app', 'FAIL', 'missing', undefined, undefined]]);
  });

  it('evaluates Fn::And, Fn::Or, Fn::Not and Condition with a given AWS::Region', () => {
    expect(resource(judge({ parameters: { Env: 'prod', 'AWS::Region': 'eu-central-1' } }), 'PropertyChoice').status).toBe('PASS');
    // Outside Europe: ProdInEurope false, IsDev false: the string 'true'.
    expect(resource(judge({ parameters: { Env: 'prod', 'AWS::Region': 'us-east-1' } }), 'PropertyChoice').status).toBe('PASS');
    expect(resource(judge({ parameters: { Env: 'dev' } }), 'PropertyChoice').containers.map(brief)).toEqual([['app', 'FAIL', 'false', undefined, undefined]]);
    // Region not given: InEurope stays open, so does ProdInEurope; IsProd is decided.
    expect(resource(judge({ parameters: { Env: 'prod' } }), 'PropertyChoice').status).toBe('PASS');
  });

  it('skips a resource whose Condition is false, and judges it when true', () => {
    expect(resource(judge({ parameters: { Env: 'dev' } }), 'ProdOnly')).toMatchObject({ status: 'SKIP', reason: 'condition', conditions: [{ condition: 'IsProd', value: false }], containers: [] });
    expect(resource(judge({ parameters: { Env: 'prod' } }), 'ProdOnly').containers.map(brief)).toEqual([['debug', 'FAIL', 'false', undefined, undefined]]);
  });

  it('judges every branch again with evaluateConditions: false', () => {
    expect(resource(judge({ parameters: { Env: 'prod' }, evaluateConditions: false }), 'ListChoice').status).toBe('FAIL');
  });
});

describe('Fn::If nested in other intrinsics: deciding as at the top', () => {
  const NESTED = `Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
  OS: {Type: String, AllowedValues: [windows, linux]}
  Flag: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
  IsWin: !Equals [!Ref OS, windows]
Mappings:
  Flags: {prod: {ro: 'true'}, dev: {ro: 'false'}}
  Family: {windows: {v: WINDOWS_SERVER_2022_CORE}, linux: {v: LINUX}}
Resources:
  Nested:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: sel, Image: x, ReadonlyRootFilesystem: !Select [0, !If [IsProd, ['true'], ['false']]]}
        - {Name: map, Image: x, ReadonlyRootFilesystem: !FindInMap [Flags, !If [IsProd, prod, dev], ro]}
        - {Name: join, Image: x, ReadonlyRootFilesystem: !Join ['', [!If [IsProd, tru, fals], e]]}
        - {Name: sub, Image: x, ReadonlyRootFilesystem: !Sub ['\${v}', {v: !If [IsProd, 'true', 'false']}]}
        - {Name: list, Image: x, ReadonlyRootFilesystem: !Select [1, ['false', !If [IsProd, 'true', 'false']]]}
        - {Name: prod, Image: x, ReadonlyRootFilesystem: !Select [0, !If [IsNotProd, ['true'], ['false']]]}
  Platform:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RuntimePlatform: {OperatingSystemFamily: !FindInMap [Family, !If [IsWin, windows, linux], v]}
      ContainerDefinitions: [{Name: app, Image: x}]
  Named:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: !Join ['_', [!If [IsProd, log, app], router]], Image: x}
        - {Name: agent, Image: !Sub ['\${r}/agent:7', {r: !If [IsProd, datadog, acme]}]}
  Unknown:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: param, Image: x, ReadonlyRootFilesystem: !Select [0, !If [IsProd, [!Ref Flag], ['true']]]}
        - {Name: import, Image: x, ReadonlyRootFilesystem: {'Fn::ImportValue': !Sub ['\${e}-ro', {e: !If [IsProd, prod, dev]}]}}
  ProdOnly:
    Type: AWS::ECS::TaskDefinition
    Condition: IsProd
    Properties:
      ContainerDefinitions: [{Name: app, Image: x, ReadonlyRootFilesystem: !If [IsNotProd, false, true]}]
`;
  const config = { ExemptContainerNames: ['log_router'], ExemptImages: ['datadog/agent:*'] };
  const nested = (options: ValidateOptions = {}) => judge({ config: parsePolicyConfig(config), ...options }, NESTED);
  const notProd = [{ condition: 'IsProd', value: false }];

  it('judges every branch of an Fn::If inside Fn::Select, Fn::FindInMap, Fn::Join, Fn::Sub and a list, counted per deployment', () => {
    const r = resource(nested(), 'Nested');
    expect(r.containers.map(brief)).toEqual([
      ['sel', 'FAIL', 'false', notProd, undefined],
      ['map', 'FAIL', 'false', notProd, undefined],
      ['join', 'FAIL', 'false', notProd, undefined],
      ['sub', 'FAIL', 'false', notProd, undefined],
      ['list', 'FAIL', 'false', notProd, undefined],
      ['prod', 'FAIL', 'false', [{ condition: 'IsNotProd', value: false }], undefined],
    ]);
    // IsProd and IsNotProd are never both true: five fail in one deployment, one in the other.
    expect(r.deployment).toEqual({ containers: 6, failing: 5, exempt: 0 });
  });

  it('judges only the chosen branch with parameter values', () => {
    const prod = resource(nested({ parameters: { Env: 'prod' } }), 'Nested');
    expect(prod.containers.map(brief).filter((c) => c[1] === 'FAIL')).toEqual([['prod', 'FAIL', 'false', undefined, undefined]]);
    expect(prod.deployment).toEqual({ containers: 6, failing: 1, exempt: 0 });
    const dev = resource(nested({ parameters: { Env: 'dev' } }), 'Nested');
    expect(dev.containers.map((c) => [c.name, c.status, c.conditions])).toEqual(['sel', 'map', 'join', 'sub', 'list'].map((n) => [n, 'FAIL', undefined]).concat([['prod', 'PASS', undefined]]));
  });

  it('judges the Linux deployment of an OS family chosen inside Fn::FindInMap, naming the condition', () => {
    expect(resource(nested(), 'Platform')).toMatchObject({ status: 'FAIL', deployment: { containers: 1, failing: 1, exempt: 0 } });
    expect(resource(nested(), 'Platform').containers.map(brief)).toEqual([['app', 'FAIL', 'missing', [{ condition: 'IsWin', value: false }], undefined]]);
    expect(resource(nested({ parameters: { OS: 'windows' } }), 'Platform')).toMatchObject({ status: 'SKIP', reason: 'windows', containers: [] });
    expect(resource(nested({ parameters: { OS: 'linux' } }), 'Platform').containers.map(brief)).toEqual([['app', 'FAIL', 'missing', undefined, undefined]]);
  });

  it('matches exemptions on a Name or Image built around an Fn::If in each branch', () => {
    expect(resource(nested(), 'Named').containers.map(brief)).toEqual([
      ['log_router', 'EXEMPT', undefined, undefined, undefined],
      ['app_router', 'FAIL', 'missing', notProd, undefined],
      ['agent', 'FAIL', 'missing', notProd, undefined],
    ]);
    expect(resource(nested({ parameters: { Env: 'prod' } }), 'Named')).toMatchObject({ status: 'PASS', deployment: { containers: 2, failing: 0, exempt: 2 } });
    expect(resource(nested({ parameters: { Env: 'dev' } }), 'Named').containers.map(brief)).toEqual([
      ['app_router', 'FAIL', 'missing', undefined, undefined],
      ['agent', 'FAIL', 'missing', undefined, undefined],
    ]);
  });

  it('says a value stays unknown before deployment in the branch that needs it', () => {
    expect(resource(nested(), 'Unknown').containers.map((c) => [c.name, c.reason, c.detail, c.conditions])).toEqual([
      ['param', 'unresolved', "parameter 'Flag' has no value: pass --parameter Flag=VALUE or a parameter file", [{ condition: 'IsProd', value: true }]],
      ['import', 'unresolved', 'Fn::ImportValue cannot be evaluated before deployment', undefined],
    ]);
    expect(resource(nested({ parameters: { Env: 'prod', Flag: 'true' } }), 'Unknown').containers.map((c) => [c.name, c.status])).toEqual([
      ['param', 'PASS'],
      ['import', 'FAIL'],
    ]);
  });

  it('judges a resource only where its own Condition holds, also through a condition that negates it', () => {
    expect(resource(nested(), 'ProdOnly')).toMatchObject({ status: 'PASS', deployment: { containers: 1, failing: 0, exempt: 0 } });
    expect(resource(nested({ parameters: { Env: 'prod' } }), 'ProdOnly').status).toBe('PASS');
    expect(resource(nested({ parameters: { Env: 'dev' } }), 'ProdOnly')).toMatchObject({ status: 'SKIP', reason: 'condition' });
  });

  it('a resource without a Condition is not bound by a condition whose name is its text ("undefined", "[object Object]")', () => {
    const text = `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  undefined: !Not [!Condition IsProd]
  '[object Object]': !Not [!Condition IsProd]
Resources:
  NoCondition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: [{Name: app, Image: x, ReadonlyRootFilesystem: !If [IsProd, false, true]}]
  ObjectCondition:
    Type: AWS::ECS::TaskDefinition
    Condition: {Ref: Env}
    Properties:
      ContainerDefinitions: [{Name: app, Image: x, ReadonlyRootFilesystem: !If [IsProd, false, true]}]
`;
    const prodFails = [['app', 'FAIL', 'false', [{ condition: 'IsProd', value: true }], undefined]];
    expect(resource(judge({}, text), 'NoCondition').containers.map(brief)).toEqual(prodFails);
    expect(resource(judge({}, text), 'ObjectCondition').containers.map(brief)).toEqual(prodFails);
  });
});

describe('given values checked as CloudFormation checks them', () => {
  it.each([
    [{ Env: 'staging' }, "parameter 'Env': the value given is not one of its AllowedValues; CloudFormation would refuse the stack", 3],
    [{ Env: 'prod', Tier: 'Web1' }, "parameter 'Tier': the value given does not match its AllowedPattern; CloudFormation would refuse the stack", 5],
  ])('%j is an ERROR naming the parameter, never the value', (parameters, message, line) => {
    expect(judge({ parameters })).toMatchObject({ status: 'ERROR', error: { message, line, column: 3 }, resources: [] });
  });

  it('refuses a Fn::FindInMap whose key comes from a given value and is missing', () => {
    const text = TEMPLATE.replace('AllowedValues: [dev, prod]', 'Default: dev').replace('prod: {Cpu: \'1024\'}', 'live: {Cpu: \'1024\'}');
    expect(judge({ parameters: { Env: 'prod' } }, text)).toMatchObject({
      status: 'ERROR',
      error: { message: "Fn::FindInMap finds no entry in mapping 'Sizes' for the value given to parameter 'Env'; CloudFormation would refuse the stack" },
    });
    // In a resource CloudFormation does not create, it does not matter.
    expect(judge({ parameters: { Env: 'staging' } }, text).status).toBe('FAIL');
  });

  it('leaves a parameter without a value unresolved, as before (not an error)', () => {
    expect(judge({ parameters: { Tier: 'api' } }).status).toBe('FAIL');
  });

  it('does not run an AllowedPattern that could backtrack badly, and says so', () => {
    const text = TEMPLATE.replace("AllowedPattern: '[a-z]+'", "AllowedPattern: '(a+)+b'");
    const result = judge({ parameters: { Env: 'prod', Tier: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } }, text);
    expect(result.status).toBe('FAIL');
    expect(result.notes).toEqual(["parameter 'Tier': its AllowedPattern was not checked (a pattern that could take too long to run)"]);
  });
});

describe('counting', () => {
  it('counts the same container in two branches once, and the total per deployment', () => {
    const text = `Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions: !If
        - C
        - - {Name: app, Image: a}
          - {Name: log, Image: b, ReadonlyRootFilesystem: true}
          - {Name: db, Image: c, ReadonlyRootFilesystem: true}
        - - {Name: app, Image: a, ReadonlyRootFilesystem: false}
Conditions:
  C: !Equals [!Ref 'AWS::Region', us-east-1]
`;
    const r = resource(judge({}, text), 'T');
    expect(r.containers.map(brief)).toEqual([
      ['app', 'FAIL', 'missing', undefined, undefined],
      ['log', 'PASS', undefined, undefined, undefined],
      ['db', 'PASS', undefined, undefined, undefined],
    ]);
    expect(r.deployment).toEqual({ containers: 3, failing: 1, exempt: 0 });
  });

  it('lists each combination when a container fails under several that do not merge', () => {
    const text = `Resources:
  T:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: a
          ReadonlyRootFilesystem: !If [A, !If [B, true, false], !If [B, false, true]]
Conditions:
  A: !Equals [!Ref 'AWS::Region', us-east-1]
  B: !Equals [!Ref 'AWS::AccountId', '123456789012']
`;
    const [c] = resource(judge({}, text), 'T').containers;
    expect(c?.whenAny).toEqual([
      [
        { condition: 'A', value: false },
        { condition: 'B', value: true },
      ],
      [
        { condition: 'A', value: true },
        { condition: 'B', value: false },
      ],
    ]);
    expect(c?.conditions).toEqual(c?.whenAny?.[0]);
  });
});

describe('Conditions, condition by condition', () => {
  // Built as the judge builds them: parameter values given, else Default; pseudo parameters only when given.
  function conditionsOf(yaml: string, values: Record<string, string> = {}, useParameters = true): Conditions {
    const parsed = parseTemplateText(yaml, 'c.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    const root = parsed.root as Record<string, unknown>;
    return new Conditions(root.Conditions, { parameters: parameterValues(root.Parameters, new Map(Object.entries(values))), mappings: root.Mappings, loop: new Map() }, useParameters);
  }
  const values = (c: Conditions, names: string[]) => names.map((n) => c.value(n));

  it('decides literal booleans, and the text true/false in any case, and nothing else', () => {
    const c = conditionsOf(`Conditions:
  T: !Not [false]
  F: !Not [true]
  Text: !Not ['False']
  TextTrue: !And ['TRUE', 'true']
  Word: !Not ['yes']
  Prefix: !Not ['truex']
  Suffix: !Not ['xfalse']
  Number: !Not [1]
  List: !Not [['true']]
`);
    expect(values(c, ['T', 'F', 'Text', 'TextTrue', 'Word', 'Prefix', 'Suffix', 'Number', 'List'])).toEqual([true, false, true, true, undefined, undefined, undefined, undefined, undefined]);
  });

  it('evaluates Fn::And and Fn::Or: decided by one value, open when a value is open, never decided with no operand', () => {
    const c = conditionsOf(`Conditions:
  Open: !Equals [!Ref 'AWS::Region', us-east-1]
  AndTrue: !And [true, true]
  AndOne: !And [true]
  AndFalse: !And [true, false, !Condition Open]
  AndOpen: !And [true, !Condition Open]
  AndNone: {'Fn::And': []}
  OrTrue: !Or [false, true]
  OrTrueFirst: !Or [true, !Condition Open]
  OrFalse: !Or [false, false]
  OrOne: !Or [false]
  OrOpen: !Or [false, !Condition Open]
  OrNone: {'Fn::Or': []}
  NotList: {'Fn::Not': true}
  AndObject: {'Fn::And': {Condition: AndTrue}}
  OrText: {'Fn::Or': 'true'}
  Other: {'Fn::Sub': 'true'}
`);
    expect(values(c, ['Open', 'AndTrue', 'AndOne', 'AndFalse', 'AndOpen', 'AndNone'])).toEqual([undefined, true, true, false, undefined, undefined]);
    expect(values(c, ['OrTrue', 'OrTrueFirst', 'OrFalse', 'OrOne', 'OrOpen', 'OrNone'])).toEqual([true, true, false, false, undefined, undefined]);
    // Arguments that are not a list, and functions that are not condition functions, decide nothing.
    expect(values(c, ['NotList', 'AndObject', 'OrText', 'Other'])).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('compares with Fn::Equals the text of scalars and other values as a whole, with exactly two operands', () => {
    const c = conditionsOf(`Parameters:
  Env: {Type: String, Default: prod}
  Count: {Type: Number, Default: 2}
  Zones: {Type: CommaDelimitedList, Default: 'a,b'}
Conditions:
  NumberText: !Equals [1, '1']
  TextNumber: !Equals ['2', !Ref Count]
  BoolText: !Equals [true, 'true']
  Texts: !Equals [prod, !Ref Env]
  Different: !Equals [prod, dev]
  SameLists: !Equals [[a, b], !Ref Zones]
  OtherLists: !Equals [[a], [b]]
  ListText: !Equals [[a, b], 'a,b']
  TextList: !Equals ['a', [a]]
  One: {'Fn::Equals': [prod]}
  Three: {'Fn::Equals': [prod, prod, prod]}
`);
    expect(values(c, ['NumberText', 'TextNumber', 'BoolText', 'Texts', 'Different'])).toEqual([true, true, true, true, false]);
    expect(values(c, ['SameLists', 'OtherLists', 'ListText', 'TextList', 'One', 'Three'])).toEqual([true, false, false, false, undefined, undefined]);
  });

  it('leaves Fn::Equals open when either side holds a value only known at deployment, however deep', () => {
    const c = conditionsOf(`Parameters:
  Env: {Type: String}
Conditions:
  Left: !Equals [!Ref Env, prod]
  Right: !Equals [prod, !Ref Env]
  InList: !Equals [[prod, !Ref Env], [prod, prod]]
  InListRight: !Equals [[prod, prod], [prod, !Ref Env]]
  Deep: {'Fn::Equals': [${'['.repeat(20)}{Ref: Env}${']'.repeat(20)}, x]}
  Account: !Equals [!Ref 'AWS::AccountId', '123456789012']
`);
    expect(values(c, ['Left', 'Right', 'InList', 'InListRight', 'Deep', 'Account'])).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('without parameter values, uses the pseudo parameters given and nothing else', () => {
    const yaml = `Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  InUs: !Equals [!Ref 'AWS::Region', us-east-1]
  IsProd: !Equals [!Ref Env, prod]
`;
    const given = { 'AWS::Region': 'us-east-1', Env: 'prod' };
    expect(values(conditionsOf(yaml, given, false), ['InUs', 'IsProd'])).toEqual([true, undefined]);
    expect(values(conditionsOf(yaml, given, true), ['InUs', 'IsProd'])).toEqual([true, true]);
  });

  it('follows Condition only to a declared condition named by a string, alone in its object', () => {
    const c = conditionsOf(`Conditions:
  '123': true
  'Yes': true
  ByNumber: !Not [{Condition: 123}]
  ByName: !Not [{Condition: 'Yes'}]
  Undeclared: !Not [{Condition: Nope}]
  WithMore: !Not [{Condition: 'Yes', Extra: 1}]
  ByBoolean: !Not [{Condition: Yes}]
`);
    expect(c.has('123')).toBe(true);
    expect(c.has('Nope')).toBe(false);
    // An unquoted Yes is YAML 1.1's boolean true, as CloudFormation reads it: not a name.
    expect(values(c, ['ByNumber', 'ByName', 'Undeclared', 'WithMore', 'ByBoolean'])).toEqual([undefined, false, undefined, undefined, undefined]);
  });

  it('decides nothing in a cycle, and answers again the same', () => {
    const c = conditionsOf(`Conditions:
  A: !Or [!Condition B, false]
  B: !Not [!Condition A]
  Self: !Not [!Condition Self]
  Fine: !Not [false]
`);
    expect(values(c, ['A', 'B', 'Self', 'Fine'])).toEqual([undefined, undefined, undefined, true]);
    expect(values(c, ['A', 'B', 'Self', 'Fine'])).toEqual([undefined, undefined, undefined, true]);
  });

  it('decides a chain of 70 conditions, each named by the next', () => {
    const chain = Array.from({ length: 70 }, (_, i) => `  C${i}: ${i === 69 ? 'true' : `!Condition C${i + 1}`}`).join('\n');
    expect(values(conditionsOf(`Conditions:\n${chain}\n`), ['C0', 'C35'])).toEqual([true, true]);
  });

  it('decides functions nested up to 64 deep, and leaves deeper ones open (definitions given through the API)', () => {
    const nest = (fn: string, n: number): unknown => (n === 0 ? true : { [fn]: [nest(fn, n - 1)] });
    const c = new Conditions(
      { Not64: nest('Fn::Not', 64), Not65: nest('Fn::Not', 65), And64: nest('Fn::And', 64), Or65: nest('Fn::Or', 65) },
      { parameters: new Map(), mappings: undefined, loop: new Map() },
      true,
    );
    expect(values(c, ['Not64', 'Not65', 'And64', 'Or65'])).toEqual([true, undefined, true, undefined]);
  });

  describe('consistent: whether assumed values can happen together', () => {
    const c = conditionsOf(`Conditions:
  Open: !Equals [!Ref 'AWS::Region', us-east-1]
  NotOpen: !Not [!Condition Open]
  Via: !Condition Open
  ViaVia: !Condition Via
  Self: !Not [!Condition Self]
  OnUndeclared: !Not [!Condition Nope]
  Long: !Condition C0
${Array.from({ length: 70 }, (_, i) => `  C${i}: ${i === 69 ? 'false' : `!Condition C${i + 1}`}`).join('\n')}
`);
    const assume = (pairs: [string, boolean][]) => c.consistent(new Map(pairs));

    it('refuses a condition and its negation both true, allows opposite values', () => {
      expect(assume([['Open', true], ['NotOpen', true]])).toBe(false);
      expect(assume([['Open', false], ['NotOpen', false]])).toBe(false);
      expect(assume([['Open', true], ['NotOpen', false]])).toBe(true);
      expect(assume([['Open', false]])).toBe(true);
    });

    it('follows conditions not assumed to those assumed', () => {
      expect(assume([['ViaVia', true], ['Open', false]])).toBe(false);
      expect(assume([['ViaVia', true], ['Open', true]])).toBe(true);
    });

    it('decides nothing from a condition defined by itself or by an undeclared one', () => {
      expect(assume([['Self', true]])).toBe(true);
      expect(assume([['Self', false]])).toBe(true);
      expect(assume([['OnUndeclared', true], ['Nope', true]])).toBe(true);
    });

    it('leaves open a chain deeper than 64 conditions', () => {
      expect(c.value('Long')).toBe(false);
      expect(assume([['Long', true]])).toBe(true);
      expect(assume([['C10', true]])).toBe(false);
    });
  });
});
