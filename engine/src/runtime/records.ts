/**
 * Records: the engine's append-only history. Every state change is one record with a value type
 * and an intent in Zeebe's vocabulary (`PROCESS_INSTANCE ELEMENT_ACTIVATED`, `JOB COMPLETED`,
 * `INCIDENT CREATED`, …). Each record carries the hash of its predecessor, so a changed, removed
 * or reordered record breaks the chain at that point.
 *
 * Element lifecycle records: an element instance's record stream is `ELEMENT_ACTIVATED`, then
 * `ELEMENT_COMPLETED` or `ELEMENT_TERMINATED`. The transitional `ELEMENT_ACTIVATING` appears only
 * when activation stops at an incident (so the waiting element instance is visible);
 * `ELEMENT_COMPLETING` and `ELEMENT_TERMINATING` are not written.
 */
import { createHash } from 'node:crypto';

export type RecordValueType =
  | 'DEPLOYMENT'
  | 'PROCESS'
  | 'PROCESS_INSTANCE'
  | 'PROCESS_INSTANCE_CREATION'
  | 'JOB'
  | 'JOB_BATCH'
  | 'VARIABLE'
  | 'VARIABLE_DOCUMENT'
  | 'INCIDENT'
  | 'MESSAGE'
  | 'PROCESS_MESSAGE_SUBSCRIPTION'
  | 'TIMER'
  | 'SIGNAL'
  | 'SIGNAL_SUBSCRIPTION'
  | 'ERROR'
  | 'ESCALATION'
  | 'PROCESS_INSTANCE_MODIFICATION'
  | 'DECISION_REQUIREMENTS'
  | 'DECISION'
  | 'DECISION_EVALUATION'
  | 'RESOURCE_DELETION'
  | 'USER_ACTION';

export type RecordIntent =
  | 'CREATED'
  | 'ELEMENT_ACTIVATING'
  | 'ELEMENT_ACTIVATED'
  | 'ELEMENT_COMPLETED'
  | 'ELEMENT_TERMINATED'
  | 'SEQUENCE_FLOW_TAKEN'
  | 'ACTIVATED'
  | 'COMPLETED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'RETRIES_UPDATED'
  | 'TIMEOUT_UPDATED'
  | 'RECURRED_AFTER_BACKOFF'
  | 'ERROR_THROWN'
  | 'CANCELED'
  | 'UPDATED'
  | 'RESOLVED'
  | 'PUBLISHED'
  | 'EXPIRED'
  | 'CORRELATED'
  | 'DELETING'
  | 'DELETED'
  | 'TRIGGERED'
  | 'BROADCASTED'
  | 'ESCALATED'
  | 'NOT_ESCALATED'
  | 'MODIFIED'
  | 'EVALUATED'
  | 'PERFORMED';

export interface EngineRecord {
  /** 64-bit position in the partition's stream, as a decimal string */
  readonly position: string;
  readonly partitionId: number;
  readonly key: string;
  readonly valueType: RecordValueType;
  readonly intent: RecordIntent;
  /** ms since the epoch */
  readonly timestamp: number;
  readonly processInstanceKey?: string;
  readonly elementId?: string;
  readonly value: Readonly<Record<string, unknown>>;
}

/** A record as it is written: the value serialized once, with its chain hash. */
export interface SealedRecord extends EngineRecord {
  readonly valueJson: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function recordHash(
  previousHash: string,
  record: Omit<EngineRecord, 'value'> & { valueJson: string },
): string {
  return createHash('sha256')
    .update(
      [
        previousHash,
        record.position,
        record.partitionId,
        record.key,
        record.valueType,
        record.intent,
        record.timestamp,
        record.processInstanceKey ?? '',
        record.elementId ?? '',
        record.valueJson,
      ].join('\u001f'),
    )
    .digest('hex');
}
