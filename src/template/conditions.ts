/**
 * The template's `Conditions`, evaluated as CloudFormation would for one set of parameter values:
 * `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`, with `Ref` to parameters and to the
 * pseudo parameters given. What depends on a value not known before deployment stays undecided
 * (`undefined`): both branches of an `Fn::If` on it are then judged.
 */
import { isRecord, intrinsicOf, Resolver, type TemplateScope, Unresolved } from './resolve';

const MAX_DEPTH = 64;

export class Conditions {
  private readonly memo = new Map<string, boolean | undefined>();
  private readonly resolver: Resolver;

  /**
   * `useParameters`: whether `Ref` to a declared parameter takes its value (given or Default). When
   * no parameter value was given, only what the template fixes by itself is decided (e.g. one
   * condition the negation of another).
   */
  constructor(
    private readonly definitions: unknown,
    scope: TemplateScope,
    useParameters: boolean,
  ) {
    const parameters = useParameters ? scope.parameters : new Map([...scope.parameters].filter(([name]) => name.startsWith('AWS::')));
    this.resolver = new Resolver({ ...scope, parameters, loop: new Map() }, new Map());
  }

  /** Whether the template declares the condition. */
  has(name: string): boolean {
    return isRecord(this.definitions) && Object.prototype.hasOwnProperty.call(this.definitions, name);
  }

  /** The condition's value when the known values decide it. */
  value(name: string): boolean | undefined {
    if (this.memo.has(name)) return this.memo.get(name);
    this.memo.set(name, undefined); // a cycle decides nothing
    // No `seen` needed: the memo already answers undefined for a condition under evaluation.
    const v = this.evaluate(this.definition(name), undefined, new Set(), 0);
    this.memo.set(name, v);
    return v;
  }

  /**
   * Whether a combination of condition values can happen: no condition of it evaluates, given the
   * others, to the opposite of the value assumed (e.g. `IsProd` and `IsNotProd: !Not [Condition: IsProd]`
   * both true cannot).
   */
  consistent(assumed: ReadonlyMap<string, boolean>): boolean {
    for (const [name, value] of assumed) {
      const v = this.evaluate(this.definition(name), assumed, new Set([name]), 0);
      if (v !== undefined && v !== value) return false;
    }
    return true;
  }

  private definition(name: string): unknown {
    return this.has(name) ? (this.definitions as Record<string, unknown>)[name] : undefined;
  }

  private condition(name: unknown, assumed: ReadonlyMap<string, boolean> | undefined, seen: Set<string>, depth: number): boolean | undefined {
    if (typeof name !== 'string' || !this.has(name) || seen.has(name)) return undefined;
    const a = assumed?.get(name);
    if (a !== undefined) return a;
    if (!assumed) return this.value(name);
    return this.evaluate(this.definition(name), assumed, new Set(seen).add(name), depth + 1);
  }

  private evaluate(expr: unknown, assumed: ReadonlyMap<string, boolean> | undefined, seen: Set<string>, depth: number): boolean | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (typeof expr === 'boolean') return expr;
    if (typeof expr === 'string' && /^(true|false)$/i.test(expr)) return expr.toLowerCase() === 'true';
    if (isRecord(expr) && Object.keys(expr).length === 1 && 'Condition' in expr) return this.condition(expr.Condition, assumed, seen, depth);
    const fn = intrinsicOf(expr);
    if (!fn) return undefined;
    const [name, args] = fn;
    if (!Array.isArray(args)) return undefined;
    switch (name) {
      case 'Fn::Not': {
        const v = this.evaluate(args[0], assumed, seen, depth + 1);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const wanted = name === 'Fn::Or';
        let open = false;
        for (const a of args) {
          const v = this.evaluate(a, assumed, seen, depth + 1);
          if (v === wanted) return wanted;
          if (v === undefined) open = true;
        }
        return open || args.length === 0 ? undefined : !wanted;
      }
      case 'Fn::Equals': {
        if (args.length !== 2) return undefined;
        const [a, b] = args.map((x) => comparable(this.resolver.resolve(x, new Set())));
        return a === undefined || b === undefined ? undefined : a === b;
      }
    }
    return undefined;
  }
}

/**
 * CloudFormation compares the text of scalars (`1` equals `"1"`), other values as a whole.
 * `undefined` when the value holds something only known at deployment.
 */
function comparable(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return `s:${String(value)}`;
  let open = false;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Unresolved) open = true;
    return v;
  });
  return open ? undefined : `j:${json}`;
}
