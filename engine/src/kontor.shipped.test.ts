import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKontorHarness, type KontorHarness } from './testing/kontor-harness.js';

let harness: KontorHarness;
beforeAll(async () => {
  harness = await startKontorHarness({ KONTOR_DEPLOY_SHIPPED_PROCESSES: 'true' });
});
afterAll(() => harness?.close());

it('deploys the processes that ship with Kontor at start, once', async () => {
  const shipped = harness.kontor.engine
    .listProcessDefinitions()
    .filter((p) => p.bpmnProcessId === 'duplicate-claim-escalation');
  expect(shipped).toEqual([expect.objectContaining({ version: 1 })]);
});
