/**
 * The Lambda bundle stays free of AWS SDK v2: the generated models import the plugin library's main
 * module, which requires the SDK, and scripts/build.mjs maps that import to the library's SDK-free
 * modules. Read from esbuild's metafile (dist/meta.json, written by `npm run build`) and the bundle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './support';

interface MetaImport {
  path: string;
  kind: string;
  original?: string;
}
interface Metafile {
  inputs: Record<string, { imports: MetaImport[] }>;
  outputs: Record<string, { inputs: Record<string, unknown>; bytes: number }>;
}

const LIB = 'node_modules/@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib/';
const metafiles = JSON.parse(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')) as Metafile[];
const handlers = metafiles.find((m) => m.outputs['dist/handlers.js']);
if (!handlers) throw new Error('dist/meta.json has no build of dist/handlers.js; run npm run build');
const bundled = Object.keys(handlers.outputs['dist/handlers.js']!.inputs);
const bundleText = readFileSync(join(root, 'dist', 'handlers.js'), 'utf8');

describe('dist/handlers.js', () => {
  it('contains no AWS SDK module', () => {
    expect(bundled.filter((input) => input.includes('node_modules/aws-sdk/') || input.includes('node_modules/@aws-sdk/'))).toEqual([]);
    expect(bundleText).not.toContain('aws-sdk');
  });

  it('resolves every SDK import to an empty stand-in', () => {
    const sdkImports = Object.values(handlers.inputs)
      .flatMap((input) => input.imports)
      .filter((i) => /^(@aws-sdk\/|aws-sdk(\/|$))/.test(i.original ?? i.path));
    expect(sdkImports.length).toBeGreaterThan(0);
    expect(sdkImports.filter((i) => !i.path.startsWith('empty:'))).toEqual([]);
  });

  it('takes from the plugin library only its SDK-free model modules, never its main module', () => {
    expect(bundled.filter((input) => input.startsWith(LIB)).sort()).toEqual(
      ['dist/exceptions.js', 'dist/interface.js', 'dist/proxy.js', 'dist/recast.js'].map((file) => LIB + file),
    );
  });

  it('takes the generated models, and their import of the library goes to the SDK-free modules', () => {
    expect(bundled).toContain('src/models.ts');
    const modelImports = handlers.inputs['src/models.ts']!.imports.filter((i) => i.original?.startsWith('@amazon-web-services-cloudformation/'));
    expect(modelImports.map((i) => i.path)).toEqual(['cfn-lib:cfn-lib-models']);
    expect(handlers.inputs['cfn-lib:cfn-lib-models']!.imports.map((i) => i.path).sort()).toEqual([`${LIB}dist/interface.js`, `${LIB}dist/recast.js`]);
  });
});

describe('dist/network.js, the network half', () => {
  const network = metafiles.find((m) => m.outputs['dist/network.js']);
  if (!network) throw new Error('dist/meta.json has no build of dist/network.js; run npm run build');
  const networkInputs = Object.keys(network.outputs['dist/network.js']!.inputs);

  it('is kept out of dist/handlers.js, which loads it only when an invocation needs it', () => {
    expect(bundled.filter((input) => input.startsWith('src/runtime/aws/') || /src\/runtime\/(delivery|credentials|payload|network)\.ts$/.test(input))).toEqual([]);
    expect(bundleText).toContain('require("./network.js")');
  });

  it('holds delivery, credentials, payloads and the AWS calls, with no dependency of the policy and no SDK', () => {
    expect(networkInputs).toEqual(
      expect.arrayContaining(['src/runtime/network.ts', 'src/runtime/delivery.ts', 'src/runtime/credentials.ts', 'src/runtime/payload.ts', 'src/runtime/aws/esdk.ts', 'src/runtime/aws/sign.ts']),
    );
    expect(networkInputs.filter((input) => input.includes('node_modules/') || input.startsWith('src/policy/'))).toEqual([]);
  });
});

describe('dist/stack.js, the stack and change-set checks', () => {
  const stack = metafiles.find((m) => m.outputs['dist/stack.js']);
  if (!stack) throw new Error('dist/meta.json has no build of dist/stack.js; run npm run build');
  const stackInputs = Object.keys(stack.outputs['dist/stack.js']!.inputs);

  it('is kept out of dist/handlers.js, which loads it only for a STACK or CHANGE_SET request', () => {
    expect(bundled.filter((input) => input.startsWith('src/template/') || input.includes('node_modules/yaml/') || input === 'src/stack-checks.ts')).toEqual([]);
    expect(bundleText).toContain('require("./stack.js")');
  });

  it('holds the template reader and the policy, and nothing of the network half or the CLI', () => {
    expect(stackInputs).toEqual(expect.arrayContaining(['src/stack-checks.ts', 'src/template/stack.ts', 'src/template/parse.ts', 'src/policy/report.ts']));
    expect(stackInputs.filter((input) => input.startsWith('src/runtime/aws/') || input.startsWith('src/cli/') || /src\/runtime\/(delivery|credentials|fetch-payload)\.ts$/.test(input))).toEqual([]);
  });
});

describe('the type configuration through the generated models, in the bundle', () => {
  type Answer = { hookStatus: string; errorCode?: string; message: string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require('../../dist/handlers.js') as { entrypoint: (event: unknown) => Promise<Answer> };

  beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
  afterEach(() => jest.restoreAllMocks());

  function request(hookModel: unknown): unknown {
    return {
      clientRequestToken: 'token',
      actionInvocationPoint: 'CREATE_PRE_PROVISION',
      hookModel,
      requestData: {
        targetName: 'AWS::ECS::TaskDefinition',
        targetType: 'RESOURCE',
        targetLogicalId: 'WebTask',
        targetModel: {
          resourceProperties: {
            ContainerDefinitions: [
              { Name: 'app', Image: 'registry.example.com/app:1', ReadonlyRootFilesystem: 'true' },
              { Name: 'datadog-agent', Image: 'public.ecr.aws/datadog/agent:7' },
              { Name: 'log_router', Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable' },
            ],
          },
        },
      },
    };
  }

  it('reads both properties from hookModel as CloudFormation sends it', async () => {
    const answer = await bundle.entrypoint(
      request({ ExemptContainerNames: ['datadog-*'], ExemptImages: ['public.ecr.aws/aws-observability/aws-for-fluent-bit:*'] }),
    );
    expect(answer).toMatchObject({
      hookStatus: 'SUCCESS',
      message: "TaskDefinition 'WebTask': 1 container checked, all with a read-only root filesystem. Exempt by configuration: 'datadog-agent', 'log_router'.",
    });
  });

  it('refuses a configuration of the wrong shape, naming the property', async () => {
    const answer = await bundle.entrypoint(request({ ExemptImages: 'public.ecr.aws/*' }));
    expect(answer).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'InvalidTypeConfiguration',
      message: 'Invalid type configuration: ExemptImages must be a list of glob patterns, got a string.',
    });
  });
});
