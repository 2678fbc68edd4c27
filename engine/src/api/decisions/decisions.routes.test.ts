import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { decisionTable, dmnXml } from '../../dmn/__fixtures__/dmn-xml.js';
import { signInAgents, type Agents } from '../../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../../testing/kontor-harness.js';

/**
 * A process that calls a decision from one business rule task between start and end; `label`
 * names the end event, so that each deployment is a new version and not a duplicate.
 */
const callingProcess = (bpmnProcessId: string, decisionId: string, label = 'end') =>
  processBuilder(bpmnProcessId)
    .startEvent()
    .serviceTask('decide')
    .endEvent()
    .toXml()
    .replace(
      /<bpmn:serviceTask id="decide"[\s\S]*?<\/bpmn:serviceTask>/,
      `<bpmn:businessRuleTask id="decide" name="Pick partner"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="partner"/></bpmn:extensionElements></bpmn:businessRuleTask>`,
    )
    .replace('<bpmn:endEvent id="end"', `<bpmn:endEvent id="end" name="${label}"`);

/** The partner rules of the seed: FIRST over region and amount, built in a few lines. */
const partnerRules = (hitPolicy = 'FIRST', lastPartner = '"Allround AG"') =>
  dmnXml(
    decisionTable({
      id: 'partner',
      name: 'Partner',
      hitPolicy,
      inputs: [
        { label: 'Region', expression: 'region', typeRef: 'string' },
        { label: 'Amount', expression: 'amount', typeRef: 'number' },
      ],
      outputs: [{ name: 'partner', typeRef: 'string' }],
      rules: [
        ['"north"', '-', '"Nordhaus"'],
        ['-', '>= 10000', '"Expert Partners"'],
        ['-', '-', lastPartner],
      ],
    }),
  );

