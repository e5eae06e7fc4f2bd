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
    ['"yes" (YAML readers differ)', 'yes', 'LEFT'],
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
