// EvaluateDecision, ModifyProcessInstance and DeleteResource through the gateway with
// @camunda8/sdk, as the gateway RPC reference and Camunda 8.8's "Resource deletion" page describe
// them; MigrateProcessInstance answers UNIMPLEMENTED with a message that says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../bpmn/process-builder.js';
import {
  startGatewayHarness,
  zeebeClient,
  type GatewayHarness,
} from '../testing/gateway-harness.js';

let harness: GatewayHarness;
beforeAll(async () => {
  harness = await startGatewayHarness();
});
afterAll(() => harness.stop());

const DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="discounts" name="Discounts" namespace="http://kontor.dev/dmn">
  <decision id="discount" name="Discount">
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="i"><inputExpression id="ie" typeRef="number"><text>orders</text></inputExpression></input>
      <output id="o" name="percent" typeRef="number"/>
      <rule id="gold"><inputEntry id="g1"><text>&gt;= 10</text></inputEntry><outputEntry id="g2"><text>15</text></outputEntry></rule>
      <rule id="basic"><inputEntry id="b1"><text>-</text></inputEntry><outputEntry id="b2"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

it('deploys a DMN and evaluates its decision', async () => {
  const deployed = await harness.zeebe.deployResource({
    decision: Buffer.from(DMN),
    name: 'discounts.dmn',
  });
  expect(deployed.deployments).toEqual([
    expect.objectContaining({
      decision: expect.objectContaining({ dmnDecisionId: 'discount', version: 1 }),
    }),
  ]);
  const evaluation = await harness.zeebe.evaluateDecision({
    decisionId: 'discount',
    variables: { orders: 12 },
  });
  expect(evaluation).toMatchObject({
    decisionId: 'discount',
    decisionOutput: '15',
    failureMessage: '',
  });
  expect(evaluation.evaluatedDecisions[0]?.matchedRules[0]).toMatchObject({
    ruleId: 'gold',
    ruleIndex: 1,
  });
});

it('modifies a running instance: activates an element with variables, terminates another', async () => {
  const xml = processBuilder('to-modify')
    .startEvent()
    .serviceTask('first', { type: 'modify-first' })
    .serviceTask('second', { type: 'modify-second' })
    .endEvent()
    .toXml();
  await harness.zeebe.deployResource({ process: Buffer.from(xml), name: 'to-modify.bpmn' });
  const { processInstanceKey } = await harness.zeebe.createProcessInstance({
    bpmnProcessId: 'to-modify',
    variables: {},
  });
  const [job] = (await harness.zeebe.activateJobs({
    type: 'modify-first',
    worker: 't',
    timeout: 10_000,
    maxJobsToActivate: 1,
    requestTimeout: 1_000,
  })) as { elementInstanceKey: string }[];
  await harness.zeebe.modifyProcessInstance({
    processInstanceKey,
    activateInstructions: [
      {
        elementId: 'second',
        ancestorElementInstanceKey: '-1',
        variableInstructions: [{ scopeId: '', variables: { moved: true } }],
      },
    ],
    terminateInstructions: [{ elementInstanceKey: job!.elementInstanceKey }],
  });
  const [second] = (await harness.zeebe.activateJobs({
    type: 'modify-second',
    worker: 't',
    timeout: 10_000,
    maxJobsToActivate: 1,
    requestTimeout: 1_000,
  })) as { variables: Record<string, unknown> }[];
  expect(second?.variables).toMatchObject({ moved: true });
});

describe('DeleteResource', () => {
  const deployVersion = async (taskType: string) => {
    const xml = processBuilder('to-delete')
      .startEvent()
      .serviceTask('task', { type: taskType })
      .endEvent()
      .toXml();
    const deployed = await harness.zeebe.deployResource({
      process: Buffer.from(xml),
      name: 'to-delete.bpmn',
    });
    return deployed.deployments[0]!.process!;
  };

  it('deletes the latest process definition: the previous version is started again', async () => {
    // given
    const v1 = await deployVersion('delete-v1');
    const v2 = await deployVersion('delete-v2');

    // when
    await harness.zeebe.deleteResource({ resourceKey: v2.processDefinitionKey });

    // then
    const started = await harness.zeebe.createProcessInstance({
      bpmnProcessId: 'to-delete',
      variables: {},
    });
    expect(started).toMatchObject({ version: 1, processDefinitionKey: v1.processDefinitionKey });
    await expect(
      harness.zeebe.createProcessInstance({
        bpmnProcessId: 'to-delete',
        version: 2,
        variables: {},
      }),
    ).rejects.toThrow(/NOT_FOUND|5/);
    const deleted = (await harness.records()).filter((r) => r.key === v2.processDefinitionKey);
    expect(deleted.map((r) => `${r.valueType} ${r.intent}`)).toEqual([
      'PROCESS CREATED',
      'PROCESS DELETING',
      'PROCESS DELETED',
      'RESOURCE_DELETION DELETED',
    ]);
  });

  it('refuses a process definition with a running instance with FAILED_PRECONDITION', async () => {
    // given: version 1 of to-delete has the instance started above
    const [v1] = harness.engine
      .listProcessDefinitions()
      .filter((d) => d.bpmnProcessId === 'to-delete');

    // when
    const refused = harness.zeebe.deleteResource({ resourceKey: v1!.processDefinitionKey });

    // then
    await expect(refused).rejects.toThrow(/1 running process instance/);
  });

  it('deletes a decision requirements graph and with it its decisions', async () => {
    // given
    const deployed = await harness.zeebe.deployResource({
      decision: Buffer.from(DMN.replace('id="discounts"', 'id="discounts-to-delete"')),
      name: 'discounts-to-delete.dmn',
    });
    const decision = deployed.deployments[0]!.decision!;

    // when
    await harness.zeebe.deleteResource({ resourceKey: decision.decisionRequirementsKey });

    // then
    await expect(
      harness.zeebe.evaluateDecision({ decisionKey: decision.decisionKey, variables: {} }),
    ).rejects.toThrow(/NOT_FOUND|5/);
  });

  it('answers NOT_FOUND naming an unknown key, INVALID_ARGUMENT for a key that is no number', async () => {
    const client = zeebeClient(harness.address, { ZEEBE_GRPC_CLIENT_RETRY: false });
    try {
      await expect(client.deleteResource({ resourceKey: '2251799813999999' })).rejects.toThrow(
        /2251799813999999/,
      );
      await expect(client.deleteResource({ resourceKey: '2251799813999999' })).rejects.toThrow(
        /NOT_FOUND|5/,
      );
      await expect(client.deleteResource({ resourceKey: '-7' })).rejects.toThrow(
        /INVALID_ARGUMENT|3/,
      );
    } finally {
      await client.close(1_000).catch(() => undefined);
    }
  });
});

it('answers UNIMPLEMENTED for instance migration, saying so', async () => {
  const client = zeebeClient(harness.address, { ZEEBE_GRPC_CLIENT_RETRY: false });
  try {
    await expect(
      client.migrateProcessInstance({
        processInstanceKey: '2251799813685249',
        migrationPlan: { targetProcessDefinitionKey: '2251799813685250', mappingInstructions: [] },
      }),
    ).rejects.toThrow(/UNIMPLEMENTED|12/);
  } finally {
    await client.close(1_000).catch(() => undefined);
  }
});
