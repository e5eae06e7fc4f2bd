import fc from 'fast-check';
import { EMPTY_CONFIG, evaluateTaskDefinition, fitList, MAX_ANNOTATIONS, parsePolicyConfig, report, safeName } from '../../src/policy';

const ctx = { logicalId: 'WebTask', targetType: 'AWS::ECS::TaskDefinition' as const };

function verdictFor(props: Record<string, unknown>, config = EMPTY_CONFIG, extra: Partial<Parameters<typeof report>[1]> = {}) {
  return report(evaluateTaskDefinition(props, config), { ...ctx, ...extra });
}

describe('report', () => {
  it('names each offending container with its reason, then the fix', () => {
    const v = verdictFor({
      ContainerDefinitions: [{ Name: 'app' }, { Name: 'sidecar', ReadonlyRootFilesystem: 'false' }, { Name: 'proxy', ReadonlyRootFilesystem: 'true' }],
    });
    expect(v.compliant).toBe(false);
    expect(v.message).toBe(
      "TaskDefinition 'WebTask': 2 of 3 containers can write to their root filesystem: 'app' (ReadonlyRootFilesystem missing), 'sidecar' (false). Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.",
    );
    expect(v.annotations).toEqual([
      {
        annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
        status: 'FAILED',
        statusMessage: "Container 'app' can write to its root filesystem: ReadonlyRootFilesystem missing.",
        remediationMessage: "Set ReadonlyRootFilesystem: true on container 'app' and mount a volume at any path it must write.",
        remediationLink:
          'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-readonlyRootFilesystem',
        severityLevel: 'HIGH',
      },
      {
        annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
        status: 'FAILED',
        statusMessage: "Container 'sidecar' can write to its root filesystem: false.",
        remediationMessage: "Set ReadonlyRootFilesystem: true on container 'sidecar' and mount a volume at any path it must write.",
        remediationLink:
          'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-readonlyRootFilesystem',
        severityLevel: 'HIGH',
      },
    ]);
  });

  it('names containers without a usable Name by position, and says why each fails', () => {
    const v = verdictFor({ ContainerDefinitions: [{ ReadonlyRootFilesystem: 'yes' }, 'oops'] });
    expect(v.message).toBe(
      "TaskDefinition 'WebTask': 2 of 2 containers can write to their root filesystem: 'ContainerDefinitions[0]' (not true or false), 'ContainerDefinitions[1]' (not a container definition object). Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.",
    );
  });

  it('reports compliance with the count checked and those exempted', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['log_router'] });
    const v = verdictFor(
      { ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: true }, { Name: 'log_router' }] },
      config,
    );
    expect(v).toEqual({
      compliant: true,
      message: "TaskDefinition 'WebTask': 1 container checked, all with a read-only root filesystem. Exempt by configuration: 'log_router'.",
      annotations: [
        { annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'PASSED', statusMessage: '1 container has a read-only root filesystem; 1 exempt.' },
        {
          annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
          status: 'SKIPPED',
          statusMessage: "Container 'log_router' is exempt: ExemptContainerNames pattern 'log_router'.",
        },
      ],
    });
  });

  it('says an update turns the protection off when the previous version complied', () => {
    const previous = evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'true' }] }, EMPTY_CONFIG);
    const v = verdictFor({ ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: 'false' }] }, EMPTY_CONFIG, { previous });
    expect(v.message).toBe(
      "TaskDefinition 'WebTask': 1 of 1 container can write to its root filesystem: 'app' (false). Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write. This update turns the protection off: every container of the previous version had a read-only root filesystem.",
    );
  });

  it('names DaemonTaskDefinition targets by their type', () => {
    const v = report(evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'agent' }] }, EMPTY_CONFIG), {
      logicalId: 'Agents',
      targetType: 'AWS::ECS::DaemonTaskDefinition',
    });
    expect(v.message.startsWith("DaemonTaskDefinition 'Agents': 1 of 1 container can write")).toBe(true);
  });

  it('keeps the message within 1,024 characters, naming as many as fit and "and N more"', () => {
    const containers = Array.from({ length: 200 }, (_, i) => ({ Name: `container-number-${i}` }));
    const v = verdictFor({ ContainerDefinitions: containers });
    expect(v.message.length).toBeLessThanOrEqual(1024);
    expect(v.message).toMatch(/^TaskDefinition 'WebTask': 200 of 200 containers can write to their root filesystem: 'container-number-0' \(ReadonlyRootFilesystem missing\), /);
    const more = /, and (\d+) more\. Set ReadonlyRootFilesystem: true/.exec(v.message);
    expect(more).not.toBeNull();
    const named = (v.message.match(/'container-number-\d+'/g) ?? []).length;
    expect(named + Number(more?.[1])).toBe(200);
    expect(v.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(v.annotations[MAX_ANNOTATIONS - 1]).toMatchObject({
      status: 'FAILED',
      statusMessage: '176 more container results are not listed; the message names the offending containers.',
    });
  });

  it('escapes hostile names and bounds each one, so no line can be forged', () => {
    const hostile = `evil\nTaskDefinition 'X': compliant\u202e${'x'.repeat(10_000)}`;
    const v = verdictFor({ ContainerDefinitions: [{ Name: hostile }] });
    expect(v.message).not.toMatch(/[\n\r\u202e]/);
    expect(v.message).toContain("'evil\\u000aTaskDefinition \\'X\\': compliant\\u202exxxxxxxx");
    expect(v.message.length).toBeLessThan(400);
  });

  it('skips Windows task definitions with the reason', () => {
    const v = verdictFor({ RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }, ContainerDefinitions: [{ Name: 'iis' }] });
    expect(v).toMatchObject({
      compliant: true,
      message: "TaskDefinition 'WebTask': skipped, WINDOWS_SERVER_2022_CORE containers cannot use a read-only root filesystem.",
    });
  });

  it('lets an empty list through, saying there is nothing to check', () => {
    expect(verdictFor({ ContainerDefinitions: [] })).toMatchObject({
      compliant: true,
      message: "TaskDefinition 'WebTask': no container definitions, nothing to check.",
    });
  });

  it('fails closed with a specific message when ContainerDefinitions is not a list', () => {
    expect(verdictFor({ ContainerDefinitions: 'app' })).toMatchObject({
      compliant: false,
      message:
        "TaskDefinition 'WebTask': ContainerDefinitions is not a list, so no container can be checked. Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.",
    });
  });
});

