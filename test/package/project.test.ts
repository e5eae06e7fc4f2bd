/**
 * The cfn project files agree with each other and build the bundle the way each tool asks for it:
 * the TypeScript plugin runs `<settings.buildCommand> TypeFunction` and zips build/TypeFunction/;
 * `sam build` runs `make build-<LogicalId>` with ARTIFACTS_DIR set.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { readJson, root } from './support';

interface Settings {
  artifact_type: string;
  typeName: string;
  language: string;
  runtime: string;
  entrypoint: string;
  testEntrypoint: string;
  settings: Record<string, unknown>;
}
interface SamFunction {
  Type: string;
  Properties: { Handler: string; Runtime: string; CodeUri: string };
  Metadata?: { BuildMethod: string };
}

const settings = readJson<Settings>('.rpdk-config');
const template = parse(readFileSync(join(root, 'template.yml'), 'utf8')) as { Transform: string; Resources: Record<string, SamFunction> };

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'project-test-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs make in the project with the bundle written to a private directory (no race with dist/). */
function make(args: string[], bundleDir: string, env: Record<string, string> = {}) {
  return spawnSync('make', ['--no-print-directory', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BUNDLE_DIR: relative(root, bundleDir), ...env },
  });
}

describe('.rpdk-config', () => {
  it('is a TypeScript hook project as cfn init writes it', () => {
    expect(Object.keys(settings)).toEqual(['artifact_type', 'typeName', 'language', 'runtime', 'entrypoint', 'testEntrypoint', 'settings']);
    expect(settings).toMatchObject({
      artifact_type: 'HOOK',
      typeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
      language: 'typescript',
      runtime: 'nodejs22.x',
      entrypoint: 'dist/handlers.entrypoint',
      testEntrypoint: 'dist/handlers.testEntrypoint',
    });
    expect(settings.settings).toMatchObject({ protocolVersion: '2.0.0', use_docker: false, no_docker: true, buildCommand: 'make' });
  });

  it('names the schema file cfn looks for', () => {
    const file = `${settings.typeName.split('::').join('-').toLowerCase()}.json`;
    expect(readJson<{ typeName: string }>(file).typeName).toBe(settings.typeName);
  });
});

describe('template.yml', () => {
  it('declares the two functions with the entry points and runtime of .rpdk-config, built by make', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
    const functions = Object.fromEntries(
      Object.entries(template.Resources).map(([name, fn]) => [name, { ...fn.Properties, Type: fn.Type, BuildMethod: fn.Metadata?.BuildMethod }]),
    );
    const common = { Type: 'AWS::Serverless::Function', Runtime: settings.runtime, CodeUri: './', BuildMethod: 'makefile' };
    expect(functions).toEqual({
      TestEntrypoint: { ...common, Handler: settings.testEntrypoint },
      TypeFunction: { ...common, Handler: settings.entrypoint },
    });
  });
});

describe('Makefile', () => {
  it('builds build/TypeFunction/ when run as the TypeScript plugin runs the buildCommand', () => {
    const bundleDir = join(work, 'plugin-bundle');
    // codegen.py: command = buildCommand + " " + "TypeFunction", run by the shell in the project root.
    const command = `${String(settings.settings.buildCommand)} TypeFunction`;
    execFileSync('sh', ['-c', command], {
      cwd: root,
      env: { ...process.env, BUNDLE_DIR: relative(root, bundleDir), MAKEFLAGS: '--no-print-directory' },
      stdio: 'pipe',
    });
    const built = join(root, 'build', 'TypeFunction');
    expect(readdirSync(built, { recursive: true }).sort()).toEqual(['dist', 'dist/decrypt.js', 'dist/handlers.js', 'dist/models.js', 'dist/network.js', 'dist/stack.js']);
    expect(readFileSync(join(built, 'dist', 'handlers.js')).equals(readFileSync(join(bundleDir, 'handlers.js')))).toBe(true);
  });

  it.each(['TypeFunction', 'TestEntrypoint'])('honours the SAM makefile contract for %s', (logicalId) => {
    const artifacts = join(work, `artifacts-${logicalId}`);
    const bundleDir = join(work, `bundle-${logicalId}`);
    const result = make([`build-${logicalId}`], bundleDir, { ARTIFACTS_DIR: artifacts });
    expect(result.status).toBe(0);
    expect(readdirSync(artifacts, { recursive: true }).sort()).toEqual(['dist', 'dist/decrypt.js', 'dist/handlers.js', 'dist/models.js', 'dist/network.js', 'dist/stack.js']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = require(join(artifacts, 'dist', 'handlers.js')) as Record<string, unknown>;
    expect(typeof handler.entrypoint).toBe('function');
    expect(typeof handler.testEntrypoint).toBe('function');
  });

  it('refuses to build for SAM without ARTIFACTS_DIR, before bundling', () => {
    const bundleDir = join(work, 'no-artifacts');
    const result = make(['build-TypeFunction'], bundleDir, { ARTIFACTS_DIR: '' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('ARTIFACTS_DIR is not set: sam build sets it; or run make TypeFunction');
    expect(existsSync(bundleDir)).toBe(false);
  });
});
