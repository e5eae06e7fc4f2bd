/**
 * deploy/: cfn-lint must pass every template (CI has cfn-lint; a missing one fails here, loudly), and
 * the templates must render what CloudFormation needs: the type configuration document the hook and
 * CloudFormation accept, the hook's type name and targets, WARN first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parsePolicyConfig, TARGET_TYPES } from '../../src/policy';
import { evaluate, loadTemplate, PSEUDO, withParameters, type Template } from './cfn';
import { metricNamespace } from '../../src/runtime/delivery';
import type { DeliveryRequest } from '../../src/runtime/delivery-request';

const ROOT = join(__dirname, '..', '..');
const DEPLOY = join(ROOT, 'deploy');
const schema = JSON.parse(readFileSync(join(ROOT, 'guardrails-ecs-readonlyrootfilesystem.json'), 'utf8')) as {
  typeName: string;
  typeConfiguration: object;
  handlers: Record<string, { targetNames: string[] }>;
};

const PACKAGE = 's3://example-hooks/guardrails/guardrails-ecs-readonlyrootfilesystem-1.0.0.zip';

const missing = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).error;
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cfnLint(files: string[]): { status: number | null; output: string } {
  // The install command is named once, by the first test; the others only say why they fail.
  if (missing) throw new Error('cfn-lint is not installed (see the first cfn-lint test)');
  const run = spawnSync('cfn-lint', files, { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  made.push(dir);
  return dir;
}

describe('cfn-lint', () => {
  it('is installed', () => {
    if (missing) throw new Error(`cfn-lint could not be run (${missing.message}); install it with: pip install cfn-lint`);
  });

  const templates = readdirSync(DEPLOY)
    .filter((f) => f.endsWith('.yml'))
    .sort();

  it('finds the five templates', () => {
    expect(templates).toEqual(['activation.yml', 'guard-hook.yml', 'lambda-hook.yml', 'logging-role.yml', 'org-activation.yml']);
  });

  it('passes every template in deploy/ with no error or warning', () => {
    const result = cfnLint(templates.map((f) => join(DEPLOY, f)));
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes the Guard Hook template shown in docs/comparison.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'comparison.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Using our rule with the managed Guard Hook'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section);
    expect(block).not.toBeNull();
    expect(block![1]).toContain('Type: AWS::CloudFormation::GuardHook');
    const file = join(tempDir(), 'guard-hook.yml');
    writeFileSync(file, block![1]!);
    const result = cfnLint([file]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('does report a broken template (the check is real)', () => {
    const dir = tempDir();
    const broken = join(dir, 'broken.yml');
    writeFileSync(
      broken,
      'Resources:\n  Config:\n    Type: AWS::CloudFormation::HookTypeConfig\n    Properties:\n      Configurationn: "{}"\n',
    );
    const result = cfnLint([broken]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('Configurationn');
  });
});

/** The type configuration document activation.yml sets for the given parameters. */
function configuration(given: Record<string, string>): Record<string, unknown> {
  const rendering = withParameters(activation, { SchemaHandlerPackage: PACKAGE, ...given });
  const text = evaluate(activation.Resources.HookTypeConfig!.Properties.Configuration, rendering);
  expect(typeof text).toBe('string');
  return JSON.parse(text as string) as Record<string, unknown>;
}

function hookConfiguration(given: Record<string, string>): Record<string, unknown> {
  const doc = configuration(given) as { CloudFormationConfiguration: { HookConfiguration: Record<string, unknown> } };
  expect(Object.keys(doc)).toEqual(['CloudFormationConfiguration']);
  expect(Object.keys(doc.CloudFormationConfiguration)).toEqual(['HookConfiguration']);
  return doc.CloudFormationConfiguration.HookConfiguration;
}

const activation: Template = loadTemplate(join(DEPLOY, 'activation.yml'));

