/**
 * The analyst's deployed processes (paged on the server), each with all its versions: download
 * a version's BPMN, compare a version with the one before, start an instance with variables,
 * delete a version (after an inline confirmation; the server refuses while instances run, and
 * its message is shown as it is).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { navigate } from '../routing';

export interface ProcessDefinitionVersion {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly versionTag?: string;
  readonly deployedAt: string;
}

interface ProcessSummary {
  readonly bpmnProcessId: string;
  readonly latestVersion: number;
  readonly versions: ProcessDefinitionVersion[];
}

const PAGE_SIZE = 20;

export function ProcessDefinitions() {
  const [page, setPage] = useState(0);
  const [processes, setProcesses] = useState<{ items: ProcessSummary[]; total: number }>();
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState<ProcessDefinitionVersion>();
  const [deletion, setDeletion] = useState<{ kind: 'info' | 'error'; text: string }>();
  // Bumped after a deletion so that the page is read again from the server.
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    api<{ items: ProcessSummary[]; total: number }>(
      'GET',
      `/api/process-definitions?limit=${PAGE_SIZE}&offset=${page * PAGE_SIZE}`,
    ).then(setProcesses, (e) => setError((e as Error).message));
  }, [page, reloads]);

  return (
    <section className="process-definitions">
      <h2>Deployed processes</h2>
      {error && <p role="alert">{error}</p>}
      {deletion && (
        <p role={deletion.kind === 'error' ? 'alert' : 'status'} className="deletion-result">
          {deletion.text}
        </p>
      )}
      {processes?.total === 0 && <p>Nothing deployed yet: open a draft and deploy it.</p>}
      <table>
        <thead>
          <tr>
            <th>Process</th>
            <th>Version</th>
            <th>Deployed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {processes?.items.flatMap((p) =>
            p.versions.map((v, index) => (
              <tr
                key={v.processDefinitionKey}
                data-process={p.bpmnProcessId}
                data-version={v.version}
              >
                <td>{index === 0 ? <strong>{p.bpmnProcessId}</strong> : null}</td>
                <td>
                  {v.version}
                  {v.versionTag ? ` (${v.versionTag})` : ''}
                  {v.version === p.latestVersion && <span className="latest"> (latest)</span>}
                </td>
                <td>{new Date(v.deployedAt).toLocaleString()}</td>
                <td className="actions">
                  <button onClick={() => setStarting(v)}>Start instance</button>
                  <a href={`/api/process-definitions/${v.processDefinitionKey}/bpmn`} download>
                    Download BPMN
                  </a>
                  {p.versions[index + 1] && (
                    <button
                      className="link"
                      onClick={() =>
                        navigate(
                          'definitions',
                          'diff',
                          p.versions[index + 1].processDefinitionKey,
                          v.processDefinitionKey,
                        )
                      }
                    >
                      Compare with version {p.versions[index + 1].version}
                    </button>
                  )}
                  <DeleteVersion
                    version={v}
                    onDone={(result) => {
                      setDeletion(result);
                      if (result.kind === 'info') setReloads((n) => n + 1);
                    }}
                  />
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {processes && processes.total > PAGE_SIZE && (
        <nav className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            {page * PAGE_SIZE + 1}–{Math.min(processes.total, (page + 1) * PAGE_SIZE)} of{' '}
            {processes.total}
          </span>
          <button
            disabled={(page + 1) * PAGE_SIZE >= processes.total}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </nav>
      )}
      {starting && <StartInstance version={starting} onDone={() => setStarting(undefined)} />}
    </section>
  );
}

/** "Delete version N", then "Really delete version N?" or "Keep": one click never deletes. */
function DeleteVersion({
  version,
  onDone,
}: {
  version: ProcessDefinitionVersion;
  onDone: (result: { kind: 'info' | 'error'; text: string }) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    try {
      await api('DELETE', `/api/process-definitions/${version.processDefinitionKey}`);
      onDone({
        kind: 'info',
        text: `Deleted ${version.bpmnProcessId} version ${version.version}`,
      });
    } catch (e) {
      onDone({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  if (!confirming)
    return <button onClick={() => setConfirming(true)}>Delete version {version.version}</button>;
  return (
    <span className="confirm-delete">
      <button disabled={busy} onClick={remove}>
        Really delete version {version.version}?
      </button>
      <button onClick={() => setConfirming(false)}>Keep</button>
    </span>
  );
}

function StartInstance({
  version,
  onDone,
}: {
  version: ProcessDefinitionVersion;
  onDone: () => void;
}) {
  const [variables, setVariables] = useState('{\n  "businessKey": ""\n}');
  const [result, setResult] = useState<{ kind: 'info' | 'error'; text: string }>();

  async function start(event: FormEvent) {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = variables.trim() ? JSON.parse(variables) : {};
    } catch (e) {
      setResult({
        kind: 'error',
        text: `Variables must be a JSON object: ${(e as Error).message}`,
      });
      return;
    }
    try {
      const created = await api<{ processInstanceKey: string }>('POST', '/api/process-instances', {
        bpmnProcessId: version.bpmnProcessId,
        version: version.version,
        variables: parsed,
      });
      setResult({ kind: 'info', text: `Started instance ${created.processInstanceKey}` });
    } catch (e) {
      setResult({ kind: 'error', text: (e as Error).message });
    }
  }

  return (
    <form className="start-instance" onSubmit={start} aria-label="Start instance">
      <h3>
        Start {version.bpmnProcessId} version {version.version}
      </h3>
      <label>
        Variables (JSON)
        <textarea rows={5} value={variables} onChange={(e) => setVariables(e.target.value)} />
      </label>
      <div className="inline-form">
        <button type="submit">Start</button>
        <button type="button" onClick={onDone}>
          Close
        </button>
      </div>
      {result && <p role={result.kind === 'error' ? 'alert' : 'status'}>{result.text}</p>}
    </form>
  );
}
