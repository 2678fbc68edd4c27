/**
 * The analyst's rules page: decision drafts (paged on the server) with the way to start a new
 * one, and the deployed decisions with their versions.
 */
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { api } from '../api';
import { openDmn } from './dmn-file';
import { decisionIdFor, newDmnXml } from './rule-document';

interface DraftSummary {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

interface DeployedDecision {
  readonly decisionId: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly versions: {
    readonly decisionKey: string;
    readonly version: number;
    readonly decisionRequirementsId: string;
    readonly deployedAt: string;
  }[];
}

const PAGE_SIZE = 20;

export function DecisionList({
  onOpen,
  onUsage,
}: {
  onOpen: (draftId: string) => void;
  onUsage: () => void;
}) {
  const [page, setPage] = useState(0);
  const [drafts, setDrafts] = useState<{ items: DraftSummary[]; total: number }>();
  const [deployed, setDeployed] = useState<{ items: DeployedDecision[]; total: number }>();
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ items: DraftSummary[]; total: number }>(
      'GET',
      `/api/decision-drafts?limit=${PAGE_SIZE}&offset=${page * PAGE_SIZE}`,
    ).then(setDrafts, (e) => setError((e as Error).message));
  }, [page]);

  useEffect(() => {
    api<{ items: DeployedDecision[]; total: number }>(
      'GET',
      '/api/decision-definitions?limit=200',
    ).then(setDeployed, (e) => setError((e as Error).message));
  }, []);

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const draft = await api<{ id: string }>('POST', '/api/decision-drafts', {
        name: newName,
        dmnXml: newDmnXml(newName, decisionIdFor(newName)),
      });
      onOpen(draft.id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  /** A file from Camunda Modeler (or a download from here) becomes a new draft, as it is. */
  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      const xml = await file.text();
      const doc = await openDmn(xml);
      const draft = await api<{ id: string }>('POST', '/api/decision-drafts', {
        name: doc.name || file.name.replace(/\.dmn$/i, ''),
        dmnXml: xml,
      });
      onOpen(draft.id);
    } catch (e) {
      setError(`${file.name}: ${(e as Error).message}`);
    }
  }

  /** A deployed version opened again as a new draft, to change it. */
  async function editVersion(decisionKey: string, name: string) {
    try {
      const version = await api<{ dmnXml: string }>(
        'GET',
        `/api/decision-definitions/${decisionKey}`,
      );
      const draft = await api<{ id: string }>('POST', '/api/decision-drafts', {
        name,
        dmnXml: version.dmnXml,
      });
      onOpen(draft.id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section className="decision-list">
      <h2>Rules</h2>
      <p>
        <button className="link" onClick={onUsage}>
          Which processes use which decisions →
        </button>
      </p>
      <form onSubmit={create} className="inline-form">
        <input
          aria-label="New decision name"
          placeholder="Name of the new decision"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
          required
        />
        <button type="submit">New decision</button>
        <label className="file-button">
          Import DMN file
          <input type="file" accept=".dmn,.xml" aria-label="DMN file" onChange={importFile} />
        </label>
      </form>
      {error && <p role="alert">{error}</p>}
      <table aria-label="Decision drafts">
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
        <div className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page + 1} of {Math.ceil(drafts.total / PAGE_SIZE)}
          </span>
          <button
            disabled={(page + 1) * PAGE_SIZE >= drafts.total}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </div>
      )}
      <h3>Deployed decisions</h3>
      <table aria-label="Deployed decisions">
        <thead>
          <tr>
            <th>Decision</th>
            <th>Name</th>
            <th>Latest version</th>
            <th>Versions</th>
          </tr>
        </thead>
        <tbody>
          {deployed?.items.map((d) => (
            <tr key={d.decisionId}>
              <td>
                <code>{d.decisionId}</code>
              </td>
              <td>{d.name}</td>
              <td>{d.latestVersion}</td>
              <td>
                {d.versions.map((v) => (
                  <span key={v.decisionKey} className="version">
                    v{v.version} ({v.decisionRequirementsId},{' '}
                    {new Date(v.deployedAt).toLocaleString()}){' '}
                    <button
                      className="link"
                      aria-label={`Edit ${d.decisionId} version ${v.version} as a new draft`}
                      onClick={() => editVersion(v.decisionKey, `${d.name} (from v${v.version})`)}
                    >
                      edit
                    </button>
                  </span>
                ))}
              </td>
            </tr>
          ))}
          {deployed?.items.length === 0 && (
            <tr>
              <td colSpan={4}>No decision deployed yet.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
