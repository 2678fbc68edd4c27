// Job semantics follow Camunda 8's "Job workers" concept page and the gateway RPC reference
// (ActivateJobs, CompleteJob, FailJob with retryBackOff, ThrowError, UpdateJobRetries,
// UpdateJobTimeout) and "Incidents" (no retries left; resolve after updating retries).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(() => harness.stop());

let counter = 0;
async function instanceWithJob(retries = '3') {
  const type = `job-${++counter}`;
  await harness.deploy(
    processBuilder(`p-${type}`)
      .startEvent()
      .serviceTask('task', { type, retries })
      .endEvent()
      .toXml(),
  );
  const instance = await harness.engine.createProcessInstance({ bpmnProcessId: `p-${type}` });
  const activate = (timeoutMs = 5_000) =>
    harness.engine.activateJobs({ type, worker: 'worker-a', timeoutMs, maxJobsToActivate: 10 });
  return { type, instance, activate };
}

async function intentsOf(processInstanceKey: string) {
  return harness.intents(processInstanceKey);
}

describe('activation', () => {
  it('an activated job is not handed out again until its timeout passes', async () => {
    const { instance, activate } = await instanceWithJob();
    const [job] = await activate(5_000);
    expect(job).toMatchObject({ worker: 'worker-a', deadline: harness.now() + 5_000 });
    expect(await activate()).toEqual([]);
    harness.advance(5_001);
    expect(await harness.engine.runDueWork()).toBeGreaterThanOrEqual(1);
    const [again] = await activate();
    expect(again?.key).toBe(job?.key);
    expect(await intentsOf(instance.processInstanceKey)).toContain('JOB TIMED_OUT task');
  });

  it('a long poll answers as soon as a job is created', async () => {
    const type = `poll-${++counter}`;
    await harness.deploy(
      processBuilder(`p-${type}`).startEvent().serviceTask('task', { type }).endEvent().toXml(),
    );
    const polled = harness.engine.activateJobs({
      type,
      worker: 'w',
      timeoutMs: 1000,
      maxJobsToActivate: 5,
      requestTimeoutMs: 10_000,
    });
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await harness.engine.createProcessInstance({ bpmnProcessId: `p-${type}` });
    const jobs = await polled;
    expect(jobs).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('a long poll with nothing to do answers empty after its request timeout', async () => {
    const jobs = await harness.engine.activateJobs({
      type: 'nobody',
      worker: 'w',
      timeoutMs: 1000,
      maxJobsToActivate: 5,
      requestTimeoutMs: 100,
    });
    expect(jobs).toEqual([]);
  });

  it('streams push jobs as they are created', async () => {
    const type = `stream-${++counter}`;
    await harness.deploy(
      processBuilder(`p-${type}`).startEvent().serviceTask('task', { type }).endEvent().toXml(),
    );
    const pushed: string[] = [];
    const stream = harness.engine.streamJobs({ type, worker: 'streamer', timeoutMs: 1000 }, (job) =>
      pushed.push(job.key),
    );
    await harness.engine.createProcessInstance({ bpmnProcessId: `p-${type}` });
    await harness.engine.createProcessInstance({ bpmnProcessId: `p-${type}` });
    await expect.poll(() => pushed.length).toBe(2);
    stream.close();
    for (const key of pushed) await harness.engine.completeJob(key);
  });
});

describe('failure and retries', () => {
  it('a failed job with retries comes back after its back-off', async () => {
    const { instance, activate } = await instanceWithJob();
    const [job] = await activate();
    await harness.engine.failJob(job!.key, {
      retries: 2,
      errorMessage: 'service down',
      retryBackOffMs: 60_000,
    });
    expect(await activate()).toEqual([]);
    harness.advance(60_000);
    await harness.engine.runDueWork();
    const [again] = await activate();
    expect(again).toMatchObject({ key: job!.key, retries: 2 });
    const intents = await intentsOf(instance.processInstanceKey);
    expect(intents).toEqual(
      expect.arrayContaining(['JOB FAILED task', 'JOB RECURRED_AFTER_BACKOFF task']),
    );
  });

  it('no retries left raises an incident; update retries and resolve, and the job completes', async () => {
    const { instance, activate } = await instanceWithJob('1');
    const [job] = await activate();
    await harness.engine.failJob(job!.key, { retries: 0, errorMessage: 'card declined' });
    const incident = (await harness.records(instance.processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT',
    );
    expect(incident?.value).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'card declined',
      jobKey: job!.key,
    });
    await expect(harness.engine.completeJob(job!.key)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    await harness.engine.updateJobRetries(job!.key, 1);
    await harness.engine.resolveIncident(incident!.key);
    const [again] = await activate();
    await harness.engine.completeJob(again!.key);
    const intents = await intentsOf(instance.processInstanceKey);
    expect(intents).toEqual(
      expect.arrayContaining([
        'INCIDENT CREATED task',
        'JOB RETRIES_UPDATED task',
        'INCIDENT RESOLVED task',
        'JOB COMPLETED task',
      ]),
    );
    expect(intents.at(-1)).toBe(`PROCESS_INSTANCE ELEMENT_COMPLETED p-${job!.type}`);
  });

  it('an uncaught ThrowError raises UNHANDLED_ERROR_EVENT; resolving makes the job activatable again', async () => {
    const { instance, activate } = await instanceWithJob();
    const [job] = await activate();
    await harness.engine.throwError(job!.key, { errorCode: 'NO_STOCK', errorMessage: 'sold out' });
    const incident = (await harness.records(instance.processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT',
    );
    expect(incident?.value).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT' });
    expect(incident?.value.errorMessage).toContain("'NO_STOCK'");
    await harness.engine.resolveIncident(incident!.key);
    expect(await activate()).toHaveLength(1);
  });

  it('updating the timeout moves the deadline', async () => {
    const { activate } = await instanceWithJob();
    const [job] = await activate(1_000);
    await harness.engine.updateJobTimeout(job!.key, 60_000);
    harness.advance(2_000);
    await harness.engine.runDueWork();
    expect(await activate()).toEqual([]);
  });

  it('refuses unknown jobs and bad arguments with the right code', async () => {
    await expect(harness.engine.completeJob('2251799813999999')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining("'2251799813999999'"),
    });
    await expect(harness.engine.updateJobRetries('2251799813999999', 0)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(harness.engine.resolveIncident('2251799813999999')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      harness.engine.activateJobs({ type: 'x', worker: 'w', timeoutMs: -1, maxJobsToActivate: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('process instances', () => {
  it('creates by definition key, awaits the result, and cancels', async () => {
    const deployed = await harness.deploy(
      processBuilder('by-key').startEvent().scriptTask('s', '=n * 2', 'double').endEvent().toXml(),
    );
    const result = await harness.engine.createProcessInstanceWithResult({
      processDefinitionKey: deployed.processes[0]!.processDefinitionKey,
      variables: { n: 21 },
      fetchVariables: ['double'],
    });
    expect(result.variables).toEqual({ double: 42 });

    const { instance } = await instanceWithJob();
    await harness.engine.cancelProcessInstance(instance.processInstanceKey);
    const intents = await intentsOf(instance.processInstanceKey);
    expect(intents.slice(-3)).toEqual([
      'JOB CANCELED task',
      'PROCESS_INSTANCE ELEMENT_TERMINATED task',
      `PROCESS_INSTANCE ELEMENT_TERMINATED ${instance.bpmnProcessId}`,
    ]);
    await expect(
      harness.engine.cancelProcessInstance(instance.processInstanceKey),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { rows } = await harness.database.pool.query(
      'SELECT state FROM engine_process_instance WHERE process_instance_key = $1',
      [instance.processInstanceKey],
    );
    expect(rows[0]).toEqual({ state: 'TERMINATED' });
  });

  it('await-result times out with DEADLINE_EXCEEDED while the instance keeps running', async () => {
    const { type } = await instanceWithJob();
    await expect(
      harness.engine.createProcessInstanceWithResult({
        bpmnProcessId: `p-${type}`,
        requestTimeoutMs: 50,
      }),
    ).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('refuses unknown processes', async () => {
    await expect(
      harness.engine.createProcessInstance({ bpmnProcessId: 'nope' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: "Expected to find process definition with process ID 'nope', but none found",
    });
  });
});

describe('records', () => {
  it('the chain verifies, and a changed record is reported at its position', async () => {
    expect(await harness.engine.verifyRecordChain()).toMatchObject({ ok: true });
    const client = await harness.database.pool.connect();
    try {
      await client.query('ALTER TABLE engine_record DISABLE TRIGGER engine_record_no_update');
      await client.query(`UPDATE engine_record SET value = '{"forged":true}' WHERE position = 5`);
      await client.query('ALTER TABLE engine_record ENABLE TRIGGER engine_record_no_update');
    } finally {
      client.release();
    }
    expect(await harness.engine.verifyRecordChain()).toMatchObject({
      ok: false,
      position: '5',
      checked: 4,
    });
  });

  it('records cannot be updated or deleted', async () => {
    await expect(
      harness.database.pool.query('DELETE FROM engine_record WHERE position = 1'),
    ).rejects.toThrow(/append-only/);
  });
});
