/**
 * Inbound items in PostgreSQL. An item and its attachments are inserted in one transaction, so
 * an item is either there with every attachment row or not at all. A repeated delivery (same
 * channel, recipient and channel message id) is recognised and returns the item stored first.
 *
 *   const items = new InboundItemRepository(pool);
 *   const { item, duplicate } = await items.insert(values);
 *   await items.markDispatched(item.id, { state: 'started', processInstanceKey: '2251799813685249' });
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type {
  DispatchState,
  InboundChannel,
  InboundItem,
  SenderIdentity,
  StoredAttachment,
} from './inbound-item.js';

/** What the repository stores: the item with its content already in the content store. */
export interface InboundItemValues {
  readonly channel: InboundChannel;
  readonly recipientId: string;
  readonly sender: SenderIdentity;
  readonly receivedAt: Date;
  readonly subject?: string;
  readonly bodyText: string;
  readonly language?: string;
  readonly raw: { sha256: string; contentType: string; size: number };
  readonly channelMessageId?: string;
  readonly attachments: readonly StoredAttachment[];
}

interface ItemRow {
  id: string;
  reference: string;
  channel: InboundChannel;
  recipient_id: string;
  sender_name: string | null;
  sender_email: string | null;
  sender_address: string | null;
  sender_fax: string | null;
  received_at: Date;
  subject: string | null;
  body_text: string;
  language: string | null;
  raw_sha256: string;
  raw_content_type: string;
  raw_size: string;
  channel_message_id: string | null;
  dispatch_state: DispatchState;
  dispatch_attempts: number;
  dispatch_error: string | null;
  process_instance_key: string | null;
  attachments: {
    position: number;
    filename: string;
    content_type: string;
    size: number;
    sha256: string;
  }[];
}

const SELECT_ITEM = `
  SELECT i.*, COALESCE((SELECT json_agg(json_build_object('position', a.position,
           'filename', a.filename, 'content_type', a.content_type, 'size', a.size,
           'sha256', a.sha256) ORDER BY a.position)
         FROM inbound_attachment a WHERE a.item_id = i.id), '[]') AS attachments
    FROM inbound_item i`;

const fromRow = (row: ItemRow): InboundItem => ({
  id: row.id,
  reference: row.reference,
  channel: row.channel,
  recipientId: row.recipient_id,
  sender: {
    ...(row.sender_name ? { name: row.sender_name } : {}),
    ...(row.sender_email ? { email: row.sender_email } : {}),
    ...(row.sender_address ? { address: row.sender_address } : {}),
    ...(row.sender_fax ? { fax: row.sender_fax } : {}),
  },
  receivedAt: row.received_at,
  subject: row.subject,
  bodyText: row.body_text,
  language: row.language,
  raw: { sha256: row.raw_sha256, contentType: row.raw_content_type, size: Number(row.raw_size) },
  channelMessageId: row.channel_message_id,
  attachments: row.attachments.map((a) => ({
    position: a.position,
    filename: a.filename,
    contentType: a.content_type,
    size: Number(a.size),
    sha256: a.sha256,
  })),
  dispatch: {
    state: row.dispatch_state,
    attempts: row.dispatch_attempts,
    error: row.dispatch_error,
    processInstanceKey: row.process_instance_key,
  },
});

// No 0/O/1/I: references are read aloud and typed from paper.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const block = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** A new item reference, `IN-XXXX-XXXX`. */
export const newReference = () => `IN-${block()}-${block()}`;

