/**
 * `ecs-readonly-rootfs fix [--dry-run] PATH...`: writes ReadonlyRootFilesystem: true into the
 * templates for each container that fails with a literal value, as text edits (see
 * src/template/fix.ts), and says what it left alone and what each fixed container now needs.
 */
import { createTwoFilesPatch } from 'diff';
import type { PolicyConfig } from '../policy';
import { safeName } from '../policy';
import { type FixContainer, fixTemplate, looksLikeTemplate, mayHoldEcsType } from '../template';
import type { Input } from './files';
import { readInput } from './files';
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
}

/** What a container with a read-only root filesystem needs next; docs/cli.md lists the usual paths. */
export const MOUNT_HINT =
  'A read-only root filesystem makes every write outside a volume fail: mount a volume (Volumes + MountPoints) at each path each fixed container writes (docs/cli.md, "After fix"):';

function label(c: FixContainer): string {
  return `'${safeName(c.name ?? `ContainerDefinitions[${c.index}]`)}' in ${safeName(c.logicalId, 128)}`;
}

export function runFix(inputs: readonly Input[], options: FixOptions, io: FixIo): number {
  // With --dry-run the diff alone goes to standard output (it can be applied with patch).
  const say = options.dryRun ? io.stderr : io.stdout;
  let fixedCount = 0;
  let files = 0;
  let leftFailing = 0;
  let errors = 0;
  let templates = 0;
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
    const text = Buffer.from(read.bytes).toString('utf8');
    if (!mayHoldEcsType(text)) {
      if (input.explicit) say(`SKIP ${path}: ${looksLikeTemplate(text) ? 'no ECS task definitions' : 'not a CloudFormation template'}\n`);
      if (looksLikeTemplate(text)) templates++;
      continue;
    }
    const result = fixTemplate(text, { fileName: input.path, parameters: options.parameters, config: options.config, strict: options.strict, onlyTemplates: true });
    if (!result.ok) {
      if (!looksLikeTemplate(text)) {
        if (input.explicit) say(`SKIP ${path}: not a CloudFormation template\n`);
        continue;
      }
      templates++;
      const at = result.error.line !== undefined ? `:${result.error.line}:${result.error.column ?? 1}` : '';
      say(`ERROR ${path}${at}: ${result.error.message}; left as it was\n`);
      errors++;
      continue;
    }
    templates++;
    for (const c of result.left) {
      say(`LEFT ${path}:${c.line}:${c.column}: ${label(c)}: ${c.why ?? 'left as it was'}\n`);
      if (!c.passes) leftFailing++;
    }
    if (result.fixed.length === 0) continue;
    files++;
    fixedCount += result.fixed.length;
    for (const c of result.fixed) {
      say(`${options.dryRun ? 'WOULD FIX' : 'FIXED'} ${path}:${c.line}:${c.column}: ${label(c)}: ReadonlyRootFilesystem: true\n`);
      hints.push(`  ${label(c)}: ${c.writes}`);
    }
    if (options.dryRun) {
      io.stdout(createTwoFilesPatch(`a/${input.path}`, `b/${input.path}`, text, result.text, undefined, undefined, { context: 3 }).replace(/^={67}\n/, ''));
      continue;
    }
    try {
      io.writeFile(input.path, result.text);
    } catch {
      say(`ERROR ${path}: cannot write the file; left as it was\n`);
      errors++;
    }
  }
  if (hints.length > 0) say(`${MOUNT_HINT}\n${hints.join('\n')}\n`);
  say(
    `${fixedCount} container${fixedCount === 1 ? '' : 's'} ${options.dryRun ? 'would be fixed' : 'fixed'} in ${files} file${files === 1 ? '' : 's'}` +
      `; ${leftFailing} left as ${leftFailing === 1 ? 'it was' : 'they were'}${errors ? `; ${errors} file${errors === 1 ? '' : 's'} not fixed` : ''}\n`,
  );
  if (templates === 0 && errors === 0) io.stderr(`ecs-readonly-rootfs: warning: no CloudFormation template found under the paths given\n`);
  if (errors > 0) return EXIT.unreadable;
  return leftFailing > 0 ? EXIT.nonCompliant : EXIT.ok;
}
