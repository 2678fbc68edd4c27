/**
 * From failures to gRPC statuses. Engine errors carry a `code` named like the gRPC status they
 * become; request validation throws `InvalidRequestError`; anything else is a bug and leaves as
 * INTERNAL (logged with its stack, the client sees only the message).
 */
import { status, type ServiceError } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';

/** Thrown by request validation: INVALID_ARGUMENT, the message names the field. */
export class InvalidRequestError extends Error {
  readonly code = 'INVALID_ARGUMENT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** Thrown when the gateway requires a bearer token and the call has none or a wrong one. */
export class UnauthenticatedError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Thrown for an RPC whose engine feature is not there yet. */
export class UnimplementedError extends Error {
  readonly code = 'UNIMPLEMENTED';
  constructor(rpc: string, feature: string) {
    super(
      `${rpc} is not supported by Kontor's embedded engine yet: ${feature} arrive in a later version.`,
    );
    this.name = 'UnimplementedError';
  }
}

const STATUS_BY_CODE: Record<string, status> = {
  NOT_FOUND: status.NOT_FOUND,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  UNIMPLEMENTED: status.UNIMPLEMENTED,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  UNAVAILABLE: status.UNAVAILABLE,
  CANCELLED: status.CANCELLED,
};

/** The gRPC status for a thrown value, and whether it is an unexpected (internal) failure. */
export function toServiceError(error: unknown): {
  error: Partial<ServiceError>;
  internal: boolean;
} {
  const code = (error as { code?: unknown })?.code;
  const mapped = typeof code === 'string' ? STATUS_BY_CODE[code] : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (mapped !== undefined) {
    return { error: { code: mapped, details: message, metadata: new Metadata() }, internal: false };
  }
  return {
    error: {
      code: status.INTERNAL,
      details: `Unexpected error: ${message}`,
      metadata: new Metadata(),
    },
    internal: true,
  };
}
