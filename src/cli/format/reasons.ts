import { FIX, REASON_TEXT, safeName } from '../../policy';
import type { ConditionChoice, ContainerFinding, Reason, ResourceFinding } from '../../template';

export { FIX };

export function reasonText(reason: Reason | undefined): string {
  if (reason === undefined) return 'not compliant';
  return reason === 'unresolved' ? 'value unknown before deployment' : REASON_TEXT[reason];
}

export function label(c: Pick<ContainerFinding, 'name' | 'index'>): string {
  return `'${safeName(c.name ?? `ContainerDefinitions[${c.index}]`)}'`;
}

export function conditionText(conditions: readonly ConditionChoice[] | undefined, whenAny?: readonly (readonly ConditionChoice[])[]): string {
  const one = (list: readonly ConditionChoice[]): string => ` when condition ${list.map((c) => `${safeName(c.condition, 128)} is ${c.value}`).join(' and ')}`;
  // Alternatives are given only when there are several (the first is also `conditions`).
  if (whenAny) return whenAny.map(one).join(',');
  if (!conditions || conditions.length === 0) return '';
  return one(conditions);
}

/** Said when a resource's Metadata suppression was not honoured (the default: the hook's verdict). */
export const SUPPRESSION_IGNORED =
  "Metadata guard SuppressedRules is not honoured at deploy time: the hook never sees template Metadata and blocks this task definition; exempt the container in the hook's type configuration (ExemptContainerNames or ExemptImages, --config here) instead";

/** Said when suppressions were honoured (--allow-suppressions). */
export const SUPPRESSION_HONOURED =
  'suppressed here only (--allow-suppressions): the deployed hook never sees template Metadata and will still block this task definition';

/** One line about a container: label, verdict, reason, conditions, what is missing. */
export function containerSentence(c: ContainerFinding): string {
  const why = `${reasonText(c.reason)}${c.detail ? ` (${c.detail})` : ''}${conditionText(c.conditions, c.whenAny)}`;
  switch (c.status) {
    case 'PASS':
      return `${label(c)}: read-only root filesystem`;
    case 'EXEMPT':
      // The judge always says which pattern; a finding built by an API user may not.
      return c.exemptedBy ? `${label(c)}: exempt by ${c.exemptedBy.property} pattern '${safeName(c.exemptedBy.pattern, 128)}'` : `${label(c)}: exempt by the configuration`;
    case 'SUPPRESSED':
      return `${label(c)}: suppressed by Metadata guard SuppressedRules (${why})`;
    case 'FAIL':
      return `${label(c)}: can write to its root filesystem: ${why}`;
  }
}

export function resourceSentence(r: ResourceFinding): string {
  // Counted in one deployment (the worst), never across Fn::If branches; a resource has none only
  // when none of its containers was checked.
  const failing = r.deployment?.failing ?? 0;
  const total = r.deployment?.containers ?? 0;
  const when = conditionText(r.conditions);
  switch (r.reason) {
    case 'condition':
      return `not created: its Condition${when.replace(' when condition', '')}`;
    // Given only to a resource none of whose deployments fails (judge.ts: a failing one has the failure's reason).
    case 'empty':
      return 'no container definitions, nothing to check';
    case 'windows':
      return 'Windows containers cannot use a read-only root filesystem, skipped';
    case 'not-a-list':
      return `${r.detail ?? 'ContainerDefinitions is not a list'}${when}`;
    case 'unresolved':
      return `containers unknown before deployment${r.detail ? `: ${r.detail}` : ''}${when}`;
  }
  const branches = r.containers.length > total ? ` (${r.containers.length} across Fn::If branches)` : '';
  if (failing > 0) return `${failing} of ${total} container${total === 1 ? ' can write to its' : 's can write to their'} root filesystem${branches}`;
  const exempt = r.containers.filter((c) => c.status === 'EXEMPT').length;
  const checked = total - exempt;
  return `${checked} container${checked === 1 ? '' : 's'} checked, all read-only${exempt ? `, ${exempt} exempt` : ''}${branches}`;
}
