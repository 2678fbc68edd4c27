/**
 * A command the engine refuses. The `code` says why, in the terms of Zeebe's gateway (the
 * gateway answers with the gRPC status of the same name); the message names the input and what
 * was expected. A refused command changes nothing.
 */
export type EngineErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'ALREADY_EXISTS'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'UNAVAILABLE';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }
}

export function notFound(message: string): EngineError {
  return new EngineError('NOT_FOUND', message);
}

export function invalidArgument(message: string): EngineError {
  return new EngineError('INVALID_ARGUMENT', message);
}

export function failedPrecondition(message: string): EngineError {
  return new EngineError('FAILED_PRECONDITION', message);
}
