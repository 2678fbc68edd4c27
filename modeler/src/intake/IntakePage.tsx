/**
 * The public intake form of one recipient (`#/intake/<recipient>`), for anyone, without sign-in:
 * the recipient's JSON Schema rendered by `@rjsf/core`, validated in the browser and again by the
 * server, answered with the reference number to quote in any follow-up. Without a recipient it
 * lists the recipients to choose from.
 */
import { useEffect, useMemo, useState } from 'react';
import Form, { type IChangeEvent } from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { api } from '../api';
import { navigate } from '../routing';
import './intake.css';

type FormValues = Record<string, unknown>;

interface IntakeForm {
  readonly recipient: { readonly id: string; readonly name: string };
  readonly schema: RJSFSchema;
  readonly uiSchema: UiSchema;
}

export function IntakePage({ recipientId }: { recipientId?: string }) {
  return (
    <main className="intake">
      {recipientId ? <RecipientForm key={recipientId} recipientId={recipientId} /> : <Recipients />}
    </main>
  );
}

function Recipients() {
  const [recipients, setRecipients] = useState<{ id: string; name: string }[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ id: string; name: string }[]>('GET', '/api/intake/recipients').then(setRecipients, (e) =>
      setError((e as Error).message),
    );
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!recipients) return <p className="loading">Loading…</p>;
  return (
    <>
      <h1>Send your wish list</h1>
      <ul className="intake-recipients">
        {recipients.map((r) => (
          <li key={r.id}>
            <button type="button" onClick={() => navigate('intake', r.id)}>
              {r.name}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function RecipientForm({ recipientId }: { recipientId: string }) {
  const [form, setForm] = useState<IntakeForm>();
  const [formData, setFormData] = useState<FormValues>({});
  const [error, setError] = useState<string>();
  const [reference, setReference] = useState<string>();
  const [statusToken, setStatusToken] = useState<string>();
  const [busy, setBusy] = useState(false);
  // One key per filled-in form: a retried send after a lost answer is stored once.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);

  useEffect(() => {
    api<IntakeForm>('GET', `/api/intake/recipients/${encodeURIComponent(recipientId)}/form`).then(
      setForm,
      (e) => setError((e as Error).message),
    );
  }, [recipientId]);

  async function send(values: FormValues) {
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch(
        `/api/intake/recipients/${encodeURIComponent(recipientId)}/submissions`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(values),
        },
      );
      const body = (await res.json().catch(() => ({}))) as {
        reference?: string;
        statusToken?: string;
        message?: string;
      };
      if (res.ok && body.reference) {
        setStatusToken(body.statusToken);
        setReference(body.reference);
      } else setError(body.message ?? `Sending failed (${res.status})`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (reference) {
    return (
      <section className="intake-done" aria-live="polite">
        <h1>Thank you!</h1>
        <p>
          {form?.recipient.name ?? 'We'} received your wish list. Your reference number is{' '}
          <strong data-testid="intake-reference">{reference}</strong>; please quote it if you write
          again.
        </p>
        {statusToken && (
          <p>
            <a href={`#/status/${reference}/${statusToken}`} data-testid="intake-status-link">
              See how your wish list is doing
            </a>{' '}
            (keep this link: it is yours alone).
          </p>
        )}
      </section>
    );
  }
  if (!form) return error ? <p role="alert">{error}</p> : <p className="loading">Loading…</p>;
  return (
    <>
      <h1>Wish list for {form.recipient.name}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <Form
        schema={form.schema}
        uiSchema={form.uiSchema}
        validator={validator}
        formData={formData}
        onChange={(e: IChangeEvent<FormValues>) => setFormData(e.formData ?? {})}
        onSubmit={(e: IChangeEvent<FormValues>) => send(e.formData ?? {})}
        disabled={busy}
        noHtml5Validate
        showErrorList="top"
      >
        <button type="submit" disabled={busy}>
          Send wish list
        </button>
      </Form>
    </>
  );
}
