/**
 * Read-only queries over the engine's deployed process definitions, for the analyst's list and
 * the diagram views. Lists page over processes (by BPMN process id), each with all its versions,
 * newest first. Never writes: deploying goes through the engine.
 */
import type { Pool } from '../../state/database.js';
import type { Page } from '../pagination.js';

export interface ProcessDefinitionVersion {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly versionTag?: string;
  readonly resourceName: string;
  readonly deployedAt: string;
}

export interface ProcessDefinition extends ProcessDefinitionVersion {
  readonly bpmnXml: string;
}

export interface ProcessSummary {
  readonly bpmnProcessId: string;
  readonly latestVersion: number;
  readonly versions: ProcessDefinitionVersion[];
}

interface DefinitionRow {
  key: string;
  bpmn_process_id: string;
  version: number;
  version_tag: string | null;
  resource_name: string;
  deployed_at: Date;
  resource?: string;
}

const COLUMNS = `process_definition_key::text AS key, bpmn_process_id, version, version_tag,
                 resource_name, deployed_at`;

const toVersion = (row: DefinitionRow): ProcessDefinitionVersion => ({
  processDefinitionKey: row.key,
  bpmnProcessId: row.bpmn_process_id,
  version: row.version,
  ...(row.version_tag ? { versionTag: row.version_tag } : {}),
  resourceName: row.resource_name,
  deployedAt: row.deployed_at.toISOString(),
});

export class ProcessDefinitionsRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Processes in order of their id, each with every deployed version, newest first. Versions
   * deleted by DeleteResource are left out (they cannot be started); `get` still finds them, for
   * the diagrams of their past instances.
   */
  async list(page: Page): Promise<{ items: ProcessSummary[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.pool.query<DefinitionRow>(
        `WITH page AS (
           SELECT DISTINCT bpmn_process_id FROM engine_process_definition WHERE deleted_at IS NULL
            ORDER BY bpmn_process_id LIMIT $1 OFFSET $2)
         SELECT ${COLUMNS} FROM engine_process_definition JOIN page USING (bpmn_process_id)
          WHERE deleted_at IS NULL
          ORDER BY bpmn_process_id, version DESC`,
        [page.limit, page.offset],
      ),
      this.pool.query<{ n: string }>(
        `SELECT count(DISTINCT bpmn_process_id) AS n FROM engine_process_definition
          WHERE deleted_at IS NULL`,
      ),
    ]);
    const items: ProcessSummary[] = [];
    for (const row of rows.rows) {
      const last = items.at(-1);
      if (last?.bpmnProcessId === row.bpmn_process_id) last.versions.push(toVersion(row));
      else
        items.push({
          bpmnProcessId: row.bpmn_process_id,
          latestVersion: row.version,
          versions: [toVersion(row)],
        });
    }
    return { items, total: Number(total.rows[0].n) };
  }

  async get(processDefinitionKey: string): Promise<ProcessDefinition | undefined> {
    const { rows } = await this.pool.query<DefinitionRow>(
      `SELECT ${COLUMNS}, resource FROM engine_process_definition WHERE process_definition_key = $1`,
      [processDefinitionKey],
    );
    return rows[0] && { ...toVersion(rows[0]), bpmnXml: rows[0].resource! };
  }
}
