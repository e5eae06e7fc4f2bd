import { LIMITS } from '../../src/template/limits';
import { type ParsedTemplate, parseTemplateText } from '../../src/template/parse';

// JSON templates: values from JSON.parse, positions from one scan of the text (json-source-map.ts),
// errors placed by json-error.ts.

function readJson(text: string, name = 't.json'): ParsedTemplate {
  const r = parseTemplateText(text, name);
  if (!r.ok) throw new Error(`not read: ${r.message}`);
  expect(r.format).toBe('json');
  return r;
}

const at = (line: number, column: number) => ({ line, column });

describe('positions in a JSON template', () => {
  const text = [
    '{',
    '  "Resources": {',
    '    "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {',
    '      "ContainerDefinitions": [',
    '        {"Name": "a,b:c{d}[e]", "ReadonlyRootFilesystem": true},',
    '        {"Name": "q\\"}]", "ReadonlyRootFilesystem": false, "Cpu": 256, "Memory": null},',
    '\t\t{"Name": "\\u0041", "Links": ["x", 1, true, null, [2], {"k": -1.5e3}, "y"]}',
    '      ],',
    '      "Volumes": [], "Tags": {}',
    '    }}',
    '  },',
    '  "A\\"B": 1, "\\u0043": [ 3 , 4 ], "D": {"E": {"F": [[{"G": 0}]]}}',
    '}',
  ].join('\n');
  const parsed = readJson(text);
  const root = parsed.root as Record<string, any>;
  const map = parsed.sourceMap;
  const props = root.Resources.Task.Properties;
  const list = props.ContainerDefinitions;

  it('reads the values as JSON.parse does', () => {
    expect(root).toStrictEqual(JSON.parse(text));
  });

  /** Where `needle` (unique in the text, or its `nth` occurrence) starts, plus `shift` characters. */
  const where = (needle: string, shift = 0, nth = 0): { line: number; column: number } => {
    let offset = -1;
    for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`not in the text: ${needle}`);
    offset += shift;
    const before = text.slice(0, offset).split('\n');
    return at(before.length, before[before.length - 1]!.length + 1);
  };

  it('places every object and array where it opens', () => {
    expect(map.of(root)).toEqual(at(1, 1));
    expect(map.of(root.Resources)).toEqual(where('{\n    "Task"'));
    expect(map.of(root.Resources.Task)).toEqual(where('{"Type"'));
    expect(map.of(props)).toEqual(where('{\n      "Cont'));
    expect(map.of(list)).toEqual(where('[\n        {"Name"'));
    expect(map.of(list[0])).toEqual(where('{"Name": "a,b'));
    expect(map.of(list[1])).toEqual(where('{"Name": "q'));
    expect(map.of(list[2])).toEqual(at(7, 3));
    expect(map.of(list[2].Links)).toEqual(where('["x"'));
    expect(map.of(list[2].Links[4])).toEqual(where('[2]'));
    expect(map.of(list[2].Links[5])).toEqual(where('{"k"'));
    expect(map.of(props.Volumes)).toEqual(where('[], "Tags"'));
    expect(map.of(props.Tags)).toEqual(where('{}\n'));
    expect(map.of(root.C)).toEqual(where('[ 3'));
    expect(map.of(root.D.E.F[0][0])).toEqual(where('{"G"'));
  });

  it('places every key where its quote opens, escaped keys included', () => {
    expect(map.child(root, 'Resources')).toEqual(at(2, 3));
    expect(map.child(root.Resources.Task, 'Type')).toEqual(where('"Type"'));
    expect(map.child(list[0], 'Name')).toEqual(where('"Name": "a,b'));
    expect(map.child(list[0], 'a,b:c{d}[e]')).toBeUndefined();
    expect(map.child(root.Resources.Task, 'Properties')).toEqual(where('"Properties"'));
    expect(map.child(list[0], 'ReadonlyRootFilesystem')).toEqual(where('"ReadonlyRootFilesystem"'));
    expect(map.child(list[1], 'ReadonlyRootFilesystem')).toEqual(where('"ReadonlyRootFilesystem"', 0, 1));
    expect(map.child(list[1], 'Cpu')).toEqual(where('"Cpu"'));
    expect(map.child(list[1], 'Memory')).toEqual(where('"Memory"'));
    expect(map.child(list[2], 'Links')).toEqual(where('"Links"'));
    expect(map.child(props, 'Tags')).toEqual(where('"Tags"'));
    expect(map.child(root, 'A"B')).toEqual(where('"A\\"B"'));
    expect(map.child(root, 'C')).toEqual(where('"\\u0043"'));
    expect(map.child(root, 'D')).toEqual(where('"D"'));
    expect(map.child(root.D.E.F[0][0], 'G')).toEqual(where('"G"'));
  });

  it('places every item of an array, whatever its type', () => {
    expect(map.child(list, 0)).toEqual(where('{"Name": "a,b'));
    expect(map.child(list, 2)).toEqual(at(7, 3));
    const links = list[2].Links;
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => map.child(links, i))).toEqual([
      where('"x"'),
      where('1, true'),
      where('true, null'),
      where('null, [2]'),
      where('[2]'),
      where('{"k"'),
      where('"y"'),
    ]);
    expect(map.child(root.C, 0)).toEqual(where('3 ,'));
    expect(map.child(root.C, '1')).toEqual(where('4 ]'));
  });

  it('answers nothing for what is not in the text, and keeps positions set later', () => {
    expect(map.child(list, 3)).toBeUndefined();
    expect(map.child(list[0], 'Image')).toBeUndefined();
    expect(map.child(root.C, 2)).toBeUndefined();
    expect(map.child(props.Volumes, 0)).toBeUndefined();
    expect(map.of({})).toBeUndefined();
    expect(map.of('Resources')).toBeUndefined();
    expect(map.of(null)).toBeUndefined();
    expect(map.child({}, 'a')).toBeUndefined();
    expect(map.child(null, 'a')).toBeUndefined();
    expect(map.child('text', 0)).toBeUndefined();
    const renamed = {};
    map.setChild(renamed, 'X', at(9, 9));
    expect(map.child(renamed, 'X')).toEqual(at(9, 9));
    map.setChild(list, 0, at(8, 8));
    expect(map.child(list, 0)).toEqual(at(8, 8));
    map.set(renamed, at(7, 7));
    expect(map.of(renamed)).toEqual(at(7, 7));
    map.set(renamed, at(6, 6));
    expect(map.of(renamed)).toEqual(at(7, 7));
  });
});

