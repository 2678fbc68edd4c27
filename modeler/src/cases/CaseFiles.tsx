/**
 * Case files for case workers (`#/cases`, `#/cases/<claim reference>`): the latest claims the
 * user may see, and per claim the claimant's case file — every claim the similarity check takes
 * for the same person, across channels and recipients, with each item's steps, the escalation's
 * decision, merges (into which claim; which claims went into this one) and the letters and faxes
 * sent. An office sees its recipients' claims only; the server decides what is shown.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { navigate } from '../routing';
import './cases.css';

interface Claim {
  readonly reference: string;
  readonly recipientId: string;
  readonly channel: string;
  readonly claimantName: string;
  readonly birthDate?: string;
  readonly street?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly items: string[];
  readonly status: 'open' | 'rejected' | 'merged';
}

interface Merge {
  readonly itemsAdded: string[];
  readonly by: string | null;
  readonly at: string;
  readonly processInstanceKey: string;
}

interface CaseFile {
  readonly claimantName: string;
  readonly hiddenClaims: number;
  readonly claims: {
    claim: Claim;
    match?: { score: number; material: boolean; reasons: string[]; via?: string };
    decision?: { decision: string; by: string | null; at: string; note: string | null };
    mergedInto?: Merge & { reference: string; recipientId: string };
    mergedClaims: (Merge & {
      reference: string | null;
      recipientId: string | null;
      channel: string;
    })[];
    documents: {
      kind: 'letter' | 'fax';
      filename: string;
      destination: string;
      state: 'rendered' | 'handed-over';
      handedTo: string | null;
      at: string;
    }[];
    tasks: {
      key: string;
      name: string;
      state: 'open' | 'completed' | 'canceled';
      assignee: string | null;
      candidateGroups: string[];
      createdAt: string;
      completedBy: string | null;
      completedAt: string | null;
    }[];
    item?: { reference: string; channel: string; subject: string | null; receivedAt: string };
    steps: { at: string; status: string; detail: string | null }[];
  }[];
}

const wishes = (items: string[]) => (items.length > 0 ? items.join(', ') : 'no new wishes');

export function CaseFilesSection({ reference }: { reference?: string }) {
  return reference ? <CaseFileView key={reference} reference={reference} /> : <CaseList />;
}

function CaseList() {
  const [claims, setClaims] = useState<Claim[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<Claim[]>('GET', '/api/case-files').then(setClaims, (e) => setError((e as Error).message));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!claims) return <p className="loading">Loading…</p>;
  return (
    <section className="cases">
      <h2>Case files</h2>
      {claims.length === 0 ? (
        <p className="empty">No claims yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Claim</th>
              <th>Claimant</th>
              <th>Recipient</th>
              <th>Channel</th>
              <th>Status</th>
              <th>Wishes</th>
            </tr>
          </thead>
          <tbody>
            {claims.map((c) => (
              <tr key={c.reference} data-testid="case-row">
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => navigate('cases', c.reference)}
                  >
                    {c.reference}
                  </button>
                </td>
                <td>{c.claimantName}</td>
                <td>{c.recipientId}</td>
                <td>{c.channel}</td>
                <td>{c.status}</td>
                <td>{c.items.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CaseFileView({ reference }: { reference: string }) {
  const [file, setFile] = useState<CaseFile>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<CaseFile>('GET', `/api/case-files/${encodeURIComponent(reference)}`).then(setFile, (e) =>
      setError((e as Error).message),
    );
  }, [reference]);
  return (
    <section className="cases">
      <button type="button" className="link" onClick={() => navigate('cases')}>
        ← All case files
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!file && !error && <p className="loading">Loading…</p>}
      {file && (
        <>
          <h2>Case file: {file.claimantName}</h2>
          {file.hiddenClaims > 0 && (
            <p className="hint" data-testid="hidden-claims">
              {file.hiddenClaims} more claim(s) by this claimant at other recipients (seen by the
              central team).
            </p>
          )}
          {file.claims.map(
            ({
              claim,
              match,
              decision,
              mergedInto,
              mergedClaims,
              documents,
              tasks,
              item,
              steps,
            }) => (
              <article key={claim.reference} className="case-claim" data-testid="case-claim">
                <h3>
                  {claim.reference} — {claim.recipientId} by {item?.channel ?? claim.channel}
                  {claim.status !== 'open' && (
                    <span className="badge" data-testid="claim-status">
                      {claim.status}
                    </span>
                  )}
                  {match && (
                    <span className={match.material ? 'badge duplicate' : 'badge'}>
                      {match.material ? 'duplicate claim' : 'same claimant'} ·{' '}
                      {Math.round(match.score * 100)} %
                    </span>
                  )}
                </h3>
                <p>
                  {claim.claimantName}
                  {claim.birthDate ? `, born ${claim.birthDate}` : ''}
                  {claim.street ? `, ${claim.street}` : ''}
                  {claim.postalCode ? `, ${claim.postalCode} ${claim.city ?? ''}` : ''}
                </p>
                <p>Wishes: {claim.items.join(', ')}</p>
                {match && <p className="hint">Why: {match.reasons.join('; ')}</p>}
                {decision && (
                  <p data-testid="claim-decision">
                    Decided: {decision.decision} by {decision.by ?? 'the escalation team'},{' '}
                    {new Date(decision.at).toLocaleString()}
                    {decision.note ? ` — ${decision.note}` : ''}
                  </p>
                )}
                {mergedInto && (
                  <p data-testid="merged-into">
                    Merged into{' '}
                    <button
                      type="button"
                      className="link"
                      onClick={() => navigate('cases', mergedInto.reference)}
                    >
                      {mergedInto.reference}
                    </button>{' '}
                    ({mergedInto.recipientId}) by {mergedInto.by ?? 'the escalation team'},{' '}
                    {new Date(mergedInto.at).toLocaleString()}, process instance{' '}
                    {mergedInto.processInstanceKey}; added: {wishes(mergedInto.itemsAdded)}
                  </p>
                )}
                {mergedClaims.length > 0 && (
                  <div data-testid="merged-claims">
                    Merged into this claim:
                    <ul>
                      {mergedClaims.map((m, i) => (
                        <li key={i}>
                          {m.reference ?? 'a claim at another recipient'}
                          {m.recipientId
                            ? ` (${m.recipientId} by ${m.channel})`
                            : ` (by ${m.channel})`}{' '}
                          — added: {wishes(m.itemsAdded)}; by {m.by ?? 'the escalation team'},{' '}
                          {new Date(m.at).toLocaleString()}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {documents.length > 0 && (
                  <div data-testid="claim-documents">
                    Sent:
                    <ul>
                      {documents.map((d) => (
                        <li key={d.filename}>
                          {d.kind === 'letter' ? 'Letter' : 'Fax'} {d.filename} to{' '}
                          {d.destination.replace(/\n/g, ', ')} —{' '}
                          {d.state === 'handed-over'
                            ? d.kind === 'letter'
                              ? 'in the letter outbox'
                              : `sent through ${d.handedTo}`
                            : 'prepared'}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {tasks.length > 0 && (
                  <div data-testid="claim-tasks">
                    Tasks:
                    <ul>
                      {tasks.map((t) => (
                        <li key={t.key}>
                          {t.name} ({t.candidateGroups.join(', ') || 'anyone'}) —{' '}
                          {t.state === 'completed'
                            ? `done by ${t.completedBy ?? 'someone'}, ${new Date(t.completedAt ?? t.createdAt).toLocaleString()}`
                            : t.state === 'canceled'
                              ? 'no longer needed'
                              : t.assignee
                                ? `open, with ${t.assignee}`
                                : 'open'}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {item && (
                  <p className="hint">
                    Item {item.reference}, received {new Date(item.receivedAt).toLocaleString()}
                  </p>
                )}
                <ol className="case-steps">
                  {steps.map((s, i) => (
                    <li key={i}>
                      {new Date(s.at).toLocaleString()} — {s.status}
                      {s.detail ? ` (${s.detail})` : ''}
                    </li>
                  ))}
                </ol>
              </article>
            ),
          )}
        </>
      )}
    </section>
  );
}
