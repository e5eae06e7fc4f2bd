/**
 * Canary secrets: unique strings planted in every value the hook must never print (task definition
 * property values, image credentials, request credentials). Any appearance of one, whole, cut short
 * or encoded, in any output is a leak.
 */

export class Canaries {
  private readonly planted = new Map<string, string>();

  /** A new canary for `where` (the field it is planted in, named in a failure). */
  plant(where: string): string {
    const value = `cnry${this.planted.size.toString(36).padStart(3, '0')}q${where.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}Z`;
    this.planted.set(value, where);
    return value;
  }

  get size(): number {
    return this.planted.size;
  }

  /** The fields whose canaries appear in `output`, in any of the forms a leak could take. */
  leaks(output: string): string[] {
    const found: string[] = [];
    const lower = output.toLowerCase();
    for (const [value, where] of this.planted) {
      // The first 8 characters identify the canary even when a printer cut or escaped the rest.
      const core = value.slice(0, 8);
      const forms = [core, Buffer.from(value).toString('base64').slice(0, 10), Buffer.from(value).toString('hex').slice(0, 16)];
      if (forms.some((form) => lower.includes(form.toLowerCase()))) found.push(`${where} (${value})`);
    }
    return found;
  }
}

/** The credentials CloudFormation passes a hook, as JSON strings. */
export function credentials(c: Canaries, where: string): string {
  return JSON.stringify({
    accessKeyId: c.plant(`${where}.accessKeyId`),
    secretAccessKey: c.plant(`${where}.secretAccessKey`),
    sessionToken: c.plant(`${where}.sessionToken`),
  });
}

/**
 * A container whose every value but Name is a canary. `readonly` chooses ReadonlyRootFilesystem; by
 * default it too is a canary (an invalid value, which the message must describe without quoting).
 */
export function container(c: Canaries, name: string, readonly?: unknown): Record<string, unknown> {
  const p = (field: string) => c.plant(`${name}.${field}`);
  return {
    Name: name,
    Image: `https://deploy:${p('Image.password')}@registry.example.com:5000/team/${p('Image.repository')}:${p('Image.tag')}`,
    ReadonlyRootFilesystem: readonly === undefined ? p('ReadonlyRootFilesystem') : readonly,
    Essential: true,
    Environment: [
      { Name: 'DB_PASSWORD', Value: p('Environment.DB_PASSWORD') },
      { Name: p('Environment.Name'), Value: p('Environment.Value') },
    ],
    EnvironmentFiles: [{ Type: 's3', Value: `arn:aws:s3:::${p('EnvironmentFiles')}/app.env` }],
    Secrets: [{ Name: 'API_KEY', ValueFrom: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${p('Secrets.ValueFrom')}` }],
    Command: ['sh', '-c', `echo ${p('Command')}`],
    EntryPoint: [p('EntryPoint')],
    RepositoryCredentials: { CredentialsParameter: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${p('RepositoryCredentials')}` },
    DockerLabels: { [`label.${p('DockerLabels.key')}`]: p('DockerLabels.value') },
    LinuxParameters: {
      Capabilities: { Add: [p('LinuxParameters.Capabilities')] },
      Devices: [{ HostPath: `/dev/${p('LinuxParameters.Devices')}` }],
      Tmpfs: [{ ContainerPath: `/tmp/${p('LinuxParameters.Tmpfs')}`, Size: 64 }],
    },
    HealthCheck: { Command: ['CMD-SHELL', `curl -H 'Authorization: ${p('HealthCheck')}' localhost`] },
    LogConfiguration: {
      LogDriver: 'awsfirelens',
      Options: { apikey: p('LogConfiguration.Options') },
      SecretOptions: [{ Name: 'token', ValueFrom: p('LogConfiguration.SecretOptions') }],
    },
    FirelensConfiguration: { Type: 'fluentbit', Options: { 'config-file-value': p('FirelensConfiguration') } },
    User: p('User'),
    WorkingDirectory: `/srv/${p('WorkingDirectory')}`,
    Hostname: p('Hostname'),
    ExtraHosts: [{ Hostname: p('ExtraHosts.Hostname'), IpAddress: '10.0.0.1' }],
    DnsSearchDomains: [p('DnsSearchDomains')],
    DockerSecurityOptions: [`label:${p('DockerSecurityOptions')}`],
    SystemControls: [{ Namespace: 'net.core.somaxconn', Value: p('SystemControls') }],
    MountPoints: [{ SourceVolume: p('MountPoints'), ContainerPath: '/data' }],
    PortMappings: [{ ContainerPort: 8080, Name: p('PortMappings.Name') }],
  };
}

/** Task definition properties around `containers`, every other value a canary. */
export function taskDefinition(c: Canaries, containers: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p = (field: string) => c.plant(`TaskDefinition.${field}`);
  return {
    Family: p('Family'),
    TaskRoleArn: `arn:aws:iam::123456789012:role/${p('TaskRoleArn')}`,
    ExecutionRoleArn: `arn:aws:iam::123456789012:role/${p('ExecutionRoleArn')}`,
    Volumes: [{ Name: p('Volumes.Name'), EFSVolumeConfiguration: { FilesystemId: p('Volumes.FilesystemId'), AuthorizationConfig: { AccessPointId: p('Volumes.AccessPointId') } } }],
    Tags: [{ Key: 'owner', Value: p('Tags') }],
    ProxyConfiguration: { ContainerName: 'envoy', ProxyConfigurationProperties: [{ Name: 'IgnoredUID', Value: p('ProxyConfiguration') }] },
    PlacementConstraints: [{ Type: 'memberOf', Expression: `attribute:secret == ${p('PlacementConstraints')}` }],
    RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'ARM64' },
    ContainerDefinitions: containers,
    ...extra,
  };
}

