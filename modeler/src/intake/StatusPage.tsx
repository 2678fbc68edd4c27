/**
 * Status at a button press for a claimant (`#/status/<reference>/<token>`), without sign-in: the
 * latest step of their item and every step before it, as the intake and the process recorded
 * them. The token came with the answer to their submission.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import './intake.css';

interface StatusView {
  readonly reference: string;
  readonly recipientId: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly status: string;
  readonly events: { at: string; status: string; detail: string | null }[];
}

export function StatusPage({ reference, token }: { reference?: string; token?: string }) {
  const [view, setView] = useState<StatusView>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!reference || !token) {
      setError('This link is incomplete: it needs the reference and the status token.');
      return;
    }
    api<StatusView>(
      'GET',
      `/api/intake/status/${encodeURIComponent(reference)}?token=${encodeURIComponent(token)}`,
    ).then(setView, (e) => setError((e as Error).message));
  }, [reference, token]);
  return (
    <main className="intake">
      <h1>Status of {reference ?? 'your item'}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!view && !error && <p className="loading">Loading…</p>}
      {view && (
        <>
          <p>
            Now: <strong data-testid="status-now">{view.status}</strong>
          </p>
          <ol className="intake-history" data-testid="status-history">
            {view.events.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> — {e.status}
                {e.detail ? ` (${e.detail})` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </main>
  );
}
