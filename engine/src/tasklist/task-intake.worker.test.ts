/**
 * The intake against the embedded engine behind its real Zeebe gateway, through the official
 * `@camunda8/sdk` client. The engine's clock is the test's, so a 60-second job lease runs out
 * without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness.js';
import { ElementNames } from './element-names.js';
import { TaskIntakeWorker, USER_TASK_JOB_TYPE } from './task-intake.worker.js';
import { reviewProcessXml, waitForTasks } from './testing/user-task-fixtures.js';
import { UserTaskRepository, type TakenUserTask } from './user-task.repository.js';

describe('task intake', () => {
  let harness: GatewayHarness;
  let time = Date.now();
  const stored: TakenUserTask[][] = [];
  let intake: TaskIntakeWorker;
  let tasks: UserTaskRepository;

  beforeAll(async () => {
    harness = await startGatewayHarness({
      engine: { clock: { now: () => time }, dueWorkIntervalMs: 0 },
    });
    tasks = new UserTaskRepository(harness.database.pool);
    intake = new TaskIntakeWorker({
      client: harness.zeebe,
      tasks,
      names: new ElementNames(harness.database.pool),
      logger: silentLogger(),
      jobTimeoutMs: 60_000,
      onStored: (batch) => stored.push([...batch]),
    });
    intake.start();
    await harness.engine.deployResources([
      {
        name: 'intake.bpmn',
        content: reviewProcessXml('intake', { candidateGroups: 'north', assignee: '=owner' }),
      },
    ]);
  });
  afterAll(async () => {
    await intake?.stop();
    await harness?.stop();
  });

  it('takes a job again after its lease ran out, updating the same task and keeping its claim', async () => {
    // given: a task taken and claimed
    const { processInstanceKey } = await harness.engine.createProcessInstance({
      bpmnProcessId: 'intake',
      variables: { owner: 'ida', amount: 1 },
    });
    const [jobKey] = await waitForTasks(harness.database.pool, [processInstanceKey]);
    expect((await tasks.get(jobKey))?.assignee).toBe('ida');
    await tasks.unclaim(jobKey, 'ida');
    await tasks.claim(jobKey, 'cas');
    const takenBefore = stored.flat().filter((t) => t.jobKey === jobKey).length;

    // when: the lease runs out and the variables changed meanwhile
    await harness.engine.setVariables(processInstanceKey, { amount: 2 });
    time += 61_000;
    await harness.engine.runDueWork();

    // then: the job was taken again and its task updated, not duplicated
    await expect
      .poll(() => stored.flat().filter((t) => t.jobKey === jobKey).length, { timeout: 10_000 })
      .toBe(takenBefore + 1);
    const records = await harness.records(processInstanceKey);
    expect(
      records.filter((r) => r.valueType === 'JOB' && r.intent === 'TIMED_OUT').map((r) => r.key),
    ).toEqual([jobKey]);
    const { rows } = await harness.database.pool.query(
      'SELECT count(*)::int AS n FROM user_task WHERE process_instance_key = $1',
      [processInstanceKey],
    );
    expect(rows[0].n).toBe(1);
    const task = await tasks.get(jobKey);
    expect(task?.assignee).toBe('cas');
    expect(task?.variables).toEqual({ owner: 'ida', amount: 2 });
  });

  it('asks the gateway for user-task jobs with the long lease', async () => {
    const { processInstanceKey } = await harness.engine.createProcessInstance({
      bpmnProcessId: 'intake',
      variables: { owner: 'ida' },
    });
    const [jobKey] = await waitForTasks(harness.database.pool, [processInstanceKey]);
    const activation = (await harness.records()).find(
      (r) =>
        r.valueType === 'JOB_BATCH' &&
        r.intent === 'ACTIVATED' &&
        (r.value.jobKeys as string[]).includes(jobKey),
    );
    expect(activation?.value).toMatchObject({
      type: USER_TASK_JOB_TYPE,
      worker: 'kontor-tasklist',
      timeout: 60_000,
    });
    expect((await tasks.get(jobKey))?.name).toBe('Review the claim');
  });

  it('stops at once while waiting for jobs', async () => {
    const worker = new TaskIntakeWorker({
      client: harness.zeebe,
      tasks,
      names: new ElementNames(harness.database.pool),
      logger: silentLogger(),
      workerName: 'idle',
    });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await worker.stop();
    expect(performance.now() - started).toBeLessThan(250);
  });
});
