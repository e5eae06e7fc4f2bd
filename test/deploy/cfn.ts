/**
 * Test helpers for the deploy/ templates: YAML with CloudFormation's short-form tags, and a small
 * evaluator of the intrinsic functions they use, so tests can render what CloudFormation would
 * (e.g. the type configuration JSON) for given parameter values.
 */
import { readFileSync } from 'node:fs';
import { parse, YAMLMap, type Tags } from 'yaml';

const SCALAR_TAGS: Record<string, string> = { Ref: 'Ref', Sub: 'Fn::Sub', GetAtt: 'Fn::GetAtt', Condition: 'Condition' };
const SEQ_TAGS: Record<string, string> = {
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  GetAtt: 'Fn::GetAtt',
};

const customTags: Tags = [
  ...Object.entries(SCALAR_TAGS).map(([tag, fn]) => ({
    tag: `!${tag}`,
    resolve: (value: string) => ({ [fn]: fn === 'Fn::GetAtt' ? value.split('.') : value }),
  })),
  ...Object.entries(SEQ_TAGS).map(([tag, fn]) => ({
    tag: `!${tag}`,
    collection: 'seq' as const,
    resolve: (value: unknown) => {
      const map = new YAMLMap();
      map.set(fn, value);
      return map;
    },
  })),
];

export type Template = {
  Parameters: Record<string, { Type: string; Default?: string | number; AllowedValues?: unknown[]; AllowedPattern?: string }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string | string[] }>;
  Outputs?: Record<string, { Value: unknown }>;
};

export function loadTemplate(path: string): Template {
  return parse(readFileSync(path, 'utf8'), { customTags }) as Template;
}

/** What `Ref: AWS::NoValue` evaluates to: removed from the enclosing object or list. */
export const NO_VALUE = Symbol('AWS::NoValue');

export const PSEUDO: Record<string, string> = {
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::StackName': 'test-stack',
};

export interface Rendering {
  readonly template: Template;
  readonly params: Record<string, string | string[]>;
  readonly conditions: Record<string, boolean>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKey(node: Record<string, unknown>): string | undefined {
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0] : undefined;
}

/** Parameter values as CloudFormation sees them: defaults filled in, CommaDelimitedList split. */
export function withParameters(template: Template, given: Record<string, string>): Rendering {
  const params: Record<string, string | string[]> = {};
  for (const [name, decl] of Object.entries(template.Parameters)) {
    const raw = name in given ? given[name]! : decl.Default === undefined ? undefined : String(decl.Default);
    if (raw === undefined) throw new Error(`parameter ${name} has no default and no value`);
    params[name] = decl.Type === 'CommaDelimitedList' ? raw.split(',') : raw;
  }
  for (const name of Object.keys(given)) {
    if (!(name in template.Parameters)) throw new Error(`unknown parameter ${name}`);
  }
  const rendering: Rendering = { template, params, conditions: {} };
  for (const [name, expr] of Object.entries(template.Conditions ?? {})) {
    rendering.conditions[name] = evaluate(expr, rendering) as boolean;
  }
  return rendering;
}

function ref(name: string, r: Rendering): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in PSEUDO) return PSEUDO[name];
  if (name in r.params) return r.params[name];
  if (name in r.template.Resources) return `{Ref ${name}}`;
  throw new Error(`Ref to unknown ${name}`);
}

function sub(text: string, vars: Record<string, unknown>, r: Rendering): string {
  return text.replace(/\$\{([^}]+)\}/g, (_all, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in vars) return String(vars[name]);
    if (name.includes('.')) return `{GetAtt ${name}}`;
    const value = ref(name, r);
    if (Array.isArray(value)) throw new Error(`Fn::Sub of list parameter ${name}`);
    return String(value);
  });
}

/** Evaluates intrinsic functions and conditions; resources' attributes become placeholders. */
export function evaluate(node: unknown, r: Rendering): unknown {
  if (Array.isArray(node)) return node.map((n) => evaluate(n, r)).filter((v) => v !== NO_VALUE);
  if (!isRecord(node)) return node;
  const fn = onlyKey(node);
  const arg = fn === undefined ? undefined : node[fn];
  switch (fn) {
    case 'Ref':
      return ref(arg as string, r);
    case 'Condition':
      if (!(arg as string in r.conditions)) throw new Error(`condition ${String(arg)} used before it is defined`);
      return r.conditions[arg as string];
    case 'Fn::GetAtt':
      return `{GetAtt ${(arg as string[]).join('.')}}`;
    case 'Fn::Join': {
      const [delimiter, list] = arg as [string, unknown];
      return (evaluate(list, r) as unknown[]).map(String).join(delimiter);
    }
    case 'Fn::Sub': {
      if (typeof arg === 'string') return sub(arg, {}, r);
      const [text, vars] = arg as [string, Record<string, unknown>];
      return sub(text, evaluate(vars, r) as Record<string, unknown>, r);
    }
    case 'Fn::If': {
      const [condition, yes, no] = arg as [string, unknown, unknown];
      if (!(condition in r.conditions)) throw new Error(`unknown condition ${condition}`);
      return evaluate(r.conditions[condition] ? yes : no, r);
    }
    case 'Fn::Equals': {
      const [a, b] = (arg as unknown[]).map((x) => evaluate(x, r));
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::And':
      return (arg as unknown[]).every((x) => evaluate(x, r) === true);
    case 'Fn::Or':
      return (arg as unknown[]).some((x) => evaluate(x, r) === true);
    case 'Fn::Not':
      return evaluate((arg as unknown[])[0], r) !== true;
    case 'Fn::Select': {
      const [index, list] = arg as [number | string, unknown];
      return (evaluate(list, r) as unknown[])[Number(index)];
    }
    case 'Fn::Split': {
      const [delimiter, text] = arg as [string, unknown];
      return String(evaluate(text, r)).split(delimiter);
    }
    default: {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        const v = evaluate(value, r);
        if (v !== NO_VALUE) out[key] = v;
      }
      return out;
    }
  }
}
