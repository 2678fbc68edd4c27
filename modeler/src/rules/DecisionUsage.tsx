/**
 * Which process versions call which decision versions (`#/rules/usage`): per deployed decision
 * id, its versions, and the deployed process versions whose business rule tasks call it — with
 * the decision version that was the latest when each process version was deployed, and the one
 * its tasks evaluate now (the latest, for the default binding). Tasks that name their decision by
 * a FEEL expression are listed apart: only the run time knows which decision they call.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import './rules.css';

interface CallingTask {
  readonly elementId: string;
  readonly name: string | null;
  readonly bindingType: string;
  readonly versionTag: string | null;
}

interface CallingProcess {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
  readonly deployedAt: string;
}

interface Usage {
  readonly decisionId: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly versions: {
    readonly decisionKey: string;
    readonly version: number;
    readonly decisionRequirementsId: string;
    readonly deployedAt: string;
  }[];
  readonly processes: (CallingProcess & {
    readonly businessRuleTasks: CallingTask[];
    readonly decisionVersionAtDeployment: number | null;
  })[];
}

interface DynamicCall extends CallingProcess {
  readonly businessRuleTasks: (CallingTask & { readonly decisionIdExpression: string })[];
}

const taskLabel = (task: CallingTask) =>
  `${task.name ?? task.elementId}${task.bindingType === 'latest' ? '' : ` (binding: ${task.bindingType}${task.versionTag ? ` ${task.versionTag}` : ''})`}`;

export function DecisionUsage({ onBack }: { onBack: () => void }) {
  const [usage, setUsage] = useState<{ items: Usage[]; dynamic: DynamicCall[] }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ items: Usage[]; dynamic: DynamicCall[] }>('GET', '/api/decisions/usage').then(
      setUsage,
      (e) => setError((e as Error).message),
    );
  }, []);

  return (
    <section className="decision-usage">
      <p>
        <button className="link" onClick={onBack}>
          ← Rules
        </button>
      </p>
      <h2>Decisions in processes</h2>
      {error && <p role="alert">{error}</p>}
      {usage?.items.length === 0 && <p className="empty">No decision deployed yet.</p>}
      {usage?.items.map((decision) => (
        <article
          key={decision.decisionId}
          data-testid="decision-usage"
          data-decision-id={decision.decisionId}
        >
          <h3>
            <code>{decision.decisionId}</code> <small>{decision.name}</small>
          </h3>
          <p>
            Versions:{' '}
            {decision.versions
              .map(
                (v) =>
                  `v${v.version} (${v.decisionRequirementsId}, ${new Date(v.deployedAt).toLocaleString()})`,
              )
              .join(' · ')}
          </p>
          {decision.processes.length === 0 ? (
            <p className="empty">No deployed process calls this decision.</p>
          ) : (
            <table aria-label={`Processes calling ${decision.decisionId}`}>
              <thead>
                <tr>
                  <th>Process</th>
                  <th>Version</th>
                  <th>Business rule tasks</th>
                  <th>Decision version at deployment</th>
                  <th>Tasks evaluate now</th>
                </tr>
              </thead>
              <tbody>
                {decision.processes.map((p) => (
                  <tr key={p.processDefinitionKey} data-testid="decision-usage-process">
                    <td>{p.bpmnProcessId}</td>
                    <td>v{p.version}</td>
                    <td>
                      <ul>
                        {p.businessRuleTasks.map((t) => (
                          <li key={t.elementId}>{taskLabel(t)}</li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      {p.decisionVersionAtDeployment === null
                        ? 'none (deployed before the decision)'
                        : `v${p.decisionVersionAtDeployment}`}
                    </td>
                    <td>
                      {p.businessRuleTasks.every((t) => t.bindingType === 'latest')
                        ? `v${decision.latestVersion}`
                        : 'as bound (see the tasks)'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      ))}
      {usage && usage.dynamic.length > 0 && (
        <article data-testid="decision-usage-dynamic">
          <h3>Dynamic calls</h3>
          <p className="empty">
            These tasks name their decision by a FEEL expression; which decision they call is only
            known when they run.
          </p>
          <table aria-label="Dynamic decision calls">
            <thead>
              <tr>
                <th>Process</th>
                <th>Version</th>
                <th>Business rule task</th>
                <th>Decision id expression</th>
              </tr>
            </thead>
            <tbody>
              {usage.dynamic.flatMap((p) =>
                p.businessRuleTasks.map((t) => (
                  <tr key={`${p.processDefinitionKey}-${t.elementId}`}>
                    <td>{p.bpmnProcessId}</td>
                    <td>v{p.version}</td>
                    <td>{taskLabel(t)}</td>
                    <td>
                      <code>{t.decisionIdExpression}</code>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </article>
      )}
    </section>
  );
}
