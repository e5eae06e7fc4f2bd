/**
 * CloudFormation's YAML short forms (`!Ref`, `!GetAtt`, `!If`...) as yaml custom tags, each read
 * into its long form (`{Ref: x}`, `{"Fn::GetAtt": [a, b]}`, `{"Fn::If": [...]}`) so the rest of
 * the reader sees one shape. Collection forms stay yaml nodes, keeping every position.
 */
import { Pair, Scalar, YAMLMap, type CollectionTag, type ScalarTag, type YAMLSeq } from 'yaml';

/** Short forms named `!X` that stand for `Fn::X`. */
export const FN_SHORT_FORMS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'ForEach',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
] as const;

/** A short form's long name: `Ref` and `Condition` keep theirs, `X` stands for `Fn::X`. */
export function longName(short: string): string {
  return short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;
}

/** What a short form on a scalar stands for, by its long name. */
export function scalarValue(name: string, source: string): unknown {
  if (name !== 'Fn::GetAtt') return source;
  // `!GetAtt Resource.Attribute.Part`: the logical id ends at the first dot.
  const dot = source.indexOf('.');
  return dot < 0 ? [source] : [source.slice(0, dot), source.slice(dot + 1)];
}

function wrap(name: string, collection: YAMLMap | YAMLSeq): YAMLMap {
  const key = new Scalar(name);
  key.range = collection.range;
  const map = new YAMLMap();
  map.items.push(new Pair(key, collection));
  return map;
}

function tagsFor(short: string): (ScalarTag | CollectionTag)[] {
  const name = longName(short);
  const tag = `!${short}`;
  return [
    { tag, resolve: (source: string) => ({ [name]: scalarValue(name, source) }) },
    { tag, collection: 'seq', resolve: (seq) => wrap(name, seq as YAMLSeq) },
    { tag, collection: 'map', resolve: (map) => wrap(name, map as YAMLMap) },
  ];
}

/**
 * YAML 1.1's booleans, which CloudFormation's reader keeps (an unquoted `yes` or `off` reaches the hook
 * as "true" or "false": aws/aws-cli#5257), in YAML 1.2's place. `y` and `n` are left strings, as
 * YAML 1.1 readers resolving implicitly (SnakeYAML, PyYAML) leave them.
 */
export const YAML11_BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The value of a plain scalar YAML11_BOOLEAN matches. */
export function yaml11Boolean(source: string): boolean {
  const first = source[0];
  return first === 't' || first === 'T' || first === 'y' || first === 'Y' || source.toLowerCase() === 'on';
}

const YAML11_BOOLEAN_TAG: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: YAML11_BOOLEAN,
  resolve: yaml11Boolean,
};

export const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = [...['Ref', 'Condition', ...FN_SHORT_FORMS].flatMap(tagsFor), YAML11_BOOLEAN_TAG];
