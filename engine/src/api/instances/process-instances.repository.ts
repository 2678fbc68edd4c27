/**
 * Read-only queries over the engine's tables for auditors: instance search (paged on the server),
 * an instance's path through its diagram, its variable history and its full record timeline.
 * Never writes and never loads a whole history: every list is a page, the per-element counts
 * are aggregated in the database.
 *
 *   const page = await instances.search({ bpmnProcessId: 'claim', state: 'ACTIVE' }, { limit: 50, offset: 0 });
 */
import type { Pool } from '../../state/database.js';
import type { Page } from '../pagination.js';

export type ProcessInstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
export const PROCESS_INSTANCE_STATES: readonly ProcessInstanceState[] = [
  'ACTIVE',
  'COMPLETED',
  'TERMINATED',
];

export interface InstanceSearch {
  readonly bpmnProcessId?: string;
  readonly state?: ProcessInstanceState;
  /** the value of the instance's variable `businessKey` */
  readonly businessKey?: string;
  /** instances whose variable of this name has (last had) `variableValue`, or exists at all */
  readonly variableName?: string;
  readonly variableValue?: string;
  readonly startedFrom?: Date;
  readonly startedTo?: Date;
}

export interface ProcessInstanceSummary {
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly state: ProcessInstanceState;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly businessKey?: unknown;
  readonly openIncidents: number;
}

/** What happened at one element of the diagram. */
export interface ElementStatistics {
  readonly elementId: string;
  /** element instances active now (tokens) */
  readonly active: number;
  readonly completed: number;
  readonly terminated: number;
  /** incidents ever raised here, and those still open */
  readonly incidents: number;
  readonly openIncidents: number;
}

export interface OpenIncident {
  readonly incidentKey: string;
  readonly processInstanceKey: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly jobKey?: string;
}

export interface VariableChange {
  readonly position: string;
  readonly time: string;
  readonly intent: string;
  readonly name: string;
  readonly value: unknown;
  readonly scopeKey: string;
  /** the element whose scope holds the variable */
  readonly elementId?: string;
}

export interface TimelineRecord {
  readonly position: string;
  readonly key: string;
  readonly time: string;
  readonly valueType: string;
  readonly intent: string;
  readonly elementId?: string;
  readonly value: Record<string, unknown>;
  readonly hash: string;
}

interface InstanceRow {
  key: string;
  definition_key: string;
  bpmn_process_id: string;
  version: number;
  state: ProcessInstanceState;
  started_at: Date;
  ended_at: Date | null;
  business_key: string | null;
  open_incidents: number;
}

