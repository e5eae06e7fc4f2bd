import { EMPTY_CONFIG, evaluateTaskDefinition, MAX_ANNOTATIONS, parsePolicyConfig, report, safeName } from '../../src/policy';

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

  it('says there is nothing to check for an empty list', () => {
    expect(verdictFor({ ContainerDefinitions: [] }).message).toBe("TaskDefinition 'WebTask': no container definitions, nothing to check.");
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
