// The optional bearer-token check (KONTOR_GATEWAY_BEARER_TOKEN), exercised with @camunda8/sdk's
// BEARER strategy; tenant ids pass through and are stored (Camunda 8 "Multi-tenancy": requests
// without a tenant use `<default>`).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processBuilder } from '../bpmn/process-builder.js';
import {
  startGatewayHarness,
  zeebeClient,
  type GatewayHarness,
} from '../testing/gateway-harness.js';

let harness: GatewayHarness;
beforeAll(async () => {
  harness = await startGatewayHarness({ bearerToken: 's3cret-token' });
});
afterAll(() => harness.stop());

it('a client with the token is served; without it or with another token UNAUTHENTICATED', async () => {
  expect((await harness.zeebe.topology()).brokers).toHaveLength(1);
  for (const token of [undefined, 'wrong-token']) {
    const client = zeebeClient(harness.address, { ZEEBE_GRPC_CLIENT_RETRY: false }, token);
    try {
      await expect(client.topology()).rejects.toThrow(/UNAUTHENTICATED|16/);
    } finally {
      await client.close(1_000).catch(() => undefined);
    }
  }
});

it('tenant ids pass through to the stored definitions and instances', async () => {
  const xml = processBuilder('tenanted').startEvent().endEvent().toXml();
  const deployed = await harness.zeebe.deployResource({
    process: Buffer.from(xml),
    name: 'tenanted.bpmn',
    tenantId: 'office-north',
  });
  expect(deployed.tenantId).toBe('office-north');
  const created = await harness.zeebe.createProcessInstance({
    bpmnProcessId: 'tenanted',
    variables: {},
    tenantId: 'office-north',
  });
  expect(created.tenantId).toBe('office-north');
  const { rows } = await harness.database.pool.query(
    'SELECT tenant_id FROM engine_process_instance WHERE process_instance_key = $1',
    [created.processInstanceKey],
  );
  expect(rows).toEqual([{ tenant_id: 'office-north' }]);
  await expect(
    harness.zeebe.createProcessInstance({ bpmnProcessId: 'tenanted', variables: {} }),
  ).rejects.toThrow(/NOT_FOUND|5/);
});
