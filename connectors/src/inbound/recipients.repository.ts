/**
 * The recipients intake accepts items for: regional offices, each with the e-mail addresses the
 * SMTP server takes mail for, the candidate group of its office and its web form.
 *
 *   const recipients = new RecipientsRepository(pool);
 *   await recipients.save({ id: 'christkind', name: 'Christkind', emailAddresses: ['christkind@intake.example'], officeGroup: 'office-christkind' });
 *   await recipients.byEmailAddress('Christkind@Intake.example'); // the recipient, case-insensitive
 */
import type pg from 'pg';

export interface Recipient {
  readonly id: string;
  readonly name: string;
  readonly emailAddresses: readonly string[];
  readonly officeGroup: string;
  /** JSON Schema of the public web intake form; undefined: the standard form */
  readonly webFormSchema?: Record<string, unknown>;
}

interface RecipientRow {
  id: string;
  name: string;
  email_addresses: string[];
  office_group: string;
  web_form_schema: Record<string, unknown> | null;
}

const fromRow = (row: RecipientRow): Recipient => ({
  id: row.id,
  name: row.name,
  emailAddresses: row.email_addresses,
  officeGroup: row.office_group,
  ...(row.web_form_schema ? { webFormSchema: row.web_form_schema } : {}),
});

export class RecipientsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Creates or replaces a recipient. */
  async save(recipient: Recipient): Promise<void> {
    await this.pool.query(
      `INSERT INTO inbound_recipient (id, name, email_addresses, office_group, web_form_schema)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = $2, email_addresses = $3, office_group = $4,
         web_form_schema = $5`,
      [
        recipient.id,
        recipient.name,
        recipient.emailAddresses.map((a) => a.toLowerCase()),
        recipient.officeGroup,
        recipient.webFormSchema ?? null,
      ],
    );
  }

  async get(id: string): Promise<Recipient | undefined> {
    const { rows } = await this.pool.query<RecipientRow>(
      'SELECT * FROM inbound_recipient WHERE id = $1',
      [id],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async byEmailAddress(address: string): Promise<Recipient | undefined> {
    const { rows } = await this.pool.query<RecipientRow>(
      'SELECT * FROM inbound_recipient WHERE email_addresses @> ARRAY[$1::text]',
      [address.trim().toLowerCase()],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async list(): Promise<Recipient[]> {
    const { rows } = await this.pool.query<RecipientRow>(
      'SELECT * FROM inbound_recipient ORDER BY name',
    );
    return rows.map(fromRow);
  }
}
