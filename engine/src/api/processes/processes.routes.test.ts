import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { signInAgents, type Agents } from '../../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../../testing/kontor-harness.js';

describe('processes API', () => {
  let harness: KontorHarness;
  let agents: Agents;
  let counter = 0;

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness);
  });
  beforeEach(() => harness.database.pool.query('TRUNCATE process_draft RESTART IDENTITY'));
  afterAll(() => harness?.close());

  /** A fresh process id per test: deployed definitions stay in the engine. */
  const nextId = () => `claim-${++counter}`;
  const claimProcess = (id: string, type = 'check-claim') =>
    processBuilder(id).startEvent().serviceTask('check', { type }).endEvent().toXml();
  const draftOf = async (bpmnXml: string) =>
    (await agents.analyst.post('/api/drafts', { name: 'Claim', bpmnXml })).body.id as string;
  const deploy = async (bpmnXml: string) =>
    agents.analyst.post('/api/deployments', { draftId: await draftOf(bpmnXml) });

  describe('POST /api/deployments', () => {
    it('deploys a draft as version 1, and a changed draft as version 2', async () => {
      const id = nextId();
      const first = await deploy(claimProcess(id));
      expect(first.status).toBe(201);
      expect(first.body.processes).toEqual([
        { processDefinitionKey: expect.any(String), bpmnProcessId: id, version: 1 },
      ]);
      const second = await deploy(claimProcess(id, 'check-claim-v2'));
      expect(second.body.processes[0].version).toBe(2);
    });

    it('answers 400 with every problem on the element it concerns', async () => {
      const broken = processBuilder(nextId())
        .startEvent()
        .serviceTask('check', { type: '' })
        .exclusiveGateway('ok')
        .condition('= amount >')
        .endEvent('done')
        .toXml();
      const res = await deploy(broken);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_bpmn');
      const elements = res.body.problems.map((p: { elementId: string }) => p.elementId);
      expect(elements).toContain('check');
      for (const problem of res.body.problems) expect(problem.message).toEqual(expect.any(String));
      expect(res.body.message).toMatch(/cannot be deployed/);
    });

    it('names a malformed draft id and answers 404 for an unknown one', async () => {
      const bad = await agents.analyst.post('/api/deployments', { draftId: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.problems[0].path).toBe('/draftId');
      expect((await agents.analyst.post('/api/deployments', { draftId: '999' })).status).toBe(404);
    });

    it('is refused to caseworkers and auditors, and to anonymous callers', async () => {
      const draftId = await draftOf(claimProcess(nextId()));
      expect((await agents.caseworker.post('/api/deployments', { draftId })).status).toBe(403);
      expect((await agents.auditor.post('/api/deployments', { draftId })).status).toBe(403);
      expect((await agents.anonymous.post('/api/deployments', { draftId })).status).toBe(401);
      expect((await agents.admin.post('/api/deployments', { draftId })).status).toBe(201);
    });
  });

  describe('GET /api/process-definitions', () => {
    it('lists processes with their versions, newest first, a page at a time', async () => {
      const id = `aaa-${nextId()}`;
      await deploy(claimProcess(id));
      await deploy(claimProcess(id, 'changed'));
      const res = await agents.analyst.get('/api/process-definitions?limit=1');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.total).toBeGreaterThanOrEqual(1);
      const [first] = res.body.items;
      expect(first.bpmnProcessId).toBe(id);
      expect(first.latestVersion).toBe(2);
      expect(first.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(first.versions[0].bpmnXml).toBeUndefined();
    });

    it('rejects a bad page and is refused to auditors', async () => {
      const res = await agents.analyst.get('/api/process-definitions?offset=-1');
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/'offset'/);
      expect((await agents.auditor.get('/api/process-definitions')).status).toBe(403);
      expect((await agents.anonymous.get('/api/process-definitions')).status).toBe(401);
    });
  });

  describe('GET /api/process-definitions/:key and /bpmn', () => {
    it('returns one version with its XML and as a download', async () => {
      const id = nextId();
      const xml = claimProcess(id);
      const key = (await deploy(xml)).body.processes[0].processDefinitionKey;
      const res = await agents.analyst.get(`/api/process-definitions/${key}`);
      expect(res.body).toMatchObject({ processDefinitionKey: key, bpmnProcessId: id, version: 1 });
      expect(res.body.bpmnXml).toBe(xml);
      const file = await agents.analyst.get(`/api/process-definitions/${key}/bpmn`);
      expect(file.headers.get('content-disposition')).toBe(`attachment; filename=${id}-v1.bpmn`);
      expect(file.body).toBe(xml);
    });

    it('answers 404 for an unknown or malformed key', async () => {
      expect((await agents.analyst.get('/api/process-definitions/12345')).status).toBe(404);
      const res = await agents.analyst.get('/api/process-definitions/abc');
      expect(res.body.message).toBe("No process definition with key 'abc'");
    });
  });

  describe('GET /api/process-definitions/:key/diff', () => {
    it('names the elements added, removed and changed between two versions', async () => {
      const id = nextId();
      const v1 = processBuilder(id)
        .startEvent()
        .serviceTask('check', { type: 'check' })
        .serviceTask('archive', { type: 'archive' })
        .endEvent()
        .toXml();
      const v2 = processBuilder(id)
        .startEvent()
        .serviceTask('check', { type: 'check-v2' })
        .userTask('review')
        .endEvent()
        .toXml();
      const from = (await deploy(v1)).body.processes[0].processDefinitionKey;
      const to = (await deploy(v2)).body.processes[0].processDefinitionKey;
      const res = await agents.analyst.get(`/api/process-definitions/${to}/diff?against=${from}`);
      expect(res.status).toBe(200);
      expect(res.body.from.version).toBe(1);
      expect(res.body.to.version).toBe(2);
      expect(res.body.added).toEqual(expect.arrayContaining(['review']));
      expect(res.body.removed).toEqual(expect.arrayContaining(['archive']));
      expect(res.body.changed).toContainEqual({
        elementId: 'check',
        properties: ['extensionElements'],
      });
      expect(res.body.changed.map((c: { elementId: string }) => c.elementId)).not.toContain(
        'start',
      );
    });

    it('requires the version to compare with', async () => {
      const key = (await deploy(claimProcess(nextId()))).body.processes[0].processDefinitionKey;
      const res = await agents.analyst.get(`/api/process-definitions/${key}/diff`);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/Query parameter 'against'/);
    });
  });

  describe('DELETE /api/process-definitions/:key', () => {
    const keyOf = async (bpmnXml: string) =>
      (await deploy(bpmnXml)).body.processes[0].processDefinitionKey as string;
    const versionsOf = async (id: string) => {
      const res = await agents.analyst.get('/api/process-definitions?limit=100');
      return res.body.items.find((p: { bpmnProcessId: string }) => p.bpmnProcessId === id);
    };
    const lastUserAction = async () => {
      const { rows } = await harness.database.pool.query<{ value: unknown }>(
        `SELECT value FROM engine_record WHERE value_type = 'USER_ACTION'
          ORDER BY position DESC LIMIT 1`,
      );
      return rows[0]?.value;
    };

    it('deletes the latest version, so that the version before it is the latest again', async () => {
      // given
      const id = nextId();
      const v1 = await keyOf(claimProcess(id));
      const v2 = await keyOf(claimProcess(id, 'v2'));
      // when
      const res = await agents.analyst.delete(`/api/process-definitions/${v2}`);
      // then
      expect(res.status).toBe(204);
      expect(await versionsOf(id)).toMatchObject({
        latestVersion: 1,
        versions: [{ processDefinitionKey: v1, version: 1 }],
      });
      // the audit trail names who deleted which version
      expect(await lastUserAction()).toMatchObject({
        user: 'analyst-agent',
        action: 'DELETE_PROCESS_DEFINITION',
        details: { processDefinitionKey: v2, bpmnProcessId: id, version: 2 },
      });
      const started = await agents.analyst.post('/api/process-instances', { bpmnProcessId: id });
      expect(started.body).toMatchObject({ processDefinitionKey: v1, version: 1 });
    });

    it('answers 409 with the engine message while an instance of the version runs', async () => {
      // given
      const id = nextId();
      const key = await keyOf(claimProcess(id));
      await agents.analyst.post('/api/process-instances', { bpmnProcessId: id });
      // when
      const res = await agents.analyst.delete(`/api/process-definitions/${key}`);
      // then
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('conflict');
      expect(res.body.message).toMatch(/has 1 running process instance;/);
      expect((await versionsOf(id)).versions).toHaveLength(1);
    });

    it('answers 404 for an unknown or already deleted key, and 400 for a malformed one', async () => {
      const key = await keyOf(claimProcess(nextId()));
      expect((await agents.analyst.delete(`/api/process-definitions/${key}`)).status).toBe(204);
      const again = await agents.analyst.delete(`/api/process-definitions/${key}`);
      expect(again.status).toBe(404);
      expect(again.body.message).toMatch(new RegExp(`'${key}'`));
      expect((await agents.analyst.delete('/api/process-definitions/12345')).status).toBe(404);
      const bad = await agents.analyst.delete('/api/process-definitions/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/'abc'/);
    });

    it('is allowed to admins, refused to caseworkers and auditors, and to anonymous callers', async () => {
      const key = await keyOf(claimProcess(nextId()));
      const path = `/api/process-definitions/${key}`;
      expect((await agents.caseworker.delete(path)).status).toBe(403);
      expect((await agents.auditor.delete(path)).status).toBe(403);
      expect((await agents.anonymous.delete(path)).status).toBe(401);
      expect((await agents.admin.delete(path)).status).toBe(204);
      expect(await lastUserAction()).toMatchObject({ user: 'admin-agent' });
    });
  });

  describe('POST /api/process-instances', () => {
    it('starts the latest version with variables', async () => {
      const id = nextId();
      await deploy(claimProcess(id));
      await deploy(claimProcess(id, 'v2'));
      const res = await agents.analyst.post('/api/process-instances', {
        bpmnProcessId: id,
        variables: { businessKey: 'C-1', amount: 120 },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ bpmnProcessId: id, version: 2 });
      expect(res.headers.get('location')).toBe(
        `/api/process-instances/${res.body.processInstanceKey}`,
      );
      const { rows } = await harness.database.pool.query(
        'SELECT state FROM engine_process_instance WHERE process_instance_key = $1',
        [res.body.processInstanceKey],
      );
      expect(rows).toEqual([{ state: 'ACTIVE' }]);
      // the audit trail names who started it
      const records = await harness.kontor.engine.readRecords({
        processInstanceKey: res.body.processInstanceKey,
      });
      expect(records.find((r) => r.valueType === 'USER_ACTION')?.value).toMatchObject({
        user: 'analyst-agent',
        action: 'START_INSTANCE',
      });
    });

    it('starts a given version', async () => {
      const id = nextId();
      await deploy(claimProcess(id));
      await deploy(claimProcess(id, 'v2'));
      const res = await agents.analyst.post('/api/process-instances', {
        bpmnProcessId: id,
        version: 1,
      });
      expect(res.body.version).toBe(1);
    });

    it('answers 404 for an unknown process and 400 for variables that are not an object', async () => {
      const unknown = await agents.analyst.post('/api/process-instances', {
        bpmnProcessId: 'nope',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toMatch(/process ID 'nope'/);
      const bad = await agents.analyst.post('/api/process-instances', {
        bpmnProcessId: 'x',
        variables: [1],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.problems).toEqual([{ path: '/variables', message: 'must be object' }]);
    });

    it('is refused to caseworkers and auditors', async () => {
      const body = { bpmnProcessId: 'x' };
      expect((await agents.caseworker.post('/api/process-instances', body)).status).toBe(403);
      expect((await agents.auditor.post('/api/process-instances', body)).status).toBe(403);
      expect((await agents.anonymous.post('/api/process-instances', body)).status).toBe(401);
    });
  });
});
