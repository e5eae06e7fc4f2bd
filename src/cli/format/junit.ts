import { safeName } from '../../policy';
import type { FileResult, Summary } from '../results';
import { printablePath, summarize } from '../results';
import { containerSentence, FIX, resourceSentence } from './reasons';

/** XML attribute/text escaping; characters XML 1.0 cannot hold are dropped. */
export function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

interface Case {
  name: string;
  line?: number;
  body: string;
  kind: 'pass' | 'failure' | 'error' | 'skipped';
}

export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** One file's testsuite element, its cases added to `counts`. */
export function junitSuite(f: FileResult, counts: JunitCounts): string {
  // Escaped as in the text format: a file name must not forge a line or reorder text in CI logs.
  const path = printablePath(f.path === '-' ? '<stdin>' : f.path);
  const cases: Case[] = [];
  if (f.status === 'ERROR') {
    const message = f.error?.message ?? 'unreadable';
    cases.push({ name: '(template)', line: f.error?.line, kind: 'error', body: `<error message="${xml(message)}" type="ERROR"/>` });
  } else if (f.status === 'SKIP') {
    const why = f.skipReason === 'not-a-template' ? 'not a CloudFormation template' : 'no ECS task definitions';
    cases.push({ name: '(template)', kind: 'skipped', body: `<skipped message="${why}"/>` });
  }
  for (const r of f.resources) {
    // Whole, up to the longest logical id and container name there can be (255 characters each).
    const id = safeName(r.logicalId, 255);
    const resourceFailing = r.status === 'FAIL' || r.status === 'SUPPRESSED';
    if (r.containers.length === 0 || (resourceFailing && r.reason !== undefined)) {
      const text = resourceSentence(r);
      cases.push(
        r.status === 'FAIL'
          ? { name: id, line: r.line, kind: 'failure', body: `<failure message="${xml(text)}" type="${xml(r.reason ?? 'FAIL')}">${xml(`${text}. ${FIX}`)}</failure>` }
          : { name: id, line: r.line, kind: r.status === 'PASS' ? 'pass' : 'skipped', body: r.status === 'PASS' ? '' : `<skipped message="${xml(text)}"/>` },
      );
    }
    for (const c of r.containers) {
      const name = `${id}/${safeName(c.name ?? `ContainerDefinitions[${c.index}]`, 255)}`;
      const text = containerSentence(c);
      if (c.status === 'FAIL') {
        cases.push({ name, line: c.line, kind: 'failure', body: `<failure message="${xml(text)}" type="${xml(c.reason ?? 'FAIL')}">${xml(`${path}:${c.line}:${c.column}: ${text}. ${FIX}`)}</failure>` });
      } else if (c.status === 'PASS') {
        cases.push({ name, line: c.line, kind: 'pass', body: '' });
      } else {
        cases.push({ name, line: c.line, kind: 'skipped', body: `<skipped message="${xml(text)}"/>` });
      }
    }
  }
  // CI servers keep one test case of a name (GitLab the first): a repeated name gets its line.
  const seen = new Set<string>();
  for (const c of cases) {
    let name = c.name;
    for (let n = 2; seen.has(name); n++) name = `${c.name} (line ${String(c.line)}${n > 2 ? `, ${n}` : ''})`;
    seen.add(name);
    c.name = name;
  }
  const count = (k: Case['kind']): number => cases.filter((c) => c.kind === k).length;
  counts.tests += cases.length;
  counts.failures += count('failure');
  counts.errors += count('error');
  counts.skipped += count('skipped');
  const body = cases
    .map((c) => {
      const attrs = `classname="${xml(path)}" name="${xml(c.name)}" file="${xml(path)}"${c.line !== undefined ? ` line="${c.line}"` : ''}`;
      return c.body === '' ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>\n      ${c.body}\n    </testcase>`;
    })
    .join('\n');
  return `  <testsuite name="${xml(path)}" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}">\n${body}\n  </testsuite>`;
}

/** The document before the first testsuite and after the last (each testsuite followed by a newline). */
export function junitAround(tool: { name: string; version: string }, counts: JunitCounts, s: Summary): [string, string] {
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`${tool.name} ${tool.version}`)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}">`,
    `  <!-- ${s.files} file${s.files === 1 ? '' : 's'}: ${s.pass} PASS, ${s.fail} FAIL, ${s.skip} SKIP, ${s.error} ERROR -->`,
    '',
  ].join('\n');
  return [head, '</testsuites>\n'];
}

/** JUnit XML: a testsuite per file, a testcase per container (or resource when it has none). */
export function formatJunit(files: readonly FileResult[], tool: { name: string; version: string }): string {
  const counts: JunitCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = files.map((f) => `${junitSuite(f, counts)}\n`);
  const [head, tail] = junitAround(tool, counts, summarize(files));
  return `${head}${suites.join('')}${tail}`;
}