describe('positions in compact JSON', () => {
  it('numbers, literals and strings ended by a comma, a bracket, a brace or any space', () => {
    const text = '{"a":[1,-2.5e+3,true,false,null,"s",{"b":0}],"c":{"d":7},"e":[8\t,9\r\n],"f":{"g":[]},"h":1}';
    const r = readJson(text);
    const root = r.root as Record<string, any>;
    expect(root).toStrictEqual(JSON.parse(text));
    const col = (needle: string): { line: number; column: number } => {
      const before = text.slice(0, text.indexOf(needle)).split('\n');
      return at(before.length, before[before.length - 1]!.length + 1);
    };
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => r.sourceMap.child(root.a, i))).toEqual([col('1,'), col('-2.5'), col('true'), col('false'), col('null'), col('"s"'), col('{"b"')]);
    expect(r.sourceMap.child(root.a[6], 'b')).toEqual(col('"b"'));
    expect(r.sourceMap.child(root, 'c')).toEqual(col('"c"'));
    expect(r.sourceMap.child(root.c, 'd')).toEqual(col('"d"'));
    expect(r.sourceMap.child(root, 'e')).toEqual(col('"e"'));
    expect(r.sourceMap.child(root.e, 1)).toEqual(col('9'));
    expect(r.sourceMap.child(root, 'f')).toEqual(col('"f"'));
    expect(r.sourceMap.of(root.f.g)).toEqual(col('[]'));
    expect(r.sourceMap.child(root, 'h')).toEqual(col('"h"'));
  });
});

describe('positions of look-alike paths and of a bare value', () => {
  it('a key that is two keys run together is its own place', () => {
    const text = '{"ab": [1], "a": {"b": [2]}}';
    const r = readJson(text);
    const root = r.root as Record<string, any>;
    expect(r.sourceMap.of(root.ab)).toEqual(at(1, 8));
    expect(r.sourceMap.of(root.a.b)).toEqual(at(1, 24));
    expect(r.sourceMap.child(root.a.b, 0)).toEqual(at(1, 25));
    expect(r.sourceMap.child(root, 'ab')).toEqual(at(1, 2));
  });

  it.each([['"just a string"'], ['42'], ['true'], ['null']])('a .json file holding only %s reads as that value', (text) => {
    const r = readJson(text);
    expect(r.root).toStrictEqual(JSON.parse(text));
    expect(r.sourceMap.of(r.root)).toBeUndefined();
  });

  it('blank lines before the document count as lines', () => {
    const r = readJson('\n\r\n  {"a": [1]}');
    expect(r.sourceMap.of(r.root)).toEqual(at(3, 3));
    expect(r.sourceMap.child((r.root as any).a, 0)).toEqual(at(3, 10));
  });

  it('a line break between items is space, not an item', () => {
    const r = readJson('[8\r\n,\r\n9, {"k":\r\n"v"}]');
    expect(r.sourceMap.child(r.root, 1)).toEqual(at(3, 1));
    expect(r.sourceMap.child(r.root, 2)).toEqual(at(3, 4));
    expect(r.sourceMap.child(r.root, 3)).toBeUndefined();
  });
});

