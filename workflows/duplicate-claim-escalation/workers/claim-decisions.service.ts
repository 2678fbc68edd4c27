/**
 * What the escalation's decision does to the claims, in PostgreSQL:
 * - `record`: the decision once per claim (who, when, which process instance); `reject` marks
 *   the claim rejected, `allow` and `merge` leave it open (the merge is its own step);
 * - `merge`: the claim into the earlier claim it duplicates. The earlier claim keeps its
 *   reference and takes the wishes it does not have yet (fuzzy wish match, as the similarity
 *   check compares them); the merged claim is marked merged into it and stops being a claim of
 *   its own. When the earlier claim was itself merged meanwhile, the merge goes on to the claim
 *   that stands.
 *
 * Each runs in one transaction together with its status events (status at a button press), and
 * is idempotent: a retried job finds what the first run did and changes nothing. It never
 * merges into a rejected claim or into the claim itself; such inputs come back as failures
 * that name the claims, for an incident.
 *
 *   const decisions = new ClaimDecisions(pool);
 *   await decisions.record({ claimId, decision: 'merge', processInstanceKey, note: null });
 *   const outcome = await decisions.merge({ claimId, intoClaimId, processInstanceKey });
 *   if (outcome.ok) outcome.merge.itemsAdded; // ['Teddy']
 */
import type pg from 'pg';
import { sameItem } from '../similarity/fuzzy.js';
import { itemKey } from '../similarity/normalize.js';

export type EscalationDecision = 'reject' | 'merge' | 'allow';

export const ESCALATION_DECISIONS: readonly EscalationDecision[] = ['reject', 'merge', 'allow'];

export interface DecisionRecord {
  readonly claimId: string;
  readonly decision: EscalationDecision;
  /** the tasklist user who completed the decision task; null when it was completed elsewhere */
  readonly decidedBy: string | null;
  readonly decidedAt: Date;
  readonly processInstanceKey: string;
  readonly note: string | null;
}

export interface MergeRecord {
  readonly mergedClaimId: string;
  readonly mergedReference: string;
  readonly mergedRecipientId: string;
  readonly mergedChannel: string;
  readonly survivingClaimId: string;
  readonly survivingReference: string;
  readonly survivingRecipientId: string;
  /** the merged claim's wishes that the surviving claim did not have */
  readonly itemsAdded: string[];
  readonly mergedBy: string | null;
  readonly mergedAt: Date;
  readonly processInstanceKey: string;
}

export type DecisionOutcome =
  | { readonly ok: true; readonly decision: DecisionRecord; readonly recordedNow: boolean }
  | { readonly ok: false; readonly message: string };

export type MergeOutcome =
  | { readonly ok: true; readonly merge: MergeRecord; readonly mergedNow: boolean }
  | { readonly ok: false; readonly message: string };

interface LockedClaim {
  id: string;
  reference: string;
  recipient_id: string;
  channel: string;
  inbound_item_id: string | null;
  items: string[];
  item_keys: string[];
  status: 'open' | 'rejected' | 'merged';
  merged_into: string | null;
}

/** Merges of merges are followed this far; a longer chain is a bug, not data. */
const MAX_CHAIN = 32;

export class ClaimDecisions {
  constructor(private readonly pool: pg.Pool) {}

  async record(input: {
    claimId: string;
    decision: EscalationDecision;
    processInstanceKey: string;
    note?: string | null;
  }): Promise<DecisionOutcome> {
    return this.inTransaction(async (client) => {
      const claim = await lockClaim(client, input.claimId);
      if (!claim) return { ok: false, message: `No claim with the id '${input.claimId}'` };
      const earlier = await decisionOf(client, claim.id);
      if (earlier) {
        return earlier.decision === input.decision
          ? { ok: true, decision: earlier, recordedNow: false }
          : {
              ok: false,
              message: `Claim ${claim.reference} was already decided '${earlier.decision}' (process instance ${earlier.processInstanceKey}); '${input.decision}' is not recorded`,
            };
      }
      const decidedBy = await latestTaskUser(client, input.processInstanceKey);
      const { rows } = await client.query<DecisionRow>(
        `INSERT INTO claim_decision (claim_id, decision, decided_by, process_instance_key, note)
         VALUES ($1, $2, $3, $4, $5)
         RETURNING claim_id, decision, decided_by, decided_at, process_instance_key::text, note`,
        [claim.id, input.decision, decidedBy, input.processInstanceKey, input.note ?? null],
      );
      if (input.decision === 'reject') {
        await client.query(
          `UPDATE claim SET status = 'rejected' WHERE id = $1 AND status = 'open'`,
          [claim.id],
        );
      }
      await appendStatus(client, claim.inbound_item_id, 'decided', input.decision);
      return { ok: true, decision: decisionFromRow(rows[0]), recordedNow: true };
    });
  }

