// Bundles the Lambda handler and the CLI into self-contained files in dist/ (no node_modules at run time).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_BUNDLE } from './esbuild-options.mjs';
import { NOTICES_FILE, thirdPartyLicenses } from './third-party-licenses.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');
const lib = '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';

/** Source of a function that throws `message`: what every stand-in below puts where the runtime never calls. */
const refusing = (message, { async = false } = {}) => `${async ? 'async ' : ''}() => { throw new Error(${JSON.stringify(message)}); }`;

/**
 * The generated models import the plugin library's main module, which loads AWS SDK v2 and its
 * logging and metrics machinery. Only BaseModel and transformValue are used: map the import to the
 * library's SDK-free modules so none of that enters the bundle.
 */
const sdkFreeLibrary = {
  name: 'sdk-free-cloudformation-lib',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${lib.replace(/[/]/g, '\\/')}$`) }, () => ({
      path: 'cfn-lib-models',
      namespace: 'cfn-lib',
    }));
    b.onLoad({ filter: /.*/, namespace: 'cfn-lib' }, () => ({
      contents: [
        `export { BaseModel, Integer } from '${lib}/dist/interface';`,
        `export { transformValue } from '${lib}/dist/recast';`,
      ].join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
    // The reflect-metadata polyfill serves design-type reflection, which deserialisation never reads
    // (the library turns enableImplicitConversion off); class-transformer's @Type only asks for it.
    // A getMetadata that knows nothing keeps every decorator working and spares its load.
    b.onResolve({ filter: /^reflect-metadata$/ }, () => ({ path: 'reflect-metadata', namespace: 'reflect-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'reflect-stub' }, () => ({
      contents: "if (typeof Reflect.getMetadata !== 'function') Reflect.getMetadata = () => undefined;",
      loader: 'js',
    }));
  },
};

/**
 * In dist/models.js only: the library's exceptions module (whose errors transformValue throws on a value of
 * the wrong type) requires its proxy module for one method, toProgressEvent, which turns an exception into a
 * handler's answer. The hook answers through its own runtime and never calls it, while the proxy module
 * defines the library's session and answer classes (their decorators and the builder library run at load)
 * and requires AWS SDK v2. A stand-in whose ProgressEvent refuses to be used spares that load and keeps any
 * such call loud.
 */
const libraryExceptionsOnly = {
  name: 'library-exceptions-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/proxy$/ }, (args) =>
      /cloudformation-cli-typescript-lib[\\/]dist[\\/]exceptions\.js$/.test(args.importer) ? { path: 'proxy', namespace: 'library-proxy-unused' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'library-proxy-unused' }, () => ({
      contents:
        `const unused = ${refusing('ProgressEvent: not in the hook (it answers through its own runtime)')};\n` +
        'exports.ProgressEvent = { failed: unused, success: unused, progress: unused };',
      loader: 'js',
    }));
  },
};

const common = {
  ...NODE_BUNDLE,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [sdkFreeLibrary],
  metafile: true,
};

/**
 * Files loaded apart, only by the invocations that need them:
 * - the runtime's network half (src/runtime/network.ts), dist/network.js, required only when an
 *   invocation delivers logs or reads a payload;
 * - within it, the decryption of encrypted credentials (the Encryption SDK: src/runtime/aws/decrypt.ts),
 *   dist/decrypt.js, required only when the credentials are encrypted;
 * - the stack and change-set checks with the template reader (src/stack-checks.ts), dist/stack.js,
 *   required only for STACK and CHANGE_SET requests;
 * - the generated models with class-transformer and the plugin library's model modules (src/models.ts),
 *   dist/models.js, required only when a type configuration is present (src/configuration.ts).
 * `importer` is the requiring file's path under src/.
 */
const apart = (specifier, importer, file) => ({
  name: `${file}-apart`,
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${specifier.replace(/[./]/g, '\\$&')}$`) }, (args) =>
      args.importer.endsWith(join('src', ...importer.split('/'))) ? { path: `./${file}`, external: true } : undefined,
    );
  },
});

