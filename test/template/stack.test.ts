/**
 * The stack-level reading of a template (src/template/stack.ts): block only what fails whatever the
 * parameters and conditions turn out to be; leave the rest to the resource-level check.
 */
import { EMPTY_CONFIG, parsePolicyConfig, type TargetFinding } from '../../src/policy';
import { judgeStackTemplate } from '../../src/template/stack';

function judge(resources: string, head = '', config = EMPTY_CONFIG): TargetFinding[] {
  const result = judgeStackTemplate(`${head}Resources:\n${resources}`, config);
  if (!result.ok) throw new Error(result.reason);
  return result.findings;
}

/** One task definition `T` whose only container `app` has `flag` (YAML) as its ReadonlyRootFilesystem. */
function container(flag: string | undefined, extra = ''): string {
  return `  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n${flag === undefined ? '' : `          ReadonlyRootFilesystem: ${flag}\n`}${extra}`;
}

const statusOf = (findings: TargetFinding[]): string => {
  const f = findings[0]!;
  return f.kind === 'checked' ? f.containers.map((c) => `${c.status}${c.reason ? `:${c.reason}` : ''}`).join(',') : f.kind;
};

describe('a container is blocked only when it fails in every scenario', () => {
  it.each([
    ['missing', undefined, 'FAIL:missing'],
    ['false', 'false', 'FAIL:false'],
    ['"false"', '"False"', 'FAIL:false'],
    ['true', 'true', 'PASS'],
    ['"TRUE"', '"TRUE"', 'PASS'],
    ['false in both branches', '!If [C, false, "false"]', 'FAIL:false'],
    ['AWS::NoValue or false', '!If [C, !Ref AWS::NoValue, false]', 'FAIL:missing'],
    ['nested Fn::If, false everywhere', '!If [C, !If [D, false, false], false]', 'FAIL:false'],
    ['true in one branch', '!If [C, true, false]', 'LEFT'],
    ['true in every branch', '!If [C, true, "true"]', 'PASS'],
    ['a parameter with a default', '!Ref P', 'LEFT'],
    ['Fn::Sub', '!Sub "${P}"', 'LEFT'],
    ['a dynamic reference', "'{{resolve:ssm:/ro}}'", 'LEFT'],
    ['yes (YAML 1.1\'s true, as CloudFormation reads it)', 'yes', 'PASS'],
    ['off (YAML 1.1\'s false)', 'off', 'FAIL:false'],
    ['"yes" (quoted: a string)', '"yes"', 'LEFT'],
    ['y (a string)', 'y', 'LEFT'],
    ['1', '1', 'LEFT'],
    ['null', 'null', 'LEFT'],
  ])('%s', (_name, flag, expected) => {
    expect(statusOf(judge(container(flag), 'Parameters:\n  P: {Type: String, Default: "false"}\n'))).toBe(expected);
  });

  it('a container entry in Fn::If: blocked when both entries fail, left when one may be absent', () => {
    const both = "  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - !If [C, {Name: app}, {Name: app, ReadonlyRootFilesystem: false}]\n";
    expect(judge(both)[0]!.containers).toEqual([expect.objectContaining({ name: 'app', status: 'FAIL' })]);
    const maybe = "  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - !If [C, {Name: app}, !Ref AWS::NoValue]\n";
    expect(statusOf(judge(maybe))).toBe('LEFT');
  });

  it('a literal entry that is not an object is blocked, as the resource-level check blocks it', () => {
    expect(statusOf(judge('  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: [just-a-string]\n'))).toBe('FAIL:malformed');
  });

  it('carries the line of the value, or of the container', () => {
    const [f] = judge(container('false'));
    expect(f!.containers[0]!.line).toBe(7);
    expect(judge(container(undefined))[0]!.containers[0]!.line).toBe(6);
  });
});

