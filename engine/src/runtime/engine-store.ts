/**
 * The engine's PostgreSQL side: takes the partition's writer lock, loads the state at start, and
 * writes one batch — records, state changes, read model, deployments and deletions, partition
 * head — in one transaction. Rows go in as arrays through `unnest`, one statement per table, so
 * a batch of thousands of records costs a handful of round trips.
 */
import { from as copyFrom } from 'pg-copy-streams';
import type { Pool, PoolClient } from '../state/database.js';
import type { Batch } from './batch.js';
import type { EngineState, EntityKind } from './engine-state.js';
import { GENESIS_HASH, recordHash, type EngineRecord, type SealedRecord } from './records.js';
import { EngineError } from './engine-error.js';

export interface PartitionHead {
  lastKey: number;
  lastPosition: number;
  lastHash: string;
}

export interface PreparedBatch {
  readonly batch: Batch;
  readonly sealed: readonly SealedRecord[];
  readonly changes: ReturnType<EngineState['takeChanges']>;
  /** the partition head once this batch is written */
  readonly head: PartitionHead;
}

export interface StoredDecisionRequirements {
  key: string;
  id: string;
  name: string;
  version: number;
  tenantId: string;
  resourceName: string;
  resource: string;
  checksum: string;
  deploymentKey: string;
  /** deleted by DeleteResource: not deployable, kept for its version number and history */
  deleted: boolean;
  decisions: { key: string; id: string; name: string; version: number }[];
}

export interface StoredDefinition {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  tenantId: string;
  resourceName: string;
  resource: string;
  checksum: string;
  deploymentKey: string;
  /** deleted by DeleteResource: not deployable, kept for its version number and history */
  deleted: boolean;
}

/** Advisory-lock namespace for partition writers ("KONT" in ASCII). */
const WRITER_LOCK_NAMESPACE = 0x4b4f4e54;

export class EngineStore {
  private constructor(
    private readonly pool: Pool,
    private readonly writer: PoolClient,
    readonly partitionId: number,
  ) {}