describe('decisions API', () => {
  let harness: KontorHarness;
  let agents: Agents;

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness);
  });
  beforeEach(() => harness.database.pool.query('TRUNCATE decision_draft RESTART IDENTITY'));
  afterAll(() => harness?.close());

  const create = (name = 'Partner rules', xml = partnerRules()) =>
    agents.analyst.post('/api/decision-drafts', { name, dmnXml: xml });

  describe('POST /api/decision-drafts', () => {
    it('creates a draft at revision 1 for an analyst', async () => {
      const res = await create();
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/api/decision-drafts/${res.body.id}`);
      expect(res.body).toMatchObject({
        name: 'Partner rules',
        revision: 1,
        updatedBy: 'analyst-agent',
        dmnXml: partnerRules(),
      });
    });

    it('names every JSON path that is wrong', async () => {
      const res = await agents.analyst.post('/api/decision-drafts', { name: '', bpmnXml: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([
        { path: '/dmnXml', message: 'is required' },
        { path: '/bpmnXml', message: 'is not allowed' },
        { path: '/name', message: 'must NOT have fewer than 1 characters' },
      ]);
    });

    it('is refused to caseworkers, auditors and anonymous callers; admins may', async () => {
      const body = { name: 'x', dmnXml: partnerRules() };
      expect((await agents.caseworker.post('/api/decision-drafts', body)).status).toBe(403);
      expect((await agents.auditor.post('/api/decision-drafts', body)).status).toBe(403);
      expect((await agents.anonymous.post('/api/decision-drafts', body)).status).toBe(401);
      expect((await agents.admin.post('/api/decision-drafts', body)).status).toBe(201);
    });
  });

  describe('GET /api/decision-drafts', () => {
    it('pages through the drafts, newest first, without their DMN', async () => {
      for (const name of ['a', 'b', 'c']) await create(name);
      const res = await agents.analyst.get('/api/decision-drafts?limit=2&offset=0');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((d: { name: string }) => d.name)).toEqual(['c', 'b']);
      expect(res.body.items[0].dmnXml).toBeUndefined();
    });

    it('rejects a page size out of range, and caseworkers', async () => {
      expect((await agents.analyst.get('/api/decision-drafts?limit=0')).body.message).toBe(
        "Query parameter 'limit' must be a whole number from 1 to 200, but was '0'",
      );
      expect((await agents.caseworker.get('/api/decision-drafts')).status).toBe(403);
    });
  });

  describe('GET /api/decision-drafts/:id and /api/decision-drafts/:id/dmn', () => {
    it('returns the draft, and the DMN as a download', async () => {
      const { body: draft } = await create('Partner rules 2');
      expect((await agents.analyst.get(`/api/decision-drafts/${draft.id}`)).body).toEqual(draft);
      const file = await agents.analyst.get(`/api/decision-drafts/${draft.id}/dmn`);
      expect(file.headers.get('content-disposition')).toBe(
        'attachment; filename=Partner-rules-2.dmn',
      );
      expect(file.body).toBe(partnerRules());
    });

    it('answers 404 for an unknown or malformed id, and 403 to auditors', async () => {
      expect((await agents.analyst.get('/api/decision-drafts/999')).status).toBe(404);
      expect((await agents.analyst.get('/api/decision-drafts/abc')).body.message).toBe(
        "No decision draft with id 'abc'",
      );
      expect((await agents.auditor.get('/api/decision-drafts/1/dmn')).status).toBe(403);
    });
  });

  describe('PUT /api/decision-drafts/:id', () => {
    it('saves a new revision and refuses a save based on an outdated one', async () => {
      const { body: draft } = await create();
      const first = await agents.analyst.put(`/api/decision-drafts/${draft.id}`, {
        name: 'Renamed',
        dmnXml: partnerRules('UNIQUE'),
        basedOnRevision: 1,
      });
      expect(first.body).toMatchObject({ name: 'Renamed', revision: 2 });
      const stale = await agents.admin.put(`/api/decision-drafts/${draft.id}`, {
        name: 'Other',
        dmnXml: partnerRules(),
        basedOnRevision: 1,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.currentRevision).toBe(2);
      expect((await agents.caseworker.put(`/api/decision-drafts/${draft.id}`, {})).status).toBe(
        403,
      );
    });

    it('answers 404 for a draft that does not exist', async () => {
      const res = await agents.analyst.put('/api/decision-drafts/77', {
        name: 'x',
        dmnXml: partnerRules(),
        basedOnRevision: 1,
      });
      expect(res.status).toBe(404);
    });
  });

  describe('DELETE /api/decision-drafts/:id', () => {
    it('deletes once, then answers 404', async () => {
      const { body: draft } = await create();
      expect((await agents.auditor.delete(`/api/decision-drafts/${draft.id}`)).status).toBe(403);
      expect((await agents.analyst.delete(`/api/decision-drafts/${draft.id}`)).status).toBe(204);
      expect((await agents.analyst.delete(`/api/decision-drafts/${draft.id}`)).status).toBe(404);
    });
  });

  describe('POST /api/decisions/evaluate', () => {
    const evaluate = (
      cases: Record<string, unknown>[],
      xml = partnerRules(),
      decisionId = 'partner',
    ) =>
      agents.analyst.post('/api/decisions/evaluate', {
        dmnXml: xml,
        decisionId,
        cases: cases.map((variables) => ({ variables })),
      });

    it('evaluates every case and names the rules that fired', async () => {
      const res = await evaluate([
        { region: 'north', amount: 50_000 },
        { region: 'south', amount: 50_000 },
        { region: 'west', amount: 10 },
      ]);
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { result: unknown }) => r.result)).toEqual([
        'Nordhaus',
        'Expert Partners',
        'Allround AG',
      ]);
      expect(res.body.results[1].evaluatedDecisions[0]).toMatchObject({
        decisionId: 'partner',
        matchedRules: [{ ruleId: 'r2', ruleIndex: 2, outputs: { partner: 'Expert Partners' } }],
        inputs: [
          { name: 'Region', value: 'south' },
          { name: 'Amount', value: 50_000 },
        ],
      });
    });

    it('reads ISO dates from a form or CSV in a date column, and sums under COLLECT', async () => {
      const fees = dmnXml(
        decisionTable({
          id: 'fees',
          hitPolicy: 'COLLECT',
          aggregation: 'SUM',
          inputs: [
            { expression: 'filedOn', typeRef: 'date' },
            { expression: 'express', typeRef: 'boolean' },
          ],
          outputs: [{ name: 'fee', typeRef: 'number' }],
          rules: [
            ['-', '-', '10'],
            ['>= date("2026-01-01")', 'true', '25'],
          ],
        }),
      );
      const res = await evaluate(
        [
          { filedOn: '2026-02-01', express: true },
          { filedOn: '2025-12-31', express: true },
        ],
        fees,
        'fees',
      );
      expect(res.body.results.map((r: { result: unknown }) => r.result)).toEqual([35, 10]);
    });

    it('reports a UNIQUE table whose rules overlap as a failed case, naming the rules', async () => {
      const res = await evaluate([{ region: 'north', amount: 5 }], partnerRules('UNIQUE'));
      expect(res.body.results[0].ok).toBe(false);
      expect(res.body.results[0].message).toMatch(/UNIQUE.*'r1'.*'r3'/);
    });

    it('answers 400 with the problems of a model that does not compile', async () => {
      const res = await evaluate([{}], partnerRules('FIRST', '"unclosed'));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_dmn');
      expect(res.body.problems).toEqual([
        expect.objectContaining({ elementId: expect.stringContaining('r3') }),
      ]);
    });

    it('names the decisions of the model when the id is unknown', async () => {
      const res = await evaluate([{}], partnerRules(), 'nope');
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(
        "decisionId must name a decision of the model ('partner'), but was 'nope'",
      );
    });

    it('refuses an empty list of cases, and other roles', async () => {
      expect((await evaluate([])).body.problems).toEqual([
        { path: '/cases', message: 'must NOT have fewer than 1 items' },
      ]);
      const body = { dmnXml: partnerRules(), decisionId: 'partner', cases: [{ variables: {} }] };
      expect((await agents.caseworker.post('/api/decisions/evaluate', body)).status).toBe(403);
      expect((await agents.anonymous.post('/api/decisions/evaluate', body)).status).toBe(401);
    });
  });

  describe('POST /api/decision-deployments and GET /api/decision-definitions', () => {
    it('deploys a draft as version 1, keeps the version for an unchanged model, lists versions', async () => {
      // given
      const { body: draft } = await create();
      // when
      const first = await agents.analyst.post('/api/decision-deployments', { draftId: draft.id });
      const again = await agents.analyst.post('/api/decision-deployments', { draftId: draft.id });
      await agents.analyst.put(`/api/decision-drafts/${draft.id}`, {
        name: 'Partner rules',
        dmnXml: partnerRules('FIRST', '"Zentral GmbH"'),
        basedOnRevision: 1,
      });
      const second = await agents.analyst.post('/api/decision-deployments', { draftId: draft.id });
      // then
      expect(first.status).toBe(201);
      expect(first.body.decisions).toEqual([
        expect.objectContaining({ decisionId: 'partner', version: 1 }),
      ]);
      expect(again.body.decisions[0].version).toBe(1);
      expect(second.body.decisions[0].version).toBe(2);
      const list = await agents.analyst.get('/api/decision-definitions');
      expect(list.body.total).toBe(1);
      expect(list.body.items[0]).toMatchObject({ decisionId: 'partner', latestVersion: 2 });
      expect(list.body.items[0].versions.map((v: { version: number }) => v.version)).toEqual([
        2, 1,
      ]);
      const version = await agents.analyst.get(
        `/api/decision-definitions/${second.body.decisions[0].decisionKey}`,
      );
      expect(version.body).toMatchObject({ decisionId: 'partner', version: 2 });
      expect(version.body.dmnXml).toContain('Zentral GmbH');
      // and the engine evaluates the new version
      const evaluation = await harness.kontor.engine.evaluateDecision({
        decisionId: 'partner',
        variables: { region: 'west', amount: 1 },
      });
      expect(evaluation.decisionOutput).toBe('"Zentral GmbH"');
    });

    it('answers 400 with problems for a draft that does not compile, 404 for none', async () => {
      const { body: draft } = await create('Broken', partnerRules('FIRST', '"unclosed'));
      const res = await agents.analyst.post('/api/decision-deployments', { draftId: draft.id });
      expect(res.status).toBe(400);
      expect(res.body.problems).toHaveLength(1);
      expect(
        (await agents.analyst.post('/api/decision-deployments', { draftId: '999' })).status,
      ).toBe(404);
    });

    it('is refused to caseworkers and auditors', async () => {
      expect(
        (await agents.caseworker.post('/api/decision-deployments', { draftId: '1' })).status,
      ).toBe(403);
      expect((await agents.auditor.get('/api/decision-definitions')).status).toBe(403);
      expect((await agents.analyst.get('/api/decision-definitions/123')).status).toBe(404);
    });
  });

  describe('GET /api/decisions/usage', () => {
    const usageRules = (lastPartner: string) =>
      partnerRules('FIRST', lastPartner)
        .replaceAll('"partner"', '"usage-partner"')
        .replace('id="definitions"', 'id="usage-definitions"');
    const deployDecision = async (name: string, xml: string) => {
      const { body: draft } = await create(name, xml);
      return agents.analyst.post('/api/decision-deployments', { draftId: draft.id });
    };
    const deployProcess = (bpmnProcessId: string, decisionId: string, label?: string) =>
      harness.kontor.engine.deployResources([
        {
          name: `${bpmnProcessId}.bpmn`,
          content: callingProcess(bpmnProcessId, decisionId, label),
        },
      ]);

    it('lists per decision id the process versions that call it, with the version at their deployment', async () => {
      // given: decision v1, process v1, decision v2, process v2, and a process that names its
      // decision by a FEEL expression
      const first = await deployDecision('Usage rules', usageRules('"Allround AG"'));
      expect(first.body.decisions[0]).toMatchObject({ decisionId: 'usage-partner', version: 1 });
      await deployProcess('usage-claim', 'usage-partner', 'first');
      await deployDecision('Usage rules', usageRules('"Zentral GmbH"'));
      await deployProcess('usage-claim', 'usage-partner', 'second');
      await deployProcess('usage-dynamic', '=rulesOf(region)');

      // when
      const res = await agents.analyst.get('/api/decisions/usage');

      // then
      expect(res.status).toBe(200);
      const usage = res.body.items.find(
        (u: { decisionId: string }) => u.decisionId === 'usage-partner',
      );
      expect(usage.latestVersion).toBe(2);
      expect(usage.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(usage.processes).toMatchObject([
        {
          bpmnProcessId: 'usage-claim',
          version: 2,
          businessRuleTasks: [{ elementId: 'decide', name: 'Pick partner', bindingType: 'latest' }],
          decisionVersionAtDeployment: 2,
        },
        { bpmnProcessId: 'usage-claim', version: 1, decisionVersionAtDeployment: 1 },
      ]);
      expect(res.body.dynamic).toMatchObject([
        {
          bpmnProcessId: 'usage-dynamic',
          version: 1,
          businessRuleTasks: [{ elementId: 'decide', decisionIdExpression: '=rulesOf(region)' }],
        },
      ]);
    });

    it('is for analysts: refused to caseworkers and auditors, and to anonymous callers', async () => {
      expect((await agents.analyst.get('/api/decisions/usage')).status).toBe(200);
      expect((await agents.caseworker.get('/api/decisions/usage')).status).toBe(403);
      expect((await agents.auditor.get('/api/decisions/usage')).status).toBe(403);
      expect((await agents.anonymous.get('/api/decisions/usage')).status).toBe(401);
    });
  });

  describe('DELETE /api/decision-requirements/:key', () => {
    const tariffRules = (amount: string) =>
      dmnXml(
        decisionTable({
          id: 'tariff',
          name: 'Tariff',
          hitPolicy: 'FIRST',
          inputs: [{ label: 'Region', expression: 'region', typeRef: 'string' }],
          outputs: [{ name: 'tariff', typeRef: 'number' }],
          rules: [['-', amount]],
        }),
      );
    const deployTariff = async (amount: string) => {
      const { body: draft } = await create('Tariff rules', tariffRules(amount));
      const res = await agents.analyst.post('/api/decision-deployments', { draftId: draft.id });
      return res.body.decisions[0].decisionRequirementsKey as string;
    };
    const tariffVersions = async () => {
      const list = await agents.analyst.get('/api/decision-definitions?limit=100');
      return list.body.items
        .find((d: { decisionId: string }) => d.decisionId === 'tariff')
        ?.versions.map((v: { version: number }) => v.version);
    };

    it('deletes the latest graph, so that the engine decides with the version before', async () => {
      // given
      await deployTariff('1');
      const latest = await deployTariff('2');
      // when
      const res = await agents.analyst.delete(`/api/decision-requirements/${latest}`);
      // then
      expect(res.status).toBe(204);
      expect(await tariffVersions()).toEqual([1]);
      const evaluation = await harness.kontor.engine.evaluateDecision({
        decisionId: 'tariff',
        variables: { region: 'west' },
      });
      expect(evaluation.decisionOutput).toBe('1');
      const { rows } = await harness.database.pool.query<{ value: unknown }>(
        `SELECT value FROM engine_record WHERE value_type = 'USER_ACTION'
          ORDER BY position DESC LIMIT 1`,
      );
      expect(rows[0].value).toMatchObject({
        user: 'analyst-agent',
        action: 'DELETE_DECISION_REQUIREMENTS',
        details: { decisionRequirementsKey: latest, decisions: ['tariff'] },
      });
    });

    it('answers 404 for a deleted, unknown or process definition key, 400 for a malformed one', async () => {
      const key = await deployTariff('3');
      expect((await agents.analyst.delete(`/api/decision-requirements/${key}`)).status).toBe(204);
      expect((await agents.analyst.delete(`/api/decision-requirements/${key}`)).status).toBe(404);
      const process = await harness.kontor.engine.deployResources([
        { name: 'calls-tariff.bpmn', content: callingProcess('calls-tariff', 'tariff') },
      ]);
      const processKey = process.processes[0].processDefinitionKey;
      const res = await agents.analyst.delete(`/api/decision-requirements/${processKey}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`No decision requirements graph with key '${processKey}'`);
      const bad = await agents.analyst.delete('/api/decision-requirements/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/'abc'/);
    });

    it('is allowed to admins and refused to caseworkers, auditors and anonymous callers', async () => {
      const path = `/api/decision-requirements/${await deployTariff('4')}`;
      expect((await agents.caseworker.delete(path)).status).toBe(403);
      expect((await agents.auditor.delete(path)).status).toBe(403);
      expect((await agents.anonymous.delete(path)).status).toBe(401);
      expect((await agents.admin.delete(path)).status).toBe(204);
    });
  });
});
