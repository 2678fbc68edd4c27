/**
 * One process instance for auditors: its diagram with active tokens (blue), the completed path
 * (green elements and flows) and incidents (red), with counts per element; the open incidents
 * (admins resolve them here); the variable history and the full record timeline, each paged on
 * the server; the audit trail export as JSON or PDF.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, type User } from '../api';
import { DiagramView, type DiagramOverlay } from '../processes/DiagramView';
import type { ProcessInstanceSummary } from './InstanceList';
import './instances.css';

interface ElementStatistics {
  readonly elementId: string;
  readonly active: number;
  readonly completed: number;
  readonly terminated: number;
  readonly incidents: number;
  readonly openIncidents: number;
}

interface Incident {
  readonly incidentKey: string;
  readonly elementId: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly jobKey?: string;
}

interface InstanceDetails extends ProcessInstanceSummary {
  readonly bpmnXml: string;
  readonly elements: ElementStatistics[];
  readonly takenFlows: { elementId: string; count: number }[];
  readonly incidents: Incident[];
}

interface Page<T> {
  readonly items: T[];
  readonly total: number;
}

export function InstanceDetail({ instanceKey, user }: { instanceKey: string; user: User }) {
  const [instance, setInstance] = useState<InstanceDetails>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const load = useCallback(
    () =>
      api<InstanceDetails>('GET', `/api/process-instances/${instanceKey}`).then(setInstance, (e) =>
        setError((e as Error).message),
      ),
    [instanceKey],
  );
  useEffect(() => {
    void load();
  }, [load]);

  async function resolve(incident: Incident) {
    try {
      await api('POST', `/api/incidents/${incident.incidentKey}/resolution`, {});
      setNotice(`Incident ${incident.incidentKey} resolved`);
      await load();
    } catch (e) {
      setNotice((e as Error).message);
    }
  }

  if (error) return <p role="alert">{error}</p>;
  if (!instance) return <p>Loading…</p>;

  const markers: Record<string, string[]> = {};
  const mark = (id: string, marker: string) => (markers[id] ??= []).push(marker);
  const overlays: DiagramOverlay[] = [];
  // the process itself has no shape of its own to mark
  for (const e of instance.elements.filter((el) => el.elementId !== instance.bpmnProcessId)) {
    if (e.completed > 0) mark(e.elementId, 'path-completed');
    if (e.active > 0) mark(e.elementId, 'token-active');
    if (e.openIncidents > 0) mark(e.elementId, 'has-incident');
    if (e.active > 0)
      overlays.push({
        elementId: e.elementId,
        text: String(e.active),
        className: 'badge-active',
        title: `${e.active} active`,
      });
    if (e.completed > 0)
      overlays.push({
        elementId: e.elementId,
        text: String(e.completed),
        className: 'badge-completed',
        title: `${e.completed} completed`,
        position: 'bottom-right',
      });
    if (e.incidents > 0)
      overlays.push({
        elementId: e.elementId,
        text: String(e.incidents),
        className: 'badge-incident',
        title: `${e.incidents} incident(s), ${e.openIncidents} open`,
        position: 'top-right',
      });
  }
  for (const flow of instance.takenFlows) mark(flow.elementId, 'path-taken');
  const isAdmin = user.roles.includes('admin');
  const exportUrl = (format: string) =>
    `/api/process-instances/${instance.processInstanceKey}/audit-trail?format=${format}`;

  return (
    <article className="instance-page">
      <h2>
        {instance.bpmnProcessId} v{instance.version} · instance {instance.processInstanceKey}
      </h2>
      <div className="facts">
        <span
          className={`state state-${instance.state.toLowerCase()}`}
          data-testid="instance-state"
        >
          {instance.state}
        </span>
        {instance.businessKey !== undefined && (
          <span>Business key: {String(instance.businessKey)}</span>
        )}
        <span>Started {new Date(instance.startedAt).toLocaleString()}</span>
        {instance.endedAt && <span>Ended {new Date(instance.endedAt).toLocaleString()}</span>}
        <a href={exportUrl('json')} download>
          Audit trail (JSON)
        </a>
        <a href={exportUrl('pdf')} download>
          Audit trail (PDF)
        </a>
      </div>
      <DiagramView
        testId="instance-diagram"
        bpmnXml={instance.bpmnXml}
        markers={markers}
        overlays={overlays}
      />
      {notice && <p role="status">{notice}</p>}
      <section aria-label="Incidents">
        <h3>Open incidents ({instance.incidents.length})</h3>
        {instance.incidents.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Element</th>
                <th>Type</th>
                <th>Message</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {instance.incidents.map((incident) => (
                <tr key={incident.incidentKey}>
                  <td>{incident.elementId}</td>
                  <td>{incident.errorType}</td>
                  <td>{incident.errorMessage}</td>
                  <td>
                    {isAdmin && (
                      <button onClick={() => resolve(incident)}>
                        {incident.jobKey ? 'Retry job and resolve' : 'Resolve'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <VariableHistory instanceKey={instance.processInstanceKey} />
      <RecordTimeline instanceKey={instance.processInstanceKey} />
    </article>
  );
}

function usePage<T>(path: string, pageSize: number) {
  const [page, setPage] = useState(0);
  const [data, setData] = useState<Page<T>>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const separator = path.includes('?') ? '&' : '?';
    api<Page<T>>('GET', `${path}${separator}limit=${pageSize}&offset=${page * pageSize}`).then(
      setData,
      (e) => setError((e as Error).message),
    );
  }, [path, page, pageSize]);
  const pager =
    data && data.total > pageSize ? (
      <nav className="pager">
        <button disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <span>
          {page * pageSize + 1}–{Math.min(data.total, (page + 1) * pageSize)} of {data.total}
        </span>
        <button disabled={(page + 1) * pageSize >= data.total} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </nav>
    ) : null;
  return { data, error, pager };
}

interface VariableChange {
  readonly position: string;
  readonly time: string;
  readonly intent: string;
  readonly name: string;
  readonly value: unknown;
  readonly elementId?: string;
}

function VariableHistory({ instanceKey }: { instanceKey: string }) {
  const { data, error, pager } = usePage<VariableChange>(
    `/api/process-instances/${instanceKey}/variables`,
    25,
  );
  return (
    <section aria-label="Variable history">
      <h3>Variable history {data ? `(${data.total})` : ''}</h3>
      {error && <p role="alert">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Time</th>
            <th>Variable</th>
            <th>Value</th>
            <th>Set</th>
            <th>Element</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((v) => (
            <tr key={v.position}>
              <td>{new Date(v.time).toLocaleString()}</td>
              <td>{v.name}</td>
              <td className="value">{JSON.stringify(v.value)}</td>
              <td>{v.intent === 'CREATED' ? 'created' : 'updated'}</td>
              <td>{v.elementId ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pager}
    </section>
  );
}

interface TimelineRecord {
  readonly position: string;
  readonly time: string;
  readonly valueType: string;
  readonly intent: string;
  readonly elementId?: string;
  readonly value: Record<string, unknown>;
}

function RecordTimeline({ instanceKey }: { instanceKey: string }) {
  const { data, error, pager } = usePage<TimelineRecord>(
    `/api/process-instances/${instanceKey}/records`,
    50,
  );
  return (
    <section aria-label="Record timeline">
      <h3>Record timeline {data ? `(${data.total})` : ''}</h3>
      {error && <p role="alert">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Time</th>
            <th>Record</th>
            <th>Element</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((r) => (
            <tr key={r.position}>
              <td>{r.position}</td>
              <td>{new Date(r.time).toLocaleString()}</td>
              <td>
                {r.valueType} {r.intent}
              </td>
              <td>{r.elementId ?? ''}</td>
              <td className="record-value">{summary(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pager}
    </section>
  );
}

function summary(record: TimelineRecord): string {
  const v = record.value;
  if (record.valueType === 'VARIABLE') return `${String(v.name)} = ${String(v.value)}`;
  if (record.valueType === 'INCIDENT') return `${String(v.errorType)}: ${String(v.errorMessage)}`;
  if (record.valueType === 'JOB')
    return `type ${String(v.type)}, retries ${String(v.retries)}${v.worker ? `, worker ${String(v.worker)}` : ''}`;
  return '';
}
