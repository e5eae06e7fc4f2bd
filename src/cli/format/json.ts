import type { FileResult, Summary } from '../results';
import { summarize } from '../results';

/** The stable JSON report (version 1); fields may be added, none removed or renamed. */
export function toJsonReport(files: readonly FileResult[], tool: { name: string; version: string }): unknown {
  return { version: 1, tool, summary: summarize(files), files: files.map(fileEntry) };
}

function fileEntry(f: FileResult): unknown {
  return {
    path: f.path,
    status: f.status,
    ...(f.skipReason ? { skipReason: f.skipReason } : {}),
    ...(f.error ? { error: f.error.message } : {}),
    ...(f.notes ? { notes: f.notes } : {}),
    ...(f.error?.line !== undefined ? { line: f.error.line, column: f.error.column ?? 1 } : {}),
    resources: f.resources.map((r) => ({
      logicalId: r.logicalId,
      type: r.type,
      status: r.status,
      line: r.line,
      column: r.column,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
      ...(r.conditions ? { conditions: r.conditions } : {}),
      ...(r.suppressionIgnored ? { suppressionIgnored: true } : {}),
      ...(r.deployment ? { deployment: r.deployment } : {}),
      containers: r.containers.map((c) => ({
        name: c.name,
        index: c.index,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        line: c.line,
        column: c.column,
        ...(c.detail ? { detail: c.detail } : {}),
        ...(c.conditions ? { conditions: c.conditions } : {}),
        ...(c.whenAny ? { whenAny: c.whenAny } : {}),
        ...(c.exemptedBy ? { exemptedBy: c.exemptedBy } : {}),
      })),
    })),
  };
}

export function formatJson(files: readonly FileResult[], tool: { name: string; version: string }): string {
  return `${JSON.stringify(toJsonReport(files, tool), null, 2)}\n`;
}

/**
 * The report split around its list of files, for writing it while files are judged: the text
 * before the first entry and after the last (each entry from jsonFileEntry, joined by `,\n    `).
 */
export function jsonReportAround(tool: { name: string; version: string }, summary: Summary, empty: boolean): [string, string] {
  const [head, tail] = around({ version: 1, tool, summary, files: empty ? [] : [MARK[0]] }, 1);
  return [head!, tail!];
}

/** One file's entry as formatJson prints it inside the report. */
export function jsonFileEntry(f: FileResult): string {
  return nested(fileEntry(f), 2);
}

/** Markers standing for a streamed list's entries (they cannot occur in a report: NUL is escaped). */
export const MARK = ['\u0000ecs-readonly-rootfs-0', '\u0000ecs-readonly-rootfs-1'] as const;

/** A value as JSON.stringify(_, null, 2) prints it `depth` containers deep. */
export function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * `report` printed as formatJson prints a report, cut at the markers of MARK it holds (in that order):
 * `parts` + 1 pieces; a marker that is absent (an empty list) leaves an empty piece.
 */
export function around(report: unknown, parts: number): string[] {
  let rest = `${JSON.stringify(report, null, 2)}\n`;
  const out: string[] = [];
  for (let i = 0; i < parts; i++) {
    const mark = JSON.stringify(MARK[i]);
    const at = rest.indexOf(mark);
    if (at < 0) {
      out.push('');
      continue;
    }
    out.push(rest.slice(0, at));
    rest = rest.slice(at + mark.length);
  }
  out.push(rest);
  return out;
}
