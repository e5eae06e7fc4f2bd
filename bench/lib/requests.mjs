// Hook requests shaped like the ones CloudFormation sends (see the shared sample-hook-request),
// with primitives as strings, as CloudFormation hands them to hooks. No credentials: the path
// without log delivery.

const KINDS = [
  // Compliant application container.
  (i) => ({
    Name: `app-${i}`,
    Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.42.0',
    Essential: 'true',
    Cpu: '256',
    Memory: '512',
    ReadonlyRootFilesystem: 'true',
    PortMappings: [{ ContainerPort: '8080', Protocol: 'tcp' }],
    Environment: [
      { Name: 'STAGE', Value: 'prod' },
      { Name: 'LOG_FORMAT', Value: 'json' },
      { Name: 'PORT', Value: '8080' },
    ],
    MountPoints: [{ SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: 'false' }],
    LogConfiguration: { LogDriver: 'awsfirelens', Options: { Name: 'cloudwatch_logs', region: 'us-east-1' } },
    HealthCheck: { Command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], Interval: '30', Retries: '3' },
  }),
  // Compliant mesh proxy.
  (i) => ({
    Name: `envoy-${i}`,
    Image: '840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod',
    Essential: 'true',
    Memory: '128',
    ReadonlyRootFilesystem: 'true',
    User: '1337',
    Environment: [{ Name: 'APPMESH_RESOURCE_ARN', Value: 'mesh/shop/virtualNode/web' }],
  }),
  // FireLens log router without the flag: fails unless its image is exempt.
  (i) => ({
    Name: `log_router-${i}`,
    Image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2',
    Essential: 'true',
    FirelensConfiguration: { Type: 'fluentbit' },
    MemoryReservation: '50',
  }),
  // Monitoring agent that sets the flag to false: fails unless its name is exempt.
  (i) => ({
    Name: `datadog-agent-${i}`,
    Image: 'public.ecr.aws/datadog/agent:7',
    Essential: 'false',
    ReadonlyRootFilesystem: 'false',
    Environment: [{ Name: 'ECS_FARGATE', Value: 'true' }],
  }),
];

/** The type configuration that exempts the two sidecars above. */
export const CONFIGURATION = {
  ExemptContainerNames: ['datadog-agent-*'],
  ExemptImages: ['public.ecr.aws/aws-observability/aws-for-fluent-bit:*'],
};

/** `count` containers cycling through app, envoy, log router, monitoring agent. */
export function containers(count) {
  return Array.from({ length: count }, (_, i) => KINDS[i % KINDS.length](i));
}

/** A HookInvocationRequest for CREATE_PRE_PROVISION of an AWS::ECS::TaskDefinition. */
export function hookRequest(containerCount, { configured = false } = {}) {
  return {
    clientRequestToken: '4b90a7e4-b790-456b-a937-0cfdfa211dfe',
    awsAccountId: '123456789012',
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop-prod/e722ae60-fe62-11e8-9a0e-0ae8cc519968',
    changeSetId: 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/deploy-42/1a2345b6-0000-00a0-a123-00abc0abc000',
    hookTypeName: 'Guardrails::ECS::ReadonlyRootFilesystem',
    hookTypeVersion: '00000001',
    hookModel: configured ? CONFIGURATION : {},
    actionInvocationPoint: 'CREATE_PRE_PROVISION',
    invocationId: 'bench-invocation',
    invocationPlanId: '12345457557866789012',
    requestData: {
      targetName: 'AWS::ECS::TaskDefinition',
      targetType: 'RESOURCE',
      targetLogicalId: 'WebTaskDefinition',
      targetModel: {
        resourceProperties: {
          Family: 'shop-web',
          Cpu: '1024',
          Memory: '2048',
          NetworkMode: 'awsvpc',
          RequiresCompatibilities: ['FARGATE'],
          ExecutionRoleArn: 'arn:aws:iam::123456789012:role/shop-web-execution',
          TaskRoleArn: 'arn:aws:iam::123456789012:role/shop-web-task',
          Volumes: [{ Name: 'tmp' }],
          ContainerDefinitions: containers(containerCount),
        },
      },
      providerLogGroupName: 'guardrails-ecs-readonlyrootfilesystem-logs',
    },
    requestContext: { invocation: 1, callbackContext: {} },
  };
}

/** The verdict each request must get, so a broken bundle cannot pass for a fast one. */
export function expectedStatus(containerCount, { configured = false } = {}) {
  return containerCount <= 2 || configured ? 'SUCCESS' : 'FAILED';
}
