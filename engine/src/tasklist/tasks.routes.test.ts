/**
 * REST integration tests of the tasklist, per route and role, on a whole Kontor: real database,
 * the embedded engine behind its Zeebe gateway, and the tasklist taking user tasks through
 * `@camunda8/sdk`. Each test starts instances of its own process, so tests do not see each
 * other's tasks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgents, type Agents } from '../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../testing/kontor-harness.js';
import { deployReviewProcess, startInstances, waitForTasks } from './testing/user-task-fixtures.js';

const VALID_REVIEW = { decision: 'approve', approvedAmount: 1200, comment: 'All receipts present' };

describe('tasks REST API', () => {
  let harness: KontorHarness;
  let agents: Agents;
  let processCount = 0;

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness, ['north']);
  });
  afterAll(() => harness?.close());

  /** A fresh process (own id) with `count` instances; the job keys of their user tasks. */
  async function tasksOf(
    options: Parameters<typeof deployReviewProcess>[2] = {},
    variables: Record<string, unknown>[] = [{}],
  ): Promise<{ bpmnProcessId: string; keys: string[]; instances: string[] }> {
    processCount += 1;
    const bpmnProcessId = `review-${processCount}`;
    await deployReviewProcess(harness.kontor.engine, bpmnProcessId, options);
    const instances = await startInstances(harness.kontor.engine, bpmnProcessId, variables);
    const keys = await waitForTasks(harness.database.pool, instances);
    return { bpmnProcessId, keys, instances };
  }

  describe('roles', () => {
    it.each([
      ['GET', '/api/tasks'],
      ['GET', '/api/tasks/processes'],
      ['GET', '/api/tasks/1'],
      ['GET', '/api/tasks/1/process'],
      ['POST', '/api/tasks/1/claim'],
      ['POST', '/api/tasks/1/unclaim'],
      ['POST', '/api/tasks/1/complete'],
    ])('%s %s: 401 signed out, 403 for analyst and auditor', async (method, path) => {
      const call = (agent: Agents[keyof Agents]) =>
        method === 'GET' ? agent.get(path) : agent.post(path, { variables: {} });
      expect((await call(agents.anonymous)).status).toBe(401);
      expect((await call(agents.analyst)).status).toBe(403);
      expect((await call(agents.auditor)).status).toBe(403);
      // caseworker and admin get past the role check (task 1 does not exist)
      expect([200, 404]).toContain((await call(agents.caseworker)).status);
      expect([200, 404]).toContain((await call(agents.admin)).status);
    });
  });

  describe('GET /api/openapi.json', () => {
    it('documents every tasks route', async () => {
      const res = await agents.anonymous.get('/api/openapi.json');
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/tasks',
          '/api/tasks/processes',
          '/api/tasks/{key}',
          '/api/tasks/{key}/process',
          '/api/tasks/{key}/claim',
          '/api/tasks/{key}/unclaim',
          '/api/tasks/{key}/complete',
        ]),
      );
      expect(res.body.paths['/api/tasks/{key}/complete'].post.responses).toHaveProperty('400');
    });
  });

  describe('intake', () => {
    it('takes a user task with its name, form, assignment, dates and variables', async () => {
      // given
      const due = new Date(Date.now() + 3 * 3600_000).toISOString();
      const { keys, instances, bpmnProcessId } = await tasksOf(
        {
          assignee: '=owner',
          candidateGroups: 'north, south',
          candidateUsers: '=["vera"]',
          dueDate: due,
        },
        [{ owner: 'caseworker-agent', claimNo: 'C-1' }],
      );

      // when
      const res = await agents.caseworker.get(`/api/tasks/${keys[0]}`);

      // then
      expect(res.status).toBe(200);
      expect(res.body.task).toMatchObject({
        key: keys[0],
        name: 'Review the claim',
        elementId: 'review',
        bpmnProcessId,
        processInstanceKey: instances[0],
        formKey: 'claim-review',
        assignee: 'caseworker-agent',
        candidateGroups: ['north', 'south'],
        candidateUsers: ['vera'],
        dueDate: due,
        state: 'open',
        variables: { owner: 'caseworker-agent', claimNo: 'C-1' },
      });
      expect(res.body.form.schema.title).toBe('Claim review');
    });
  });

  describe('GET /api/tasks', () => {
    it('filters by my groups, assignment, process and variable value, sorted and paged', async () => {
      // given: three tasks for group north, one for group east, in one process
      const { bpmnProcessId, keys } = await tasksOf({ candidateGroups: '=group' }, [
        { group: 'north', claimNo: 'C-3', amount: 300 },
        { group: 'north', claimNo: 'C-1', amount: 100 },
        { group: 'east', claimNo: 'C-2', amount: 200 },
        { group: 'north', claimNo: 'C-4', amount: 100 },
      ]);
      const base = `/api/tasks?process=${bpmnProcessId}`;
      await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`);

      // then
      const all = await agents.caseworker.get(base);
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(4);
      expect(all.body.items[0]).not.toHaveProperty('variables');

      const mine = await agents.caseworker.get(`${base}&filter=my-groups`);
      expect(mine.body.total).toBe(3);
      expect(mine.body.items.map((t: { key: string }) => t.key)).toEqual([
        keys[0],
        keys[1],
        keys[3],
      ]);

      const assigned = await agents.caseworker.get(`${base}&filter=assigned-to-me`);
      expect(assigned.body.items.map((t: { key: string }) => t.key)).toEqual([keys[0]]);

      const unassignedMine = await agents.caseworker.get(`${base}&filter=unassigned,my-groups`);
      expect(unassignedMine.body.total).toBe(2);

      // a task for no group and no user in particular is anyone's, so in my groups too
      const open = await tasksOf({ candidateGroups: '' });
      const anyones = await agents.caseworker.get(
        `/api/tasks?process=${open.bpmnProcessId}&filter=my-groups`,
      );
      expect(anyones.body.items.map((t: { key: string }) => t.key)).toEqual(open.keys);
      expect(anyones.body.items[0]).toMatchObject({ candidateGroups: [], candidateUsers: [] });

      const byNumber = await agents.caseworker.get(`${base}&variable=amount=100`);
      expect(byNumber.body.items.map((t: { key: string }) => t.key)).toEqual([keys[1], keys[3]]);
      const byText = await agents.caseworker.get(`${base}&variable=claimNo=C-2`);
      expect(byText.body.items.map((t: { key: string }) => t.key)).toEqual([keys[2]]);

      const page2 = await agents.caseworker.get(`${base}&order=desc&limit=2&offset=2`);
      expect(page2.body.total).toBe(4);
      expect(page2.body.items.map((t: { key: string }) => t.key)).toEqual([keys[1], keys[0]]);
    });

    it('finds tasks due soon and overdue, sorted by due date', async () => {
      const hour = 3600_000;
      const at = (ms: number) => new Date(Date.now() + ms).toISOString();
      const { bpmnProcessId, keys } = await tasksOf({ dueDate: '=due' }, [
        { due: at(48 * hour) },
        { due: at(-2 * hour) },
        { due: at(5 * hour) },
        { due: at(1 * hour) },
      ]);
      const base = `/api/tasks?process=${bpmnProcessId}`;
      const soon = await agents.caseworker.get(`${base}&filter=due-soon&sort=due`);
      expect(soon.body.items.map((t: { key: string }) => t.key)).toEqual([keys[3], keys[2]]);
      const overdue = await agents.caseworker.get(`${base}&filter=overdue`);
      expect(overdue.body.items.map((t: { key: string }) => t.key)).toEqual([keys[1]]);
      const byDueDesc = await agents.caseworker.get(`${base}&sort=due&order=desc`);
      expect(byDueDesc.body.items.map((t: { key: string }) => t.key)).toEqual([
        keys[0],
        keys[2],
        keys[3],
        keys[1],
      ]);
    });

    it('sorts by name and lists the processes that have tasks', async () => {
      const a = await tasksOf({ name: 'Zeta check', candidateGroups: 'north' });
      const res = await agents.caseworker.get(`/api/tasks?process=${a.bpmnProcessId}&sort=name`);
      expect(res.body.items[0].name).toBe('Zeta check');
      const processes = await agents.caseworker.get('/api/tasks/processes');
      expect(processes.body.items).toContain(a.bpmnProcessId);
    });

    it('answers 400 for an unknown filter, sort or a bad page', async () => {
      const bad = await agents.caseworker.get('/api/tasks?filter=mine');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain("unknown filters 'mine'");
      expect((await agents.caseworker.get('/api/tasks?sort=priority')).status).toBe(400);
      expect((await agents.caseworker.get('/api/tasks?limit=1000')).status).toBe(400);
      expect((await agents.caseworker.get('/api/tasks?variable=novalue')).status).toBe(400);
    });
  });

  describe('GET /api/tasks/:key', () => {
    it('names an unknown form key instead of rendering a form', async () => {
      const { keys } = await tasksOf({ formKey: 'no-such-form' });
      const res = await agents.caseworker.get(`/api/tasks/${keys[0]}`);
      expect(res.status).toBe(200);
      expect(res.body.form.error).toBe(
        "No form 'no-such-form': expected its JSON Schema in schemas/forms/no-such-form.schema.json or a process's forms folder under workflows/",
      );
    });

    it('answers 404 for an unknown task', async () => {
      expect((await agents.caseworker.get('/api/tasks/99999')).status).toBe(404);
      expect((await agents.caseworker.get('/api/tasks/abc')).status).toBe(404);
    });
  });

  describe('GET /api/tasks/:key/process', () => {
    it('gives the deployed process XML and the current element', async () => {
      const { keys, bpmnProcessId } = await tasksOf();
      const res = await agents.caseworker.get(`/api/tasks/${keys[0]}/process`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ bpmnProcessId, version: 1, elementId: 'review' });
      expect(res.body.bpmnXml).toContain('<bpmn:userTask id="review"');
    });
  });

  describe('POST /api/tasks/:key/claim', () => {
    it('claims a free task, and answers 409 when someone else holds it', async () => {
      const { keys } = await tasksOf({ candidateGroups: 'north' });
      const claimed = await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`);
      expect(claimed.status).toBe(200);
      expect(claimed.body.assignee).toBe('caseworker-agent');
      // claiming again is harmless
      expect((await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`)).status).toBe(200);

      const conflict = await agents.admin.post(`/api/tasks/${keys[0]}/claim`);
      expect(conflict.status).toBe(409);
      expect(conflict.body.message).toBe(`Task ${keys[0]} is held by 'caseworker-agent'`);
    });

    it('answers 403 to a caseworker who is not a candidate', async () => {
      const { keys } = await tasksOf({ candidateGroups: 'east' });
      const res = await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('is not a candidate');
    });

    it('answers 410 and marks the task canceled when its instance was canceled', async () => {
      const { keys, instances } = await tasksOf();
      await harness.kontor.engine.cancelProcessInstance(instances[0]);
      const res = await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`);
      expect(res.status).toBe(410);
      expect((await agents.caseworker.get(`/api/tasks/${keys[0]}`)).body.task.state).toBe(
        'canceled',
      );
    });
  });

  describe('POST /api/tasks/:key/unclaim', () => {
    it('releases my claim, and answers 409 for a task someone else holds', async () => {
      const { keys } = await tasksOf();
      await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`);
      const other = await signInOther();
      expect((await other.post(`/api/tasks/${keys[0]}/unclaim`)).status).toBe(409);
      const released = await agents.caseworker.post(`/api/tasks/${keys[0]}/unclaim`);
      expect(released.status).toBe(200);
      expect(released.body.assignee).toBeNull();
    });
  });

  describe('POST /api/tasks/:key/complete', () => {
    it('refuses invalid form values with their JSON paths, then completes the job', async () => {
      // given
      const { keys, instances } = await tasksOf();
      await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`);

      // when: values that break the form's schema
      const invalid = await agents.caseworker.post(`/api/tasks/${keys[0]}/complete`, {
        variables: { decision: 'maybe', approvedAmount: -5 },
      });

      // then
      expect(invalid.status).toBe(400);
      expect(invalid.body.error).toBe('invalid_form');
      expect(invalid.body.problems).toEqual(
        expect.arrayContaining([
          { path: '/comment', message: 'is required' },
          { path: '/decision', message: 'must be equal to one of the allowed values' },
          { path: '/approvedAmount', message: 'must be >= 0' },
        ]),
      );

      // when: valid values
      const done = await agents.caseworker.post(`/api/tasks/${keys[0]}/complete`, {
        variables: VALID_REVIEW,
      });

      // then: the job was completed with the values and the instance went on to its end
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ state: 'completed', completedBy: 'caseworker-agent' });
      const records = await harness.kontor.engine.readRecords({
        processInstanceKey: instances[0],
        limit: 1000,
      });
      const completed = records.find((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED');
      expect(completed?.key).toBe(keys[0]);
      expect(completed?.value.variables).toEqual(VALID_REVIEW);
      expect(
        records.some(
          (r) =>
            r.valueType === 'PROCESS_INSTANCE' &&
            r.intent === 'ELEMENT_COMPLETED' &&
            r.elementId === 'end',
        ),
      ).toBe(true);
      // and the audit trail says who claimed and completed it
      const actions = records
        .filter((r) => r.valueType === 'USER_ACTION')
        .map((r) => `${String(r.value.user)} ${String(r.value.action)} ${r.elementId}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'caseworker-agent CLAIM_TASK review',
          'caseworker-agent COMPLETE_TASK review',
        ]),
      );
      const open = await agents.caseworker.get(`/api/tasks?process=${done.body.bpmnProcessId}`);
      expect(open.body.total).toBe(0);
      const finished = await agents.caseworker.get(
        `/api/tasks?process=${done.body.bpmnProcessId}&filter=completed`,
      );
      expect(finished.body.items[0].completedBy).toBe('caseworker-agent');

      // and a second completion is a conflict, not a second job completion
      const again = await agents.caseworker.post(`/api/tasks/${keys[0]}/complete`, {
        variables: VALID_REVIEW,
      });
      expect(again.status).toBe(409);
    });

    it('answers 409 for a task that is not claimed by the caller', async () => {
      const { keys } = await tasksOf();
      const res = await agents.caseworker.post(`/api/tasks/${keys[0]}/complete`, {
        variables: VALID_REVIEW,
      });
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('claim it before completing it');
    });

    it('answers 422 for a task whose form is unknown', async () => {
      const { keys } = await tasksOf({ formKey: 'no-such-form' });
      await agents.caseworker.post(`/api/tasks/${keys[0]}/claim`);
      const res = await agents.caseworker.post(`/api/tasks/${keys[0]}/complete`, {
        variables: {},
      });
      expect(res.status).toBe(422);
      expect(res.body.error).toBe('unknown_form');
    });

    it('answers 400 when variables is not an object', async () => {
      const { keys } = await tasksOf();
      const res = await agents.caseworker.post(`/api/tasks/${keys[0]}/complete`, {
        variables: [1, 2],
      });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([{ path: '/variables', message: 'must be object' }]);
    });
  });

  /** A second caseworker in group north, signed in. */
  async function signInOther() {
    const { UsersRepository } = await import('../api/auth/users.repository.js');
    const username = `other-${processCount}`;
    await new UsersRepository(harness.database.pool).create({
      username,
      password: 'other password 1',
      roles: ['caseworker'],
      candidateGroups: ['north'],
    });
    const res = await fetch(`${harness.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'other password 1' }),
    });
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    return {
      post: (path: string) =>
        fetch(`${harness.url}${path}`, { method: 'POST', headers: { cookie } }).then((r) => ({
          status: r.status,
        })),
    };
  }
});
