/**
 * A read-only BPMN diagram (bpmn-js NavigatedViewer: pan and zoom, never editing) with markers
 * (CSS classes on elements, e.g. `path-completed`, `diff-added`) and small overlays (badges)
 * on elements. Used by the version diff and the instance page. Elements named in markers or
 * overlays that the diagram lacks (a process deployed without BPMNDI) are skipped, not errors.
 *
 *   <DiagramView bpmnXml={xml} markers={{ charge: ['token-active'] }}
 *                overlays={[{ elementId: 'charge', text: '1', className: 'badge-active' }]} />
 */
import { useEffect, useRef, useState } from 'react';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './diagram-markers.css';

export interface DiagramOverlay {
  readonly elementId: string;
  readonly text: string;
  readonly className: string;
  readonly title?: string;
  /** where the badge sits on the element; bottom left unless told */
  readonly position?: 'bottom-left' | 'top-right' | 'bottom-right';
}

interface Canvas {
  zoom(mode: 'fit-viewport'): void;
  addMarker(elementId: string, marker: string): void;
}
interface Overlays {
  add(elementId: string, overlay: { position: Record<string, number>; html: HTMLElement }): void;
}
interface ElementRegistry {
  get(id: string): { width?: number; height?: number } | undefined;
}

export function DiagramView({
  bpmnXml,
  markers = {},
  overlays = [],
  testId = 'diagram',
}: {
  bpmnXml: string;
  markers?: Record<string, string[]>;
  overlays?: DiagramOverlay[];
  testId?: string;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const viewer = new NavigatedViewer({ container: containerRef.current! });
    let alive = true;
    setReady(false);
    viewer.importXML(bpmnXml).then(
      () => {
        if (!alive) return;
        const canvas = viewer.get<Canvas>('canvas');
        const registry = viewer.get<ElementRegistry>('elementRegistry');
        const overlayService = viewer.get<Overlays>('overlays');
        canvas.zoom('fit-viewport');
        for (const [elementId, classes] of Object.entries(markers)) {
          if (!registry.get(elementId)) continue;
          for (const marker of classes) canvas.addMarker(elementId, marker);
        }
        for (const overlay of overlays) {
          const element = registry.get(overlay.elementId);
          if (!element) continue;
          const html = document.createElement('span');
          html.className = `diagram-badge ${overlay.className}`;
          html.textContent = overlay.text;
          if (overlay.title) html.title = overlay.title;
          const width = element.width ?? 0;
          const height = element.height ?? 0;
          const position =
            overlay.position === 'top-right'
              ? { top: -10, left: width - 10 }
              : overlay.position === 'bottom-right'
                ? { top: height - 10, left: width - 10 }
                : { top: height - 10, left: -10 };
          overlayService.add(overlay.elementId, { position, html });
        }
        setReady(true);
      },
      (e: Error) => alive && setError(`The diagram could not be shown: ${e.message}`),
    );
    return () => {
      alive = false;
      viewer.destroy();
    };
    // markers and overlays are derived from the same data as bpmnXml; a JSON key keeps them stable
  }, [bpmnXml, JSON.stringify(markers), JSON.stringify(overlays)]);

  return (
    <div className="diagram-view">
      {error && <p role="alert">{error}</p>}
      <div
        ref={containerRef}
        className="diagram-view-canvas"
        data-testid={testId}
        data-ready={ready ? 'true' : 'false'}
      />
    </div>
  );
}