/**
 * What the AWS SDK clients bring that the runtime never runs, replaced at build time:
 * - @aws-sdk/credential-provider-node, the default credential chain (environment, SSO, profiles, IMDS,
 *   each with its own clients): every client is given its credentials explicitly (src/runtime/aws/sdk.ts),
 *   so the chain is never consulted; a provider that fails replaces it.
 * - @aws-crypto/client-node's CommonJS entry: see below.
 * - the SDK's warning for Node.js versions it will stop supporting: the hook runs on the Lambda runtime
 *   the template names (nodejs22.x), so the warning could only reach a developer's local run, as noise in
 *   the hook's output; the variable that disables it is read as "true".
 * - event streams, request compression and node:zlib, and all but the version of each client's
 *   package.json: see each below. Together they were a sixth of dist/network.js and about 5 ms of the
 *   encrypted delivery path's cold start (guide/PERFORMANCE.md).
 * - what the first call loads without needing it: node:fs/promises (the shared config files) and Node's
 *   WHATWG streams (the SDK's checks for a web stream): see below.
 */
const sdkTrimmed = {
  name: 'sdk-trimmed',
  setup(b) {
    // Each client's package.json is imported whole for one field, its version in the User-Agent header.
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]package\.json$/ }, (args) => ({
      contents: JSON.stringify({ version: JSON.parse(readFileSync(args.path, 'utf8')).version }),
      loader: 'json',
    }));
    // Event streams (the logs client's live tail; the protocol layer loads them for such operations only):
    // no call of the runtime streams. The logs client resolves a marshaller when it is built, so the
    // stand-in keeps the SDK's own resolver and gives a marshaller, and an event-stream serde, that refuse use.
    const smithyCore = dirname(createRequire(join(root, 'package.json')).resolve('@smithy/core/package.json'));
    b.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, () => ({ path: 'event-streams', namespace: 'no-event-streams' }));
    b.onLoad({ filter: /.*/, namespace: 'no-event-streams' }, () => ({
      contents:
        `export { resolveEventStreamSerdeConfig } from ${JSON.stringify(join(smithyCore, 'dist-es/submodules/event-streams/eventstream-serde-config-resolver/EventStreamSerdeConfig.js'))};\n` +
        `const unused = ${refusing('event streams: no call of the runtime uses them')};\n` +
        'export const eventStreamSerdeProvider = () => ({ serialize: unused, deserialize: unused });\n' +
        'export class EventStreamSerde { constructor() { unused(); } }',
      resolveDir: root,
      loader: 'js',
    }));
    // node:zlib, loaded at start for two things the runtime never does: request compression (the
    // CloudWatch client has it turned off, src/runtime/delivery.ts) and CRC32 checksums (flexible checksums
    // and event streams). The compressors refuse use; CRC32 is the SDK's portable one, with the same results.
    b.onResolve({ filter: /^\.\/(compressString|compressStream)$/ }, (args) =>
      /@smithy[\\/]middleware-compression[\\/]/.test(args.importer) ? { path: args.path.slice(2), namespace: 'no-compression' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-compression' }, (args) => ({
      contents: `export const ${args.path} = ${refusing('request compression: turned off in the runtime', { async: true })};`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/crc32\/Crc32Node$/ }, (args) =>
      /@smithy[\\/]core[\\/].*[\\/]checksum[\\/]index\.js$/.test(args.importer) ? { path: join(dirname(args.importer), 'crc32', 'Crc32Js.js'), namespace: 'crc32-portable' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'crc32-portable' }, (args) => ({
      contents: `export { Crc32Js as Crc32Node } from ${JSON.stringify(args.path)};`,
      resolveDir: root,
      loader: 'js',
    }));
    // The SDK's checks for a web ReadableStream or Blob read the ReadableStream global, which Node defines
    // lazily: the first read of every response body loads and compiles the WHATWG streams (about 0.8 ms).
    // The body is a Node.js stream (the SDK's own HTTP handler), never one of those: answered without the global.
    b.onResolve({ filter: /^\.\.?\/stream-type-check$/ }, (args) =>
      /@smithy[\\/]core[\\/].*[\\/]util-stream[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), args.path + '.js'), namespace: 'node-stream-check' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'node-stream-check' }, (args) => ({
      contents:
        "import { Readable } from 'node:stream';\n" +
        `import { isBlob as blob, isReadableStream as web } from ${JSON.stringify(args.path)};\n` +
        'export const isReadableStream = (stream) => !(stream instanceof Readable) && web(stream);\n' +
        'export const isBlob = (value) => !(value instanceof Readable) && blob(value);',
      resolveDir: root,
      loader: 'js',
    }));
    // Every setting a client is not given is looked up in the shared config files (~/.aws/config and
    // credentials; absent on Lambda) through node:fs/promises, whose first load (with its FileHandle and
    // readline machinery) costs about 1 ms. The same read of the same file, through node:fs's callback API:
    b.onResolve({ filter: /^node:fs\/promises$/ }, (args) =>
      /@smithy[\\/]core[\\/].*[\\/]shared-ini-file-loader[\\/]readFile\.js$/.test(args.importer) ? { path: 'fs-promises', namespace: 'fs-callback' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'fs-callback' }, () => ({
      contents: "import { readFile as read } from 'node:fs';\nexport const readFile = (path, encoding) => new Promise((resolve, reject) => read(path, encoding, (error, text) => (error ? reject(error) : resolve(text))));",
      loader: 'js',
    }));
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: 'credential-provider-node', namespace: 'no-default-credentials' }));
    b.onLoad({ filter: /.*/, namespace: 'no-default-credentials' }, () => ({
      contents: `exports.defaultProvider = () => ${refusing('credentials are always given explicitly', { async: true })};`,
      loader: 'js',
    }));
    // The Encryption SDK's package names only its CommonJS build, whose index requires every keyring (the
    // hierarchical one brings a DynamoDB client) and the encrypt side; its ES module build, beside it,
    // lets esbuild keep only the decryptor and the KMS keyring the runtime imports.
    // Found the way Node finds the package (from here upwards): Stryker's sandbox builds before it links
    // node_modules into itself, and finds the project's by walking up.
    const commonJs = createRequire(join(root, 'package.json')).resolve('@aws-crypto/client-node');
    b.onResolve({ filter: /^@aws-crypto\/client-node$/ }, () => ({
      path: join(dirname(commonJs), '..', '..', 'module', 'src', 'index.js'),
    }));
  },
};
/**
 * dist/decrypt.js takes the SDK from dist/network.js, which is always loaded before it: the KMS client
 * and the runtime's client settings (src/runtime/network.ts exports them), so the SDK's core is
 * compiled once. The Encryption SDK's KMS keyring module also names the aggregated `KMS` client (every
 * KMS command) for its default client factory, which the runtime never uses (it always passes its own
 * client provider): a class that refuses to be constructed stands in for it.
 */
