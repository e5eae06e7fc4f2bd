/**
 * `npm run package` (scripts/package.mjs): the registration package as `cfn submit --dry-run` lays it
 * out, built twice to prove it is reproducible, unzipped and run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { readJson, readZip, root, runPackage, type ZipEntry } from './support';

interface Settings {
  typeName: string;
  entrypoint: string;
  testEntrypoint: string;
}
interface HookSchema {
  typeName: string;
  typeConfiguration: Record<string, unknown>;
  handlers: Record<string, { targetNames: string[] }>;
}

const settings = readJson<Settings>('.rpdk-config');
const schema = readJson<HookSchema>('guardrails-ecs-readonlyrootfilesystem.json');
const TARGETS = ['AWS::ECS::DaemonTaskDefinition', 'AWS::ECS::TaskDefinition'];
const TARGET_FILES = { 'AWS::ECS::DaemonTaskDefinition': 'aws-ecs-daemontaskdefinition.json', 'AWS::ECS::TaskDefinition': 'aws-ecs-taskdefinition.json' };
const INPUT_FILES = readdirSync(join(root, 'inputs')).sort();
/** MS-DOS date and time of 1980-01-01 00:00:00. */
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;

let work: string;
let first: { stdout: string; zip: Buffer };
let lambdaZip: Map<string, ZipEntry>;
let second: { stdout: string; zip: Buffer };
let outer: Map<string, ZipEntry>;
let inner: Map<string, ZipEntry>;

function entry(entries: Map<string, ZipEntry>, name: string): Buffer {
  const found = entries.get(name);
  if (!found) throw new Error(`${name} is not in the package`);
  return found.data;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'package-test-'));
  first = runPackage(join(work, 'first.zip'));
  second = runPackage(join(work, 'second.zip'));
  outer = await readZip(first.zip);
  inner = await readZip(entry(outer, 'ResourceProvider.zip'));
  lambdaZip = await readZip(readFileSync(join(work, 'guardrails-ecs-readonlyrootfilesystem-lambda-hook.zip')));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the registration package', () => {
  it('says what it wrote', () => {
    const names = [...outer.keys()].join(', ');
    const lambda = join(work, 'guardrails-ecs-readonlyrootfilesystem-lambda-hook.zip');
    expect(first.stdout).toBe(
      `Wrote ${relative(root, join(work, 'first.zip'))} (${first.zip.length} bytes): ${names}\n` +
        `Wrote ${relative(root, lambda)} (${readFileSync(lambda).length} bytes): the Lambda hook's code (handler dist/handlers.lambdaHook)\n`,
    );
  });

  it('has the layout cfn submit writes for a hook', () => {
    expect([...outer.keys()]).toEqual([
      '.rpdk-config',
      'ResourceProvider.zip',
      'configuration-schema.json',
      ...INPUT_FILES.map((file) => `inputs/${file}`),
      'schema.json',
      'target-info.json',
      'target-schemas/aws-ecs-daemontaskdefinition.json',
      'target-schemas/aws-ecs-taskdefinition.json',
    ]);
    expect(INPUT_FILES).toEqual(expect.arrayContaining(['inputs_1_pre_create.json', 'inputs_1_invalid_pre_update.json']));
  });

  it('carries the project files unchanged', () => {
    expect(entry(outer, 'schema.json').equals(readFileSync(join(root, 'guardrails-ecs-readonlyrootfilesystem.json')))).toBe(true);
    expect(entry(outer, '.rpdk-config').equals(readFileSync(join(root, '.rpdk-config')))).toBe(true);
    for (const file of INPUT_FILES) {
      expect(entry(outer, `inputs/${file}`).equals(readFileSync(join(root, 'inputs', file)))).toBe(true);
    }
  });

  it('holds the hook schema the project registers', () => {
    const inside = JSON.parse(entry(outer, 'schema.json').toString('utf8')) as HookSchema;
    expect(inside.typeName).toBe(settings.typeName);
    expect(inside.typeName).toBe('Guardrails::ECS::ReadonlyRootFilesystem');
    expect(Object.keys(inside.handlers)).toEqual(['preCreate', 'preUpdate']);
  });

  it('derives configuration-schema.json as cfn does: the typeConfiguration with definitions and typeName', () => {
    const text = entry(outer, 'configuration-schema.json').toString('utf8');
    expect(JSON.parse(text)).toEqual({ ...schema.typeConfiguration, definitions: {}, typeName: settings.typeName });
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['properties', 'additionalProperties', 'definitions', 'typeName']);
    // Python's json.dumps(indent=4): four spaces, no final newline.
    expect(text.split('\n')[1]).toBe('    "properties": {');
    expect(text.endsWith('}')).toBe(true);
  });

  it('describes each target in target-info.json and target-schemas/ from the shipped schemas', () => {
    const info = JSON.parse(entry(outer, 'target-info.json').toString('utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(info)).toEqual(TARGETS);
    for (const target of TARGETS) {
      const file = TARGET_FILES[target as keyof typeof TARGET_FILES];
      const shipped = readJson<Record<string, unknown>>(`target-schemas/${file}`);
      expect(info[target]).toEqual({
        TypeName: target,
        TargetName: target,
        TargetType: 'RESOURCE',
        Schema: shipped,
        IsCfnRegistrySupportedType: true,
        SchemaFileAvailable: true,
      });
      expect(JSON.parse(entry(outer, `target-schemas/${file}`).toString('utf8'))).toEqual(shipped);
    }
  });

  it('holds the bundle at the path the entry points name, and nothing else', () => {
    const handlerFile = `${settings.entrypoint.slice(0, settings.entrypoint.lastIndexOf('.'))}.js`;
    expect(handlerFile).toBe('dist/handlers.js');
    expect(settings.testEntrypoint.startsWith('dist/handlers.')).toBe(true);
    // The handler and what it loads from beside it: the network half (delivery, payloads), the decryption
    // of encrypted credentials the network half loads, the stack checks, and the generated models.
    expect([...inner.keys()].sort()).toEqual(['dist/THIRD-PARTY-LICENSES.txt', 'dist/decrypt.js', handlerFile, 'dist/models.js', 'dist/network.js', 'dist/stack.js']);
  });

  it('writes the Lambda hook code beside it: the same bundle, for deploy/lambda-hook.yml', () => {
    expect([...lambdaZip.keys()]).toEqual([...inner.keys()]);
    for (const [name, found] of inner) expect(entry(lambdaZip, name).equals(found.data)).toBe(true);
  });

  it('is byte-for-byte the same when built again', () => {
    expect(second.zip.equals(first.zip)).toBe(true);
  });

  it('has no build times or local modes in it: every entry stored, dated 1980-01-01, mode 0644', () => {
    for (const entries of [outer, inner]) {
      for (const [name, found] of entries) {
        expect({ name, method: found.compressionMethod, date: found.dosDate, time: found.dosTime, mode: found.mode, extra: found.extraFieldLength }).toEqual({
          name,
          method: 0,
          date: DOS_DATE_1980,
          time: 0,
          mode: 0o100644,
          extra: 0,
        });
      }
    }
  });

  it('stays small (only the SDK clients the runtime uses, minified; no node_modules)', () => {
    expect(first.zip.length).toBeLessThan(1024 * 1024);
    expect(entry(inner, 'dist/handlers.js').length).toBeLessThan(200 * 1024);
    expect(entry(inner, 'dist/network.js').length).toBeLessThan(300 * 1024);
    expect(entry(inner, 'dist/decrypt.js').length).toBeLessThan(600 * 1024);
    expect(entry(inner, 'dist/stack.js').length).toBeLessThan(250 * 1024);
  });
});

