/**
 * fast-check generators for hook requests: realistic shapes (from the sample request in
 * ../shared/schemas) with random task definitions and configurations, then random mutations of
 * fields, types and nesting. Values are made JSON-safe, as a Lambda event always is.
 */
import fc from 'fast-check';
import { POINTS, TARGETS } from './oracle';

/** Characters that break naive printing, matching or parsing. */
export const HOSTILE_CHARS = [
  '\n', '\r', '\t', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00ad', '\u061c', '\u200b', '\u200e', '\u2028',
  '\u202e', '\u2066', '\ufeff', '\ud800', '\udfff', '😀', '*', '?', "'", '"', '\\', ' ', '[', ']', '$', '{', '}',
];

const NAME_POOL = ['app', 'web', 'sidecar', 'log_router', 'datadog-agent', 'envoy', 'xray-daemon', 'nginx', 'a', 'aa', 'ab'];
const IMAGE_POOL = [
  'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
  'public.ecr.aws/datadog/agent:latest',
  '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3',
  'nginx:1.25',
  'amazon/aws-xray-daemon',
  'registry.example.com:5000/team/app@sha256:0123abcd',
];
const NAME_PATTERNS = ['app', 'log_*', 'datadog-*', '*', '?', 'si?ecar', '*-agent', 'envoy*', '*a*', 'x*y', '**', '*?*', 'a?', '?b', 'web'];
const IMAGE_PATTERNS = ['public.ecr.aws/aws-observability/*', 'nginx:*', '*:latest', 'public.ecr.aws/*/agent:*', '*', 'amazon/aws-xray-daemon'];

/** The values ReadonlyRootFilesystem is drawn from; `undefined` leaves the property out. */
export const READONLY_VALUES: unknown[] = [
  true, false, 'true', 'TRUE', 'True', 'tRuE', 'false', 'False', 'FALSE', null, undefined, 1, 0, 'yes', 'no', '',
  ' true', 'true ', 'truE\n', '"true"', { Ref: 'ReadOnly' }, { 'Fn::If': ['Cond', true, false] }, ['true'], {},
];

const smallText = fc.string({ unit: fc.constantFrom('a', 'b', '-', '_', '.', ...HOSTILE_CHARS), maxLength: 12 });

export const nameArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...NAME_POOL), weight: 8 },
  { arbitrary: smallText, weight: 4 },
  { arbitrary: fc.string({ maxLength: 16 }), weight: 2 },
  { arbitrary: fc.constantFrom<unknown>('', 5, true, null, undefined, { Ref: 'Name' }, ['app']), weight: 2 },
);

const imageArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...IMAGE_POOL), weight: 6 },
  { arbitrary: smallText, weight: 2 },
  { arbitrary: fc.constantFrom<unknown>('', undefined, 7, { 'Fn::Sub': '${Repo}:latest' }), weight: 2 },
);

const readonlyArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...READONLY_VALUES), weight: 10 },
  { arbitrary: fc.mixedCase(fc.constantFrom('true', 'false')), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
);

const containerArb: fc.Arbitrary<unknown> = fc.record(
  {
    Name: nameArb,
    Image: imageArb,
    ReadonlyRootFilesystem: readonlyArb,
    Essential: fc.boolean(),
    Environment: fc.array(fc.record({ Name: fc.constantFrom('A', 'B'), Value: fc.string({ maxLength: 6 }) }), { maxLength: 2 }),
    Command: fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }),
  },
  { requiredKeys: ['ReadonlyRootFilesystem'] },
);

export const entryArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: containerArb, weight: 20 },
  { arbitrary: fc.constantFrom<unknown>(null, 'app', 3, true, [], [{ Name: 'app', ReadonlyRootFilesystem: true }]), weight: 1 },
);

export const containerListArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.array(entryArb, { maxLength: 7 }), weight: 16 },
  { arbitrary: fc.array(entryArb, { minLength: 20, maxLength: 40 }), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>(undefined, null, 'not a list', 5, {}, { Name: 'app', ReadonlyRootFilesystem: true }, '[]'), weight: 2 },
);

const platformArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  {
    arbitrary: fc.record({
      OperatingSystemFamily: fc.constantFrom<unknown>(
        'LINUX', 'WINDOWS_SERVER_2019_FULL', 'WINDOWS_SERVER_2022_CORE', 'windows_server_2019_full', 'WINDOWS', ' WINDOWS_SERVER_2019_CORE', 5, null, undefined,
      ),
      CpuArchitecture: fc.constantFrom('X86_64', 'ARM64'),
    }),
    weight: 3,
  },
  { arbitrary: fc.constantFrom<unknown>('WINDOWS_SERVER_2019_FULL', null, []), weight: 1 },
);

export const taskDefinitionArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    ContainerDefinitions: containerListArb,
    RuntimePlatform: platformArb,
    Family: fc.string({ maxLength: 8 }),
    NetworkMode: fc.constantFrom('awsvpc', 'bridge'),
    Cpu: fc.constantFrom('256', 512),
  },
  { requiredKeys: ['ContainerDefinitions'] },
);

/** A glob derived from a real name or image: some characters turned into ? or *, or cut. */
function derivedPattern(sources: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...sources), fc.array(fc.tuple(fc.nat(), fc.constantFrom('?', '*', 'cut', 'star-end', 'literal-x')), { maxLength: 3 }))
    .map(([source, edits]) => {
      let p = source;
      for (const [at, op] of edits) {
        const i = p.length === 0 ? 0 : at % p.length;
        if (op === 'cut') p = p.slice(0, i);
        else if (op === 'star-end') p = `${p.slice(0, i)}*`;
        else if (op === 'literal-x') p = `${p.slice(0, i)}x${p.slice(i + 1)}`;
        else p = `${p.slice(0, i)}${op}${p.slice(i + 1)}`;
      }
      return p.length === 0 ? '*' : p;
    });
}

const randomPattern = fc.string({ unit: fc.constantFrom('a', 'b', '-', '*', '?', '\n', '\u202e'), minLength: 1, maxLength: 8 });

function patternListArb(pool: string[], derived: string[]): fc.Arbitrary<unknown> {
  const pattern = fc.oneof(
    { arbitrary: fc.constantFrom(...pool), weight: 4 },
    { arbitrary: randomPattern, weight: 2 },
    ...(derived.length > 0 ? [{ arbitrary: derivedPattern(derived), weight: 4 }] : []),
  );
  return fc.oneof({ arbitrary: fc.array(pattern, { maxLength: 4 }), weight: 8 }, { arbitrary: fc.constantFrom<unknown>(undefined, null), weight: 2 });
}

/** Configurations of the wrong shape: each must answer InvalidTypeConfiguration, never switch the check off. */
const invalidConfigArb: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  'ExemptContainerNames',
  '{"ExemptContainerNames":["app"]}',
  [],
  ['app'],
  5,
  true,
  false,
  0,
  '',
  { Unknown: ['app'] },
  { exemptContainerNames: ['app'] },
  { ExemptContainerNames: 'app' },
  { ExemptContainerNames: '["app"]' },
  { ExemptContainerNames: [''] },
  { ExemptContainerNames: [5] },
  { ExemptContainerNames: [null] },
  { ExemptContainerNames: {} },
  { ExemptContainerNames: { 0: 'app' } },
  { ExemptContainerNames: ['a'.repeat(256)] },
  { ExemptImages: ['a'.repeat(1025)] },
  { ExemptImages: 'true' },
  { ExemptContainerNames: Array.from({ length: 101 }, (_, i) => `c${i}`) },
  { ExemptContainerNames: ['app'], ExemptImages: [['nginx:*']] },
);

/** Valid configurations at the limits: accepted. */
const limitConfigArb: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  {},
  { ExemptContainerNames: Array.from({ length: 100 }, (_, i) => `c${i}`) },
  { ExemptContainerNames: ['a'.repeat(255)], ExemptImages: ['b'.repeat(1024)] },
  { ExemptContainerNames: [], ExemptImages: [] },
);

