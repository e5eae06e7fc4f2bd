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

export function conditionText(conditions: readonly ConditionChoice[] | undefined): string {
  if (!conditions || conditions.length === 0) return '';
  const parts = conditions.map((c) => `${safeName(c.condition, 128)} is ${c.value}`);
  return ` when condition ${parts.join(' and ')}`;
}

/** One line about a container: label, verdict, reason, conditions, what is missing. */
export function containerSentence(c: ContainerFinding): string {
  const why = `${reasonText(c.reason)}${c.detail ? ` (${c.detail})` : ''}${conditionText(c.conditions)}`;
  switch (c.status) {
    case 'PASS':
      return `${label(c)}: read-only root filesystem`;
    case 'EXEMPT':
      return `${label(c)}: exempt by ${c.exemptedBy?.property ?? 'configuration'} pattern '${safeName(c.exemptedBy?.pattern ?? '', 128)}'`;
    case 'SUPPRESSED':
      return `${label(c)}: suppressed by Metadata guard SuppressedRules (${why})`;
    case 'FAIL':
      return `${label(c)}: can write to its root filesystem: ${why}`;
  }
}

export function resourceSentence(r: ResourceFinding): string {
  const failing = r.containers.filter((c) => c.status === 'FAIL' || c.status === 'SUPPRESSED').length;
  const total = r.containers.length;
  const when = conditionText(r.conditions);
  switch (r.reason) {
    case 'empty':
      if (r.status !== 'FAIL' && r.status !== 'SUPPRESSED') return 'no container definitions, nothing to check';
      break;
    case 'windows':
      if (r.status !== 'FAIL' && r.status !== 'SUPPRESSED') return 'Windows containers cannot use a read-only root filesystem, skipped';
      break;
    case 'not-a-list':
      return `${r.detail ?? 'ContainerDefinitions is not a list'}${when}`;
    case 'unresolved':
      return `containers unknown before deployment: ${r.detail ?? ''}${when}`;
  }
  if (failing > 0) return `${failing} of ${total} container${total === 1 ? ' can write to its' : 's can write to their'} root filesystem`;
  const exempt = r.containers.filter((c) => c.status === 'EXEMPT').length;
  return `${total - exempt} container${total - exempt === 1 ? '' : 's'} checked, all read-only${exempt ? `, ${exempt} exempt` : ''}`;
}