/** A variable's stored value is JSON text; a value typed into a search box may be either. */
function asStoredValues(value: string): string[] {
  const values = [JSON.stringify(value)];
  try {
    values.push(JSON.stringify(JSON.parse(value)));
  } catch {
    // not JSON: only the string form can match
  }
  return values;
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const latestVariable = (instance: string, name: string) =>
  `(SELECT r.value->>'value' FROM engine_record r
     WHERE r.process_instance_key = ${instance} AND r.value_type = 'VARIABLE'
       AND r.value->>'name' = ${name}
     ORDER BY r.position DESC LIMIT 1)`;

const INSTANCE_COLUMNS = `
  i.process_instance_key::text AS key, i.process_definition_key::text AS definition_key,
  i.bpmn_process_id, i.version, i.state, i.started_at, i.ended_at,
  ${latestVariable('i.process_instance_key', "'businessKey'")} AS business_key,
  (SELECT count(*)::int FROM engine_state s
    WHERE s.kind = 'incident' AND s.data->>'processInstanceKey' = i.process_instance_key::text)
    AS open_incidents`;

const toSummary = (row: InstanceRow): ProcessInstanceSummary => ({
  processInstanceKey: row.key,
  processDefinitionKey: row.definition_key,
  bpmnProcessId: row.bpmn_process_id,
  version: row.version,
  state: row.state,
  startedAt: row.started_at.toISOString(),
  ...(row.ended_at ? { endedAt: row.ended_at.toISOString() } : {}),
  ...(row.business_key === null ? {} : { businessKey: parseJson(row.business_key) }),
  openIncidents: row.open_incidents,
});

export class ProcessInstancesRepository {
  constructor(private readonly pool: Pool) {}

  async search(
    filter: InstanceSearch,
    page: Page,
  ): Promise<{ items: ProcessInstanceSummary[]; total: number }> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (filter.bpmnProcessId) where.push(`i.bpmn_process_id = ${param(filter.bpmnProcessId)}`);
    if (filter.state) where.push(`i.state = ${param(filter.state)}`);
    if (filter.startedFrom) where.push(`i.started_at >= ${param(filter.startedFrom)}`);
    if (filter.startedTo) where.push(`i.started_at < ${param(filter.startedTo)}`);
    if (filter.businessKey !== undefined) {
      where.push(
        `${latestVariable('i.process_instance_key', "'businessKey'")} = ANY(${param(asStoredValues(filter.businessKey))}::text[])`,
      );
    }
    if (filter.variableName !== undefined) {
      const name = param(filter.variableName);
      where.push(
        filter.variableValue === undefined
          ? `${latestVariable('i.process_instance_key', name)} IS NOT NULL`
          : `${latestVariable('i.process_instance_key', name)} = ANY(${param(asStoredValues(filter.variableValue))}::text[])`,
      );
    }
    const condition = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const filterParams = [...params];
    const [rows, total] = await Promise.all([
      this.pool.query<InstanceRow>(
        // The page's keys first, so the per-row subqueries run for the page only, not the offset.
        `WITH page AS (
           SELECT i.* FROM engine_process_instance i ${condition}
            ORDER BY i.started_at DESC, i.process_instance_key DESC
            LIMIT ${param(page.limit)} OFFSET ${param(page.offset)})
         SELECT ${INSTANCE_COLUMNS} FROM page i
          ORDER BY i.started_at DESC, i.process_instance_key DESC`,
        params,
      ),
      this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM engine_process_instance i ${condition}`,
        filterParams,
      ),
    ]);
    return { items: rows.rows.map(toSummary), total: Number(total.rows[0].n) };
  }

  async get(
    processInstanceKey: string,
  ): Promise<(ProcessInstanceSummary & { bpmnXml: string }) | undefined> {
    const { rows } = await this.pool.query<InstanceRow & { resource: string }>(
      `SELECT ${INSTANCE_COLUMNS}, d.resource FROM engine_process_instance i
         JOIN engine_process_definition d USING (process_definition_key)
        WHERE i.process_instance_key = $1`,
      [processInstanceKey],
    );
    return rows[0] && { ...toSummary(rows[0]), bpmnXml: rows[0].resource };
  }

  /** Per element: tokens now, completions, terminations, incidents; and the flows taken. */
  async path(processInstanceKey: string): Promise<{
    elements: ElementStatistics[];
    takenFlows: { elementId: string; count: number }[];
  }> {
    const { rows } = await this.pool.query<{
      element_id: string;
      entered: number;
      completed: number;
      terminated: number;
      flows: number;
      incidents: number;
    }>(
      `SELECT element_id,
              count(DISTINCT record_key) FILTER (WHERE value_type = 'PROCESS_INSTANCE'
                AND intent IN ('ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED'))::int AS entered,
              count(*) FILTER (WHERE value_type = 'PROCESS_INSTANCE' AND intent = 'ELEMENT_COMPLETED')::int AS completed,
              count(*) FILTER (WHERE value_type = 'PROCESS_INSTANCE' AND intent = 'ELEMENT_TERMINATED')::int AS terminated,
              count(*) FILTER (WHERE value_type = 'PROCESS_INSTANCE' AND intent = 'SEQUENCE_FLOW_TAKEN')::int AS flows,
              count(*) FILTER (WHERE value_type = 'INCIDENT' AND intent = 'CREATED')::int AS incidents
         FROM engine_record
        WHERE process_instance_key = $1 AND element_id IS NOT NULL
          AND value_type IN ('PROCESS_INSTANCE', 'INCIDENT')
        GROUP BY element_id`,
      [processInstanceKey],
    );
    const open = await this.openIncidents(processInstanceKey);
    const elements: ElementStatistics[] = rows
      .filter((row) => row.flows === 0)
      .map((row) => ({
        elementId: row.element_id,
        active: Math.max(0, row.entered - row.completed - row.terminated),
        completed: row.completed,
        terminated: row.terminated,
        incidents: row.incidents,
        openIncidents: open.filter((i) => i.elementId === row.element_id).length,
      }));
    const takenFlows = rows
      .filter((row) => row.flows > 0)
      .map((row) => ({ elementId: row.element_id, count: row.flows }));
    return { elements, takenFlows };
  }

  async openIncidents(processInstanceKey: string): Promise<OpenIncident[]> {
    const { rows } = await this.pool.query<{ key: string; data: Record<string, string> }>(
      `SELECT key::text, data FROM engine_state
        WHERE kind = 'incident' AND data->>'processInstanceKey' = $1 ORDER BY engine_state.key`,
      [processInstanceKey],
    );
    return rows.map(({ key, data }) => toOpenIncident(key, data));
  }

  async incident(incidentKey: string): Promise<OpenIncident | undefined> {
    const { rows } = await this.pool.query<{ data: Record<string, string> }>(
      `SELECT data FROM engine_state WHERE kind = 'incident' AND key = $1`,
      [incidentKey],
    );
    const data = rows[0]?.data;
    return data && toOpenIncident(incidentKey, data);
  }

  /** Every value each variable had, oldest first, with the time and scope that set it. */
  async variableHistory(
    processInstanceKey: string,
    page: Page,
    name?: string,
  ): Promise<{ items: VariableChange[]; total: number }> {
    const byName = name === undefined ? '' : `AND value->>'name' = $2`;
    const params = name === undefined ? [processInstanceKey] : [processInstanceKey, name];
    const [rows, total] = await Promise.all([
      this.pool.query<{
        position: string;
        timestamp_ms: string;
        intent: string;
        element_id: string | null;
        value: { name: string; value: string; scopeKey: string };
      }>(
        `SELECT position::text, timestamp_ms, intent, element_id, value FROM engine_record
          WHERE process_instance_key = $1 AND value_type = 'VARIABLE' ${byName}
          ORDER BY engine_record.position LIMIT ${page.limit} OFFSET ${page.offset}`,
        params,
      ),
      this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM engine_record
          WHERE process_instance_key = $1 AND value_type = 'VARIABLE' ${byName}`,
        params,
      ),
    ]);
    return {
      items: rows.rows.map((row) => ({
        position: row.position,
        time: new Date(Number(row.timestamp_ms)).toISOString(),
        intent: row.intent,
        name: row.value.name,
        value: parseJson(row.value.value),
        scopeKey: String(row.value.scopeKey),
        ...(row.element_id ? { elementId: row.element_id } : {}),
      })),
      total: Number(total.rows[0].n),
    };
  }

  /** The instance's records in stream order, with their chain hashes. */
  async timeline(
    processInstanceKey: string,
    page: Page,
  ): Promise<{ items: TimelineRecord[]; total: number }> {
    const [items, total] = await Promise.all([
      this.records(processInstanceKey, {
        afterPosition: '0',
        limit: page.limit,
        offset: page.offset,
      }),
      this.pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM engine_record WHERE process_instance_key = $1',
        [processInstanceKey],
      ),
    ]);
    return { items, total: Number(total.rows[0].n) };
  }

  /** Records after a position (keyset paging, for exports that walk the whole history). */
  async records(
    processInstanceKey: string,
    range: { afterPosition: string; limit: number; offset?: number },
  ): Promise<TimelineRecord[]> {
    const { rows } = await this.pool.query<{
      position: string;
      record_key: string;
      timestamp_ms: string;
      value_type: string;
      intent: string;
      element_id: string | null;
      value: Record<string, unknown>;
      hash: string;
    }>(
      `SELECT position::text, record_key::text, timestamp_ms, value_type, intent, element_id, value, hash
         FROM engine_record WHERE process_instance_key = $1 AND position > $2
        ORDER BY engine_record.position LIMIT $3 OFFSET $4`,
      [processInstanceKey, range.afterPosition, range.limit, range.offset ?? 0],
    );
    return rows.map((row) => ({
      position: row.position,
      key: row.record_key,
      time: new Date(Number(row.timestamp_ms)).toISOString(),
      valueType: row.value_type,
      intent: row.intent,
      ...(row.element_id ? { elementId: row.element_id } : {}),
      value: row.value,
      hash: row.hash,
    }));
  }
}

/** An incident row of the engine's state as the API shows it. */
function toOpenIncident(incidentKey: string, data: Record<string, string>): OpenIncident {
  return {
    incidentKey,
    processInstanceKey: data.processInstanceKey ?? '',
    elementId: data.elementId ?? '',
    elementInstanceKey: data.elementInstanceKey ?? '',
    errorType: data.errorType ?? '',
    errorMessage: data.errorMessage ?? '',
    ...(data.jobKey && data.jobKey !== '-1' ? { jobKey: data.jobKey } : {}),
  };
}