const decryptOnNetwork = {
  name: 'decrypt-on-network',
  setup(b) {
    const shared = {
      '@aws-sdk/client-kms':
        "const n = require('./network.js'); module.exports = { KMSClient: n.KMSClient, DecryptCommand: n.DecryptCommand, " +
        "KMS: class KMS { constructor() { throw new Error('the runtime passes its own KMS client'); } } };",
      './sdk':
        "const n = require('./network.js'); module.exports = { AwsCallError: n.AwsCallError, callWithin: n.callWithin, clientConfig: n.clientConfig, whenWritten: n.whenWritten };",
    };
    b.onResolve({ filter: /^(@aws-sdk\/client-kms|\.\/sdk)$/ }, (args) =>
      args.path !== './sdk' || args.importer.endsWith(join('src', 'runtime', 'aws', 'decrypt.ts')) ? { path: args.path, namespace: 'from-network' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'from-network' }, (args) => ({ contents: shared[args.path], loader: 'js' }));
    b.onResolve({ filter: /^\.\/network\.js$/ }, () => ({ path: './network.js', external: true }));
  },
};

/**
 * What the Encryption SDK's decryptor brings that the runtime's decryption never runs, replaced in
 * dist/decrypt.js only:
 * - the portable decoders of EC public keys (@aws-crypto/material-management's ecc_decode, ecc_encode and
 *   pem_helpers: bn.js arithmetic, computed for both curves at load, and an asn1.js encoder, defined at
 *   load): src/runtime/aws/decrypt.ts gives the SDK the signer's key already decoded by Node's crypto, so
 *   they are only reached by signing (encryption) and by the SDK's default key decoding, neither of which
 *   the runtime uses; a stand-in that throws keeps any such call loud.
 * - readable-stream, the npm copy of Node's streams the decryptor pipes through: replaced by Node's own
 *   `stream` classes and helpers, as readable-stream itself offers with READABLE_STREAM=disable.
 * - the decryption pipeline the decryptor's module builds at load and drops: see below.
 */
