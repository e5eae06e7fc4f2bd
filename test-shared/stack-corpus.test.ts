/**
 * Over every template of ../shared/corpus, the stack-level and change-set checks against the
 * resource-level check they must agree with:
 * - no false block: every container the stack-level check blocks is blocked by the resource-level check
 *   in every request CloudFormation could send for it (every combination of the deciding conditions,
 *   parameters at their defaults and at each of their allowed values);
 * - a change set built from the template (every task definition a CREATE, its afterContext the
 *   resolved properties as CloudFormation writes them: strings) gives the resource-level verdicts.
 * Stack-level answers come from the built bundle with the payload served on loopback.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { EMPTY_CONFIG, type TargetFinding } from '../src/policy';
import { judgeStackTemplate } from '../src/template/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sharedDir } = require('./shared-dir.js') as { sharedDir: () => string };
type Answer = Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hook = require('../dist/handlers.js') as { entrypoint: (e: unknown) => Promise<Answer> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = require('../dist/cli.js') as {
  planHookRequests(source: Uint8Array, options: Record<string, unknown>): { ok: true; requests: Planned[] } | { ok: false };
  readTemplate(source: Uint8Array, fileName?: string): { ok: boolean; root?: any };
  UNRESOLVED_PLACEHOLDER: string;
};
interface Planned {
  logicalId: string;
  type: string;
  line: number;
  conditions: { condition: string; value: boolean }[];
  request: Answer;
}

const corpus = join(sharedDir(), 'corpus');
const files = readdirSync(corpus).filter((f) => /\.(ya?ml|json|template)$/.test(f)).sort();

let server: Server;
let base = '';
const bodies = new Map<string, string>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = bodies.get((req.url ?? '').split('?')[0]!);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

function wholeRequest(targetName: 'STACK' | 'CHANGE_SET', path: string, body: unknown): Answer {
  bodies.set(path, JSON.stringify(body));
  return {
    clientRequestToken: `corpus-${path}`,
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    hookModel: {},
    requestData: {
      targetName,
      targetType: targetName,
      targetLogicalId: targetName === 'STACK' ? 'corpus' : 'arn:aws:cloudformation:us-east-1:111122223333:changeSet/corpus/1',
      targetModel: {},
      payload: `${base}${path}?X-Amz-Signature=corpus`,
    },
  };
}

/** "logicalId/container" of each container a FAILED resource-level answer names in its annotations. */
function failingContainers(logicalId: string, answer: Answer): string[] {
  if (answer.errorCode !== 'NonCompliant') return [];
  return (answer.annotations ?? [])
    .filter((a: Answer) => a.status === 'FAILED')
    .map((a: Answer) => /^Container '(.*)' can write/.exec(a.statusMessage)?.[1] ?? /^(ContainerDefinitions is not a list)/.exec(a.statusMessage)?.[1])
    .filter((c: string | undefined): c is string => c !== undefined)
    .map((c: string) => (c === 'ContainerDefinitions is not a list' ? logicalId : `${logicalId}/${c}`));
}

interface Blocked {
  readonly logicalId: string;
  /** Undefined: the whole resource (ContainerDefinitions is not a list). */
  readonly index?: number;
}

function blockedContainers(findings: readonly TargetFinding[]): Blocked[] {
  return findings.flatMap((f) => (f.kind === 'not-a-list' ? [{ logicalId: f.logicalId }] : f.containers.filter((c) => c.status === 'FAIL').map((c) => ({ logicalId: f.logicalId, index: c.index }))));
}

/** How the resource-level answer names a container: its resolved Name (a parameter's value, say), else its position. */
function labelIn(request: Answer, b: Blocked): string {
  if (b.index === undefined) return b.logicalId;
  const entry = request.requestData.targetModel.resourceProperties.ContainerDefinitions?.[b.index];
  const name = entry && typeof entry.Name === 'string' && entry.Name !== '' ? entry.Name : `ContainerDefinitions[${b.index}]`;
  return `${b.logicalId}/${name}`;
}

/** Parameter sets CloudFormation could deploy with: the defaults, then each allowed value of each parameter. */
function parameterSets(root: any): Record<string, string>[] {
  const sets: Record<string, string>[] = [{}];
  const params = root && typeof root.Parameters === 'object' && root.Parameters !== null ? root.Parameters : {};
  for (const [name, decl] of Object.entries<any>(params)) {
    for (const value of Array.isArray(decl?.AllowedValues) ? decl.AllowedValues : []) sets.push({ [name]: String(value) });
  }
  return sets.slice(0, 40);
}

