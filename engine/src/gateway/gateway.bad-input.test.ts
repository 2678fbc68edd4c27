// What the Zeebe gateway answers to requests it cannot carry out, sent with a raw grpc-js client
// (no SDK validation in between): each answer has the gRPC status Zeebe's gateway gives and a
// message that names the offending field, and the gateway keeps serving afterwards.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../bpmn/process-builder.js';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness.js';
import { protoFile } from './protocol.js';

type Message = Record<string, unknown>;
type Rpc = (
  request: Message,
  callback: (error: grpc.ServiceError | null, response?: Message) => void,
) => void;

let harness: GatewayHarness;
let client: grpc.Client & Record<string, Rpc>;

beforeAll(async () => {
  harness = await startGatewayHarness();
  const definition = protoLoader.loadSync(protoFile(), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  const { gateway_protocol } = grpc.loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
  };
  client = new gateway_protocol.Gateway(
    harness.address,
    grpc.credentials.createInsecure(),
  ) as unknown as typeof client;
  await harness.zeebe.deployResource({
    process: Buffer.from(
      processBuilder('bad-input')
        .startEvent()
        .serviceTask('task', { type: 'bad-input' })
        .endEvent()
        .toXml(),
    ),
    name: 'bad-input.bpmn',
  });
});
afterAll(async () => {
  client?.close();
  await harness?.stop();
});

function call(rpc: string, request: Message): Promise<Message> {
  return new Promise((resolve, reject) =>
    client[rpc]!.call(client, request, (error, response) =>
      error ? reject(error) : resolve(response ?? {}),
    ),
  );
}

/** The gRPC error of a call that is expected to fail. */
async function rejection(rpc: string, request: Message): Promise<grpc.ServiceError> {
  try {
    await call(rpc, request);
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error(`${rpc} succeeded, but a failure was expected`);
}

/** The gRPC error that ends a server stream which is expected to fail. */
function streamRejection(rpc: string, request: Message): Promise<grpc.ServiceError> {
  const open = client[rpc] as unknown as (r: Message) => grpc.ClientReadableStream<Message>;
  return new Promise((resolve, reject) => {
    const stream = open.call(client, request);
    stream.on('data', () => reject(new Error(`${rpc} sent data, but a failure was expected`)));
    stream.on('error', (error) => resolve(error as grpc.ServiceError));
    stream.on('end', () => reject(new Error(`${rpc} ended without an error`)));
  });
}

afterEach(async () => {
  // whatever the previous request did, the gateway still answers
  const topology = await call('Topology', {});
  expect(topology.partitionsCount).toBe(1);
});

describe('malformed variables', () => {
  it('CreateProcessInstance with variables that are not JSON: INVALID_ARGUMENT naming the field', async () => {
    const error = await rejection('CreateProcessInstance', {
      bpmnProcessId: 'bad-input',
      variables: '{"amount": 42,',
    });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toMatch(/argument 'variables'.*JSON document/);
  });

  it('CreateProcessInstance with a JSON array: INVALID_ARGUMENT, a JSON object was expected', async () => {
    const error = await rejection('CreateProcessInstance', {
      bpmnProcessId: 'bad-input',
      variables: '[1, 2, 3]',
    });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain(
      "Expected argument 'variables' to be a JSON object (a root level document), but was an array",
    );
  });

  it('CreateProcessInstanceWithResult names the nested field', async () => {
    const error = await rejection('CreateProcessInstanceWithResult', {
      request: { bpmnProcessId: 'bad-input', variables: 'not json' },
      requestTimeout: '1000',
    });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain("argument 'request.variables'");
  });

  it('CompleteJob with malformed variables is refused before the job is looked up', async () => {
    const error = await rejection('CompleteJob', { jobKey: '2251799813685249', variables: '{' });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain("argument 'variables'");
  });
});

describe('unknown keys and ids', () => {
  it('CreateProcessInstance of a process id that was never deployed: NOT_FOUND', async () => {
    const error = await rejection('CreateProcessInstance', { bpmnProcessId: 'no-such-process' });
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toContain('no-such-process');
  });

  it('CompleteJob of a job key that does not exist: NOT_FOUND', async () => {
    const error = await rejection('CompleteJob', { jobKey: '2251799813999999', variables: '{}' });
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toContain('2251799813999999');
  });

  it('CompleteJob without a job key: INVALID_ARGUMENT naming jobKey', async () => {
    const error = await rejection('CompleteJob', { variables: '{}' });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain("argument 'jobKey'");
  });
});

describe('negative timeouts', () => {
  it.each(['ActivateJobs', 'StreamActivatedJobs'])(
    '%s with a negative job timeout: INVALID_ARGUMENT naming timeout',
    async (rpc) => {
      const error = await streamRejection(rpc, {
        type: 'bad-input',
        worker: 'w',
        timeout: '-5',
        maxJobsToActivate: 1,
        requestTimeout: '-1',
      });
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details).toBe("Expected argument 'timeout' to be at least 1 (ms), but was -5");
    },
  );

  it('FailJob with a negative retry back-off: INVALID_ARGUMENT naming retryBackOff', async () => {
    const error = await rejection('FailJob', {
      jobKey: '2251799813685249',
      retries: 1,
      retryBackOff: '-100',
    });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain("argument 'retryBackOff'");
  });

  it('UpdateJobTimeout with a negative timeout: INVALID_ARGUMENT naming timeout', async () => {
    const error = await rejection('UpdateJobTimeout', {
      jobKey: '2251799813685249',
      timeout: '-1',
    });
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain("argument 'timeout'");
  });
});

describe('message size', () => {
  it('a 10 MB request exceeds the 4 MiB limit: RESOURCE_EXHAUSTED', async () => {
    const variables = JSON.stringify({ blob: 'x'.repeat(10 * 1024 * 1024) });
    const error = await rejection('CreateProcessInstance', {
      bpmnProcessId: 'bad-input',
      variables,
    });
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(/message larger than max|exceeds/i);
  });

  it('a request just under the limit is still served', async () => {
    const created = await call('CreateProcessInstance', {
      bpmnProcessId: 'bad-input',
      variables: JSON.stringify({ blob: 'x'.repeat(1024 * 1024) }),
    });
    expect(created.processInstanceKey).toMatch(/^\d+$/);
  });
});
