/**
 * Deployed forms: version 1, 2, … of each form key, immutable once deployed (the table refuses
 * updates and deletes). Deploying a draft whose content equals the latest version deploys
 * nothing and answers that version, as deploying an unchanged process does.
 *
 *   const { version, duplicate } = await versions.deploy(draftId, { basedOnRevision: 3, user: 'ana' });
 *   const form = await versions.latest('claim-review'); // what a user task with that key shows
 */
import { createHash } from 'node:crypto';
import type { Pool } from '../../state/database.js';
import { FormDraftConflictError, type JsonObject } from './form-drafts.repository.js';

export interface FormVersionSummary {
  readonly formKey: string;
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly deployedAt: string;
  readonly deployedBy: string;
}

export interface FormVersion extends FormVersionSummary {
  readonly jsonSchema: JsonObject;
  readonly uiSchema: JsonObject;
}

export interface DeployedFormKey {
  readonly formKey: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly deployedAt: string;
  readonly deployedBy: string;
}

export type FormDeployment =
  | { readonly ok: true; readonly version: FormVersion; readonly duplicate: boolean }
  | { readonly ok: false; readonly reason: 'not_found' };

interface FormVersionRow {
  form_key: string;
  version: number;
  name: string;
  checksum: string;
  deployed_at: Date;
  deployed_by: string;
  json_schema?: JsonObject;
  ui_schema?: JsonObject;
}

const COLUMNS = 'form_key, version, name, checksum, deployed_at, deployed_by';
const WITH_SCHEMAS = `${COLUMNS}, json_schema, ui_schema`;

const toSummary = (row: FormVersionRow): FormVersionSummary => ({
  formKey: row.form_key,
  version: row.version,
  name: row.name,
  checksum: row.checksum,
  deployedAt: row.deployed_at.toISOString(),
  deployedBy: row.deployed_by,
});

const toVersion = (row: FormVersionRow): FormVersion => ({
  ...toSummary(row),
  jsonSchema: row.json_schema ?? {},
  uiSchema: row.ui_schema ?? {},
});

/** Same name and schemas, byte for byte in the stored JSON text: same checksum. */
export function formChecksum(content: {
  name: string;
  jsonSchema: unknown;
  uiSchema: unknown;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([content.name, content.jsonSchema, content.uiSchema]))
    .digest('hex');
}

export class FormVersionsRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Deploys the draft as the next version of its form key. The draft row is locked for the
   * transaction, so two deploys of one form key take their version numbers one after the other.
   * @throws FormDraftConflictError when the draft is no longer at `basedOnRevision`
   */
  async deploy(
    draftId: string,
    request: { basedOnRevision: number; user: string },
  ): Promise<FormDeployment> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const draft = (
        await client.query<{
          form_key: string;
          name: string;
          revision: number;
          json_schema: JsonObject;
          ui_schema: JsonObject;
        }>(
          `SELECT form_key, name, revision, json_schema, ui_schema FROM form_draft
            WHERE id = $1 FOR UPDATE`,
          [draftId],
        )
      ).rows[0];
      if (!draft) {
        await client.query('ROLLBACK');
        return { ok: false, reason: 'not_found' };
      }
      if (draft.revision !== request.basedOnRevision) {
        await client.query('ROLLBACK');
        throw new FormDraftConflictError(draftId, request.basedOnRevision, draft.revision);
      }
      const checksum = formChecksum({
        name: draft.name,
        jsonSchema: draft.json_schema,
        uiSchema: draft.ui_schema,
      });
      const latest = (
        await client.query<FormVersionRow>(
          `SELECT ${WITH_SCHEMAS} FROM form_version WHERE form_key = $1
            ORDER BY version DESC LIMIT 1`,
          [draft.form_key],
        )
      ).rows[0];
      if (latest && latest.checksum === checksum) {
        await client.query('COMMIT');
        return { ok: true, version: toVersion(latest), duplicate: true };
      }
      const { rows } = await client.query<FormVersionRow>(
        `INSERT INTO form_version
           (form_key, version, name, json_schema, ui_schema, checksum, draft_id, draft_revision, deployed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING ${WITH_SCHEMAS}`,
        [
          draft.form_key,
          (latest?.version ?? 0) + 1,
          draft.name,
          JSON.stringify(draft.json_schema),
          JSON.stringify(draft.ui_schema),
          checksum,
          draftId,
          draft.revision,
          request.user,
        ],
      );
      await client.query('COMMIT');
      return { ok: true, version: toVersion(rows[0]), duplicate: false };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Every deployed form key with its latest version, by key. */
  async keys(): Promise<DeployedFormKey[]> {
    const { rows } = await this.pool.query<FormVersionRow>(
      `SELECT DISTINCT ON (form_key) ${COLUMNS} FROM form_version
        ORDER BY form_key, version DESC`,
    );
    return rows.map((row) => ({
      formKey: row.form_key,
      name: row.name,
      latestVersion: row.version,
      deployedAt: row.deployed_at.toISOString(),
      deployedBy: row.deployed_by,
    }));
  }

  /** The versions of one form key, newest first. */
  async versions(formKey: string): Promise<FormVersionSummary[]> {
    const { rows } = await this.pool.query<FormVersionRow>(
      `SELECT ${COLUMNS} FROM form_version WHERE form_key = $1 ORDER BY version DESC`,
      [formKey],
    );
    return rows.map(toSummary);
  }

  async get(formKey: string, version: number): Promise<FormVersion | undefined> {
    const { rows } = await this.pool.query<FormVersionRow>(
      `SELECT ${WITH_SCHEMAS} FROM form_version WHERE form_key = $1 AND version = $2`,
      [formKey, version],
    );
    return rows[0] && toVersion(rows[0]);
  }

  /** The version a user task with this form key shows now. */
  async latest(formKey: string): Promise<FormVersion | undefined> {
    const { rows } = await this.pool.query<FormVersionRow>(
      `SELECT ${WITH_SCHEMAS} FROM form_version WHERE form_key = $1
        ORDER BY version DESC LIMIT 1`,
      [formKey],
    );
    return rows[0] && toVersion(rows[0]);
  }
}
