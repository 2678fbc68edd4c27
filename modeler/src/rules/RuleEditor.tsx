/**
 * The rule editor for one decision draft: the decision requirements graph on a canvas, the
 * selected decision's table (or literal expression) below it, and the test bench. Every change
 * goes through the undo history (Undo/Redo buttons, Ctrl+Z, Ctrl+Y/Ctrl+Shift+Z). Saving writes
 * standard DMN 1.3 with DMNDI (the draft gets a new revision); Deploy saves, then deploys.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import { DecisionGraph } from './DecisionGraph';
import { DecisionTableGrid, TYPE_REFS } from './DecisionTableGrid';
import { deployDraft, type DeployedDecisionVersion, type DeployProblem } from '../deploy-draft';
import { openDmn, saveDmn } from './dmn-file';
import {
  connect,
  DECISION_SIZE,
  deleteNode,
  INPUT_DATA_SIZE,
  moveNode,
  newId,
  updateDecision,
  type DecisionNode,
  type RuleDocument,
} from './rule-document';
import { TestBench, type BenchFindings } from './TestBench';
import { useHistory } from './use-history';

export interface DecisionDraft {
  readonly id: string;
  readonly name: string;
  readonly revision: number;
  readonly dmnXml: string;
}

type Problem = DeployProblem;

const NO_FINDINGS: BenchFindings = { firedRules: new Set(), overlaps: new Map() };

export function RuleEditor({ draftId, onClose }: { draftId: string; onClose: () => void }) {
  const history = useHistory<RuleDocument>();
  const doc = history.present;
  const [draft, setDraft] = useState<DecisionDraft>();
  const [name, setName] = useState('');
  const [selectedId, setSelectedId] = useState<string>();
  const [status, setStatus] = useState<{ kind: 'info' | 'error'; text: string }>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [findings, setFindings] = useState<BenchFindings>(NO_FINDINGS);
  const { reset, undo, redo } = history;

  useEffect(() => {
    api<DecisionDraft>('GET', `/api/decision-drafts/${draftId}`)
      .then(async (loaded) => {
        const opened = await openDmn(loaded.dmnXml);
        setDraft(loaded);
        setName(loaded.name);
        reset(opened);
        setSelectedId(opened.decisions[0]?.id);
      })
      .catch((error) => setStatus({ kind: 'error', text: (error as Error).message }));
  }, [draftId, reset]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (!(event.ctrlKey || event.metaKey) || /INPUT|TEXTAREA|SELECT/.test(target.tagName)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) undo();
      else if (key === 'y' || (key === 'z' && event.shiftKey)) redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);

  const change = history.change;
  const selected = doc?.decisions.find((d) => d.id === selectedId);
  const selectedInput = doc?.inputData.find((i) => i.id === selectedId);
  // a problem names a rule, an input or an output; the graph marks the decision that holds it
  const problemIds = useMemo(() => {
    const ids = new Set<string>();
    for (const problem of problems) {
      const id = problem.elementId;
      if (!id || !doc) continue;
      const owner = doc.decisions.find((d) => d.id === id || containsId(d, id));
      if (owner) ids.add(owner.id);
    }
    return ids;
  }, [problems, doc]);
  const xml = useCallback(async () => saveDmn({ ...doc!, name }), [doc, name]);

  async function save(): Promise<DecisionDraft | undefined> {
    if (!draft || !doc) return;
    try {
      const saved = await api<DecisionDraft>('PUT', `/api/decision-drafts/${draft.id}`, {
        name,
        dmnXml: await xml(),
        basedOnRevision: draft.revision,
      });
      setDraft(saved);
      setStatus({ kind: 'info', text: `Saved revision ${saved.revision}` });
      return saved;
    } catch (error) {
      setStatus({ kind: 'error', text: error instanceof ApiError ? error.message : String(error) });
    }
  }

  async function deploy() {
    const saved = await save();
    if (!saved) return;
    const outcome = await deployDraft<DeployedDecisionVersion>(
      '/api/decision-deployments',
      saved.id,
      (body) => body.decisions,
    );
    if (outcome.ok) {
      setProblems([]);
      setStatus({
        kind: 'info',
        text: `Deployed ${outcome.deployed.map((d) => `${d.decisionId} version ${d.version}`).join(', ')}`,
      });
    } else {
      setProblems(outcome.problems);
      setStatus({ kind: 'error', text: `Not deployed: ${outcome.problems.length} problem(s)` });
    }
  }

  function addNode(kind: 'input' | 'table' | 'literal') {
    if (!doc) return;
    const x = 40 + ((doc.decisions.length + doc.inputData.length) % 5) * 200;
    if (kind === 'input') {
      const id = newId('InputData');
      change({
        ...doc,
        inputData: [
          ...doc.inputData,
          { id, name: 'New input', typeRef: 'string', bounds: { x, y: 320, ...INPUT_DATA_SIZE } },
        ],
      });
      setSelectedId(id);
      return;
    }
    const id = newId('Decision');
    const node: DecisionNode = {
      id,
      name: kind === 'table' ? 'New decision' : 'New expression',
      bounds: { x, y: 40, ...DECISION_SIZE },
      requirements: [],
      logic:
        kind === 'table'
          ? {
              kind: 'table',
              id: newId('DecisionTable'),
              hitPolicy: 'UNIQUE',
              inputs: [
                { id: newId('Input'), label: 'Input', expression: 'input', typeRef: 'string' },
              ],
              outputs: [
                { id: newId('Output'), label: 'Output', name: 'output', typeRef: 'string' },
              ],
              rules: [],
            }
          : { kind: 'literal', id: newId('LiteralExpression'), text: '', typeRef: 'string' },
    };
    change({ ...doc, decisions: [...doc.decisions, node] });
    setSelectedId(id);
  }

  if (!doc) {
    return (
      <section className="rule-editor">
        {status ? <p role="alert">{status.text}</p> : <p className="loading">Loading…</p>}
      </section>
    );
  }

  return (
    <section className="rule-editor modeler">
      <div className="toolbar">
        <button onClick={onClose}>← Rules</button>
        <input
          aria-label="Decision model name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button onClick={history.undo} disabled={!history.canUndo} title="Ctrl+Z">
          Undo
        </button>
        <button onClick={history.redo} disabled={!history.canRedo} title="Ctrl+Y">
          Redo
        </button>
        <button onClick={save}>Save draft</button>
        <button onClick={deploy}>Deploy</button>
        {draft && (
          <a href={`/api/decision-drafts/${draft.id}/dmn`} download>
            Download DMN
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
      {doc.warnings.length > 0 && (
        <details className="warnings">
          <summary>{doc.warnings.length} warning(s) reading the file</summary>
          <ul>
            {doc.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="drg-toolbar">
        <button onClick={() => addNode('input')}>+ Input data</button>
        <button onClick={() => addNode('table')}>+ Decision table</button>
        <button onClick={() => addNode('literal')}>+ Literal expression</button>
        <button
          disabled={!selectedId}
          onClick={() => {
            change(deleteNode(doc, selectedId!));
            setSelectedId(undefined);
          }}
        >
          Delete selected
        </button>
        <span className="help">
          Drag from a node's top handle to a decision's bottom to add a requirement.
        </span>
      </div>
      <DecisionGraph
        doc={doc}
        selectedId={selectedId}
        problems={problemIds}
        onSelect={(id) => {
          setSelectedId(id);
          setFindings(NO_FINDINGS);
        }}
        onMove={(id, x, y) => change(moveNode(doc, id, x, y))}
        onConnect={(source, target) => {
          const next = connect(doc, source, target);
          if (next === doc)
            setStatus({
              kind: 'error',
              text: 'That requirement is not allowed: it points at input data, repeats one, or makes a cycle',
            });
          else change(next);
        }}
        onDeleteEdge={(decisionId, requirementId) =>
          change(
            updateDecision(doc, decisionId, (d) => ({
              ...d,
              requirements: d.requirements.filter((r) => r.id !== requirementId),
            })),
          )
        }
        onDeleteNode={(id) => {
          change(deleteNode(doc, id));
          setSelectedId(undefined);
        }}
      />
      {selectedInput && (
        <div className="node-details">
          <label>
            Input data type
            <select
              value={selectedInput.typeRef ?? ''}
              onChange={(e) =>
                change({
                  ...doc,
                  inputData: doc.inputData.map((i) =>
                    i.id === selectedInput.id ? { ...i, typeRef: e.target.value || undefined } : i,
                  ),
                })
              }
            >
              <option value="">any</option>
              {TYPE_REFS.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Input data name
            <input
              value={selectedInput.name}
              onChange={(e) =>
                change(
                  {
                    ...doc,
                    inputData: doc.inputData.map((i) =>
                      i.id === selectedInput.id ? { ...i, name: e.target.value } : i,
                    ),
                  },
                  `${selectedInput.id}-name`,
                )
              }
            />
          </label>
        </div>
      )}
      {selected && (
        <div className="decision-details">
          <div className="node-details">
            <label>
              Decision name
              <input
                value={selected.name}
                onChange={(e) =>
                  change(
                    updateDecision(doc, selected.id, (d) => ({ ...d, name: e.target.value })),
                    `${selected.id}-name`,
                  )
                }
              />
            </label>
            <span className="help">
              id <code>{selected.id}</code> — business rule tasks call it by this id
            </span>
          </div>
          {selected.logic.kind === 'table' && (
            <DecisionTableGrid
              table={selected.logic}
              firedRules={findings.firedRules}
              overlaps={findings.overlaps}
              onChange={(table, mergeKey) =>
                change(
                  updateDecision(doc, selected.id, (d) => ({ ...d, logic: table })),
                  mergeKey,
                )
              }
            />
          )}
          {selected.logic.kind === 'literal' && (
            <div className="literal-expression">
              <label>
                FEEL expression
                <textarea
                  aria-label="Literal expression"
                  rows={3}
                  value={selected.logic.text}
                  onChange={(e) =>
                    change(
                      updateDecision(doc, selected.id, (d) =>
                        d.logic.kind === 'literal'
                          ? { ...d, logic: { ...d.logic, text: e.target.value } }
                          : d,
                      ),
                      `${selected.id}-literal`,
                    )
                  }
                />
              </label>
              <label>
                Result type
                <select
                  value={selected.logic.typeRef ?? ''}
                  onChange={(e) =>
                    change(
                      updateDecision(doc, selected.id, (d) =>
                        d.logic.kind === 'literal'
                          ? { ...d, logic: { ...d.logic, typeRef: e.target.value || undefined } }
                          : d,
                      ),
                    )
                  }
                >
                  <option value="">any</option>
                  {TYPE_REFS.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </label>
            </div>
          )}
          {selected.logic.kind === 'other' && (
            <p className="help">
              This decision's logic ({selected.logic.type}) is kept as it is; edit it in Camunda
              Modeler.
            </p>
          )}
          <TestBench
            key={selected.id}
            doc={doc}
            decision={selected}
            xml={xml}
            onFindings={setFindings}
          />
        </div>
      )}
    </section>
  );
}

/** Whether a rule, cell, column or expression with this id belongs to the decision. */
function containsId(decision: DecisionNode, id: string): boolean {
  const logic = decision.logic;
  if (logic.kind === 'literal') return logic.id === id;
  if (logic.kind !== 'table') return false;
  return (
    logic.id === id ||
    logic.inputs.some((c) => c.id === id) ||
    logic.outputs.some((c) => c.id === id) ||
    logic.rules.some(
      (r) =>
        r.id === id ||
        r.inputEntries.some((c) => c.id === id) ||
        r.outputEntries.some((c) => c.id === id),
    )
  );
}
