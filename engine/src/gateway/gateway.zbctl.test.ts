// The Zeebe gateway as an operator sees it through zbctl, the Go command line client of Zeebe
// 8.x, run as a child process against the gateway in plaintext. Each command's printed JSON is
// checked, and its effect in the engine's records.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness.js';

const ZBCTL = fileURLToPath(
  new URL('../../../node_modules/zbctl/bin/zbctl-cli.linux', import.meta.url),
);
const FIXTURE = fileURLToPath(new URL('./__fixtures__/one-task.bpmn', import.meta.url));

/** start → message catch for `payment-received`, correlated by the instance's `orderId` → end */
const AWAIT_PAYMENT = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-await-payment" targetNamespace="t">
  <bpmn:message id="m" name="payment-received">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="await-payment" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="s-paid" sourceRef="s" targetRef="paid"/>
    <bpmn:sequenceFlow id="paid-e" sourceRef="paid" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;

let harness: GatewayHarness;
beforeAll(async () => {
  harness = await startGatewayHarness();
});
afterAll(() => harness?.stop());

/** Runs zbctl against the gateway; resolves with stdout, rejects with stderr on a failure. */
async function zbctl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    ZBCTL,
    [...args, '--insecure', '--address', harness.address],
    { timeout: 20_000, env: plaintextEnv() },
  );
  return stdout;
}

/** The environment without Zeebe settings, which would otherwise switch zbctl to OAuth or TLS. */
function plaintextEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(ZEEBE|CAMUNDA)_/.test(name)),
  );
}

async function zbctlJson(...args: string[]): Promise<Record<string, unknown>> {
  return JSON.parse(await zbctl(...args)) as Record<string, unknown>;
}

async function intents(processInstanceKey: string): Promise<string[]> {
  return (await harness.records(processInstanceKey)).map(
    (r) => `${r.valueType} ${r.intent}${r.elementId ? ` ${r.elementId}` : ''}`,
  );
}

async function activateWork(): Promise<{ key: string; variables: string }[]> {
  const activated = await zbctlJson(
    'activate',
    'jobs',
    'work',
    '--maxJobsToActivate',
    '1',
    '--timeout',
    '30s',
    '--worker',
    'zbctl',
  );
  return activated.jobs as { key: string; variables: string }[];
}

