/**
 * Process drafts: BPMN diagrams being edited, not yet deployed. Saves are optimistic: each
 * names the revision it was based on, and a save based on an outdated revision is refused with
 * `DraftConflictError`, so that two analysts never overwrite each other unnoticed.
 */
import type { Pool } from '../../state/database.js';

export interface DraftSummary {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface Draft extends DraftSummary {
  readonly bpmnXml: string;
}

/** Thrown when a save names a revision that is no longer the current one. */
export class DraftConflictError extends Error {
  constructor(
    readonly draftId: string,
    readonly expectedRevision: number,
    readonly currentRevision: number,
  ) {
    super(
      `Draft ${draftId} was saved by someone else in the meantime (revision ${currentRevision}, this save was based on ${expectedRevision}); reload it before saving`,
    );
    this.name = 'DraftConflictError';
  }
}

interface DraftRow {
  id: string;
  name: string;
  revision: number;
  updated_by: string;
  updated_at: Date;
  bpmn_xml?: string;
}

const toSummary = (row: DraftRow): DraftSummary => ({
  id: row.id,
  name: row.name,
  revision: row.revision,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at.toISOString(),
});

const toDraft = (row: DraftRow): Draft => ({ ...toSummary(row), bpmnXml: row.bpmn_xml ?? '' });

export class DraftsRepository {
  constructor(private readonly pool: Pool) {}

  async list(page: {
    limit: number;
    offset: number;
  }): Promise<{ items: DraftSummary[]; total: number }> {
    const [items, total] = await Promise.all([
      this.pool.query<DraftRow>(
        `SELECT id, name, revision, updated_by, updated_at FROM process_draft
          ORDER BY updated_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [page.limit, page.offset],
      ),
      this.pool.query<{ n: string }>('SELECT count(*) AS n FROM process_draft'),
    ]);
    return { items: items.rows.map(toSummary), total: Number(total.rows[0].n) };
  }

  async get(id: string): Promise<Draft | undefined> {
    const { rows } = await this.pool.query<DraftRow>(
      'SELECT id, name, revision, updated_by, updated_at, bpmn_xml FROM process_draft WHERE id = $1',
      [id],
    );
    return rows[0] && toDraft(rows[0]);
  }

  async create(draft: { name: string; bpmnXml: string; user: string }): Promise<Draft> {
    const { rows } = await this.pool.query<DraftRow>(
      `INSERT INTO process_draft (name, bpmn_xml, created_by, updated_by) VALUES ($1, $2, $3, $3)
       RETURNING id, name, revision, updated_by, updated_at, bpmn_xml`,
      [draft.name, draft.bpmnXml, draft.user],
    );
    return toDraft(rows[0]);
  }

  /** Saves a new revision; undefined if the draft does not exist. */
  async save(
    id: string,
    change: { name: string; bpmnXml: string; basedOnRevision: number; user: string },
  ): Promise<Draft | undefined> {
    const { rows } = await this.pool.query<DraftRow>(
      `UPDATE process_draft
          SET name = $2, bpmn_xml = $3, revision = revision + 1, updated_by = $5, updated_at = now()
        WHERE id = $1 AND revision = $4
        RETURNING id, name, revision, updated_by, updated_at, bpmn_xml`,
      [id, change.name, change.bpmnXml, change.basedOnRevision, change.user],
    );
    if (rows[0]) return toDraft(rows[0]);
    const current = await this.get(id);
    if (!current) return undefined;
    throw new DraftConflictError(id, change.basedOnRevision, current.revision);
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM process_draft WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }
}