/** The HookInvocationRequest for `properties`, with canaries in every credential field. */
export function invocationRequest(
  c: Canaries,
  properties: unknown,
  options: { token: string; point?: string; targetName?: string; hookModel?: unknown; previous?: unknown },
): Record<string, unknown> {
  return {
    clientRequestToken: options.token,
    awsAccountId: '123456789012',
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/CanaryStack/e722ae60-fe62-11e8-9a0e-0ae8cc519968',
    hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
    hookTypeVersion: '00000001',
    hookModel: options.hookModel,
    actionInvocationPoint: options.point ?? 'CREATE_PRE_PROVISION',
    invocationId: 'inv-canary',
    encryptedFas: c.plant('encryptedFas'),
    requestData: {
      targetName: options.targetName ?? 'AWS::ECS::TaskDefinition',
      targetType: 'RESOURCE',
      targetLogicalId: 'CanaryTask',
      targetModel: { resourceProperties: properties, ...(options.previous === undefined ? {} : { previousResourceProperties: options.previous }) },
      callerCredentials: credentials(c, 'callerCredentials'),
      providerCredentials: credentials(c, 'providerCredentials'),
      providerLogGroupName: c.plant('providerLogGroupName'),
      hookEncryptionKeyArn: `arn:aws:kms:us-east-1:123456789012:key/${c.plant('hookEncryptionKeyArn')}`,
      hookEncryptionKeyRole: `arn:aws:iam::123456789012:role/${c.plant('hookEncryptionKeyRole')}`,
    },
    requestContext: { invocation: 1, callbackContext: { secret: c.plant('requestContext.callbackContext') } },
  };
}

/** The contract-test event for `properties`, with canary credentials. */
export function testEvent(c: Canaries, properties: unknown, options: { token: string; point?: string; typeConfiguration?: unknown }): Record<string, unknown> {
  return {
    credentials: {
      accessKeyId: c.plant('test.credentials.accessKeyId'),
      secretAccessKey: c.plant('test.credentials.secretAccessKey'),
      sessionToken: c.plant('test.credentials.sessionToken'),
    },
    actionInvocationPoint: options.point ?? 'CREATE_PRE_PROVISION',
    request: {
      clientRequestToken: options.token,
      hookContext: {
        awsAccountId: '123456789012',
        stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/CanaryStack/1',
        hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
        targetName: 'AWS::ECS::TaskDefinition',
        targetType: 'RESOURCE',
        targetLogicalId: 'CanaryTask',
        targetModel: { resourceProperties: properties },
      },
    },
    callbackContext: { secret: c.plant('test.callbackContext') },
    typeConfiguration: options.typeConfiguration,
  };
}
