import {
  classifyReadonlyRootFilesystem,
  EMPTY_CONFIG,
  evaluateTaskDefinition,
  EXEMPTION_WORK_LIMIT,
  MAX_EXEMPT_IMAGE_LENGTH,
  MAX_EXEMPT_NAME_LENGTH,
  isCompliant,
  isTargetType,
  parsePolicyConfig,
  TARGET_TYPES,
  type Evaluation,
} from '../../src/policy';

describe('target types', () => {
  it('judges task definitions and daemon task definitions, nothing else', () => {
    expect(TARGET_TYPES).toEqual(['AWS::ECS::TaskDefinition', 'AWS::ECS::DaemonTaskDefinition']);
    expect(isTargetType('AWS::ECS::TaskDefinition')).toBe(true);
    expect(isTargetType('AWS::ECS::DaemonTaskDefinition')).toBe(true);
    for (const other of ['AWS::ECS::Service', 'AWS::ECS::TaskSet', 'aws::ecs::taskdefinition', '', undefined, null]) expect(isTargetType(other)).toBe(false);
  });
});

describe('ReadonlyRootFilesystem values', () => {
  const table: Array<[string, unknown, ReturnType<typeof classifyReadonlyRootFilesystem>]> = [
    ['boolean true', true, 'compliant'],
    ['string "true" (as CloudFormation sends it)', 'true', 'compliant'],
    ['string "TRUE"', 'TRUE', 'compliant'],
    ['string "True"', 'True', 'compliant'],
    ['boolean false', false, 'false'],
    ['string "false"', 'false', 'false'],
    ['string "FALSE"', 'FALSE', 'false'],
    ['absent', undefined, 'missing'],
    ['null', null, 'missing'],
    ['string "yes"', 'yes', 'invalid'],
    ['string " true" (padded)', ' true', 'invalid'],
    ['empty string', '', 'invalid'],
    ['number 1', 1, 'invalid'],
    ['number 0', 0, 'invalid'],
    ['unresolved Ref', { Ref: 'ReadOnly' }, 'invalid'],
    ['unresolved Fn::If', { 'Fn::If': ['c', true, false] }, 'invalid'],
    ['a list', [true], 'invalid'],
  ];
  it.each(table)('%s', (_label, value, expected) => {
    expect(classifyReadonlyRootFilesystem(value)).toBe(expected);
  });
});

function checked(evaluation: Evaluation) {
  if (evaluation.kind !== 'checked') throw new Error(`expected checked, got ${evaluation.kind}`);
  return evaluation.containers;
}

