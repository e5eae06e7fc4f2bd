// The checker run as a new user runs it: on a repository where CloudFormation templates sit beside
// Kubernetes manifests, a Helm chart, a compose file and JSON configuration files.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, TEMPLATES } from './support';

const REPO = join(TEMPLATES, 'repo');
let work: string;

beforeAll(() => {
  // A copy, with what a real checkout has and git does not keep here: node_modules and .git.
  work = join(mkdtempSync(join(tmpdir(), 'cli-repo-')), 'repo');
  cpSync(REPO, work, { recursive: true });
  const failing = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - {Name: x, Image: y}\n';
  mkdirSync(join(work, 'node_modules', 'some-dep'), { recursive: true });
  writeFileSync(join(work, 'node_modules', 'some-dep', 'template.yaml'), failing);
  mkdirSync(join(work, '.git', 'refs'), { recursive: true });
  writeFileSync(join(work, '.git', 'refs', 'template.json'), JSON.stringify({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'x' }] } } } }));
});

afterAll(() => rmSync(join(work, '..'), { recursive: true, force: true }));

const run = (args: string[]) => cli(args, { cwd: work });

describe('validate on a repository', () => {
  it('checks only the templates: the rest is counted as not a template, never an ERROR', () => {
    const r = run(['validate', '.']);
    expect(r.status).toBe(19);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter((l) => /^(PASS|FAIL|SKIP|ERROR) /.test(l))).toEqual(['PASS infra/compliant.json', 'SKIP infra/network.yml: no ECS task definitions', 'FAIL infra/service.yaml']);
    expect(r.stdout).toContain(
      '13 files: 1 PASS, 1 FAIL, 11 SKIP (10 not a template), 0 ERROR; 3 task definitions, 2 non-compliant; containers: 4 failing, 1 passing, 0 exempt, 0 suppressed\n',
    );
    expect(r.stdout).not.toContain('node_modules');
    expect(r.stdout).not.toContain('.git');
  });

  it('lists every file in the json report, with why each SKIP was skipped', () => {
    const report = JSON.parse(run(['validate', '-f', 'json', '.']).stdout);
    const skipped = Object.fromEntries(report.files.filter((f: { status: string }) => f.status === 'SKIP').map((f: { path: string; skipReason: string }) => [f.path, f.skipReason]));
    expect(skipped).toEqual({
      'charts/web/Chart.yaml': 'not-a-template',
      'charts/web/templates/deployment.yaml': 'not-a-template',
      'charts/web/values.yaml': 'not-a-template',
      'config/hook-config.json': 'not-a-template',
      'config/prod-parameters.json': 'not-a-template',
      'docker-compose.yml': 'not-a-template',
      'infra/network.yml': 'no-task-definitions',
      'k8s/deployment.yaml': 'not-a-template',
      'ops/ecs-notes.yaml': 'not-a-template',
      'package.json': 'not-a-template',
      'tsconfig.json': 'not-a-template',
    });
    expect(report.summary).toMatchObject({ files: 13, skip: 11, notTemplate: 10, error: 0 });
  });

  it('says SKIP, with the reason, for a file named on the command line that is not a template', () => {
    const r = run(['validate', 'k8s/deployment.yaml', 'charts/web/templates/deployment.yaml', 'package.json', 'infra/compliant.json']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'SKIP k8s/deployment.yaml: not a CloudFormation template',
      'SKIP charts/web/templates/deployment.yaml: not a CloudFormation template',
      'SKIP package.json: not a CloudFormation template',
      'PASS infra/compliant.json',
      '  infra/compliant.json:4:5: ApiTask (AWS::ECS::TaskDefinition) PASS: 1 container checked, all read-only',
      '4 files: 1 PASS, 0 FAIL, 3 SKIP (3 not a template), 0 ERROR; 1 task definition, 0 non-compliant; containers: 0 failing, 1 passing, 0 exempt, 0 suppressed',
      '',
    ]);
  });

  it.each([
    [['--exclude', 'infra/service.yaml'], 0, 12],
    [['-x', 'service.yaml'], 0, 12],
    [['--exclude', 'infra/'], 0, 10],
    [['--exclude', '**/*.json', '--exclude', 'charts'], 19, 5],
    [['--exclude', 'infra/*.y*ml'], 0, 11],
  ])('leaves out what --exclude %j matches', (args, status, files) => {
    const r = run(['validate', '-f', 'json', ...args, '.']);
    expect(r.status).toBe(status);
    expect(JSON.parse(r.stdout).summary.files).toBe(files);
  });

  it('applies --exclude to files named on the command line too (pre-commit names them)', () => {
    const r = run(['validate', '-x', 'infra/service.yaml', 'infra/service.yaml', 'infra/compliant.json']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('service.yaml');
  });

  it('warns on standard error when no template is found, naming the paths', () => {
    const r = run(['validate', 'k8s', 'charts']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("ecs-readonly-rootfs: warning: no CloudFormation template found under 'k8s', 'charts'\n");
    const empty = mkdtempSync(join(tmpdir(), 'cli-empty-'));
    try {
      expect(cli(['validate', empty]).stderr).toBe(`ecs-readonly-rootfs: warning: no CloudFormation template found under '${empty}'\n`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('warns about a given parameter no template declares, naming the declared one when only the case differs', () => {
    const r = run(['validate', '-p', 'env=prod', '-p', 'Nope=1', '-p', 'AWS::Region=eu-west-1', 'infra']);
    expect(r.stderr).toBe(
      [
        "ecs-readonly-rootfs: warning: parameter 'env' is not declared by any checked template (did you mean 'Env'? names are case-sensitive); CloudFormation would refuse it",
        "ecs-readonly-rootfs: warning: parameter 'Nope' is not declared by any checked template; CloudFormation would refuse it",
        '',
      ].join('\n'),
    );
  });

  it('refuses a value outside AllowedValues as an ERROR for that file, naming the parameter', () => {
    const r = run(['validate', '-p', 'Env=staging', 'infra']);
    expect(r.status).toBe(5);
    expect(r.stdout).toContain("ERROR infra/service.yaml:4:3: parameter 'Env': the value given is not one of its AllowedValues; CloudFormation would refuse the stack\n");
    expect(r.stdout).toContain('PASS infra/compliant.json');
    expect(r.stderr).toBe('');
  });

  it('judges only the branches and resources the given parameters choose', () => {
    const all = run(['validate', 'infra/service.yaml']).stdout;
    expect(all).toContain("infra/service.yaml:28:11: FAIL 'web': can write to its root filesystem: false when condition IsProd is false");
    expect(all).toContain("infra/service.yaml:33:13: FAIL 'envoy': can write to its root filesystem: ReadonlyRootFilesystem missing when condition WithSidecar is true");
    expect(all).toContain('DebugTask');

    const prod = run(['validate', '-c', 'config/hook-config.json', '--parameters-file', 'config/prod-parameters.json', 'infra/service.yaml']);
    expect(prod.stdout.split('\n').slice(0, 8)).toEqual([
      'FAIL infra/service.yaml',
      '  infra/service.yaml:19:3: WebTask (AWS::ECS::TaskDefinition) FAIL: 1 of 3 containers can write to their root filesystem',
      "    infra/service.yaml:28:11: 'web': read-only root filesystem",
      "    infra/service.yaml:29:11: FAIL 'worker': can write to its root filesystem: ReadonlyRootFilesystem missing",
      "    infra/service.yaml:33:13: EXEMPT 'envoy': exempt by ExemptContainerNames pattern 'envoy'",
      '  infra/service.yaml:35:3: DebugTask (AWS::ECS::TaskDefinition) FAIL: 1 of 1 container can write to its root filesystem',
      "    infra/service.yaml:43:11: FAIL 'debug': can write to its root filesystem: ReadonlyRootFilesystem missing",
      "    note: Metadata guard SuppressedRules is not honoured at deploy time: the hook never sees template Metadata and blocks this task definition; exempt the container in the hook's type configuration (ExemptContainerNames or ExemptImages, --config here) instead",
    ]);

    const dev = run(['validate', '-f', 'json', '-p', 'Env=dev', 'infra/service.yaml']);
    const resources = JSON.parse(dev.stdout).files[0].resources;
    expect(resources.map((r: { logicalId: string; status: string; reason?: string }) => [r.logicalId, r.status, r.reason])).toEqual([
      ['WebTask', 'FAIL', undefined],
      ['DebugTask', 'SKIP', 'condition'],
    ]);
    expect(resources[0].containers.map((c: { name: string; status: string; reason?: string }) => [c.name, c.status, c.reason])).toEqual([
      ['web', 'FAIL', 'false'],
      ['worker', 'FAIL', 'missing'],
    ]);
    expect(run(['validate', '-p', 'Env=dev', 'infra/service.yaml']).stdout).toContain(
      '  infra/service.yaml:35:3: DebugTask (AWS::ECS::TaskDefinition) SKIP: not created: its Condition IsProd is false\n',
    );
  });

  it('reports a parse error in the parser\'s own words, where it stops', () => {
    writeFileSync(
      join(work, 'infra', 'broken.yaml'),
      'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          Image: x\n         - Name: b\n',
    );
    try {
      const r = run(['validate', 'infra/broken.yaml']);
      expect(r.status).toBe(5);
      expect(r.stdout.split('\n')[0]).toBe('ERROR infra/broken.yaml:8:10: invalid YAML: All sequence items must start at the same column');
    } finally {
      rmSync(join(work, 'infra', 'broken.yaml'));
    }
  });
});
