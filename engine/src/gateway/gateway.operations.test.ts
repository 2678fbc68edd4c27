// EvaluateDecision and ModifyProcessInstance through the gateway with @camunda8/sdk, as the
// gateway RPC reference describes them; DeleteResource and MigrateProcessInstance answer
// UNIMPLEMENTED with a message that says so.
import { afterAll, beforeAll, expect, it } from 'vitest';
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

it('answers UNIMPLEMENTED for resource deletion and instance migration, saying so', async () => {
  const client = zeebeClient(harness.address, { ZEEBE_GRPC_CLIENT_RETRY: false });
  try {
    await expect(client.deleteResource({ resourceKey: '2251799813685249' })).rejects.toThrow(
      /UNIMPLEMENTED|12/,
    );
  } finally {
    await client.close(1_000).catch(() => undefined);
  }
});