describe('evaluateTaskDefinition', () => {
  it('judges every container and names each by Name or position', () => {
    const result = evaluateTaskDefinition(
      {
        ContainerDefinitions: [
          { Name: 'app' },
          { Name: 'sidecar', ReadonlyRootFilesystem: 'false' },
          { Name: 'proxy', ReadonlyRootFilesystem: 'true' },
          { ReadonlyRootFilesystem: 'yes' },
          { Name: '', ReadonlyRootFilesystem: true },
          { Name: 42, ReadonlyRootFilesystem: null },
          { Name: { Ref: 'N' } },
        ],
      },
      EMPTY_CONFIG,
    );
    expect(checked(result)).toEqual([
      { index: 0, name: 'app', status: 'FAIL', reason: 'missing' },
      { index: 1, name: 'sidecar', status: 'FAIL', reason: 'false' },
      { index: 2, name: 'proxy', status: 'PASS' },
      { index: 3, name: null, status: 'FAIL', reason: 'invalid' },
      { index: 4, name: null, status: 'PASS' },
      { index: 5, name: '42', status: 'FAIL', reason: 'missing' },
      { index: 6, name: null, status: 'FAIL', reason: 'missing' },
    ]);
    expect(isCompliant(result)).toBe(false);
  });

  it('passes when every container is read-only, in boolean or string form', () => {
    const result = evaluateTaskDefinition(
      { ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: true }, { Name: 'b', ReadonlyRootFilesystem: 'TRUE' }] },
      EMPTY_CONFIG,
    );
    expect(isCompliant(result)).toBe(true);
  });

  it.each([
    ['absent', {}],
    ['null', { ContainerDefinitions: null }],
    ['an empty list', { ContainerDefinitions: [] }],
  ])('has nothing to check when ContainerDefinitions is %s', (_label, props) => {
    const result = evaluateTaskDefinition(props, EMPTY_CONFIG);
    expect(result).toEqual({ kind: 'empty' });
    expect(isCompliant(result)).toBe(true);
  });

  it.each([
    ['a string', 'app'],
    ['an object', { Name: 'app' }],
    ['a number', 3],
  ])('fails closed when ContainerDefinitions is %s', (_label, value) => {
    const result = evaluateTaskDefinition({ ContainerDefinitions: value }, EMPTY_CONFIG);
    expect(result).toEqual({ kind: 'not-a-list' });
    expect(isCompliant(result)).toBe(false);
  });

  it('fails an entry that is not an object, by position', () => {
    const result = evaluateTaskDefinition(
      { ContainerDefinitions: [{ Name: 'ok', ReadonlyRootFilesystem: true }, 'app', null] },
      EMPTY_CONFIG,
    );
    expect(checked(result).slice(1)).toEqual([
      { index: 1, name: null, status: 'FAIL', reason: 'malformed' },
      { index: 2, name: null, status: 'FAIL', reason: 'malformed' },
    ]);
  });

  it.each(['WINDOWS_SERVER_2019_FULL', 'WINDOWS_SERVER_2022_CORE'])('skips Windows (%s)', (family) => {
    const result = evaluateTaskDefinition(
      { RuntimePlatform: { OperatingSystemFamily: family }, ContainerDefinitions: [{ Name: 'iis' }] },
      EMPTY_CONFIG,
    );
    expect(result).toEqual({ kind: 'windows', family });
    expect(isCompliant(result)).toBe(true);
  });

  it.each([{ OperatingSystemFamily: 'LINUX' }, { OperatingSystemFamily: 'windows_server_2019_full' }, 'WINDOWS', null])(
    'checks containers for any other runtime platform (%j)',
    (platform) => {
      const result = evaluateTaskDefinition({ RuntimePlatform: platform, ContainerDefinitions: [{ Name: 'x' }] }, EMPTY_CONFIG);
      expect(result.kind).toBe('checked');
      expect(isCompliant(result)).toBe(false);
    },
  );

  it('exempts by container name or image glob, reporting the pattern', () => {
    const config = parsePolicyConfig({
      ExemptContainerNames: ['log_router', 'datadog-*'],
      ExemptImages: ['public.ecr.aws/aws-observability/aws-for-fluent-bit:*'],
    });
    const result = evaluateTaskDefinition(
      {
        ContainerDefinitions: [
          { Name: 'log_router' },
          { Name: 'datadog-agent', ReadonlyRootFilesystem: false },
          { Name: 'firelens', Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0' },
          { Name: 'app', Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit-evil' },
          { Name: 'Log_Router' },
        ],
      },
      config,
    );
    expect(checked(result)).toEqual([
      { index: 0, name: 'log_router', status: 'EXEMPT', exemptedBy: { property: 'ExemptContainerNames', pattern: 'log_router' } },
      { index: 1, name: 'datadog-agent', status: 'EXEMPT', exemptedBy: { property: 'ExemptContainerNames', pattern: 'datadog-*' } },
      {
        index: 2,
        name: 'firelens',
        status: 'EXEMPT',
        exemptedBy: { property: 'ExemptImages', pattern: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:*' },
      },
      { index: 3, name: 'app', status: 'FAIL', reason: 'missing' },
      { index: 4, name: 'Log_Router', status: 'FAIL', reason: 'missing' },
    ]);
  });

  it('reads an integer or boolean name or image as CloudFormation hands it to the hook: as its text', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['2048'], ExemptImages: ['true'] });
    const result = evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 2048 }, { Name: 'x', Image: true }, { Name: 2049 }, { Name: 2048.5 }, { Name: false }] }, config);
    expect(checked(result)).toEqual([
      { index: 0, name: '2048', status: 'EXEMPT', exemptedBy: { property: 'ExemptContainerNames', pattern: '2048' } },
      { index: 1, name: 'x', status: 'EXEMPT', exemptedBy: { property: 'ExemptImages', pattern: 'true' } },
      { index: 2, name: '2049', status: 'FAIL', reason: 'missing' },
      { index: 3, name: null, status: 'FAIL', reason: 'missing' },
      { index: 4, name: 'false', status: 'FAIL', reason: 'missing' },
    ]);
  });

  it('exempts by name only a container that has a name, and by image only a non-empty image string', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['*'], ExemptImages: ['*'] });
    const names = evaluateTaskDefinition({ ContainerDefinitions: [{ Image: '' }, { Image: 7.5 }, { Name: '' }, {}] }, config);
    expect(checked(names).map((c) => c.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'FAIL']);
    expect(isCompliant(names)).toBe(false);
    const image = evaluateTaskDefinition({ ContainerDefinitions: [{ Image: 'x' }] }, config);
    expect(checked(image)).toEqual([{ index: 0, name: null, status: 'EXEMPT', exemptedBy: { property: 'ExemptImages', pattern: '*' } }]);
  });

  it('names the container-name pattern when both patterns match, and the first matching pattern of a list', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['other', 'log*', 'log_router'], ExemptImages: ['*'] });
    const result = evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'log_router', Image: 'fluent-bit' }] }, config);
    expect(checked(result)[0]?.exemptedBy).toEqual({ property: 'ExemptContainerNames', pattern: 'log*' });
  });

  it('lets a task definition through when every container is exempt or read-only', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['log_router'] });
    const result = evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'log_router' }, { Name: 'app', ReadonlyRootFilesystem: true }] }, config);
    expect(checked(result).map((c) => c.status)).toEqual(['EXEMPT', 'PASS']);
    expect(isCompliant(result)).toBe(true);
  });

  it.each([{ OperatingSystemFamily: 7 }, { OperatingSystemFamily: null }, {}, [{ OperatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' }]])(
    'checks containers when the platform family is no Windows string (%j)',
    (platform) => {
      expect(evaluateTaskDefinition({ RuntimePlatform: platform, ContainerDefinitions: [{ Name: 'x' }] }, EMPTY_CONFIG).kind).toBe('checked');
    },
  );

  it('treats DaemonTaskDefinition properties the same way', () => {
    const result = evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'agent', ReadonlyRootFilesystem: 'False' }] }, EMPTY_CONFIG);
    expect(checked(result)).toEqual([{ index: 0, name: 'agent', status: 'FAIL', reason: 'false' }]);
  });
});