describe('deploy/activation.yml', () => {
  it('registers the hook the schema names and makes that version the default', () => {
    const { HookVersion, HookDefaultVersion, HookTypeConfig } = activation.Resources;
    expect(HookVersion!.Type).toBe('AWS::CloudFormation::HookVersion');
    expect(HookVersion!.Properties.TypeName).toBe(schema.typeName);
    expect(HookVersion!.Properties.SchemaHandlerPackage).toEqual({ Ref: 'SchemaHandlerPackage' });
    expect(HookDefaultVersion!.Type).toBe('AWS::CloudFormation::HookDefaultVersion');
    expect(HookDefaultVersion!.Properties.TypeVersionArn).toEqual({ 'Fn::GetAtt': ['HookVersion', 'Arn'] });
    expect(HookTypeConfig!.Type).toBe('AWS::CloudFormation::HookTypeConfig');
    expect(HookTypeConfig!.Properties.TypeArn).toEqual({ 'Fn::GetAtt': ['HookVersion', 'TypeArn'] });
    expect(HookTypeConfig!.Properties.ConfigurationAlias).toBe('default');
    expect(HookTypeConfig!.DependsOn).toBe('HookDefaultVersion');
  });

  it('starts in WARN, enabled, for RESOURCE operations', () => {
    const p = activation.Parameters;
    expect(p.FailureMode).toMatchObject({ Default: 'WARN', AllowedValues: ['WARN', 'FAIL'] });
    expect(p.HookInvocationStatus).toMatchObject({ Default: 'ENABLED', AllowedValues: ['ENABLED', 'DISABLED'] });
    expect(p.TargetOperations).toMatchObject({ Type: 'CommaDelimitedList', Default: 'RESOURCE', AllowedValues: ['RESOURCE', 'STACK', 'CHANGE_SET', 'CLOUD_CONTROL'] });
    expect(p.SchemaHandlerPackage!.Default).toBeUndefined();
  });

  it('renders the default configuration: WARN, the two ECS types, no filters, no exemptions', () => {
    expect(hookConfiguration({})).toEqual({
      HookInvocationStatus: 'ENABLED',
      FailureMode: 'WARN',
      TargetOperations: ['RESOURCE'],
      TargetFilters: {
        Actions: ['CREATE', 'UPDATE'],
        InvocationPoints: ['PRE_PROVISION'],
        TargetNames: ['AWS::ECS::TaskDefinition', 'AWS::ECS::DaemonTaskDefinition'],
      },
      Properties: { ExemptContainerNames: [], ExemptImages: [] },
    });
  });

  it('targets exactly the types the hook schema handles', () => {
    const targets = (hookConfiguration({}).TargetFilters as { TargetNames: string[] }).TargetNames;
    expect(targets).toEqual([...TARGET_TYPES]);
    // STACK and CHANGE_SET are chosen by TargetOperations; TargetNames filters resource types only.
    const resourceTargets = (names: string[]) => names.filter((n) => n !== 'STACK' && n !== 'CHANGE_SET');
    expect(targets).toEqual(resourceTargets(schema.handlers.preCreate!.targetNames));
    expect(targets).toEqual(resourceTargets(schema.handlers.preUpdate!.targetNames));
  });

  it('renders FAIL, both target operations and a disabled hook', () => {
    const c = hookConfiguration({ FailureMode: 'FAIL', TargetOperations: 'RESOURCE,CLOUD_CONTROL', HookInvocationStatus: 'DISABLED' });
    expect(c).toMatchObject({ FailureMode: 'FAIL', TargetOperations: ['RESOURCE', 'CLOUD_CONTROL'], HookInvocationStatus: 'DISABLED' });
  });

  it('turns the exemption lists into JSON arrays the hook schema and the hook accept', () => {
    const properties = hookConfiguration({
      ExemptContainerNames: 'log_router,datadog-agent,cloudwatch-agent',
      ExemptImages: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:*,public.ecr.aws/datadog/agent:?',
    }).Properties;
    expect(properties).toEqual({
      ExemptContainerNames: ['log_router', 'datadog-agent', 'cloudwatch-agent'],
      ExemptImages: ['public.ecr.aws/aws-observability/aws-for-fluent-bit:*', 'public.ecr.aws/datadog/agent:?'],
    });
    const validate = new Ajv({ strict: false }).compile(schema.typeConfiguration);
    expect(validate(properties)).toBe(true);
    expect(parsePolicyConfig(properties)).toEqual({
      exemptContainerNames: ['log_router', 'datadog-agent', 'cloudwatch-agent'],
      exemptImages: ['public.ecr.aws/aws-observability/aws-for-fluent-bit:*', 'public.ecr.aws/datadog/agent:?'],
    });
  });

  it('renders the example type configuration the registration guide sets by hand', () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'inputs', 'type-configuration.example.json'), 'utf8')) as unknown;
    expect(
      configuration({ ExemptContainerNames: 'log_router', ExemptImages: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:*' }),
    ).toEqual(example);
  });

  it.each([
    [{}, undefined],
    [{ ExcludeStackNames: 'legacy-*' }, { FilteringCriteria: 'ALL', StackNames: { Exclude: ['legacy-*'] } }],
    [{ IncludeStackNames: 'pilot-a,pilot-b' }, { FilteringCriteria: 'ALL', StackNames: { Include: ['pilot-a', 'pilot-b'] } }],
    [
      { IncludeStackNames: 'team-*', ExcludeStackNames: 'team-legacy' },
      { FilteringCriteria: 'ALL', StackNames: { Include: ['team-*'], Exclude: ['team-legacy'] } },
    ],
    [
      { ExcludeStackRoles: 'arn:aws:iam::123456789012:role/break-glass' },
      { FilteringCriteria: 'ALL', StackRoles: { Exclude: ['arn:aws:iam::123456789012:role/break-glass'] } },
    ],
    [
      {
        StackFilteringCriteria: 'ANY',
        ExcludeStackNames: 'sandbox-*',
        IncludeStackRoles: 'arn:aws:iam::123456789012:role/deployer',
        ExcludeStackRoles: 'arn:aws:iam::*:role/legacy-*',
      },
      {
        FilteringCriteria: 'ANY',
        StackNames: { Exclude: ['sandbox-*'] },
        StackRoles: { Include: ['arn:aws:iam::123456789012:role/deployer'], Exclude: ['arn:aws:iam::*:role/legacy-*'] },
      },
    ],
  ])('renders stack filters %j', (given, expected) => {
    expect(hookConfiguration(given as Record<string, string>).StackFilters).toEqual(expected);
  });

  it.each([
    ['', undefined],
    ['hook-logs', 'arn:aws:iam::123456789012:role/hook-logs'],
    ['arn:aws:iam::210987654321:role/shared-logs', 'arn:aws:iam::210987654321:role/shared-logs'],
  ])('logs through role %j', (logRole, expectedArn) => {
    const r = withParameters(activation, { SchemaHandlerPackage: PACKAGE, LogRole: logRole });
    const props = evaluate(activation.Resources.HookVersion!.Properties, r) as Record<string, unknown>;
    expect(props.LoggingConfig).toEqual(
      expectedArn === undefined ? undefined : { LogRoleArn: expectedArn, LogGroupName: 'guardrails-ecs-readonlyrootfilesystem-logs' },
    );
  });

  it.each([
    ['', undefined],
    ['hook-exec', `arn:aws:iam::${PSEUDO['AWS::AccountId']}:role/hook-exec`],
    ['arn:aws:iam::210987654321:role/x', 'arn:aws:iam::210987654321:role/x'],
  ])('runs with execution role %j', (role, expectedArn) => {
    const r = withParameters(activation, { SchemaHandlerPackage: PACKAGE, ExecutionRole: role });
    const props = evaluate(activation.Resources.HookVersion!.Properties, r) as Record<string, unknown>;
    expect(props.ExecutionRoleArn).toEqual(expectedArn);
    expect(props).toMatchObject({ TypeName: schema.typeName, SchemaHandlerPackage: PACKAGE });
  });

  describe('parameter patterns', () => {
    function accepts(name: string, value: string): boolean {
      const decl = activation.Parameters[name]!;
      const pattern = new RegExp(decl.AllowedPattern!);
      const values = decl.Type === 'CommaDelimitedList' ? value.split(',') : [value];
      return values.every((v) => pattern.test(v));
    }

    it.each([
      ['SchemaHandlerPackage', PACKAGE, true],
      ['SchemaHandlerPackage', 'https://example-hooks.s3.amazonaws.com/x.zip', false],
      ['ExemptImages', 'public.ecr.aws/aws-observability/aws-for-fluent-bit:*', true],
      ['ExemptImages', '', true],
      ['ExemptImages', 'a"b', false],
      ['ExemptContainerNames', 'log_router,datadog-*', true],
      ['ExemptContainerNames', 'with space', false],
      ['ExemptContainerNames', 'back\\slash', false],
      ['ExcludeStackNames', 'legacy-*,sandbox-?', true],
      ['ExcludeStackNames', '1starts-with-digit', false],
      ['IncludeStackRoles', 'arn:aws:iam::123456789012:role/deployer', true],
      ['IncludeStackRoles', 'deployer', false],
      ['LogRole', 'hook-logs', true],
      ['LogRole', 'arn:aws:iam::123456789012:role/hook-logs', true],
      ['LogRole', 'arn:aws:s3:::bucket', false],
    ])('%s accepts %j: %s', (name, value, ok) => {
      expect(accepts(name, value)).toBe(ok);
    });

    it('never lets a value break the JSON document', () => {
      for (const name of ['ExemptContainerNames', 'ExemptImages', 'IncludeStackNames', 'ExcludeStackNames', 'IncludeStackRoles', 'ExcludeStackRoles']) {
        expect(accepts(name, 'x"y')).toBe(false);
        expect(accepts(name, 'x\\y')).toBe(false);
      }
    });
  });
});

