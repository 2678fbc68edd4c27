/**
 * Claims in PostgreSQL, stored with their normal forms (see `claim.ts`).
 *
 *   const claims = new ClaimsRepository(pool);
 *   const claim = await claims.insert({ recipientId: 'christkind', channel: 'email', claimantName: 'Anna Müller', items: ['Fahrrad'] });
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { claimKeys, type Claim, type ClaimStatus, type NewClaim } from './claim.js';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const block = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** A new claim reference, `CL-XXXX-XXXX`. */
export const newClaimReference = () => `CL-${block()}-${block()}`;

export interface ClaimRow {
  id: string;
  reference: string;
  inbound_item_id: string | null;
  recipient_id: string;
  channel: string;
  claimant_name: string;
  birth_date: string | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  items: string[];
  name_key: string;
  address_key: string | null;
  postal_key: string | null;
  item_keys: string[];
  submitted_at: Date;
  status: ClaimStatus;
  merged_into: string | null;
}

/** Columns in the order `COPY claim (...)` and `INSERT` use them. */
export const CLAIM_COLUMNS = `id, reference, inbound_item_id, recipient_id, channel, claimant_name,
  birth_date::text AS birth_date, street, postal_code, city, items, name_key, address_key,
  postal_key, item_keys, submitted_at, status, merged_into`;

export function claimFromRow(row: ClaimRow): Claim {
  return {
    id: row.id,
    reference: row.reference,
    recipientId: row.recipient_id,
    channel: row.channel,
    claimantName: row.claimant_name,
    ...(row.birth_date ? { birthDate: row.birth_date } : {}),
    ...(row.street ? { street: row.street } : {}),
    ...(row.postal_code ? { postalCode: row.postal_code } : {}),
    ...(row.city ? { city: row.city } : {}),
    items: row.items,
    ...(row.inbound_item_id ? { inboundItemId: row.inbound_item_id } : {}),
    submittedAt: row.submitted_at,
    status: row.status,
    ...(row.merged_into ? { mergedIntoId: row.merged_into } : {}),
  };
}

export class ClaimsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insert(claim: NewClaim): Promise<Claim> {
    const keys = claimKeys(claim);
    const { rows } = await this.pool.query<ClaimRow>(
      `INSERT INTO claim (reference, inbound_item_id, recipient_id, channel, claimant_name,
         birth_date, street, postal_code, city, items, name_key, address_key, postal_key,
         item_keys, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING ${CLAIM_COLUMNS}`,
      [
        newClaimReference(),
        claim.inboundItemId ?? null,
        claim.recipientId,
        claim.channel,
        claim.claimantName,
        claim.birthDate ?? null,
        claim.street ?? null,
        claim.postalCode ?? null,
        claim.city ?? null,
        claim.items,
        keys.nameKey,
        keys.addressKey,
        keys.postalKey,
        keys.itemKeys,
        claim.submittedAt ?? new Date(),
      ],
    );
    return claimFromRow(rows[0]);
  }

  async get(id: string): Promise<Claim | undefined> {
    const { rows } = await this.pool.query<ClaimRow>(
      `SELECT ${CLAIM_COLUMNS} FROM claim WHERE id = $1`,
      [id],
    );
    return rows[0] && claimFromRow(rows[0]);
  }

  async byReference(reference: string): Promise<Claim | undefined> {
    const { rows } = await this.pool.query<ClaimRow>(
      `SELECT ${CLAIM_COLUMNS} FROM claim WHERE reference = $1`,
      [reference.trim().toUpperCase()],
    );
    return rows[0] && claimFromRow(rows[0]);
  }
}
