/**
 * The Guard rule for the managed Guard Hook and its `cfn-guard test` cases: cfn-guard itself checks the
 * rule against the cases (rules/cfn-guard-test.sh); here every expected verdict is checked against the
 * hook's own policy core, so the rule, its cases and the hook decide every case alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  EMPTY_CONFIG,
  evaluateTaskDefinition,
  FIX,
  isCompliant,
  isTargetType,
  RULE_ID,
  TARGET_TYPES,
  type Evaluation,
  type FailReason,
} from '../../src/policy';

const RULES_DIR = join(__dirname, '..', '..', 'rules');
const GUARD_FILE = join(RULES_DIR, 'readonly-root-filesystem.guard');
const TEST_FILE = join(RULES_DIR, 'readonly-root-filesystem.test.yaml');

type GuardStatus = 'PASS' | 'FAIL' | 'SKIP';

interface GuardCase {
  name: string;
  input: unknown;
  expectations: { rules: Record<string, GuardStatus> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadCases(): GuardCase[] {
  const doc: unknown = parse(readFileSync(TEST_FILE, 'utf8'));
  if (!Array.isArray(doc)) throw new Error(`${TEST_FILE} is not a list of test cases`);
  return doc.map((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !isRecord(entry.expectations) || !isRecord(entry.expectations.rules)) {
      throw new Error(`test case #${i + 1} lacks a name or expectations.rules`);
    }
    return entry as unknown as GuardCase;
  });
}

/**
 * The task definitions a Guard rule sees: Resources.<id> of the two target types, with Type and
 * Properties or, as the Hooks user guide outlines the Guard Hook's input, ResourceType and ResourceProperties.
 */
function targets(input: unknown): Array<{ type: string; evaluation: Evaluation }> {
  if (!isRecord(input) || !isRecord(input.Resources)) return [];
  return Object.values(input.Resources).flatMap((resource) => {
    if (!isRecord(resource)) return [];
    return (
      [
        ['Type', 'Properties'],
        ['ResourceType', 'ResourceProperties'],
      ] as const
    )
      .filter(([type]) => isTargetType(resource[type]))
      .map(([type, properties]) => {
        const props = resource[properties];
        return { type: resource[type] as string, evaluation: evaluateTaskDefinition(isRecord(props) ? props : {}, EMPTY_CONFIG) };
      });
  });
}

/**
 * What the hook decides, in Guard's terms: a task definition the hook judges (containers checked, or
 * a ContainerDefinitions that is no list) is one the rule's filter keeps; empty and Windows ones are
 * let through without a check, which Guard reports as SKIP when nothing else is left.
 */
function hookVerdict(input: unknown): GuardStatus {
  const judged = targets(input).filter((t) => t.evaluation.kind === 'checked' || t.evaluation.kind === 'not-a-list');
  if (judged.length === 0) return 'SKIP';
  return judged.every((t) => isCompliant(t.evaluation)) ? 'PASS' : 'FAIL';
}

const cases = loadCases();

describe('rules/readonly-root-filesystem.test.yaml agrees with the hook', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it('has cases in both spellings of the Guard Hook resource input', () => {
    const spelled = (key: string) => cases.filter((c) => isRecord(c.input) && isRecord(c.input.Resources) && Object.values(c.input.Resources).some((r) => isRecord(r) && key in r));
    expect(spelled('ResourceProperties').map((c) => c.expectations.rules[RULE_ID]).sort()).toEqual(['FAIL', 'FAIL', 'FAIL', 'PASS', 'SKIP']);
    expect(spelled('Properties').length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    expect(Object.keys(testCase.expectations.rules)).toEqual([RULE_ID]);
    expect(testCase.expectations.rules[RULE_ID]).toBe(hookVerdict(testCase.input));
  });

  it('covers every row of the policy table', () => {
    const kinds = new Set<string>();
    const reasons = new Set<FailReason>();
    const types = new Set<string>();
    const statuses = new Set<GuardStatus>();
    for (const testCase of cases) {
      statuses.add(testCase.expectations.rules[RULE_ID]!);
      for (const t of targets(testCase.input)) {
        kinds.add(t.evaluation.kind);
        types.add(t.type);
        if (t.evaluation.kind === 'checked') {
          for (const c of t.evaluation.containers) if (c.reason !== undefined) reasons.add(c.reason);
        }
      }
    }
    expect([...kinds].sort()).toEqual(['checked', 'empty', 'not-a-list', 'windows']);
    expect([...reasons].sort()).toEqual(['false', 'invalid', 'malformed', 'missing']);
    expect([...types].sort()).toEqual([...TARGET_TYPES].sort());
    expect([...statuses].sort()).toEqual(['FAIL', 'PASS', 'SKIP']);
  });

  it('covers the string forms CloudFormation hands hooks', () => {
    const values = new Set<unknown>();
    for (const testCase of cases) {
      const input = testCase.input;
      if (!isRecord(input) || !isRecord(input.Resources)) continue;
      for (const resource of Object.values(input.Resources)) {
        const properties = isRecord(resource) ? (resource.Properties ?? resource.ResourceProperties) : undefined;
        if (!isRecord(properties)) continue;
        const list = properties.ContainerDefinitions;
        if (!Array.isArray(list)) continue;
        for (const c of list) if (isRecord(c)) values.add(c.ReadonlyRootFilesystem);
      }
    }
    for (const v of [true, false, 'true', 'TRUE', 'True', 'false', 'FALSE', 'yes', null, undefined]) {
      expect(values).toContain(v);
    }
  });
});

describe('rules/readonly-root-filesystem.guard', () => {
  const guard = readFileSync(GUARD_FILE, 'utf8');
  const code = guard
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');

  it('defines the one rule the test file expects, named like the hook annotations', () => {
    expect([...code.matchAll(/^rule\s+(\w+)/gm)].map((m) => m[1])).toEqual([RULE_ID]);
  });

  it('selects both target types, in both spellings of the Guard Hook input', () => {
    const types = `[${TARGET_TYPES.map((t) => `'${t}'`).join(', ')}]`;
    expect(code).toContain(`\n    Type IN ${types}`);
    expect(code).toContain(`\n    ResourceType IN ${types}`);
  });

  it('checks each spelling with the same clauses', () => {
    const block = (target: string) => code.slice(code.indexOf(`%${target}.`), code.indexOf('\n    }', code.indexOf(`%${target}.`)));
    const typed = block('ecs_readonly_rootfs_targets');
    expect(typed.startsWith('%ecs_readonly_rootfs_targets.Properties {')).toBe(true);
    expect(block('ecs_readonly_rootfs_hook_targets')).toBe(typed.replace('%ecs_readonly_rootfs_targets.Properties', '%ecs_readonly_rootfs_hook_targets.ResourceProperties'));
  });

  it('accepts true as a boolean and as a string in any case', () => {
    expect(code).toMatch(/ReadonlyRootFilesystem == true or\s+ReadonlyRootFilesystem == \/\^\(\?i\)true\$\//);
  });

  it('skips Windows task definitions as the hook does (prefix WINDOWS, case-sensitive)', () => {
    expect(code).toContain('OperatingSystemFamily != /^WINDOWS/');
  });

  it('tells the fix in every custom message, in the hook\'s words', () => {
    const messages = [...code.matchAll(/<<([\s\S]*?)>>/g)].map((m) => m[1]!);
    // Five, once for each spelling of the input.
    expect(messages).toHaveLength(10);
    for (const message of messages) {
      expect(message).toMatch(/Violation: .+/);
      expect(message).toContain(`Fix: ${FIX}`);
    }
  });
});
