// The Zeebe gateway as the official Node client sees it: `@camunda8/sdk`'s gRPC client talks to
// the embedded engine over plaintext gRPC on loopback, and each scenario checks the engine's
// record stream for what the client asked for. Behaviour follows Camunda 8's gateway RPC
// reference and its "Job workers" and "Incidents" concept pages.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../bpmn/process-builder.js';
import type { EngineRecord } from '../runtime/records.js';
import {
  startGatewayHarness,
  zeebeClient,
  type GatewayHarness,
} from '../testing/gateway-harness.js';

let harness: GatewayHarness;
beforeAll(async () => {
  harness = await startGatewayHarness();
});
afterAll(() => harness?.stop());

let counter = 0;

/** Deploys start → service task of a fresh job type → end; returns the process id and type. */
async function deployOneTask(retries = '3') {
  const type = `work-${++counter}`;
  const bpmnProcessId = `one-task-${counter}`;
  await harness.zeebe.deployResource({
    process: Buffer.from(
      processBuilder(bpmnProcessId)
        .startEvent()
        .serviceTask('task', { type, retries })
        .endEvent()
        .toXml(),
    ),
    name: `${bpmnProcessId}.bpmn`,
  });
  return { type, bpmnProcessId };
}

const describeRecord = (r: EngineRecord) =>
  `${r.valueType} ${r.intent}${r.elementId ? ` ${r.elementId}` : ''}`;

async function intents(processInstanceKey: string): Promise<string[]> {
  return (await harness.records(processInstanceKey)).map(describeRecord);
}