describe('deploy/logging-role.yml', () => {
  const template = loadTemplate(join(DEPLOY, 'logging-role.yml'));
  const role = template.Resources.LogAndMetricsDeliveryRole!;

  it('is assumed only by CloudFormation hooks and resources acting for this account', () => {
    const trust = role.Properties.AssumeRolePolicyDocument as { Statement: Array<Record<string, unknown>> };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: ['hooks.cloudformation.amazonaws.com', 'resources.cloudformation.amazonaws.com'] },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('may deliver logs and metrics, nothing else', () => {
    const rendering = withParameters(template, {});
    const policies = evaluate(role.Properties.Policies, rendering) as Array<{ PolicyDocument: { Statement: Array<{ Action: string[]; Resource: unknown }> } }>;
    const actions = policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action)).sort();
    // Exactly the calls of src/runtime/delivery.ts.
    expect(actions).toEqual(['cloudwatch:PutMetricData', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    const metrics = policies[0]!.PolicyDocument.Statement[1] as unknown as Record<string, unknown>;
    expect(metrics).toMatchObject({ Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringLike: { 'cloudwatch:namespace': 'AWS/CloudFormation/*' } } });
    // The namespace the runtime publishes to falls under it.
    expect(metricNamespace({ awsAccountId: '123456789012', hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem' } as DeliveryRequest)).toMatch(/^AWS\/CloudFormation\//);
    expect(policies[0]!.PolicyDocument.Statement[0]!.Resource).toEqual([
      'arn:aws:logs:*:123456789012:log-group:guardrails-ecs-readonlyrootfilesystem-logs',
      'arn:aws:logs:*:123456789012:log-group:guardrails-ecs-readonlyrootfilesystem-logs:*',
    ]);
  });

  it('outputs what register-type and activation.yml take', () => {
    const outputs = template.Outputs!;
    expect(outputs.LogRoleArn!.Value).toEqual({ 'Fn::GetAtt': ['LogAndMetricsDeliveryRole', 'Arn'] });
    expect(outputs.LogGroupName!.Value).toEqual({ Ref: 'HookLogGroup' });
    const logging = evaluate(outputs.LoggingConfig!.Value, withParameters(template, {})) as string;
    expect(JSON.parse(logging)).toEqual({ LogRoleArn: '{GetAtt LogAndMetricsDeliveryRole.Arn}', LogGroupName: '{Ref HookLogGroup}' });
  });

  it('names the role only when asked (a fixed name for organisation-wide roll-outs)', () => {
    expect((evaluate(role.Properties, withParameters(template, {})) as Record<string, unknown>).RoleName).toBeUndefined();
    expect((evaluate(role.Properties, withParameters(template, { RoleName: 'hook-logs' })) as Record<string, unknown>).RoleName).toBe('hook-logs');
  });

  it('uses the log group name that activation.yml uses by default', () => {
    expect(template.Parameters.LogGroupName!.Default).toBe(activation.Parameters.LogGroupName!.Default);
  });
});

describe('deploy/org-activation.yml', () => {
  const template = loadTemplate(join(DEPLOY, 'org-activation.yml'));
  const stackSet = template.Resources.ActivationStackSet!;
  const given = {
    TemplateURL: 'https://example-hooks.s3.amazonaws.com/guardrails/activation.yml',
    OrganizationalUnitIds: 'ou-ab12-cdef3456,ou-ab12-7890abcd',
    Regions: 'eu-west-1,us-east-1',
    SchemaHandlerPackage: PACKAGE,
  };

  it('is a service-managed StackSet that follows the organisation', () => {
    const props = evaluate(stackSet.Properties, withParameters(template, given)) as Record<string, unknown>;
    expect(stackSet.Type).toBe('AWS::CloudFormation::StackSet');
    expect(props).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      TemplateURL: given.TemplateURL,
      CallAs: 'SELF',
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456', 'ou-ab12-7890abcd'] }, Regions: ['eu-west-1', 'us-east-1'] },
      ],
    });
  });

  it('passes every parameter of activation.yml through, with the same defaults', () => {
    const passed = (stackSet.Properties.Parameters as Array<{ ParameterKey: string }>).map((p) => p.ParameterKey).sort();
    expect(passed).toEqual(Object.keys(activation.Parameters).sort());
    for (const name of passed) {
      expect([name, template.Parameters[name]!.Default]).toEqual([name, activation.Parameters[name]!.Default]);
      expect([name, template.Parameters[name]!.Type]).toEqual([name, activation.Parameters[name]!.Type]);
    }
    expect(template.Parameters.FailureMode!.Default).toBe('WARN');
  });

  it('hands activation.yml values that render the same configuration', () => {
    const choices = {
      FailureMode: 'FAIL',
      TargetOperations: 'RESOURCE,CLOUD_CONTROL',
      ExcludeStackNames: 'legacy-*',
      ExemptContainerNames: 'log_router,datadog-agent',
      ExemptImages: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:*',
      LogRole: 'hook-logs',
    };
    const props = evaluate(stackSet.Properties, withParameters(template, { ...given, ...choices })) as {
      Parameters: Array<{ ParameterKey: string; ParameterValue: string }>;
    };
    const handed = Object.fromEntries(props.Parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(handed).toMatchObject(choices);
    expect(configuration(handed)).toEqual(configuration({ ...choices }));
  });

  it('accepts only role names for roles (an ARN would name one account)', () => {
    const pattern = new RegExp(template.Parameters.LogRole!.AllowedPattern!);
    expect(pattern.test('hook-logs')).toBe(true);
    expect(pattern.test('arn:aws:iam::123456789012:role/hook-logs')).toBe(false);
  });
});

describe('deploy/lambda-hook.yml', () => {
  const template = loadTemplate(join(DEPLOY, 'lambda-hook.yml'));
  const { Function: fn, Hook: hook, HookExecutionRole: invoker, FunctionRole: functionRole } = template.Resources;
  const render = (given: Record<string, string> = {}) => evaluate(hook!.Properties, withParameters(template, given)) as Record<string, unknown>;

  it('runs lambdaHook from the code zip npm run package writes, on nodejs22.x, inside the 30 s a hook is given', () => {
    expect(fn!.Type).toBe('AWS::Lambda::Function');
    expect(fn!.Properties).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'dist/handlers.lambdaHook', Timeout: 30 });
    expect(fn!.Properties.Code).toBe('../guardrails-ecs-readonlyrootfilesystem-lambda-hook.zip');
    // CloudFormation names it within Lambda's 64 characters, whatever the stack's name.
    expect(fn!.Properties.FunctionName).toBeUndefined();
    // The handler the template names is exported by the bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(typeof (require(join(ROOT, 'dist', 'handlers.js')) as Record<string, unknown>).lambdaHook).toBe('function');
  });

  it('is an AWS::CloudFormation::LambdaHook on RESOURCE, STACK and CHANGE_SET, in WARN, for the two ECS types', () => {
    expect(hook!.Type).toBe('AWS::CloudFormation::LambdaHook');
    expect(render()).toEqual({
      Alias: 'Private::Guardrails::EcsReadonlyRootfs',
      LambdaFunction: '{GetAtt Function.Arn}',
      ExecutionRole: '{GetAtt HookExecutionRole.Arn}',
      FailureMode: 'WARN',
      HookStatus: 'ENABLED',
      TargetOperations: ['RESOURCE', 'STACK', 'CHANGE_SET'],
      TargetFilters: { Actions: ['CREATE', 'UPDATE'], InvocationPoints: ['PRE_PROVISION'], TargetNames: [...TARGET_TYPES] },
    });
  });

  it('takes stack names as the LambdaHook resource does: a name, * and ? allowed', () => {
    for (const name of ['IncludeStackNames', 'ExcludeStackNames']) {
      const pattern = new RegExp(template.Parameters[name]!.AllowedPattern!);
      expect(['', 'prod-*', 'sandbox-?', 'a'.repeat(128)].every((v) => pattern.test(v))).toBe(true);
      expect(['1st', 'with space', 'a'.repeat(129), 'x"y'].some((v) => pattern.test(v))).toBe(false);
    }
  });

  it('renders stack filters only when asked', () => {
    expect(render({ IncludeStackNames: 'prod-*,payments', FailureMode: 'FAIL' })).toMatchObject({
      FailureMode: 'FAIL',
      StackFilters: { FilteringCriteria: 'ALL', StackNames: { Include: ['prod-*', 'payments'] } },
    });
    expect(render({ ExcludeStackNames: 'sandbox-*', StackFilteringCriteria: 'ANY' })).toMatchObject({
      StackFilters: { FilteringCriteria: 'ANY', StackNames: { Exclude: ['sandbox-*'] } },
    });
  });

  it('hands the exemptions to the function as the variables lambdaHook reads, in the form it accepts', () => {
    const env = (given: Record<string, string>) =>
      (evaluate(fn!.Properties.Environment, withParameters(template, given)) as { Variables: Record<string, string> }).Variables;
    expect(env({})).toEqual({ EXEMPT_CONTAINER_NAMES: '', EXEMPT_IMAGES: '' });
    expect(env({ ExemptContainerNames: 'log_router,datadog-*', ExemptImages: 'public.ecr.aws/aws-observability/*' })).toEqual({
      EXEMPT_CONTAINER_NAMES: 'log_router,datadog-*',
      EXEMPT_IMAGES: 'public.ecr.aws/aws-observability/*',
    });
    const pattern = new RegExp(template.Parameters.ExemptContainerNames!.AllowedPattern!);
    expect(['', 'a', 'log_router, datadog-*'].every((v) => pattern.test(v))).toBe(true);
    expect(['a,,b', ',a', 'a,'].some((v) => pattern.test(v))).toBe(false);
  });

  it('lets CloudFormation invoke the function and nothing else; the function may write only its own log group', () => {
    const r = withParameters(template, {});
    const trust = invoker!.Properties.AssumeRolePolicyDocument as { Statement: Array<Record<string, unknown>> };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'hooks.cloudformation.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    const statements = (policies: unknown) =>
      (evaluate(policies, r) as Array<{ PolicyDocument: { Statement: unknown[] } }>).flatMap((p) => p.PolicyDocument.Statement);
    expect(statements(invoker!.Properties.Policies)).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '{GetAtt Function.Arn}' }]);
    expect(statements(functionRole!.Properties.Policies)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '{GetAtt FunctionLogGroup.Arn}' },
    ]);
  });
});