  /** Connects the writer and takes the partition lock; refuses when another engine holds it. */
  static async open(pool: Pool, partitionId: number): Promise<EngineStore> {
    const writer = await pool.connect();
    try {
      const { rows } = await writer.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        [WRITER_LOCK_NAMESPACE, partitionId],
      );
      if (!rows[0]?.locked) {
        throw new EngineError(
          'FAILED_PRECONDITION',
          `partition ${partitionId} is already run by another engine on this database`,
        );
      }
      return new EngineStore(pool, writer, partitionId);
    } catch (error) {
      writer.release();
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await this.writer.query('SELECT pg_advisory_unlock($1, $2)', [
        WRITER_LOCK_NAMESPACE,
        this.partitionId,
      ]);
    } finally {
      this.writer.release();
    }
  }

  async loadHead(): Promise<PartitionHead> {
    await this.writer.query(
      `INSERT INTO engine_partition (partition_id, last_key, last_position, last_hash)
       VALUES ($1, 0, 0, $2) ON CONFLICT DO NOTHING`,
      [this.partitionId, GENESIS_HASH],
    );
    const { rows } = await this.writer.query<{
      last_key: string;
      last_position: string;
      last_hash: string;
    }>('SELECT last_key, last_position, last_hash FROM engine_partition WHERE partition_id = $1', [
      this.partitionId,
    ]);
    const row = rows[0];
    if (!row) throw new Error(`partition ${this.partitionId} has no head row`);
    return {
      lastKey: Number(row.last_key),
      lastPosition: Number(row.last_position),
      lastHash: row.last_hash,
    };
  }

  async loadDefinitions(): Promise<StoredDefinition[]> {
    const { rows } = await this.writer.query<StoredDefinition>(
      `SELECT process_definition_key::text AS "processDefinitionKey", bpmn_process_id AS "bpmnProcessId",
              version, tenant_id AS "tenantId", resource_name AS "resourceName", resource, checksum,
              deployment_key::text AS "deploymentKey", deleted_at IS NOT NULL AS deleted
         FROM engine_process_definition ORDER BY version`,
    );
    return rows;
  }

  async loadDecisionRequirements(): Promise<StoredDecisionRequirements[]> {
    const { rows } = await this.writer.query<StoredDecisionRequirements>(
      `SELECT r.decision_requirements_key::text AS key, r.decision_requirements_id AS id, r.name, r.version,
              r.tenant_id AS "tenantId", r.resource_name AS "resourceName", r.resource, r.checksum,
              r.deployment_key::text AS "deploymentKey", r.deleted_at IS NOT NULL AS deleted,
              coalesce(json_agg(json_build_object('key', d.decision_key::text, 'id', d.decision_id,
                                                  'name', d.name, 'version', d.version))
                       FILTER (WHERE d.decision_key IS NOT NULL), '[]') AS decisions
         FROM engine_decision_requirements r
         LEFT JOIN engine_decision d ON d.decision_requirements_key = r.decision_requirements_key
        GROUP BY r.decision_requirements_key ORDER BY r.version`,
    );
    return rows;
  }

  async loadState(state: EngineState): Promise<void> {
    const { rows } = await this.writer.query<{
      kind: EntityKind;
      key: string;
      data: Record<string, unknown>;
    }>('SELECT kind, key::text AS key, data FROM engine_state');
    for (const row of rows) state.load(row.kind, row.key, row.data);
    state.finishLoading();
  }

  /**
   * Takes what a batch changed, synchronously, so that the next batch can be applied while this
   * one is written: seals its records onto the chain and takes the state's net change.
   */
  prepare(batch: Batch, state: EngineState, head: PartitionHead, lastKey: number): PreparedBatch {
    const sealed = seal(batch.records, head.lastHash);
    const last = sealed[sealed.length - 1];
    return {
      batch,
      sealed,
      changes: state.takeChanges(),
      head: {
        lastKey,
        lastPosition: last ? Number(last.position) : head.lastPosition,
        lastHash: last ? last.hash : head.lastHash,
      },
    };
  }

  /** Writes a prepared batch and the new partition head in one transaction; resolves after COMMIT. */
  async commit({ batch, sealed, changes, head }: PreparedBatch): Promise<void> {
    const client = this.writer;
    // the head is numbers and a hex hash, safe to inline, so BEGIN and the update share a round trip
    await client.query(
      `BEGIN; UPDATE engine_partition SET last_key = ${head.lastKey}, last_position = ${head.lastPosition},
         last_hash = '${head.lastHash}' WHERE partition_id = ${this.partitionId}`,
    );
    try {
      if (sealed.length > 0) await copyRecords(client, this.partitionId, sealed);
      for (const deployment of batch.deployments) {
        await client.query(
          'INSERT INTO engine_deployment (deployment_key, tenant_id, deployed_at) VALUES ($1, $2, to_timestamp($3 / 1000.0))',
          [deployment.deploymentKey, deployment.tenantId, deployment.deployedAt],
        );
        for (const process of deployment.processes) {
          await client.query(
            `INSERT INTO engine_process_definition (process_definition_key, bpmn_process_id, version, version_tag,
               tenant_id, resource_name, resource, checksum, deployment_key, deployed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10 / 1000.0))`,
            [
              process.processDefinitionKey,
              process.bpmnProcessId,
              process.version,
              process.versionTag ?? null,
              deployment.tenantId,
              process.resourceName,
              process.resource,
              process.checksum,
              deployment.deploymentKey,
              deployment.deployedAt,
            ],
          );
        }
      }
      for (const deployment of batch.deployments) {
        for (const requirements of deployment.decisionRequirements) {
          await client.query(
            `INSERT INTO engine_decision_requirements (decision_requirements_key, decision_requirements_id, name,
               version, tenant_id, resource_name, resource, checksum, deployment_key, deployed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10 / 1000.0))`,
            [
              requirements.key,
              requirements.id,
              requirements.name,
              requirements.version,
              deployment.tenantId,
              requirements.resourceName,
              requirements.resource,
              requirements.checksum,
              deployment.deploymentKey,
              deployment.deployedAt,
            ],
          );
          for (const decision of requirements.decisions) {
            await client.query(
              `INSERT INTO engine_decision (decision_key, decision_id, name, version, tenant_id, decision_requirements_key)
               VALUES ($1, $2, $3, $4, $5, $6)`,
              [
                decision.key,
                decision.id,
                decision.name,
                decision.version,
                deployment.tenantId,
                requirements.key,
              ],
            );
          }
        }
      }
      for (const deletion of batch.deletions) {
        await client.query(
          deletion.kind === 'process'
            ? `UPDATE engine_process_definition SET deleted_at = to_timestamp($2 / 1000.0)
                WHERE process_definition_key = $1`
            : `UPDATE engine_decision_requirements SET deleted_at = to_timestamp($2 / 1000.0)
                WHERE decision_requirements_key = $1`,
          [deletion.key, deletion.deletedAt],
        );
      }
      if (changes.deletes.length > 0) {
        await client.query(
          `DELETE FROM engine_state s USING unnest($1::text[], $2::bigint[]) AS d(kind, key)
            WHERE s.kind = d.kind AND s.key = d.key`,
          [changes.deletes.map((d) => d.kind), changes.deletes.map((d) => d.key)],
        );
      }
      if (changes.upserts.length > 0) {
        await client.query(
          `INSERT INTO engine_state (kind, key, data)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::json[])
           ON CONFLICT (kind, key) DO UPDATE SET data = EXCLUDED.data`,
          [
            changes.upserts.map((u) => u.kind),
            changes.upserts.map((u) => u.key),
            changes.upserts.map((u) => u.json),
          ],
        );
      }
      if (batch.instances.size > 0) {
        const rows = [...batch.instances.values()];
        await client.query(
          `INSERT INTO engine_process_instance (process_instance_key, process_definition_key, bpmn_process_id,
             version, tenant_id, state, started_at, ended_at)
           SELECT key, definition_key, process_id, version, tenant, state, to_timestamp(started / 1000.0),
                  CASE WHEN ended IS NULL THEN NULL ELSE to_timestamp(ended / 1000.0) END
             FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::text[], $6::text[], $7::bigint[], $8::bigint[])
                  AS i(key, definition_key, process_id, version, tenant, state, started, ended)
           ON CONFLICT (process_instance_key) DO UPDATE SET state = EXCLUDED.state, ended_at = EXCLUDED.ended_at`,
          [
            rows.map((r) => r.processInstanceKey),
            rows.map((r) => r.processDefinitionKey),
            rows.map((r) => r.bpmnProcessId),
            rows.map((r) => r.version),
            rows.map((r) => r.tenantId),
            rows.map((r) => r.state),
            rows.map((r) => r.startedAt),
            rows.map((r) => r.endedAt ?? null),
          ],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async readRecords(query: {
    fromPosition?: string;
    limit?: number;
    processInstanceKey?: string;
  }): Promise<EngineRecord[]> {
    const params: unknown[] = [query.fromPosition ?? '0', Math.min(query.limit ?? 1000, 10_000)];
    let filter = '';
    if (query.processInstanceKey) {
      params.push(query.processInstanceKey);
      filter = 'AND process_instance_key = $3';
    }
    const { rows } = await this.pool.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM engine_record WHERE position >= $1 ${filter} ORDER BY engine_record.position LIMIT $2`,
      params,
    );
    return rows.map((row) => toRecord(row).record);
  }

  /** Recomputes the chain from the first record; reports the first record whose hash differs. */
  async verifyChain(): Promise<
    { ok: true; checked: number } | { ok: false; checked: number; position: string; reason: string }
  > {
    let previous = GENESIS_HASH;
    let expectedPosition = 1n;
    let checked = 0;
    for (let from = '0'; ;) {
      const { rows } = await this.pool.query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM engine_record WHERE position >= $1 ORDER BY engine_record.position LIMIT 5000`,
        [from],
      );
      if (rows.length === 0) return { ok: true, checked };
      for (const row of rows) {
        const { record, valueJson, hash } = toRecord(row);
        if (BigInt(record.position) !== expectedPosition) {
          return {
            ok: false,
            checked,
            position: record.position,
            reason: `expected position ${expectedPosition}, found ${record.position}: records are missing`,
          };
        }
        const computed = recordHash(previous, { ...record, valueJson });
        if (computed !== hash) {
          return {
            ok: false,
            checked,
            position: record.position,
            reason: 'the record does not match its hash: it was changed, or its predecessor was',
          };
        }
        previous = hash;
        expectedPosition += 1n;
        checked += 1;
      }
      from = expectedPosition.toString();
    }
  }
}

const RECORD_COLUMNS = `position::text, partition_id, record_key::text, value_type, intent, timestamp_ms::text,
  process_instance_key::text, element_id, value::text AS value, hash`;

interface RecordRow {
  position: string;
  partition_id: number;
  record_key: string;
  value_type: EngineRecord['valueType'];
  intent: EngineRecord['intent'];
  timestamp_ms: string;
  process_instance_key: string | null;
  element_id: string | null;
  value: string;
  hash: string;
}

function toRecord(row: RecordRow): { record: EngineRecord; valueJson: string; hash: string } {
  return {
    record: {
      position: row.position,
      partitionId: row.partition_id,
      key: row.record_key,
      valueType: row.value_type,
      intent: row.intent,
      timestamp: Number(row.timestamp_ms),
      processInstanceKey: row.process_instance_key ?? undefined,
      elementId: row.element_id ?? undefined,
      value: JSON.parse(row.value) as Record<string, unknown>,
    },
    valueJson: row.value,
    hash: row.hash,
  };
}

function seal(records: readonly EngineRecord[], previousHash: string): SealedRecord[] {
  let previous = previousHash;
  return records.map((record) => {
    const valueJson = JSON.stringify(record.value);
    const hash = recordHash(previous, { ...record, valueJson });
    previous = hash;
    return { ...record, valueJson, hash };
  });
}

/** Appends records with COPY (text format), the fastest bulk path PostgreSQL has. */
async function copyRecords(
  client: PoolClient,
  partitionId: number,
  records: readonly SealedRecord[],
): Promise<void> {
  let text = '';
  for (const r of records) {
    text +=
      `${r.position}\t${partitionId}\t${r.key}\t${r.valueType}\t${r.intent}\t${r.timestamp}\t` +
      `${r.processInstanceKey ?? '\\N'}\t${r.elementId === undefined ? '\\N' : copyText(r.elementId)}\t` +
      `${copyText(r.valueJson)}\t${r.hash}\n`;
  }
  const stream = client.query(
    copyFrom(
      `COPY engine_record (position, partition_id, record_key, value_type, intent, timestamp_ms,
                           process_instance_key, element_id, value, hash) FROM STDIN`,
    ),
  );
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** Escapes a value for COPY's text format (backslash, tab, newline, carriage return). */
function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}
