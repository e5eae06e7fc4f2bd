/**
 * The Lambda bundle stays free of AWS SDK v2: the generated models import the plugin library's main
 * module, which requires the SDK, and scripts/build.mjs maps that import to the library's SDK-free
 * modules. Read from esbuild's metafile (dist/meta.json, written by `npm run build`) and the bundle.
 */
import { execFileSync } from 'node:child_process';
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
const models = metafiles.find((m) => m.outputs['dist/models.js']);
if (!models) throw new Error('dist/meta.json has no build of dist/models.js; run npm run build');
const modelInputs = Object.keys(models.outputs['dist/models.js']!.inputs);

describe('dist/handlers.js', () => {
  it('contains no AWS SDK module', () => {
    expect(bundled.filter((input) => input.includes('node_modules/aws-sdk/') || input.includes('node_modules/@aws-sdk/'))).toEqual([]);
    expect(bundleText).not.toContain('aws-sdk');
  });

  it('imports no AWS SDK v2 module, nor does any other file the build writes', () => {
    const v2 = metafiles.flatMap((m) => Object.values(m.inputs).flatMap((input) => input.imports)).filter((i) => /^aws-sdk(\/|$)/.test(i.original ?? i.path));
    expect(v2).toEqual([]);
    expect(metafiles.flatMap((m) => Object.keys(m.inputs)).filter((input) => input.includes('node_modules/aws-sdk/'))).toEqual([]);
  });

  it('leaves the generated models and their machinery to dist/models.js, required only with a configuration', () => {
    expect(bundled.filter((input) => input.startsWith(LIB) || input.includes('node_modules/class-transformer/') || input === 'src/models.ts')).toEqual([]);
    expect(bundleText).toContain('require("./models.js")');
  });
});

describe('dist/models.js, the generated models', () => {
  it('takes from the plugin library only its SDK-free model modules, never its main module or its proxy', () => {
    expect(modelInputs.filter((input) => input.startsWith(LIB)).sort()).toEqual(['dist/exceptions.js', 'dist/interface.js', 'dist/recast.js'].map((file) => LIB + file));
    expect(modelInputs).toContain('library-proxy-unused:proxy');
    expect(modelInputs.filter((input) => input.includes('node_modules/aws-sdk/') || input.includes('node_modules/@aws-sdk/'))).toEqual([]);
  });

  it('takes the generated models, and their import of the library goes to the SDK-free modules', () => {
    expect(modelInputs).toContain('src/models.ts');
    expect(modelInputs.filter((input) => input.startsWith('src/') && input !== 'src/models.ts')).toEqual([]);
    const modelImports = models.inputs['src/models.ts']!.imports.filter((i) => i.original?.startsWith('@amazon-web-services-cloudformation/'));
    expect(modelImports.map((i) => i.path)).toEqual(['cfn-lib:cfn-lib-models']);
    expect(models.inputs['cfn-lib:cfn-lib-models']!.imports.map((i) => i.path).sort()).toEqual([`${LIB}dist/interface.js`, `${LIB}dist/recast.js`]);
  });
});

