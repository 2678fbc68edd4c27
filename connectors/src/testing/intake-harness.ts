/**
 * Intake for tests: Kontor's engine behind its Zeebe gateway (real PostgreSQL, real gRPC), the
 * inbound repositories on the same test database, a content store in a temporary directory, the
 * regional recipients, and a dispatcher that starts `bpmnProcessId` through the Zeebe client.
 *
 *   const intake = await startIntakeHarness();
 *   afterAll(() => intake.stop());
 *   const { item, dispatched } = await intake.service.receive(anItem());
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Zeebe } from '@camunda8/sdk';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import {
  startGatewayHarness,
  zeebeClient,
  type GatewayHarness,
} from '../../../engine/src/testing/gateway-harness.js';
import { ContentStore } from '../inbound/content-store.js';
import type { NewInboundItem } from '../inbound/inbound-item.js';
import { InboundItemRepository } from '../inbound/inbound-item.repository.js';
import { InboundService, type InboundLimits } from '../inbound/inbound.service.js';
import { ProcessDispatcher } from '../inbound/process-dispatcher.js';
import { RecipientsRepository, type Recipient } from '../inbound/recipients.repository.js';

export const RECIPIENTS: readonly Recipient[] = [
  {
    id: 'christkind',
    name: 'Christkind',
    emailAddresses: ['christkind@intake.example'],
    officeGroup: 'office-christkind',
  },
  {
    id: 'santa-claus',
    name: 'Santa Claus',
    emailAddresses: ['santa@intake.example', 'santa.claus@intake.example'],
    officeGroup: 'office-santa-claus',
  },
  {
    id: 'sinterklaas',
    name: 'Sinterklaas',
    emailAddresses: ['sinterklaas@intake.example'],
    officeGroup: 'office-sinterklaas',
  },
];

export interface IntakeHarness {
  readonly gateway: GatewayHarness;
  /** a second client, owned by the dispatcher */
  readonly zeebe: Zeebe.ZeebeGrpcClient;
  readonly items: InboundItemRepository;
  readonly recipients: RecipientsRepository;
  readonly store: ContentStore;
  readonly dispatcher: ProcessDispatcher;
  readonly service: InboundService;
  stop(): Promise<void>;
}

export async function startIntakeHarness(
  options: { bpmnProcessId?: string; limits?: Partial<InboundLimits> } = {},
): Promise<IntakeHarness> {
  const gateway = await startGatewayHarness();
  const pool = gateway.database.pool;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-intake-'));
  const logger = silentLogger();
  const items = new InboundItemRepository(pool);
  const recipients = new RecipientsRepository(pool);
  for (const recipient of RECIPIENTS) await recipients.save(recipient);
  const store = new ContentStore(path.join(dir, 'content'));
  const zeebe = zeebeClient(gateway.address);
  const dispatcher = new ProcessDispatcher({
    zeebe,
    items,
    logger,
    bpmnProcessId: options.bpmnProcessId ?? 'intake-test',
    retryIntervalMs: 100,
  });
  const service = new InboundService({
    items,
    recipients,
    store,
    dispatcher,
    logger,
    limits: options.limits,
  });
  return {
    gateway,
    zeebe,
    items,
    recipients,
    store,
    dispatcher,
    service,
    async stop() {
      await service.drain();
      await dispatcher.stop();
      await zeebe.close(2_000).catch(() => undefined);
      await gateway.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** An inbound item with sensible defaults; override what the test is about. */
export function anInboundItem(overrides: Partial<NewInboundItem> = {}): NewInboundItem {
  const bodyText =
    overrides.bodyText ?? 'Liebes Christkind, ich wünsche mir ein rotes Fahrrad und eine Puppe.';
  return {
    channel: 'web',
    recipientId: 'christkind',
    sender: { name: 'Anna Müller', email: 'anna.mueller@example.org' },
    receivedAt: new Date('2026-12-01T10:00:00Z'),
    subject: 'Mein Wunschzettel',
    bodyText,
    attachments: [],
    raw: { content: Buffer.from(JSON.stringify({ bodyText })), contentType: 'application/json' },
    ...overrides,
  };
}

/** start → message catch `inbound-item-received` correlated by the item's reference → end */
export const INTAKE_TEST_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-intake-test" targetNamespace="t">
  <bpmn:message id="m" name="inbound-item-received">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=inboundItem.reference"/></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="intake-test" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:intermediateCatchEvent id="follow-up"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="s-f" sourceRef="s" targetRef="follow-up"/>
    <bpmn:sequenceFlow id="f-e" sourceRef="follow-up" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;

/** Polls `probe` until it returns something truthy or `timeoutMs` passed. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
