/**
 * Deployed decisions as the engine wrote them (`engine_decision`, `engine_decision_requirements`):
 * read-only, paged over decision ids, every version listed newest first (deleted ones left out,
 * though `get` still finds them); and which deployed process versions call them.
 */
import type { Pool } from '../../state/database.js';
import { DecisionUsageRepository, type DecisionUsageReport } from './decision-usage.repository.js';

export interface DeployedDecisionVersion {
  readonly decisionKey: string;
  readonly decisionId: string;
  readonly name: string;
  readonly version: number;
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  readonly resourceName: string;
  readonly deployedAt: string;
}

export interface DeployedDecision {
  readonly decisionId: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly versions: DeployedDecisionVersion[];
}

interface VersionRow {
  decision_key: string;
  decision_id: string;
  name: string;
  version: number;
  decision_requirements_id: string;
  decision_requirements_key: string;
  resource_name: string;
  deployed_at: Date;
}

const toVersion = (row: VersionRow): DeployedDecisionVersion => ({
  decisionKey: String(row.decision_key),
  decisionId: row.decision_id,
  name: row.name,
  version: row.version,
  decisionRequirementsId: row.decision_requirements_id,
  decisionRequirementsKey: String(row.decision_requirements_key),
  resourceName: row.resource_name,
  deployedAt: row.deployed_at.toISOString(),
});

const SELECT_VERSIONS = `
  SELECT d.decision_key, d.decision_id, d.name, d.version, r.decision_requirements_id,
         r.decision_requirements_key, r.resource_name, r.deployed_at
    FROM engine_decision d
    JOIN engine_decision_requirements r USING (decision_requirements_key)`;

/** Decisions whose requirements graph was not deleted (DeleteResource keeps the rows, marked). */
const DEPLOYABLE = `FROM engine_decision d
  JOIN engine_decision_requirements r USING (decision_requirements_key) WHERE r.deleted_at IS NULL`;

export class DeployedDecisionsRepository {
  private readonly calls: DecisionUsageRepository;

  constructor(private readonly pool: Pool) {
    this.calls = new DecisionUsageRepository(pool);
  }

  /** Which deployed process versions call which decisions (see decision-usage.repository). */
  usage(): Promise<DecisionUsageReport> {
    return this.calls.usage();
  }

  async list(page: {
    limit: number;
    offset: number;
  }): Promise<{ items: DeployedDecision[]; total: number }> {
    const [ids, total] = await Promise.all([
      this.pool.query<{ decision_id: string }>(
        `SELECT DISTINCT decision_id ${DEPLOYABLE} ORDER BY decision_id LIMIT $1 OFFSET $2`,
        [page.limit, page.offset],
      ),
      this.pool.query<{ n: string }>(`SELECT count(DISTINCT decision_id) AS n ${DEPLOYABLE}`),
    ]);
    const wanted = ids.rows.map((r) => r.decision_id);
    const { rows } = await this.pool.query<VersionRow>(
      `${SELECT_VERSIONS} WHERE d.decision_id = ANY($1) AND r.deleted_at IS NULL
        ORDER BY d.decision_id, d.version DESC`,
      [wanted],
    );
    const items = wanted.map((decisionId) => {
      const versions = rows.filter((r) => r.decision_id === decisionId).map(toVersion);
      return {
        decisionId,
        name: versions[0]?.name ?? decisionId,
        latestVersion: versions[0]?.version ?? 0,
        versions,
      };
    });
    return { items, total: Number(total.rows[0].n) };
  }

  /**
   * A decision requirements graph (the unit that DeleteResource deletes) with the decisions it
   * holds, deleted or not; undefined when no graph has this key.
   */
  async requirements(decisionRequirementsKey: string): Promise<
    | {
        readonly decisionRequirementsId: string;
        readonly version: number;
        readonly decisionIds: string[];
      }
    | undefined
  > {
    const { rows } = await this.pool.query<{
      decision_requirements_id: string;
      version: number;
      decision_ids: string[];
    }>(
      `SELECT r.decision_requirements_id, r.version,
              array_remove(array_agg(d.decision_id ORDER BY d.decision_id), NULL) AS decision_ids
         FROM engine_decision_requirements r
         LEFT JOIN engine_decision d USING (decision_requirements_key)
        WHERE r.decision_requirements_key = $1
        GROUP BY r.decision_requirements_id, r.version`,
      [decisionRequirementsKey],
    );
    return (
      rows[0] && {
        decisionRequirementsId: rows[0].decision_requirements_id,
        version: rows[0].version,
        decisionIds: rows[0].decision_ids,
      }
    );
  }

  /** One version with the DMN file it was deployed in. */
  async get(
    decisionKey: string,
  ): Promise<(DeployedDecisionVersion & { dmnXml: string }) | undefined> {
    const { rows } = await this.pool.query<VersionRow & { resource: string }>(
      `${SELECT_VERSIONS.replace('r.deployed_at', 'r.deployed_at, r.resource')} WHERE d.decision_key = $1`,
      [decisionKey],
    );
    return rows[0] && { ...toVersion(rows[0]), dmnXml: rows[0].resource };
  }
}
