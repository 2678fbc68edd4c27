/**
 * The Zeebe client connectors use: `@camunda8/sdk`'s gRPC client for Kontor's own gateway (no
 * credentials or its bearer token) or a remote cluster (credentials from the usual CAMUNDA_*
 * environment variables). Connectors never import engine internals; this client is their only
 * way into the engine.
 *
 *   const zeebe = connectZeebe({ address: 'grpc://127.0.0.1:26500', credentials: {} });
 */
import { Zeebe } from '@camunda8/sdk';

export interface ZeebeConnection {
  /** `grpc://host:port` (plaintext) or `grpcs://host:port` (TLS) */
  readonly address: string;
  readonly credentials: { readonly bearerToken?: string } | 'environment';
}

export function connectZeebe(connection: ZeebeConnection): Zeebe.ZeebeGrpcClient {
  const { credentials } = connection;
  return new Zeebe.ZeebeGrpcClient({
    config: {
      ZEEBE_GRPC_ADDRESS: connection.address,
      ...(credentials === 'environment'
        ? {}
        : credentials.bearerToken
          ? {
              CAMUNDA_AUTH_STRATEGY: 'BEARER' as const,
              CAMUNDA_OAUTH_TOKEN: credentials.bearerToken,
            }
          : { CAMUNDA_AUTH_STRATEGY: 'NONE' as const }),
      CAMUNDA_LOG_LEVEL: 'none',
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    },
  });
}
