/**
 * Evaluates the intrinsic functions CloudFormation would evaluate before a hook sees a resource, as
 * far as a template alone allows: Fn::If by a given choice of condition values, Ref to AWS::NoValue
 * and to parameters, Fn::FindInMap, Fn::Sub, Fn::Join, Fn::Select, Fn::Split. Whatever needs the
 * deployed account (resources, imports, pseudo parameters, SSM) becomes an Unresolved marker that
 * says what is missing.
 */
import type { Conditions } from './conditions';
import { LIMITS } from './limits';
import { safeName } from '../policy/text';
import { PREVIOUS_VALUE } from './parameters';

export type UnresolvedKind = 'parameter' | 'previous-value' | 'ssm-parameter' | 'pseudo' | 'malformed' | 'resource' | 'intrinsic' | 'dynamic' | 'loop' | 'conditions';

/** A value only known at deploy time. The policy core sees it as an object, i.e. not `true`. */
export class Unresolved {
  constructor(
    readonly kind: UnresolvedKind,
    readonly name: string,
  ) {}

  /** What the user can do about it; names only, never a value. */
  describe(): string {
    const n = safeName(this.name, 128);
    switch (this.kind) {
      case 'parameter':
        return `parameter '${n}' has no value: pass --parameter ${n}=VALUE or a parameter file`;
      case 'previous-value':
        return `parameter '${n}' keeps the stack's previous value (UsePreviousValue), which only the deployed stack knows`;
      case 'ssm-parameter':
        return `parameter '${n}' is read from SSM Parameter Store at deploy time`;
      case 'pseudo':
        return (GIVEN_PSEUDO_PARAMETERS as readonly string[]).includes(this.name)
          ? `${n} is only known at deploy time: pass --parameter ${n}=VALUE to decide it`
          : `${n} is only known at deploy time`;
      case 'resource':
        return `Ref to resource '${n}' is only known at deploy time`;
      case 'intrinsic':
        return `${n} cannot be evaluated before deployment`;
      case 'malformed':
        return `${n} is malformed, which CloudFormation refuses`;
      case 'dynamic':
        return 'a dynamic reference ({{resolve:...}}) is only resolved at deploy time';
      case 'loop':
        return `Fn::ForEach identifier '${n}' ranges over values known only at deploy time`;
      case 'conditions':
        return `${n} conditions decide the containers, more than the ${LIMITS.maxConditions} whose every combination is judged`;
    }
  }
}

/** What `Ref: AWS::NoValue` stands for: the entry is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type NoValue = typeof NO_VALUE;

export type ParameterValue = string | string[] | Unresolved;

export interface TemplateScope {
  readonly parameters: ReadonlyMap<string, ParameterValue>;
  readonly mappings: unknown;
  /** Fn::ForEach identifiers in scope. */
  readonly loop: ReadonlyMap<string, string | Unresolved>;
  /** The template's Conditions, when they are evaluated (parameter values given). */
  readonly conditions?: Conditions;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unresolved);
}

/** `{Ref: x}` or `{"Fn::X": ...}`: an object with a single intrinsic key. */
export function intrinsicOf(value: unknown): [string, unknown] | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === 'Ref' || key.startsWith('Fn::') ? [key, value[key]] : undefined;
}

