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

  async function save() {
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
    } catch (error) {
      const text = error instanceof ApiError ? error.message : String(error);
      setStatus({ kind: 'error', text });
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
      <div className="workspace">
        <div className="canvas" ref={canvasRef} data-testid="bpmn-canvas" />
        <div className="properties" ref={panelRef} />
      </div>
    </section>
  );
}
