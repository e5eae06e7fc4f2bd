import type { FileResult } from '../results';
import { summarize } from '../results';

/** The stable JSON report (version 1); fields may be added, none removed or renamed. */
export function toJsonReport(files: readonly FileResult[], tool: { name: string; version: string }): unknown {
  return {
    version: 1,
    tool,
    summary: summarize(files),
    files: files.map((f) => ({
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
    })),
  };
}

export function formatJson(files: readonly FileResult[], tool: { name: string; version: string }): string {
  return `${JSON.stringify(toJsonReport(files, tool), null, 2)}\n`;
}
