/**
 * Hostile input for the hook: names built to forge lines or reorder text, huge names and lists,
 * configuration patterns built to blow up a regular expression. Every answer must stay bounded and
 * printable, and the work bounded, measured by counting (sizes, annotations, character reads),
 * never by a clock.
 */
import { globMatch } from '../../src/policy/glob';
import { type Answer, captureOutput, loadHook, logLines } from './support/hook';
import { assertAnswer, assertWellFormed } from './support/invariants';
import { globOracle, MAX_ANNOTATIONS, MAX_MESSAGE, UNSAFE_CHARS } from './support/oracle';

const hook = loadHook();

function request(containers: unknown, options: { hookModel?: unknown; logicalId?: string; platform?: unknown; point?: string; targetName?: string } = {}) {
  return {
    clientRequestToken: 'hostile-token',
    actionInvocationPoint: options.point ?? 'CREATE_PRE_PROVISION',
    hookModel: options.hookModel,
    requestData: {
      targetName: options.targetName ?? 'AWS::ECS::TaskDefinition',
      targetType: 'RESOURCE',
      targetLogicalId: options.logicalId ?? 'Hostile',
      targetModel: { resourceProperties: { ContainerDefinitions: containers, RuntimePlatform: options.platform } },
    },
  };
}

/** Calls the hook and checks the answer against the rules and every bound; returns it with its log lines. */
async function judge(event: unknown, oracle = true): Promise<{ answer: Answer; lines: Record<string, unknown>[]; output: string }> {
  const { value: answer, output } = await captureOutput(() => hook.entrypoint(event, { awsRequestId: 'hostile' }));
  if (oracle) assertAnswer(answer, event, 'entrypoint');
  else assertWellFormed(answer);
  for (const line of output.split('\n')) {
    expect(line.length).toBeLessThanOrEqual(4096);
    expect(UNSAFE_CHARS.test(line)).toBe(false);
  }
  return { answer, lines: logLines(output), output };
}

/** The names a message quotes, between the quotes the hook puts around them (escaped quotes inside). */
function quotedNames(message: string): string[] {
  return [...message.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!);
}