describe('a project the package script cannot package', () => {
  it('refuses, naming the target whose schema is missing from target-schemas/', () => {
    const project = join(work, 'incomplete');
    mkdirSync(join(project, 'scripts'), { recursive: true });
    for (const file of ['.rpdk-config', 'guardrails-ecs-readonlyrootfilesystem.json', 'scripts/package.mjs', 'inputs', 'target-schemas']) {
      cpSync(join(root, file), join(project, file), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
    rmSync(join(project, 'target-schemas', 'aws-ecs-daemontaskdefinition.json'));
    const result = spawnSync(process.execPath, [join(project, 'scripts', 'package.mjs')], { cwd: project, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({
      status: 1,
      stderr: 'package: no schema for target AWS::ECS::DaemonTaskDefinition in target-schemas/\n',
      stdout: '',
    });
    expect(existsSync(join(project, 'guardrails-ecs-readonlyrootfilesystem.zip'))).toBe(false);
  });
});

describe('the entry point, unzipped from the package and run on its own', () => {
  let lambdaDir: string;

  beforeAll(() => {
    // Outside the project, so nothing can be resolved from its node_modules.
    lambdaDir = join(work, 'lambda');
    for (const [name, found] of inner) {
      mkdirSync(dirname(join(lambdaDir, name)), { recursive: true });
      writeFileSync(join(lambdaDir, name), found.data);
    }
  });

  function run(exportName: string, event: unknown, env: Record<string, string> = {}): { answer: unknown; log: Record<string, unknown>[] } {
    const [modulePath] = settings.entrypoint.split(/\.(?=[^.]+$)/);
    const script = [
      `const handler = require(${JSON.stringify(`./${modulePath}`)})[${JSON.stringify(exportName)}];`,
      `handler(JSON.parse(process.argv[1]), {}).then((answer) => console.log('ANSWER ' + JSON.stringify(answer)));`,
    ].join('\n');
    const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify(event)], {
      cwd: lambdaDir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', NODE_PATH: '', ...env },
    });
    const lines = stdout.split('\n').filter((l) => l !== '');
    const line = lines.find((l) => l.startsWith('ANSWER '));
    if (!line) throw new Error(`no answer in:\n${stdout}`);
    return { answer: JSON.parse(line.slice('ANSWER '.length)), log: lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)) };
  }

  function invoke(exportName: string, event: unknown): unknown {
    return run(exportName, event).answer;
  }

  const containers = [
    { Name: 'app', Image: 'public.ecr.aws/docker/library/nginx:stable' },
    { Name: 'sidecar', Image: 'public.ecr.aws/docker/library/busybox:stable', ReadonlyRootFilesystem: 'false' },
    { Name: 'log_router', Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', ReadonlyRootFilesystem: 'true' },
  ];

  it('loads its network half from the package when a request asks for log delivery', () => {
    const { answer, log } = run(
      'entrypoint',
      {
        clientRequestToken: 'token-d',
        awsAccountId: '123456789012',
        hookTypeName: settings.typeName,
        actionInvocationPoint: 'CREATE_PRE_PROVISION',
        requestData: {
          targetName: 'AWS::ECS::TaskDefinition',
          targetLogicalId: 'WebTask',
          targetModel: { resourceProperties: { ContainerDefinitions: containers } },
          providerCredentials: JSON.stringify({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' }),
          providerLogGroupName: 'owner-logs',
        },
      },
      // Nothing listens on port 9: delivery runs and fails, which only the network half can report.
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
    );
    expect(answer).toMatchObject({ hookStatus: 'FAILED', errorCode: 'NonCompliant', clientRequestToken: 'token-d' });
    expect(log.map((l) => [l.message, l.reason])).toEqual([
      ['Answered', undefined],
      ['Metric delivery failed', 'monitoring PutMetricData: the connection failed (ECONNREFUSED)'],
      ['Log delivery failed', 'logs PutLogEvents: the connection failed (ECONNREFUSED)'],
    ]);
  });

  it('answers a CloudFormation request with the verdict', () => {
    const answer = invoke('entrypoint', {
      clientRequestToken: 'token-1',
      awsAccountId: '123456789012',
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/web/1',
      hookTypeName: settings.typeName,
      hookTypeVersion: '00000001',
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      hookModel: null,
      requestData: {
        targetName: 'AWS::ECS::TaskDefinition',
        targetType: 'RESOURCE',
        targetLogicalId: 'WebTask',
        targetModel: { resourceProperties: { ContainerDefinitions: containers } },
      },
      requestContext: { callbackContext: null },
    });
    expect(answer).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      clientRequestToken: 'token-1',
      callbackDelaySeconds: 0,
      message:
        "TaskDefinition 'WebTask': 2 of 3 containers can write to their root filesystem: 'app' (ReadonlyRootFilesystem missing), 'sidecar' (false). Set ReadonlyRootFilesystem: true on each container and mount a volume at any path it must write.",
    });
  });

  it('answers the contract-test event through the test entry point, with the type configuration', () => {
    const exportName = settings.testEntrypoint.slice(settings.testEntrypoint.lastIndexOf('.') + 1);
    const answer = invoke(exportName, {
      credentials: {},
      actionInvocationPoint: 'UPDATE_PRE_PROVISION',
      request: {
        clientRequestToken: 'token-2',
        hookContext: {
          targetName: 'AWS::ECS::DaemonTaskDefinition',
          targetType: 'RESOURCE',
          targetLogicalId: 'Agent',
          targetModel: {
            resourceProperties: { ContainerDefinitions: containers.map((c) => ({ ...c, ReadonlyRootFilesystem: 'true' })) },
          },
        },
      },
      callbackContext: null,
      typeConfiguration: { ExemptContainerNames: ['log_router'] },
    });
    expect(answer).toMatchObject({ hookStatus: 'SUCCESS', clientRequestToken: 'token-2', callbackDelaySeconds: 0 });
    expect((answer as { errorCode?: string }).errorCode).toBeUndefined();
  });

  it('answers as a Lambda hook through lambdaHook, exemptions from the environment', () => {
    const event = {
      clientRequestToken: 'token-3',
      awsAccountId: '123456789012',
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/web/1',
      hookTypeName: 'Private::Lambda::EcsReadonlyRootfs',
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      hookModel: { LambdaFunction: 'arn:aws:lambda:us-east-1:123456789012:function:ecs-readonly-rootfs' },
      requestData: {
        targetName: 'AWS::ECS::TaskDefinition',
        targetType: 'AWS::ECS::TaskDefinition',
        targetLogicalId: 'WebTask',
        targetModel: { resourceProperties: { ContainerDefinitions: containers } },
      },
      requestContext: { invocation: 1, callbackContext: null },
    };
    const { answer, log } = run('lambdaHook', event, { EXEMPT_CONTAINER_NAMES: 'app, side*' });
    expect(answer).toMatchObject({ hookStatus: 'SUCCESS', clientRequestToken: 'token-3' });
    expect(log.map((l) => l.message)).toEqual(['Answered']);
    expect(run('lambdaHook', event, { EXEMPT_IMAGES: 'a,,b' }).answer).toEqual({
      hookStatus: 'FAILED',
      errorCode: 'InternalFailure',
      message: 'Invalid environment variable EXEMPT_IMAGES: item 2 is empty (two commas in a row, or a comma at an end).',
      clientRequestToken: 'token-3',
      callbackDelaySeconds: 0,
    });
  });
});