describe('safeName', () => {
  it.each([
    ['plain', 'plain'],
    ["it's", "it\\'s"],
    ['back\\slash', 'back\\\\slash'],
    ['tab\there', 'tab\\u0009here'],
    ['rtl\u202eoverride', 'rtl\\u202eoverride'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
    ['emoji 🚀 kept', 'emoji 🚀 kept'],
    ['lone \ud800 surrogate', 'lone \\ud800 surrogate'],
  ])('%j -> %j', (input, expected) => {
    expect(safeName(input)).toBe(expected);
  });

  it('cuts long names to the bound with an ellipsis', () => {
    const out = safeName('n'.repeat(1000), 64);
    expect(out).toHaveLength(64);
    expect(out.endsWith('…')).toBe(true);
  });
});

const LINK = 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-readonlyRootFilesystem';
const FIX_TEXT = 'Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';
const named = (prefix: string, n: number, extra: Record<string, unknown> = {}) => Array.from({ length: n }, (_, i) => ({ Name: `${prefix}-${i}`, ...extra }));

describe('report: annotations', () => {
  // Parsed in each test, so a broken parser fails tests instead of the file's loading.
  const sidecars = () => parsePolicyConfig({ ExemptContainerNames: ['side*'] });

  it('lists exactly 25 failing containers one by one', () => {
    const v = verdictFor({ ContainerDefinitions: named('app', 25) });
    expect(v.annotations).toHaveLength(25);
    expect(v.annotations.map((a) => a.statusMessage)).toEqual(named('app', 25).map((c) => `Container '${c.Name}' can write to its root filesystem: ReadonlyRootFilesystem missing.`));
  });

  it('summarises from the 25th annotation on when 26 containers fail', () => {
    const v = verdictFor({ ContainerDefinitions: named('app', 26) });
    expect(v.annotations).toHaveLength(25);
    expect(v.annotations[23]?.statusMessage).toBe("Container 'app-23' can write to its root filesystem: ReadonlyRootFilesystem missing.");
    expect(v.annotations[24]).toEqual({
      annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
      status: 'FAILED',
      statusMessage: '2 more container results are not listed; the message names the offending containers.',
      remediationLink: LINK,
      severityLevel: 'HIGH',
    });
  });

  it('lists failing containers before exempt ones, and the summary of a failing resource fails', () => {
    const v = verdictFor({ ContainerDefinitions: [...named('app', 20), ...named('sidecar', 10)] }, sidecars());
    expect(v.annotations).toHaveLength(25);
    expect(v.annotations[19]?.status).toBe('FAILED');
    expect(v.annotations[20]).toEqual({
      annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
      status: 'SKIPPED',
      statusMessage: "Container 'sidecar-0' is exempt: ExemptContainerNames pattern 'side*'.",
    });
    expect(v.annotations[24]).toEqual({
      annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
      status: 'FAILED',
      statusMessage: '6 more container results are not listed; the message names the offending containers.',
      remediationLink: LINK,
      severityLevel: 'HIGH',
    });
  });

  it('passes with one PASSED annotation, then exempt ones, summarised as skipped past the limit', () => {
    const v = verdictFor({ ContainerDefinitions: named('sidecar', 30) }, sidecars());
    expect(v.compliant).toBe(true);
    expect(v.annotations).toHaveLength(25);
    expect(v.annotations[0]).toEqual({
      annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
      status: 'PASSED',
      statusMessage: '0 containers have a read-only root filesystem; 30 exempt.',
    });
    expect(v.annotations[23]?.statusMessage).toBe("Container 'sidecar-22' is exempt: ExemptContainerNames pattern 'side*'.");
    expect(v.annotations[24]).toEqual({
      annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
      status: 'SKIPPED',
      statusMessage: '7 more container results are not listed; the message names the offending containers.',
    });
    expect(v.message).toBe(
      `TaskDefinition 'WebTask': all 30 containers are exempt, none checked. Exempt by configuration: ${named('sidecar', 28)
        .map((c) => `'${c.Name}'`)
        .join(', ')}, and 2 more.`,
    );
  });

  it('counts the containers checked and exempt in the PASSED annotation', () => {
    expect(verdictFor({ ContainerDefinitions: named('app', 2, { ReadonlyRootFilesystem: true }) })).toEqual({
      compliant: true,
      message: "TaskDefinition 'WebTask': 2 containers checked, all with a read-only root filesystem.",
      annotations: [{ annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'PASSED', statusMessage: '2 containers have a read-only root filesystem.' }],
    });
    const one = verdictFor({ ContainerDefinitions: [{ Name: 'sidecar-a' }] }, sidecars());
    expect(one.message).toBe("TaskDefinition 'WebTask': 1 container is exempt, none checked. Exempt by configuration: 'sidecar-a'.");
    expect(one.annotations[0]?.statusMessage).toBe('0 containers have a read-only root filesystem; 1 exempt.');
  });

  it('names an exempting image pattern, bounded to 128 characters', () => {
    const pattern = `registry.example.com/${'p'.repeat(200)}*`;
    const v = verdictFor({ ContainerDefinitions: [{ Name: 'x', Image: `registry.example.com/${'p'.repeat(200)}:1` }] }, parsePolicyConfig({ ExemptImages: [pattern] }));
    expect(v.annotations[1]?.statusMessage).toBe(`Container 'x' is exempt: ExemptImages pattern '${safeName(pattern, 128)}'.`);
    expect(safeName(pattern, 128)).toHaveLength(128);
  });

  it('says why each container fails, in the annotation and the message', () => {
    const v = verdictFor({ ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: 'yes' }, 7] });
    expect(v.annotations.map((a) => a.statusMessage)).toEqual([
      "Container 'a' can write to its root filesystem: not true or false.",
      "Container 'ContainerDefinitions[1]' can write to its root filesystem: not a container definition object.",
    ]);
    expect(v.annotations[1]?.remediationMessage).toBe(
      "Set ReadonlyRootFilesystem: true on container 'ContainerDefinitions[1]' and mount a volume at any path it must write.",
    );
  });

  it('answers an empty list, a non-list and Windows with one annotation each', () => {
    expect(verdictFor({ ContainerDefinitions: [] }).annotations).toEqual([
      { annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'SKIPPED', statusMessage: 'No container definitions to check.' },
    ]);
    expect(verdictFor({ ContainerDefinitions: 'x' }).annotations).toEqual([
      {
        annotationName: 'ECS_READONLY_ROOT_FILESYSTEM',
        status: 'FAILED',
        statusMessage: 'ContainerDefinitions is not a list.',
        remediationMessage: FIX_TEXT,
        remediationLink: LINK,
        severityLevel: 'HIGH',
      },
    ]);
    expect(verdictFor({ RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' } }).annotations).toEqual([
      { annotationName: 'ECS_READONLY_ROOT_FILESYSTEM', status: 'SKIPPED', statusMessage: 'ECS does not support read-only root filesystems for Windows containers.' },
    ]);
  });
});

