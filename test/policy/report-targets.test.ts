/**
 * The one answer for a whole stack or change set (reportTargets): the exact message and annotations
 * CloudFormation shows, for every kind of finding, and the limits on both.
 */
import { FIX, MAX_ANNOTATIONS, MAX_MESSAGE, REMEDIATION_LINK, reportTargets, RULE_ID, type TargetContainer, type TargetFinding } from '../../src/policy/report';

const SCOPE = "Stack 'web'";

function container(index: number, name: string | null, status: TargetContainer['status'], extra: Partial<TargetContainer> = {}): TargetContainer {
  return { index, name, status, ...extra };
}

function finding(logicalId: string, kind: TargetFinding['kind'], containers: TargetContainer[], extra: Partial<TargetFinding> = {}): TargetFinding {
  return { logicalId, targetType: 'AWS::ECS::TaskDefinition', kind, containers, ...extra };
}

const failedAnnotation = (statusMessage: string, remediationMessage: string) => ({
  annotationName: RULE_ID,
  status: 'FAILED',
  statusMessage,
  remediationMessage,
  remediationLink: REMEDIATION_LINK,
  severityLevel: 'HIGH',
});

describe('a stack with nothing to block', () => {
  it('no task definition at all', () => {
    expect(reportTargets(SCOPE, [])).toEqual({ compliant: true, message: "Stack 'web': no ECS task definition to check.", annotations: [] });
  });

  it('one task definition that passes', () => {
    expect(reportTargets(SCOPE, [finding('Task', 'checked', [container(0, 'app', 'PASS')])])).toEqual({
      compliant: true,
      message: "Stack 'web': 1 task definition checked, no container that can write to its root filesystem.",
      annotations: [{ annotationName: RULE_ID, status: 'PASSED', statusMessage: '1 task definition passes the check.' }],
    });
  });

  it('two that pass and one left to the resource-level check, with where and why', () => {
    const verdict = reportTargets(SCOPE, [
      finding('A', 'checked', [container(0, 'app', 'PASS')]),
      finding('B', 'skipped', []),
      finding('Later', 'left', [], { why: "condition 'IsProd'", line: 12 }),
    ]);
    expect(verdict).toEqual({
      compliant: true,
      message:
        "Stack 'web': 2 task definitions checked, no container that can write to its root filesystem. Left to the resource-level check (values known only at deploy time): 'Later'.",
      annotations: [
        { annotationName: RULE_ID, status: 'PASSED', statusMessage: '2 task definitions pass the check.' },
        {
          annotationName: RULE_ID,
          status: 'SKIPPED',
          statusMessage: "TaskDefinition 'Later' (line 12) depends on values known only at deploy time (condition 'IsProd'); the resource-level check judges it.",
        },
      ],
    });
  });

  it('only containers left: no PASSED annotation, one SKIPPED per container, with its own line', () => {
    const verdict = reportTargets(SCOPE, [
      finding('Left', 'left', [], {}),
      finding('Task', 'checked', [container(0, 'app', 'LEFT', { line: 7 }), container(1, null, 'LEFT')], { line: 3, why: 'not shown for containers' }),
    ]);
    expect(verdict.compliant).toBe(true);
    expect(verdict.message).toBe(
      "Stack 'web': 1 task definition checked, no container that can write to its root filesystem. Left to the resource-level check (values known only at deploy time): 'Left', 'Task/app', 'Task/ContainerDefinitions[1]'.",
    );
    expect(verdict.annotations).toEqual([
      { annotationName: RULE_ID, status: 'PASSED', statusMessage: '1 task definition passes the check.' },
      { annotationName: RULE_ID, status: 'SKIPPED', statusMessage: "TaskDefinition 'Left' depends on values known only at deploy time; the resource-level check judges it." },
      { annotationName: RULE_ID, status: 'SKIPPED', statusMessage: "Container 'app' of 'Task' (line 7) depends on values known only at deploy time; the resource-level check judges it." },
      { annotationName: RULE_ID, status: 'SKIPPED', statusMessage: "Container 'ContainerDefinitions[1]' of 'Task' (line 3) depends on values known only at deploy time; the resource-level check judges it." },
    ]);
  });

  it('every task definition left: nothing judged, so no PASSED annotation', () => {
    const verdict = reportTargets(SCOPE, [finding('Only', 'left', [])]);
    expect(verdict.message).toBe("Stack 'web': 0 task definitions checked, no container that can write to its root filesystem. Left to the resource-level check (values known only at deploy time): 'Only'.");
    expect(verdict.annotations.map((a) => a.status)).toEqual(['SKIPPED']);
  });

  it('more than 25 left: 24 listed and one summary', () => {
    const many = Array.from({ length: 30 }, (_, i) => finding(`L${i}`, 'left', []));
    const verdict = reportTargets(SCOPE, many);
    expect(verdict.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(verdict.annotations[MAX_ANNOTATIONS - 1]).toEqual({
      annotationName: RULE_ID,
      status: 'SKIPPED',
      statusMessage: '6 more results are not listed; the message names the containers left to the resource-level check.',
    });
    expect(verdict.annotations[23]!.statusMessage).toContain("'L23'");
  });
});

describe('a stack with something to block', () => {
  it('one container: the exact message and annotation', () => {
    const verdict = reportTargets(SCOPE, [finding('Task', 'checked', [container(0, 'app', 'FAIL', { reason: 'missing', line: 9 }), container(1, 'ok', 'PASS')])]);
    expect(verdict).toEqual({
      compliant: false,
      message: `Stack 'web': 1 container in 1 task definition can write to its root filesystem: 'Task/app' (ReadonlyRootFilesystem missing). ${FIX}`,
      annotations: [
        failedAnnotation(
          "Container 'app' of TaskDefinition 'Task' (line 9) can write to its root filesystem: ReadonlyRootFilesystem missing.",
          "Set ReadonlyRootFilesystem: true on container 'app' of 'Task' and mount a volume at any path it must write.",
        ),
      ],
    });
  });

  it('several containers in several resources, each reason in words, a daemon task definition by its own type', () => {
    const verdict = reportTargets(SCOPE, [
      finding('A', 'checked', [container(0, 'x', 'FAIL', { reason: 'false' }), container(1, 'y', 'FAIL', { reason: 'invalid' })]),
      { ...finding('D', 'checked', [container(0, null, 'FAIL', { reason: 'malformed' }), container(1, 'e', 'EXEMPT')]), targetType: 'AWS::ECS::DaemonTaskDefinition' },
    ]);
    expect(verdict.message).toBe(
      `Stack 'web': 3 containers in 2 task definitions can write to their root filesystem: 'A/x' (false), 'A/y' (not true or false), 'D/ContainerDefinitions[0]' (not a container definition object). ${FIX}`,
    );
    expect(verdict.annotations.map((a) => a.statusMessage)).toEqual([
      "Container 'x' of TaskDefinition 'A' can write to its root filesystem: false.",
      "Container 'y' of TaskDefinition 'A' can write to its root filesystem: not true or false.",
      "Container 'ContainerDefinitions[0]' of DaemonTaskDefinition 'D' can write to its root filesystem: not a container definition object.",
    ]);
  });

  it('a failing container without a reason is "not true or false"', () => {
    const verdict = reportTargets(SCOPE, [finding('Task', 'checked', [container(0, 'app', 'FAIL')])]);
    expect(verdict.message).toBe(`Stack 'web': 1 container in 1 task definition can write to its root filesystem: 'Task/app' (not true or false). ${FIX}`);
  });

  it('ContainerDefinitions that is not a list fails the resource whole', () => {
    const verdict = reportTargets(SCOPE, [finding('Bad', 'not-a-list', [], { line: 4 })]);
    expect(verdict).toEqual({
      compliant: false,
      message: `Stack 'web': 1 container in 1 task definition can write to its root filesystem: 'Bad' (ContainerDefinitions is not a list). ${FIX}`,
      annotations: [failedAnnotation("TaskDefinition 'Bad' (line 4): ContainerDefinitions is not a list, so no container can be checked.", FIX)],
    });
  });

  it('updates that turn the protection off are named, and containers left are listed after', () => {
    const verdict = reportTargets("Change set 'cs' of stack 'web'", [
      finding('Off', 'checked', [container(0, 'app', 'FAIL', { reason: 'false' })], { turnsProtectionOff: true }),
      finding('Still', 'checked', [container(0, 'b', 'FAIL', { reason: 'missing' })], { turnsProtectionOff: false }),
      finding('Clean', 'checked', [container(0, 'c', 'PASS')], { turnsProtectionOff: true }),
      finding('Later', 'checked', [container(0, 'd', 'LEFT')]),
    ]);
    expect(verdict.compliant).toBe(false);
    expect(verdict.message).toBe(
      `Change set 'cs' of stack 'web': 2 containers in 2 task definitions can write to their root filesystem: 'Off/app' (false), 'Still/b' (ReadonlyRootFilesystem missing). ${FIX} These updates turn the protection off: 'Off'. Left to the resource-level check (values known only at deploy time): 'Later/d'.`,
    );
    expect(verdict.annotations.map((a) => a.status)).toEqual(['FAILED', 'FAILED', 'SKIPPED']);
  });

  it('hundreds of offenders: the message stays within 1,024 characters with "and N more", annotations within 25 with a summary', () => {
    const findings = Array.from({ length: 40 }, (_, i) =>
      finding(`Task${i}`, 'checked', Array.from({ length: 10 }, (_, j) => container(j, `container-${j}`, 'FAIL', { reason: 'missing' })), { turnsProtectionOff: true }),
    );
    findings.push(finding('Later', 'left', []));
    const verdict = reportTargets(SCOPE, findings);
    expect(verdict.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(verdict.message).toMatch(/^Stack 'web': 400 containers in 40 task definitions can write to their root filesystem: 'Task0\/container-0' \(ReadonlyRootFilesystem missing\), /);
    expect(verdict.message).toMatch(/, and \d+ more\. Set ReadonlyRootFilesystem: true on each container/);
    expect(verdict.message).toContain('These updates turn the protection off: ');
    expect(verdict.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(verdict.annotations[MAX_ANNOTATIONS - 1]).toEqual({
      annotationName: RULE_ID,
      status: 'FAILED',
      statusMessage: '377 more results are not listed; the message names the offending containers.',
      remediationLink: REMEDIATION_LINK,
      severityLevel: 'HIGH',
    });
  });

  it('a message longer than the limit is cut to 1,024 characters with an ellipsis', () => {
    // Each part is bounded on its own; a scope this long (a safety net: stack names are shorter) makes the sum exceed it.
    const id = (p: string) => `${p}${'x'.repeat(200)}`;
    const findings = [
      ...Array.from({ length: 3 }, (_, i) => finding(id(`Off${i}`), 'checked', [container(0, 'c', 'FAIL', { reason: 'false' })], { turnsProtectionOff: true })),
      ...Array.from({ length: 3 }, (_, i) => finding(id(`Left${i}`), 'left', [])),
    ];
    const verdict = reportTargets(`Stack '${'s'.repeat(700)}'`, findings);
    expect(verdict.message).toHaveLength(MAX_MESSAGE);
    expect(verdict.message.endsWith('…')).toBe(true);
  });

  it('a message of exactly 1,024 characters is kept whole', () => {
    const findings = [finding(`Off${'x'.repeat(200)}`, 'checked', [container(0, 'c', 'FAIL', { reason: 'false' })], { turnsProtectionOff: true })];
    // The scope's length moves the whole message one character at a time once the list is summarised.
    const messages = Array.from({ length: 400 }, (_, i) => reportTargets(`Stack '${'s'.repeat(600 + i)}'`, findings).message);
    const exact = messages.filter((m) => m.length === MAX_MESSAGE);
    expect(exact.length).toBeGreaterThan(0);
    expect(exact.some((m) => !m.endsWith('…'))).toBe(true);
    expect(messages.every((m) => m.length <= MAX_MESSAGE)).toBe(true);
  });
});