function isDynamicReference(value: string): boolean {
  return value.startsWith('{{resolve:') && value.endsWith('}}');
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The pseudo parameters a value may be given for (`--parameter AWS::Region=eu-west-1`). */
export const GIVEN_PSEUDO_PARAMETERS = ['AWS::Region', 'AWS::AccountId', 'AWS::Partition'] as const;

/** A parameter whose value is an SSM parameter's name: CloudFormation reads the value at deploy time. */
export function isSsmParameterType(type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('AWS::SSM::Parameter::Value<');
}

/** A declared parameter's Default as text (a list's items joined by commas), or undefined when it has none that is text. */
function defaultText(decl: unknown): string | undefined {
  const fallback = isRecord(decl) ? decl.Default : undefined;
  return scalarText(fallback) ?? (Array.isArray(fallback) && fallback.every((x) => scalarText(x) !== undefined) ? fallback.map(scalarText).join(',') : undefined);
}

/** Parameter values from the template's Parameters, overridden by those given; given pseudo parameters too. */
export function parameterValues(declared: unknown, given: ReadonlyMap<string, string>): Map<string, ParameterValue> {
  const out = new Map<string, ParameterValue>();
  for (const pseudo of GIVEN_PSEUDO_PARAMETERS) {
    const v = given.get(pseudo);
    if (v !== undefined) out.set(pseudo, v);
  }
  if (!isRecord(declared)) return out;
  for (const [name, decl] of Object.entries(declared)) {
    // No Type (or one that is not text) reads as String: neither SSM nor a list.
    const type = isRecord(decl) && typeof decl.Type === 'string' ? decl.Type : undefined;
    if (isSsmParameterType(type)) {
      out.set(name, new Unresolved('ssm-parameter', name));
      continue;
    }
    if (given.get(name) === PREVIOUS_VALUE) {
      out.set(name, new Unresolved('previous-value', name));
      continue;
    }
    const raw = given.get(name) ?? defaultText(decl);
    if (raw === undefined) out.set(name, new Unresolved('parameter', name));
    // CloudFormation trims the spaces around each item of a CommaDelimitedList (the List<...> types take none).
    else if (type === 'CommaDelimitedList') out.set(name, raw.split(',').map((item) => item.trim()));
    else out.set(name, type?.startsWith('List<') ? raw.split(',') : raw);
  }
  return out;
}

/** What stands for a NoEcho parameter's value wherever it would be printed, as CloudFormation shows it. */
const NO_ECHO_MASK = '****';

/**
 * A function that hides the values of the template's NoEcho parameters (given, else Default, and
 * each item of a list) in a text about to be printed: a container name or a logical id made from
 * one (`!Sub app-${DbPassword}`, a Fn::ForEach over a NoEcho list). Undefined when there is none.
 */
export function noEchoMask(declared: unknown, given: ReadonlyMap<string, string>): ((text: string) => string) | undefined {
  if (!isRecord(declared)) return undefined;
  const secrets = new Set<string>();
  for (const [name, decl] of Object.entries(declared)) {
    if (!isRecord(decl) || String(decl.NoEcho).toLowerCase() !== 'true') continue;
    const value = given.get(name) ?? defaultText(decl);
    if (value === undefined || value === PREVIOUS_VALUE) continue;
    secrets.add(value);
    for (const item of value.split(',')) secrets.add(item.trim()).add(item);
  }
  secrets.delete('');
  if (secrets.size === 0) return undefined;
  // Longest first: a value that holds another is hidden whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((t, secret) => t.split(secret).join(NO_ECHO_MASK), text);
}

/** Resolves values under one choice of condition values (a condition not chosen takes its true branch). */
export class Resolver {
  constructor(
    private readonly scope: TemplateScope,
    private readonly choices: ReadonlyMap<string, boolean>,
  ) {}

  /**
   * Follows Fn::If and other intrinsics at the top of `value` only, recording the conditions it
   * consults in `used`; the mapping or list it arrives at is returned as it stands in the template.
   */
  unwrap(value: unknown, used: Set<string>, depth = 0): unknown {
    // At most 64 Fn::If followed, as decidingConditions follows them.
    for (let hops = 0; hops <= 64; hops++) {
      if (typeof value === 'string') return isDynamicReference(value) ? new Unresolved('dynamic', '') : value;
      const fn = intrinsicOf(value);
      if (!fn) return value;
      const [name, arg] = fn;
      if (name === 'Fn::If') {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return new Unresolved('malformed', 'Fn::If (a condition name and two values)');
        used.add(arg[0]);
        value = (this.choices.get(arg[0]) ?? this.scope.conditions?.value(arg[0]) ?? true) ? arg[1] : arg[2];
        continue;
      }
      if (name === 'Ref' && arg === 'AWS::NoValue') return NO_VALUE;
      return this.intrinsic(name, arg, used, depth);
    }
    return new Unresolved('intrinsic', 'Fn::If');
  }

  /** Resolves every intrinsic in `value`; entries standing for AWS::NoValue are removed. */
  resolve(value: unknown, used: Set<string>, depth = 0): unknown {
    // Checked before any intrinsic is evaluated: an Fn::FindInMap whose entry refers to itself
    // (Mappings are not evaluated by CloudFormation, but are read here) must end.
    if (depth > LIMITS.maxDepth) return new Unresolved('intrinsic', 'nesting');
    const v = this.unwrap(value, used, depth);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) {
        const r = this.resolve(item, used, depth + 1);
        if (r !== NO_VALUE) out.push(r);
      }
      return out;
    }
    if (isRecord(v)) {
      const out: [string, unknown][] = [];
      for (const [k, item] of Object.entries(v)) {
        const r = this.resolve(item, used, depth + 1);
        if (r !== NO_VALUE) out.push([k, r]);
      }
      // fromEntries defines each key as an own entry: a "__proto__" key stays an ordinary key.
      return Object.fromEntries(out);
    }
    return v;
  }

  private text(value: unknown, used: Set<string>, depth: number): string | Unresolved {
    const r = this.resolve(value, used, depth + 1);
    if (r instanceof Unresolved) return r;
    return scalarText(r) ?? new Unresolved('intrinsic', 'a non-text argument');
  }

  private ref(name: string): unknown {
    const loop = this.scope.loop.get(name);
    if (loop !== undefined) return loop;
    const param = this.scope.parameters.get(name);
    if (param !== undefined) return param;
    if (name.startsWith('AWS::')) return new Unresolved('pseudo', name);
    return new Unresolved('resource', name);
  }

  private intrinsic(name: string, arg: unknown, used: Set<string>, depth: number): unknown {
    const args = Array.isArray(arg) ? arg : [];
    switch (name) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg) : new Unresolved('malformed', 'Ref (a name)');
      case 'Fn::FindInMap': {
        const keys = args.slice(0, 3).map((a) => this.text(a, used, depth));
        const missing = keys.find((k) => k instanceof Unresolved);
        if (missing || keys.length < 3) return missing ?? new Unresolved('intrinsic', name);
        const [m, k1, k2] = keys as string[];
        const table = isRecord(this.scope.mappings) ? this.scope.mappings[m!] : undefined;
        const row = isRecord(table) ? table[k1!] : undefined;
        if (isRecord(row) && Object.prototype.hasOwnProperty.call(row, k2!)) return this.resolve(row[k2!], used, depth + 1);
        const fallback = args[3];
        if (isRecord(fallback) && 'DefaultValue' in fallback) return this.resolve(fallback.DefaultValue, used, depth + 1);
        return new Unresolved('intrinsic', name);
      }
      case 'Fn::Sub': {
        const [template, vars] = typeof arg === 'string' ? [arg, {}] : [args[0], args[1]];
        if (typeof template !== 'string') return new Unresolved('intrinsic', name);
        let missing: Unresolved | undefined;
        const out = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
          if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
          const v =
            isRecord(vars) && Object.prototype.hasOwnProperty.call(vars, inner)
              ? this.text(vars[inner], used, depth)
              : inner.includes('.')
                ? new Unresolved('intrinsic', 'Fn::GetAtt')
                : this.refText(inner);
          if (v instanceof Unresolved) {
            missing ??= v;
            return whole;
          }
          return v;
        });
        return missing ?? (isDynamicReference(out) ? new Unresolved('dynamic', '') : out);
      }
      case 'Fn::Join': {
        const list = this.resolve(args[1], used, depth + 1);
        const delimiter = args[0];
        if (list instanceof Unresolved) return list;
        if (typeof delimiter !== 'string' || !Array.isArray(list)) return new Unresolved('intrinsic', name);
        // The first part that is not text decides: deploy-time, or not joinable (a list, a mapping).
        const parts: string[] = [];
        for (const p of list) {
          if (p instanceof Unresolved) return p;
          const t = scalarText(p);
          if (t === undefined) return new Unresolved('intrinsic', name);
          parts.push(t);
        }
        return parts.join(delimiter);
      }
      case 'Fn::Select': {
        const index = this.text(args[0], used, depth);
        const list = this.resolve(args[1], used, depth + 1);
        if (index instanceof Unresolved) return index;
        if (list instanceof Unresolved) return list;
        const i = Number(index);
        return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? list[i] : new Unresolved('intrinsic', name);
      }
      case 'Fn::Split': {
        const source = this.text(args[1], used, depth);
        if (source instanceof Unresolved) return source;
        return typeof args[0] === 'string' && args[0] !== '' ? source.split(args[0]) : new Unresolved('intrinsic', name);
      }
      default:
        return new Unresolved('intrinsic', name);
    }
  }

  private refText(name: string): string | Unresolved {
    const v = this.ref(name);
    if (v instanceof Unresolved) return v;
    if (typeof v === 'string') return v;
    return new Unresolved('intrinsic', 'a list in Fn::Sub');
  }
}

