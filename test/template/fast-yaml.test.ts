import fc from 'fast-check';
import { readYamlFast } from '../../src/template/fast-yaml';
import { LIMITS } from '../../src/template/limits';
import { type ParsedTemplate, parseTemplateText } from '../../src/template/parse';
import type { SourceMap } from '../../src/template/source-map';
import { FN_SHORT_FORMS } from '../../src/template/tags';

// The fast reader's contract: a plain template (no anchors or aliases, no explicit tags, no flow
// collection or quoted text over several lines, no null keys, no empty tagged node, nesting within the limit) is read here, with the very values and
// positions the full reader gives; anything else is left to the full reader (undefined).

/** Every mapping and sequence with its position, and every key and item with its own, by path. */
function positions(root: unknown, map: SourceMap): string[] {
  const out: string[] = [];
  const visit = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null) return;
    out.push(`${path} @${JSON.stringify(map.of(v))}`);
    for (const [k, child] of Object.entries(v)) {
      out.push(`${path}/${k} :${JSON.stringify(map.child(v, Array.isArray(v) ? Number(k) : k))}`);
      visit(child, `${path}/${k}`);
    }
  };
  visit(root, '');
  return out;
}

function fastAndFull(text: string): { fast: { root: unknown; sourceMap: SourceMap }; full: ParsedTemplate } {
  const full = parseTemplateText(text, 't.yaml', { fullReader: true });
  if (!full.ok) throw new Error(`the full reader refused the text: ${full.message}`);
  const fast = readYamlFast(text);
  expect(fast).toBeDefined();
  return { fast: fast!, full };
}

function expectSameAsFull(text: string): { root: unknown; sourceMap: SourceMap } {
  const { fast, full } = fastAndFull(text);
  expect(fast.root).toStrictEqual(full.root);
  expect(positions(fast.root, fast.sourceMap)).toEqual(positions(full.root, full.sourceMap));
  return fast;
}

