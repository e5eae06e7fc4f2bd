// Writes the registration package that `cfn submit` would upload, without the cfn CLI, SAM or Docker:
//   node scripts/package.mjs [--out FILE]
// Beside it, <type>-lambda-hook.zip: the same bundle as the code of the Lambda hook's function
// (deploy/lambda-hook.yml).
// Layout as `cfn submit --dry-run` writes it for a hook: .rpdk-config, schema.json,
// configuration-schema.json, inputs/, target-info.json, target-schemas/ and ResourceProvider.zip
// (the bundle at the path the entrypoint names). The files cfn derives are serialised the way its
// Python code does (json.dumps, indent 4, ASCII only). Entries are sorted, stored uncompressed (as cfn
// does, which keeps the bytes independent of the zlib build) and dated 1980-01-01, so the same sources
// give the same bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SPECIAL_TARGETS = new Set(['STACK', 'CHANGE_SET']);
// Local time on purpose: yazl converts with local-time getters, so the DOS fields read 1980-01-01 00:00 in any zone.
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

/** Python's json.dumps(value, indent=n): same layout as JSON.stringify, but every non-ASCII or DEL character escaped. */
export function pythonJson(value, indent = 4) {
  checkKeyOrder(value);
  return JSON.stringify(value, null, indent).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// JavaScript moves integer-like keys to the front; Python keeps file order. Refuse rather than differ.
function checkKeyOrder(value) {
  if (Array.isArray(value)) return value.forEach(checkKeyOrder);
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (/^(0|[1-9]\d*)$/.test(key)) throw new Error(`cannot keep the order of the integer-like key '${key}'`);
    checkKeyOrder(child);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`${relative(root, path)} is not valid JSON: ${error.message}`);
  }
}

/** Lower-cased, hyphen-joined type name: the file names cfn uses (project.hypenated_name, target-schemas/). */
export function hyphenated(typeName) {
  return typeName.split('::').map((part) => part.toLowerCase()).join('-');
}

/** "dist/handlers.entrypoint" -> "dist/handlers.js": the file Lambda loads for a Node.js handler. */
export function handlerFile(entrypoint) {
  const dot = entrypoint.lastIndexOf('.');
  if (dot <= 0) fail(`entrypoint '${entrypoint}' in .rpdk-config does not name module.function`);
  return `${entrypoint.slice(0, dot)}.js`;
}

/** What cfn writes to target-info.json: one entry per target, sorted, with the schema from target-schemas/. */
function targetInfo(schema) {
  const schemas = new Map();
  const dir = join(root, 'target-schemas');
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const target = readJson(join(dir, file));
    if (typeof target.typeName !== 'string') fail(`target-schemas/${file} has no typeName`);
    schemas.set(target.typeName, target);
  }
  const names = new Set();
  for (const handler of Object.values(schema.handlers ?? {})) {
    for (const name of handler.targetNames ?? []) if (!SPECIAL_TARGETS.has(name)) names.add(name);
  }
  const info = {};
  for (const name of [...names].sort()) {
    if (/[*?]/.test(name)) fail(`target name '${name}' has a wildcard: list the targets by name`);
    const targetSchema = schemas.get(name);
    if (!targetSchema) fail(`no schema for target ${name} in target-schemas/`);
    info[name] = {
      TypeName: name,
      TargetName: name,
      TargetType: 'RESOURCE',
      Schema: targetSchema,
      IsCfnRegistrySupportedType: true,
      SchemaFileAvailable: true,
    };
  }
  return info;
}

function zipBuffers(entries) {
  return new Promise((resolveZip, reject) => {
    const zip = new yazl.ZipFile();
    const chunks = [];
    zip.outputStream.on('data', (chunk) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolveZip(Buffer.concat(chunks)));
    for (const [name, data] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      zip.addBuffer(data, name, { mtime: FIXED_DATE, mode: 0o100644, compress: false, forceDosTimestamp: true });
    }
    zip.end();
  });
}

/**
 * The handler file loads from beside it its network half (src/runtime/network.ts), its stack and
 * change-set checks (src/stack-checks.ts) and the generated models (src/models.ts); the network half
 * loads the decryption of encrypted credentials (src/runtime/aws/decrypt.ts) from beside itself.
 */
