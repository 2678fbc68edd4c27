/**
 * The caseworker's tasklist: filters people expect (assigned to me, my groups, unassigned, due
 * soon, overdue, completed; by process; by variable value), sorting, and paging — all done by
 * the server (`GET /api/tasks`), so a list of ten thousand tasks loads one page at a time.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { FILTERS, type TaskSummary } from './task-types';
import './tasks.css';

const PAGE_SIZE = 20;

type Sort = 'created' | 'due' | 'name';

export interface TaskListQuery {
  readonly filters: string[];
  readonly process: string;
  readonly variable: string;
  readonly sort: Sort;
  readonly order: 'asc' | 'desc';
  readonly page: number;
}

const INITIAL: TaskListQuery = {
  filters: ['my-groups'],
  process: '',
  variable: '',
  sort: 'created',
  order: 'asc',
  page: 0,
};

export function tasksPath(q: TaskListQuery): string {
  const params = new URLSearchParams();
  if (q.filters.length > 0) params.set('filter', q.filters.join(','));
  if (q.process) params.set('process', q.process);
  if (q.variable.trim()) params.set('variable', q.variable.trim());
  params.set('sort', q.sort);
  params.set('order', q.order);
  params.set('limit', String(PAGE_SIZE));
  params.set('offset', String(q.page * PAGE_SIZE));
  return `/api/tasks?${params}`;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function TaskList({ onOpen }: { onOpen: (key: string) => void }) {
  const [query, setQuery] = useState<TaskListQuery>(INITIAL);
  const [variableInput, setVariableInput] = useState('');
  const [processes, setProcesses] = useState<string[]>([]);
  const [tasks, setTasks] = useState<{ items: TaskSummary[]; total: number }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ items: string[] }>('GET', '/api/tasks/processes').then(
      ({ items }) => setProcesses(items),
      () => setProcesses([]),
    );
  }, []);

  useEffect(() => {
    let current = true;
    api<{ items: TaskSummary[]; total: number }>('GET', tasksPath(query)).then(
      (page) => {
        if (!current) return;
        setTasks(page);
        setError(undefined);
      },
      (e) => current && setError((e as Error).message),
    );
    return () => {
      current = false;
    };
  }, [query]);

  const change = (patch: Partial<TaskListQuery>) => setQuery({ ...query, page: 0, ...patch });
  const toggle = (filter: string) =>
    change({
      filters: query.filters.includes(filter)
        ? query.filters.filter((f) => f !== filter)
        : [...query.filters, filter],
    });
  const applyVariable = (event: FormEvent) => {
    event.preventDefault();
    change({ variable: variableInput });
  };

  return (
    <section className="task-list">
      <h2>Tasks</h2>
      <div className="task-filters" role="group" aria-label="Filters">
        {FILTERS.map(([value, label]) => (
          <label key={value} className="chip">
            <input
              type="checkbox"
              checked={query.filters.includes(value)}
              onChange={() => toggle(value)}
            />
            {label}
          </label>
        ))}
      </div>
      <div className="task-controls">
        <label>
          Process{' '}
          <select value={query.process} onChange={(e) => change({ process: e.target.value })}>
            <option value="">All processes</option>
            {processes.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={applyVariable} className="inline-form">
          <input
            aria-label="Variable filter"
            placeholder="variable=value, e.g. claimNo=C-17"
            value={variableInput}
            onChange={(e) => setVariableInput(e.target.value)}
          />
          <button type="submit">Filter</button>
        </form>
        <label>
          Sort by{' '}
          <select value={query.sort} onChange={(e) => change({ sort: e.target.value as Sort })}>
            <option value="created">Created</option>
            <option value="due">Due date</option>
            <option value="name">Name</option>
          </select>
        </label>
        <button onClick={() => change({ order: query.order === 'asc' ? 'desc' : 'asc' })}>
          {query.order === 'asc' ? 'Ascending' : 'Descending'}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Task</th>
            <th>Process</th>
            <th>Assignee</th>
            <th>Groups</th>
            <th>Due</th>
            <th>{query.filters.includes('completed') ? 'Completed' : 'Created'}</th>
          </tr>
        </thead>
        <tbody>
          {tasks?.items.map((t) => (
            <tr key={t.key} data-testid="task-row">
              <td>
                <button className="link" onClick={() => onOpen(t.key)}>
                  {t.name}
                </button>
              </td>
              <td>
                {t.bpmnProcessId} v{t.processVersion}
              </td>
              <td>{t.assignee ?? '—'}</td>
              <td>{t.candidateGroups.join(', ') || '—'}</td>
              <td className={t.dueDate && Date.parse(t.dueDate) < Date.now() ? 'overdue' : ''}>
                {when(t.dueDate)}
              </td>
              <td>{when(t.state === 'completed' ? t.completedAt : t.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tasks && tasks.items.length === 0 && <p className="empty">No tasks match.</p>}
      {tasks && tasks.total > 0 && (
        <nav className="pager" aria-label="Pages">
          <button
            disabled={query.page === 0}
            onClick={() => setQuery({ ...query, page: query.page - 1 })}
          >
            Previous
          </button>
          <span data-testid="task-count">
            {query.page * PAGE_SIZE + 1}–{Math.min(tasks.total, (query.page + 1) * PAGE_SIZE)} of{' '}
            {tasks.total}
          </span>
          <button
            disabled={(query.page + 1) * PAGE_SIZE >= tasks.total}
            onClick={() => setQuery({ ...query, page: query.page + 1 })}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
