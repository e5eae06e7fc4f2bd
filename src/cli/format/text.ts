import { safeName } from '../../policy';
import { type FileResult, printablePath, type Summary, summarize } from '../results';
import { containerSentence, FIX, resourceSentence, SUPPRESSION_HONOURED, SUPPRESSION_IGNORED } from './reasons';

export interface TextOptions {
  readonly color: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, magenta: 35, dim: 2, bold: 1 } as const;

function painter(color: boolean): (style: keyof typeof CODES, text: string) => string {
  return (style, text) => (color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
}

const STATUS_STYLE = { PASS: 'green', FAIL: 'red', SKIP: 'yellow', ERROR: 'magenta', SUPPRESSED: 'yellow', EXEMPT: 'dim' } as const;

/** One file's lines of the text report (none for a file found by walking that is not a template). */
export function textFileLines(f: FileResult, options: TextOptions): string[] {
  const paint = painter(options.color);
  const status = (s: keyof typeof STATUS_STYLE): string => paint(STATUS_STYLE[s], s);
  const lines: string[] = [];
  const path = printablePath(f.path === '-' ? '<stdin>' : f.path);
  if (f.status === 'ERROR') {
    const at = f.error?.line !== undefined ? `:${f.error.line}:${f.error.column ?? 1}` : '';
    lines.push(`${status('ERROR')} ${path}${at}: ${f.error?.message ?? 'unreadable'}`);
    return lines;
  }
  if (f.status === 'SKIP') {
    // Files found by walking a directory that are not templates are only counted.
    if (f.skipReason === 'not-a-template') {
      if (f.explicit) lines.push(`${status('SKIP')} ${path}: not a CloudFormation template`);
    } else lines.push(`${status('SKIP')} ${path}: no ECS task definitions`);
    for (const note of f.notes ?? []) lines.push(`  note: ${note}`);
    return lines;
  }
  lines.push(`${status(f.status)} ${path}`);
  for (const note of f.notes ?? []) lines.push(`  note: ${note}`);
  let needsFix = false;
  for (const r of f.resources) {
    const id = `${safeName(r.logicalId, 128)} (${r.type})`;
    lines.push(`  ${path}:${r.line}:${r.column}: ${id} ${status(r.status)}: ${resourceSentence(r)}`);
    for (const c of r.containers) {
      if (c.status === 'PASS' && r.status === 'PASS') continue;
      const tag = c.status === 'PASS' ? '' : `${status(c.status)} `;
      lines.push(`    ${path}:${c.line}:${c.column}: ${tag}${containerSentence(c)}`);
    }
    if (r.suppressionIgnored) lines.push(`    note: ${SUPPRESSION_IGNORED}`);
    if (r.suppressed) lines.push(`    note: ${SUPPRESSION_HONOURED}`);
    if (r.status === 'FAIL') needsFix = true;
  }
  if (needsFix) lines.push(`  ${paint('bold', 'fix:')} ${FIX}`);
  return lines;
}

/** The text report's last line. */
export function textSummaryLine(s: Summary): string {
  return (
    `${s.files} file${s.files === 1 ? '' : 's'}: ${s.pass} PASS, ${s.fail} FAIL, ${s.skip} SKIP${s.notTemplate ? ` (${s.notTemplate} not a template)` : ''}, ${s.error} ERROR; ` +
    `${s.resources} task definition${s.resources === 1 ? '' : 's'}, ${s.failingResources} non-compliant; ` +
    `containers: ${s.containers.fail} failing, ${s.containers.pass} passing, ${s.containers.exempt} exempt, ${s.containers.suppressed} suppressed`
  );
}

/**
 * Per file PASS/FAIL/SKIP/ERROR, then per resource and container `file:line:column`, the reason
 * and the fix; a summary line last. Names and positions only, never a property value.
 */
export function formatText(files: readonly FileResult[], options: TextOptions): string {
  const lines = files.flatMap((f) => textFileLines(f, options));
  lines.push(textSummaryLine(summarize(files)));
  return `${lines.join('\n')}\n`;
}
