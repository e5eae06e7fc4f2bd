import { globMatch, type GlobWork } from './glob';
import type { PolicyConfig } from './config';

/** The resource types the policy judges; both carry `ContainerDefinitions[].ReadonlyRootFilesystem`. */
export const TARGET_TYPES = ['AWS::ECS::TaskDefinition', 'AWS::ECS::DaemonTaskDefinition'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export function isTargetType(name: unknown): name is TargetType {
  return name === TARGET_TYPES[0] || name === TARGET_TYPES[1];
}

/**
 * Why a container fails: `missing` (absent or null), `false` (false in any form), `invalid`
 * (anything else, e.g. "yes", 1 or an unresolved intrinsic), `malformed` (the entry is no object).
 */
export type FailReason = 'missing' | 'false' | 'invalid' | 'malformed';

/**
 * Judges one `ReadonlyRootFilesystem` value. CloudFormation hands hooks primitives as strings, so
 * "true"/"false" in any case count as the booleans.
 */
export function classifyReadonlyRootFilesystem(value: unknown): 'compliant' | Exclude<FailReason, 'malformed'> {
  if (value === true) return 'compliant';
  if (value === undefined || value === null) return 'missing';
  if (value === false) return 'false';
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return 'compliant';
    if (lower === 'false') return 'false';
  }
  return 'invalid';
}

export interface Exemption {
  readonly property: 'ExemptContainerNames' | 'ExemptImages';
  readonly pattern: string;
}

interface ContainerBase {
  /** Position in ContainerDefinitions. */
  readonly index: number;
  /** The container's Name when it is a non-empty string, else null. */
  readonly name: string | null;
}
/** A failing container always has its reason, an exempt one the pattern that exempts it. */
export type ContainerResult =
  | (ContainerBase & { readonly status: 'PASS'; readonly reason?: undefined; readonly exemptedBy?: undefined })
  | (ContainerBase & { readonly status: 'FAIL'; readonly reason: FailReason; readonly exemptedBy?: undefined })
  | (ContainerBase & { readonly status: 'EXEMPT'; readonly reason?: undefined; readonly exemptedBy: Exemption });
export type FailedContainer = Extract<ContainerResult, { status: 'FAIL' }>;
export type ExemptContainer = Extract<ContainerResult, { status: 'EXEMPT' }>;

export type Evaluation =
  /** Every container judged (some may fail). */
  | { readonly kind: 'checked'; readonly containers: readonly ContainerResult[] }
  /** ContainerDefinitions absent or empty: nothing to check. */
  | { readonly kind: 'empty' }
  /** Windows containers cannot have a read-only root filesystem. */
  | { readonly kind: 'windows'; readonly family: string }
  /** ContainerDefinitions is present but not a list: fail closed. */
  | { readonly kind: 'not-a-list' };

/** How a container is named in messages: its Name, else its position. */
export function containerLabel(result: Pick<ContainerResult, 'index' | 'name'>): string {
  return result.name ?? `ContainerDefinitions[${result.index}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The longest container name ECS takes (255 characters), and the longest image: 255 characters before
 * a digest, with `@sha256:` and 64 hex digits after it. A longer one is never exempt: ECS would refuse
 * it, and matching it against a hundred long patterns could outlast the invocation.
 */
export const MAX_EXEMPT_NAME_LENGTH = 255;
export const MAX_EXEMPT_IMAGE_LENGTH = 255 + '@sha256:'.length + 64;

/**
 * Word operations of exemption matching one task definition may spend (see GlobWork): ten containers,
 * as many as ECS takes, against a hundred of the longest patterns need about 6 million. Past it no
 * container is exempt (each is judged on its own): thousands of containers made to stall the
 * invocation fail closed instead.
 */
export const EXEMPTION_WORK_LIMIT = 20_000_000;

export function findExemption(name: string | null, image: unknown, config: PolicyConfig, work?: GlobWork): Exemption | undefined {
  if (work !== undefined && work.steps > EXEMPTION_WORK_LIMIT) return undefined;
  if (name !== null && name.length <= MAX_EXEMPT_NAME_LENGTH) {
    const pattern = config.exemptContainerNames.find((p) => globMatch(p, name, work));
    if (pattern !== undefined) return { property: 'ExemptContainerNames', pattern };
  }
  if (typeof image === 'string' && image.length > 0 && image.length <= MAX_EXEMPT_IMAGE_LENGTH) {
    const pattern = config.exemptImages.find((p) => globMatch(p, image, work));
    if (pattern !== undefined) return { property: 'ExemptImages', pattern };
  }
  return undefined;
}

/**
 * A name or image as CloudFormation hands it to the hook: text. A template read from a file may hold
 * a number or a boolean there (`Name: 2048`), which CloudFormation turns into its text.
 */
export function asText(value: unknown): unknown {
  return Number.isSafeInteger(value) || typeof value === 'boolean' ? String(value) : value;
}

/** Judges one entry of ContainerDefinitions. */
export function evaluateContainer(entry: unknown, index: number, config: PolicyConfig, work?: GlobWork): ContainerResult {
  if (!isRecord(entry)) return { index, name: null, status: 'FAIL', reason: 'malformed' };
  const text = asText(entry.Name);
  const name = typeof text === 'string' && text.length > 0 ? text : null;
  const exemptedBy = findExemption(name, asText(entry.Image), config, work);
  if (exemptedBy) return { index, name, status: 'EXEMPT', exemptedBy };
  const verdict = classifyReadonlyRootFilesystem(entry.ReadonlyRootFilesystem);
  return verdict === 'compliant' ? { index, name, status: 'PASS' } : { index, name, status: 'FAIL', reason: verdict };
}

/** The operating system family when the task definition runs Windows containers. */
export function windowsFamily(properties: Record<string, unknown>): string | undefined {
  const platform = properties.RuntimePlatform;
  if (!isRecord(platform)) return undefined;
  const family = platform.OperatingSystemFamily;
  return typeof family === 'string' && family.startsWith('WINDOWS') ? family : undefined;
}

/**
 * Judges a task definition's properties. Pure: no I/O, and it never reads any property but
 * ContainerDefinitions[].{Name, Image, ReadonlyRootFilesystem} and RuntimePlatform.OperatingSystemFamily.
 */
export function evaluateTaskDefinition(properties: Record<string, unknown>, config: PolicyConfig): Evaluation {
  const family = windowsFamily(properties);
  if (family !== undefined) return { kind: 'windows', family };
  const list = properties.ContainerDefinitions;
  if (list === undefined || list === null) return { kind: 'empty' };
  if (!Array.isArray(list)) return { kind: 'not-a-list' };
  if (list.length === 0) return { kind: 'empty' };
  const work: GlobWork = { steps: 0 };
  return { kind: 'checked', containers: list.map((entry, i) => evaluateContainer(entry, i, config, work)) };
}

/** True when the evaluation lets the resource through. */
export function isCompliant(evaluation: Evaluation): boolean {
  switch (evaluation.kind) {
    case 'checked':
      return evaluation.containers.every((c) => c.status !== 'FAIL');
    case 'not-a-list':
      return false;
    default:
      return true;
  }
}
