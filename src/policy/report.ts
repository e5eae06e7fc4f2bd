import {
  containerLabel,
  type ContainerResult,
  type Evaluation,
  type Exemption,
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

/**
 * ECS's Windows families, the only ones printed: any other value, however shaped like them
 * (WINDOWS_SERVER_PW42_CORE), is the template author's text and shows as "Windows".
 */
const WINDOWS_FAMILIES: ReadonlySet<string> = new Set([
  'WINDOWS_SERVER_2016_FULL',
  'WINDOWS_SERVER_2019_FULL',
  'WINDOWS_SERVER_2019_CORE',
  'WINDOWS_SERVER_2004_CORE',
  'WINDOWS_SERVER_20H2_CORE',
  'WINDOWS_SERVER_2022_FULL',
  'WINDOWS_SERVER_2022_CORE',
  'WINDOWS_SERVER_2025_FULL',
  'WINDOWS_SERVER_2025_CORE',
]);

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
        message: `${head}: skipped, ${WINDOWS_FAMILIES.has(evaluation.family) ? evaluation.family : 'Windows'} containers cannot use a read-only root filesystem.`,
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
        ? `${total === 1 ? '1 container is' : `all ${total} containers are`} exempt, none checked.`
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

/** A whole stack's message joins parts each bounded on its own; this keeps the sum within the limit too. */
function bounded(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`;
}

/** One resource of a stack or change set, judged: what the stack- and change-set-level answers list. */
export interface TargetFinding {
  readonly logicalId: string;
  readonly targetType: TargetType;
  /** Where the resource (or, per container, the value) is in the template, when known. */
  readonly line?: number;
  /** `checked`: per container; `not-a-list`: fails whole; `skipped`: nothing to judge; `left`: deploy-time values decide. */
  readonly kind: 'checked' | 'not-a-list' | 'skipped' | 'left';
  /** For `left`: why, in names only (a condition, a parameter...). */
  readonly why?: string;
  readonly containers: readonly TargetContainer[];
  /** For updates: every container of the previous properties had a read-only root filesystem. */
  readonly turnsProtectionOff?: boolean;
}

export interface TargetContainer {
  readonly index: number;
  readonly name: string | null;
  /** LEFT: its value is only known at deploy time; the resource-level check judges it then. */
  readonly status: 'PASS' | 'FAIL' | 'EXEMPT' | 'LEFT';
  readonly reason?: FailReason;
  readonly line?: number;
  readonly exemptedBy?: Exemption;
}

function resourceName(f: Pick<TargetFinding, 'logicalId'>): string {
  return safeName(f.logicalId, 128);
}

function pairLabel(f: TargetFinding, c?: TargetContainer): string {
  return c === undefined ? `'${resourceName(f)}'` : `'${resourceName(f)}/${safeName(containerLabel(c))}'`;
}

function where(f: TargetFinding, c?: TargetContainer): string {
  const line = c?.line ?? f.line;
  return line === undefined ? '' : ` (line ${line})`;
}

/**
 * The one answer for a whole stack or change set (`scope` says which, e.g. "Stack 'web'"): every
 * offending resource and container as logicalId/container within the message limit, `and N more` past
 * it, one annotation per offending container (capped as for one resource), and the containers left to
 * the resource-level check because their values are only known at deploy time.
 */
export function reportTargets(scope: string, findings: readonly TargetFinding[]): Verdict {
  const failed: { f: TargetFinding; c?: TargetContainer; reason: string }[] = [];
  const left: { f: TargetFinding; c?: TargetContainer }[] = [];
  for (const f of findings) {
    if (f.kind === 'not-a-list') failed.push({ f, reason: 'ContainerDefinitions is not a list' });
    if (f.kind === 'left') left.push({ f });
    for (const c of f.containers) {
      if (c.status === 'FAIL') failed.push({ f, c, reason: REASON_TEXT[c.reason ?? 'invalid'] });
      if (c.status === 'LEFT') left.push({ f, c });
    }
  }
  const leftItems = left.map(({ f, c }) => pairLabel(f, c));
  const leftNote = (budget: number): string =>
    leftItems.length === 0 ? '' : ` Left to the resource-level check (values known only at deploy time): ${fitList(leftItems, budget)}.`;
  const leftAnnotations: Annotation[] = left.map(({ f, c }) => ({
    annotationName: RULE_ID,
    status: 'SKIPPED',
    statusMessage: `${c === undefined ? `${f.targetType.slice('AWS::ECS::'.length)} '${resourceName(f)}'` : `Container '${safeName(containerLabel(c))}' of '${resourceName(f)}'`}${where(f, c)} depends on values known only at deploy time${f.why && c === undefined ? ` (${f.why})` : ''}; the resource-level check judges it.`,
  }));
  const judged = findings.filter((f) => f.kind !== 'left').length;
  if (failed.length === 0) {
    const what =
      findings.length === 0
        ? 'no ECS task definition to check.'
        : `${plural(judged, 'task definition', 'task definitions')} checked, no container that can write to its root filesystem.`;
    const passed: Annotation[] = judged > 0 ? [{ annotationName: RULE_ID, status: 'PASSED', statusMessage: `${plural(judged, 'task definition passes', 'task definitions pass')} the check.` }] : [];
    return {
      compliant: true,
      message: bounded(`${scope}: ${what}${leftNote(400)}`),
      annotations: cappedAnnotations([...passed, ...leftAnnotations], MAX_ANNOTATIONS, (rest) => ({
        annotationName: RULE_ID,
        status: 'SKIPPED',
        statusMessage: `${rest} more results are not listed; the message names the containers left to the resource-level check.`,
      })),
    };
  }
  const resources = new Set(failed.map((x) => x.f.logicalId)).size;
  const intro = `${scope}: ${plural(failed.length, 'container', 'containers')} in ${plural(resources, 'task definition', 'task definitions')} can write to ${failed.length === 1 ? 'its' : 'their'} root filesystem: `;
  const off = findings.filter((f) => f.turnsProtectionOff && failed.some((x) => x.f === f)).map((f) => `'${resourceName(f)}'`);
  const offNote = off.length === 0 ? '' : ` These updates turn the protection off: ${fitList(off, 150)}.`;
  const note = leftNote(200);
  const tail = `. ${FIX}${offNote}${note}`;
  const list = fitList(
    failed.map(({ f, c, reason }) => `${pairLabel(f, c)} (${reason})`),
    MAX_MESSAGE - intro.length - tail.length,
  );
  const failedAnnotations: Annotation[] = failed.map(({ f, c, reason }) => ({
    annotationName: RULE_ID,
    status: 'FAILED',
    statusMessage:
      c === undefined
        ? `${f.targetType.slice('AWS::ECS::'.length)} '${resourceName(f)}'${where(f)}: ${reason}, so no container can be checked.`
        : `Container '${safeName(containerLabel(c))}' of ${f.targetType.slice('AWS::ECS::'.length)} '${resourceName(f)}'${where(f, c)} can write to its root filesystem: ${reason}.`,
    remediationMessage: c === undefined ? FIX : `Set ReadonlyRootFilesystem: true on container '${safeName(containerLabel(c))}' of '${resourceName(f)}' and mount a volume at any path it must write.`,
    remediationLink: REMEDIATION_LINK,
    severityLevel: 'HIGH',
  }));
  return {
    compliant: false,
    message: bounded(`${intro}${list}${tail}`),
    annotations: cappedAnnotations([...failedAnnotations, ...leftAnnotations], MAX_ANNOTATIONS, (rest) => ({
      annotationName: RULE_ID,
      status: 'FAILED',
      statusMessage: `${rest} more results are not listed; the message names the offending containers.`,
      remediationLink: REMEDIATION_LINK,
      severityLevel: 'HIGH',
    })),
  };
}