describe('report: messages', () => {
  it.each(['WINDOWS_SERVER_2016_FULL', 'WINDOWS_SERVER_2019_FULL', 'WINDOWS_SERVER_2019_CORE', 'WINDOWS_SERVER_2004_CORE', 'WINDOWS_SERVER_20H2_CORE', 'WINDOWS_SERVER_2022_FULL', 'WINDOWS_SERVER_2022_CORE', 'WINDOWS_SERVER_2025_FULL', 'WINDOWS_SERVER_2025_CORE'])(
    'prints the Windows family %s',
    (family) => {
      expect(verdictFor({ RuntimePlatform: { OperatingSystemFamily: family } }).message).toBe(
        `TaskDefinition 'WebTask': skipped, ${family} containers cannot use a read-only root filesystem.`,
      );
    },
  );

  it.each([
    'WINDOWS_SERVER_2019_FULLX',
    'WINDOWSWINDOWS_SERVER_2019_FULL',
    'WINDOWS_SERVER_2_FULL',
    'WINDOWS_SERVER_20199_FULL',
    'WINDOWS_SERVER_2019_HALF',
    'WINDOWS_SERVER_2019_',
    'WINDOWS_SERVER_ab19_FULL',
    'WINDOWS_SERVER_2019_FULL\nforged line',
    'WINDOWS_SERVER__FULL',
    'WINDOWS_SERVER_2019-FULL',
    // Shaped like ECS's names, but not one of them: the author's text.
    'WINDOWS_SERVER_PW42_CORE',
    'WINDOWS_SERVER_2016_CORE',
    'WINDOWS_SERVER_9999_FULL',
  ])('prints any other Windows value %j only as "Windows"', (family) => {
    expect(verdictFor({ RuntimePlatform: { OperatingSystemFamily: family } }).message).toBe(
      "TaskDefinition 'WebTask': skipped, Windows containers cannot use a read-only root filesystem.",
    );
  });

  it('names the resource by its type and a logical id of at most 128 characters', () => {
    const v = report(evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: true }] }, EMPTY_CONFIG), {
      logicalId: 'L'.repeat(200),
      targetType: 'AWS::ECS::DaemonTaskDefinition',
    });
    expect(v.message).toBe(`DaemonTaskDefinition '${'L'.repeat(127)}…': 1 container checked, all with a read-only root filesystem.`);
  });

  it('says "its" for one failing container among several, and lists exempt ones after the fix', () => {
    const v = verdictFor(
      { ContainerDefinitions: [{ Name: 'app' }, { Name: 'ok', ReadonlyRootFilesystem: true }, { Name: 'log_router' }] },
      parsePolicyConfig({ ExemptContainerNames: ['log_router'] }),
    );
    expect(v.message).toBe(
      `TaskDefinition 'WebTask': 1 of 3 containers can write to its root filesystem: 'app' (ReadonlyRootFilesystem missing). ${FIX_TEXT} Exempt by configuration: 'log_router'.`,
    );
  });

  it.each([
    ['failed', { ContainerDefinitions: [{ Name: 'app' }] }],
    ['had no containers', { ContainerDefinitions: [] }],
    ['was not a list', { ContainerDefinitions: 'x' }],
    ['ran Windows', { RuntimePlatform: { OperatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' } }],
  ])('says nothing of turning protection off when the previous version %s', (_label, previousProps) => {
    const previous = evaluateTaskDefinition(previousProps, EMPTY_CONFIG);
    const v = verdictFor({ ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: false }] }, EMPTY_CONFIG, { previous });
    expect(v.message).toBe(`TaskDefinition 'WebTask': 1 of 1 container can write to its root filesystem: 'app' (false). ${FIX_TEXT}`);
  });

  it('says nothing of turning protection off when only some containers of the previous version passed', () => {
    const previous = evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: true }, { Name: 'b' }] }, EMPTY_CONFIG);
    const v = verdictFor({ ContainerDefinitions: [{ Name: 'app', ReadonlyRootFilesystem: false }] }, EMPTY_CONFIG, { previous });
    expect(v.message).toBe(`TaskDefinition 'WebTask': 1 of 1 container can write to its root filesystem: 'app' (false). ${FIX_TEXT}`);
  });

  it('says an update turns protection off when the previous version passed with exempt containers', () => {
    const config = parsePolicyConfig({ ExemptContainerNames: ['log_router'] });
    const previous = evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'log_router' }, { Name: 'app', ReadonlyRootFilesystem: true }] }, config);
    const v = verdictFor({ ContainerDefinitions: [{ Name: 'log_router' }, { Name: 'app' }] }, config, { previous });
    expect(v.message).toBe(
      `TaskDefinition 'WebTask': 1 of 2 containers can write to its root filesystem: 'app' (ReadonlyRootFilesystem missing). ${FIX_TEXT} This update turns the protection off: every container of the previous version had a read-only root filesystem. Exempt by configuration: 'log_router'.`,
    );
  });

  it('stays within 1,024 characters for the longest ids, names, patterns and notes', () => {
    const hostile = fc.string({ unit: fc.constantFrom('a', '\n', '\u202e', "'", '\\', '\u{1F680}', '\ud800'), minLength: 0, maxLength: 300 });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 255 }),
        fc.constantFrom('AWS::ECS::TaskDefinition' as const, 'AWS::ECS::DaemonTaskDefinition' as const),
        fc.array(hostile, { maxLength: 60 }),
        fc.array(hostile, { maxLength: 60 }),
        fc.boolean(),
        (logicalId, targetType, failing, exempt, update) => {
          const config = parsePolicyConfig({ ExemptContainerNames: ['exempt-*'] });
          const containers = [...failing.map((n) => ({ Name: `f${n}` })), ...exempt.map((n) => ({ Name: `exempt-${n}` }))];
          const previous = update ? evaluateTaskDefinition({ ContainerDefinitions: [{ Name: 'a', ReadonlyRootFilesystem: true }] }, EMPTY_CONFIG) : undefined;
          const v = report(evaluateTaskDefinition({ ContainerDefinitions: containers }, config), { logicalId, targetType, ...(previous ? { previous } : {}) });
          expect(v.message.length).toBeLessThanOrEqual(1024);
          expect(v.message).not.toMatch(/[\n\u202e]/);
          expect(v.annotations.length).toBeLessThanOrEqual(25);
        },
      ),
      { numRuns: 300, seed: 20261129 },
    );
  });
});

describe('fitList', () => {
  it.each([
    [[], 10, ''],
    [['aa', 'bb'], 14, 'aa, bb'],
    [['aa', 'bb'], 13, '2 containers'],
    [['aa', 'bb', 'cc'], 14, 'aa, and 2 more'],
    [['aa', 'bb', 'cc'], 13, '3 containers'],
    [['aa', 'bb', 'cc'], 18, 'aa, bb, cc'],
    [['aa', 'bb', 'c'.repeat(20)], 18, 'aa, bb, and 1 more'],
    [['aa', 'bb', 'c'.repeat(20)], 17, 'aa, and 2 more'],
    [['aa', 'bb', 'cc'], 17, 'aa, and 2 more'],
    [['aa', 'bb', 'cc'], 10, '3 containers'],
    [['aa'], 2, 'aa'],
  ] as const)('fits %j into %d characters as %j', (items, budget, expected) => {
    expect(fitList(items, budget)).toBe(expected);
  });
});