// THIRD-PARTY-LICENSES.txt: the licences of the packages the bundles carry, which ship with them.
const SIDE_FILES = ['network.js', 'decrypt.js', 'stack.js', 'models.js', 'THIRD-PARTY-LICENSES.txt'];
/** The Lambda hook's handler, exported by the same bundle (deploy/lambda-hook.yml names it). */
export const LAMBDA_HANDLER = 'dist/handlers.lambdaHook';

/** Bundles into a private directory, so a package never reads a dist/ that another build is rewriting. */
function buildBundle(files) {
  const outdir = mkdtempSync(join(tmpdir(), 'hook-package-'));
  try {
    const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), relative(root, outdir)], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (built.status !== 0) fail('the build failed');
    return files.map((file) => [file, readFileSync(join(outdir, file.replace(/^dist\//, '')))]);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function createPackage() {
  const settingsBytes = readFileSync(join(root, '.rpdk-config'));
  const settings = JSON.parse(settingsBytes.toString('utf8'));
  if (settings.artifact_type !== 'HOOK') fail('.rpdk-config is not a hook project (artifact_type HOOK)');
  const schemaPath = join(root, `${hyphenated(settings.typeName)}.json`);
  const schemaBytes = readFileSync(schemaPath);
  const schema = readJson(schemaPath);
  if (schema.typeName !== settings.typeName) fail(`the schema's typeName is not ${settings.typeName}`);

  const handler = handlerFile(settings.entrypoint);
  if (!handler.startsWith('dist/')) fail(`entrypoint '${settings.entrypoint}' is not in dist/, where the build writes`);

  const entries = new Map([
    ['.rpdk-config', settingsBytes],
    ['schema.json', schemaBytes],
  ]);
  if (schema.typeConfiguration) {
    // project.load_configuration_schema(): the typeConfiguration with definitions and typeName added.
    const configuration = { ...schema.typeConfiguration, definitions: schema.definitions ?? {}, typeName: settings.typeName };
    entries.set('configuration-schema.json', Buffer.from(pythonJson(configuration), 'utf8'));
  }
  const inputs = join(root, 'inputs');
  for (const file of readdirSync(inputs)) {
    if (statSync(join(inputs, file)).isFile()) entries.set(`inputs/${file}`, readFileSync(join(inputs, file)));
  }
  const targets = targetInfo(schema);
  entries.set('target-info.json', Buffer.from(pythonJson(targets), 'utf8'));
  for (const [name, info] of Object.entries(targets)) {
    entries.set(`target-schemas/${hyphenated(name)}.json`, Buffer.from(pythonJson(info.Schema), 'utf8'));
  }
  const dir = handler.slice(0, handler.lastIndexOf('/') + 1);
  const bundle = buildBundle([handler, ...SIDE_FILES.map((file) => `${dir}${file}`)]);
  entries.set('ResourceProvider.zip', await zipBuffers(bundle));
  return {
    name: `${hyphenated(settings.typeName)}.zip`,
    data: await zipBuffers(entries),
    entries: [...entries.keys()].sort(),
    // The same bundle as an AWS::Lambda::Function's code, for deploy/lambda-hook.yml.
    lambda: { name: `${hyphenated(settings.typeName)}-lambda-hook.zip`, data: await zipBuffers(bundle) },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const valid = args.length === 0 || (args.length === 2 && args[0] === '--out' && args[1] !== '');
  if (!valid) fail('usage: node scripts/package.mjs [--out FILE]');
  const pkg = await createPackage();
  const out = args.length === 2 ? resolve(args[1]) : join(root, pkg.name);
  writeFileSync(out, pkg.data);
  console.log(`Wrote ${relative(process.cwd(), out) || out} (${pkg.data.length} bytes): ${pkg.entries.join(', ')}`);
  const lambdaOut = join(dirname(out), pkg.lambda.name);
  writeFileSync(lambdaOut, pkg.lambda.data);
  console.log(`Wrote ${relative(process.cwd(), lambdaOut) || lambdaOut} (${pkg.lambda.data.length} bytes): the Lambda hook's code (handler ${LAMBDA_HANDLER})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