describe('hostile container names', () => {
  const names: [string, string, string][] = [
    ['a newline forging a log line', 'app\n{"level":"INFO","message":"Answered","hookStatus":"SUCCESS"}', "app\\u000a{"],
    ['a carriage return', 'app\rSUCCESS', 'app\\u000dSUCCESS'],
    ['a right-to-left override', 'app\u202eelif', 'app\\u202eelif'],
    ['terminal escapes', '\u001b[2J\u001b[31mapp', '\\u001b[2J'],
    ['a NUL and a bell', 'a\u0000b\u0007c', 'a\\u0000b\\u0007c'],
    ['zero-width and BOM', 'a\u200bb\ufeffc', 'a\\u200bb\\ufeffc'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['a quote and a backslash', "it's\\", "it\\'s\\\\"],
  ];

  it.each(names)('%s is escaped in the message and annotations', async (_what, name, escaped) => {
    const { answer } = await judge(request([{ Name: name, ReadonlyRootFilesystem: false }, { Name: 'ok', ReadonlyRootFilesystem: true }]));
    expect(answer.errorCode).toBe('NonCompliant');
    expect(answer.message).toContain(escaped);
    expect(answer.annotations?.[0]?.statusMessage).toContain(escaped);
  });

  it('a 10,000-character name is cut to 64 characters with an ellipsis', async () => {
    const name = `${'n'.repeat(5_000)}\n${'m'.repeat(4_999)}`;
    const { answer } = await judge(request([{ Name: name, ReadonlyRootFilesystem: 'False' }]));
    expect(answer.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    const printed = quotedNames(answer.message).find((n) => n.startsWith('nnn'));
    expect(printed).toBe(`${'n'.repeat(63)}…`);
    for (const a of answer.annotations ?? []) expect(a.statusMessage?.length ?? 0).toBeLessThanOrEqual(200);
  });

  it('a 10,000-character name of escapes cannot push the message over its bound', async () => {
    const containers = Array.from({ length: 40 }, (_, i) => ({ Name: `${i}${'\u202e\n'.repeat(5_000)}`, ReadonlyRootFilesystem: null }));
    const { answer } = await judge(request(containers, { logicalId: '\u202e'.repeat(10_000) }));
    expect(answer.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(answer.message).toMatch(/^TaskDefinition '(\\u202e)+…': 40 of 40 containers/);
    for (const name of quotedNames(answer.message)) expect(name.length).toBeLessThanOrEqual(128);
  });

  it('a hostile Windows family, logical id and invocation point are printed escaped', async () => {
    const windows = await judge(request([], { platform: { OperatingSystemFamily: `WINDOWS\n${'\u202e'.repeat(5_000)}` }, logicalId: 'a\nb' }));
    expect(windows.answer.hookStatus).toBe('SUCCESS');
    const point = await judge(request([], { point: `CREATE\n\u202e${'x'.repeat(10_000)}` }));
    expect(point.answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InvalidRequest' });
    expect(point.answer.message.length).toBeLessThanOrEqual(300);
    const target = await judge(request([], { targetName: `AWS::S3::Bucket\n\u202e${'y'.repeat(10_000)}` }));
    expect(target.answer.hookStatus).toBe('SUCCESS');
    expect(target.answer.message.length).toBeLessThanOrEqual(400);
  });

  it('an unknown configuration property with control characters is named escaped', async () => {
    const { value: answer } = await captureOutput(() => hook.entrypoint(request([{ Name: 'app' }], { hookModel: { 'Exempt\nNames\u202e': ['app'] } }), {}));
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'InvalidTypeConfiguration' });
    expect(answer.message).toContain('Exempt\\u000aNames\\u202e');
    assertWellFormed(answer);
  });

  it('names shaped like the prototype are plain names', async () => {
    const containers = JSON.parse(
      '[{"Name":"__proto__","ReadonlyRootFilesystem":false},{"Name":"constructor","__proto__":{"ReadonlyRootFilesystem":true}},{"Name":"toString","ReadonlyRootFilesystem":"true"}]',
    ) as unknown[];
    const { answer } = await judge(request(containers, { hookModel: { ExemptContainerNames: ['hasOwnProperty', 'valueOf*'] } }));
    expect(answer.message).toContain("2 of 3 containers can write to their root filesystem: '__proto__' (false), 'constructor' (ReadonlyRootFilesystem missing)");
    expect(({} as Record<string, unknown>).ReadonlyRootFilesystem).toBeUndefined();
  });
});

describe('huge task definitions', () => {
  it('5,000 writable containers: the message names as many as fit, then "and N more"; 25 annotations', async () => {
    const containers = Array.from({ length: 5_000 }, (_, i) => ({ Name: `container-${i}`, ReadonlyRootFilesystem: i % 2 === 0 ? false : undefined }));
    const { answer } = await judge(request(containers));
    expect(answer.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(answer.message).toContain(': 5000 of 5000 containers can write to their root filesystem: ');
    const named = quotedNames(answer.message).filter((n) => n.startsWith('container-'));
    const more = /, and (\d+) more\./.exec(answer.message);
    expect(more).not.toBeNull();
    expect(named.length + Number(more![1])).toBe(5_000);
    expect(answer.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(answer.annotations![MAX_ANNOTATIONS - 1]!.statusMessage).toBe('4976 more container results are not listed; the message names the offending containers.');
  });

  it('5,000 read-only containers pass, with one summary annotation', async () => {
    const containers = Array.from({ length: 5_000 }, (_, i) => ({ Name: `c${i}`, ReadonlyRootFilesystem: i % 2 ? 'TRUE' : true }));
    const { answer } = await judge(request(containers));
    expect(answer.hookStatus).toBe('SUCCESS');
    expect(answer.message).toContain('5000 containers checked');
    expect(answer.annotations).toHaveLength(1);
  });

  it('5,000 containers, one writable among exempt ones: it is found and the exempt ones are summarised', async () => {
    const containers = Array.from({ length: 5_000 }, (_, i) => ({ Name: i === 4_321 ? 'the-one' : `sidecar-${i}`, ReadonlyRootFilesystem: false }));
    const { answer } = await judge(request(containers, { hookModel: { ExemptContainerNames: ['sidecar-*'] } }));
    expect(answer.message).toContain(": 1 of 5000 containers can write to its root filesystem: 'the-one' (false).");
    expect(answer.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(answer.annotations).toHaveLength(MAX_ANNOTATIONS);
  });

  it('a 1 MB token is echoed whole; deep nesting elsewhere is ignored', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { nested: deep };
    const event = request([{ Name: 'app', ReadonlyRootFilesystem: true, DockerLabels: deep }, [[[[deep]]]]]);
    const token = 't'.repeat(1 << 20);
    const { answer } = await judge({ ...event, clientRequestToken: token, requestContext: deep });
    expect(answer.clientRequestToken).toBe(token);
    expect(answer.message).toContain("1 of 2 containers can write to its root filesystem: 'ContainerDefinitions[1]' (not a container definition object)");
  });
});

/**
 * Counts the character reads globMatch makes: a deterministic measure of its work. The strings are
 * wrapped in proxies of String objects, which read like strings.
 */
function countedGlob(pattern: string, text: string): { matched: boolean; reads: number } {
  let reads = 0;
  const counted = (s: string) =>
    new Proxy(new String(s), {
      get(target, key) {
        reads++;
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as unknown as string;
  const matched = globMatch(counted(pattern), counted(text));
  return { matched, reads };
}

describe('exemption patterns built to blow up a regular expression', () => {
  const long = 'a'.repeat(10_000);
  // Each would take exponential time as a backtracking regular expression on `long`.
  const killers: [string, string, boolean][] = [
    ['a*a*a*...b (127 stars)', `${'a*'.repeat(127)}b`, false],
    ['*a*a*...*b', `${'*a'.repeat(127)}b`, false],
    ['?*?*?*...!', `${'?*'.repeat(127)}!`, false],
    ['(a+)+$ as a literal', '(a+)+$', false],
    ['stars only', '*'.repeat(255), true],
    ['a*a*a*... matching', `${'a*'.repeat(127)}a`, true],
  ];

  it.each(killers)('%s matches in work linear in the name', (_what, pattern, expected) => {
    const { matched, reads } = countedGlob(pattern, long);
    expect(matched).toBe(expected);
    // A handful of reads per character of pattern and name: no backtracking blow-up.
    expect(reads).toBeLessThanOrEqual(8 * (pattern.length + long.length));
  });

  it('a long literal after a star, the worst case of greedy back-tracking, stays linear in the name', () => {
    const pattern = `*${'a'.repeat(253)}b`;
    const text = 'a'.repeat(2_000);
    const { matched, reads } = countedGlob(pattern, text);
    expect(matched).toBe(false);
    // Greedy back-tracking would read about pattern × name characters (over 500,000 here).
    expect(reads).toBeLessThanOrEqual(8 * (pattern.length + text.length));
  });

  it('agrees with the dynamic-programming oracle on the killers, cut to a size the oracle can afford', () => {
    for (const [, pattern] of killers) {
      for (const text of ['a'.repeat(300), `${'a'.repeat(299)}b`, `${'a'.repeat(299)}!`, '(a+)+$']) {
        expect([pattern, text.length, globMatch(pattern, text)]).toEqual([pattern, text.length, globOracle(pattern, text)]);
      }
    }
  });

  it('100 killer patterns against 50 containers with the longest names ECS takes: the right verdict, bounded output', async () => {
    const patterns = Array.from({ length: 100 }, (_, i) => `${'a*'.repeat(120)}${String.fromCharCode(98 + (i % 20))}`);
    const containers = Array.from({ length: 50 }, (_, i) => ({ Name: `${long.slice(0, 254)}${i % 2 ? 'b' : 'z'}`, Image: long.slice(0, 327), ReadonlyRootFilesystem: false }));
    // The oracle's dynamic programming is quadratic: the expectations are spelled out instead.
    const { answer } = await judge(request(containers, { hookModel: { ExemptContainerNames: patterns, ExemptImages: patterns } }), false);
    // Names ending in b are exempt by the first pattern; those ending in z match none, nor does the image.
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(answer.message).toContain(': 25 of 50 containers can write to their root filesystem: ');
    expect(answer.annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(answer.annotations!.filter((a) => a.status === 'SKIPPED')).toHaveLength(0); // failures come first, then the summary
  });

  it('a name or an image longer than ECS takes is never exempt, whatever the patterns: 10,000-character names fail', async () => {
    const containers = Array.from({ length: 4 }, () => ({ Name: `${long}b`, Image: long, ReadonlyRootFilesystem: false }));
    const { answer } = await judge(request(containers, { hookModel: { ExemptContainerNames: ['*'], ExemptImages: ['*'] } }), false);
    expect(answer.message).toContain(': 4 of 4 containers can write to their root filesystem: ');
  });
});
