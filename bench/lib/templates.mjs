// Synthetic CloudFormation templates of a given size, in YAML with short-form tags, shaped like a
// real service stack: every fifth resource is a task definition, the others are what surrounds it.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

function block(i) {
  return `  Task${i}:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub '\${AWS::StackName}-task-${i}'
      Cpu: '512'
      Memory: '1024'
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ExecutionRoleArn: !GetAtt Role${i}.Arn
      ContainerDefinitions:
        - Name: app
          Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/app:\${ImageTag}'
          Essential: true
          ReadonlyRootFilesystem: true
          PortMappings:
            - ContainerPort: 8080
          Environment:
            - Name: STAGE
              Value: !Ref Stage
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Ref Logs${i}
              awslogs-region: !Ref AWS::Region
              awslogs-stream-prefix: app
        - Name: envoy
          Image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod
          Essential: true
          ReadonlyRootFilesystem: !Ref ReadOnly
        - Name: log_router
          Image: public.ecr.aws/aws-observability/aws-for-fluent-bit:stable
          Essential: true
          FirelensConfiguration:
            Type: fluentbit
  Service${i}:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task${i}
      DesiredCount: 2
      LaunchType: FARGATE
      NetworkConfiguration:
        AwsvpcConfiguration:
          SecurityGroups: [!Ref Sg${i}]
          Subnets: !Ref Subnets
  Logs${i}:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 14
  Role${i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: ecs-tasks.amazonaws.com }
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub 'arn:\${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'
  Sg${i}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub 'task ${i}'
      VpcId: !Ref Vpc
`;
}

/** A template with exactly `resources` resources (a multiple of 5), one task definition in five. */
export function syntheticTemplate(resources) {
  if (resources % 5 !== 0) throw new Error('resources must be a multiple of 5');
  const parts = [
    `AWSTemplateFormatVersion: '2010-09-09'
Description: Synthetic service stack for the benchmark (${resources} resources)
Parameters:
  Stage: { Type: String, Default: prod }
  ImageTag: { Type: String, Default: latest }
  ReadOnly: { Type: String, Default: 'true', AllowedValues: ['true', 'false'] }
  Cluster: { Type: String, Default: shop }
  Vpc: { Type: 'AWS::EC2::VPC::Id', Default: vpc-0123456789abcdef0 }
  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1' }
Resources:
`,
  ];
  for (let i = 0; i < resources / 5; i++) parts.push(block(i));
  return parts.join('');
}

/** Copies the corpus's templates round-robin into `dir` until it holds `count` files. */
export function repeatCorpus(corpusDir, dir, count) {
  const sources = readdirSync(corpusDir)
    .filter((f) => ['.yaml', '.yml', '.json', '.template'].includes(extname(f)))
    .sort();
  if (sources.length === 0) throw new Error(`no templates in ${corpusDir}`);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const src = sources[i % sources.length];
    copyFileSync(join(corpusDir, src), join(dir, `${String(i).padStart(4, '0')}-${src}`));
  }
  return sources.length;
}
