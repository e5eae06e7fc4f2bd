import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIX, REMEDIATION_LINK, RULE_ID, safeName } from '../../policy';
import type { ContainerFinding, ResourceFinding } from '../../template';
import type { FileResult } from '../results';
import { around, MARK, nested } from './json';
import { containerSentence, resourceSentence, SUPPRESSION_IGNORED } from './reasons';

/**
 * A file's URI: relative to `root` (`%SRCROOT%`: the repository's root, which code scanning resolves
 * relative URIs against) when the file is under it, else its absolute `file:` URI. A relative path
 * is from `cwd`.
 */
export function artifactUri(path: string, root: string, cwd = root): string {
  if (path === '-') return 'stdin';
  const rel = relative(root, resolve(cwd, path)) || path;
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  if (outside) return pathToFileURL(resolve(cwd, path)).href;
  return rel.split(sep).map((p) => encodeURIComponent(p)).join('/');
}

function location(uri: string, line: number, column: number, logical?: string): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: uri.startsWith('file:') || uri === 'stdin' ? { uri } : { uri, uriBaseId: '%SRCROOT%' },
      region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) },
    },
    ...(logical ? { logicalLocations: [{ fullyQualifiedName: logical, kind: 'resource' }] } : {}),
  };
}

function containerResult(f: FileResult, r: ResourceFinding, c: ContainerFinding, uri: string): Record<string, unknown> {
  const id = safeName(r.logicalId, 128);
  return {
    ruleId: RULE_ID,
    ruleIndex: 0,
    level: 'error',
    message: { text: `${r.type.slice('AWS::ECS::'.length)} '${id}': container ${containerSentence(c)}. ${FIX}${r.suppressionIgnored ? ` ${SUPPRESSION_IGNORED}.` : ''}` },
    locations: [location(uri, c.line, c.column, `${r.logicalId}/${c.name ?? `ContainerDefinitions[${c.index}]`}`)],
    partialFingerprints: { ecsContainer: `${r.logicalId}/${c.name ?? `#${c.index}`}` },
    ...(c.status === 'SUPPRESSED' ? { suppressions: [{ kind: 'inSource', justification: 'Metadata guard SuppressedRules' }] } : {}),
  };
}

function resourceResult(r: ResourceFinding, uri: string): Record<string, unknown> {
  return {
    ruleId: RULE_ID,
    ruleIndex: 0,
    level: 'error',
    message: { text: `${r.type.slice('AWS::ECS::'.length)} '${safeName(r.logicalId, 128)}': ${resourceSentence(r)}. ${FIX}` },
    locations: [location(uri, r.line, r.column, r.logicalId)],
    partialFingerprints: { ecsContainer: r.logicalId },
    ...(r.status === 'SUPPRESSED' ? { suppressions: [{ kind: 'inSource', justification: 'Metadata guard SuppressedRules' }] } : {}),
  };
}

/** One file's notifications (an unreadable file) and results (failing or suppressed containers). */
function fileParts(f: FileResult, cwd: string, root: string): { notifications: unknown[]; results: unknown[] } {
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  const uri = artifactUri(f.path, root, cwd);
  if (f.status === 'ERROR') {
    notifications.push({
      level: 'error',
      message: { text: `${f.error?.message ?? 'unreadable'}` },
      locations: [location(uri, f.error?.line ?? 1, f.error?.column ?? 1)],
    });
    return { notifications, results };
  }
  for (const r of f.resources) {
    const failing = r.containers.filter((c) => c.status === 'FAIL' || c.status === 'SUPPRESSED');
    if ((r.status === 'FAIL' || r.status === 'SUPPRESSED') && failing.length === 0) results.push(resourceResult(r, uri));
    for (const c of failing) results.push(containerResult(f, r, c, uri));
  }
  return { notifications, results };
}

/**
 * SARIF 2.1.0: one result per failing (or suppressed) container; unreadable files as tool notifications.
 * Paths are from `cwd`; URIs from `root` (the command line's: the repository's root, see repositoryRoot).
 */
export function toSarif(files: readonly FileResult[], tool: { name: string; version: string }, cwd: string, root = cwd): unknown {
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const f of files) {
    const parts = fileParts(f, cwd, root);
    notifications.push(...parts.notifications);
    results.push(...parts.results);
  }
  return sarifLog(tool, root, !files.some((f) => f.status === 'ERROR'), notifications, results);
}

function sarifLog(tool: { name: string; version: string }, root: string, allRead: boolean, notifications: readonly unknown[], results: readonly unknown[]): unknown {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            rules: [
              {
                id: RULE_ID,
                name: 'EcsReadonlyRootFilesystem',
                shortDescription: { text: 'ECS containers must have a read-only root filesystem' },
                fullDescription: {
                  text: 'Every container of an AWS::ECS::TaskDefinition or AWS::ECS::DaemonTaskDefinition must set ReadonlyRootFilesystem: true, as the Guardrails::ECS::ReadonlyRootFilesystem hook requires at deploy time.',
                },
                help: { text: FIX },
                helpUri: REMEDIATION_LINK,
                defaultConfiguration: { level: 'error' },
                properties: { tags: ['security', 'ecs', 'cloudformation'], 'security-severity': '7.0' },
              },
            ],
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root).href.replace(/\/?$/, '/') } },
        // Columns as the reader counts them, lines broken at CR LF, LF and a lone CR (as YAML reads them).
        columnKind: 'utf16CodeUnits',
        newlineSequences: ['\r\n', '\n', '\r'],
        invocations: [{ executionSuccessful: allRead, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
}

export function formatSarif(files: readonly FileResult[], tool: { name: string; version: string }, cwd: string, root = cwd): string {
  return `${JSON.stringify(toSarif(files, tool, cwd, root), null, 2)}\n`;
}

/** One file's parts as formatSarif prints them inside the log (see sarifAround). */
export function sarifParts(f: FileResult, cwd: string, root = cwd): { notifications: string[]; results: string[] } {
  const parts = fileParts(f, cwd, root);
  return { notifications: parts.notifications.map((n) => nested(n, 6)), results: parts.results.map((r) => nested(r, 4)) };
}

/**
 * The log split around its notifications and its results, for writing it while files are judged:
 * [before the notifications, between, after the results] (entries joined by `,\n` and their indentation).
 */
export function sarifAround(tool: { name: string; version: string }, root: string, allRead: boolean, noNotifications: boolean, noResults: boolean): [string, string, string] {
  const [a, b, c] = around(sarifLog(tool, root, allRead, noNotifications ? [] : [MARK[0]], noResults ? [] : [MARK[1]]), 2);
  return [a!, b!, c!];
}