describe('deploy/guard-hook.yml', () => {
  const template = loadTemplate(join(DEPLOY, 'guard-hook.yml'));
  const { GuardHook: hook, GuardHookRole: role } = template.Resources;
  const r = (given: Record<string, string>) => withParameters(template, { RulesBucket: 'org-guard-rules', ...given });

  it('runs rules/readonly-root-filesystem.guard from S3 on the two ECS types, in WARN, without a log bucket by default', () => {
    expect(hook!.Type).toBe('AWS::CloudFormation::GuardHook');
    expect(evaluate(hook!.Properties, r({}))).toEqual({
      Alias: 'Private::Guard::EcsReadonlyRootfs',
      RuleLocation: { Uri: 's3://org-guard-rules/guard/readonly-root-filesystem.guard' },
      ExecutionRole: '{GetAtt GuardHookRole.Arn}',
      HookStatus: 'ENABLED',
      FailureMode: 'WARN',
      TargetOperations: ['RESOURCE'],
      TargetFilters: { Actions: ['CREATE', 'UPDATE'], InvocationPoints: ['PRE_PROVISION'], TargetNames: [...TARGET_TYPES] },
    });
  });

  it('may read the rule, and write results only when a log bucket is given', () => {
    const actions = (given: Record<string, string>) =>
      (evaluate(role!.Properties.Policies, r(given)) as Array<{ PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } }>).flatMap((p) =>
        p.PolicyDocument.Statement.map((s) => [s.Action, s.Resource]),
      );
    expect(actions({})).toEqual([
      [['s3:GetObject', 's3:GetObjectVersion'], 'arn:aws:s3:::org-guard-rules/guard/readonly-root-filesystem.guard'],
      ['s3:ListBucket', 'arn:aws:s3:::org-guard-rules'],
    ]);
    expect(actions({ LogBucket: 'org-guard-results' })).toContainEqual(['s3:PutObject', 'arn:aws:s3:::org-guard-results/*']);
    expect(evaluate(hook!.Properties, r({ LogBucket: 'org-guard-results' }))).toMatchObject({ LogBucket: 'org-guard-results' });
  });

  it('may use a customer managed KMS key through S3 only when one is given', () => {
    const statements = (given: Record<string, string>) =>
      (evaluate(role!.Properties.Policies, r(given)) as Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>).flatMap((p) => p.PolicyDocument.Statement);
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(statements({}).some((s) => String(s.Action).includes('kms:'))).toBe(false);
    expect(statements({ KmsKeyArn: key })).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: key,
      Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
    });
    const pattern = new RegExp(template.Parameters.KmsKeyArn!.AllowedPattern!);
    expect(['', key].every((v) => pattern.test(v))).toBe(true);
    expect(['alias/mine', 'arn:aws:kms:eu-west-1:123456789012:alias/mine', '*'].some((v) => pattern.test(v))).toBe(false);
  });

  it('names the rule file that exists in rules/', () => {
    expect(readdirSync(join(ROOT, 'rules'))).toContain(String(template.Parameters.RulesKey!.Default).split('/').pop());
  });
});
