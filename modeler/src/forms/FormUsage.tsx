/**
 * Which process versions use which form versions: per deployed form key, its versions, and the
 * deployed process versions whose user tasks name it — with the form version that was the
 * latest when each process version was deployed, and the one its tasks show now (the latest).
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { FormUsage as Usage } from './forms-api';
import './forms.css';

export function FormUsage({ onBack }: { onBack: () => void }) {
  const [usage, setUsage] = useState<Usage[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ items: Usage[] }>('GET', '/api/forms/usage').then(
      (list) => setUsage(list.items),
      (e) => setError((e as Error).message),
    );
  }, []);

  return (
    <section className="form-usage">
      <p>
        <button className="link" onClick={onBack}>
          ← Forms
        </button>
      </p>
      <h2>Forms in processes</h2>
      {error && <p role="alert">{error}</p>}
      {usage?.length === 0 && <p className="empty">No form deployed yet.</p>}
      {usage?.map((form) => (
        <article key={form.formKey} data-testid="form-usage" data-form-key={form.formKey}>
          <h3>
            {form.formKey} <small>{form.name}</small>
          </h3>
          <p>
            Versions:{' '}
            {form.versions
              .map(
                (v) =>
                  `v${v.version} (${new Date(v.deployedAt).toLocaleString()}, ${v.deployedBy})`,
              )
              .join(' · ')}
          </p>
          {form.processes.length === 0 ? (
            <p className="empty">No deployed process uses this form.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Process</th>
                  <th>Version</th>
                  <th>User tasks</th>
                  <th>Form version at deployment</th>
                  <th>Tasks show now</th>
                </tr>
              </thead>
              <tbody>
                {form.processes.map((p) => (
                  <tr key={p.processDefinitionKey} data-testid="form-usage-process">
                    <td>{p.bpmnProcessId}</td>
                    <td>v{p.version}</td>
                    <td>
                      <ul>
                        {p.userTasks.map((t) => (
                          <li key={t.elementId}>{t.name ?? t.elementId}</li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      {p.formVersionAtDeployment === null
                        ? 'none (deployed before the form)'
                        : `v${p.formVersionAtDeployment}`}
                    </td>
                    <td>v{form.latestVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      ))}
    </section>
  );
}
