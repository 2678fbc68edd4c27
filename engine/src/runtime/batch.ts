/**
 * What one batch of commands produced besides state changes: the records to append, the process
 * instance rows for the read model, new deployments and deleted resources, and the work to do once the batch has
 * committed (answering waiting callers, offering new jobs to workers). Nothing in here is visible
 * outside the engine before the commit.
 */
import type { EngineRecord, RecordIntent, RecordValueType } from './records.js';

export interface InstanceRow {
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  readonly startedAt: number;
  endedAt?: number;
}

export interface DeploymentRow {
  readonly deploymentKey: string;
  readonly tenantId: string;
  readonly deployedAt: number;
  readonly processes: {
    readonly processDefinitionKey: string;
    readonly bpmnProcessId: string;
    readonly version: number;
    readonly versionTag?: string;
    readonly resourceName: string;
    readonly resource: string;
    readonly checksum: string;
  }[];
  readonly decisionRequirements: {
    readonly key: string;
    readonly id: string;
    readonly name: string;
    readonly version: number;
    readonly resourceName: string;
    readonly resource: string;
    readonly checksum: string;
    readonly decisions: readonly { key: string; id: string; name: string; version: number }[];
  }[];
}

/** A deleted resource: its row is marked, never removed (history keeps it). */
export interface DeletionRow {
  readonly kind: 'process' | 'decisionRequirements';
  readonly key: string;
  readonly deletedAt: number;
}

export class Batch {
  readonly records: EngineRecord[] = [];
  readonly instances = new Map<string, InstanceRow>();
  readonly deployments: DeploymentRow[] = [];
  readonly deletions: DeletionRow[] = [];
  readonly afterCommit: (() => void)[] = [];
  /** process instances that ended in this batch, with their root variables */
  readonly ended: {
    key: string;
    state: 'COMPLETED' | 'TERMINATED';
    variables: Record<string, unknown>;
  }[] = [];
  /** the earliest due time of the timers this batch created (Infinity: none) */
  earliestDueAt = Infinity;
  /** job types that got activatable jobs in this batch */
  readonly activatableTypes = new Set<string>();

  constructor(
    readonly partitionId: number,
    private readonly positions: { next(): string },
    readonly now: number,
  ) {}

  append(
    valueType: RecordValueType,
    intent: RecordIntent,
    key: string,
    value: Record<string, unknown>,
    context: { processInstanceKey?: string; elementId?: string } = {},
  ): void {
    this.records.push({
      position: this.positions.next(),
      partitionId: this.partitionId,
      key,
      valueType,
      intent,
      timestamp: this.now,
      processInstanceKey: context.processInstanceKey,
      elementId: context.elementId,
      value,
    });
  }
}