  async merge(input: {
    claimId: string;
    intoClaimId: string;
    processInstanceKey: string;
  }): Promise<MergeOutcome> {
    return this.inTransaction(async (client) => {
      const claim = await lockClaim(client, input.claimId);
      if (!claim) return { ok: false, message: `No claim with the id '${input.claimId}'` };
      if (claim.status === 'merged') {
        const done = await mergeOf(client, claim.id);
        return done
          ? { ok: true, merge: done, mergedNow: false }
          : {
              ok: false,
              message: `Claim ${claim.reference} is marked merged but no merge is recorded`,
            };
      }
      if (claim.status === 'rejected') {
        return {
          ok: false,
          message: `Claim ${claim.reference} was rejected; a rejected claim is not merged`,
        };
      }
      let target = await lockClaim(client, input.intoClaimId);
      for (let hops = 0; target?.status === 'merged' && hops < MAX_CHAIN; hops++) {
        target = await lockClaim(client, target.merged_into!);
      }
      if (!target) {
        return {
          ok: false,
          message: `No earlier claim with the id '${input.intoClaimId}' to merge into`,
        };
      }
      if (target.status === 'merged') {
        return {
          ok: false,
          message: `Claim ${target.reference} is merged more than ${MAX_CHAIN} times over`,
        };
      }
      if (target.id === claim.id) {
        return {
          ok: false,
          message: `Claim ${claim.reference} cannot be merged into itself (the earlier claim was merged into it meanwhile)`,
        };
      }
      if (target.status === 'rejected') {
        return {
          ok: false,
          message: `Claim ${claim.reference} cannot be merged into ${target.reference}: that claim was rejected; merge into the claim that stands`,
        };
      }

      const keys = [...target.item_keys];
      const added: string[] = [];
      const addedKeys: string[] = [];
      for (const item of claim.items) {
        const key = itemKey(item);
        const known =
          key.length === 0
            ? target.items
                .concat(added)
                .some((i) => i.trim().toLowerCase() === item.trim().toLowerCase())
            : keys.some((k) => k.length > 0 && sameItem(key, k));
        if (known) continue;
        added.push(item);
        addedKeys.push(key);
        keys.push(key);
      }
      await client.query(
        `UPDATE claim SET items = items || $2::text[], item_keys = item_keys || $3::text[] WHERE id = $1`,
        [target.id, added, addedKeys],
      );
      await client.query(`UPDATE claim SET status = 'merged', merged_into = $2 WHERE id = $1`, [
        claim.id,
        target.id,
      ]);
      const mergedBy = await latestTaskUser(client, input.processInstanceKey);
      await client.query(
        `INSERT INTO claim_merge (merged_claim_id, surviving_claim_id, items_added, merged_by, process_instance_key)
         VALUES ($1, $2, $3, $4, $5)`,
        [claim.id, target.id, added, mergedBy, input.processInstanceKey],
      );
      const wishes =
        added.length > 0 ? `wishes added: ${added.join(', ')}` : 'no wish added, it had them all';
      await appendStatus(
        client,
        claim.inbound_item_id,
        'merged',
        `into ${target.reference} (${target.recipient_id}); ${wishes}`,
      );
      await appendStatus(
        client,
        target.inbound_item_id,
        'later claim merged in',
        `${claim.reference} (${claim.recipient_id} by ${claim.channel}); ${wishes}`,
      );
      const merge = await mergeOf(client, claim.id);
      return { ok: true, merge: merge!, mergedNow: true };
    });
  }

  async decisionOf(claimId: string): Promise<DecisionRecord | undefined> {
    return decisionOf(this.pool, claimId);
  }

  /** How `mergedClaimId` was merged, if it was. */
  async mergeOf(mergedClaimId: string): Promise<MergeRecord | undefined> {
    return mergeOf(this.pool, mergedClaimId);
  }