const totals = { blocked: 0, left: 0 };

it('the corpus is there', () => {
  expect(files.length).toBeGreaterThan(10);
});

describe.each(files)('%s', (file) => {
  const bytes = readFileSync(join(corpus, file));
  const text = bytes.toString('utf8');

  it('stack level: blocks only containers the resource-level check blocks in every request', async () => {
    const judged = judgeStackTemplate(text, EMPTY_CONFIG);
    expect(judged.ok).toBe(true);
    if (!judged.ok) return;
    const blocked = blockedContainers(judged.findings);
    totals.blocked += blocked.length;
    totals.left += judged.findings.reduce((n, f) => n + (f.kind === 'left' ? 1 : f.containers.filter((c) => c.status === 'LEFT').length), 0);
    // The built hook answers the same stack: FAILED/NonCompliant exactly when something is blocked.
    const answer = await hook.entrypoint(wholeRequest('STACK', `/${file}/stack`, { template: text, previousTemplate: '' }));
    expect(answer.hookStatus).toBe(blocked.length > 0 ? 'FAILED' : 'SUCCESS');
    if (blocked.length > 0) expect(answer.errorCode).toBe('NonCompliant');

    const parsed = cli.readTemplate(bytes, file);
    for (const parameters of parameterSets(parsed.root)) {
      const plan = cli.planHookRequests(bytes, { fileName: file, parameters });
      expect(plan.ok).toBe(true);
      if (!plan.ok) return;
      for (const planned of plan.requests) {
        const mine = blocked.filter((b) => b.logicalId === planned.logicalId);
        if (mine.length === 0) continue;
        const failing = failingContainers(planned.logicalId, await hook.entrypoint(planned.request));
        for (const b of mine) {
          const label = labelIn(planned.request, b);
          expect({ parameters, conditions: planned.conditions, label, blocked: failing.includes(label) }).toEqual({ parameters, conditions: planned.conditions, label, blocked: true });
        }
      }
    }
  });

  it('change set: every task definition as a CREATE gives the resource-level verdicts', async () => {
    const plan = cli.planHookRequests(bytes, { fileName: file });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    // One request per task definition: the first combination of conditions (every condition true).
    const first = new Map<string, Planned>();
    for (const p of plan.requests) if (!first.has(p.logicalId)) first.set(p.logicalId, p);
    const expected: string[] = [];
    const left: string[] = [];
    for (const p of first.values()) {
      const properties = p.request.requestData.targetModel.resourceProperties;
      const answer = await hook.entrypoint(p.request);
      for (const pair of failingContainers(p.logicalId, answer)) {
        // A value the template cannot tell (a parameter without default): CloudFormation would have resolved it.
        const container = (properties.ContainerDefinitions ?? []).find((c: Answer) => `${p.logicalId}/${c?.Name}` === pair);
        if (container?.ReadonlyRootFilesystem === cli.UNRESOLVED_PLACEHOLDER) left.push(pair);
        else expected.push(pair);
      }
    }
    const changedResources = [...first.values()].map((p) => ({
      action: 'CREATE',
      logicalResourceId: p.logicalId,
      resourceType: p.type,
      lineNumber: p.line,
      beforeContext: null,
      afterContext: JSON.stringify({ Properties: p.request.requestData.targetModel.resourceProperties }),
    }));
    const answer = await hook.entrypoint(wholeRequest('CHANGE_SET', `/${file}/change-set`, { template: text, changedResources }));
    if (expected.length === 0) {
      expect(answer.hookStatus).toBe(left.length === 0 ? 'CHANGE_SET_SUCCESS_SKIP_STACK_HOOK' : 'SUCCESS');
      return;
    }
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(answer.message).toContain(`${expected.length} container${expected.length === 1 ? '' : 's'} in `);
    const named = (answer.annotations as Answer[])
      .filter((a) => a.status === 'FAILED')
      .map((a) => /^Container '(.*)' of \w+ '(.*)' \(line \d+\) can write/.exec(a.statusMessage))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[2]}/${m[1]}`);
    if (expected.length < 25) expect(named.sort()).toEqual([...expected].sort());
  });
});

it('compared something: the stack-level check blocked and left containers across the corpus', () => {
  expect(totals.blocked).toBeGreaterThan(10);
  expect(totals.left).toBeGreaterThan(0);
});
