/**
 * The auditor's instance search: by process, state, business key, variable value and start
 * date, newest first, paged on the server. The filters live in the form until searched.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import './instances.css';

export interface ProcessInstanceSummary {
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly businessKey?: unknown;
  readonly openIncidents: number;
}

const PAGE_SIZE = 25;
const FILTERS = [
  'bpmnProcessId',
  'state',
  'businessKey',
  'variableName',
  'variableValue',
  'startedFrom',
  'startedTo',
] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export function InstanceList({ onOpen }: { onOpen: (key: string) => void }) {
  const [form, setForm] = useState<Filters>({});
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<{ items: ProcessInstanceSummary[]; total: number }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const query = new URLSearchParams({
      limit: String(PAGE_SIZE),
      offset: String(page * PAGE_SIZE),
    });
    for (const name of FILTERS) if (filters[name]) query.set(name, filters[name]!);
    setError(undefined);
    api<{ items: ProcessInstanceSummary[]; total: number }>(
      'GET',
      `/api/process-instances?${query}`,
    ).then(setResult, (e) => setError((e as Error).message));
  }, [filters, page]);

  function search(event: FormEvent) {
    event.preventDefault();
    setPage(0);
    setFilters({ ...form });
  }
  const field = (name: keyof Filters) => ({
    value: form[name] ?? '',
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });

  return (
    <section className="instance-list">
      <h2>Process instances</h2>
      <form className="instance-filters" onSubmit={search} aria-label="Search instances">
        <input aria-label="Process id" placeholder="Process id" {...field('bpmnProcessId')} />
        <select aria-label="State" {...field('state')}>
          <option value="">Any state</option>
          <option value="ACTIVE">Active</option>
          <option value="COMPLETED">Completed</option>
          <option value="TERMINATED">Terminated</option>
        </select>
        <input aria-label="Business key" placeholder="Business key" {...field('businessKey')} />
        <input aria-label="Variable name" placeholder="Variable" {...field('variableName')} />
        <input aria-label="Variable value" placeholder="= value" {...field('variableValue')} />
        <label>
          Started from <input type="date" aria-label="Started from" {...field('startedFrom')} />
        </label>
        <label>
          to <input type="date" aria-label="Started to" {...field('startedTo')} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <p role="alert">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Instance</th>
            <th>Process</th>
            <th>Business key</th>
            <th>State</th>
            <th>Started</th>
            <th>Ended</th>
          </tr>
        </thead>
        <tbody>
          {result?.items.map((i) => (
            <tr key={i.processInstanceKey}>
              <td>
                <button className="link" onClick={() => onOpen(i.processInstanceKey)}>
                  {i.processInstanceKey}
                </button>
              </td>
              <td>
                {i.bpmnProcessId} v{i.version}
              </td>
              <td>{i.businessKey === undefined ? '' : String(i.businessKey)}</td>
              <td>
                <span className={`state state-${i.state.toLowerCase()}`}>{i.state}</span>
                {i.openIncidents > 0 && (
                  <span className="state state-incident">{i.openIncidents} incident(s)</span>
                )}
              </td>
              <td>{new Date(i.startedAt).toLocaleString()}</td>
              <td>{i.endedAt ? new Date(i.endedAt).toLocaleString() : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result?.total === 0 && <p>No instance matches.</p>}
      {result && result.total > PAGE_SIZE && (
        <nav className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            {page * PAGE_SIZE + 1}–{Math.min(result.total, (page + 1) * PAGE_SIZE)} of{' '}
            {result.total}
          </span>
          <button
            disabled={(page + 1) * PAGE_SIZE >= result.total}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