describe('exemption matching is bounded', () => {
  it('never exempts a name or an image longer than ECS takes (255 characters; an image 327 with a digest)', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['*'], ExemptImages: ['*'] });
    const statuses = (entries: unknown[]) => (evaluateTaskDefinition({ ContainerDefinitions: entries }, config) as unknown as { containers: { status: string }[] }).containers.map((c) => c.status);
    expect(MAX_EXEMPT_NAME_LENGTH).toBe(255);
    expect(MAX_EXEMPT_IMAGE_LENGTH).toBe(327);
    expect(statuses([{ Name: 'n'.repeat(255) }, { Name: 'n'.repeat(256) }])).toEqual(['EXEMPT', 'FAIL']);
    expect(statuses([{ Image: 'i'.repeat(327) }, { Image: 'i'.repeat(328) }])).toEqual(['EXEMPT', 'FAIL']);
    expect(statuses([{ Name: 'n'.repeat(256), Image: 'i'.repeat(10) }])).toEqual(['EXEMPT']);
  });

  it('stops exempting a task definition once matching has cost its budget: ten containers never reach it, thousands of made-up ones do', () => {
    // 99 of the longest name patterns that never match, then one that matches everything.
    const names = [...Array.from({ length: 99 }, (_, i) => `*${'x'.repeat(250)}y${String(i).padStart(2, '0')}*`), '*'];
    const config = parsePolicyConfig({ ExemptContainerNames: names });
    const containers = (n: number) => Array.from({ length: n }, (_, k) => ({ Name: `${'x'.repeat(250)}${String(k).padStart(5, '0')}` }));
    const statuses = (n: number) => (evaluateTaskDefinition({ ContainerDefinitions: containers(n) }, config) as unknown as { containers: { status: string }[] }).containers.map((c) => c.status);
    expect(statuses(10)).toEqual(Array.from({ length: 10 }, () => 'EXEMPT'));
    const many = statuses(1000);
    const exempt = many.filter((s) => s === 'EXEMPT').length;
    expect(many.slice(0, exempt).every((s) => s === 'EXEMPT')).toBe(true);
    expect(many.slice(exempt).every((s) => s === 'FAIL')).toBe(true);
    expect(exempt).toBeGreaterThan(10);
    expect(exempt).toBeLessThan(1000);
    expect(EXEMPTION_WORK_LIMIT).toBe(20_000_000);
  });
});
