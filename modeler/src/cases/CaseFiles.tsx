/**
 * Case files for case workers (`#/cases`, `#/cases/<claim reference>`): the latest claims the
 * user may see, and per claim the claimant's case file — every claim the similarity check takes
 * for the same person, across channels and recipients, with each item's steps. An office sees
 * its recipients' claims only; the server decides what is shown.
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
}

interface CaseFile {
  readonly claimantName: string;
  readonly hiddenClaims: number;
  readonly claims: {
    claim: Claim;
    match?: { score: number; material: boolean; reasons: string[] };
    item?: { reference: string; channel: string; subject: string | null; receivedAt: string };
    steps: { at: string; status: string; detail: string | null }[];
  }[];
}

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
          {file.claims.map(({ claim, match, item, steps }) => (
            <article key={claim.reference} className="case-claim" data-testid="case-claim">
              <h3>
                {claim.reference} — {claim.recipientId} by {item?.channel ?? claim.channel}
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
          ))}
        </>
      )}
    </section>
  );
}
