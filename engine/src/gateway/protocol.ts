/**
 * Zeebe's gateway protocol (`gateway_protocol.Gateway`), loaded from the proto file that the
 * installed `@camunda8/sdk` ships, so the server speaks exactly what the official client sends.
 *
 * Conversion rules (proto-loader options): field names as in the proto, int64 as decimal strings
 * (Zeebe keys are 64-bit and must never pass through a JS number), enums as names, defaults
 * filled in, `oneof` fields named.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** Absolute path of `zeebe.proto` inside the installed `@camunda8/sdk`. */
export function protoFile(): string {
  const entry = require.resolve('@camunda8/sdk');
  const distIndex = entry.lastIndexOf(`${path.sep}dist${path.sep}`);
  return path.join(entry.slice(0, distIndex), 'dist', 'proto', 'zeebe.proto');
}

export function loadGatewayService(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(protoFile(), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
  };
  return pkg.gateway_protocol.Gateway.service;
}

/** The proto's int64 fields arrive as decimal strings; '0' means "not set". */
export type Int64 = string;
