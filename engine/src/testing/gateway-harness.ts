/**
 * The embedded engine behind its Zeebe gateway on a free port, on a test database of its own,
 * with an official `@camunda8/sdk` client connected in plaintext. For tests that talk to Kontor
 * the way a Zeebe application does:
 *
 *   const harness = await startGatewayHarness();
 *   afterAll(() => harness.stop());
 *   await harness.zeebe.deployResource({ process: Buffer.from(xml), name: 'p.bpmn' });
 *   const { processInstanceKey } = await harness.zeebe.createProcessInstance({ bpmnProcessId: 'p', variables: {} });
 *   const records = await harness.engine.readRecords({ processInstanceKey });
 *
 * The engine runs on the system clock (back-offs and job timeouts take real time), so scenarios
 * keep their timeouts short. The harness never mocks anything: real PostgreSQL, real gRPC.
 */
import { Camunda8, type Zeebe } from '@camunda8/sdk';
import { startGateway, type Gateway } from '../gateway/gateway-server.js';
import { silentLogger } from '../logging/logger.js';
import { Engine, type EngineOptions } from '../runtime/engine.js';
import type { EngineRecord } from '../runtime/records.js';
import { freePort } from './free-port.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface GatewayHarness {
  readonly engine: Engine;
  readonly gateway: Gateway;
  readonly database: TestDatabase;
  /** `127.0.0.1:<port>` of the gateway, for zbctl and raw gRPC clients */
  readonly address: string;
  /** an `@camunda8/sdk` gRPC client connected to the gateway */
  readonly zeebe: Zeebe.ZeebeGrpcClient;
  /** the records of one process instance (or all), oldest first */
  records(processInstanceKey?: string): Promise<EngineRecord[]>;
  /** Closes the client, the gateway and the engine, then drops the database. */
  stop(): Promise<void>;
}

export interface GatewayHarnessOptions {
  /** passed to `Engine.start` */
  readonly engine?: Partial<Omit<EngineOptions, 'pool' | 'logger'>>;
  /** @default the gateway's default (4 MiB) */
  readonly maxMessageBytes?: number;
  /** the gateway's bearer token (the harness's own client sends it) */
  readonly bearerToken?: string;
}

export async function startGatewayHarness(
  options: GatewayHarnessOptions = {},
): Promise<GatewayHarness> {
  const database = await createTestDatabase();
  const logger = silentLogger();
  const engine = await Engine.start({
    pool: database.pool,
    logger,
    dueWorkIntervalMs: 50,
    ...options.engine,
  });
  const gateway = await startGateway({
    engine,
    host: '127.0.0.1',
    port: await freePort(),
    logger,
    maxMessageBytes: options.maxMessageBytes,
    bearerToken: options.bearerToken,
  });
  const address = `127.0.0.1:${gateway.port}`;
  const zeebe = zeebeClient(address, {}, options.bearerToken);
  return {
    engine,
    gateway,
    database,
    address,
    zeebe,
    records: (processInstanceKey) => engine.readRecords({ processInstanceKey, limit: 100_000 }),
    async stop() {
      await zeebe.close(2_000).catch(() => undefined);
      await gateway.close(2_000);
      await engine.stop();
      await database.drop();
    },
  };
}

type ZeebeGrpcSettings = NonNullable<
  NonNullable<ConstructorParameters<typeof Camunda8>[0]>['zeebeGrpcSettings']
>;

/**
 * An `@camunda8/sdk` gRPC client for a Kontor gateway at `address`: plaintext, no OAuth.
 * `grpcSettings` override the SDK's gRPC settings, e.g. `{ ZEEBE_GRPC_CLIENT_RETRY: false }`.
 */
export function zeebeClient(
  address: string,
  grpcSettings: ZeebeGrpcSettings = {},
  bearerToken?: string,
): Zeebe.ZeebeGrpcClient {
  // grpc:// selects plaintext; the REST address is required by the SDK but never used here.
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${address}`,
    ZEEBE_REST_ADDRESS: `http://${address}`,
    ...(bearerToken
      ? { CAMUNDA_AUTH_STRATEGY: 'BEARER' as const, CAMUNDA_OAUTH_TOKEN: bearerToken }
      : { CAMUNDA_AUTH_STRATEGY: 'NONE' as const }),
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: {
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      // Workers ask again right away after an empty long poll, as Zeebe's defaults do.
      ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: 10,
      ...grpcSettings,
    },
  }).getZeebeGrpcApiClient();
}