/** Polls the instance's records until `predicate` holds; fails after `timeoutMs`. */
async function eventually(
  processInstanceKey: string,
  predicate: (intents: string[]) => boolean,
  timeoutMs = 10_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await intents(processInstanceKey);
    if (predicate(seen)) return seen;
    if (Date.now() > deadline) {
      throw new Error(`records of ${processInstanceKey} never matched:\n${seen.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const completedProcess = (bpmnProcessId: string) => (seen: string[]) =>
  seen.includes(`PROCESS_INSTANCE ELEMENT_COMPLETED ${bpmnProcessId}`);

async function activateOne(type: string, timeout = 10_000) {
  const jobs = await harness.zeebe.activateJobs({
    type,
    worker: 'test',
    maxJobsToActivate: 1,
    timeout,
    requestTimeout: 5_000,
  });
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

describe('Topology', () => {
  it('reports one healthy broker with one partition led by it', async () => {
    // when
    const topology = await harness.zeebe.topology();

    // then
    expect(topology).toMatchObject({
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: '8.8.0',
    });
    expect(topology.brokers[0]?.partitions).toEqual([
      { partitionId: 1, role: 'LEADER', health: 'HEALTHY' },
    ]);
  });
});

describe('DeployResource', () => {
  it('deploys a BPMN file and answers with its process metadata', async () => {
    // given
    const fixture = new URL('./__fixtures__/one-task.bpmn', import.meta.url);

    // when
    const first = await harness.zeebe.deployResource({ processFilename: fixture.pathname });
    const changed = (await readFile(fixture, 'utf8')).replace('Do the work', 'Do it again');
    const second = await harness.zeebe.deployResource({
      process: Buffer.from(changed),
      name: 'one-task.bpmn',
    });

    // then
    expect(first.deployments).toHaveLength(1);
    const process = first.deployments[0] as unknown as { process: Record<string, unknown> };
    expect(process.process).toMatchObject({
      bpmnProcessId: 'one-task',
      version: 1,
    });
    // the SDK names a file resource by the path it was read from
    expect(process.process.resourceName).toMatch(/one-task\.bpmn$/);
    expect((second.deployments[0] as { process: { version: number } }).process.version).toBe(2);
  });

  it('rejects a process that does not compile with INVALID_ARGUMENT naming the element', async () => {
    // given a service task without a job type
    const xml = processBuilder('broken')
      .startEvent()
      .serviceTask('no-type', { type: 'x' })
      .endEvent()
      .toXml()
      .replace(/<zeebe:taskDefinition[^>]*\/>/, '');

    // when / then
    await expect(
      harness.zeebe.deployResource({ process: Buffer.from(xml), name: 'broken.bpmn' }),
    ).rejects.toThrow(/INVALID_ARGUMENT[\s\S]*no-type/);
  });
});

describe('CreateProcessInstance', () => {
  it('starts an instance whose variables the engine records', async () => {
    // given
    const { bpmnProcessId } = await deployOneTask();

    // when
    const created = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: { orderId: 'A-17', amount: 42 },
    });

    // then
    expect(created).toMatchObject({ bpmnProcessId, version: 1, tenantId: '<default>' });
    const records = await harness.records(created.processInstanceKey);
    expect(records.map(describeRecord)).toContain('PROCESS_INSTANCE ELEMENT_ACTIVATED task');
    const variables = records
      .filter((r) => r.valueType === 'VARIABLE')
      .map((r) => [r.value.name, r.value.value]);
    expect(variables).toEqual(
      expect.arrayContaining([
        ['orderId', '"A-17"'],
        ['amount', '42'],
      ]),
    );
  });

  it('answers NOT_FOUND for a process id that was never deployed', async () => {
    await expect(
      harness.zeebe.createProcessInstance({ bpmnProcessId: 'never-deployed', variables: {} }),
    ).rejects.toThrow(/NOT_FOUND/);
  });
});

describe('job workers (ActivateJobs)', () => {
  it('a worker with five jobs in flight completes twenty instances', async () => {
    // given
    const { type, bpmnProcessId } = await deployOneTask();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        harness.zeebe.createProcessInstance({ bpmnProcessId, variables: { i } }),
      ),
    );
    let inFlight = 0;
    let maxInFlight = 0;

    // when
    const worker = harness.zeebe.createWorker({
      taskType: type,
      maxJobsToActivate: 5,
      timeout: 10_000,
      taskHandler: async (job) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 30));
        inFlight -= 1;
        return job.complete({ doubled: (job.variables.i as number) * 2 });
      },
    });

    // then
    try {
      for (const { processInstanceKey } of created) {
        await eventually(processInstanceKey, completedProcess(bpmnProcessId));
      }
    } finally {
      await worker.close();
    }
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(5);
    const last = created[19]!.processInstanceKey;
    const doubled = (await harness.records(last)).find(
      (r) => r.valueType === 'VARIABLE' && r.value.name === 'doubled',
    );
    expect(doubled?.value.value).toBe('38');
  });

  it('hands a job that failed with retries back after its back-off', async () => {
    // given
    const { type, bpmnProcessId } = await deployOneTask();
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: {},
    });
    const job = await activateOne(type);

    // when
    const failedAt = Date.now();
    await harness.zeebe.failJob({
      jobKey: job.key,
      retries: 2,
      errorMessage: 'the service is down',
      retryBackOff: 400,
    });
    const immediately = await harness.zeebe.activateJobs({
      type,
      worker: 'test',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: -1,
    });
    const again = await activateOne(type);

    // then
    expect(immediately).toEqual([]);
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(400);
    expect(again).toMatchObject({ key: job.key, retries: 2 });
    expect(await intents(processInstanceKey)).toEqual(
      expect.arrayContaining(['JOB FAILED task', 'JOB RECURRED_AFTER_BACKOFF task']),
    );
  });

  it('raises an incident at zero retries; new retries and ResolveIncident let it complete', async () => {
    // given
    const { type, bpmnProcessId } = await deployOneTask('1');
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: {},
    });
    const job = await activateOne(type);

    // when
    await harness.zeebe.failJob({
      jobKey: job.key,
      retries: 0,
      errorMessage: 'out of paper',
      retryBackOff: 0,
    });

    // then
    const incident = (await harness.records(processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED',
    );
    expect(incident?.value).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'out of paper',
      jobKey: job.key,
    });

    // when
    await harness.zeebe.updateJobRetries({ jobKey: job.key, retries: 1 });
    await harness.zeebe.resolveIncident({ incidentKey: incident!.key });
    const retried = await activateOne(type);
    await harness.zeebe.completeJob({ jobKey: retried.key, variables: { printed: true } });

    // then
    const seen = await eventually(processInstanceKey, completedProcess(bpmnProcessId));
    expect(seen).toEqual(
      expect.arrayContaining(['JOB RETRIES_UPDATED task', 'INCIDENT RESOLVED task']),
    );
  });

  it('a BPMN error without a catch event becomes an UNHANDLED_ERROR_EVENT incident', async () => {
    // given
    const { type, bpmnProcessId } = await deployOneTask();
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: {},
    });
    const job = await activateOne(type);

    // when
    await harness.zeebe.throwError({
      jobKey: job.key,
      errorCode: 'CARD_DECLINED',
      errorMessage: 'the card was declined',
    });

    // then
    const records = await harness.records(processInstanceKey);
    expect(records.map(describeRecord)).toContain('JOB ERROR_THROWN task');
    const incident = records.find((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED');
    expect(incident?.value).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT' });
    expect(String(incident?.value.errorMessage)).toContain('CARD_DECLINED');
  });

  it('answers NOT_FOUND when completing a job that does not exist', async () => {
    await expect(
      harness.zeebe.completeJob({ jobKey: '2251799813999999', variables: {} }),
    ).rejects.toThrow(/NOT_FOUND/);
  });
});

describe('StreamActivatedJobs', () => {
  it('a streaming worker receives and completes the jobs of new instances', async () => {
    // given
    const { type, bpmnProcessId } = await deployOneTask();
    const handled: string[] = [];
    const stream = await harness.zeebe.streamJobs({
      type,
      worker: 'streamer',
      timeout: 10_000,
      tenantIds: [],
      taskHandler: (job) => {
        handled.push(job.key);
        return job.complete({ streamed: true });
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    // when
    const created = await Promise.all(
      Array.from({ length: 5 }, () =>
        harness.zeebe.createProcessInstance({ bpmnProcessId, variables: {} }),
      ),
    );

    // then
    try {
      for (const { processInstanceKey } of created) {
        await eventually(processInstanceKey, completedProcess(bpmnProcessId));
      }
    } finally {
      stream.close();
    }
    expect(new Set(handled).size).toBe(5);
  });
});

describe('CreateProcessInstanceWithResult', () => {
  it('answers with the variables once the instance completed', async () => {
    // given
    const { type, bpmnProcessId } = await deployOneTask();
    const worker = harness.zeebe.createWorker({
      taskType: type,
      taskHandler: (job) => job.complete({ total: (job.variables.amount as number) + 1 }),
    });

    // when
    try {
      const result = await harness.zeebe.createProcessInstanceWithResult({
        bpmnProcessId,
        variables: { amount: 41 },
        requestTimeout: 10_000,
      });

      // then
      expect(result.variables).toEqual({ amount: 41, total: 42 });
      expect(await intents(result.processInstanceKey)).toContain(
        `PROCESS_INSTANCE ELEMENT_COMPLETED ${bpmnProcessId}`,
      );
    } finally {
      await worker.close();
    }
  });

  it('fails with DEADLINE_EXCEEDED when the instance does not complete in time', async () => {
    // given nobody works on the task, and a client that does not retry: the SDK treats
    // DEADLINE_EXCEEDED like back-pressure and would start another instance per retry
    const { bpmnProcessId } = await deployOneTask();
    const client = zeebeClient(harness.address, { ZEEBE_GRPC_CLIENT_RETRY: false });

    // when
    const startedAt = Date.now();
    const outcome = client
      .createProcessInstanceWithResult({ bpmnProcessId, variables: {}, requestTimeout: 300 })
      .finally(() => client.close());

    // then
    await expect(outcome).rejects.toThrow(/DEADLINE_EXCEEDED[\s\S]*did not complete within 300 ms/);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});

describe('CancelProcessInstance', () => {
  it('terminates the instance and cancels its job', async () => {
    // given
    const { bpmnProcessId } = await deployOneTask();
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: {},
    });

    // when
    await harness.zeebe.cancelProcessInstance(processInstanceKey);

    // then
    expect(await intents(processInstanceKey)).toEqual(
      expect.arrayContaining([
        'JOB CANCELED task',
        'PROCESS_INSTANCE ELEMENT_TERMINATED task',
        `PROCESS_INSTANCE ELEMENT_TERMINATED ${bpmnProcessId}`,
      ]),
    );
    await expect(harness.zeebe.cancelProcessInstance(processInstanceKey)).rejects.toThrow(
      /NOT_FOUND/,
    );
  });
});

describe('SetVariables', () => {
  it('updates a variable of a running instance that the next job sees', async () => {
    // given
    const { type, bpmnProcessId } = await deployOneTask();
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: { status: 'new' },
    });

    // when
    const answer = await harness.zeebe.setVariables({
      elementInstanceKey: processInstanceKey,
      variables: { status: 'checked', checkedBy: 'clerk' },
      local: false,
    });

    // then
    expect(answer).toMatchObject({ key: expect.stringMatching(/^\d+$/) });
    const job = await activateOne(type);
    expect(job.variables).toEqual({ status: 'checked', checkedBy: 'clerk' });
    expect(await intents(processInstanceKey)).toEqual(
      expect.arrayContaining([
        `VARIABLE_DOCUMENT UPDATED ${bpmnProcessId}`,
        `VARIABLE UPDATED ${bpmnProcessId}`,
        `VARIABLE CREATED ${bpmnProcessId}`,
      ]),
    );
  });
});

describe('messages and signals', () => {
  /** A BPMN file around a process body; `roots` declares its messages and signals. */
  const bpmn = (id: string, body: string, roots: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="t">
${roots}
<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
  const flow = (from: string, to: string) =>
    `<bpmn:sequenceFlow id="${from}-${to}" sourceRef="${from}" targetRef="${to}"/>`;
  const message = (name: string, correlationKey?: string) =>
    `<bpmn:message id="m" name="${name}">${correlationKey ? `<bpmn:extensionElements><zeebe:subscription correlationKey="${correlationKey}"/></bpmn:extensionElements>` : ''}</bpmn:message>`;
  /** start → catch event with `definition` → end */
  const waitFor = (id: string, definition: string, roots: string) =>
    bpmn(
      id,
      `<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="wait">${definition}</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>${flow('s', 'wait')}${flow('wait', 'e')}`,
      roots,
    );

  async function deploy(xml: string, bpmnProcessId: string) {
    await harness.zeebe.deployResource({
      process: Buffer.from(xml),
      name: `${bpmnProcessId}.bpmn`,
    });
  }

  async function deployPaymentWait() {
    const bpmnProcessId = `await-payment-${++counter}`;
    const name = `payment-received-${counter}`;
    await deploy(
      waitFor(
        bpmnProcessId,
        '<bpmn:messageEventDefinition messageRef="m"/>',
        message(name, '=orderId'),
      ),
      bpmnProcessId,
    );
    return { bpmnProcessId, name };
  }

  const variableValue = (records: EngineRecord[], name: string) =>
    records.find((r) => r.valueType === 'VARIABLE' && r.value.name === name)?.value.value;

  it('PublishMessage correlates to the instance waiting with its correlation key, with its variables', async () => {
    // given
    const { bpmnProcessId, name } = await deployPaymentWait();
    const waiting = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: { orderId: 'A-17' },
    });
    const other = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: { orderId: 'B-2' },
    });

    // when
    const published = await harness.zeebe.publishMessage({
      name,
      correlationKey: 'A-17',
      variables: { amount: 42, paidBy: 'card' },
    });

    // then
    expect(published).toMatchObject({ key: expect.stringMatching(/^\d+$/), tenantId: '<default>' });
    const seen = await eventually(waiting.processInstanceKey, completedProcess(bpmnProcessId));
    expect(seen).toEqual(
      expect.arrayContaining([
        'PROCESS_MESSAGE_SUBSCRIPTION CORRELATED wait',
        'PROCESS_INSTANCE ELEMENT_COMPLETED wait',
      ]),
    );
    const records = await harness.records(waiting.processInstanceKey);
    expect(variableValue(records, 'amount')).toBe('42');
    expect(variableValue(records, 'paidBy')).toBe('"card"');
    // the instance with another correlation key still waits
    expect(await intents(other.processInstanceKey)).not.toContain(
      'PROCESS_MESSAGE_SUBSCRIPTION CORRELATED wait',
    );
  });

  it('a buffered message correlates to an instance started later; its id is refused again with ALREADY_EXISTS', async () => {
    // given
    const { bpmnProcessId, name } = await deployPaymentWait();
    const messageId = `payment-${counter}`;
    const client = zeebeClient(harness.address, { ZEEBE_GRPC_CLIENT_RETRY: false });

    // when
    try {
      await client.publishMessage({
        name,
        correlationKey: 'C-3',
        messageId,
        timeToLive: 60_000,
        variables: { amount: 7 },
      });
      const duplicate = client.publishMessage({
        name,
        correlationKey: 'C-3',
        messageId,
        timeToLive: 60_000,
        variables: { amount: 8 },
      });

      // then
      await expect(duplicate).rejects.toThrow(/ALREADY_EXISTS[\s\S]*payment-/);
    } finally {
      await client.close();
    }
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId,
      variables: { orderId: 'C-3' },
    });
    await eventually(processInstanceKey, completedProcess(bpmnProcessId));
    expect(variableValue(await harness.records(processInstanceKey), 'amount')).toBe('7');
    const published = (await harness.records()).filter(
      (r) =>
        r.valueType === 'MESSAGE' && r.intent === 'PUBLISHED' && r.value.messageId === messageId,
    );
    expect(published).toHaveLength(1);
  });

  it('a message start event creates an instance with the message variables', async () => {
    // given
    const bpmnProcessId = `letter-${++counter}`;
    const name = `letter-arrived-${counter}`;
    await deploy(
      bpmn(
        bpmnProcessId,
        `<bpmn:startEvent id="arrived"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent><bpmn:endEvent id="e"/>${flow('arrived', 'e')}`,
        message(name),
      ),
      bpmnProcessId,
    );

    // when
    await harness.zeebe.publishMessage({
      name,
      correlationKey: 'customer-1',
      variables: { sender: 'Erika Mustermann' },
    });

    // then
    const started = (await harness.records()).find(
      (r) =>
        r.valueType === 'PROCESS_INSTANCE' &&
        r.intent === 'ELEMENT_ACTIVATED' &&
        r.elementId === bpmnProcessId,
    );
    expect(started?.processInstanceKey).toMatch(/^\d+$/);
    const seen = await eventually(started!.processInstanceKey!, completedProcess(bpmnProcessId));
    expect(seen).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED arrived');
    expect(variableValue(await harness.records(started!.processInstanceKey), 'sender')).toBe(
      '"Erika Mustermann"',
    );
  });

  it('BroadcastSignal reaches every instance waiting at a signal catch event', async () => {
    // given
    const bpmnProcessId = `await-signal-${++counter}`;
    const signalName = `resume-${counter}`;
    await deploy(
      waitFor(
        bpmnProcessId,
        '<bpmn:signalEventDefinition signalRef="sig"/>',
        `<bpmn:signal id="sig" name="${signalName}"/>`,
      ),
      bpmnProcessId,
    );
    const waiting = await Promise.all(
      [1, 2].map(() => harness.zeebe.createProcessInstance({ bpmnProcessId, variables: {} })),
    );

    // when
    const broadcast = await harness.zeebe.broadcastSignal({
      signalName,
      variables: { resumedBy: 'operator' },
    });

    // then
    expect(broadcast.key).toMatch(/^\d+$/);
    for (const { processInstanceKey } of waiting) {
      const seen = await eventually(processInstanceKey, completedProcess(bpmnProcessId));
      expect(seen).toContain('SIGNAL_SUBSCRIPTION CORRELATED wait');
      expect(variableValue(await harness.records(processInstanceKey), 'resumedBy')).toBe(
        '"operator"',
      );
    }
    const broadcasted = (await harness.records()).find(
      (r) => r.valueType === 'SIGNAL' && r.intent === 'BROADCASTED' && r.key === broadcast.key,
    );
    expect(broadcasted?.value).toMatchObject({ signalName });
  });
});