export class InboundItemRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Inserts the item and its attachments in one transaction. When the channel delivered the same
   * message before, nothing is inserted and the earlier item is returned with `duplicate: true`.
   */
  async insert(values: InboundItemValues): Promise<{ item: InboundItem; duplicate: boolean }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO inbound_item (reference, channel, recipient_id, sender_name, sender_email,
           sender_address, received_at, subject, body_text, language, raw_sha256, raw_content_type,
           raw_size, channel_message_id, sender_fax)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (channel, recipient_id, channel_message_id)
           WHERE channel_message_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          newReference(),
          values.channel,
          values.recipientId,
          values.sender.name ?? null,
          values.sender.email?.toLowerCase() ?? null,
          values.sender.address ?? null,
          values.receivedAt,
          values.subject ?? null,
          values.bodyText,
          values.language ?? null,
          values.raw.sha256,
          values.raw.contentType,
          values.raw.size,
          values.channelMessageId ?? null,
          values.sender.fax ?? null,
        ],
      );
      if (rows.length === 0) {
        await client.query('ROLLBACK');
        const { rows: earlier } = await this.pool.query<ItemRow>(
          `${SELECT_ITEM} WHERE i.channel = $1 AND i.recipient_id = $2 AND i.channel_message_id = $3`,
          [values.channel, values.recipientId, values.channelMessageId],
        );
        return { item: fromRow(earlier[0]), duplicate: true };
      }
      const id = rows[0].id;
      for (const a of values.attachments) {
        await client.query(
          `INSERT INTO inbound_attachment (item_id, position, filename, content_type, size, sha256)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, a.position, a.filename, a.contentType, a.size, a.sha256],
        );
      }
      await client.query('COMMIT');
      return { item: (await this.get(id))!, duplicate: false };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async get(id: string): Promise<InboundItem | undefined> {
    const { rows } = await this.pool.query<ItemRow>(`${SELECT_ITEM} WHERE i.id = $1`, [id]);
    return rows[0] && fromRow(rows[0]);
  }

  async byReference(reference: string): Promise<InboundItem | undefined> {
    const { rows } = await this.pool.query<ItemRow>(`${SELECT_ITEM} WHERE i.reference = $1`, [
      reference.trim().toUpperCase(),
    ]);
    return rows[0] && fromRow(rows[0]);
  }

  async list(options: { recipientId?: string; limit?: number } = {}): Promise<InboundItem[]> {
    const { rows } = await this.pool.query<ItemRow>(
      `${SELECT_ITEM} WHERE ($1::text IS NULL OR i.recipient_id = $1)
        ORDER BY i.received_at DESC, i.id LIMIT $2`,
      [options.recipientId ?? null, options.limit ?? 100],
    );
    return rows.map(fromRow);
  }

  /** Items not yet delivered into a process, oldest first. */
  async pending(limit = 50): Promise<InboundItem[]> {
    const { rows } = await this.pool.query<ItemRow>(
      `${SELECT_ITEM} WHERE i.dispatch_state = 'pending' ORDER BY i.created_at LIMIT $1`,
      [limit],
    );
    return rows.map(fromRow);
  }

  /**
   * Records the delivery; returns the key of the instance that owns the item, which is an
   * earlier one when that instance already took the item (`takeForInstance`).
   */
  async markDispatched(
    id: string,
    outcome: { state: 'started' | 'correlated'; processInstanceKey?: string },
  ): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ process_instance_key: string | null }>(
      `UPDATE inbound_item SET dispatch_state = $2,
         process_instance_key = COALESCE(process_instance_key, $3),
         dispatch_attempts = dispatch_attempts + 1, dispatch_error = NULL, dispatched_at = now()
       WHERE id = $1 AND dispatch_state = 'pending'
       RETURNING process_instance_key`,
      [id, outcome.state, outcome.processInstanceKey ?? null],
    );
    return rows[0]?.process_instance_key ?? outcome.processInstanceKey;
  }

  /**
   * The first step of an item's process takes the item for its instance. Starting is at least
   * once (a crash between the start and `markDispatched` starts the item again on retry), so
   * exactly one instance may work on it: the first to take it, or the one recorded at dispatch.
   * Returns the owning instance's key; another key than `processInstanceKey` means this
   * instance is a second start and must stop.
   */
  async takeForInstance(id: string, processInstanceKey: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ process_instance_key: string }>(
      `UPDATE inbound_item SET process_instance_key = COALESCE(process_instance_key, $2)
       WHERE id = $1 RETURNING process_instance_key`,
      [id, processInstanceKey],
    );
    return rows[0]?.process_instance_key;
  }

  async markDispatchFailed(id: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE inbound_item SET dispatch_attempts = dispatch_attempts + 1, dispatch_error = $2
       WHERE id = $1 AND dispatch_state = 'pending'`,
      [id, error],
    );
  }
}
