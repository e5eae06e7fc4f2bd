/**
 * Given parameter values checked as CloudFormation checks them before it creates a stack: against the
 * parameter's AllowedValues, AllowedPattern, MinLength/MaxLength and (Number) MinValue/MaxValue, and
 * every Fn::FindInMap whose keys come from given values must find its entry. A failure is an error
 * for the template naming the parameter (never its value: values may be secrets).
 */
import { safeName } from '../policy/text';
import type { Conditions } from './conditions';
import { PREVIOUS_VALUE } from './parameters';
import { intrinsicOf, isRecord, isSsmParameterType } from './resolve';
import type { Position, SourceMap } from './source-map';

export interface ParameterProblem {
  readonly message: string;
  readonly position?: Position;
}

const MAX_PATTERN = 1000;

/** A Number parameter's value: an integer or a decimal, as CloudFormation takes it (no 0x, 0b, Infinity or spaces). */
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Java's syntax that JavaScript reads otherwise or not at all (CloudFormation runs AllowedPattern as
 * Java): an escape of a letter JavaScript gives another meaning (`\A`, `\z`, `\p{Alpha}`, `\h`, `\v`,
 * `\Q`...), `\x{...}`, and class intersection (`[a-z&&[^q]]`).
 */
function javaOnly(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    const c = pattern[++i] ?? '';
    if (/[A-Za-z]/.test(c) && !'dDwWsSbBtnrfcxuk'.includes(c)) return true;
    if ((c === 'x' || c === 'u') && pattern[i + 1] === '{') return true;
  }
  return pattern.includes('&&');
}

/**
 * A pattern is only run when it cannot backtrack badly: no quantified group that itself contains a
 * quantifier or an alternation (star height 1). Such patterns are reported as not checked.
 */
function safePattern(pattern: string): RegExp | undefined {
  if (pattern.length > MAX_PATTERN || /\\[1-9k]|\(\?<?[=!]/.test(pattern)) return undefined;
  // Per open group: whether it holds a quantifier or an alternation. The bottom entry is the pattern
  // itself, never popped (an unbalanced ')' returns first) nor read: left empty.
  const open = new Array<boolean>(1);
  let escaped = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') open.push(false);
    else if (c === ')') {
      // Unbalanced: Java, which CloudFormation runs the pattern with, refuses it.
      if (open.length === 1) return undefined;
      const inner = open.pop()!;
      if (inner && /^[*+?{]/.test(pattern.slice(i + 1))) return undefined;
      // A quantifier after the group marks the enclosing one at the next character.
      if (inner) open[open.length - 1] = true;
    } else if ('*+?{|'.includes(c)) open[open.length - 1] = true;
  }
  // CloudFormation (Java) requires the whole value to match; without the u flag for what only it refuses.
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // Not a pattern with these flags.
    }
  }
  return undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Problems with the values given for the parameters a template declares, and notes (patterns not run). */
export function checkGivenParameters(
  declared: unknown,
  given: ReadonlyMap<string, string>,
  sourceMap: SourceMap,
): { problems: ParameterProblem[]; notes: string[] } {
  const problems: ParameterProblem[] = [];
  const notes: string[] = [];
  if (!isRecord(declared)) return { problems, notes };
  for (const [name, decl] of Object.entries(declared)) {
    const value = given.get(name);
    // The stack's previous value, and an SSM parameter's name (CloudFormation checks the value it reads), are not checked here.
    if (value === undefined || value === PREVIOUS_VALUE || !isRecord(decl) || isSsmParameterType(decl.Type)) continue;
    const position = sourceMap.child(declared, name);
    const n = safeName(name, 128);
    const fail = (why: string): void => {
      problems.push({ message: `parameter '${n}': the value given ${why}; CloudFormation would refuse the stack`, position });
    };
    const type = textOf(decl.Type);
    const items = type === 'CommaDelimitedList' || type?.startsWith('List<') ? value.split(',').map((v) => (type === 'CommaDelimitedList' ? v.trim() : v)) : [value];
    if (type === 'Number' || type === 'List<Number>') {
      if (items.some((v) => !DECIMAL.test(v))) {
        fail('is not a number');
        continue;
      }
      // Without a bound, NaN: no comparison with it holds.
      const min = Number(textOf(decl.MinValue));
      const max = Number(textOf(decl.MaxValue));
      if (items.some((v) => Number(v) < min)) fail('is below its MinValue');
      if (items.some((v) => Number(v) > max)) fail('is above its MaxValue');
    }
    if (Array.isArray(decl.AllowedValues)) {
      const allowed = new Set(decl.AllowedValues.map(textOf));
      if (items.some((v) => !allowed.has(v))) fail('is not one of its AllowedValues');
    }
    const pattern = textOf(decl.AllowedPattern);
    if (pattern !== undefined) {
      const java = javaOnly(pattern);
      const re = java ? undefined : safePattern(pattern);
      if (!re) notes.push(`parameter '${n}': its AllowedPattern was not checked (${java ? 'Java syntax that JavaScript reads otherwise' : 'a pattern that could take too long to run'})`);
      else if (items.some((v) => !re.test(v))) fail('does not match its AllowedPattern');
    }
    if (value.length < Number(textOf(decl.MinLength))) fail('is shorter than its MinLength');
    if (value.length > Number(textOf(decl.MaxLength))) fail('is longer than its MaxLength');
  }
  return { problems, notes };
}

