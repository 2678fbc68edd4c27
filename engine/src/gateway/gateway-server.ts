/**
 * The Zeebe gRPC gateway of the embedded engine, on KONTOR_GATEWAY_PORT (26500 like Zeebe).
 * Unmodified Zeebe clients (`@camunda8/sdk`, `zbctl`) connect to it in plaintext.
 *
 *   const gateway = await startGateway({ engine, host: '0.0.0.0', port: 26500, logger });
 *   await gateway.close(5000); // stop accepting, let calls finish, then cancel the rest
 */
import * as grpc from '@grpc/grpc-js';
import { PortInUseError } from '../config/port-in-use.error.js';
import type { Logger } from '../logging/logger.js';
import type { GatewayEngine } from './gateway-engine.js';
import { createGatewayService } from './gateway.service.js';
import { loadGatewayService } from './protocol.js';

/** The Zeebe protocol version the gateway implements, reported by Topology. */
export const ZEEBE_PROTOCOL_VERSION = '8.8.0';

export interface GatewayOptions {
  readonly engine: GatewayEngine;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** @default undefined (no authentication) */
  readonly bearerToken?: string;
  /**
   * Largest request or response message.
   * @default 4 MiB (bytes), Zeebe's default
   */
  readonly maxMessageBytes?: number;
}

export interface Gateway {
  readonly port: number;
  close(graceMs: number): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const maxMessageBytes = options.maxMessageBytes ?? 4 * 1024 * 1024;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': maxMessageBytes,
    'grpc.keepalive_permit_without_calls': 1,
  });
  const advertisedHost =
    options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  let port = options.port;
  const service = createGatewayService(
    options.engine,
    {
      get host() {
        return advertisedHost;
      },
      get port() {
        return port;
      },
      version: ZEEBE_PROTOCOL_VERSION,
      bearerToken: options.bearerToken,
    },
    options.logger,
  );
  server.addService(loadGatewayService(), service);
  port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      grpc.ServerCredentials.createInsecure(),
      (error, bound) =>
        error
          ? reject(
              /address already in use|EADDRINUSE/i.test(error.message)
                ? new PortInUseError(options.port, options.host, 'KONTOR_GATEWAY_PORT', {
                    cause: error,
                  })
                : error,
            )
          : resolve(bound),
    );
  });
  options.logger.child({ component: 'gateway' }).info({ port }, 'Zeebe gateway listening');
  return {
    port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