export function configArb(props: Record<string, unknown>): fc.Arbitrary<unknown> {
  const list = Array.isArray(props.ContainerDefinitions) ? (props.ContainerDefinitions as unknown[]) : [];
  const strings = (key: string) =>
    list.flatMap((c) => (typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>)[key] === 'string' ? [(c as Record<string, string>)[key]!] : []));
  const valid = fc.record(
    { ExemptContainerNames: patternListArb(NAME_PATTERNS, strings('Name')), ExemptImages: patternListArb(IMAGE_PATTERNS, strings('Image')) },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { arbitrary: valid, weight: 12 },
    { arbitrary: fc.constantFrom<unknown>(undefined, null), weight: 3 },
    { arbitrary: invalidConfigArb, weight: 2 },
    { arbitrary: limitConfigArb, weight: 1 },
  );
}

/** A task definition with a configuration built to exercise its names and images. */
export const policyCaseArb = taskDefinitionArb.chain((props) => configArb(props).map((config) => ({ props, config })));

const pointArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(POINTS[0], POINTS[1]), weight: 12 },
  { arbitrary: fc.constant(POINTS[2]), weight: 2 },
  { arbitrary: fc.constantFrom<unknown>('CREATE', 'create_pre_provision', '', 'CREATE_PRE_PROVISION\n', 5, null, undefined, 'x\u202e'.repeat(50)), weight: 1 },
);

const targetArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...TARGETS), weight: 12 },
  { arbitrary: fc.constantFrom<unknown>('AWS::S3::Bucket', 'AWS::ECS::Service', 'aws::ecs::taskdefinition', 'AWS::ECS::TaskDefinition ', '', 5, undefined, 'x\ny'), weight: 2 },
);

const tokenArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.uuid(), weight: 6 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom<unknown>(undefined, null, 123456, '', ['t']), weight: 1 },
);

const logicalIdArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom('WebTask', 'TaskDefinition', 'Daemon1'), weight: 6 },
  { arbitrary: smallText, weight: 2 },
  { arbitrary: fc.constantFrom<unknown>(undefined, 5, ''), weight: 1 },
);

/** The same task definition with every container read-only: an update from it turns protection off. */
function readOnlyCopy(props: Record<string, unknown>): Record<string, unknown> {
  const list = props.ContainerDefinitions;
  if (!Array.isArray(list)) return props;
  return { ...props, ContainerDefinitions: list.map((c: unknown) => (typeof c === 'object' && c !== null && !Array.isArray(c) ? { ...c, ReadonlyRootFilesystem: true } : c)) };
}

function targetModelArb(props: Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      arbitrary: fc.record(
        {
          resourceProperties: fc.oneof(
            { arbitrary: fc.constant<unknown>(props), weight: 20 },
            { arbitrary: fc.constantFrom<unknown>(undefined, null, 'props', [], 3), weight: 1 },
          ),
          previousResourceProperties: fc.oneof(fc.constant(undefined), taskDefinitionArb, fc.constant(readOnlyCopy(props))),
        },
        { requiredKeys: ['resourceProperties'] },
      ),
      weight: 20,
    },
    { arbitrary: fc.constantFrom<unknown>(undefined, null, '{}', [], {}), weight: 1 },
  );
}

/** A HookInvocationRequest in the shape of ../shared/schemas/sample-hook-request.resource.json. */
export const invocationRequestArb: fc.Arbitrary<unknown> = policyCaseArb.chain(({ props, config }) =>
  fc.record(
    {
      clientRequestToken: tokenArb,
      awsAccountId: fc.constant('123456789012'),
      stackId: fc.constant('arn:aws:cloudformation:us-east-1:123456789012:stack/SampleStack/e722ae60-fe62-11e8-9a0e-0ae8cc519968'),
      changeSetId: fc.constant('arn:aws:cloudformation:us-east-1:123456789012:changeSet/SampleChangeSet/1a2345b6'),
      hookTypeName: fc.constant('Guardrails::ECS::ReadonlyRootFilesystem'),
      hookTypeVersion: fc.constant('00000001'),
      hookModel: fc.constant(config),
      actionInvocationPoint: pointArb,
      invocationId: fc.uuid(),
      invocationPlanId: fc.constant('12345457557866789012'),
      encryptedFas: fc.constant('fas'),
      requestData: fc.oneof(
        {
          arbitrary: fc.record({
            targetName: targetArb,
            targetType: fc.constantFrom<unknown>('RESOURCE', undefined, 5),
            targetLogicalId: logicalIdArb,
            targetModel: targetModelArb(props),
            // A remote payload: read only when the target model is absent or empty. None of these can be read.
            payload: fc.constantFrom<unknown>(undefined, undefined, undefined, 'http://127.0.0.1:9/model.json', 'https://', 'file:///etc/passwd', '', 7),
            callerCredentials: fc.constant('callerCredentials'),
            providerCredentials: fc.constant('providerCredentials'),
            providerLogGroupName: fc.constant('providerLoggingGroupName'),
            hookEncryptionKeyArn: fc.constant('hookEncryptionKeyArn'),
            hookEncryptionKeyRole: fc.constant('hookEncryptionKeyRole'),
          }),
          weight: 30,
        },
        { arbitrary: fc.constantFrom<unknown>(undefined, null, 'requestData', []), weight: 1 },
      ),
      requestContext: fc.constantFrom<unknown>({}, { invocation: 2, callbackContext: { step: 1 } }, undefined),
    },
    { requiredKeys: [] },
  ),
);

