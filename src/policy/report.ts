import {
  containerLabel,
  type ContainerResult,
  type Evaluation,
  type ExemptContainer,
  type FailedContainer,
  type FailReason,
  type TargetType,
} from './evaluate';
import { plural, safeName } from './text';

/** Suppression id (cfn-guard convention) and annotation name of this check. */
export const RULE_ID = 'ECS_READONLY_ROOT_FILESYSTEM';
export const REMEDIATION_LINK =
  'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-readonlyRootFilesystem';
export const FIX =
  'Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.';
/**
 * Stack events and Cloud Control API cut messages at 1,024 characters. Every message fits by
 * construction: the list of containers gets what the rest leaves (fitList), and the rest is bounded
 * (a logical id of at most 128 characters, exempt notes of at most 400 or 200).
 */
export const MAX_MESSAGE = 1024;
/** At most this many annotations; past it the last one summarises the rest. */
export const MAX_ANNOTATIONS = 25;

export const REASON_TEXT: Record<FailReason, string> = {
  missing: 'ReadonlyRootFilesystem missing',
  false: 'false',
  invalid: 'not true or false',
  malformed: 'not a container definition object',
};

export type AnnotationStatus = 'PASSED' | 'FAILED' | 'SKIPPED';
export type SeverityLevel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface Annotation {
  annotationName: string;
  status: AnnotationStatus;
  statusMessage?: string;
  remediationMessage?: string;
  remediationLink?: string;
  severityLevel?: SeverityLevel;
}

export interface Verdict {
  readonly compliant: boolean;
  readonly message: string;
  readonly annotations: Annotation[];
}

export interface ReportContext {
  readonly logicalId: string;
  readonly targetType: TargetType;
  /** For updates: the previous properties' evaluation, to say when an update turns protection off. */
  readonly previous?: Evaluation;
}

/** ECS's Windows families (WINDOWS_SERVER_2019_FULL...): printed only in that shape, never as any value. */
const WINDOWS_FAMILY = /^WINDOWS_SERVER_[0-9A-Z]{2,4}_(?:FULL|CORE)$/;

function resourceHead(ctx: ReportContext): string {
  return `${ctx.targetType.slice('AWS::ECS::'.length)} '${safeName(ctx.logicalId, 128)}'`;
}

function quoted(c: Pick<ContainerResult, 'index' | 'name'>): string {
  return `'${safeName(containerLabel(c))}'`;
}

/**
 * Joins as many items as fit in `budget` characters, then `and N more`. The budget always leaves
 * room for the suffix, so the result never exceeds it.
 */
export function fitList(items: readonly string[], budget: number): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const next = out === '' ? items[i]! : `${out}, ${items[i]!}`;
    const rest = items.length - i - 1;
    const suffix = rest > 0 ? `, and ${rest} more` : '';
    if (next.length + suffix.length <= budget) {
      out = next;
      continue;
    }
    const left = items.length - i;
    return out === '' ? `${left} containers` : `${out}, and ${left} more`;
  }
  return out;
}

function exemptNote(exempt: readonly ExemptContainer[], budget: number): string {
  if (exempt.length === 0) return '';
  return ` Exempt by configuration: ${fitList(exempt.map(quoted), budget)}.`;
}

function cappedAnnotations(list: Annotation[], limit: number, summary: (rest: number) => Annotation): Annotation[] {
  if (list.length <= limit) return list;
  const kept = list.slice(0, limit - 1);
  kept.push(summary(list.length - kept.length));
  return kept;
}

