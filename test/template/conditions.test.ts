// Conditions decided by the parameter values given, every branch judged without them, and each
// container counted once per deployment.
import { type ContainerFinding, type ResourceFinding, type TemplateResult, validateTemplate, type ValidateOptions } from '../../src/template';

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
    expect(r.deployment).toEqual({ containers: 1, failing: 1 });
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
    expect(prod.deployment).toEqual({ containers: 2, failing: 0 });
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
    expect(r.deployment).toEqual({ containers: 3, failing: 1 });
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