describe('JSON that JSON.parse reads but a template must not have', () => {
  it.each([
    ['{"a": 1, "a": 2}', "duplicate mapping key 'a'", 1, 10],
    // Deeper than a resource's attributes a key may be data: only its position is given.
    ['{"x": {"k": [1, {"b": 1,\n  "b": 2}]}}', 'duplicate mapping key', 2, 3],
    ['{"Resources": {"T": {"Properties": {"Command": {"SECRET-CANARY-123": 1, "SECRET-CANARY-123": 2}}}}}', 'duplicate mapping key', 1, 73],
    ['{"Resources": {"T": {"Type": "A", "Type": "B"}}}', "duplicate mapping key 'Type'", 1, 35],
    ['{"a": 1, "\\u0061": 2}', "duplicate mapping key 'a'", 1, 10],
    ['[{"a": 1}, {"a": 2, "c": {"a": 3}, "a": 4}]', "duplicate mapping key 'a'", 1, 36],
  ])('a duplicate key in %j', (text, message, line, column) => {
    expect(parseTemplateText(text, 't.json')).toEqual({ ok: false, message, position: at(line, column) });
    // Whatever the file's name: the text is JSON.
    expect(parseTemplateText(text, 't.yaml')).toEqual({ ok: false, message, position: at(line, column) });
  });

  it('a value equal to a later key is a value', () => {
    const r = readJson('{"Name": "Image", "Image": "Name", "List": ["List"]}');
    expect(r.root).toStrictEqual({ Name: 'Image', Image: 'Name', List: ['List'] });
    expect(r.sourceMap.child(r.root, 'Image')).toEqual(at(1, 19));
  });

  it('keys equal in other objects or only after escapes differ are fine', () => {
    const r = readJson('{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}], "a\\"": 4, "\\\\a": 5}');
    expect(Object.keys(r.root as object)).toEqual(['a', 'b', 'a"', '\\a']);
    expect(r.sourceMap.child(r.root, 'a"')).toEqual(at(1, 44));
    expect(r.sourceMap.child(r.root, '\\a')).toEqual(at(1, 54));
  });

  it('nesting to the limit is read, deeper is refused where it goes too deep', () => {
    const nested = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(readJson(nested(LIMITS.maxDepth)).root).toStrictEqual(JSON.parse(nested(LIMITS.maxDepth)));
    expect(parseTemplateText(nested(LIMITS.maxDepth + 1), 't.json')).toEqual({
      ok: false,
      message: `nesting deeper than ${LIMITS.maxDepth} levels`,
      position: at(1, LIMITS.maxDepth + 1),
    });
    const objects = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const deep = readJson(objects(LIMITS.maxDepth));
    let v = deep.root as any;
    for (let i = 1; i < LIMITS.maxDepth; i++) v = v.a;
    expect(deep.sourceMap.of(v)).toEqual(at(1, 5 * (LIMITS.maxDepth - 1) + 1));
    expect(deep.sourceMap.child(v, 'a')).toEqual(at(1, 5 * (LIMITS.maxDepth - 1) + 2));
    expect(parseTemplateText(objects(LIMITS.maxDepth + 1), 't.json')).toMatchObject({ ok: false, message: `nesting deeper than ${LIMITS.maxDepth} levels` });
  });
});

describe('which reader a text gets', () => {
  it.each([
    ['x.json', true],
    ['X.JSON', true],
    ['x.Json', true],
    ['x.json.yaml', false],
    ['json', false],
    ['x.yaml', false],
    ['', false],
  ])('a file named %j must be JSON: %s', (name, mustBeJson) => {
    const r = parseTemplateText('a: 1\n', name);
    if (mustBeJson) expect(r).toEqual({ ok: false, message: 'invalid JSON: unexpected character', position: at(1, 1) });
    else expect(r).toMatchObject({ ok: true, format: 'yaml', root: { a: 1 } });
  });

  it.each([
    ['{"a": 1}', 'json'],
    ['  \n\t[1, 2]', 'json'],
    ['{a: 1}', 'yaml'],
    ['a: {"b": 1}', 'yaml'],
    ['# {"a": 1}\nb: 2', 'yaml'],
  ])('%j is read as %s', (text, format) => {
    const r = parseTemplateText(text, 'template');
    expect(r.ok && r.format).toBe(format);
  });

  it('a JSON-looking text that neither JSON nor YAML reads gets the JSON error, placed', () => {
    expect(parseTemplateText('{"a": [1, 2}', 'template')).toEqual({ ok: false, message: "invalid JSON: expected ',' or ']'", position: at(1, 12) });
    expect(parseTemplateText('[1, 2\n', 'template')).toEqual({ ok: false, message: 'invalid JSON: unexpected end of input', position: at(2, 1) });
  });

  it('a YAML error in text that does not look like JSON is the YAML one', () => {
    expect(parseTemplateText('a: [1, 2\n', 'template')).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid YAML: /) });
  });
});
