/**
 * Form drafts: the working copy of a user-task form (JSON Schema plus UI schema) that an analyst
 * edits before deploying it, one per form key. Saves are optimistic, as for process drafts: each
 * names the revision it was based on, and a save based on an outdated revision is refused with
 * `FormDraftConflictError`.
 *
 *   const draft = await drafts.create({ formKey: 'claim-review', name, jsonSchema, uiSchema, user });
 *   await drafts.save(draft.id, { name, jsonSchema, uiSchema, basedOnRevision: 1, user });
 */
import type { Pool } from '../../state/database.js';

export type JsonObject = Record<string, unknown>;

export interface FormDraftSummary {
  readonly id: string;
  readonly formKey: string;
  readonly name: string;
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface FormDraft extends FormDraftSummary {
  readonly jsonSchema: JsonObject;
  readonly uiSchema: JsonObject;
}

export interface FormContent {
  readonly name: string;
  readonly jsonSchema: JsonObject;
  readonly uiSchema: JsonObject;
}

/** Thrown when a save or deploy names a revision that is no longer the current one. */
export class FormDraftConflictError extends Error {
  constructor(
    readonly draftId: string,
    readonly expectedRevision: number,
    readonly currentRevision: number,
  ) {
    super(
      `Form draft ${draftId} was saved by someone else in the meantime (revision ${currentRevision}, this request was based on ${expectedRevision}); reload it first`,
    );
    this.name = 'FormDraftConflictError';
  }
}

/** Thrown when a draft is created for a form key that already has one. */
export class FormKeyTakenError extends Error {
  constructor(
    readonly formKey: string,
    readonly draftId: string,
  ) {
    super(`Form key '${formKey}' already has a draft (id ${draftId}); open and edit that one`);
    this.name = 'FormKeyTakenError';
  }
}

interface FormDraftRow {
  id: string;
  form_key: string;
  name: string;
  revision: number;
  updated_by: string;
  updated_at: Date;
  json_schema?: JsonObject;
  ui_schema?: JsonObject;
}

const COLUMNS = 'id, form_key, name, revision, updated_by, updated_at';
const WITH_SCHEMAS = `${COLUMNS}, json_schema, ui_schema`;

const toSummary = (row: FormDraftRow): FormDraftSummary => ({
  id: row.id,
  formKey: row.form_key,
  name: row.name,
  revision: row.revision,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at.toISOString(),
});

const toDraft = (row: FormDraftRow): FormDraft => ({
  ...toSummary(row),
  jsonSchema: row.json_schema ?? {},
  uiSchema: row.ui_schema ?? {},
});

const UNIQUE_VIOLATION = '23505';

export class FormDraftsRepository {
  constructor(private readonly pool: Pool) {}

  async list(page: {
    limit: number;
    offset: number;
  }): Promise<{ items: FormDraftSummary[]; total: number }> {
    const [items, total] = await Promise.all([
      this.pool.query<FormDraftRow>(
        `SELECT ${COLUMNS} FROM form_draft ORDER BY updated_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [page.limit, page.offset],
      ),
      this.pool.query<{ n: string }>('SELECT count(*) AS n FROM form_draft'),
    ]);
    return { items: items.rows.map(toSummary), total: Number(total.rows[0].n) };
  }

  async get(id: string): Promise<FormDraft | undefined> {
    const { rows } = await this.pool.query<FormDraftRow>(
      `SELECT ${WITH_SCHEMAS} FROM form_draft WHERE id = $1`,
      [id],
    );
    return rows[0] && toDraft(rows[0]);
  }

  async create(draft: FormContent & { formKey: string; user: string }): Promise<FormDraft> {
    try {
      const { rows } = await this.pool.query<FormDraftRow>(
        `INSERT INTO form_draft (form_key, name, json_schema, ui_schema, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${WITH_SCHEMAS}`,
        [
          draft.formKey,
          draft.name,
          JSON.stringify(draft.jsonSchema),
          JSON.stringify(draft.uiSchema),
          draft.user,
        ],
      );
      return toDraft(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      const { rows } = await this.pool.query<{ id: string }>(
        'SELECT id FROM form_draft WHERE form_key = $1',
        [draft.formKey],
      );
      throw new FormKeyTakenError(draft.formKey, rows[0]?.id ?? '?');
    }
  }

  /** Saves a new revision; undefined if the draft does not exist. */
  async save(
    id: string,
    change: FormContent & { basedOnRevision: number; user: string },
  ): Promise<FormDraft | undefined> {
    const { rows } = await this.pool.query<FormDraftRow>(
      `UPDATE form_draft
          SET name = $2, json_schema = $3, ui_schema = $4, revision = revision + 1,
              updated_by = $6, updated_at = now()
        WHERE id = $1 AND revision = $5
        RETURNING ${WITH_SCHEMAS}`,
      [
        id,
        change.name,
        JSON.stringify(change.jsonSchema),
        JSON.stringify(change.uiSchema),
        change.basedOnRevision,
        change.user,
      ],
    );
    if (rows[0]) return toDraft(rows[0]);
    const current = await this.get(id);
    if (!current) return undefined;
    throw new FormDraftConflictError(id, change.basedOnRevision, current.revision);
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM form_draft WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }
}