  /** The claims merged into `survivingClaimId`, oldest merge first. */
  async mergedInto(survivingClaimId: string): Promise<MergeRecord[]> {
    const { rows } = await this.pool.query<MergeRow>(
      `${MERGE_SELECT} WHERE m.surviving_claim_id = $1 ORDER BY m.merged_at, m.merged_claim_id`,
      [survivingClaimId],
    );
    return rows.map(mergeFromRow);
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

type Queryable = Pick<pg.Pool, 'query'>;

async function lockClaim(client: Queryable, id: string): Promise<LockedClaim | undefined> {
  // a malformed id is no claim, not a database error
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await client.query<LockedClaim>(
    `SELECT id, reference, recipient_id, channel, inbound_item_id, items, item_keys, status, merged_into
       FROM claim WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

/**
 * Who completed the process instance's latest user task in Kontor's tasklist (the decision). FOR
 * SHARE waits for the tasklist's own transaction, which completes the job before it commits who
 * completed the task.
 */
async function latestTaskUser(
  client: Queryable,
  processInstanceKey: string,
): Promise<string | null> {
  const { rows } = await client.query<{ completed_by: string | null }>(
    `SELECT completed_by FROM user_task
      WHERE process_instance_key = $1 AND state <> 'canceled'
      ORDER BY created_at DESC, job_key DESC LIMIT 1 FOR SHARE`,
    [processInstanceKey],
  );
  return rows[0]?.completed_by ?? null;
}

/**
 * The same row as `ItemStatus.append` writes, but inside this transaction: the step is visible
 * exactly when the change it reports is.
 */
async function appendStatus(
  client: Queryable,
  itemId: string | null,
  status: string,
  detail: string,
): Promise<void> {
  if (!itemId) return;
  await client.query(
    'INSERT INTO inbound_status_event (inbound_item_id, status, detail) VALUES ($1, $2, $3)',
    [itemId, status, detail],
  );
}

interface DecisionRow {
  claim_id: string;
  decision: EscalationDecision;
  decided_by: string | null;
  decided_at: Date;
  process_instance_key: string;
  note: string | null;
}

const decisionFromRow = (row: DecisionRow): DecisionRecord => ({
  claimId: row.claim_id,
  decision: row.decision,
  decidedBy: row.decided_by,
  decidedAt: row.decided_at,
  processInstanceKey: row.process_instance_key,
  note: row.note,
});

async function decisionOf(client: Queryable, claimId: string): Promise<DecisionRecord | undefined> {
  const { rows } = await client.query<DecisionRow>(
    `SELECT claim_id, decision, decided_by, decided_at, process_instance_key::text, note
       FROM claim_decision WHERE claim_id = $1`,
    [claimId],
  );
  return rows[0] && decisionFromRow(rows[0]);
}

interface MergeRow {
  merged_claim_id: string;
  merged_reference: string;
  merged_recipient_id: string;
  merged_channel: string;
  surviving_claim_id: string;
  surviving_reference: string;
  surviving_recipient_id: string;
  items_added: string[];
  merged_by: string | null;
  merged_at: Date;
  process_instance_key: string;
}

const MERGE_SELECT = `SELECT m.merged_claim_id, merged.reference AS merged_reference,
    merged.recipient_id AS merged_recipient_id, merged.channel AS merged_channel,
    m.surviving_claim_id, surviving.reference AS surviving_reference,
    surviving.recipient_id AS surviving_recipient_id, m.items_added, m.merged_by, m.merged_at,
    m.process_instance_key::text AS process_instance_key
  FROM claim_merge m
  JOIN claim merged ON merged.id = m.merged_claim_id
  JOIN claim surviving ON surviving.id = m.surviving_claim_id`;

const mergeFromRow = (row: MergeRow): MergeRecord => ({
  mergedClaimId: row.merged_claim_id,
  mergedReference: row.merged_reference,
  mergedRecipientId: row.merged_recipient_id,
  mergedChannel: row.merged_channel,
  survivingClaimId: row.surviving_claim_id,
  survivingReference: row.surviving_reference,
  survivingRecipientId: row.surviving_recipient_id,
  itemsAdded: row.items_added,
  mergedBy: row.merged_by,
  mergedAt: row.merged_at,
  processInstanceKey: row.process_instance_key,
});

async function mergeOf(client: Queryable, mergedClaimId: string): Promise<MergeRecord | undefined> {
  const { rows } = await client.query<MergeRow>(`${MERGE_SELECT} WHERE m.merged_claim_id = $1`, [
    mergedClaimId,
  ]);
  return rows[0] && mergeFromRow(rows[0]);
}
