/**
 * A read-only diagram of a task's process (bpmn-js NavigatedViewer: pan and zoom, no editing)
 * with the task's element highlighted as the current step.
 */
import { useEffect, useRef, useState } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';

interface ElementRegistry {
  get(id: string): unknown;
}

interface Canvas {
  zoom(mode: 'fit-viewport'): void;
  addMarker(elementId: string, marker: string): void;
}

export function ProcessDiagram({ bpmnXml, elementId }: { bpmnXml: string; elementId: string }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    const viewer = new NavigatedViewer({ container: containerRef.current! });
    let alive = true;
    viewer.importXML(bpmnXml).then(
      () => {
        if (!alive) return;
        const canvas = viewer.get<Canvas>('canvas');
        canvas.zoom('fit-viewport');
        // Processes deployed without a diagram (BPMNDI), e.g. written by hand, have no shapes.
        if (viewer.get<ElementRegistry>('elementRegistry').get(elementId))
          canvas.addMarker(elementId, 'current-step');
        else setError(`The deployed process has no diagram of the step '${elementId}'.`);
      },
      (e: Error) => alive && setError(`The process diagram could not be shown: ${e.message}`),
    );
    return () => {
      alive = false;
      viewer.destroy();
    };
  }, [bpmnXml, elementId]);

  return (
    <div className="process-diagram">
      {error && <p role="alert">{error}</p>}
      <div ref={containerRef} className="process-diagram-canvas" data-testid="process-diagram" />
    </div>
  );
}
