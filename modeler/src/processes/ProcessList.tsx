/** The analyst's list of process drafts (paged on the server) and the way to start a new one. */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { newDiagram, processIdFor } from './new-diagram';

interface DraftSummary {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

const PAGE_SIZE = 20;

export function ProcessList({ onOpen }: { onOpen: (draftId: string) => void }) {
  const [page, setPage] = useState(0);
  const [drafts, setDrafts] = useState<{ items: DraftSummary[]; total: number }>();
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ items: DraftSummary[]; total: number }>(
      'GET',
      `/api/drafts?limit=${PAGE_SIZE}&offset=${page * PAGE_SIZE}`,
    ).then(setDrafts, (e) => setError((e as Error).message));
  }, [page]);

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const draft = await api<{ id: string }>('POST', '/api/drafts', {
        name: newName,
        bpmnXml: newDiagram(processIdFor(newName), newName),
      });
      onOpen(draft.id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="process-list">
      <h2>Processes</h2>
      <form onSubmit={create} className="inline-form">
        <input
          aria-label="New process name"
          placeholder="Name of the new process"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
          required
        />
        <button type="submit">New process</button>
      </form>
      {error && <p role="alert">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Draft</th>
            <th>Revision</th>
            <th>Last saved</th>
          </tr>
        </thead>
        <tbody>
          {drafts?.items.map((d) => (
            <tr key={d.id}>
              <td>
                <button className="link" onClick={() => onOpen(d.id)}>
                  {d.name}
                </button>
              </td>
              <td>{d.revision}</td>
              <td>
                {new Date(d.updatedAt).toLocaleString()} by {d.updatedBy}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {drafts && drafts.total > PAGE_SIZE && (
        <nav className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            {page * PAGE_SIZE + 1}–{Math.min(drafts.total, (page + 1) * PAGE_SIZE)} of{' '}
            {drafts.total}
          </span>
          <button
            disabled={(page + 1) * PAGE_SIZE >= drafts.total}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