/** The condition and branches of a well-formed Fn::If (the resolver treats any other as unresolved). */
export function ifOf(value: unknown): [string, unknown, unknown] | undefined {
  const fn = intrinsicOf(value);
  if (!fn || fn[0] !== 'Fn::If') return undefined;
  const arg = fn[1];
  return Array.isArray(arg) && arg.length === 3 && typeof arg[0] === 'string' ? [arg[0], arg[1], arg[2]] : undefined;
}

/**
 * The conditions of the Fn::If functions that decide what the policy reads: around Properties,
 * ContainerDefinitions, each entry and RuntimePlatform, and anywhere inside each entry's Name, Image
 * and ReadonlyRootFilesystem, RuntimePlatform.OperatingSystemFamily, or any other intrinsic standing
 * for one of those (e.g. `!Select [0, !If [C, ["true"], ["false"]]]`). Others take their true branch:
 * they cannot change a verdict. `fields` leaves Name or Image out: without exemptions to match, they
 * change what a container is called or runs, never whether it passes.
 */
export function decidingConditions(properties: unknown, fields: { readonly name: boolean; readonly image: boolean } = { name: true, image: true }): string[] {
  const found = new Set<string>();
  // Every Fn::If in a value the resolver evaluates whole. The reader nests no deeper than
  // LIMITS.maxDepth, and past it the resolver answers unresolved: the bound only guards API callers.
  const within = (value: unknown, depth = 0, hops = 0): void => {
    if (depth > LIMITS.maxDepth || typeof value !== 'object' || value === null) return;
    const branches = ifOf(value);
    if (branches) {
      // At most 64 Fn::If followed in a row, as Resolver.unwrap follows them.
      if (hops >= 64) return;
      found.add(branches[0]);
      within(branches[1], depth + 1, hops + 1);
      within(branches[2], depth + 1, hops + 1);
      return;
    }
    // A malformed Fn::If is unresolved whatever its arguments.
    if (intrinsicOf(value)?.[0] === 'Fn::If') return;
    for (const item of Array.isArray(value) ? value : Object.values(value)) within(item, depth + 1);
  };
  // A mapping or list the policy looks into: Fn::If at its top is followed, any other intrinsic is evaluated whole.
  const through = (value: unknown, inner: (v: unknown) => void, hops = 0): void => {
    const branches = ifOf(value);
    if (branches) {
      if (hops >= 64) return;
      found.add(branches[0]);
      through(branches[1], inner, hops + 1);
      through(branches[2], inner, hops + 1);
      return;
    }
    if (intrinsicOf(value)) within(value);
    else inner(value);
  };
  through(properties, (p) => {
    if (!isRecord(p)) return;
    through(p.ContainerDefinitions, (list) => {
      if (!Array.isArray(list)) return;
      for (const entry of list) {
        through(entry, (e) => {
          if (!isRecord(e)) return;
          if (fields.name) within(e.Name);
          if (fields.image) within(e.Image);
          within(e.ReadonlyRootFilesystem);
        });
      }
    });
    through(p.RuntimePlatform, (rp) => {
      if (isRecord(rp)) within(rp.OperatingSystemFamily);
    });
  });
  return [...found];
}

/** Every assignment of true/false to `conditions` (one empty assignment when there are none). */
export function* scenarios(conditions: readonly string[]): Generator<Map<string, boolean>> {
  const n = conditions.length;
  for (let bits = 0; bits < 2 ** n; bits++) {
    // bits = 0 first: every condition true, the branch a template reads first.
    yield new Map(conditions.map((c, i) => [c, (bits & (1 << i)) === 0]));
  }
}
