import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInAgents, type Agents } from '../../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../../testing/kontor-harness.js';

const XML =
  '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>';

describe('process drafts API', () => {
  let harness: KontorHarness;
  let agents: Agents;

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness);
  });
  beforeEach(() => harness.database.pool.query('TRUNCATE process_draft RESTART IDENTITY'));
  afterAll(() => harness?.close());

  const create = (name = 'Claim intake') =>
    agents.analyst.post('/api/drafts', { name, bpmnXml: XML });

  describe('POST /api/drafts', () => {
    it('creates a draft at revision 1 for an analyst', async () => {
      const res = await create();
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/drafts/${res.body.id}`);
      expect(res.body).toMatchObject({
        name: 'Claim intake',
        revision: 1,
        updatedBy: 'analyst-agent',
        bpmnXml: XML,
      });
    });

    it('names every JSON path that is wrong', async () => {
      const res = await agents.analyst.post('/api/drafts', { name: '', extra: 1 });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        { path: '/bpmnXml', message: 'is required' },
        { path: '/extra', message: 'is not allowed' },
        { path: '/name', message: 'must NOT have fewer than 1 characters' },
      ]);
    });

    it('is refused to other roles and to anonymous callers', async () => {
      expect(
        (await agents.caseworker.post('/api/drafts', { name: 'x', bpmnXml: XML })).status,
      ).toBe(403);
      expect((await agents.auditor.post('/api/drafts', { name: 'x', bpmnXml: XML })).status).toBe(
        403,
      );
      expect((await agents.anonymous.post('/api/drafts', { name: 'x', bpmnXml: XML })).status).toBe(
        401,
      );
      expect((await agents.admin.post('/api/drafts', { name: 'x', bpmnXml: XML })).status).toBe(
        201,
      );
    });
  });

  describe('GET /api/drafts', () => {
    it('pages through the drafts, newest first, without their XML', async () => {
      for (const name of ['a', 'b', 'c']) await create(name);
      const res = await agents.analyst.get('/api/drafts?limit=2&offset=0');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((d: { name: string }) => d.name)).toEqual(['c', 'b']);
      expect(res.body.items[0].bpmnXml).toBeUndefined();
      const next = await agents.analyst.get('/api/drafts?limit=2&offset=2');
      expect(next.body.items.map((d: { name: string }) => d.name)).toEqual(['a']);
    });

    it('rejects a page size out of range', async () => {
      const res = await agents.analyst.get('/api/drafts?limit=1000');
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(
        "Query parameter 'limit' must be a whole number from 1 to 200, but was '1000'",
      );
    });

    it('is refused to caseworkers', async () => {
      expect((await agents.caseworker.get('/api/drafts')).status).toBe(403);
    });
  });

  describe('GET /api/drafts/:id and /api/drafts/:id/bpmn', () => {
    it('returns the draft, and the BPMN as a download', async () => {
      const { body: draft } = await create('Claim intake 2');
      expect((await agents.analyst.get(`/api/drafts/${draft.id}`)).body).toEqual(draft);
      const file = await agents.analyst.get(`/api/drafts/${draft.id}/bpmn`);
      expect(file.headers.get('content-disposition')).toBe(
        'attachment; filename=Claim-intake-2.bpmn',
      );
      expect(file.body).toBe(XML);
    });

    it('answers 404 for an unknown or malformed id', async () => {
      expect((await agents.analyst.get('/api/drafts/999')).status).toBe(404);
      expect((await agents.analyst.get('/api/drafts/abc')).body.message).toBe(
        "No draft with id 'abc'",
      );
    });
  });

  describe('PUT /api/drafts/:id', () => {
    it('saves a new revision and refuses a save based on an outdated one', async () => {
      const { body: draft } = await create();
      const first = await agents.analyst.put(`/api/drafts/${draft.id}`, {
        name: 'Renamed',
        bpmnXml: XML,
        basedOnRevision: 1,
      });
      expect(first.body).toMatchObject({ name: 'Renamed', revision: 2 });

      const stale = await agents.admin.put(`/api/drafts/${draft.id}`, {
        name: 'Other',
        bpmnXml: XML,
        basedOnRevision: 1,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.currentRevision).toBe(2);
      expect((await agents.analyst.get(`/api/drafts/${draft.id}`)).body.name).toBe('Renamed');
    });

    it('names a missing revision', async () => {
      const { body: draft } = await create();
      const res = await agents.analyst.put(`/api/drafts/${draft.id}`, { name: 'x', bpmnXml: XML });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([{ path: '/basedOnRevision', message: 'is required' }]);
    });
  });

  describe('DELETE /api/drafts/:id', () => {
    it('deletes once, then answers 404', async () => {
      const { body: draft } = await create();
      expect((await agents.auditor.delete(`/api/drafts/${draft.id}`)).status).toBe(403);
      expect((await agents.analyst.delete(`/api/drafts/${draft.id}`)).status).toBe(204);
      expect((await agents.analyst.delete(`/api/drafts/${draft.id}`)).status).toBe(404);
    });
  });
});
