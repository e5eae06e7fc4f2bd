import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { LIMITS, type ParsedTemplate, parseTemplateText, readTemplate, validateTemplate } from '../../src/template';
import { decodeTemplate } from '../../src/template/decode';
import { locateJsonError } from '../../src/template/json-error';
import { fixture } from './support';

describe('reading YAML with every short form', () => {
  const parsed = parseTemplateText(fixture('valid/all-tags.yaml').toString('utf8'));

  it('parses into the long forms', () => {
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const root = parsed.root as Record<string, any>;
    const props = root.Resources.TaggedTask.Properties;
    expect(root.Conditions.IsProd).toEqual({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] });
    expect(root.Conditions.NotProd).toEqual({ 'Fn::Not': [{ Condition: 'IsProd' }] });
    expect(root.Conditions.Both).toEqual({
      'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Or': [{ Condition: 'NotProd' }, { 'Fn::Equals': ['a', 'a'] }] }],
    });
    expect(props.Family).toEqual({ 'Fn::Sub': '${AWS::StackName}-tagged' });
    expect(props.Cpu).toEqual({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Cpu'] });
    expect(props.Memory).toEqual({ 'Fn::Select': [0, { 'Fn::Split': [',', '512,1024'] }] });
    expect(props.ExecutionRoleArn).toEqual({ 'Fn::GetAtt': ['Role', 'Arn'] });
    expect(props.TaskRoleArn).toEqual({ 'Fn::ImportValue': 'shared-task-role' });
    expect(props.Tags.map((t: { Value: unknown }) => t.Value)).toEqual([
      { 'Fn::Join': [',', { 'Fn::GetAZs': '' }] },
      { 'Fn::Select': [0, { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }] },
      { 'Fn::Base64': 'plain' },
      { 'Fn::Join': [',', { Ref: 'Subnets' }] },
      { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/x.yaml' } } },
    ]);
    expect(props.ContainerDefinitions[0].Image).toEqual({
      'Fn::Sub': ['${Repo}:latest', { Repo: 'public.ecr.aws/docker/library/nginx' }],
    });
    expect(props.ContainerDefinitions[0].ReadonlyRootFilesystem).toEqual({ 'Fn::If': ['IsProd', true, true] });
  });

  it('keeps the line and column of every mapping, key and item', () => {
    if (!parsed.ok) throw new Error('not parsed');
    const root = parsed.root as Record<string, any>;
    const resources = root.Resources;
    expect(parsed.sourceMap.child(resources, 'TaggedTask')).toEqual({ line: 19, column: 3 });
    const list = resources.TaggedTask.Properties.ContainerDefinitions;
    expect(parsed.sourceMap.child(list, 0)).toEqual({ line: 39, column: 11 });
    expect(parsed.sourceMap.of(list[0])).toEqual({ line: 39, column: 11 });
    expect(parsed.sourceMap.child(list[0], 'ReadonlyRootFilesystem')).toEqual({ line: 43, column: 11 });
    // A tagged collection keeps the position of the collection itself.
    expect(parsed.sourceMap.of(list[0].Image)).toEqual({ line: 41, column: 13 });
  });

  it('reads GetAtt with dots in the attribute name as CloudFormation does', () => {
    const r = parseTemplateText('A: !GetAtt Db.Endpoint.Address\nB: !GetAtt [Db, Port]\n');
    expect(r.ok && r.root).toEqual({ A: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }, B: { 'Fn::GetAtt': ['Db', 'Port'] } });
  });

  it('treats a __proto__ key as data', () => {
    const r = parseTemplateText('__proto__:\n  polluted: true\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.root)).toBe(Object.prototype);
    expect(Object.keys(r.root as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe.each([
  ['fast', false],
  ['full', true],
])('positions from the %s YAML reader', (_, fullReader) => {
  // The fast reader keeps them as text offsets, turned into lines and columns when asked for.
  const text = [
    'Resources:',
    ...Array.from({ length: 12 }, (_, i) => `  R${i}: {Type: T}`),
    'List:',
    '  - a',
    '  - !Ref b',
    '  -   # a comment before the item',
    '    c',
    "'1': one",
    '',
  ].join('\n');
  const parsed = parseTemplateText(text, '', { fullReader }) as ParsedTemplate;
  const root = parsed.root as Record<string, any>;

  it('finds any key of a large mapping, and nothing for a key it does not have', () => {
    expect(parsed.sourceMap.child(root.Resources, 'R0')).toEqual({ line: 2, column: 3 });
    expect(parsed.sourceMap.child(root.Resources, 'R11')).toEqual({ line: 13, column: 3 });
    expect(parsed.sourceMap.of(root.Resources.R11)).toEqual({ line: 13, column: 8 });
    expect(parsed.sourceMap.child(root.Resources, 'R12')).toBeUndefined();
    expect(parsed.sourceMap.child(root, 1)).toEqual({ line: 19, column: 1 });
  });

  it('finds a sequence item by its index as a number or as String writes it, and nothing else', () => {
    expect(parsed.sourceMap.of(root.List)).toEqual({ line: 15, column: 3 });
    expect(parsed.sourceMap.child(root.List, 0)).toEqual({ line: 15, column: 5 });
    expect(parsed.sourceMap.child(root.List, '1')).toEqual({ line: 16, column: 10 });
    expect(parsed.sourceMap.child(root.List, 2)).toEqual({ line: 18, column: 5 });
    expect(parsed.sourceMap.child(root.List, 3)).toBeUndefined();
    expect(parsed.sourceMap.child(root.List, '01')).toBeUndefined();
    expect(parsed.sourceMap.child(root.List, 'length')).toBeUndefined();
  });

  it('answers nothing for values it did not read, and keeps positions set later', () => {
    expect(parsed.sourceMap.of({})).toBeUndefined();
    expect(parsed.sourceMap.of('Resources')).toBeUndefined();
    expect(parsed.sourceMap.child({}, 'a')).toBeUndefined();
    expect(parsed.sourceMap.child(root.Resources.R0, 'Nope')).toBeUndefined();
    const renamed = {};
    parsed.sourceMap.setChild(renamed, 'X', { line: 9, column: 9 });
    expect(parsed.sourceMap.child(renamed, 'X')).toEqual({ line: 9, column: 9 });
    parsed.sourceMap.setChild(root.Resources, 'R0', { line: 7, column: 7 });
    expect(parsed.sourceMap.child(root.Resources, 'R0')).toEqual({ line: 7, column: 7 });
  });
});

describe('reading JSON', () => {
  it('reads JSON templates with positions (tabs count one column)', () => {
    const r = parseTemplateText(fixture('valid/noncompliant.json').toString('utf8'), 'x.json');
    expect(r.ok && r.format).toBe('json');
    if (!r.ok) return;
    const list = (r.root as any).Resources.JsonTask.Properties.ContainerDefinitions;
    expect(r.sourceMap.of(list[1])).toEqual({ line: 8, column: 6 });
    expect(r.sourceMap.child(list[1], 'ReadonlyRootFilesystem')).toEqual({ line: 8, column: 46 });
  });

  it('gives JSON syntax errors a line and column of their own wording', () => {
    expect(readTemplate(fixture('bad/invalid.json'), 'bad/invalid.json')).toEqual({
      ok: false,
      error: { message: 'invalid JSON: expected a property name in double quotes', line: 5, column: 5 },
    });
  });

  it.each([
    ['{"a": 1,}', 8, 'expected a property name in double quotes'],
    ['{"a" 1}', 5, "expected ':' after property name"],
    ['{"a": tru}', 6, 'unexpected character'],
    ['{"a": "x\n"}', 8, 'control character in string'],
    ['{"a": 1', 7, 'unexpected end of input'],
    ['[1, 2] x', 7, 'unexpected text after the JSON document'],
    ['{"a": "\\q"}', 7, 'bad escape in string'],
    ['{"a": [1 2]}', 9, "expected ',' or ']'"],
    ['{"a": -}', 6, 'invalid number'],
    ['[-a1]', 1, 'invalid number'],
    ['{"a\\q": 1}', 3, 'bad escape in string'],
    ['{"a": 1, "b\n": 2}', 11, 'control character in string'],
    ['{"a": -.5}', 6, 'invalid number'],
    ['{"a": "open', 6, 'unterminated string'],
    // Inputs YAML reads without complaint, so its parser cannot place them (see json-error.ts).
    ['[1, 2,]', 6, 'unexpected character'],
    ["{'a': 1}", 1, "expected a property name in double quotes or '}'"],
    ['{a: 1}', 1, "expected a property name in double quotes or '}'"],
    ['{1: 2}', 1, "expected a property name in double quotes or '}'"],
    ['{"a": 1 // c\n}', 8, "expected ',' or '}'"],
    ['{"a": 1 # c\n}', 8, "expected ',' or '}'"],
    ['[NaN]', 1, 'unexpected character'],
    ['[-Infinity]', 1, 'invalid number'],
    ['[01]', 2, "expected ',' or ']'"],
    ['[0x1F]', 2, "expected ',' or ']'"],
    ['["\\x41"]', 2, 'bad escape in string'],
    ['["a\tb"]', 3, 'control character in string'],
    ['\uFEFF{}', 0, 'unexpected character'],
    ['', 0, 'unexpected end of input'],
    ['  \n ', 4, 'unexpected end of input'],
    ['{"a"}', 4, "expected ':' after property name"],
    ['{"a": 1}\n...\n', 9, 'unexpected text after the JSON document'],
    // Inputs where YAML's position differs from JSON.parse's.
    ['{"a": 1 "b": 2}', 8, "expected ',' or '}'"],
    ['{\n  "a": 1\n  "b": 2\n}', 13, "expected ',' or '}'"],
    ['["\\u12G4"]', 2, 'bad \\u escape in string'],
    ['{"a": [1}', 8, "expected ',' or ']'"],
    ['[1,,2]', 3, 'unexpected character'],
    ['{"\u{1F600}": tru}', 7, 'unexpected character'],
  ])('locates the error in %j', (text, offset, message) => {
    expect(locateJsonError(text)).toEqual({ offset, message });
  });

  it('locates errors deep in the nesting and far along a line', () => {
    expect(locateJsonError(`${'['.repeat(500)}1 2${']'.repeat(500)}`)).toEqual({ offset: 502, message: "expected ',' or ']'" });
    expect(locateJsonError(`${'{"a":'.repeat(300)}1,}${'}'.repeat(299)}`)).toEqual({
      offset: 1502,
      message: 'expected a property name in double quotes',
    });
    expect(locateJsonError(`{"k": "${'x'.repeat(100_000)}", "b": tru}`)).toEqual({ offset: 100_015, message: 'unexpected character' });
  });

  it('finds nothing wrong in valid JSON', () => {
    expect(locateJsonError('{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n", {}], "b": {"c": []}}')).toBeUndefined();
    expect(locateJsonError('["\\ud800", "\\ud83d\\ude00", "\ud800", "\u007f\u2028"]')).toBeUndefined();
  });

  it('refuses exactly what JSON.parse refuses, and points inside the text', () => {
    const pieces = ['{', '}', '[', ']', ',', ':', ' ', '\n', '"', '"a"', '\\', '\\u', '\\u00e9', '1', '0', '-', '.', 'e', 'true', 'nul', "'", '/', '#', '\u0001', '\uFEFF'];
    const text = fc.oneof(
      fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join('')),
      fc.json().chain((json) => fc.tuple(fc.nat(json.length), fc.constantFrom(...pieces)).map(([at, piece]) => json.slice(0, at) + piece + json.slice(at))),
    );
    fc.assert(
      fc.property(text, (t) => {
        let valid = true;
        try {
          JSON.parse(t);
        } catch {
          valid = false;
        }
        const found = locateJsonError(t);
        expect(found === undefined).toBe(valid);
        if (found) expect(found.offset).toBeLessThanOrEqual(t.length);
      }),
      { numRuns: 5000, seed: 20261128 },
    );
  });

  it.each([
    ['{"a": 1,}', 'expected a property name in double quotes', 1, 9],
    ["{'a': 1}", "expected a property name in double quotes or '}'", 1, 2],
    ['{a: 1}', "expected a property name in double quotes or '}'", 1, 2],
    ['{"a": 1 # c\n}', "expected ',' or '}'", 1, 9],
    ['{"a": NaN}', 'unexpected character', 1, 7],
    ['{"a": 01}', "expected ',' or '}'", 1, 8],
    ['{"a"}', "expected ':' after property name", 1, 5],
    ['\uFEFF{"a": 1}', 'unexpected character', 1, 1],
    ['', 'unexpected end of input', 1, 1],
    ['{\n  "a": [\n    1,\n  ]\n}', 'unexpected character', 4, 3],
    ['{\r\n  "a": 1,\r\n  "b": tru\r\n}', 'unexpected character', 3, 8],
    ['{"a": 1]', "expected ',' or '}'", 1, 8],
    ['[1}', "expected ',' or ']'", 1, 3],
  ])('keeps a .json file as strict as JSON.parse where YAML would read it: %j', (text, message, line, column) => {
    expect(parseTemplateText(text, 'x.json')).toEqual({ ok: false, message: `invalid JSON: ${message}`, position: { line, column } });
  });

  it('places a JSON error by line and column when YAML cannot read the text either', () => {
    expect(parseTemplateText('{\n  "a": 1\n  "b": 2\n}')).toEqual({ ok: false, message: "invalid JSON: expected ',' or '}'", position: { line: 3, column: 3 } });
  });

  it('reads as JSON only text that starts like JSON or a name that ends in .json', () => {
    // A YAML scalar JSON.parse would accept is still YAML; .json inside a name is not its ending.
    expect(parseTemplateText('"text"\n', 'a.yaml')).toMatchObject({ ok: true, format: 'yaml', root: 'text' });
    expect(parseTemplateText('"text"\n', 'stack.json.yaml')).toMatchObject({ ok: true, format: 'yaml', root: 'text' });
    expect(parseTemplateText('{Resources: {}}\n', 'stack.json.yaml')).toMatchObject({ ok: true, format: 'yaml', root: { Resources: {} } });
    expect(parseTemplateText('Resources: {}\n', 'stack.JSON')).toMatchObject({ ok: false });
  });

  it('reads a .template file that is JSON-looking but YAML as YAML', () => {
    const r = parseTemplateText("{a: 1, b: 'two'}", 'x.template');
    expect(r.ok && r.root).toEqual({ a: 1, b: 'two' });
  });
});

describe('bad input is an error, never a crash', () => {
  it.each([
    ['bad/invalid.yaml', { message: 'invalid YAML: All mapping items must start at the same column', line: 8, column: 1 }],
    ['bad/alias-bomb.yaml', { message: `more than ${LIMITS.maxAliases} aliases`, line: 5, column: 29 }],
    ['bad/deep.yaml', { message: `nesting deeper than ${LIMITS.maxDepth} levels`, line: 2, column: 105 }],
    ['bad/binary.yaml', { message: 'binary file (NUL byte at offset 8), not a template' }],
    ['bad/latin1.yaml', { message: 'not valid UTF-8 text (invalid byte at offset 71)' }],
  ])('%s', (path, error) => {
    expect(validateTemplate(fixture(path), { fileName: path })).toEqual({ status: 'ERROR', error, resources: [] });
  });

  it('refuses a document whose aliases expand past the node limit', () => {
    // Few aliases, each expanding a large list: the node budget stops it.
    const big = `a: &a [${Array.from({ length: 5000 }, () => '1').join(',')}]\nb: [${Array.from({ length: 300 }, () => '*a').join(',')}]\n`;
    const r = validateTemplate(big);
    expect(r).toEqual({
      status: 'ERROR',
      error: { message: `more than ${LIMITS.maxNodes} values once aliases are expanded (an alias bomb?)`, line: 2, column: expect.any(Number) },
      resources: [],
    });
  });

  it('reads exactly as many aliases as the limit allows, and refuses the next at its place', () => {
    const aliases = (n: number) => `a: &a 1\nb: [${'*a,'.repeat(n - 1)}*a]\n`;
    const r = parseTemplateText(aliases(LIMITS.maxAliases)) as ParsedTemplate;
    expect(r.ok).toBe(true);
    expect((r.root as { b: unknown[] }).b).toEqual(Array.from({ length: LIMITS.maxAliases }, () => 1));
    // `b: [` then three characters per alias: the one past the limit starts at column 5 + 3 * limit.
    expect(parseTemplateText(aliases(LIMITS.maxAliases + 1))).toEqual({
      ok: false,
      message: `more than ${LIMITS.maxAliases} aliases`,
      position: { line: 2, column: 5 + 3 * LIMITS.maxAliases },
    });
  });

  it('reads exactly as many values as the node limit allows, and refuses the next at its place', () => {
    // The root (1), a's list (1 + 998), b's list (1) whose 998 aliases each count themselves and a's
    // list again (1000 each), and c's list (1 + n): 1,000,001 + n values.
    const items = (n: number) => Array.from({ length: n }, () => '1').join(',');
    const text = (n: number) => `a: &a [${items(998)}]\nb: [${Array.from({ length: 998 }, () => '*a').join(',')}]\nc: [${items(n)}]\n`;
    expect(LIMITS.maxNodes).toBe(1_000_000);
    const r = parseTemplateText(text(998)) as ParsedTemplate;
    expect(r.ok).toBe(true);
    expect((r.root as { c: unknown[] }).c).toHaveLength(998);
    // `c: [` then two characters per item: the 999th starts at column 5 + 2 * 998.
    expect(parseTemplateText(text(999))).toEqual({
      ok: false,
      message: `more than ${LIMITS.maxNodes} values once aliases are expanded (an alias bomb?)`,
      position: { line: 3, column: 5 + 2 * 998 },
    });
  });

  it('refuses an alias to its own ancestor and an alias to nothing', () => {
    expect(validateTemplate('a: &x\n  b: *x\n').error?.message).toBe('an alias refers to a collection that contains it');
    expect(validateTemplate('a: *nowhere\n').error).toEqual({ message: 'an alias refers to no anchor defined before it', line: 1, column: 4 });
  });

  it('takes for each alias the last anchor of its name before it, as the yaml package does', () => {
    const root = (text: string) => (parseTemplateText(text) as ParsedTemplate).root;
    // A name defined again: aliases before the second definition keep the first.
    expect(root('a: &x 1\nb: *x\nc: &x [2]\nd: *x\ne: { f: &x 3, g: *x }\n')).toEqual({ a: 1, b: 1, c: [2], d: [2], e: { f: 3, g: 3 } });
    // An anchor on a mapping key names that key; an anchor defined after an alias is not its target.
    expect(root('? &k name\n: 1\nb: *k\n')).toEqual({ name: 1, b: 'name' });
    expect(validateTemplate('a: *x\nb: &x 1\n').error).toEqual({ message: 'an alias refers to no anchor defined before it', line: 1, column: 4 });
    // Against the yaml package's own resolution, on documents that reuse a few names in every way.
    const piece = fc.oneof(
      fc.constantFrom('1', 'text', '[1, 2]', '{ k: v }').chain((v) => fc.constantFrom('x', 'y').map((n) => `&${n} ${v}`)),
      fc.constantFrom('*x', '*y'),
      fc.constantFrom('0', 'z'),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (values) => {
        const text = values.map((v, i) => `k${i}: ${v}\n`).join('');
        const ours = parseTemplateText(text);
        const doc = parseDocument(text, { uniqueKeys: false });
        if (values.findIndex((v) => v.startsWith('*')) < 0 || doc.errors.length > 0) return;
        let theirs: unknown;
        try {
          theirs = doc.toJS({ maxAliasCount: -1 });
        } catch {
          expect(ours.ok).toBe(false); // an alias to no anchor before it
          return;
        }
        expect(ours.ok).toBe(true);
        expect((ours as ParsedTemplate).root).toEqual(theirs);
      }),
      { numRuns: 500, seed: 20261130 },
    );
  });

  it('refuses absurd flow nesting before the parser sees it', () => {
    const text = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    expect(validateTemplate(text).error).toEqual({ message: `nesting deeper than ${LIMITS.maxDepth} levels` });
  });

  it('refuses files over the size limit', () => {
    const bytes = Buffer.alloc(LIMITS.maxBytes + 1, 0x20);
    expect(validateTemplate(bytes).error).toEqual({ message: `file is ${LIMITS.maxBytes + 1} bytes, over the ${LIMITS.maxBytes}-byte limit` });
  });

  it('refuses duplicate keys, naming the key', () => {
    expect(validateTemplate('Resources:\n  A: 1\n  A: 2\n').error).toEqual({ message: "duplicate mapping key 'A'", line: 3, column: 3 });
    // Inside a resource's properties a key may be data (DockerLabels, log options): not named.
    expect(validateTemplate('Resources:\n  T:\n    Properties:\n      Command: {SECRET-CANARY-123: 1, SECRET-CANARY-123: 2}\n').error).toEqual({ message: 'duplicate mapping key', line: 4, column: 39 });
  });

  it('refuses several documents in one file', () => {
    expect(validateTemplate('a: 1\n---\nb: 2\n').error?.message).toBe('invalid YAML: more than one YAML document in the file');
  });

  it('decodes UTF-8 with a byte order mark and rejects overlong and surrogate encodings', () => {
    expect(decodeTemplate(Buffer.from('\ufeffa: é', 'utf8'))).toEqual({ ok: true, text: 'a: é' });
    expect(decodeTemplate(Buffer.from([0x61, 0xc0, 0xaf]))).toEqual({ ok: false, error: 'not valid UTF-8 text (invalid byte at offset 1)' });
    expect(decodeTemplate(Buffer.from([0xed, 0xa0, 0x80]))).toEqual({ ok: false, error: 'not valid UTF-8 text (invalid byte at offset 0)' });
    expect(decodeTemplate(Buffer.from([0x61, 0xe2, 0x82]))).toEqual({ ok: false, error: 'not valid UTF-8 text (invalid byte at offset 1)' });
  });

  it('does not quote the input in parse errors', () => {
    const r = validateTemplate('Resources:\n  T:\n    Properties: {Secret: "s3cr3t-value"\n');
    expect(r.status).toBe('ERROR');
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
  });
});

describe("YAML 1.1's booleans, as CloudFormation reads them, to either reader", () => {
  const both = (text: string): unknown[] =>
    [parseTemplateText(text, 't.yaml'), parseTemplateText(text, 't.yaml', { fullReader: true })].map((p) => (p.ok ? p.root : p.message));

  it('true and false in their three casings, yes/no and on/off too; y, n, other casings and quoted words are text', () => {
    const words = ['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'y', 'n', 'YeS', 'oN', '"yes"', "'off'", 'yess', 'onn'];
    const text = words.map((w, i) => `k${i}: ${w}\n`).join('');
    const values = [...Array(9).fill(true), ...Array(9).fill(false), 'y', 'n', 'YeS', 'oN', 'yes', 'off', 'yess', 'onn'];
    const expected = Object.fromEntries(values.map((v, i) => [`k${i}`, v]));
    expect(both(text)).toEqual([expected, expected]);
  });

  it('an explicit !!bool tag reads them too; an empty value stays null', () => {
    const full = parseTemplateText('a: !!bool yes\nb: !!bool Off\n', 't.yaml');
    expect(full.ok && full.root).toEqual({ a: true, b: false });
    expect(both('a:\nb: [~, null]\n')).toEqual([{ a: null, b: [null, null] }, { a: null, b: [null, null] }]);
  });
});

describe('YAML merge keys, as aws cloudformation package and SAM resolve them before CloudFormation reads the template', () => {
  const read = (text: string): Record<string, unknown> => {
    const parsed = parseTemplateText(text, 't.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.root as Record<string, unknown>;
  };

  it("merges an alias's mapping: the mapping's own keys win wherever they stand, positions are the source's", () => {
    const parsed = parseTemplateText('base: &b {Name: app, ReadonlyRootFilesystem: false, Image: x}\nc:\n  ReadonlyRootFilesystem: true\n  <<: *b\n  Name: app2\n', 't.yaml');
    if (!parsed.ok) throw new Error(parsed.message);
    const c = (parsed.root as Record<string, Record<string, unknown>>).c!;
    expect(c).toEqual({ ReadonlyRootFilesystem: true, Name: 'app2', Image: 'x' });
    expect(Object.keys(c)).toEqual(['ReadonlyRootFilesystem', 'Name', 'Image']);
    expect(parsed.sourceMap.child(c, 'Image')).toEqual({ line: 1, column: 53 });
    expect(parsed.sourceMap.child(c, 'Name')).toEqual({ line: 5, column: 3 });
  });

  it('merges a list of mappings, earlier ones first, and an inline mapping', () => {
    expect(read('a: &a {k: 1, x: a}\nb: &b {k: 2, y: b}\nc: {<<: [*a, *b], z: c}\nd:\n  <<: {k: 3}\n').c).toEqual({ k: 1, x: 'a', y: 'b', z: 'c' });
    expect(read('d:\n  <<: {k: 3}\n').d).toEqual({ k: 3 });
  });

  it('a quoted "<<" is an ordinary key, to either reader', () => {
    expect(read('a: {"<<": {k: 1}}\n').a).toEqual({ '<<': { k: 1 } });
    const full = parseTemplateText("a: {'<<': {k: 1}}\nb: {\"<<\": {j: 2}}\n", 't.yaml', { fullReader: true });
    expect(full.ok && full.root).toEqual({ a: { '<<': { k: 1 } }, b: { '<<': { j: 2 } } });
  });

  it('counts what a merge key takes toward the nesting limit, as any value', () => {
    const nested = (n: number): string => (n === 0 ? '1' : `{k: ${nested(n - 1)}}`);
    // The root mapping is level 0, its value `a` level 1, what `<<` takes level 2.
    const at = (levels: number) => parseTemplateText(`a: {<<: ${nested(levels)}}\n`, 't.yaml');
    expect(at(LIMITS.maxDepth - 2).ok).toBe(true);
    expect(at(LIMITS.maxDepth - 1)).toMatchObject({ ok: false, message: `nesting deeper than ${LIMITS.maxDepth} levels` });
  });

  it.each([
    ['a merge of a scalar', 'a: &x 1\nb:\n  <<: *x\n', 'a merge key (<<) takes a mapping or a list of mappings', { line: 3, column: 3 }],
    ['a merge of a list holding a scalar', 'a: {k: 1}\nb:\n  <<: [1]\n', 'a merge key (<<) takes a mapping or a list of mappings', { line: 3, column: 3 }],
    ['two merge keys in one mapping', 'b:\n  <<: {k: 1}\n  <<: {j: 2}\n', "duplicate mapping key '<<'", { line: 3, column: 3 }],
    ['a merge of nothing', 'b:\n  <<:\n  c: 1\n', 'a merge key (<<) takes a mapping or a list of mappings', { line: 2, column: 3 }],
    ['a merge of a list holding nothing', 'b:\n  <<: [~]\n', 'a merge key (<<) takes a mapping or a list of mappings', { line: 2, column: 3 }],
  ])('%s: an error at the key', (_name, text, message, position) => {
    expect(parseTemplateText(text, 't.yaml')).toEqual({ ok: false, message, position });
  });
});

describe('the fast YAML reader agrees with the full one', () => {
  const root = join(__dirname, '..', 'fixtures', 'templates');
  const files = ['valid', 'fix', 'repo/infra', '../../../examples'].flatMap((d) =>
    readdirSync(join(root, d))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(d, f)),
  );

  /** Every mapping and sequence with its position and its entries' positions, by path. */
  function positions(parsed: ParsedTemplate): string[] {
    const out: string[] = [];
    const visit = (v: unknown, path: string, depth: number): void => {
      if (typeof v !== 'object' || v === null || depth > 60) return;
      out.push(`${path} @${JSON.stringify(parsed.sourceMap.of(v))}`);
      for (const [k, child] of Object.entries(v)) {
        out.push(`${path}/${k} @${JSON.stringify(parsed.sourceMap.child(v, Array.isArray(v) ? Number(k) : k))}`);
        visit(child, `${path}/${k}`, depth + 1);
      }
    };
    visit(parsed.root, '', 0);
    return out;
  }

  it.each(['null', '~', 'Null', 'NULL'])('a %s key is read as the yaml package reads it', (key) => {
    const text = `Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ${key}: 1\n      Family: web\n`;
    const fast = parseTemplateText(text, 't.yaml') as ParsedTemplate;
    const full = parseTemplateText(text, 't.yaml', { fullReader: true }) as ParsedTemplate;
    expect(fast.root).toEqual(full.root);
    expect(fast.root).toEqual({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { '': 1, Family: 'web' } } } });
  });

  it.each(files)('%s: same values, same positions of every key and item', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const fast = parseTemplateText(text, file) as ParsedTemplate;
    const full = parseTemplateText(text, file, { fullReader: true }) as ParsedTemplate;
    expect(fast.ok).toBe(true);
    expect(fast.root).toEqual(full.root);
    // Every mapping and sequence, key and item, inside tagged values too.
    expect(positions(fast)).toEqual(positions(full));
  });
});

describe('the full reader', () => {
  const full = (text: string) => parseTemplateText(text, 't.yaml', { fullReader: true });

  it('gives YAML errors in the parser words, cut before any quoted input, at their place', () => {
    expect(full('a: |x s3cr3t\n  text\n')).toEqual({ ok: false, message: 'invalid YAML: Block scalar header includes extra characters', position: { line: 1, column: 5 } });
    expect(full('a: b\nc: "\\q s3cr3t"\n')).toEqual({ ok: false, message: 'invalid YAML: Invalid escape sequence', position: { line: 2, column: 5 } });
    expect(full('a: b: c\n')).toEqual({ ok: false, message: 'invalid YAML: Nested mappings are not allowed in compact mappings', position: { line: 1, column: 4 } });
    expect(full("a: 'open\n")).toEqual({ ok: false, message: "invalid YAML: Missing closing 'quote", position: { line: 2, column: 1 } });
    expect(full('a: 1\nb: !e!x y\n')).toEqual({ ok: false, message: 'invalid YAML: Could not resolve tag: !e!x', position: { line: 2, column: 4 } });
  });

  it('says nesting too deep to read where the yaml parser runs out of stack', () => {
    expect(full(`a: ${'{a: '.repeat(10_000)}`)).toMatchObject({ ok: false, message: 'invalid YAML: nesting too deep to read', position: { line: 1 } });
  });

  it('refuses flow brackets nested past the raw limit before parsing, whatever their order', () => {
    const refused = { ok: false, message: `nesting deeper than ${LIMITS.maxDepth} levels` };
    expect(full(`${'['.repeat(10_001)}${']'.repeat(10_001)}`)).toEqual(refused);
    expect(full(`a: ${'{'.repeat(10_001)}`)).toEqual(refused);
    // Whatever lies between the brackets: only a closing bracket ends a level.
    expect(full(`a: ${'[ '.repeat(10_001)}`)).toEqual(refused);
    expect(full(`a: ${'{a: '.repeat(10_001)}`)).toEqual(refused);
    expect(full(`a: "${']'.repeat(10_001)}${'['.repeat(10_001)}"`)).toEqual(refused);
    expect(full(`a: "${'[]'.repeat(20_000)}"\n`)).toEqual({ ok: true, format: 'yaml', root: { a: '[]'.repeat(20_000) }, sourceMap: expect.anything() });
    expect(full(`a: "${'{}'.repeat(20_000)}"\n`)).toEqual({ ok: true, format: 'yaml', root: { a: '{}'.repeat(20_000) }, sourceMap: expect.anything() });
    expect(full(`a: "${'[}'.repeat(20_000)}"\n`)).toEqual({ ok: true, format: 'yaml', root: { a: '[}'.repeat(20_000) }, sourceMap: expect.anything() });
    // Under the raw limit, the reader's own depth limit speaks, with a place.
    expect(full(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toEqual({ ok: false, message: `nesting deeper than ${LIMITS.maxDepth} levels`, position: { line: 1, column: 101 } });
  });

  it('treats a __proto__ key as data', () => {
    const r = full('__proto__:\n  polluted: true\nb: [{__proto__: 1}]\n') as ParsedTemplate;
    const root = r.root as Record<string, any>;
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
    expect(Object.keys(root)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(root, '__proto__')).toEqual({ value: { polluted: true }, enumerable: true, writable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(root.b[0], '__proto__')?.value).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a key with no value as null, and an empty item as null', () => {
    expect(full('? a\nb:\n') as ParsedTemplate).toMatchObject({ ok: true, root: { a: null, b: null } });
    expect(full('- \n- a\n') as ParsedTemplate).toMatchObject({ ok: true, root: [null, 'a'] });
  });

  it('places a short form on a scalar, and its parts, where its value starts', () => {
    const r = full('A: !GetAtt  Role.Arn\nB: !Ref X\n') as ParsedTemplate;
    const root = r.root as Record<string, any>;
    expect(r.sourceMap.of(root.A)).toEqual({ line: 1, column: 13 });
    expect(r.sourceMap.child(root.A, 'Fn::GetAtt')).toEqual({ line: 1, column: 13 });
    expect(r.sourceMap.of(root.A['Fn::GetAtt'])).toEqual({ line: 1, column: 13 });
    expect(r.sourceMap.child(root.A['Fn::GetAtt'], 1)).toEqual({ line: 1, column: 13 });
    expect(r.sourceMap.child(root.A['Fn::GetAtt'], 2)).toBeUndefined();
    expect(r.sourceMap.child(root.B, 'Ref')).toEqual({ line: 2, column: 9 });
  });

  it('keeps the first place of a short form an alias repeats', () => {
    const r = full('a: &x !Ref y\nb: *x\n') as ParsedTemplate;
    const root = r.root as Record<string, any>;
    expect(root).toStrictEqual({ a: { Ref: 'y' }, b: { Ref: 'y' } });
    expect(r.sourceMap.of(root.b)).toEqual({ line: 1, column: 12 });
    expect(r.sourceMap.child(root, 'b')).toEqual({ line: 2, column: 1 });
  });

  it('places an error inside what an alias expands to at the alias', () => {
    const text = `deep: &d ${'['.repeat(LIMITS.maxDepth - 1)}${']'.repeat(LIMITS.maxDepth - 1)}\nuse:\n  - *d\n`;
    expect(full(text)).toEqual({ ok: false, message: `nesting deeper than ${LIMITS.maxDepth} levels`, position: { line: 3, column: 5 } });
  });
});

describe('line breaks', () => {
  const lf = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app # a comment\n          Image: "x\n            y"\n';

  it.each([
    ['CR LF', '\r\n'],
    ['a lone CR', '\r'],
  ])('lines ending with %s read as with LF, by both readers, at the same lines and columns', (_, eol) => {
    const text = lf.replace(/\n/g, eol);
    for (const fullReader of [false, true]) {
      const want = parseTemplateText(lf, 't.yaml', { fullReader }) as ParsedTemplate & { ok: true };
      const got = parseTemplateText(text, 't.yaml', { fullReader }) as ParsedTemplate & { ok: true };
      expect(got.ok).toBe(true);
      expect(got.root).toEqual(want.root);
      const entry = (got.root as { Resources: { T: { Properties: { ContainerDefinitions: object[] } } } }).Resources.T.Properties.ContainerDefinitions[0];
      expect(got.sourceMap.child(entry, 'Image')).toEqual({ line: 7, column: 11 });
    }
    expect(validateTemplate(text).resources[0]!.containers[0]).toEqual(expect.objectContaining({ name: 'app', line: 6, column: 11 }));
  });
});
