// The similarity check as a service task in a process, reached through Kontor's Zeebe gateway
// with @camunda8/sdk: the process branches on the variable the worker writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGatewayHarness,
  type GatewayHarness,
} from '../../../engine/src/testing/gateway-harness.js';
import type { NewClaim } from './claim.js';
import { ClaimsRepository } from './claims.repository.js';
import { startSimilarityCheckWorker } from './similarity-check.worker.js';

/** check → duplicate? → end "duplicate" / end "unique" */
const CHECK_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-check" targetNamespace="t">
  <bpmn:process id="check-claim" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:serviceTask id="check">
      <bpmn:extensionElements><zeebe:taskDefinition type="kontor:similarity-check"/></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:exclusiveGateway id="duplicate" default="to-unique"/>
    <bpmn:endEvent id="is-duplicate"/>
    <bpmn:endEvent id="is-unique"/>
    <bpmn:sequenceFlow id="s-check" sourceRef="s" targetRef="check"/>
    <bpmn:sequenceFlow id="check-gw" sourceRef="check" targetRef="duplicate"/>
    <bpmn:sequenceFlow id="to-duplicate" sourceRef="duplicate" targetRef="is-duplicate">
      <bpmn:conditionExpression>=similarity.duplicate</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to-unique" sourceRef="duplicate" targetRef="is-unique"/>
  </bpmn:process>
</bpmn:definitions>`;

let harness: GatewayHarness;
let worker: { close(): Promise<unknown> };
let claims: ClaimsRepository;

beforeAll(async () => {
  harness = await startGatewayHarness();
  claims = new ClaimsRepository(harness.database.pool);
  await harness.zeebe.deployResource({ process: Buffer.from(CHECK_BPMN), name: 'check.bpmn' });
  worker = startSimilarityCheckWorker({ zeebe: harness.zeebe, pool: harness.database.pool });
});
afterAll(async () => {
  await worker?.close();
  await harness?.stop();
});

const aClaim = (overrides: Partial<NewClaim> = {}): NewClaim => ({
  recipientId: 'christkind',
  channel: 'email',
  claimantName: 'Pieter de Jong',
  birthDate: '2016-08-08',
  street: 'Kerkstraat 5',
  postalCode: '1017 GC',
  city: 'Amsterdam',
  items: ['voetbal', 'lego brandweer'],
  ...overrides,
});

async function endOf(processInstanceKey: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ended = (await harness.records(processInstanceKey)).find(
      (r) => r.intent === 'ELEMENT_COMPLETED' && r.elementId?.startsWith('is-'),
    );
    if (ended) return ended.elementId!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process instance ${processInstanceKey} did not end`);
}

describe('kontor:similarity-check', () => {
  it('writes similarity with the match, its score and reasons, and the process takes the duplicate path', async () => {
    // given
    const earlier = await claims.insert(aClaim());
    const later = await claims.insert(
      aClaim({ recipientId: 'sinterklaas', channel: 'web', items: ['Lego Brandweer', 'fiets'] }),
    );

    // when
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId: 'check-claim',
      variables: { claimId: later.id },
    });

    // then
    expect(await endOf(processInstanceKey)).toBe('is-duplicate');
    const written = (await harness.records(processInstanceKey)).find(
      (r) => r.valueType === 'VARIABLE' && r.value.name === 'similarity',
    );
    const similarity = JSON.parse(String(written?.value.value));
    expect(similarity).toMatchObject({
      duplicate: true,
      matches: [
        {
          claimId: earlier.id,
          reference: earlier.reference,
          recipientId: 'christkind',
          material: true,
          overlappingItems: [['Lego Brandweer', 'lego brandweer']],
        },
      ],
    });
    expect(similarity.bestScore).toBeGreaterThan(0.7);
    expect(similarity.matches[0].reasons).toContain('same birth date 2016-08-08');
  });

  it('takes the unique path for a claim nobody made before', async () => {
    // given
    const claim = await claims.insert(
      aClaim({ claimantName: 'Sanne Bakker', birthDate: '2018-02-02' }),
    );

    // when
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId: 'check-claim',
      variables: { claimId: claim.id },
    });

    // then
    expect(await endOf(processInstanceKey)).toBe('is-unique');
  });

  it('raises an incident naming the variable when the claim is unknown', async () => {
    // when
    const { processInstanceKey } = await harness.zeebe.createProcessInstance({
      bpmnProcessId: 'check-claim',
      variables: { claimId: '00000000-0000-0000-0000-000000000000' },
    });

    // then
    const deadline = Date.now() + 10_000;
    let incident;
    while (!incident && Date.now() < deadline) {
      incident = (await harness.records(processInstanceKey)).find(
        (r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED',
      );
      if (!incident) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(incident?.value.errorMessage).toBe(
      "No claim with the id '00000000-0000-0000-0000-000000000000' (variable claimId)",
    );
  });
});
