/**
 * Builders for tests of the tasklist: a small process with one user task, deployed and started
 * through the engine, and a wait until the tasklist's intake has taken the tasks.
 *
 *   await deployReviewProcess(kontor.engine, 'claim-check', { candidateGroups: 'north' });
 *   const keys = await startInstances(kontor.engine, 'claim-check', [{ owner: 'cas' }]);
 *   const tasks = await waitForTasks(pool, keys);
 */
import { processBuilder, type UserTaskOptions } from '../../bpmn/process-builder.js';
import type { Engine } from '../../runtime/engine.js';
import type { Pool } from '../../state/database.js';

/** start → user task "review" (form claim-review) → end; options override the user task's. */
export function reviewProcessXml(bpmnProcessId: string, options: UserTaskOptions = {}): string {
  return processBuilder(bpmnProcessId)
    .startEvent()
    .userTask('review', { name: 'Review the claim', formKey: 'claim-review', ...options })
    .endEvent()
    .toXml();
}

export async function deployReviewProcess(
  engine: Engine,
  bpmnProcessId: string,
  options: UserTaskOptions = {},
): Promise<void> {
  await engine.deployResources([
    { name: `${bpmnProcessId}.bpmn`, content: reviewProcessXml(bpmnProcessId, options) },
  ]);
}

/** Starts one instance per variables object; their process instance keys, in order. */
export async function startInstances(
  engine: Engine,
  bpmnProcessId: string,
  variables: Record<string, unknown>[],
): Promise<string[]> {
  const keys: string[] = [];
  for (const v of variables) {
    const { processInstanceKey } = await engine.createProcessInstance({
      bpmnProcessId,
      variables: v,
    });
    keys.push(processInstanceKey);
  }
  return keys;
}

/** Waits until the tasklist holds a user task of each instance; their job keys, in order. */
export async function waitForTasks(
  pool: Pool,
  processInstanceKeys: string[],
  timeoutMs = 15_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ job_key: string; process_instance_key: string }>(
      'SELECT job_key, process_instance_key FROM user_task WHERE process_instance_key = ANY($1)',
      [processInstanceKeys],
    );
    if (rows.length >= processInstanceKeys.length) {
      const byInstance = new Map(rows.map((r) => [r.process_instance_key, r.job_key]));
      return processInstanceKeys.map((k) => byInstance.get(k)!);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The tasklist took ${rows.length} of ${processInstanceKeys.length} user tasks within ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
