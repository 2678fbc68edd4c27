/**
 * The tasklist's lease check against the embedded engine behind its real Zeebe gateway: tasks
 * whose jobs are gone from the engine are canceled without anyone acting on them; tasks whose
 * jobs are there get their lease renewed; a task completed meanwhile stays completed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../api/auth/users.repository.js';
import { silentLogger } from '../logging/logger.js';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness.js';
import { startTasklist, type Tasklist } from './tasklist.service.js';
import { deployReviewProcess, startInstances, waitForTasks } from './testing/user-task-fixtures.js';

describe('tasklist lease check', () => {
  let harness: GatewayHarness;
  let tasklist: Tasklist;

  beforeAll(async () => {
    harness = await startGatewayHarness();
    tasklist = startTasklist({
      pool: harness.database.pool,
      logger: silentLogger(),
      zeebeAddress: `grpc://${harness.address}`,
      credentials: {},
      // checked by the tests, not on a timer
      leaseCheck: false,
      engineRecordsInDatabase: true,
    });
    await deployReviewProcess(harness.engine, 'lease-check');
  });
  afterAll(async () => {
    await tasklist?.stop();
    await harness?.stop();
  });

  it('cancels the tasks whose jobs the engine no longer has, and renews the others', async () => {
    // given three open tasks, the first one's instance canceled in the engine
    const instances = await startInstances(harness.engine, 'lease-check', [{}, {}, {}]);
    const keys = await waitForTasks(harness.database.pool, instances);
    await harness.engine.cancelProcessInstance(instances[0]);
    const deadlineBefore = await deadlineOf(keys[1]);

    // when
    const canceled = await tasklist.checkLeases({ recheckAfterMs: 0 });

    // then
    expect(canceled).toEqual([keys[0]]);
    expect((await tasklist.tasks.get(keys[0]))?.state).toBe('canceled');
    expect((await tasklist.tasks.get(keys[1]))?.state).toBe('open');
    expect(await deadlineOf(keys[1])).toBeGreaterThan(deadlineBefore);
  });

  it('checks only tasks not checked within recheckAfterMs, the longest unchecked first', async () => {
    // given a task checked just now
    const instances = await startInstances(harness.engine, 'lease-check', [{}]);
    const [key] = await waitForTasks(harness.database.pool, instances);
    await tasklist.checkLeases({ recheckAfterMs: 0 });
    await harness.engine.cancelProcessInstance(instances[0]);

    // when checked again within a minute, then once a minute passed
    const soon = await tasklist.checkLeases({ recheckAfterMs: 60_000 });
    const later = await tasklist.checkLeases({ recheckAfterMs: 0 });

    // then
    expect(soon).not.toContain(key);
    expect(later).toEqual([key]);
  });

  it('leaves a task completed in the tasklist completed', async () => {
    // given a completed task (its job is gone from the engine after completion)
    const instances = await startInstances(harness.engine, 'lease-check', [{}]);
    const [key] = await waitForTasks(harness.database.pool, instances);
    const user: User = {
      id: 'u1',
      username: 'cas',
      displayName: 'Cas',
      roles: ['caseworker'],
      candidateGroups: [],
    };
    expect((await tasklist.claim(key, user)).ok).toBe(true);
    const completed = await tasklist.complete(key, user, {
      decision: 'approve',
      approvedAmount: 10,
      comment: 'All receipts present',
    });
    expect(completed).toMatchObject({ ok: true });

    // when
    await tasklist.checkLeases({ recheckAfterMs: 0 });

    // then
    expect((await tasklist.tasks.get(key))?.state).toBe('completed');
  });

  it('marks a task completed when another client completed its job, with its values', async () => {
    // given a task whose job a worker completed through the Zeebe client, not the tasklist
    const instances = await startInstances(harness.engine, 'lease-check', [{}]);
    const [key] = await waitForTasks(harness.database.pool, instances);
    await harness.zeebe.completeJob({ jobKey: key, variables: { decision: 'approve' } });

    // when
    const canceled = await tasklist.checkLeases({ recheckAfterMs: 0 });

    // then
    expect(canceled).not.toContain(key);
    expect(await tasklist.tasks.get(key)).toMatchObject({
      state: 'completed',
      completedBy: null,
      completionVariables: { decision: 'approve' },
    });
  });

  async function deadlineOf(jobKey: string): Promise<number> {
    const { rows } = await harness.database.pool.query<{ job_deadline: Date }>(
      'SELECT job_deadline FROM user_task WHERE job_key = $1',
      [jobKey],
    );
    return rows[0].job_deadline.getTime();
  }
});
