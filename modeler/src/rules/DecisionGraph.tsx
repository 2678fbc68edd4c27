/**
 * The decision requirements graph on an `@xyflow/react` canvas: input data (ovals) and
 * decisions (decision tables and literal expressions) with information requirements drawn from
 * the required element up to the decision that reads it. Dragging moves a node (one undo step
 * per drag); connecting a node's top handle to a decision's bottom handle adds a requirement;
 * a requirement that would make a cycle is refused by the document.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  applyNodeChanges,
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { RuleDocument } from './rule-document';

type GraphNodeData = { label: string; detail: string; problem?: boolean };

function DecisionShape({ data, selected }: NodeProps<Node<GraphNodeData>>) {
  return (
    <div className={`drg-decision ${selected ? 'selected' : ''} ${data.problem ? 'problem' : ''}`}>
      <Handle type="source" position={Position.Top} />
      <span className="drg-kind">{data.detail}</span>
      <strong>{data.label}</strong>
      <Handle type="target" position={Position.Bottom} />
    </div>
  );
}

function InputDataShape({ data, selected }: NodeProps<Node<GraphNodeData>>) {
  return (
    <div className={`drg-input ${selected ? 'selected' : ''}`}>
      <Handle type="source" position={Position.Top} />
      {data.label}
    </div>
  );
}

function ReadOnlyShape({ data }: NodeProps<Node<GraphNodeData>>) {
  return (
    <div className="drg-other" title="Kept as it is; edit it in Camunda Modeler">
      <Handle type="source" position={Position.Top} isConnectable={false} />
      <span className="drg-kind">{data.detail}</span>
      {data.label}
    </div>
  );
}

const nodeTypes = { decision: DecisionShape, inputData: InputDataShape, other: ReadOnlyShape };

function toNodes(doc: RuleDocument, selectedId: string | undefined, problems: ReadonlySet<string>) {
  return [
    ...doc.inputData.map((i): Node<GraphNodeData> => ({
      id: i.id,
      type: 'inputData',
      position: { x: i.bounds.x, y: i.bounds.y },
      data: { label: i.name || i.id, detail: 'input data' },
      selected: i.id === selectedId,
    })),
    ...doc.others.map((o): Node<GraphNodeData> => ({
      id: o.id,
      type: 'other',
      position: { x: o.bounds.x, y: o.bounds.y },
      data: {
        label: o.name || o.id,
        detail: o.kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(),
      },
      draggable: false,
      connectable: false,
      deletable: false,
    })),
    ...doc.decisions.map((d): Node<GraphNodeData> => ({
      id: d.id,
      type: 'decision',
      position: { x: d.bounds.x, y: d.bounds.y },
      data: {
        label: d.name || d.id,
        detail:
          d.logic.kind === 'table'
            ? `decision table · ${d.logic.hitPolicy}`
            : d.logic.kind === 'literal'
              ? 'literal expression'
              : 'boxed expression (read only)',
        problem: problems.has(d.id),
      },
      selected: d.id === selectedId,
    })),
  ];
}

export function DecisionGraph(props: {
  doc: RuleDocument;
  selectedId?: string;
  /** ids of decisions with deploy or evaluation problems */
  problems?: ReadonlySet<string>;
  onSelect: (id: string | undefined) => void;
  onMove: (id: string, x: number, y: number) => void;
  onConnect: (sourceId: string, targetId: string) => void;
  onDeleteEdge: (decisionId: string, requirementId: string) => void;
  onDeleteNode: (id: string) => void;
}) {
  const { doc, selectedId, onSelect, onMove, onConnect, onDeleteEdge, onDeleteNode } = props;
  const problems = useMemo(() => props.problems ?? new Set<string>(), [props.problems]);
  const [nodes, setNodes] = useState(() => toNodes(doc, selectedId, problems));
  useEffect(() => setNodes(toNodes(doc, selectedId, problems)), [doc, selectedId, problems]);
  const edges = useMemo(
    () =>
      doc.decisions
        .flatMap((d) =>
          d.requirements.map((r): Edge => ({
            id: r.id,
            source: r.sourceId,
            target: d.id,
            markerEnd: { type: MarkerType.ArrowClosed },
            data: { decisionId: d.id },
          })),
        )
        .concat(
          doc.decisions.flatMap((d) =>
            (d.knowledge ?? [])
              .filter((k) => doc.others.some((o) => o.id === k))
              .map((k): Edge => ({
                id: `${d.id}-knows-${k}`,
                source: k,
                target: d.id,
                style: { strokeDasharray: '6 4' },
                deletable: false,
              })),
          ),
        ),
    [doc],
  );

  return (
    <div className="drg-canvas" data-testid="drg-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={(changes: NodeChange<Node<GraphNodeData>>[]) =>
          // removals go through the document (and its undo history), not straight to the canvas
          setNodes((current) =>
            applyNodeChanges(
              changes.filter((c) => c.type !== 'remove'),
              current,
            ),
          )
        }
        onNodeDragStop={(_, node) =>
          onMove(node.id, Math.round(node.position.x), Math.round(node.position.y))
        }
        onNodeClick={(_, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(undefined)}
        onConnect={(c) => c.source && c.target && onConnect(c.source, c.target)}
        onEdgesDelete={(deleted) =>
          deleted.forEach((e) => onDeleteEdge(String(e.data?.decisionId ?? e.target), e.id))
        }
        deleteKeyCode={['Delete', 'Backspace']}
        onNodesDelete={(deleted) => deleted.forEach((n) => onDeleteNode(n.id))}
        nodesConnectable
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
