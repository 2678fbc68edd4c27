import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { signInAgents, type Agents } from '../../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../../testing/kontor-harness.js';

describe('dashboard API', () => {
  let harness: KontorHarness;
  let agents: Agents;

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness);
    const engine = harness.kontor.engine;
    await engine.deployResources([
      {
        name: 'dashboard.bpmn',
        content: processBuilder('quick').startEvent().endEvent().toXml(),
      },
      {
        name: 'failing.bpmn',
        content: processBuilder('failing')
          .startEvent()
          .serviceTask('work', { type: 'dashboard-work', retries: '1' })
          .endEvent()
          .toXml(),
      },
    ]);
    for (let i = 0; i < 3; i++) await engine.createProcessInstance({ bpmnProcessId: 'quick' });
    await engine.createProcessInstance({ bpmnProcessId: 'failing' });
    const [job] = await engine.activateJobs({
      type: 'dashboard-work',
      worker: 'w',
      timeoutMs: 60_000,
      maxJobsToActivate: 1,
    });
    await engine.failJob(job!.key, { retries: 0, errorMessage: 'down' });
  });
  afterAll(() => harness?.close());

  describe('GET /api/dashboard', () => {
    it('counts running instances, open incidents and completions per day and process', async () => {
      const res = await agents.auditor.get('/api/dashboard?days=7');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ runningInstances: 1, openIncidents: 1, days: 7 });
      expect(res.body.openTasks).toEqual(expect.any(Number));
      const today = new Date().toISOString().slice(0, 10);
      expect(res.body.completedPerDay).toEqual([{ day: today, bpmnProcessId: 'quick', count: 3 }]);
    });

    it('counts open user tasks: live jobs of type io.camunda.zeebe:userTask', async () => {
      const before = (await agents.auditor.get('/api/dashboard')).body.openTasks;
      await harness.kontor.engine.deployResources([
        {
          name: 'task.bpmn',
          content: processBuilder('with-task').startEvent().userTask('review').endEvent().toXml(),
        },
      ]);
      await harness.kontor.engine.createProcessInstance({ bpmnProcessId: 'with-task' });
      const after = (await agents.auditor.get('/api/dashboard')).body;
      expect(after.openTasks).toBe(before + 1);
      expect(after.runningInstances).toBe(2);
    });

    it('names a bad number of days', async () => {
      const res = await agents.auditor.get('/api/dashboard?days=365');
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(
        "Query parameter 'days' must be a whole number from 1 to 90, but was '365'",
      );
    });

    it('is for auditors and admins', async () => {
      expect((await agents.analyst.get('/api/dashboard')).status).toBe(403);
      expect((await agents.caseworker.get('/api/dashboard')).status).toBe(403);
      expect((await agents.anonymous.get('/api/dashboard')).status).toBe(401);
      expect((await agents.admin.get('/api/dashboard')).status).toBe(200);
    });
  });
});
