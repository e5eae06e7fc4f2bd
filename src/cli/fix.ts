/**
 * `ecs-readonly-rootfs fix [--dry-run] PATH...`: writes ReadonlyRootFilesystem: true into the
 * templates for each container that fails with a literal value, as text edits (see
 * src/template/fix.ts), and says what it left alone and what each fixed container now needs.
 */
import { relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { PolicyConfig } from '../policy';
import { fixLabel, fixTemplate } from '../template';
import type { Input } from './files';
import { readInput, realPathOf } from './files';
import { EXIT, printablePath } from './results';

export interface FixOptions {
  readonly parameters: ReadonlyMap<string, string>;
  readonly config: PolicyConfig;
  readonly strict: boolean;
  readonly dryRun: boolean;
}

export interface FixIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly writeFile: (path: string, text: string) => void;
  /** Where the paths are relative to: the diff names files from here when they are under it. */
  readonly cwd?: string;
}

/** What a container with a read-only root filesystem needs next; docs/cli.md lists the usual paths. */
export const MOUNT_HINT =
  'A read-only root filesystem makes every write outside a volume fail: mount a volume (Volumes + MountPoints) at each path each fixed container writes (docs/cli.md, "After fix"):';

export function runFix(inputs: readonly Input[], options: FixOptions, io: FixIo): number {
  // With --dry-run the diff alone goes to standard output (it can be applied with patch).
  const say = options.dryRun ? io.stderr : io.stdout;
  let fixedCount = 0;
  let files = 0;
  let leftFailing = 0;
  let errors = 0;
  let sawTemplate = false;
  let failing = false;
  const hints: string[] = [];
  for (const input of inputs) {
    const path = printablePath(input.path);
    if (input.error) {
      say(`ERROR ${path}: ${input.error}\n`);
      errors++;
      continue;
    }
    const read = readInput(input.path, () => new Uint8Array());
    if (!read.ok) {
      say(`ERROR ${path}: ${read.error}\n`);
      errors++;
      continue;
    }
    // The bytes, decoded, judged and skipped as validate does.
    const result = fixTemplate(read.bytes, { fileName: input.path, parameters: options.parameters, config: options.config, strict: options.strict, onlyTemplates: true });
    if (!result.ok) {
      const at = result.error.line !== undefined ? `:${result.error.line}:${result.error.column ?? 1}` : '';
      say(`ERROR ${path}${at}: ${result.error.message}; left as it was\n`);
      errors++;
      continue;
    }
    if (result.status === 'SKIP') {
      if (result.skipReason !== 'not-a-template') sawTemplate = true;
      if (input.explicit) say(`SKIP ${path}: ${result.skipReason === 'not-a-template' ? 'not a CloudFormation template' : 'no ECS task definitions'}\n`);
      continue;
    }
    sawTemplate = true;
    if (result.fixed.length > 0 && !options.dryRun) {
      // Another writer (an editor, a formatter) may have saved the file while it was judged: its change would be lost.
      const now = readInput(input.path, () => new Uint8Array());
      if (!now.ok || !Buffer.from(now.bytes).equals(Buffer.from(read.bytes))) {
        say(`ERROR ${path}: changed while it was being fixed; left as it was (run fix again)\n`);
        errors++;
        continue;
      }
      try {
        io.writeFile(input.path, result.text);
      } catch {
        // Nothing was fixed: the file is as it was.
        say(`ERROR ${path}: cannot write the file; left as it was\n`);
        errors++;
        continue;
      }
    }
    if (result.status === 'FAIL') failing = true;
    for (const c of result.left) {
      say(`LEFT ${path}:${c.line}:${c.column}: ${fixLabel(c)}: ${c.why ?? 'left as it was'}\n`);
      if (!c.passes) leftFailing++;
    }
    if (result.fixed.length === 0) continue;
    files++;
    fixedCount += result.fixed.length;
    for (const c of result.fixed) {
      say(`${options.dryRun ? 'WOULD FIX' : 'FIXED'} ${path}:${c.line}:${c.column}: ${fixLabel(c)}: ReadonlyRootFilesystem: true\n`);
      hints.push(`  ${fixLabel(c)}: ${c.writes}`);
    }
    if (options.dryRun) {
      const before = Buffer.from(read.bytes).toString('utf8');
      // A link is written through: the diff names the file it leads to (patch and git apply refuse a link).
      const real = io.cwd === undefined ? undefined : realPathOf(resolve(io.cwd, input.path));
      const linked = real !== undefined && real !== resolve(io.cwd!, input.path);
      const name = linked ? diffName(real, realPathOf(io.cwd!) ?? io.cwd) : diffName(input.path, io.cwd);
      const [from, to, end] = diffHeaders(name);
      io.stdout(createTwoFilesPatch(from, to, shownLines(before), shownLines(result.text), end, end, { context: 3 }).replace(/^={67}\n/, ''));
    }
  }
  if (hints.length > 0) say(`${MOUNT_HINT}\n${hints.join('\n')}\n`);
  say(
    `${fixedCount} container${fixedCount === 1 ? '' : 's'} ${options.dryRun ? 'would be fixed' : 'fixed'} in ${files} file${files === 1 ? '' : 's'}` +
      `; ${leftFailing} left as ${leftFailing === 1 ? 'it was' : 'they were'}${errors ? `; ${errors} file${errors === 1 ? '' : 's'} not fixed` : ''}\n`,
  );
  if (!sawTemplate && errors === 0) io.stderr(`ecs-readonly-rootfs: warning: no CloudFormation template found under the paths given\n`);
  // validate's exit code on the files as they now are (as they would be, with --dry-run).
  if (errors > 0) return EXIT.unreadable;
  return failing ? EXIT.nonCompliant : EXIT.ok;
}

/**
 * The diff's two file names, and what ends them: a name with a tab, a line break, a quote or a
 * backslash is quoted with C escapes, as git writes it (git apply and GNU patch read it so); one
 * with a space ends at a tab, as diff writes it, or patch reads it only up to the space.
 */
function diffHeaders(name: string): [string, string, string | undefined] {
  if (/[\t\n\r"\\]/.test(name)) {
    const quoted = (prefix: string): string =>
      `"${(prefix + name).replace(/[\t\n\r"\\]/g, (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '"': '\\"', '\\': '\\\\' })[c]!)}"`;
    return [quoted('a/'), quoted('b/'), undefined];
  }
  return [`a/${name}`, `b/${name}`, / /.test(name) ? '' : undefined];
}

/**
 * A file's name in the diff: from the current directory when the file is under it (`./x`, or an
 * absolute path there), as `patch -p1` and `git apply` read it there; else as given.
 */
function diffName(path: string, cwd: string | undefined): string {
  if (cwd === undefined) return path;
  const rel = relative(cwd, resolve(cwd, path));
  return rel.startsWith('..') ? path : rel.split(sep).join('/');
}

/**
 * The diff package splits lines at LF only: a file whose lines end with a lone CR would show as one
 * line. The preview shows each of its lines (ending in LF); the file written keeps its own endings.
 */
function shownLines(text: string): string {
  return text.replace(/\r(?!\n)/g, '\n');
}