const SHORT_FORMS = ['Ref', 'Condition', ...FN_SHORT_FORMS];
const long = (short: string): string => (short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`);

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
# A comment before a key
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not
    - !Condition IsProd
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub '\${AWS::StackName}-web'
      ExecutionRoleArn: !GetAtt Role.Arn
      TaskRoleArn: !GetAtt
        - Role
        - Arn
      Include: !Transform
        Name: AWS::Include
        Parameters: {Location: 's3://bucket/*'}
      ContainerDefinitions:
        - Name: app
          Image: !Join ['', [public.ecr.aws/, !Ref Repo]]
          ReadonlyRootFilesystem: !If [IsProd, true, !Ref 'AWS::NoValue']
          Command: |
            block text
            on two lines
        -   # a comment before the item
          Name: sidecar
          ReadonlyRootFilesystem: true
        - !If
          - IsProd
          - {Name: extra, ReadonlyRootFilesystem: false}
          - !Ref AWS::NoValue
Outputs:
  Arn: {Value: !GetAtt [Task, TaskDefinitionArn]}
`;

describe('readYamlFast reads a plain template as the full reader does', () => {
  it('a task definition with short forms in every shape: same values, same position of every node, key and item', () => {
    const fast = expectSameAsFull(TEMPLATE);
    const props = (fast.root as any).Resources.Task.Properties;
    expect(props.ExecutionRoleArn).toStrictEqual({ 'Fn::GetAtt': ['Role', 'Arn'] });
    expect(props.TaskRoleArn).toStrictEqual({ 'Fn::GetAtt': ['Role', 'Arn'] });
    expect(props.Include).toStrictEqual({ 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/*' } } });
    expect(props.ContainerDefinitions[0].ReadonlyRootFilesystem).toStrictEqual({ 'Fn::If': ['IsProd', true, { Ref: 'AWS::NoValue' }] });
    expect(props.ContainerDefinitions[2]).toStrictEqual({ 'Fn::If': ['IsProd', { Name: 'extra', ReadonlyRootFilesystem: false }, { Ref: 'AWS::NoValue' }] });
    // A tagged node is where its value starts, after the tag; so is its tag's key and, for !GetAtt, each part.
    expect(fast.sourceMap.of(props.ExecutionRoleArn)).toEqual({ line: 14, column: 33 });
    expect(fast.sourceMap.child(props.ExecutionRoleArn, 'Fn::GetAtt')).toEqual({ line: 14, column: 33 });
    expect(fast.sourceMap.child(props.ExecutionRoleArn['Fn::GetAtt'], 1)).toEqual({ line: 14, column: 33 });
    expect(fast.sourceMap.of(props.TaskRoleArn)).toEqual({ line: 16, column: 9 });
    expect(fast.sourceMap.child(props.TaskRoleArn['Fn::GetAtt'], 1)).toEqual({ line: 17, column: 11 });
    const list = props.ContainerDefinitions;
    expect(fast.sourceMap.child(list, 1)).toEqual({ line: 29, column: 11 });
    expect(fast.sourceMap.of(list[2])).toEqual({ line: 32, column: 11 });
    expect(fast.sourceMap.child(list[2], 'Fn::If')).toEqual({ line: 32, column: 11 });
    expect(fast.sourceMap.child(list[2]['Fn::If'], 1)).toEqual({ line: 33, column: 13 });
    expect(fast.sourceMap.child(list[0].ReadonlyRootFilesystem['Fn::If'], 2)).toEqual({ line: 24, column: 59 });
  });

  it.each(SHORT_FORMS)('!%s on a scalar, a flow and a block sequence, a flow and a block mapping, nested and empty', (short) => {
    const text = [
      `Scalar: !${short} value`,
      `Quoted: !${short} 'a.b'`,
      `Flow: !${short} [a, !${short} b]`,
      `Block: !${short}`,
      '  - a',
      `  - !${short} {k: v}`,
      `FlowMap: !${short} {k: !${short} [v]}`,
      `BlockMap: !${short}`,
      '  k: v',
      `  j: !${short} w`,
      `EmptySeq: !${short} []`,
      `EmptyMap: !${short} {}`,
      `InSeq: [!${short} x, !${short} [y], !${short} {z: 1}]`,
      '',
    ].join('\n');
    const fast = expectSameAsFull(text);
    const name = long(short);
    const root = fast.root as Record<string, any>;
    expect(root.Scalar).toStrictEqual({ [name]: short === 'GetAtt' ? ['value'] : 'value' });
    expect(root.Quoted).toStrictEqual({ [name]: short === 'GetAtt' ? ['a', 'b'] : 'a.b' });
    expect(root.Flow).toStrictEqual({ [name]: ['a', { [name]: short === 'GetAtt' ? ['b'] : 'b' }] });
    expect(root.EmptySeq).toStrictEqual({ [name]: [] });
    // A tagged scalar's value is a string (or !GetAtt's parts): no position of its own.
    expect(fast.sourceMap.of(root.Scalar[name])).toEqual(short === 'GetAtt' ? { line: 1, column: 11 + short.length } : undefined);
    expect(fast.sourceMap.child(root.Scalar[name], 0)).toEqual(short === 'GetAtt' ? { line: 1, column: 11 + short.length } : undefined);
    expect(root.EmptyMap).toStrictEqual({ [name]: {} });
    expect(root.BlockMap).toStrictEqual({ [name]: { k: 'v', j: { [name]: short === 'GetAtt' ? ['w'] : 'w' } } });
    expect(fast.sourceMap.of(root.Block)).toEqual({ line: 5, column: 3 });
    expect(fast.sourceMap.child(root.BlockMap[name], 'j')).toEqual({ line: 10, column: 3 });
    expect(fast.sourceMap.child(root.InSeq, 2)).toEqual({ line: 13, column: text.split('\n')[12]!.lastIndexOf('{') + 1 });
  });

  it.each([
    ['Role.Arn', ['Role', 'Arn']],
    ['Db.Endpoint.Address', ['Db', 'Endpoint.Address']],
    ['Role', ['Role']],
    ['.Arn', ['', 'Arn']],
    ['Role.', ['Role', '']],
    ['""', ['']],
    ["'~'", ['~']],
  ])('!GetAtt %s: the logical id ends at the first dot', (value, parts) => {
    const fast = expectSameAsFull(`A: !GetAtt ${value}\nB: 1\n`);
    expect(fast.root).toStrictEqual({ A: { 'Fn::GetAtt': parts }, B: 1 });
    const att = (fast.root as any).A['Fn::GetAtt'];
    expect(fast.sourceMap.of(att)).toEqual({ line: 1, column: 12 });
    parts.forEach((_, i) => expect(fast.sourceMap.child(att, i)).toEqual({ line: 1, column: 12 }));
    expect(fast.sourceMap.child(att, parts.length)).toBeUndefined();
  });

  it.each([
    ['!Ref ~', { Ref: '~' }],
    ['!Ref null', { Ref: 'null' }],
    ["!Ref ''", { Ref: '' }],
    ['!Sub ""', { 'Fn::Sub': '' }],
    ['!Ref 12', { Ref: '12' }],
    ['!Condition true', { Condition: 'true' }],
  ])('a tag on a null-looking, empty or typed scalar keeps its text: %s', (value, expected) => {
    expect(expectSameAsFull(`A: ${value}\n`).root).toStrictEqual({ A: expected });
  });

  it('long forms written out are mappings like any other, whatever their keys', () => {
    const fast = expectSameAsFull(
      [
        'A: {Ref: x}',
        'B: {"Fn::GetAtt": [R, Arn]}',
        'C:',
        '  Fn::If:',
        '    - c',
        '    - {Ref: y}',
        '    - 2',
        'D: {Ref: x, Other: 1}',
        'E: {Other: 1, Ref: x}',
        'F: {Fn::Sub: [a, {b: c}]}',
        'G: {Ref: [x]}',
        'H: {Condition: {k: v}}',
        'I: {Fn::Join: []}',
        'J: {Ref: }',
        '',
      ].join('\n'),
    );
    const root = fast.root as Record<string, any>;
    expect(root.D).toStrictEqual({ Ref: 'x', Other: 1 });
    expect(root.J).toStrictEqual({ Ref: null });
    expect(fast.sourceMap.child(root.E, 'Other')).toEqual({ line: 9, column: 5 });
    expect(fast.sourceMap.child(root.E, 'Ref')).toEqual({ line: 9, column: 15 });
    expect(fast.sourceMap.child(root.C['Fn::If'], 1)).toEqual({ line: 6, column: 7 });
  });

  it.each([
    ['sequences in sequences', '- - - 1\n  - - [2]\n'],
    ['single entries all the way down', 'a:\n  a:\n    a: [[x]]\nb: {b: {b: [b]}}\n'],
    ['flow mappings as block items', '- {y: 1}\n- {y: 1}\n-\n  - {z: [1]}\n'],
    ['equal values in separate nodes', 'a: {x: 1}\nb: {x: 1}\nc: [1, 1]\nd: [1, 1]\ne: x\nf: x\n'],
    ['empty collections', 'a: {}\nb: []\nc: [{}, []]\nd: {e: {}}\n'],
    ['comments and blank lines before keys and items', 'a:\n\n  # one\n  b: 1   # two\n  c:\n    -\n      # three\n      d\n    -    e\n'],
    ['keys that are not strings', "1: one\ntrue: yes\n'quoted': 2\n\"double\": 3\n2.5: x\n"],
    ['scalars of every type', 'a: 1\nb: -2.5\nc: true\nd: ~\ne: 0x1F\nf: .inf\ng: "x\\ty"\nh: >-\n  folded\n  text\ni: 2001-12-14\n'],
    ['a document start', '---\na: 1\n'],
    ['a sequence at the root', '- a\n- b: 1\n'],
    ['CRLF line ends', 'a:\r\n  b: 1\r\n  c: [1, 2]\r\n'],
    ['stars that are not aliases', "Resource: ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/*']\nAction: s3:*\nSame: {k: '*'}\nAlso: {k: '*'}\n"],
    ['a mapping with many keys', Array.from({ length: 40 }, (_, i) => `K${i}: {V: ${i}}`).join('\n')],
    ['a flow mapping over two lines', 'a: {b: 1,\n c: 2}\n'],
    ['a quoted text over two lines', 'a: "x\n y"\n'],
    ['a single-quoted text over two lines, under a short form', "a: !Sub 'x\n\n y'\n"],
    ['a flow mapping over lines as an item, closed one space in', 'x:\n  - {b: 1,\n     c: [2,\n\n     3]\n  }\n'],
    ['a flow sequence at the root over two lines', '[1,\n 2]\n'],
    ['an item over two lines indented past its dash', 'x:\n  - [1,\n   2]\n'],
    ['a JSON policy document', 'P:\n  Doc:\n    {\n      "Statement": [{\n          "Effect": "Allow",\n          "Action": [ "s3:Get" ]\n      }]\n    }\n  Next: 1\n'],
    ['a JSON policy document after a key, closed at the key', 'P:\n  Doc: {\n    "Version": "2012-10-17",\n    "Statement": []\n  }\n'],
    ['an explicit value over lines', '? a\n: [1,\n 2]\n'],
    ['exclamation marks in text', "a: 'Hello!!'\nb: 'x!<y'\nc: \"Congratulations!</h2>\"\n"],
    ['tabs inside a line', 'a: [1,\t2]\nb: {c: 1,\n  d:\t2}\n'],
    ['tabs before values, keys and items', 'a:\tb\nc: {d:\t1}\ne:\t{f: 1}\ng: [\t1, {\th: 2}]\ni:\t[1]\n'],
    ['per cents, at the start of a text too', 'a: 100%\nb: "%x"\n'],
    ['a flow sequence over lines that ends the text without a line break', 'a: [1,\n 2]'],
    ['a flow sequence with an empty CRLF line inside', 'a: [1,\r\n\r\n 2]\r\n'],
    ['a flow sequence under a key that starts with a dash, closed at the margin', '-a: [\n]\n'],
    ['a flow sequence in nested items, indented past the inner dash', '  - - [ # c\n     1]\n'],
  ])('%s', (_, text) => {
    expectSameAsFull(text);
  });

  it.each([
    ['an empty text', ''],
    ['only a comment', '# nothing here\n'],
    ['a null', '~\n'],
    ['a document start only', '---\n'],
  ])('%s is a null root', (_, text) => {
    expect(expectSameAsFull(text).root).toBeNull();
  });

  it('a null root with a star in a comment is still null', () => {
    expect(expectSameAsFull('~  # arn:aws:s3:::bucket/*\n').root).toBeNull();
    expect(expectSameAsFull('# arn:aws:s3:::bucket/*\n').root).toBeNull();
  });

  it('a scalar root is the scalar, with no positions', () => {
    expect(expectSameAsFull('hello *\n').root).toBe('hello *');
    expect(expectSameAsFull('42').root).toBe(42);
  });

  it('treats a __proto__ key as data, at any depth, and never as the prototype', () => {
    const fast = expectSameAsFull('__proto__:\n  polluted: true\nA:\n  __proto__: !Ref x\n  B: [{__proto__: 1}]\n');
    const root = fast.root as Record<string, any>;
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
    expect(Object.keys(root)).toEqual(['__proto__', 'A']);
    expect(Object.getOwnPropertyDescriptor(root, '__proto__')?.value).toStrictEqual({ polluted: true });
    expect(Object.getOwnPropertyDescriptor(root.A, '__proto__')?.value).toStrictEqual({ Ref: 'x' });
    expect(fast.sourceMap.child(root.A, '__proto__')).toEqual({ line: 4, column: 3 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads nesting up to just under the limit, and leaves deeper nesting to the full reader', () => {
    const flow = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
    expectSameAsFull(flow(LIMITS.maxDepth - 1));
    const block = (n: number): string => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`;
    expectSameAsFull(block(LIMITS.maxDepth - 1));
    expect(readYamlFast(flow(LIMITS.maxDepth))).toBeUndefined();
    expect(readYamlFast(block(LIMITS.maxDepth))).toBeUndefined();
    expect(readYamlFast(flow(LIMITS.maxDepth + 1))).toBeUndefined();
  });

  it('answers positions for what it read only', () => {
    const fast = expectSameAsFull('a: {b: [1], c: ~, d: !Ref x}\n');
    const root = fast.root as Record<string, any>;
    expect(root.a.c).toBeNull();
    expect(fast.sourceMap.of({})).toBeUndefined();
    expect(fast.sourceMap.child(root.a, 'undefined')).toBeUndefined();
    expect(fast.sourceMap.child(root.a.b, 'undefined')).toBeUndefined();
    expect(fast.sourceMap.of(root.a.d.Ref)).toBeUndefined();
    expect(fast.sourceMap.of('a')).toBeUndefined();
    expect(fast.sourceMap.of(null)).toBeUndefined();
    expect(fast.sourceMap.child({}, 'a')).toBeUndefined();
    expect(fast.sourceMap.child('a', 'length')).toBeUndefined();
    expect(fast.sourceMap.child(root.a, 'e')).toBeUndefined();
    expect(fast.sourceMap.child(root.a.b, 1)).toBeUndefined();
    expect(fast.sourceMap.child(root.a.b, '0')).toEqual({ line: 1, column: 9 });
    // Positions set later win over the text's.
    fast.sourceMap.setChild(root.a, 'b', { line: 9, column: 9 });
    expect(fast.sourceMap.child(root.a, 'b')).toEqual({ line: 9, column: 9 });
    fast.sourceMap.set(root.a, { line: 8, column: 8 });
    expect(fast.sourceMap.of(root.a)).toEqual({ line: 1, column: 4 });
  });
});

describe('readYamlFast leaves to the full reader what it could answer differently', () => {
  it.each([
    ['an alias to a mapping', 'a: &x {k: 1}\nb: *x\n'],
    ['scalar aliases', 'a: &x 1\nb: *x\nc: [*x, 2]\nd: [*x]\n'],
    ['an anchor on a block mapping (placed at its first key by the full reader)', 'a: &x\n  b: 1\n'],
    ['an anchor on a flow mapping', 'a: &x {b: 1}\n'],
    ['an anchor on a block sequence', 'a: &x\n  - 1\n'],
    ['an anchor on an item', '- &x 1\n- 2\n'],
    ['an anchor on a key', 'a:\n  &k b: 1\n'],
    ['an anchor on the root', '--- &r\na: 1\n'],
    ['an anchor after a short form', 'a: !If &x [c, 1, 2]\n'],
    ['an anchor before a short form', 'a: &x !If [c, 1, 2]\n'],
    ['an explicit tag on a mapping', 'a: !!map\n  b: 1\n'],
    ['an explicit tag after a flow indicator', 'a: [1,!!str 2]\n'],
    ['an explicit tag on a flow sequence', 'a: !!seq [1]\n'],
    ['an explicit tag on a key', '!!str a: 1\n'],
    ['a verbatim tag', 'a: !<tag:yaml.org,2002:map> {b: 1}\n'],
    ['a tag directive', '%TAG !e! tag:yaml.org,2002:\n---\na: !e!map {b: 1}\n'],
    ['a tab after the indentation', 'a: [1,\n   \t2]\n'],
    ['a flow sequence closed on the next line after a tab', 'a: [\n\t]\n'],
    // Read by the full reader, and left to it: the indentation rule below is kept simple, stricter
    // than the full reader's.
    ['a comment at the margin inside a flow sequence', 'a: [1,\n# c\n 2]\n'],
    ['a flow sequence at the root over two lines, at the margin', '[1,\n2]\n'],
    ['an alias to a sequence', 'a: &x [1]\nb: [*x]\n'],
    ['an alias inside a sequence to a mapping', '- &x {k: 1}\n- *x\n'],
    ['a null key', 'a: 1\n~: 2\n'],
    ['a null key spelt out', 'null: 1\n'],
    ['an empty tagged node', 'a: !Ref\nb: 1\n'],
    ['an empty !GetAtt', 'a: !GetAtt\n'],
    ['an empty tagged item', '- !Ref\n- 1\n'],
    ['an empty tagged node in a flow mapping', 'a: {k: !If , j: 1}\n'],
    ['a tag it does not know', 'a: !Nope x\n'],
    ['an empty item', '- a\n-\n- b\n'],
    ['an explicit key with no value', 'b: 1\n? a\nc: 2\n'],
    ['an empty item in a nested list', 'a:\n  - [1]\n  -\n  - {b: 2}\n'],
    ['a merge key on an inline mapping', 'a:\n  <<: {b: 1}\n  c: 2\n'],
    ['a merge key in a flow mapping', 'a: {<<: {b: 1}, c: 2}\n'],
    ['a merge key with a space before its colon', 'a:\n  << : {b: 1}\n'],
  ])('%s (the full reader reads it)', (_, text) => {
    expect(readYamlFast(text)).toBeUndefined();
    expect(parseTemplateText(text, 't.yaml').ok).toBe(true);
  });

  it('a short form that ends the text, with no line break after it', () => {
    for (const text of ['a: !Ref', 'a: [!GetAtt', '- !Sub']) {
      expect(readYamlFast(text)).toBeUndefined();
    }
    expect(parseTemplateText('a: !Ref', 't.yaml')).toMatchObject({ ok: true, root: { a: { Ref: '' } } });
    expect(parseTemplateText('a: 1\nb: !Ref x', 't.yaml')).toMatchObject({ ok: true, root: { a: 1, b: { Ref: 'x' } } });
  });

  it('an empty tagged node is the empty string to the full reader', () => {
    expect(parseTemplateText('a: !Ref\nb: !GetAtt\nc: [!If ]\n', 't.yaml')).toMatchObject({
      ok: true,
      root: { a: { Ref: '' }, b: { 'Fn::GetAtt': [''] }, c: [{ 'Fn::If': '' }] },
    });
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an alias to nothing', 'a: *x\n'],
    ['an alias to its own ancestor', 'a: &x\n  b: *x\n'],
    // js-yaml reads these; the full reader wants the lines of a flow collection or quoted text
    // indented past their block, in spaces.
    ['a tab as the indentation of a flow mapping', 'a: {b: 1,\n\tc: 2}\n'],
    ['a tab as the indentation of a flow sequence', 'a: [1,\n\t2]\n'],
    ['a flow mapping not indented past its block', 'a: {b: 1,\nc: 2}\n'],
    ['a flow mapping indented by a space and a tab', 'x:\n  a: {b: 1,\n \tc: 2}\n'],
    ['a flow sequence indented by tabs', 'x:\n  a: [1,\n\t\t2]\n'],
    ['an item over two lines indented to its dash', 'x:\n  - [1,\n  2]\n'],
    ['a flow mapping closed one space in, inside another', 'a: [{b: 1,\n}, 2]\n'],
    ['a quoted text indented by a tab', 'a: "x\n\ty"\n'],
    ['a single-quoted text indented by a tab', "a: 'x\n\ty'\n"],
    ['a quoted text under a short form not indented', 'a: !Sub "x\ny"\n'],
    ['a quoted text in nested items indented to the outer dash only', '- - "\n  "\n'],
    ['a flow sequence in an item of an explicit value, closed at the margin', '? x\n: - [\n]\n'],
    ['a quoted text at the margin, before one indented past it', '- "q\nr"\n- "q\n r"\n'],
    // js-yaml takes these; the full reader counts the tab as indentation.
    ['a tab after a dash, before a short form', '-\t!Ref x\n'],
    ['a space and a tab after nested dashes, before a short form', 'x:\n  - - \t!GetAtt a.b\n'],
    ['a tab after a dash in an explicit value, before a short form', '? x\n: -\t!Sub [1, 2]\n'],
  ])('%s (the full reader refuses it in its own words)', (_, text) => {
    expect(readYamlFast(text)).toBeUndefined();
    expect(parseTemplateText(text, 't.yaml').ok).toBe(false);
  });

  it.each([
    ['a sequence as a key', '[a]: 1\n', 1, 1],
    ['a mapping as a key', 'b: 2\n{a: 1}: x\n', 2, 1],
    ['an explicit key that is a sequence', 'b:\n  ? [a]\n  : 1\n', 2, 5],
    ['a sequence as a key in a flow mapping', 'b: {c: 1, [a]: 1}\n', 1, 11],
  ])('%s: refused where the key starts, as the full reader refuses it', (_, text, line, column) => {
    expect(readYamlFast(text)).toBeUndefined();
    expect(parseTemplateText(text, 't.yaml')).toEqual({ ok: false, message: 'a mapping key is not a plain value', position: { line, column } });
  });
});

describe('readYamlFast never answers differently from the full reader', () => {
  // Lines made of the pieces where the two parsers have disagreed: indentation in spaces and tabs
  // (a tab after a dash too), flow collections and quoted texts split over lines, anchors, aliases,
  // tags, comments.
  const indent = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('', '  ', '    ') },
    { weight: 1, arbitrary: fc.constantFrom(' ', '\t', ' \t', '  \t', '     ') },
  );
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('x', '1', '"q"', "'s'", '[1, 2]', '{a: 1}', '!Ref r', '!If [c, 1, 2]', '!GetAtt A.B', '', 'x # c') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('[', '{', '[1,', '{a: 1,', '"q', "'s", '2]', 'b: 2}', ']', '}', 'y"', "z'", '!Sub "s', '!!str x', '&a 1', '&b', '*a', '# c', '|', '- 1', '-', 'x\ty', '\tx'),
    },
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', '"k"', '- a', '- ') },
    { weight: 1, arbitrary: fc.constantFrom('? a', ':', '[k]', 'a\t', '-\t') },
  );
  const line = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(indent, key, value).map(([i, k, v]) => `${i}${k}${k.endsWith(' ') || k === ':' ? ' ' : k === '-\t' ? '' : ': '}${v}`),
    },
    { weight: 1, arbitrary: fc.tuple(indent, value).map(([i, v]) => `${i}${v}`) },
  );
  const text = fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => `${lines.join('\n')}\n`);

  it('what it reads, the full reader reads with the same values and positions', () => {
    let read = 0;
    fc.assert(
      fc.property(text, (t) => {
        const fast = readYamlFast(t);
        if (!fast) return;
        read++;
        const full = parseTemplateText(t, 't.yaml', { fullReader: true });
        expect(full.ok).toBe(true);
        if (!full.ok) return;
        expect(fast.root).toStrictEqual(full.root);
        expect(positions(fast.root, fast.sourceMap)).toEqual(positions(full.root, full.sourceMap));
      }),
      { numRuns: 10000, seed: 20261129 },
    );
    // The generator reaches texts the fast reader reads, not only ones it leaves.
    expect(read).toBeGreaterThan(1000);
  });
});