/**
 * Every Fn::FindInMap (in resources CloudFormation would create, outputs and branches it would take)
 * whose keys are literal or given parameter values, at least one given, must find its entry.
 */
export function checkFindInMap(
  root: Record<string, unknown>,
  given: ReadonlyMap<string, string>,
  conditions: Conditions | undefined,
  sourceMap: SourceMap,
): ParameterProblem[] {
  const problems: ParameterProblem[] = [];
  const mappings = root.Mappings;
  const declared = isRecord(root.Parameters) ? root.Parameters : {};
  const key = (arg: unknown): { text: string; from?: string } | undefined => {
    if (typeof arg === 'string') return { text: arg };
    const fn = intrinsicOf(arg);
    if (fn && fn[0] === 'Ref' && typeof fn[1] === 'string') {
      const name = fn[1];
      const value = given.get(name);
      const decl = declared[name];
      const type = isRecord(decl) ? decl.Type : undefined;
      if (value !== undefined && value !== PREVIOUS_VALUE && (Object.prototype.hasOwnProperty.call(declared, name) || name.startsWith('AWS::')) && !/List/.test(String(type)) && !isSsmParameterType(type)) {
        return { text: value, from: name };
      }
    }
    return undefined;
  };
  let visited = 0;
  const walk = (value: unknown, depth: number): void => {
    if (depth > 100 || ++visited > 1_000_000 || problems.length > 0) return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    const fn = intrinsicOf(value);
    if (fn && fn[0] === 'Fn::If' && Array.isArray(fn[1]) && fn[1].length === 3 && typeof fn[1][0] === 'string') {
      const decided = conditions?.value(fn[1][0]);
      if (decided !== false) walk(fn[1][1], depth + 1);
      if (decided !== true) walk(fn[1][2], depth + 1);
      return;
    }
    if (fn && fn[0] === 'Fn::FindInMap' && Array.isArray(fn[1]) && fn[1].length === 3) {
      const [m, k1, k2] = fn[1].map(key);
      // Checked when a key comes from a given value: the culprit named below.
      if (m && k1 && k2 && isRecord(mappings)) {
        const table = Object.prototype.hasOwnProperty.call(mappings, m.text) ? mappings[m.text] : undefined;
        const row = isRecord(table) && Object.prototype.hasOwnProperty.call(table, k1.text) ? table[k1.text] : undefined;
        const missing = !isRecord(table) ? m : !isRecord(row) ? k1 : !Object.prototype.hasOwnProperty.call(row, k2.text) ? k2 : undefined;
        const culprit = missing?.from ? missing : [m, k1, k2].find((k) => k.from);
        if (missing && culprit?.from) {
          const position = sourceMap.of(value);
          problems.push({
            // A key written in the template is not named: it is part of the property's value.
            message:
              missing === m && !m.from
                ? `Fn::FindInMap names mapping '${safeName(m.text, 128)}', which the template does not declare; CloudFormation would refuse the stack`
                : `Fn::FindInMap finds no entry in mapping '${m.from ? '(from a parameter)' : safeName(m.text, 128)}' for ${missing.from ? 'the value' : 'its key written in the template, with the value'} given to parameter '${safeName(culprit.from, 128)}'; CloudFormation would refuse the stack`,
            position,
          });
        }
      }
    }
    for (const v of Object.values(value)) walk(v, depth + 1);
  };
  if (isRecord(root.Resources)) {
    for (const resource of Object.values(root.Resources)) {
      if (isRecord(resource) && typeof resource.Condition === 'string' && conditions?.value(resource.Condition) === false) continue;
      walk(resource, 0);
    }
  }
  if (isRecord(root.Outputs)) {
    for (const output of Object.values(root.Outputs)) {
      if (isRecord(output) && typeof output.Condition === 'string' && conditions?.value(output.Condition) === false) continue;
      walk(output, 0);
    }
  }
  return problems;
}