describe('whole resources left to the resource-level check', () => {
  it.each([
    ['its own Condition', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Condition: C\n    Properties:\n      ContainerDefinitions: [{Name: app}]\n', '', 'the resource exists only when its Condition holds'],
    ['Fn::ForEach over a parameter', "  Fn::ForEach::Tasks:\n    - N\n    - !Ref Names\n    - T${N}:\n        Type: AWS::ECS::TaskDefinition\n        Properties:\n          ContainerDefinitions: [{Name: app}]\n", 'Transform: AWS::LanguageExtensions\nParameters:\n  Names: {Type: CommaDelimitedList, Default: "a,b"}\n', 'Fn::ForEach ranges over values known only at deploy time'],
    ['a macro', container(undefined), 'Transform: [AWS::LanguageExtensions, Acme::Rewrite]\n', 'the template runs a macro (Transform) that may rewrite it'],
    ['Fn::Transform inside', container(undefined, "          Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k}}\n"), '', 'Fn::Transform can add properties at deploy time'],
    ['computed ContainerDefinitions', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: !If [C, [{Name: a}], [{Name: b}]]\n', '', 'its ContainerDefinitions are computed at deploy time'],
    ['the OS family from a parameter', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RuntimePlatform: {OperatingSystemFamily: !Ref Os}\n      ContainerDefinitions: [{Name: app}]\n', 'Parameters:\n  Os: {Type: String, Default: LINUX}\n', 'its OperatingSystemFamily is known only at deploy time'],
  ])('%s', (_name, resources, head, why) => {
    expect(judge(resources, head)).toEqual([expect.objectContaining({ kind: 'left', why })]);
  });

  it('Fn::ForEach over a literal list: each copy judged', () => {
    const findings = judge(
      "  Fn::ForEach::Tasks:\n    - N\n    - [A, B]\n    - T${N}:\n        Type: AWS::ECS::TaskDefinition\n        Properties:\n          ContainerDefinitions: [{Name: app}]\n",
      'Transform: AWS::LanguageExtensions\n',
    );
    expect(findings.map((f) => [f.logicalId, statusOf([f])])).toEqual([
      ['TA', 'FAIL:missing'],
      ['TB', 'FAIL:missing'],
    ]);
  });

  it('SAM templates are read (the transform does not rewrite ECS resources)', () => {
    expect(statusOf(judge(container(undefined), 'Transform: AWS::Serverless-2016-10-31\n'))).toBe('FAIL:missing');
  });
});

describe('nothing to judge, or judged whole', () => {
  it.each([
    ['no Properties', '  T:\n    Type: AWS::ECS::TaskDefinition\n', 'skipped'],
    ['no containers', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions: []\n', 'skipped'],
    ['Windows, literally', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2022_CORE}\n      ContainerDefinitions: [{Name: iis}]\n', 'skipped'],
    ['ContainerDefinitions a mapping', '  T:\n    Type: AWS::ECS::DaemonTaskDefinition\n    Properties:\n      ContainerDefinitions: {Name: app}\n', 'not-a-list'],
  ])('%s', (_name, resources, kind) => {
    expect(judge(resources)[0]!.kind).toBe(kind);
  });

  it('other resource types are not findings', () => {
    expect(judge('  B:\n    Type: AWS::S3::Bucket\n')).toEqual([]);
  });

  it('refuses what does not parse, or is not a template', () => {
    expect(judgeStackTemplate('Resources: [', EMPTY_CONFIG)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the template does not parse/) });
    expect(judgeStackTemplate('- a\n- b\n', EMPTY_CONFIG)).toEqual({ ok: false, reason: 'the template is not a mapping' });
    expect(judgeStackTemplate('{"Description": "no resources"}', EMPTY_CONFIG)).toEqual({ ok: true, findings: [] });
  });
});

describe('exemptions', () => {
  const names = parsePolicyConfig({ ExemptContainerNames: ['app'] });
  const images = parsePolicyConfig({ ExemptImages: ['public.ecr.aws/*'] });

  it('a literal name or image matching a pattern is exempt, not blocked', () => {
    expect(statusOf(judge(container(undefined), '', names))).toBe('EXEMPT');
    expect(statusOf(judge(container(undefined, '          Image: public.ecr.aws/x:1\n'), '', images))).toBe('EXEMPT');
  });

  it('a name or image known only at deploy time is left when a pattern could match it', () => {
    const byParam = "  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: !Ref N\n          Image: !Sub '${AWS::AccountId}.dkr.ecr/app'\n";
    expect(statusOf(judge(byParam, '', names))).toBe('LEFT');
    expect(statusOf(judge(byParam, '', images))).toBe('LEFT');
    // Without patterns nothing can exempt it: blocked, named by position.
    expect(judge(byParam)[0]!.containers).toEqual([expect.objectContaining({ name: null, index: 0, status: 'FAIL' })]);
  });
});

/** Properties of T (YAML, indented under `Properties:`). */
function task(properties: string, extra = ''): string {
  return `  T:\n    Type: AWS::ECS::TaskDefinition\n${extra}    Properties:\n${properties}`;
}

/** A balanced tree of Fn::If over `leaves` values, each `leaf` (flow YAML). */
function ifTree(leaves: number, leaf: string): string {
  if (leaves === 1) return leaf;
  const left = Math.ceil(leaves / 2);
  return `!If [C, ${ifTree(left, leaf)}, ${ifTree(leaves - left, leaf)}]`;
}

describe('each finding, whole', () => {
  it('a checked resource: its line, type and each container with its line', () => {
    const resources = task(
      '      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: false\n        - Name: side\n          Image: x\n          ReadonlyRootFilesystem: true\n        - {Name: bare}\n',
    );
    expect(judge(resources)).toEqual([
      {
        logicalId: 'T',
        targetType: 'AWS::ECS::TaskDefinition',
        line: 2,
        kind: 'checked',
        containers: [
          { index: 0, name: 'app', status: 'FAIL', reason: 'false', line: 7 },
          { index: 1, name: 'side', status: 'PASS', line: 10 },
          { index: 2, name: 'bare', status: 'FAIL', reason: 'missing', line: 11 },
        ],
      },
    ]);
  });

  it.each([
    ['no Properties', '  T:\n    Type: AWS::ECS::DaemonTaskDefinition\n', 'AWS::ECS::DaemonTaskDefinition', 'skipped'],
    ['null Properties', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n', 'AWS::ECS::TaskDefinition', 'skipped'],
    ['no ContainerDefinitions', task('      Cpu: 256\n'), 'AWS::ECS::TaskDefinition', 'skipped'],
    ['null ContainerDefinitions', task('      ContainerDefinitions:\n'), 'AWS::ECS::TaskDefinition', 'skipped'],
    ['only AWS::NoValue entries', task('      ContainerDefinitions:\n        - !Ref AWS::NoValue\n        - !If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]\n'), 'AWS::ECS::TaskDefinition', 'skipped'],
    ['a Windows family', task('      RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2019_FULL}\n      ContainerDefinitions: [{Name: iis}]\n'), 'AWS::ECS::TaskDefinition', 'skipped'],
    ['a list that is a mapping', task('      ContainerDefinitions: {Name: app}\n'), 'AWS::ECS::TaskDefinition', 'not-a-list'],
    ['a list that is text', task('      ContainerDefinitions: app\n'), 'AWS::ECS::TaskDefinition', 'not-a-list'],
  ])('%s', (_name, resources, targetType, kind) => {
    expect(judge(resources)).toEqual([{ logicalId: 'T', targetType, line: 2, kind, containers: [] }]);
  });

  it.each([
    ['a Condition that is not a name', task('      ContainerDefinitions: [{Name: app}]\n', '    Condition: [C]\n'), 'its Condition is not a name'],
    ['Properties from Fn::If', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !If [C, {ContainerDefinitions: []}, {}]\n', 'its Properties are computed at deploy time'],
    ['Properties that are a list', '  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties: [a]\n', 'its Properties are computed at deploy time'],
    ['Properties with an intrinsic key among others', task('      ContainerDefinitions: [{Name: app}]\n      Fn::If: [C, a, b]\n'), 'its Properties are computed at deploy time'],
    ['a RuntimePlatform from a parameter', task('      RuntimePlatform: !Ref Platform\n      ContainerDefinitions: [{Name: app}]\n'), 'its RuntimePlatform is computed at deploy time'],
    ['a RuntimePlatform that is text', task('      RuntimePlatform: LINUX\n      ContainerDefinitions: [{Name: app}]\n'), 'its RuntimePlatform is computed at deploy time'],
    ['an OS family from Fn::If', task('      RuntimePlatform: {OperatingSystemFamily: !If [C, LINUX, WINDOWS_SERVER_2022_CORE]}\n      ContainerDefinitions: [{Name: app}]\n'), 'its OperatingSystemFamily is known only at deploy time'],
    ['an OS family that is a number', task('      RuntimePlatform: {OperatingSystemFamily: 7}\n      ContainerDefinitions: [{Name: app}]\n'), 'its OperatingSystemFamily is known only at deploy time'],
    ['ContainerDefinitions from a parameter', task('      ContainerDefinitions: !Ref Defs\n'), 'its ContainerDefinitions are computed at deploy time'],
    ['ContainerDefinitions from a dynamic reference', task("      ContainerDefinitions: '{{resolve:ssm:/defs}}'\n"), 'its ContainerDefinitions are computed at deploy time'],
    ['Fn::Transform deep in a container', task('      ContainerDefinitions:\n        - Name: app\n          ReadonlyRootFilesystem: false\n          LogConfiguration: {Options: [{Fn::Transform: {Name: M}}]}\n'), 'Fn::Transform can add properties at deploy time'],
    ['Fn::Transform beside Properties', `${task('      ContainerDefinitions: [{Name: app}]\n')}    Metadata: {Fn::Transform: {Name: M}}\n`, 'Fn::Transform can add properties at deploy time'],
  ])('left: %s', (_name, resources, why) => {
    expect(judge(resources)).toEqual([{ logicalId: 'T', targetType: 'AWS::ECS::TaskDefinition', line: 2, kind: 'left', why, containers: [] }]);
  });

  it('a Linux family, literal or absent, is judged', () => {
    expect(statusOf(judge(task('      RuntimePlatform: {OperatingSystemFamily: LINUX}\n      ContainerDefinitions: [{Name: app}]\n')))).toBe('FAIL:missing');
    expect(statusOf(judge(task('      RuntimePlatform: {CpuArchitecture: ARM64}\n      ContainerDefinitions: [{Name: app}]\n')))).toBe('FAIL:missing');
  });

  it('a key that only contains Fn::Transform is no transform', () => {
    expect(statusOf(judge(task('      ContainerDefinitions:\n        - Name: app\n          DockerLabels: {not-Fn::Transform: x, Fn::Transforms: y}\n')))).toBe('FAIL:missing');
  });
});

describe('transforms', () => {
  it.each([
    ['a harmless transform named in a mapping', 'Transform: {Name: AWS::LanguageExtensions}\n', 'FAIL:missing'],
    ['both harmless transforms', 'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n', 'FAIL:missing'],
    ['a macro named in a mapping', 'Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k}}\n', 'left'],
    ['a macro alone', 'Transform: Acme::Rewrite\n', 'left'],
    ['an entry that names nothing', 'Transform: [AWS::LanguageExtensions, null]\n', 'left'],
    ['a mapping without a name', 'Transform: {Parameters: {}}\n', 'left'],
    ['a mapping whose name is not text', 'Transform: {Name: [AWS::LanguageExtensions]}\n', 'left'],
  ])('%s', (_name, head, expected) => {
    const findings = judge(container(undefined), head);
    expect(statusOf(findings)).toBe(expected);
    if (expected === 'left') expect(findings[0]!.why).toBe('the template runs a macro (Transform) that may rewrite it');
  });
});

describe('parameters are deploy-time values, their defaults ignored', () => {
  it.each([
    ['a mapping', 'Names: {Type: CommaDelimitedList, Default: "a,b"}'],
    ['empty', 'Names:'],
    ['text', 'Names: CommaDelimitedList'],
  ])('an Fn::ForEach over a parameter declared as %s is left', (_name, declaration) => {
    const resources = "  Fn::ForEach::Tasks:\n    - N\n    - !Ref Names\n    - T${N}:\n        Type: AWS::ECS::TaskDefinition\n        Properties:\n          ContainerDefinitions: [{Name: app}]\n";
    const findings = judge(resources, `Transform: AWS::LanguageExtensions\nParameters:\n  ${declaration}\n`);
    expect(findings).toEqual([{ logicalId: 'T${N}', targetType: 'AWS::ECS::TaskDefinition', line: 8, kind: 'left', why: 'Fn::ForEach ranges over values known only at deploy time', containers: [] }]);
  });

  it('an Fn::ForEach inside an Fn::ForEach over a literal list: left when the inner one ranges over a parameter', () => {
    const resources =
      '  Fn::ForEach::Outer:\n    - X\n    - [A]\n    - Fn::ForEach::Inner:\n        - N\n        - !Ref Names\n        - T${X}${N}:\n            Type: AWS::ECS::TaskDefinition\n            Properties:\n              ContainerDefinitions: [{Name: app}]\n';
    const findings = judge(resources, 'Transform: AWS::LanguageExtensions\nParameters:\n  Names: {Type: CommaDelimitedList, Default: "a,b"}\n');
    expect(findings.map((f) => [f.logicalId, f.kind, f.why])).toEqual([['TA${N}', 'left', 'Fn::ForEach ranges over values known only at deploy time']]);
  });

  it('a Ref to a parameter with a default stays unknown: left, never judged by the default', () => {
    const findings = judge(container('!Ref Lock'), 'Parameters:\n  Lock: {Type: String, Default: "false"}\n');
    expect(findings[0]!.containers).toEqual([{ index: 0, name: 'app', status: 'LEFT', line: 9 }]);
  });
});

describe('Fn::If alternatives', () => {
  it('follows at most 64 alternatives; past that the value is left', () => {
    expect(statusOf(judge(container(ifTree(64, 'false'))))).toBe('FAIL:false');
    expect(statusOf(judge(container(ifTree(65, 'false'))))).toBe('LEFT');
  });

  it('follows Fn::If 32 deep; deeper, the value is left', () => {
    const chain = (n: number): string => (n === 0 ? 'false' : `!If [C, false, ${chain(n - 1)}]`);
    expect(statusOf(judge(container(chain(32))))).toBe('FAIL:false');
    expect(statusOf(judge(container(chain(33))))).toBe('LEFT');
    const thenChain = (n: number): string => (n === 0 ? 'false' : `!If [C, ${thenChain(n - 1)}, false]`);
    expect(statusOf(judge(container(thenChain(32))))).toBe('FAIL:false');
    expect(statusOf(judge(container(thenChain(33))))).toBe('LEFT');
  });

  it.each([
    ['an Fn::If of two arguments', '!If [C, false]'],
    ['an Fn::If of four arguments', '!If [C, false, false, false]'],
    ['an Fn::If whose condition is not a name', '{Fn::If: [[C], false, false]}'],
    ['an Fn::If beside another key', '{Fn::If: [C, false, false], Other: 1}'],
    ['an Fn::Sub', '!Sub "false"'],
    ['a Ref that is not AWS::NoValue', '!Ref AWS::StackName'],
    ['a dynamic reference inside text', "'x{{resolve:ssm:/ro}}'"],
  ])('%s is left', (_name, flag) => {
    expect(statusOf(judge(container(flag)))).toBe('LEFT');
  });

  it('a mapping with a Ref key among others is a computed value, left', () => {
    expect(statusOf(judge(container('{Ref: AWS::NoValue, Other: 1}')))).toBe('LEFT');
  });

  it('an entry that is AWS::NoValue in one branch is left, named by the other branch, at the Fn::If', () => {
    const resources = task('      ContainerDefinitions:\n        - !If\n          - C\n          - Name: app\n            ReadonlyRootFilesystem: false\n          - !Ref AWS::NoValue\n');
    expect(judge(resources)[0]!.containers).toEqual([{ index: 0, name: 'app', status: 'LEFT', line: 7 }]);
    const unnamed = task('      ContainerDefinitions:\n        - !If\n          - C\n          - !Ref AWS::NoValue\n          - Name: app\n');
    expect(judge(unnamed)[0]!.containers).toEqual([{ index: 0, name: null, status: 'LEFT', line: 7 }]);
  });

  it('an entry known only at deploy time is left, unnamed, at its place in the list', () => {
    const resources = task('      ContainerDefinitions:\n        - Name: first\n          ReadonlyRootFilesystem: true\n        - !Ref Entry\n        - "{{resolve:ssm:/entry}}"\n        - {Name: x, ReadonlyRootFilesystem: false, Fn::GetAtt: [A, B]}\n');
    expect(judge(resources)[0]!.containers).toEqual([
      { index: 0, name: 'first', status: 'PASS', line: 7 },
      { index: 1, name: null, status: 'LEFT', line: 8 },
      { index: 2, name: null, status: 'LEFT', line: 9 },
      { index: 3, name: null, status: 'LEFT', line: 10 },
    ]);
  });

  it('an entry with an empty name, or none, in one branch and AWS::NoValue in the other is left unnamed', () => {
    const empty = task('      ContainerDefinitions:\n        - !If [C, {Name: "", ReadonlyRootFilesystem: false}, !Ref AWS::NoValue]\n');
    expect(judge(empty)[0]!.containers).toEqual([{ index: 0, name: null, status: 'LEFT', line: 6 }]);
  });

  it('a container that fails in one branch only is left, at the first branch without the flag too', () => {
    const resources = task('      ContainerDefinitions:\n        - !If\n          - C\n          - Name: app\n          - Name: app\n            ReadonlyRootFilesystem: true\n');
    expect(judge(resources)[0]!.containers).toEqual([{ index: 0, name: 'app', status: 'LEFT', line: 8 }]);
  });

  it('an entry with a Ref key among its keys is computed: left', () => {
    const resources = task('      ContainerDefinitions:\n        - {Name: x, ReadonlyRootFilesystem: false, Ref: Other}\n');
    expect(judge(resources)[0]!.containers).toEqual([{ index: 0, name: null, status: 'LEFT', line: 6 }]);
  });

  it('a container in Fn::If with a different name in each branch is named by neither', () => {
    const resources = task('      ContainerDefinitions:\n        - !If [C, {Name: a, ReadonlyRootFilesystem: false}, {Name: b}]\n');
    expect(judge(resources)[0]!.containers).toEqual([{ index: 0, name: null, status: 'FAIL', reason: 'false', line: 6 }]);
  });

  it('a container that fails in one branch only is left, at the first branch', () => {
    const resources = task('      ContainerDefinitions:\n        - !If\n          - C\n          - Name: app\n            ReadonlyRootFilesystem: true\n          - Name: app\n');
    expect(judge(resources)[0]!.containers).toEqual([{ index: 0, name: 'app', status: 'LEFT', line: 9 }]);
  });

  it('a container exempt in one branch and passing in the other passes; exempt in both is exempt', () => {
    const names = parsePolicyConfig({ ExemptContainerNames: ['init*'] });
    const mixed = task('      ContainerDefinitions:\n        - !If [C, {Name: init, ReadonlyRootFilesystem: false}, {Name: app, ReadonlyRootFilesystem: true}]\n');
    expect(judge(mixed, '', names)[0]!.containers).toEqual([{ index: 0, name: null, status: 'PASS', line: 6 }]);
    const both = task('      ContainerDefinitions:\n        - !If [C, {Name: init}, {Name: init-2}]\n');
    expect(judge(both, '', names)[0]!.containers).toEqual([{ index: 0, name: null, status: 'EXEMPT', line: 6, exemptedBy: { property: 'ExemptContainerNames', pattern: 'init*' } }]);
    const same = task('      ContainerDefinitions:\n        - !If [C, {Name: init}, {Name: init, Image: x}]\n');
    expect(judge(same, '', names)[0]!.containers).toEqual([{ index: 0, name: 'init', status: 'EXEMPT', line: 6, exemptedBy: { property: 'ExemptContainerNames', pattern: 'init*' } }]);
  });

  it('an entry that is not an object fails in every branch, at its place in the list', () => {
    const resources = task('      ContainerDefinitions:\n        - !If\n          - C\n          - just-a-string\n          - 42\n');
    expect(judge(resources)[0]!.containers).toEqual([{ index: 0, name: null, status: 'FAIL', reason: 'malformed', line: 7 }]);
  });
});

describe('names and images', () => {
  const names = parsePolicyConfig({ ExemptContainerNames: ['app'] });
  const images = parsePolicyConfig({ ExemptImages: ['public.ecr.aws/*'] });

  it('an empty name names nothing; a name that is not text is unknown', () => {
    expect(judge(task('      ContainerDefinitions:\n        - {Name: "", ReadonlyRootFilesystem: false}\n'))[0]!.containers).toEqual([{ index: 0, name: null, status: 'FAIL', reason: 'false', line: 6 }]);
    expect(statusOf(judge(task('      ContainerDefinitions:\n        - {Name: 5}\n'), '', names))).toBe('LEFT');
    expect(statusOf(judge(task('      ContainerDefinitions:\n        - {Name: "{{resolve:ssm:/n}}"}\n'), '', names))).toBe('LEFT');
  });

  it('a deploy-time name is left only under name patterns, a deploy-time image only under image patterns', () => {
    const byName = task('      ContainerDefinitions:\n        - {Name: !Ref N, Image: public.ecr.aws/x:1}\n');
    expect(statusOf(judge(byName, '', images))).toBe('EXEMPT');
    const byImage = task('      ContainerDefinitions:\n        - {Name: app, Image: !Ref I}\n');
    expect(statusOf(judge(byImage, '', names))).toBe('EXEMPT');
    expect(judge(byImage, '', images)[0]!.containers).toEqual([{ index: 0, name: 'app', status: 'LEFT', line: 6 }]);
  });

  it('a container without a name is judged under name patterns (nothing to match)', () => {
    expect(judge(task('      ContainerDefinitions:\n        - {Image: x}\n'), '', names)[0]!.containers).toEqual([{ index: 0, name: null, status: 'FAIL', reason: 'missing', line: 6 }]);
  });

  it('a literal image is judged against image patterns', () => {
    expect(statusOf(judge(task('      ContainerDefinitions:\n        - {Name: app, Image: docker.io/x}\n'), '', images))).toBe('FAIL:missing');
  });
});

describe('templates refused', () => {
  it('says where the template does not parse', () => {
    expect(judgeStackTemplate('Resources: [', EMPTY_CONFIG)).toEqual({
      ok: false,
      reason: 'the template does not parse at line 1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    });
  });

  it('says why without a line when the failure has none', () => {
    expect(judgeStackTemplate(`Resources: {}\n#${'x'.repeat(5 * 1024 * 1024)}\n`, EMPTY_CONFIG)).toEqual({
      ok: false,
      reason: 'the template does not parse: template is over the 5242880-byte limit',
    });
  });

  it('reads a template whose Resources is not a mapping as having none', () => {
    expect(judgeStackTemplate('Resources: [a]\n', EMPTY_CONFIG)).toEqual({ ok: true, findings: [] });
    // A snippet of resources without the Resources key is no stack: CloudFormation deploys only templates with Resources.
    expect(judgeStackTemplate(container(undefined), EMPTY_CONFIG)).toEqual({ ok: true, findings: [] });
  });
});
