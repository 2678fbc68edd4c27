/**
 * Two versions of a process side by side: the older one with removed (red) and changed
 * (orange) elements, the newer one with added (green) and changed elements. The comparison is
 * the server's, by element id, attributes and extension elements.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { DiagramView } from './DiagramView';
import type { ProcessDefinitionVersion } from './ProcessDefinitions';

interface Diff {
  readonly from: ProcessDefinitionVersion;
  readonly to: ProcessDefinitionVersion;
  readonly added: string[];
  readonly removed: string[];
  readonly changed: { elementId: string; properties: string[] }[];
}

const marks = (ids: string[], marker: string) =>
  Object.fromEntries(ids.map((id) => [id, [marker]]));

export function ProcessDiff({ fromKey, toKey }: { fromKey: string; toKey: string }) {
  const [diff, setDiff] = useState<Diff>();
  const [xml, setXml] = useState<{ from: string; to: string }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    Promise.all([
      api<Diff>('GET', `/api/process-definitions/${toKey}/diff?against=${fromKey}`),
      api<{ bpmnXml: string }>('GET', `/api/process-definitions/${fromKey}`),
      api<{ bpmnXml: string }>('GET', `/api/process-definitions/${toKey}`),
    ]).then(
      ([d, from, to]) => {
        setDiff(d);
        setXml({ from: from.bpmnXml, to: to.bpmnXml });
      },
      (e) => setError((e as Error).message),
    );
  }, [fromKey, toKey]);

  if (error) return <p role="alert">{error}</p>;
  if (!diff || !xml) return <p>Loading…</p>;
  const changed = diff.changed.map((c) => c.elementId);
  return (
    <section className="process-diff">
      <h2>
        {diff.to.bpmnProcessId}: version {diff.from.version} → {diff.to.version}
      </h2>
      <p className="diff-legend">
        <span className="legend added">added {diff.added.length}</span>
        <span className="legend removed">removed {diff.removed.length}</span>
        <span className="legend changed">changed {diff.changed.length}</span>
      </p>
      <div className="diff-panes">
        <div>
          <h3>Version {diff.from.version}</h3>
          <DiagramView
            testId="diff-from"
            bpmnXml={xml.from}
            markers={{ ...marks(changed, 'diff-changed'), ...marks(diff.removed, 'diff-removed') }}
          />
        </div>
        <div>
          <h3>Version {diff.to.version}</h3>
          <DiagramView
            testId="diff-to"
            bpmnXml={xml.to}
            markers={{ ...marks(changed, 'diff-changed'), ...marks(diff.added, 'diff-added') }}
          />
        </div>
      </div>
      <ul className="diff-list" aria-label="Differences">
        {diff.added.map((id) => (
          <li key={`a-${id}`}>added {id}</li>
        ))}
        {diff.removed.map((id) => (
          <li key={`r-${id}`}>removed {id}</li>
        ))}
        {diff.changed.map((c) => (
          <li key={`c-${c.elementId}`}>
            changed {c.elementId} ({c.properties.join(', ')})
          </li>
        ))}
      </ul>
    </section>
  );
}
