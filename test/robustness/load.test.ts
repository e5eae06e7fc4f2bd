/**
 * Load: a warm Lambda reused for 10,000 sequential invocations (no retained-memory growth, no state
 * carried from one invocation to the next), and 200 concurrent invocations in one process, each
 * answered with its own token and verdict.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { captureOutput, HANDLERS, loadHook, logLines } from './support/hook';
import { assertAnswer } from './support/invariants';

const hook = loadHook();

interface Summary {
  runs: number;
  checked: number;
  problems: string[];
  growth: number;
  controlGrowth: number;
}

describe('10,000 sequential invocations in one process', () => {
  // 100 bytes retained an invocation would reach this; the child's control run retains 400.
  const bound = 1_000_000;
  let summary: Summary;

  beforeAll(() => {
    // The child captures process.stdout, the logger's sink outside Lambda.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.AWS_LAMBDA_FUNCTION_NAME;
    const child = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'child', 'load.js'), HANDLERS, '10000'], {
      env,
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    if (child.status !== 0) throw new Error(`the load child failed: ${child.stderr}`);
    summary = JSON.parse(child.stdout.trim().split('\n').pop()!) as Summary;
  });

  it('answers each invocation with its own token, verdict, message and log lines', () => {
    expect(summary.problems).toEqual([]);
    expect(summary.checked).toBe(5_000 + 2 * 10_000);
  });

  it('retains no memory from one invocation to the next', () => {
    expect(summary.growth).toBeLessThan(bound);
  });

  it('would see a leak of 400 bytes an invocation (the measurement is sensitive)', () => {
    expect(summary.controlGrowth).toBeGreaterThan(2 * bound);
  });
});

describe('with log and metric delivery: 2,000 sequential, then 200 concurrent invocations', () => {
  interface DeliverySummary {
    invocations: number;
    delivered: number;
    metricCalls: number;
    problems: string[];
    growth: number;
  }
  let summary: DeliverySummary;

  beforeAll(() => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.AWS_LAMBDA_FUNCTION_NAME;
    const child = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'child', 'load-delivery.js'), HANDLERS, '2000', '200'], {
      env,
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    if (child.status !== 0) throw new Error(`the delivery load child failed: ${child.stderr}`);
    summary = JSON.parse(child.stdout.trim().split('\n').pop()!) as DeliverySummary;
  });

  it('delivers each invocation to its own group and stream, signed with its own credentials, answering its own token', () => {
    expect(summary.problems).toEqual([]);
    expect(summary.invocations).toBe(3_000 + 2_000 + 200);
    expect(summary.delivered).toBe(summary.invocations);
    expect(summary.metricCalls).toBe(summary.invocations);
  });

  it('retains no memory from one invocation to the next', () => {
    // The same bound as without delivery: 500 bytes retained an invocation would pass it.
    expect(summary.growth).toBeLessThan(1_000_000);
  });
});

describe('200 concurrent invocations in one process', () => {
  /** Request i: its own token and correlation id, and a configuration and target that decide its verdict. */
  function request(i: number) {
    const exempt = i % 4 === 0;
    const target = i % 5 === 0 ? 'AWS::ECS::DaemonTaskDefinition' : i % 7 === 0 ? 'AWS::Lambda::Function' : 'AWS::ECS::TaskDefinition';
    const containers = [
      { Name: `app-${i}`, ReadonlyRootFilesystem: true },
      { Name: `sidecar-${i}`, ReadonlyRootFilesystem: i % 3 === 0 ? 'TRUE' : false },
    ];
    const body = {
      actionInvocationPoint: i % 11 === 0 ? 'UPDATE_PRE_PROVISION' : 'CREATE_PRE_PROVISION',
      targetName: target,
      targetLogicalId: `Task${i}`,
      targetModel: { resourceProperties: { ContainerDefinitions: containers } },
      config: exempt ? { ExemptContainerNames: [`sidecar-${i}`] } : i % 6 === 1 ? { ExemptContainerNames: 'x' } : undefined,
    };
    if (i % 2 === 0) {
      return {
        door: 'testEntrypoint' as const,
        event: {
          actionInvocationPoint: body.actionInvocationPoint,
          request: { clientRequestToken: `token-${i}`, hookContext: { targetName: target, targetLogicalId: body.targetLogicalId, targetModel: body.targetModel } },
          typeConfiguration: body.config,
        },
      };
    }
    return {
      door: 'entrypoint' as const,
      event: {
        clientRequestToken: `token-${i}`,
        actionInvocationPoint: body.actionInvocationPoint,
        hookModel: body.config,
        requestData: { targetName: target, targetType: 'RESOURCE', targetLogicalId: body.targetLogicalId, targetModel: body.targetModel },
      },
    };
  }

  it('each answer is its own', async () => {
    const requests = Array.from({ length: 200 }, (_, i) => request(i));
    const { value: answers, output } = await captureOutput(() =>
      Promise.all(requests.map((r, i) => hook[r.door](r.event, { awsRequestId: `corr-${i}` }))),
    );
    answers.forEach((answer, i) => {
      const { door, event } = requests[i]!;
      expect(answer.clientRequestToken).toBe(`token-${i}`);
      assertAnswer(answer, event, door);
      if (answer.errorCode === 'NonCompliant') {
        expect(answer.message).toContain(`'Task${i}'`);
        expect(answer.message).toContain(`'sidecar-${i}'`);
      }
    });
    const statuses = new Set(answers.map((a) => `${a.hookStatus}/${a.errorCode ?? ''}`));
    expect([...statuses].sort()).toEqual(['FAILED/InvalidTypeConfiguration', 'FAILED/NonCompliant', 'SUCCESS/']);
    // One 'Answered' line per invocation, with that invocation's verdict.
    const answered = logLines(output).filter((l) => l.message === 'Answered');
    expect(answered).toHaveLength(200);
    for (const line of answered) {
      const i = Number(String(line.correlationId).slice('corr-'.length));
      expect([line.correlationId, line.hookStatus, line.errorCode]).toEqual([`corr-${i}`, answers[i]!.hookStatus, answers[i]!.errorCode]);
    }
  });
});
