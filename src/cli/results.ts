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

/**
 * Totals over some files, as plain data: what a worker sends with its part of the report, merged
 * on the main thread into the run's Tally.
 */
export interface Counts extends Summary {
  /** The parameters the files declare, each once (for the warnings about given ones). */
  readonly declared: readonly string[];
}

/** Totals over the files judged so far: what a report's summary and the warnings need, kept as counts. */
export class Tally {
  private files = 0;
  private readonly status = { PASS: 0, FAIL: 0, SKIP: 0, ERROR: 0 };
  private notTemplate = 0;
  private resources = 0;
  private failingResources = 0;
  private readonly containers = { pass: 0, fail: 0, exempt: 0, suppressed: 0 };
  /** Parameters declared by the files. */
  readonly declared = new Set<string>();

  add(f: FileResult): void {
    this.files++;
    this.status[f.status]++;
    if (f.skipReason === 'not-a-template') this.notTemplate++;
    for (const name of f.declaredParameters ?? []) this.declared.add(name);
    for (const r of f.resources) {
      this.resources++;
      if (r.status === 'FAIL') this.failingResources++;
      // Counted in one deployment, as the resource's own line counts them: a container named
      // differently in two Fn::If branches is reported under each name, yet is one container.
      // A resource has no deployment only when none of its containers was checked.
      const d = r.deployment;
      if (d === undefined) continue;
      if (r.status === 'SUPPRESSED') this.containers.suppressed += d.failing;
      else this.containers.fail += d.failing;
      this.containers.exempt += d.exempt;
      this.containers.pass += d.containers - d.failing - d.exempt;
    }
  }

  /** Adds totals counted elsewhere (a worker's). */
  merge(c: Counts): void {
    this.files += c.files;
    this.status.PASS += c.pass;
    this.status.FAIL += c.fail;
    this.status.SKIP += c.skip;
    this.status.ERROR += c.error;
    this.notTemplate += c.notTemplate;
    this.resources += c.resources;
    this.failingResources += c.failingResources;
    for (const k of CONTAINER_COUNTS) this.containers[k] += c.containers[k];
    for (const name of c.declared) this.declared.add(name);
  }

  counts(): Counts {
    return { ...this.summary(), declared: [...this.declared] };
  }

  /** Whether every file was something other than a template (or there was none): none was unreadable, none a template. */
  get noTemplate(): boolean {
    return this.notTemplate === this.files;
  }

  summary(): Summary {
    return {
      files: this.files,
      pass: this.status.PASS,
      fail: this.status.FAIL,
      skip: this.status.SKIP,
      notTemplate: this.notTemplate,
      error: this.status.ERROR,
      resources: this.resources,
      failingResources: this.failingResources,
      containers: { ...this.containers },
    };
  }

  /** cfn-guard's convention: 5 when any file could not be judged (wins), 19 when any is non-compliant. */
  exitCode(): number {
    if (this.status.ERROR > 0) return EXIT.unreadable;
    if (this.status.FAIL > 0) return EXIT.nonCompliant;
    return EXIT.ok;
  }
}

const CONTAINER_COUNTS = ['pass', 'fail', 'exempt', 'suppressed'] as const;

export function summarize(files: readonly FileResult[]): Summary {
  const tally = new Tally();
  for (const f of files) tally.add(f);
  return tally.summary();
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
