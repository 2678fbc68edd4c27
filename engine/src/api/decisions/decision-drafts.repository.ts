/**
 * Decision drafts: DMN models being edited in the rule editor, not yet deployed. Saves are
 * optimistic like process drafts: each names the revision it was based on, and a save based on
 * an outdated revision is refused with `DraftConflictError`.
 */
import type { Pool } from '../../state/database.js';
import { DraftConflictError } from '../drafts/drafts.repository.js';

export interface DecisionDraftSummary {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface DecisionDraft extends DecisionDraftSummary {
  readonly dmnXml: string;
}

interface DecisionDraftRow {
  id: string;
  name: string;
  revision: number;
  updated_by: string;
  updated_at: Date;
  dmn_xml?: string;
}

const toSummary = (row: DecisionDraftRow): DecisionDraftSummary => ({
  id: row.id,
  name: row.name,
  revision: row.revision,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at.toISOString(),
});

const toDraft = (row: DecisionDraftRow): DecisionDraft => ({
  ...toSummary(row),
  dmnXml: row.dmn_xml ?? '',
});

const COLUMNS = 'id, name, revision, updated_by, updated_at, dmn_xml';

export class DecisionDraftsRepository {
  constructor(private readonly pool: Pool) {}

  async list(page: {
    limit: number;
    offset: number;
  }): Promise<{ items: DecisionDraftSummary[]; total: number }> {
    const [items, total] = await Promise.all([
      this.pool.query<DecisionDraftRow>(
        `SELECT id, name, revision, updated_by, updated_at FROM decision_draft
          ORDER BY updated_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [page.limit, page.offset],
      ),
      this.pool.query<{ n: string }>('SELECT count(*) AS n FROM decision_draft'),
    ]);
    return { items: items.rows.map(toSummary), total: Number(total.rows[0].n) };
  }

  async get(id: string): Promise<DecisionDraft | undefined> {
    const { rows } = await this.pool.query<DecisionDraftRow>(
      `SELECT ${COLUMNS} FROM decision_draft WHERE id = $1`,
      [id],
    );
    return rows[0] && toDraft(rows[0]);
  }

  async create(draft: { name: string; dmnXml: string; user: string }): Promise<DecisionDraft> {
    const { rows } = await this.pool.query<DecisionDraftRow>(
      `INSERT INTO decision_draft (name, dmn_xml, created_by, updated_by) VALUES ($1, $2, $3, $3)
       RETURNING ${COLUMNS}`,
      [draft.name, draft.dmnXml, draft.user],
    );
    return toDraft(rows[0]);
  }

  /** Saves a new revision; undefined if the draft does not exist. */
  async save(
    id: string,
    change: { name: string; dmnXml: string; basedOnRevision: number; user: string },
  ): Promise<DecisionDraft | undefined> {
    const { rows } = await this.pool.query<DecisionDraftRow>(
      `UPDATE decision_draft
          SET name = $2, dmn_xml = $3, revision = revision + 1, updated_by = $5, updated_at = now()
        WHERE id = $1 AND revision = $4
        RETURNING ${COLUMNS}`,
      [id, change.name, change.dmnXml, change.basedOnRevision, change.user],
    );
    if (rows[0]) return toDraft(rows[0]);
    const current = await this.get(id);
    if (!current) return undefined;
    throw new DraftConflictError(id, change.basedOnRevision, current.revision);
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM decision_draft WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }
}