describe('zbctl', () => {
  beforeAll(async () => {
    await zbctl('deploy', FIXTURE);
  });

  it('status prints the topology: one broker leading partition 1', async () => {
    // when
    const output = await zbctl('status');

    // then
    expect(output).toContain('Cluster size: 1');
    expect(output).toContain('Partitions count: 1');
    expect(output).toMatch(/Partition 1 : Leader, Healthy/);
    expect(output).toContain('Gateway version: 8.8.0');
  });

  it('deploy prints the deployed process with its key and version', async () => {
    // when (zbctl 8.4 deploys BPMN files through DeployProcess)
    const deployed = await zbctlJson('deploy', FIXTURE);

    // then
    expect(deployed.key).toMatch(/^\d+$/);
    expect(deployed.processes).toHaveLength(1);
    expect((deployed.processes as unknown[])[0]).toMatchObject({
      bpmnProcessId: 'one-task',
      version: 1, // the same resource again: no new version
      resourceName: expect.stringMatching(/one-task\.bpmn$/),
      processDefinitionKey: expect.stringMatching(/^\d+$/),
    });
  });

  it('create instance, activate jobs and complete job run an instance to its end', async () => {
    // when
    const created = await zbctlJson(
      'create',
      'instance',
      'one-task',
      '--variables',
      '{"orderId":"A-17","amount":42}',
    );
    const processInstanceKey = String(created.processInstanceKey);
    const jobs = await activateWork();
    const [job] = jobs;
    await zbctl('complete', 'job', job!.key, '--variables', '{"shipped":true}');

    // then
    expect(created).toMatchObject({ bpmnProcessId: 'one-task', version: 1 });
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(job!.variables)).toEqual({ orderId: 'A-17', amount: 42 });
    expect(job).toMatchObject({
      type: 'work',
      processInstanceKey,
      elementId: 'task',
      worker: 'zbctl',
      retries: 3,
      customHeaders: '{"priority":"high"}',
    });
    expect(await intents(processInstanceKey)).toEqual(
      expect.arrayContaining([
        'JOB COMPLETED task',
        'PROCESS_INSTANCE ELEMENT_COMPLETED end',
        'PROCESS_INSTANCE ELEMENT_COMPLETED one-task',
      ]),
    );
  });

  it('create instance --withResult prints the variables of the completed instance', async () => {
    // given a worker that completes the next job through zbctl
    const worker = (async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const [job] = await activateWork();
        if (job) return zbctl('complete', 'job', job.key, '--variables', '{"total":43}');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no job appeared');
    })();

    // when
    const result = await zbctlJson(
      'create',
      'instance',
      'one-task',
      '--variables',
      '{"amount":42}',
      '--withResult',
    );
    await worker;

    // then
    expect(JSON.parse(String(result.variables))).toEqual({ amount: 42, total: 43 });
  });

  it('fail job with zero retries raises an incident', async () => {
    // given
    const created = await zbctlJson('create', 'instance', 'one-task');
    const [job] = await activateWork();

    // when
    const output = await zbctl(
      'fail',
      'job',
      job!.key,
      '--retries',
      '0',
      '--errorMessage',
      'printer on fire',
    );

    // then
    expect(output).toContain(job!.key);
    const incident = (await harness.records(String(created.processInstanceKey))).find(
      (r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED',
    );
    expect(incident?.value).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'printer on fire',
    });
  });

  it('cancel instance terminates it', async () => {
    // given
    const created = await zbctlJson('create', 'instance', 'one-task');
    const processInstanceKey = String(created.processInstanceKey);

    // when
    const output = await zbctl('cancel', 'instance', processInstanceKey);

    // then
    expect(output).toContain(processInstanceKey);
    expect(await intents(processInstanceKey)).toContain(
      'PROCESS_INSTANCE ELEMENT_TERMINATED one-task',
    );
  });

  it('publish message correlates to the waiting instance, which completes with its variables', async () => {
    // given an instance waiting for the payment of its order
    await harness.engine.deployResources([{ name: 'await-payment.bpmn', content: AWAIT_PAYMENT }]);
    const created = await zbctlJson(
      'create',
      'instance',
      'await-payment',
      '--variables',
      '{"orderId":"A-17"}',
    );
    const processInstanceKey = String(created.processInstanceKey);

    // when
    const published = await zbctlJson(
      'publish',
      'message',
      'payment-received',
      '--correlationKey',
      'A-17',
      '--variables',
      '{"amount":42}',
    );

    // then
    expect(published).toMatchObject({ key: expect.stringMatching(/^\d+$/), tenantId: '<default>' });
    expect(await intents(processInstanceKey)).toEqual(
      expect.arrayContaining([
        'PROCESS_MESSAGE_SUBSCRIPTION CORRELATED paid',
        'PROCESS_INSTANCE ELEMENT_COMPLETED await-payment',
      ]),
    );
    const amount = (await harness.records(processInstanceKey)).find(
      (r) => r.valueType === 'VARIABLE' && r.value.name === 'amount',
    );
    expect(amount?.value.value).toBe('42');
  });

  it('delete resource deletes a process definition; deleting it again is NotFound', async () => {
    // given
    const deployed = await harness.engine.deployResources([
      { name: 'await-payment.bpmn', content: AWAIT_PAYMENT.replace(/await-payment/g, 'gone') },
    ]);
    const key = deployed.processes[0]!.processDefinitionKey;

    // when
    await zbctl('delete', 'resource', key);

    // then
    await expect(zbctl('delete', 'resource', key)).rejects.toMatchObject({
      stderr: expect.stringMatching(/NotFound/),
    });
    await expect(zbctl('create', 'instance', 'gone')).rejects.toMatchObject({
      stderr: expect.stringMatching(/NotFound/),
    });
  });

  it('delete resource with a key that is no number fails before reaching the gateway', async () => {
    await expect(zbctl('delete', 'resource', 'not-a-key')).rejects.toMatchObject({
      stderr: expect.stringMatching(/not-a-key|invalid/i),
    });
  });

  it('a command the engine rejects exits non-zero and prints the status', async () => {
    // when
    const failed = zbctl('cancel', 'instance', '2251799813999999');

    // then
    await expect(failed).rejects.toMatchObject({ stderr: expect.stringMatching(/NotFound/) });
  });
});