/** The contract-test event (`sam local invoke TestEntrypoint`). */
export const testEventArb: fc.Arbitrary<unknown> = policyCaseArb.chain(({ props, config }) =>
  fc.record(
    {
      credentials: fc.constant({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
      actionInvocationPoint: pointArb,
      request: fc.oneof(
        {
          arbitrary: fc.record({
            clientRequestToken: tokenArb,
            hookContext: fc.oneof(
              {
                arbitrary: fc.record({
                  awsAccountId: fc.constant('123456789012'),
                  stackId: fc.constant('arn:aws:cloudformation:us-east-1:123456789012:stack/S/1'),
                  hookTypeName: fc.constant('Guardrails::ECS::ReadonlyRootFilesystem'),
                  targetName: targetArb,
                  targetType: fc.constant('RESOURCE'),
                  targetLogicalId: logicalIdArb,
                  targetModel: targetModelArb(props),
                }),
                weight: 10,
              },
              { arbitrary: fc.constantFrom<unknown>(undefined, null, 'ctx'), weight: 1 },
            ),
          }),
          weight: 20,
        },
        { arbitrary: fc.constantFrom<unknown>(undefined, null, 'request'), weight: 1 },
      ),
      callbackContext: fc.constantFrom<unknown>(null, {}, undefined),
      typeConfiguration: fc.constant(config),
    },
    { requiredKeys: [] },
  ),
);

type Path = (string | number)[];

const DELETE = Symbol('delete');

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

export interface Mutation {
  pick: number;
  op: 'delete' | 'replace' | 'retype' | 'wrap' | 'nest';
  value: unknown;
}

export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({
    pick: fc.nat(),
    op: fc.constantFrom<Mutation['op']>('delete', 'replace', 'retype', 'wrap', 'nest'),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  { maxLength: 3 },
);

/** The same value in another type, as a careless serializer might send it. */
function retype(value: unknown): unknown {
  if (typeof value === 'string') return Number.isNaN(Number(value)) ? [value] : Number(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (value === null) return 'null';
  return JSON.stringify(value);
}

/** Applies mutations to a copy; the path of each is picked among the tree's nodes at that moment. */
export function mutate(event: unknown, mutations: Mutation[]): unknown {
  let root = jsonCopy(event);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.pick % all.length]!;
    const apply = (old: unknown): unknown | typeof DELETE => {
      switch (m.op) {
        case 'delete':
          return DELETE;
        case 'replace':
          return m.value;
        case 'retype':
          return retype(old);
        case 'wrap':
          return [old];
        case 'nest':
          return { value: old };
      }
    };
    if (path.length === 0) {
      const next = apply(root);
      root = next === DELETE ? undefined : next;
      continue;
    }
    let parent: unknown = root;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
    const last = path[path.length - 1]!;
    const container = parent as Record<string | number, unknown>;
    const next = apply(container[last]);
    if (next !== DELETE) container[last] = next;
    else if (Array.isArray(container)) container.splice(last as number, 1);
    else delete container[last];
  }
  return jsonCopy(root);
}


/** What the event looks like after a trip through JSON, as Lambda delivers it. */
export function jsonCopy(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}
