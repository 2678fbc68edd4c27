/**
 * The analyst's forms: drafts being edited, deployed form keys with their latest version, and
 * the way to start a new form or a new version of a deployed one (a draft made from it).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { compileForm, emptyForm } from './form-model';
import type { DeployedFormKey, FormDraft, FormDraftSummary, FormVersion } from './forms-api';

export function FormList({
  onOpen,
  onUsage,
}: {
  onOpen: (draftId: string) => void;
  onUsage: () => void;
}) {
  const [drafts, setDrafts] = useState<FormDraftSummary[]>();
  const [deployed, setDeployed] = useState<DeployedFormKey[]>();
  const [formKey, setFormKey] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ items: FormDraftSummary[] }>('GET', '/api/form-drafts?limit=200').then(
      (page) => setDrafts(page.items),
      (e) => setError((e as Error).message),
    );
    api<{ items: DeployedFormKey[] }>('GET', '/api/forms').then(
      (list) => setDeployed(list.items),
      (e) => setError((e as Error).message),
    );
  }, []);

  /** Opens the key's draft; without one, makes it from the latest version or from nothing. */
  async function openKey(key: string, name: string, fromVersion?: number) {
    const existing = drafts?.find((d) => d.formKey === key);
    if (existing) {
      onOpen(existing.id);
      return;
    }
    const source = fromVersion
      ? await api<FormVersion>('GET', `/api/forms/${key}/versions/${fromVersion}`)
      : { ...compileForm(emptyForm(name)), name };
    try {
      const draft = await api<FormDraft>('POST', '/api/form-drafts', {
        formKey: key,
        name: source.name,
        jsonSchema: source.jsonSchema,
        uiSchema: source.uiSchema,
      });
      onOpen(draft.id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const latest = deployed?.find((d) => d.formKey === formKey);
    try {
      await openKey(formKey, title || formKey, latest?.latestVersion);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }

  const draftKeys = new Set(drafts?.map((d) => d.formKey));
  return (
    <section className="form-list">
      <h2>Forms</h2>
      <p>
        <button className="link" onClick={onUsage}>
          Which processes use which forms →
        </button>
      </p>
      <form onSubmit={create} className="inline-form">
        <input
          aria-label="Form key"
          placeholder="Form key, e.g. claim-check"
          pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,127}"
          title="Letters, digits, '-' or '_'"
          value={formKey}
          onChange={(e) => setFormKey(e.target.value)}
          required
        />
        <input
          aria-label="Form title"
          placeholder="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <button type="submit">New form</button>
      </form>
      {error && <p role="alert">{error}</p>}
      <h3>Drafts</h3>
      <table>
        <thead>
          <tr>
            <th>Form key</th>
            <th>Title</th>
            <th>Revision</th>
            <th>Last saved</th>
          </tr>
        </thead>
        <tbody>
          {drafts?.map((d) => (
            <tr key={d.id} data-testid="form-draft-row">
              <td>
                <button className="link" onClick={() => onOpen(d.id)}>
                  {d.formKey}
                </button>
              </td>
              <td>{d.name}</td>
              <td>{d.revision}</td>
              <td>
                {new Date(d.updatedAt).toLocaleString()} by {d.updatedBy}
              </td>
            </tr>
          ))}
          {drafts?.length === 0 && (
            <tr>
              <td colSpan={4} className="empty">
                No drafts yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <h3>Deployed</h3>
      <table>
        <thead>
          <tr>
            <th>Form key</th>
            <th>Title</th>
            <th>Latest version</th>
            <th>Deployed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {deployed?.map((d) => (
            <tr key={d.formKey} data-testid="deployed-form-row">
              <td>{d.formKey}</td>
              <td>{d.name}</td>
              <td>v{d.latestVersion}</td>
              <td>
                {new Date(d.deployedAt).toLocaleString()} by {d.deployedBy}
              </td>
              <td>
                <button
                  className="link"
                  onClick={() =>
                    openKey(d.formKey, d.name, d.latestVersion).catch((e) =>
                      setError((e as Error).message),
                    )
                  }
                >
                  {draftKeys.has(d.formKey) ? 'Open draft' : 'Edit as new version'}
                </button>
              </td>
            </tr>
          ))}
          {deployed?.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                No form deployed yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
