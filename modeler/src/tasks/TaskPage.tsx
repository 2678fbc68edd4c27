/**
 * One user task: its details, claim / unclaim, the form rendered from the form key's JSON Schema
 * by `@rjsf/core` (validated in the browser before it is sent; the server validates again), and
 * beside it the process diagram with the task's element as the current step.
 */
import { useCallback, useEffect, useState } from 'react';
import Form, { type IChangeEvent } from '@rjsf/core';
import validator from '@rjsf/validator-ajv8';
import { api, type User } from '../api';
import { ProcessDiagram } from './ProcessDiagram';
import type { ProcessContext, Task, TaskWithForm } from './task-types';
import './tasks.css';

type FormValues = Record<string, unknown>;

export function TaskPage({
  taskKey,
  user,
  onClose,
}: {
  taskKey: string;
  user: User;
  onClose: () => void;
}) {
  const [loaded, setLoaded] = useState<TaskWithForm>();
  const [context, setContext] = useState<ProcessContext>();
  const [contextError, setContextError] = useState<string>();
  const [formData, setFormData] = useState<FormValues>({});
  const [status, setStatus] = useState<{ kind: 'info' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const result = await api<TaskWithForm>('GET', `/api/tasks/${taskKey}`);
      setLoaded(result);
      setFormData((current) =>
        Object.keys(current).length > 0
          ? current
          : pick(result.task.completionVariables ?? result.task.variables, result.form),
      );
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    }
  }, [taskKey]);

  useEffect(() => {
    void load();
    api<ProcessContext>('GET', `/api/tasks/${taskKey}/process`).then(setContext, (e) =>
      setContextError((e as Error).message),
    );
  }, [taskKey, load]);

  async function act(action: 'claim' | 'unclaim') {
    setBusy(true);
    try {
      const task = await api<Task>('POST', `/api/tasks/${taskKey}/${action}`);
      setLoaded((l) => l && { ...l, task });
      setStatus({ kind: 'info', text: action === 'claim' ? 'Claimed' : 'Released' });
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  async function complete(values: FormValues) {
    setBusy(true);
    try {
      const task = await api<Task>('POST', `/api/tasks/${taskKey}/complete`, {
        variables: values,
      });
      setLoaded((l) => l && { ...l, task });
      setStatus({ kind: 'info', text: 'Task completed' });
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  if (!loaded) {
    return status ? <p role="alert">{status.text}</p> : <p className="loading">Loading task…</p>;
  }
  const { task, form } = loaded;
  const mine = task.assignee === user.username;
  const open = task.state === 'open';

  return (
    <section className="task-page">
      <div className="task-main">
        <p>
          <button className="link" onClick={onClose}>
            ← Back to tasks
          </button>
        </p>
        <h2>{task.name}</h2>
        <dl className="task-facts">
          <dt>Process</dt>
          <dd>
            {task.bpmnProcessId} v{task.processVersion} · instance {task.processInstanceKey}
          </dd>
          <dt>State</dt>
          <dd data-testid="task-state">{task.state}</dd>
          <dt>Assignee</dt>
          <dd data-testid="task-assignee">{task.assignee ?? 'unassigned'}</dd>
          <dt>Candidates</dt>
          <dd>
            {[...task.candidateGroups, ...task.candidateUsers.map((u) => `@${u}`)].join(', ') ||
              'anyone'}
          </dd>
          {task.dueDate && (
            <>
              <dt>Due</dt>
              <dd>{new Date(task.dueDate).toLocaleString()}</dd>
            </>
          )}
          {task.completedBy && (
            <>
              <dt>Completed by</dt>
              <dd>{task.completedBy}</dd>
            </>
          )}
        </dl>
        {open && (
          <div className="task-actions">
            {!task.assignee && (
              <button disabled={busy} onClick={() => act('claim')}>
                Claim
              </button>
            )}
            {task.assignee && (mine || user.roles.includes('admin')) && (
              <button disabled={busy} onClick={() => act('unclaim')}>
                Unclaim
              </button>
            )}
          </div>
        )}
        {status && (
          <p role={status.kind === 'error' ? 'alert' : 'status'} className={status.kind}>
            {status.text}
          </p>
        )}
        {form && 'error' in form ? (
          <p role="alert" className="error">
            This task's form cannot be shown. {form.error}
          </p>
        ) : (
          <div className="task-form">
            {open && !mine && <p className="hint">Claim the task to fill in its form.</p>}
            <Form
              schema={form ? form.schema : { type: 'object', properties: {} }}
              uiSchema={form?.uiSchema ?? undefined}
              validator={validator}
              formData={formData}
              onChange={(e: IChangeEvent<FormValues>) => setFormData(e.formData ?? {})}
              onSubmit={(e: IChangeEvent<FormValues>) => complete(e.formData ?? {})}
              disabled={!open || !mine || busy}
              noHtml5Validate
              showErrorList="top"
            >
              {/* always a child: without one, rjsf draws its own Submit button */}
              {open ? (
                <button type="submit" disabled={!mine || busy}>
                  Complete task
                </button>
              ) : (
                <span />
              )}
            </Form>
          </div>
        )}
      </div>
      <aside className="task-context">
        <h3>Where this task is</h3>
        {context ? (
          <ProcessDiagram bpmnXml={context.bpmnXml} elementId={context.elementId} />
        ) : (
          contextError && <p role="alert">{contextError}</p>
        )}
      </aside>
    </section>
  );
}

/** Prefills the form with the instance's variables that are fields of the form. */
function pick(variables: Record<string, unknown>, form: TaskWithForm['form']): FormValues {
  const properties =
    form && 'schema' in form
      ? ((form.schema.properties as Record<string, unknown> | undefined) ?? {})
      : {};
  return Object.fromEntries(Object.entries(variables).filter(([name]) => name in properties));
}
