/**
 * The form editor: a palette of field kinds, the form's fields as a tree (select, move, delete),
 * the selected field's properties, and beside them a live `@rjsf/core` preview of the form as a
 * caseworker will see it. Saves the draft with its revision (a save based on an old revision
 * is refused, not merged) and deploys it as the next version of its form key.
 */
import { Component, useEffect, useMemo, useState, type ReactNode } from 'react';
import Form, { type IChangeEvent } from '@rjsf/core';
import validator from '@rjsf/validator-ajv8';
import { api, ApiError } from '../api';
import { FieldProperties } from './FieldProperties';
import {
  addField,
  compileForm,
  deleteField,
  fieldAt,
  fieldsAt,
  FIELD_KINDS,
  formProblems,
  KIND_LABELS,
  moveField,
  parseForm,
  updateField,
  type FieldPath,
  type FormField,
  type FormModel,
} from './form-model';
import type { FormDraft, FormVersion, Json } from './forms-api';
import './forms.css';

type Status = { kind: 'info' | 'error'; text: string };

const samePath = (a: FieldPath | undefined, b: FieldPath) =>
  a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

export function FormEditor({ draftId, onClose }: { draftId: string; onClose: () => void }) {
  const [draft, setDraft] = useState<FormDraft>();
  const [form, setForm] = useState<FormModel>();
  const [selected, setSelected] = useState<FieldPath>();
  const [dirty, setDirty] = useState(false);
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);
  const [previewData, setPreviewData] = useState<Json>({});

  useEffect(() => {
    api<FormDraft>('GET', `/api/form-drafts/${draftId}`).then(
      (loaded) => {
        setDraft(loaded);
        setForm(parseForm(loaded.jsonSchema, loaded.uiSchema));
      },
      (e) => setStatus({ kind: 'error', text: (e as Error).message }),
    );
  }, [draftId]);

  const compiled = useMemo(() => form && compileForm(form), [form]);
  const problems = useMemo(() => (form ? formProblems(form) : []), [form]);

  if (!draft || !form || !compiled) {
    return status ? <p role="alert">{status.text}</p> : <p className="loading">Loading form…</p>;
  }

  const edit = (next: FormModel, nextSelected: FieldPath | undefined = selected) => {
    setForm(next);
    setSelected(nextSelected);
    setDirty(true);
  };

  /** New fields go into the selected section or group, else beside the selected field. */
  const target: FieldPath = (() => {
    if (!selected) return [];
    const field = fieldAt(form, selected);
    return field?.fields ? selected : selected.slice(0, -1);
  })();
  const targetName = target.length === 0 ? 'the form' : (fieldAt(form, target)?.label ?? '');

  async function save(): Promise<FormDraft | undefined> {
    if (problems.length > 0) {
      setStatus({ kind: 'error', text: `Not saved: ${problems.join('; ')}` });
      return undefined;
    }
    setBusy(true);
    try {
      const saved = await api<FormDraft>('PUT', `/api/form-drafts/${draftId}`, {
        name: form!.title || draft!.formKey,
        jsonSchema: compiled!.jsonSchema,
        uiSchema: compiled!.uiSchema,
        basedOnRevision: draft!.revision,
      });
      setDraft(saved);
      setDirty(false);
      setStatus({ kind: 'info', text: `Saved (revision ${saved.revision})` });
      return saved;
    } catch (e) {
      setStatus({
        kind: 'error',
        text:
          e instanceof ApiError && e.status === 409
            ? `${e.message}. Your changes are still here; reload the page to see theirs.`
            : (e as Error).message,
      });
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function deploy() {
    const current = dirty ? await save() : draft;
    if (!current) return;
    setBusy(true);
    try {
      const version = await api<FormVersion>('POST', `/api/form-drafts/${draftId}/deploy`, {
        basedOnRevision: current.revision,
      });
      setStatus({
        kind: 'info',
        text: version.duplicate
          ? `Unchanged since version ${version.version}; nothing deployed`
          : `Deployed ${version.formKey} version ${version.version}`,
      });
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  function renderFields(fields: readonly FormField[], container: FieldPath): ReactNode {
    return (
      <ol className="field-tree">
        {fields.map((field, index) => {
          const path = [...container, index];
          return (
            <li key={field.id}>
              <div
                className={`field-item${samePath(selected, path) ? ' selected' : ''}`}
                data-testid="field-item"
              >
                <button
                  className="field-select"
                  onClick={() => setSelected(path)}
                  aria-pressed={samePath(selected, path)}
                >
                  <strong>{field.label || field.name}</strong>
                  <span className="field-meta">
                    {KIND_LABELS[field.kind]} · {field.name}
                    {field.required ? ' · required' : ''}
                    {field.condition ? ` · when ${field.condition.field}` : ''}
                  </span>
                </button>
                <button
                  aria-label={`Move ${field.label} up`}
                  disabled={index === 0}
                  onClick={() => {
                    const moved = moveField(form!, path, -1);
                    edit(moved.form, moved.path);
                  }}
                >
                  ↑
                </button>
                <button
                  aria-label={`Move ${field.label} down`}
                  disabled={index === fields.length - 1}
                  onClick={() => {
                    const moved = moveField(form!, path, 1);
                    edit(moved.form, moved.path);
                  }}
                >
                  ↓
                </button>
                <button
                  aria-label={`Delete ${field.label}`}
                  onClick={() => edit(deleteField(form!, path), undefined)}
                >
                  ✕
                </button>
              </div>
              {field.fields && (
                <div className="field-children">
                  {field.fields.length === 0 ? (
                    <p className="hint">Select it and add fields from the palette.</p>
                  ) : (
                    renderFields(field.fields, path)
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    );
  }

  const selectedField = selected && fieldAt(form, selected);
  return (
    <section className="form-editor">
      <div className="toolbar">
        <button className="link" onClick={onClose}>
          ← Forms
        </button>
        <h2>
          {draft.formKey} <small>revision {draft.revision}</small>
        </h2>
        <button disabled={busy || !dirty} onClick={() => void save()}>
          Save draft
        </button>
        <button disabled={busy} onClick={() => void deploy()}>
          Deploy
        </button>
        {status && (
          <span
            role={status.kind === 'error' ? 'alert' : 'status'}
            className={`status ${status.kind}`}
          >
            {status.text}
          </span>
        )}
      </div>
      <div className="form-workspace">
        <div className="form-structure">
          <label className="property">
            <span>Form title</span>
            <input value={form.title} onChange={(e) => edit({ ...form, title: e.target.value })} />
          </label>
          <div className="palette" role="toolbar" aria-label="Palette">
            <span className="hint">Add to {targetName}:</span>
            {FIELD_KINDS.map((kind) => (
              <button
                key={kind}
                aria-label={`Add ${KIND_LABELS[kind]}`}
                onClick={() => {
                  const added = addField(form, target, kind);
                  edit(added.form, added.path);
                }}
              >
                + {KIND_LABELS[kind]}
              </button>
            ))}
          </div>
          {form.fields.length === 0 ? (
            <p className="hint">No fields yet: add one from the palette.</p>
          ) : (
            renderFields(form.fields, [])
          )}
          {problems.length > 0 && (
            <ul className="problems" aria-label="Problems">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
        <div className="form-properties">
          {selectedField && selected ? (
            <FieldProperties
              key={selectedField.id}
              field={selectedField}
              siblings={fieldsAt(form, selected.slice(0, -1))}
              onChange={(change) => edit(updateField(form, selected, change))}
            />
          ) : (
            <p className="hint">Select a field to edit its label, validation and condition.</p>
          )}
        </div>
        <div className="form-preview" aria-label="Preview">
          <h3>Preview</h3>
          <PreviewBoundary schemaKey={JSON.stringify(compiled)}>
            <Form
              schema={compiled.jsonSchema}
              uiSchema={compiled.uiSchema}
              validator={validator}
              formData={previewData}
              onChange={(e: IChangeEvent<Json>) => setPreviewData(e.formData ?? {})}
              onSubmit={() => setStatus({ kind: 'info', text: 'The preview values are valid' })}
              noHtml5Validate
              showErrorList="top"
              transformErrors={(errors) => errors.filter((e) => e.name !== 'if')}
            >
              <button type="submit">Check preview</button>
            </Form>
          </PreviewBoundary>
        </div>
      </div>
    </section>
  );
}

/** A half-typed schema (say, a pattern being written) must not take the editor down with it. */
class PreviewBoundary extends Component<
  { schemaKey: string; children: ReactNode },
  { error?: string; schemaKey: string }
> {
  override state: { error?: string; schemaKey: string } = { schemaKey: this.props.schemaKey };

  static getDerivedStateFromError(error: Error) {
    return { error: error.message };
  }

  static getDerivedStateFromProps(
    props: { schemaKey: string },
    state: { error?: string; schemaKey: string },
  ) {
    return props.schemaKey === state.schemaKey
      ? null
      : { error: undefined, schemaKey: props.schemaKey };
  }

  override render() {
    return this.state.error ? (
      <p className="error">The preview cannot be drawn: {this.state.error}</p>
    ) : (
      this.props.children
    );
  }
}
