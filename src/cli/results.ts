import type { TemplateResult } from '../template';

/** One judged input: a file, or standard input (path `-`). */
export interface FileResult extends TemplateResult {
  /** As given or found; `-` for standard input. */
  readonly path: string;
  /** Named on the command line rather than found by walking a directory. */
  readonly explicit?: boolean;
}

export interface Summary {
  readonly files: number;
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
  /** Of the SKIP files, those that are not CloudFormation templates at all. */
  readonly notTemplate: number;
  readonly error: number;
  readonly resources: number;
  readonly failingResources: number;
  readonly containers: { pass: number; fail: number; exempt: number; suppressed: number };
}

export const EXIT = { ok: 0, usage: 2, unreadable: 5, nonCompliant: 19 } as const;

export function summarize(files: readonly FileResult[]): Summary {
  const containers = { pass: 0, fail: 0, exempt: 0, suppressed: 0 };
  let resources = 0;
  let failingResources = 0;
  for (const f of files) {
    for (const r of f.resources) {
      resources++;
      if (r.status === 'FAIL') failingResources++;
      for (const c of r.containers) {
        if (c.status === 'PASS') containers.pass++;
        else if (c.status === 'FAIL') containers.fail++;
        else if (c.status === 'EXEMPT') containers.exempt++;
        else containers.suppressed++;
      }
    }
  }
  const count = (s: string): number => files.filter((f) => f.status === s).length;
  return {
    files: files.length,
    pass: count('PASS'),
    fail: count('FAIL'),
    skip: count('SKIP'),
    notTemplate: files.filter((f) => f.skipReason === 'not-a-template').length,
    error: count('ERROR'),
    resources,
    failingResources,
    containers,
  };
}

/** cfn-guard's convention: 5 when any file could not be judged (wins), 19 when any is non-compliant. */
export function exitCode(files: readonly FileResult[]): number {
  if (files.some((f) => f.status === 'ERROR')) return EXIT.unreadable;
  if (files.some((f) => f.status === 'FAIL')) return EXIT.nonCompliant;
  return EXIT.ok;
}

/** A path as printed: control and other unsafe characters escaped, nothing else changed. */
export function printablePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  return path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
