/**
 * Status at a button press: what happened to an inbound item, oldest first, and who may see it —
 * the claimant with the item's reference and its status token, an office for its recipient's
 * items, the central team (admin, auditor) for all.
 *
 * A status token is derived from the reference with a key kept in the database (HMAC-SHA256),
 * so nothing secret is stored per item and a token cannot be guessed from the reference.
 *
 *   const status = new ItemStatus(pool);
 *   await status.append(item.id, 'received', 'by e-mail for Christkind');
 *   const token = await status.tokenFor(item.reference);
 *   await status.history(item.reference); // { item, events: [{ at, status, detail }] }
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';

export interface StatusEvent {
  readonly at: string;
  readonly status: string;
  readonly detail: string | null;
}

export interface ItemStatusView {
  readonly reference: string;
  readonly recipientId: string;
  readonly channel: string;
  readonly receivedAt: string;
  /** the latest status */
  readonly status: string;
  readonly events: StatusEvent[];
}

export class ItemStatus {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  async append(itemId: string, status: string, detail?: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO inbound_status_event (inbound_item_id, status, detail) VALUES ($1, $2, $3)',
      [itemId, status, detail ?? null],
    );
  }

  async tokenFor(reference: string): Promise<string> {
    const key = await this.secret();
    return createHmac('sha256', key)
      .update(reference.toUpperCase())
      .digest('base64url')
      .slice(0, 22);
  }

  async tokenMatches(reference: string, token: string): Promise<boolean> {
    const expected = Buffer.from(await this.tokenFor(reference));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async history(reference: string): Promise<ItemStatusView | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      reference: string;
      recipient_id: string;
      channel: string;
      received_at: Date;
    }>(
      'SELECT id, reference, recipient_id, channel, received_at FROM inbound_item WHERE reference = $1',
      [reference.trim().toUpperCase()],
    );
    const item = rows[0];
    if (!item) return undefined;
    const { rows: events } = await this.pool.query<{
      at: Date;
      status: string;
      detail: string | null;
    }>(
      'SELECT at, status, detail FROM inbound_status_event WHERE inbound_item_id = $1 ORDER BY id',
      [item.id],
    );
    return {
      reference: item.reference,
      recipientId: item.recipient_id,
      channel: item.channel,
      receivedAt: item.received_at.toISOString(),
      status: events.at(-1)?.status ?? 'received',
      events: events.map((e) => ({ at: e.at.toISOString(), status: e.status, detail: e.detail })),
    };
  }

  private secret(): Promise<Buffer> {
    this.key ??= (async () => {
      await this.pool.query(
        `INSERT INTO inbound_secret (name, value) VALUES ('status-token', $1) ON CONFLICT DO NOTHING`,
        [randomBytes(32)],
      );
      const { rows } = await this.pool.query<{ value: Buffer }>(
        `SELECT value FROM inbound_secret WHERE name = 'status-token'`,
      );
      return rows[0].value;
    })();
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }
}
