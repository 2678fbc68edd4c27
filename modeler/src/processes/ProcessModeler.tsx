/**
 * The BPMN modeler for one draft: bpmn-js with the Zeebe properties panel (task types, io
 * mappings, headers, forms, assignment, timers, messages, called elements), saving drafts
 * with optimistic revisions and downloading the BPMN file.
 */
import { useEffect, useRef, useState } from 'react';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import { api, ApiError } from '../api';
import { deployDraft, type DeployedVersion, type DeployProblem } from '../deploy-draft';
import './diagram-markers.css';

interface DiagramCanvas {
  addMarker(elementId: string, marker: string): void;
  removeMarker(elementId: string, marker: string): void;
}
interface DiagramOverlays {
  add(
    elementId: string,
    type: string,
    overlay: { position: Record<string, number>; html: HTMLElement },
  ): void;
  remove(filter: { type: string }): void;
}

export interface Draft {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly bpmnXml: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export function ProcessModeler({ draftId, onClose }: { draftId: string; onClose: () => void }) {
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<BpmnModeler | undefined>(undefined);
  const [draft, setDraft] = useState<Draft>();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<{ kind: 'info' | 'error'; text: string }>();
  const [problems, setProblems] = useState<DeployProblem[]>([]);
  const marked = useRef<string[]>([]);

  useEffect(() => {
    const modeler = new BpmnModeler({
      container: canvasRef.current!,
      propertiesPanel: { parent: panelRef.current! },
      additionalModules: [
        BpmnPropertiesPanelModule,
        BpmnPropertiesProviderModule,
        ZeebePropertiesProviderModule,
        ZeebeBehaviorsModule,
      ],
      moddleExtensions: { zeebe: zeebeModdle },
    });
    modelerRef.current = modeler;
    api<Draft>('GET', `/api/drafts/${draftId}`).then(
      async (loaded) => {
        setDraft(loaded);
        setName(loaded.name);
        await modeler.importXML(loaded.bpmnXml);
        (modeler.get('canvas') as { zoom(level: string): void }).zoom('fit-viewport');
      },
      (error) => setStatus({ kind: 'error', text: (error as Error).message }),
    );
    return () => modeler.destroy();
  }, [draftId]);

  async function save(): Promise<Draft | undefined> {
    if (!draft || !modelerRef.current) return;
    const { xml } = await modelerRef.current.saveXML({ format: true });
    try {
      const saved = await api<Draft>('PUT', `/api/drafts/${draft.id}`, {
        name,
        bpmnXml: xml,
        basedOnRevision: draft.revision,
      });
      setDraft(saved);
      setStatus({ kind: 'info', text: `Saved revision ${saved.revision}` });
      return saved;
    } catch (error) {
      const text = error instanceof ApiError ? error.message : String(error);
      setStatus({ kind: 'error', text });
    }
  }

  /** Saves, then deploys; problems are marked on their elements until the next deploy. */
  async function deploy() {
    const saved = await save();
    const modeler = modelerRef.current;
    if (!saved || !modeler) return;
    const canvas = modeler.get<DiagramCanvas>('canvas');
    const overlays = modeler.get<DiagramOverlays>('overlays');
    const registry = modeler.get<{ get(id: string): { height?: number } | undefined }>(
      'elementRegistry',
    );
    for (const id of marked.current) if (registry.get(id)) canvas.removeMarker(id, 'deploy-error');
    overlays.remove({ type: 'deploy-problem' });
    marked.current = [];
    const outcome = await deployDraft<DeployedVersion>(
      '/api/deployments',
      saved.id,
      (body) => body.processes,
    );
    if (outcome.ok) {
      setProblems([]);
      const text = outcome.deployed
        .map((p) => `${p.bpmnProcessId} version ${p.version}`)
        .join(', ');
      setStatus({ kind: 'info', text: `Deployed ${text}` });
      return;
    }
    setProblems(outcome.problems);
    setStatus({ kind: 'error', text: `Not deployed: ${outcome.problems.length} problem(s)` });
    for (const problem of outcome.problems) {
      const element = problem.elementId ? registry.get(problem.elementId) : undefined;
      if (!problem.elementId || !element) continue;
      canvas.addMarker(problem.elementId, 'deploy-error');
      marked.current.push(problem.elementId);
      const html = document.createElement('span');
      html.className = 'diagram-badge badge-error';
      html.textContent = problem.message;
      html.dataset.elementId = problem.elementId;
      overlays.add(problem.elementId, 'deploy-problem', {
        position: { top: (element.height ?? 0) + 4, left: 0 },
        html,
      });
    }
  }

  return (
    <section className="modeler">
      <div className="toolbar">
        <button onClick={onClose}>← Processes</button>
        <input aria-label="Process name" value={name} onChange={(e) => setName(e.target.value)} />
        <button onClick={save} disabled={!draft}>
          Save draft
        </button>
        <button onClick={deploy} disabled={!draft}>
          Deploy
        </button>
        {draft && (
          <a href={`/api/drafts/${draft.id}/bpmn`} download>
            Download BPMN
          </a>
        )}
        {status && (
          <span
            role={status.kind === 'error' ? 'alert' : 'status'}
            className={`status ${status.kind}`}
          >
            {status.text}
          </span>
        )}
      </div>
      {problems.length > 0 && (
        <ul className="deploy-problems" aria-label="Deploy problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.elementId ? <strong>{p.elementId}: </strong> : null}
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <div className="workspace">
        <div className="canvas" ref={canvasRef} data-testid="bpmn-canvas" />
        <div className="properties" ref={panelRef} />
      </div>
    </section>
  );
}