const decryptTrimmed = {
  name: 'decrypt-trimmed',
  setup(b) {
    const unused = (name) => refusing(`${name}: not in the runtime (it decodes keys with node:crypto)`);
    const stubs = {
      ecc_decode: `export const decodeNamedCurves = Object.freeze({ prime256v1: ${unused('decodeNamedCurves')}, secp384r1: ${unused('decodeNamedCurves')} });`,
      ecc_encode: `export const encodeNamedCurves = Object.freeze({ prime256v1: ${unused('encodeNamedCurves')}, secp384r1: ${unused('encodeNamedCurves')} });`,
      pem_helpers: `export const publicKeyPem = ${unused('publicKeyPem')}; export const privateKeyPem = ${unused('privateKeyPem')};`,
    };
    b.onResolve({ filter: /^\.\/(ecc_decode|ecc_encode|pem_helpers)$/ }, (args) =>
      /@aws-crypto[\\/]material-management[\\/]/.test(args.importer) ? { path: args.path.slice(2), namespace: 'unused-key-codec' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'unused-key-codec' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
    // decrypt_client.js ends with a stray call, decryptUnsignedMessageStream({}), that builds a whole
    // decryption pipeline (header parser, verifier, decipher, duplexify) at load and drops it: about 1.5 ms
    // of every cold load. Dropped here; nothing reads what it made. Left as it is if a release drops it.
    b.onLoad({ filter: /[\\/]@aws-crypto[\\/]decrypt-node[\\/]build[\\/]module[\\/]src[\\/]decrypt_client\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/^decryptUnsignedMessageStream\(\{\}\);$/m, ''),
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
    b.onResolve({ filter: /^readable-stream$/ }, () => ({ path: 'readable-stream', namespace: 'node-stream' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stream' }, () => ({
      contents:
        "const S = require('stream'); module.exports = { Stream: S, Readable: S.Readable, Writable: S.Writable, Duplex: S.Duplex, " +
        'Transform: S.Transform, PassThrough: S.PassThrough, finished: S.finished, pipeline: S.pipeline };',
      loader: 'js',
    }));
  },
};

const sdkOptions = {
  // The packages' ES module builds: esbuild drops what the runtime does not import (other commands, keyrings).
  mainFields: ['module', 'main'],
  define: { 'process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED': '"true"' },
  // Those builds load some Node modules lazily with import(): as require() in this CommonJS bundle, they
  // load the same way in every host (a VM context such as Jest's has no dynamic import callback).
  supported: { 'dynamic-import': false },
};

mkdirSync(outdir, { recursive: true });
const results = await Promise.all([
  build({ ...common, plugins: [...common.plugins, apart('./network', 'runtime/wrapper.ts', 'network.js'), apart('./stack-checks', 'handlers.ts', 'stack.js'), apart('./models', 'configuration.ts', 'models.js')], entryPoints: { handlers: join(root, 'src/handlers.ts') }, outdir }),
  build({
    ...common,
    ...sdkOptions,
    plugins: [...common.plugins, sdkTrimmed, apart('./aws/decrypt', 'runtime/credentials.ts', 'decrypt.js')],
    entryPoints: { network: join(root, 'src/runtime/network.ts') },
    outdir,
  }),
  build({
    ...common,
    ...sdkOptions,
    plugins: [...common.plugins, sdkTrimmed, decryptOnNetwork, decryptTrimmed],
    entryPoints: { decrypt: join(root, 'src/runtime/aws/decrypt.ts') },
    outdir,
  }),
  // The plugin library's exceptions take their error code from their class's name.
  build({ ...common, keepNames: true, plugins: [...common.plugins, libraryExceptionsOnly], entryPoints: { models: join(root, 'src/models.ts') }, outdir }),
  build({ ...common, entryPoints: { stack: join(root, 'src/stack-checks.ts') }, outdir }),
  build({ ...common, entryPoints: { cli: join(root, 'src/cli/main.ts') }, outdir, banner: { js: '#!/usr/bin/env node' } }),
]);
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(results.map((r) => r.metafile)));
writeFileSync(join(outdir, NOTICES_FILE), thirdPartyLicenses(root, results.map((r) => r.metafile)));
