/**
 * REST integration tests of the form editor's routes, per route and role, on a whole Kontor:
 * drafts with optimistic revisions, deployment into immutable versions, the usage view, and the
 * tasklist showing a task the latest deployed version of its form key (before schemas/forms).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { startInstances, waitForTasks } from '../../tasklist/testing/user-task-fixtures.js';
import { signInAgents, type Agents, type ApiAgent } from '../../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../../testing/kontor-harness.js';
import { formSchema } from './testing/form-fixtures.js';

const CLAIM_CHECK = formSchema('Claim check')
  .text('claimNo', { title: 'Claim number', required: true, minLength: 3 })
  .number('amount', { title: 'Amount', minimum: 0 })
  .when('amount', { minimum: 1000 }, (then) => then.text('reason', { required: true }))
  .toJson();

describe('forms REST API', () => {
  let harness: KontorHarness;
  let agents: Agents;
  let processCount = 0;

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness);
  });
  beforeEach(() =>
    harness.database.pool.query('TRUNCATE form_draft, form_version RESTART IDENTITY'),
  );
  afterAll(() => harness?.close());

  const createDraft = (formKey = 'claim-check', jsonSchema = CLAIM_CHECK, agent?: ApiAgent) =>
    (agent ?? agents.analyst).post('/api/form-drafts', {
      formKey,
      name: 'Claim check',
      jsonSchema,
      uiSchema: { amount: { 'ui:help': 'in EUR' } },
    });

  async function deployed(formKey = 'claim-check', jsonSchema = CLAIM_CHECK) {
    const draft = (await createDraft(formKey, jsonSchema)).body;
    const res = await agents.analyst.post(`/api/form-drafts/${draft.id}/deploy`, {
      basedOnRevision: draft.revision,
    });
    expect(res.status).toBe(201);
    return { draft, version: res.body };
  }

  /** A fresh process whose user task names `formKey`, one instance; the task's job key. */
  async function taskWithForm(formKey: string): Promise<string> {
    processCount += 1;
    const bpmnProcessId = `form-user-${processCount}`;
    await harness.kontor.engine.deployResources([
      {
        name: `${bpmnProcessId}.bpmn`,
        content: processBuilder(bpmnProcessId)
          .startEvent()
          .userTask('check', { name: 'Check the claim', formKey })
          .endEvent()
          .toXml(),
      },
    ]);
    const instances = await startInstances(harness.kontor.engine, bpmnProcessId, [{}]);
    const [jobKey] = await waitForTasks(harness.database.pool, instances);
    return jobKey;
  }

  describe('roles', () => {
    it.each([
      ['GET', '/api/form-drafts'],
      ['POST', '/api/form-drafts'],
      ['GET', '/api/form-drafts/1'],
      ['PUT', '/api/form-drafts/1'],
      ['DELETE', '/api/form-drafts/1'],
      ['POST', '/api/form-drafts/1/deploy'],
      ['GET', '/api/forms'],
      ['GET', '/api/forms/usage'],
      ['GET', '/api/forms/claim-check/versions'],
      ['GET', '/api/forms/claim-check/versions/1'],
    ])('%s %s: 401 signed out, 403 for caseworker and auditor', async (method, path) => {
      const call = (agent: ApiAgent) =>
        method === 'GET'
          ? agent.get(path)
          : method === 'DELETE'
            ? agent.delete(path)
            : method === 'PUT'
              ? agent.put(path, {})
              : agent.post(path, {});
      expect((await call(agents.anonymous)).status).toBe(401);
      expect((await call(agents.caseworker)).status).toBe(403);
      expect((await call(agents.auditor)).status).toBe(403);
    });

    it('GET /api/tasks/:key/form: 401 signed out, 403 for analyst and auditor', async () => {
      expect((await agents.anonymous.get('/api/tasks/1/form')).status).toBe(401);
      expect((await agents.analyst.get('/api/tasks/1/form')).status).toBe(403);
      expect((await agents.auditor.get('/api/tasks/1/form')).status).toBe(403);
      expect((await agents.caseworker.get('/api/tasks/1/form')).status).toBe(404);
    });
  });

  describe('POST /api/form-drafts', () => {
    it('creates the draft of a form key at revision 1', async () => {
      const res = await createDraft();
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/form-drafts/${res.body.id}`);
      expect(res.body).toMatchObject({
        formKey: 'claim-check',
        name: 'Claim check',
        revision: 1,
        updatedBy: 'analyst-agent',
        jsonSchema: CLAIM_CHECK,
        uiSchema: { amount: { 'ui:help': 'in EUR' } },
      });
    });

    it('keeps the order of the fields', async () => {
      const jsonSchema = formSchema().text('zeta').text('alpha').text('mid').toJson();
      const res = await createDraft('ordered', jsonSchema);
      const read = await agents.analyst.get(`/api/form-drafts/${res.body.id}`);
      expect(Object.keys(read.body.jsonSchema.properties)).toEqual(['zeta', 'alpha', 'mid']);
    });

    it('names every JSON path of a body that is wrong', async () => {
      const res = await agents.analyst.post('/api/form-drafts', {
        formKey: '../etc',
        name: '',
        extra: 1,
      });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        { path: '/jsonSchema', message: 'is required' },
        { path: '/extra', message: 'is not allowed' },
        { path: '/formKey', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"' },
        { path: '/name', message: 'must NOT have fewer than 1 characters' },
      ]);
    });

    it('names the JSON paths inside a JSON Schema that is not a valid form', async () => {
      const res = await createDraft('broken', {
        type: 'object',
        properties: {
          age: { type: 'numbr' },
          code: { type: 'string', pattern: '([a-z' },
          tags: { type: 'array', minItems: -1 },
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_body');
      const paths = res.body.problems.map((p: { path: string }) => p.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/jsonSchema/properties/age/type',
          '/jsonSchema/properties/code/pattern',
          '/jsonSchema/properties/tags/minItems',
        ]),
      );
    });

    it('refuses a schema that is not of an object', async () => {
      const res = await createDraft('scalar', { type: 'string' });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        { path: '/jsonSchema/type', message: "must be 'object': a form is an object of fields" },
      ]);
    });

    it('refuses a second draft of the same form key with 409 and names the first', async () => {
      const first = await createDraft();
      const second = await createDraft();
      expect(second.status).toBe(409);
      expect(second.body.draftId).toBe(first.body.id);
    });

    it('is open to admins', async () => {
      expect((await createDraft('by-admin', CLAIM_CHECK, agents.admin)).status).toBe(201);
    });
  });

  describe('GET /api/form-drafts', () => {
    it('pages through the drafts, newest first, without their schemas', async () => {
      for (const key of ['a', 'b', 'c']) await createDraft(key);
      const res = await agents.analyst.get('/api/form-drafts?limit=2');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((d: { formKey: string }) => d.formKey)).toEqual(['c', 'b']);
      expect(res.body.items[0].jsonSchema).toBeUndefined();
    });

    it('rejects a page size out of range', async () => {
      expect((await agents.analyst.get('/api/form-drafts?limit=0')).status).toBe(400);
    });
  });

  describe('GET /api/form-drafts/:id', () => {
    it('answers 404 for an unknown or malformed id', async () => {
      expect((await agents.analyst.get('/api/form-drafts/99')).status).toBe(404);
      expect((await agents.analyst.get('/api/form-drafts/x')).status).toBe(404);
    });
  });

  describe('PUT /api/form-drafts/:id', () => {
    it('saves a new revision, and refuses a save based on a stale one with 409', async () => {
      const draft = (await createDraft()).body;
      const changed = formSchema().text('claimNo', { required: true }).toJson();
      const saved = await agents.analyst.put(`/api/form-drafts/${draft.id}`, {
        name: 'Claim check (short)',
        jsonSchema: changed,
        basedOnRevision: 1,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ revision: 2, jsonSchema: changed, uiSchema: {} });

      const stale = await agents.admin.put(`/api/form-drafts/${draft.id}`, {
        name: 'Claim check',
        jsonSchema: CLAIM_CHECK,
        basedOnRevision: 1,
      });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ error: 'conflict', currentRevision: 2 });
      expect((await agents.analyst.get(`/api/form-drafts/${draft.id}`)).body.name).toBe(
        'Claim check (short)',
      );
    });

    it('names the JSON paths of an invalid schema and keeps the last revision', async () => {
      const draft = (await createDraft()).body;
      const res = await agents.analyst.put(`/api/form-drafts/${draft.id}`, {
        name: 'x',
        jsonSchema: { type: 'object', required: 'claimNo' },
        basedOnRevision: 1,
      });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        { path: '/jsonSchema/required', message: 'must be array' },
      ]);
      expect((await agents.analyst.get(`/api/form-drafts/${draft.id}`)).body.revision).toBe(1);
    });

    it('answers 404 for an unknown draft', async () => {
      const res = await agents.analyst.put('/api/form-drafts/77', {
        name: 'x',
        jsonSchema: CLAIM_CHECK,
        basedOnRevision: 1,
      });
      expect(res.status).toBe(404);
    });
  });

  describe('DELETE /api/form-drafts/:id', () => {
    it('deletes the draft and keeps its deployed versions', async () => {
      const { draft } = await deployed();
      expect((await agents.analyst.delete(`/api/form-drafts/${draft.id}`)).status).toBe(204);
      expect((await agents.analyst.get(`/api/form-drafts/${draft.id}`)).status).toBe(404);
      expect((await agents.analyst.delete(`/api/form-drafts/${draft.id}`)).status).toBe(404);
      expect((await agents.analyst.get('/api/forms/claim-check/versions/1')).status).toBe(200);
    });
  });

  describe('POST /api/form-drafts/:id/deploy', () => {
    it('deploys version 1, then the next version after an edit; older versions stay as they were', async () => {
      const { draft, version } = await deployed();
      expect(version).toMatchObject({
        formKey: 'claim-check',
        version: 1,
        duplicate: false,
        deployedBy: 'analyst-agent',
        jsonSchema: CLAIM_CHECK,
      });

      const edited = formSchema('Claim check').text('claimNo', { required: true }).toJson();
      await agents.analyst.put(`/api/form-drafts/${draft.id}`, {
        name: 'Claim check',
        jsonSchema: edited,
        basedOnRevision: 1,
      });
      const second = await agents.analyst.post(`/api/form-drafts/${draft.id}/deploy`, {
        basedOnRevision: 2,
      });
      expect(second.status).toBe(201);
      expect(second.headers.get('location')).toBe('/api/forms/claim-check/versions/2');
      expect(second.body).toMatchObject({ version: 2, jsonSchema: edited });
      expect(
        (await agents.analyst.get('/api/forms/claim-check/versions/1')).body.jsonSchema,
      ).toEqual(CLAIM_CHECK);
    });

    it('deploys nothing new when the draft equals the latest version', async () => {
      const { draft } = await deployed();
      const again = await agents.analyst.post(`/api/form-drafts/${draft.id}/deploy`, {
        basedOnRevision: 1,
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ version: 1, duplicate: true });
    });

    it('refuses a deploy based on a stale revision with 409', async () => {
      const draft = (await createDraft()).body;
      await agents.analyst.put(`/api/form-drafts/${draft.id}`, {
        name: 'Changed',
        jsonSchema: CLAIM_CHECK,
        basedOnRevision: 1,
      });
      const res = await agents.analyst.post(`/api/form-drafts/${draft.id}/deploy`, {
        basedOnRevision: 1,
      });
      expect(res.status).toBe(409);
      expect(res.body.currentRevision).toBe(2);
      expect((await agents.analyst.get('/api/forms')).body.items).toEqual([]);
    });

    it('names the JSON path of a missing revision, and answers 404 for an unknown draft', async () => {
      const res = await agents.analyst.post('/api/form-drafts/5/deploy', {});
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([{ path: '/basedOnRevision', message: 'is required' }]);
      expect(
        (await agents.analyst.post('/api/form-drafts/5/deploy', { basedOnRevision: 1 })).status,
      ).toBe(404);
    });

    it('a deployed version cannot be changed, even in the database', async () => {
      await deployed();
      await expect(
        harness.database.pool.query(
          "UPDATE form_version SET name = 'x' WHERE form_key = 'claim-check'",
        ),
      ).rejects.toThrow('form claim-check version 1 is deployed and cannot change');
    });
  });

  describe('GET /api/forms and versions', () => {
    it('lists deployed form keys with their latest version, and the versions of one', async () => {
      const { draft } = await deployed();
      await agents.analyst.put(`/api/form-drafts/${draft.id}`, {
        name: 'Claim check v2',
        jsonSchema: CLAIM_CHECK,
        basedOnRevision: 1,
      });
      await agents.analyst.post(`/api/form-drafts/${draft.id}/deploy`, { basedOnRevision: 2 });
      await deployed('other');

      const keys = await agents.analyst.get('/api/forms');
      expect(keys.body.items).toMatchObject([
        { formKey: 'claim-check', latestVersion: 2, name: 'Claim check v2' },
        { formKey: 'other', latestVersion: 1 },
      ]);
      const versions = await agents.analyst.get('/api/forms/claim-check/versions');
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(versions.body.items[0].jsonSchema).toBeUndefined();
      expect((await agents.analyst.get('/api/forms/nope/versions')).status).toBe(404);
      expect((await agents.analyst.get('/api/forms/claim-check/versions/3')).status).toBe(404);
      expect((await agents.analyst.get('/api/forms/claim-check/versions/x')).status).toBe(404);
    });
  });

  describe('GET /api/forms/usage', () => {
    it('lists per form key the process versions whose user tasks name it', async () => {
      // given: form v1, then process p v1, then form v2, then process p v2, and a process with
      // another form key
      const { draft } = await deployed('usage-form');
      let deployments = 0;
      const deploy = (bpmnProcessId: string, formKey: string) =>
        harness.kontor.engine.deployResources([
          {
            name: `${bpmnProcessId}.bpmn`,
            content: processBuilder(bpmnProcessId)
              .startEvent()
              .userTask('fill', { name: `Fill ${formKey}`, formKey })
              .endEvent()
              .toXml()
              // a new version each time, not a duplicate
              .replace('<bpmn:endEvent', `<bpmn:endEvent name="end ${++deployments}"`),
          },
        ]);
      await deploy('usage-process', 'usage-form');
      await agents.analyst.put(`/api/form-drafts/${draft.id}`, {
        name: 'Second',
        jsonSchema: CLAIM_CHECK,
        basedOnRevision: 1,
      });
      await agents.analyst.post(`/api/form-drafts/${draft.id}/deploy`, { basedOnRevision: 2 });
      await deploy('usage-process', 'usage-form');
      await deploy('unrelated-process', 'usage-formX');

      // when
      const res = await agents.analyst.get('/api/forms/usage');

      // then
      expect(res.status).toBe(200);
      const usage = res.body.items.find((u: { formKey: string }) => u.formKey === 'usage-form');
      expect(usage.latestVersion).toBe(2);
      expect(usage.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(usage.processes).toMatchObject([
        {
          bpmnProcessId: 'usage-process',
          version: 2,
          userTasks: [{ elementId: 'fill', name: 'Fill usage-form' }],
          formVersionAtDeployment: 2,
        },
        { bpmnProcessId: 'usage-process', version: 1, formVersionAtDeployment: 1 },
      ]);
    });
  });

  describe('GET /api/tasks/:key/form and the tasklist', () => {
    it('shows a task the latest deployed version of its form key, and completes against it', async () => {
      // given: a deployed form and a task that names it
      await deployed('task-form');
      const jobKey = await taskWithForm('task-form');

      // then the caseworker reads version 1 with its UI schema
      const form = await agents.caseworker.get(`/api/tasks/${jobKey}/form`);
      expect(form.status).toBe(200);
      expect(form.body).toMatchObject({
        formKey: 'task-form',
        version: 1,
        schema: CLAIM_CHECK,
        uiSchema: { amount: { 'ui:help': 'in EUR' } },
      });
      expect((await agents.caseworker.get(`/api/tasks/${jobKey}`)).body.form).toMatchObject({
        version: 1,
        schema: CLAIM_CHECK,
      });

      // and completing checks the values against it, including the conditional field
      await agents.caseworker.post(`/api/tasks/${jobKey}/claim`);
      const invalid = await agents.caseworker.post(`/api/tasks/${jobKey}/complete`, {
        variables: { claimNo: 'C-1', amount: 5000 },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.problems).toEqual([{ path: '/reason', message: 'is required' }]);
      const valid = await agents.caseworker.post(`/api/tasks/${jobKey}/complete`, {
        variables: { claimNo: 'C-1', amount: 5000, reason: 'Large claim checked' },
      });
      expect(valid.status).toBe(200);
    });

    it('a new version applies to the next completion of an open task', async () => {
      const { draft } = await deployed('versioned-form');
      const jobKey = await taskWithForm('versioned-form');
      await agents.caseworker.post(`/api/tasks/${jobKey}/claim`);
      await agents.caseworker.get(`/api/tasks/${jobKey}/form`); // version 1 compiled and cached

      const stricter = formSchema()
        .text('claimNo', { required: true, pattern: '^C-\\d+$' })
        .toJson();
      await agents.analyst.put(`/api/form-drafts/${draft.id}`, {
        name: 'Claim check',
        jsonSchema: stricter,
        basedOnRevision: 1,
      });
      await agents.analyst.post(`/api/form-drafts/${draft.id}/deploy`, { basedOnRevision: 2 });

      expect((await agents.caseworker.get(`/api/tasks/${jobKey}/form`)).body.version).toBe(2);
      const res = await agents.caseworker.post(`/api/tasks/${jobKey}/complete`, {
        variables: { claimNo: 'X-1' },
      });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        { path: '/claimNo', message: 'must match pattern "^C-\\d+$"' },
      ]);
    });

    it('falls back to schemas/forms when no version of the key is deployed', async () => {
      const jobKey = await taskWithForm('claim-review');
      const res = await agents.caseworker.get(`/api/tasks/${jobKey}/form`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ formKey: 'claim-review', version: null, uiSchema: {} });
      expect(res.body.schema.title).toBe('Claim review');
    });

    it('answers 422 for a form key that names no form, and 404 for an unknown task', async () => {
      const jobKey = await taskWithForm('no-such-form');
      const res = await agents.caseworker.get(`/api/tasks/${jobKey}/form`);
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/No form 'no-such-form'/);
      expect((await agents.caseworker.get('/api/tasks/123/form')).status).toBe(404);
    });
  });
});
