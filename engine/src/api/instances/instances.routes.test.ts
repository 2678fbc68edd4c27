import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import type { Engine } from '../../runtime/engine.js';
import { signInAgents, type Agents } from '../../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../../testing/kontor-harness.js';

describe('process instances API', () => {
  let harness: KontorHarness;
  let agents: Agents;
  let engine: Engine;
  /** completed: paid, businessKey B-1 */
  let paid: string;
  /** active with an incident at `charge`, businessKey B-2 */
  let failed: string;

  const activate = async (type: string) => {
    const [job] = await engine.activateJobs({
      type,
      worker: 'test-worker',
      timeoutMs: 60_000,
      maxJobsToActivate: 1,
    });
    if (!job) throw new Error(`no job of type ${type}`);
    return job;
  };

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness);
    engine = harness.kontor.engine;
    await engine.deployResources([
      {
        name: 'order.bpmn',
        content: processBuilder('order')
          .startEvent()
          .serviceTask('charge', { type: 'charge', retries: '1' })
          .endEvent('done')
          .toXml(),
      },
      {
        name: 'other.bpmn',
        content: processBuilder('other').startEvent().endEvent().toXml(),
      },
    ]);
    paid = (
      await engine.createProcessInstance({
        bpmnProcessId: 'order',
        variables: { businessKey: 'B-1', amount: 5 },
      })
    ).processInstanceKey;
    await engine.completeJob((await activate('charge')).key, { paid: true, amount: 6 });
    failed = (
      await engine.createProcessInstance({
        bpmnProcessId: 'order',
        variables: { businessKey: 'B-2', amount: 70 },
      })
    ).processInstanceKey;
    await engine.failJob((await activate('charge')).key, {
      retries: 0,
      errorMessage: 'card declined',
    });
    await engine.createProcessInstance({ bpmnProcessId: 'other' });
  });
  afterAll(() => harness?.close());

  const keysOf = (body: { items: { processInstanceKey: string }[] }) =>
    body.items.map((i) => i.processInstanceKey);

  describe('GET /api/process-instances', () => {
    it('finds instances by process, state, business key and variable value', async () => {
      const byProcess = await agents.auditor.get('/api/process-instances?bpmnProcessId=order');
      expect(byProcess.status).toBe(200);
      expect(byProcess.body.total).toBe(2);
      expect(keysOf(byProcess.body)).toEqual([failed, paid]);
      expect(byProcess.body.items[0]).toMatchObject({
        bpmnProcessId: 'order',
        version: 1,
        state: 'ACTIVE',
        businessKey: 'B-2',
        openIncidents: 1,
      });

      const completed = await agents.auditor.get('/api/process-instances?state=COMPLETED');
      expect(keysOf(completed.body)).toContain(paid);
      expect(keysOf(completed.body)).not.toContain(failed);

      const byKey = await agents.auditor.get('/api/process-instances?businessKey=B-1');
      expect(keysOf(byKey.body)).toEqual([paid]);

      // the latest value counts: amount was 5, then 6
      const byVariable = await agents.auditor.get(
        '/api/process-instances?variableName=amount&variableValue=6',
      );
      expect(keysOf(byVariable.body)).toEqual([paid]);
      const oldValue = await agents.auditor.get(
        '/api/process-instances?variableName=amount&variableValue=5',
      );
      expect(oldValue.body.total).toBe(0);
      const hasVariable = await agents.auditor.get('/api/process-instances?variableName=paid');
      expect(keysOf(hasVariable.body)).toEqual([paid]);
    });

    it('filters by start date and pages on the server', async () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      const future = await agents.auditor.get(`/api/process-instances?startedFrom=${tomorrow}`);
      expect(future.body).toEqual({ items: [], total: 0 });
      const until = await agents.auditor.get(`/api/process-instances?startedTo=${tomorrow}`);
      expect(until.body.total).toBe(3);

      const first = await agents.auditor.get('/api/process-instances?limit=2');
      const second = await agents.auditor.get('/api/process-instances?limit=2&offset=2');
      expect(first.body.items).toHaveLength(2);
      expect(second.body.items).toHaveLength(1);
      expect(first.body.total).toBe(3);
    });

    it('names a bad filter', async () => {
      const state = await agents.auditor.get('/api/process-instances?state=RUNNING');
      expect(state.status).toBe(400);
      expect(state.body.message).toBe(
        "Query parameter 'state' must be one of ACTIVE, COMPLETED, TERMINATED, but was 'RUNNING'",
      );
      const date = await agents.auditor.get('/api/process-instances?startedFrom=yesterday');
      expect(date.status).toBe(400);
      expect(date.body.message).toMatch(/'startedFrom' must be a date/);
      const value = await agents.auditor.get('/api/process-instances?variableValue=1');
      expect(value.body.message).toMatch(/'variableValue' needs 'variableName'/);
    });

    it('is for auditors and admins only', async () => {
      expect((await agents.analyst.get('/api/process-instances')).status).toBe(403);
      expect((await agents.caseworker.get('/api/process-instances')).status).toBe(403);
      expect((await agents.anonymous.get('/api/process-instances')).status).toBe(401);
      expect((await agents.admin.get('/api/process-instances')).status).toBe(200);
    });
  });

  describe('GET /api/process-instances/:key', () => {
    it('shows the completed path of a finished instance', async () => {
      const res = await agents.auditor.get(`/api/process-instances/${paid}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ processInstanceKey: paid, state: 'COMPLETED' });
      expect(res.body.bpmnXml).toContain('id="charge"');
      const charge = res.body.elements.find((e: { elementId: string }) => e.elementId === 'charge');
      expect(charge).toEqual({
        elementId: 'charge',
        active: 0,
        completed: 1,
        terminated: 0,
        incidents: 0,
        openIncidents: 0,
      });
      expect(res.body.takenFlows).toEqual(
        expect.arrayContaining([
          { elementId: 'start-charge', count: 1 },
          { elementId: 'charge-done', count: 1 },
        ]),
      );
      expect(res.body.incidents).toEqual([]);
    });

    it('shows the token and the open incident of a stuck instance', async () => {
      const res = await agents.auditor.get(`/api/process-instances/${failed}`);
      const charge = res.body.elements.find((e: { elementId: string }) => e.elementId === 'charge');
      expect(charge).toMatchObject({ active: 1, completed: 0, incidents: 1, openIncidents: 1 });
      expect(res.body.incidents).toEqual([
        expect.objectContaining({
          elementId: 'charge',
          errorType: 'JOB_NO_RETRIES',
          errorMessage: 'card declined',
          jobKey: expect.any(String),
        }),
      ]);
    });

    it('answers 404 for an unknown instance', async () => {
      const res = await agents.auditor.get('/api/process-instances/42');
      expect(res.status).toBe(404);
      expect(res.body.message).toBe("No process instance with key '42'");
    });
  });

  describe('GET /api/process-instances/:key/variables', () => {
    it('lists every value each variable had, with time and element', async () => {
      const res = await agents.auditor.get(`/api/process-instances/${paid}/variables`);
      expect(res.status).toBe(200);
      const amounts = res.body.items.filter((v: { name: string }) => v.name === 'amount');
      expect(amounts.map((v: { value: number }) => v.value)).toEqual([5, 6]);
      expect(amounts[1]).toMatchObject({
        intent: 'UPDATED',
        elementId: 'order',
        scopeKey: paid,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const byName = await agents.auditor.get(
        `/api/process-instances/${paid}/variables?name=paid&limit=1`,
      );
      expect(byName.body).toMatchObject({ total: 1, items: [{ name: 'paid', value: true }] });
    });

    it('is refused to analysts', async () => {
      expect((await agents.analyst.get(`/api/process-instances/${paid}/variables`)).status).toBe(
        403,
      );
    });
  });

  describe('GET /api/process-instances/:key/records', () => {
    it('pages through the full record timeline in stream order', async () => {
      const all = await agents.auditor.get(`/api/process-instances/${paid}/records?limit=200`);
      expect(all.body.total).toBe(all.body.items.length);
      const intents = all.body.items.map(
        (r: { valueType: string; intent: string; elementId?: string }) =>
          `${r.valueType} ${r.intent} ${r.elementId ?? ''}`.trim(),
      );
      expect(intents).toContain('JOB COMPLETED charge');
      expect(intents.at(-1)).toBe('PROCESS_INSTANCE ELEMENT_COMPLETED order');
      const page = await agents.auditor.get(
        `/api/process-instances/${paid}/records?limit=3&offset=3`,
      );
      expect(page.body.items.map((r: { position: string }) => r.position)).toEqual(
        all.body.items.slice(3, 6).map((r: { position: string }) => r.position),
      );
      expect(page.body.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('rejects a page size out of range', async () => {
      const res = await agents.auditor.get(`/api/process-instances/${paid}/records?limit=0`);
      expect(res.status).toBe(400);
    });
  });

  describe('GET /api/process-instances/:key/audit-trail', () => {
    it('exports JSON with every record and the chain verification', async () => {
      const res = await agents.auditor.get(`/api/process-instances/${paid}/audit-trail`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename=audit-trail-${paid}.json`,
      );
      const records = await agents.auditor.get(`/api/process-instances/${paid}/records?limit=200`);
      expect(res.body.records).toHaveLength(records.body.total);
      expect(res.body.verification).toMatchObject({ ok: true });
      expect(res.body.exportedBy).toBe('auditor-agent');
      expect(res.body.instance).toMatchObject({ processInstanceKey: paid, state: 'COMPLETED' });
    });

    it('exports a PDF with the instance, the chain verification and every record, in any script', async () => {
      // given an instance whose variables are not in Latin letters
      const { processInstanceKey } = await engine.createProcessInstance({
        bpmnProcessId: 'other',
        variables: { customer: 'Иван Петров', city: 'Αθήνα' },
      });

      // when
      const res = await agents.auditor.get(
        `/api/process-instances/${processInstanceKey}/audit-trail?format=pdf`,
      );

      // then
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const parser = new PDFParse({ data: new Uint8Array(res.body as Buffer) });
      const text = (await parser.getText()).text.replace(/\s+/g, ' ');
      await parser.destroy();
      expect(text).toContain(`other version 1`);
      expect(text).toMatch(/Hash chain verified: \d+ records, no changes found\./);
      expect(text).toContain('VARIABLE CREATED customer = "Иван Петров"');
      expect(text).toContain('VARIABLE CREATED city = "Αθήνα"');
    });

    it('names an unknown format', async () => {
      const res = await agents.auditor.get(`/api/process-instances/${paid}/audit-trail?format=xls`);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe("Query parameter 'format' must be json or pdf, but was 'xls'");
    });
  });

  describe('POST /api/incidents/:key/resolution', () => {
    it('is for admins only', async () => {
      const [incident] = (await agents.auditor.get(`/api/process-instances/${failed}`)).body
        .incidents;
      const path = `/api/incidents/${incident.incidentKey}/resolution`;
      expect((await agents.auditor.post(path, {})).status).toBe(403);
      expect((await agents.analyst.post(path, {})).status).toBe(403);
      expect((await agents.anonymous.post(path, {})).status).toBe(401);
    });

    it('names bad retries', async () => {
      const res = await agents.admin.post('/api/incidents/1/resolution', { retries: 0 });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([{ path: '/retries', message: 'must be >= 1' }]);
    });

    it('gives the job retries back and resolves the incident, once', async () => {
      const [incident] = (await agents.auditor.get(`/api/process-instances/${failed}`)).body
        .incidents;
      const path = `/api/incidents/${incident.incidentKey}/resolution`;
      expect((await agents.admin.post(path)).status).toBe(204);
      const after = await agents.auditor.get(`/api/process-instances/${failed}`);
      expect(after.body.incidents).toEqual([]);
      const job = await activate('charge');
      expect(job.retries).toBe(1);
      expect(job.processInstanceKey).toBe(failed);
      expect((await agents.admin.post(path)).status).toBe(404);
    });
  });
});
