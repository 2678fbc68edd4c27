// StreamActivatedJobs under gRPC flow control: a client that stops reading makes the gateway's
// writes report a full buffer. The gateway then pauses its engine subscription until the buffer
// drains, every job that was activated for the stream still reaches the client exactly once, and
// closing the stream leaves no subscription behind.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processBuilder } from '../bpmn/process-builder.js';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness.js';
import { protoFile } from './protocol.js';

let harness: GatewayHarness;
let client: grpc.Client;

beforeAll(async () => {
  harness = await startGatewayHarness();
  const definition = protoLoader.loadSync(protoFile(), { keepCase: true, longs: String });
  const { gateway_protocol } = grpc.loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
  };
  client = new gateway_protocol.Gateway(harness.address, grpc.credentials.createInsecure());
  await harness.engine.deployResources([
    {
      name: 'slow-reader.bpmn',
      content: processBuilder('slow-reader')
        .startEvent()
        .serviceTask('task', { type: 'slow-reader' })
        .endEvent()
        .toXml(),
    },
  ]);
});
afterAll(async () => {
  client?.close();
  await harness?.stop();
});

it('a stream whose client stops reading delivers every job once after it reads again', async () => {
  // given a stream that is paused on the client side
  const open = (
    client as unknown as Record<string, (r: object) => grpc.ClientReadableStream<{ key: string }>>
  ).StreamActivatedJobs!;
  const stream = open.call(client, { type: 'slow-reader', worker: 'slow', timeout: '60000' });
  const received: string[] = [];
  stream.on('data', (job: { key: string }) => received.push(job.key));
  stream.on('error', () => undefined); // cancelled at the end
  await new Promise((resolve) => setTimeout(resolve, 200));
  stream.pause();

  // when jobs worth far more than the HTTP/2 windows are created (100 × 100 KB)
  const instances = 100;
  const padding = 'x'.repeat(100 * 1024);
  for (let i = 0; i < instances; i++) {
    await harness.engine.createProcessInstance({
      bpmnProcessId: 'slow-reader',
      variables: { i, padding },
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const beforeResume = received.length;
  stream.resume();

  // then
  const deadline = Date.now() + 15_000;
  while (received.length < instances && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  stream.cancel();
  expect(beforeResume).toBeLessThan(instances);
  expect(received).toHaveLength(instances);
  expect(new Set(received).size).toBe(instances);

  // and once the stream is gone, no part of it still takes jobs
  await new Promise((resolve) => setTimeout(resolve, 200));
  await harness.engine.createProcessInstance({ bpmnProcessId: 'slow-reader' });
  const polled = await harness.engine.activateJobs({
    type: 'slow-reader',
    worker: 'poller',
    timeoutMs: 10_000,
    maxJobsToActivate: 10,
    requestTimeoutMs: 2_000,
  });
  expect(polled).toHaveLength(1);
});