function containerAnnotations(
  failed: readonly FailedContainer[],
  exempt: readonly ExemptContainer[],
  limit = MAX_ANNOTATIONS,
): Annotation[] {
  const list: Annotation[] = failed.map((c) => ({
    annotationName: RULE_ID,
    status: 'FAILED',
    statusMessage: `Container ${quoted(c)} can write to its root filesystem: ${REASON_TEXT[c.reason]}.`,
    remediationMessage: `Set ReadonlyRootFilesystem: true on container ${quoted(c)} and mount a volume at any path it must write.`,
    remediationLink: REMEDIATION_LINK,
    severityLevel: 'HIGH',
  }));
  for (const c of exempt) {
    list.push({
      annotationName: RULE_ID,
      status: 'SKIPPED',
      statusMessage: `Container ${quoted(c)} is exempt: ${c.exemptedBy.property} pattern '${safeName(c.exemptedBy.pattern, 128)}'.`,
    });
  }
  return cappedAnnotations(list, limit, (rest) => ({
    annotationName: RULE_ID,
    status: failed.length > 0 ? 'FAILED' : 'SKIPPED',
    statusMessage: `${rest} more container results are not listed; the message names the offending containers.`,
    ...(failed.length > 0 ? { remediationLink: REMEDIATION_LINK, severityLevel: 'HIGH' as const } : {}),
  }));
}

/** The message and annotations a stack event shows for one evaluated resource. */
export function report(evaluation: Evaluation, ctx: ReportContext): Verdict {
  const head = resourceHead(ctx);
  switch (evaluation.kind) {
    case 'empty':
      return {
        compliant: true,
        message: `${head}: no container definitions, nothing to check.`,
        annotations: [{ annotationName: RULE_ID, status: 'SKIPPED', statusMessage: 'No container definitions to check.' }],
      };
    case 'windows':
      return {
        compliant: true,
        message: `${head}: skipped, ${WINDOWS_FAMILY.test(evaluation.family) ? evaluation.family : 'Windows'} containers cannot use a read-only root filesystem.`,
        annotations: [
          {
            annotationName: RULE_ID,
            status: 'SKIPPED',
            statusMessage: 'ECS does not support read-only root filesystems for Windows containers.',
          },
        ],
      };
    case 'not-a-list':
      return {
        compliant: false,
        message: `${head}: ContainerDefinitions is not a list, so no container can be checked. ${FIX}`,
        annotations: [
          {
            annotationName: RULE_ID,
            status: 'FAILED',
            statusMessage: 'ContainerDefinitions is not a list.',
            remediationMessage: FIX,
            remediationLink: REMEDIATION_LINK,
            severityLevel: 'HIGH',
          },
        ],
      };
    case 'checked':
      return reportChecked(evaluation.containers, ctx, head);
  }
}

function reportChecked(containers: readonly ContainerResult[], ctx: ReportContext, head: string): Verdict {
  const failed = containers.filter((c): c is FailedContainer => c.status === 'FAIL');
  const exempt = containers.filter((c): c is ExemptContainer => c.status === 'EXEMPT');
  const total = containers.length;
  if (failed.length === 0) {
    const checked = total - exempt.length;
    const what =
      checked === 0
        ? `all ${plural(total, 'container is', 'containers are')} exempt, none checked.`
        : `${plural(checked, 'container', 'containers')} checked, all with a read-only root filesystem.`;
    const note = exemptNote(exempt, 400);
    const passed: Annotation = {
      annotationName: RULE_ID,
      status: 'PASSED',
      statusMessage: `${plural(checked, 'container has', 'containers have')} a read-only root filesystem${exempt.length ? `; ${exempt.length} exempt` : ''}.`,
    };
    return {
      compliant: true,
      message: `${head}: ${what}${note}`,
      annotations: [passed, ...containerAnnotations([], exempt, MAX_ANNOTATIONS - 1)],
    };
  }
  const their = failed.length === 1 ? 'its' : 'their';
  const intro = `${head}: ${failed.length} of ${plural(total, 'container', 'containers')} can write to ${their} root filesystem: `;
  const update =
    ctx.previous && ctx.previous.kind === 'checked' && ctx.previous.containers.every((c) => c.status !== 'FAIL')
      ? ' This update turns the protection off: every container of the previous version had a read-only root filesystem.'
      : '';
  const note = exemptNote(exempt, 200);
  const tail = `. ${FIX}${update}${note}`;
  const items = failed.map((c) => `${quoted(c)} (${REASON_TEXT[c.reason]})`);
  const list = fitList(items, MAX_MESSAGE - intro.length - tail.length);
  return { compliant: false, message: `${intro}${list}${tail}`, annotations: containerAnnotations(failed, exempt) };
}