describe('dist/network.js, the network half, and dist/decrypt.js, the decryption it loads', () => {
  const network = metafiles.find((m) => m.outputs['dist/network.js']);
  const decrypt = metafiles.find((m) => m.outputs['dist/decrypt.js']);
  if (!network || !decrypt) throw new Error('dist/meta.json has no build of dist/network.js or dist/decrypt.js; run npm run build');
  const networkInputs = Object.keys(network.outputs['dist/network.js']!.inputs);
  const decryptInputs = Object.keys(decrypt.outputs['dist/decrypt.js']!.inputs);
  const packages = (inputs: string[]): string[] => [...new Set(inputs.map((i) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(i)?.[1]).filter((p): p is string => p !== undefined))];

  it('are kept out of dist/handlers.js, which loads the network half only when an invocation needs it', () => {
    expect(bundled.filter((input) => input.startsWith('src/runtime/aws/') || /src\/runtime\/(delivery|credentials|payload|network)\.ts$/.test(input))).toEqual([]);
    expect(bundleText).toContain('require("./network.js")');
  });

  it('the network half holds delivery, credentials and payloads, the SDK clients, and no Encryption SDK', () => {
    expect(networkInputs).toEqual(expect.arrayContaining(['src/runtime/network.ts', 'src/runtime/delivery.ts', 'src/runtime/credentials.ts', 'src/runtime/payload.ts']));
    expect(networkInputs.filter((input) => input.startsWith('src/policy/') || input.startsWith('src/runtime/aws/decrypt'))).toEqual([]);
    const clients = packages(networkInputs).filter((p) => p.startsWith('@aws-sdk/client-'));
    expect(clients.sort()).toEqual(['@aws-sdk/client-cloudwatch', '@aws-sdk/client-cloudwatch-logs', '@aws-sdk/client-kms', '@aws-sdk/client-sts']);
    expect(packages(networkInputs).filter((p) => p.startsWith('@aws-crypto/') || p === '@aws-sdk/credential-provider-node')).toEqual([]);
    expect(readFileSync(join(root, 'dist', 'network.js'), 'utf8')).toContain('require("./decrypt.js")');
  });

  it('the network half leaves out what no call of the runtime does: event streams, request compression, node:zlib', () => {
    // Stand-ins made by scripts/build.mjs; loading the file must not load node:zlib (it costs every cold start).
    expect(networkInputs.filter((i) => /@smithy\/core\/dist-es\/submodules\/event-streams\/(?!eventstream-serde-config-resolver\/)/.test(i))).toEqual([]);
    expect(networkInputs.filter((i) => /middleware-compression\/dist-es\/compress(String|Stream)\.js$|checksum\/crc32\/Crc32Node\.js$/.test(i))).toEqual([]);
    expect(networkInputs.filter((i) => /^(no-event-streams|no-compression|crc32-portable):/.test(i)).sort()).toEqual(['no-compression:compressStream', 'no-compression:compressString', 'no-event-streams:event-streams']);
    const loaded = execFileSync(process.execPath, ['-e', 'const s = new Set(process.moduleLoadList); require(process.argv[1]); console.log(process.moduleLoadList.filter((m) => !s.has(m)).join(","))', join(root, 'dist', 'network.js')], { encoding: 'utf8' });
    expect(loaded).toContain('NativeModule https');
    expect(loaded).not.toContain('zlib');
  });

  it('a call through the network half loads neither node:fs/promises nor the WHATWG streams', () => {
    // Stand-ins made by scripts/build.mjs: the shared config files are read through node:fs, and a response
    // body (a Node.js stream) is collected without reading the lazily defined ReadableStream global.
    const child = `
      const http = require('node:http');
      const before = new Set(process.moduleLoadList);
      const server = http.createServer((req, res) => req.resume().on('end', () => {
        res.setHeader('content-type', 'text/xml');
        res.end('<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
          '<AccessKeyId>AKID</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>' +
          '<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>');
      }));
      server.listen(0, '127.0.0.1', async () => {
        process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:' + server.address().port;
        const { assumeRole } = require(process.argv[1]);
        const role = await assumeRole('arn:aws:iam::123456789012:role/r', 'us-east-1', { accessKeyId: 'AKIDOWN', secretAccessKey: 'own' }, new AbortController().signal);
        server.close();
        console.log(JSON.stringify({ key: role.accessKeyId, loaded: process.moduleLoadList.filter((m) => !before.has(m)) }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', child, join(root, 'dist', 'network.js')], { encoding: 'utf8', env: { PATH: process.env.PATH } })) as { key: string; loaded: string[] };
    expect(out.key).toBe('AKID');
    expect(out.loaded.filter((m) => /fs\/promises|webstreams\/readablestream/.test(m))).toEqual([]);
    expect(readFileSync(join(root, 'dist', 'network.js'), 'utf8')).not.toContain('node:fs/promises');
  });

  it("bundles of each client's package.json only the version its User-Agent header names", () => {
    const text = readFileSync(join(root, 'dist', 'network.js'), 'utf8');
    const version = (JSON.parse(readFileSync(join(root, 'node_modules', '@aws-sdk', 'client-sts', 'package.json'), 'utf8')) as { version: string }).version;
    expect(text).toContain(`version:"${version}"`);
    expect(text).not.toContain('"homepage"');
    expect(text).not.toMatch(/aws-sdk-js-v3\/tree/);
  });

  it('the decryption holds the Encryption SDK decryptor and KMS keyring, takes the SDK from the network half, and no other keyring', () => {
    expect(decryptInputs).toContain('src/runtime/aws/decrypt.ts');
    const found = packages(decryptInputs);
    expect(found).toEqual(expect.arrayContaining(['@aws-crypto/decrypt-node', '@aws-crypto/kms-keyring-node']));
    expect(found.filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/') || /branch-keystore|raw-rsa|raw-aes|encrypt-node/.test(p))).toEqual([]);
    expect(readFileSync(join(root, 'dist', 'decrypt.js'), 'utf8')).toContain('require("./network.js")');
  });

  it('loading the decryption builds no decryption pipeline (the Encryption SDK module makes and drops one at load)', () => {
    // Every pipeline of the decryptor goes through stream.pipeline, read when dist/decrypt.js loads.
    const child = `
      const stream = require('node:stream');
      let built = 0;
      const pipeline = stream.pipeline;
      stream.pipeline = (...args) => { built += 1; return pipeline(...args); };
      require(process.argv[1]);
      console.log(built);`;
    expect(execFileSync(process.execPath, ['-e', child, join(root, 'dist', 'decrypt.js')], { encoding: 'utf8' }).trim()).toBe('0');
  });

  it('the decryption leaves out what it never runs: the portable EC key codecs (asn1.js) and the npm copy of Node streams', () => {
    // The signer key is decoded by node:crypto (src/runtime/aws/decrypt.ts); streams are Node's own.
    expect(packages(decryptInputs).filter((p) => p === 'asn1.js' || p === 'readable-stream')).toEqual([]);
    expect(decryptInputs.filter((i) => /material-management\/build\/[^/]+\/src\/(ecc_decode|ecc_encode|pem_helpers)\.js$/.test(i))).toEqual([]);
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

describe('dist/THIRD-PARTY-LICENSES.txt', () => {
  const notices = readFileSync(join(root, 'dist', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
  const named = (line: string): string => line.slice(0, line.indexOf(' '));
  const listed = new Set(notices.split('\n').filter((l) => / \(.*\), in [a-z]+\.js/.test(l)).map(named));

  it('names every package a bundle carries, with the bundles that carry it', () => {
    const packages = new Set<string>();
    for (const m of metafiles) {
      for (const [output, info] of Object.entries(m.outputs)) {
        if (!output.endsWith('.js')) continue;
        for (const input of Object.keys(info.inputs)) {
          const at = input.lastIndexOf('node_modules/');
          const match = at < 0 ? null : /^((?:@[^/]+\/)?[^/]+)\//.exec(input.slice(at + 'node_modules/'.length));
          if (match) packages.add(match[1]!);
        }
      }
    }
    expect(packages.size).toBeGreaterThan(20);
    expect([...listed].sort()).toEqual([...packages].sort());
    expect(notices).toMatch(/^yaml \d+\.\d+\.\d+ \(ISC\), in cli\.js, stack\.js$/m);
    expect(notices).toMatch(/^diff \d+\.\d+\.\d+ \(BSD-3-Clause\), in cli\.js$/m);
  });

  it('carries each licence text once, with the packages under it', () => {
    // 22 packages under Apache-2.0, in a few copies of its text (they differ in their appendix).
    const apache = notices.split('\n').filter((l) => /^\S+ \S+ \(Apache[- ]/.test(l)).length;
    expect(apache).toBeGreaterThan(15);
    expect(notices.split('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION').length - 1).toBeLessThan(apache / 3);
    // js-yaml's MIT text, with its copyright line.
    expect(notices).toContain('Copyright (C) 2011-2015 by Vitaly Puzrin');
  });
});
