// Variable semantics follow Camunda 8's "Variables" concept page: scopes, propagation to the
// nearest scope that has the variable (else the root), local variables, input mappings create
// locals, output mappings replace the propagation of job variables.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness({ maxPayloadBytes: 64 * 1024 });
});
afterAll(() => harness.stop());

async function run(
  xml: string,
  variables: Record<string, unknown>,
  type: string,
  result: Record<string, unknown>,
) {
  const bpmnProcessId = (await harness.deploy(xml)).processes[0]!.bpmnProcessId;
  const finished = harness.engine.createProcessInstanceWithResult({ bpmnProcessId, variables });
  const jobs = await harness.engine.activateJobs({
    type,
    worker: 't',
    timeoutMs: 10_000,
    maxJobsToActivate: 1,
    requestTimeoutMs: 2000,
  });
  await harness.engine.completeJob(jobs[0]!.key, result);
  return { job: jobs[0]!, result: await finished };
}

it('job variables propagate to the root scope unless a scope already has them', async () => {
  const xml = processBuilder('propagation')
    .startEvent()
    .subProcess(
      'sub',
      (sub) => sub.startEvent('s-start').serviceTask('t', { type: 'prop' }).endEvent('s-end'),
      {
        inputs: [{ source: '="sub-local"', target: 'shadow' }],
        outputs: [{ source: '=shadow', target: 'fromSub' }],
      },
    )
    .endEvent()
    .toXml();
  const { job, result } = await run(xml, { shadow: 'root' }, 'prop', {
    shadow: 'changed',
    fresh: 1,
  });
  // the task sees the sub-process local, which hides the root variable
  expect(job.variables).toMatchObject({ shadow: 'sub-local' });
  // 'shadow' was set in the sub-process scope (where it existed); 'fresh' went to the root
  expect(result.variables).toEqual({ shadow: 'root', fresh: 1, fromSub: 'changed' });
});

it('with output mappings only the mapped values leave the task, into nested targets too', async () => {
  const xml = processBuilder('outputs')
    .startEvent()
    .serviceTask('t', {
      type: 'out',
      inputs: [{ source: '=order.id', target: 'orderId' }],
      outputs: [
        { source: '=status', target: 'order.status' },
        { source: '=orderId', target: 'seenId' },
      ],
    })
    .endEvent()
    .toXml();
  const { job, result } = await run(xml, { order: { id: 'A-1', total: 9 } }, 'out', {
    status: 'paid',
    noise: true,
  });
  expect(job.variables).toMatchObject({ orderId: 'A-1' });
  expect(result.variables).toEqual({
    order: { id: 'A-1', total: 9, status: 'paid' },
    seenId: 'A-1',
  });
});

it('fetch variables limits what a worker receives', async () => {
  await harness.deploy(
    processBuilder('fetch').startEvent().serviceTask('t', { type: 'fetch' }).endEvent().toXml(),
  );
  await harness.engine.createProcessInstance({
    bpmnProcessId: 'fetch',
    variables: { a: 1, b: 2, c: 3 },
  });
  const [job] = await harness.engine.activateJobs({
    type: 'fetch',
    worker: 't',
    timeoutMs: 1000,
    maxJobsToActivate: 1,
    fetchVariables: ['a', 'c', 'missing'],
  });
  expect(job?.variables).toEqual({ a: 1, c: 3 });
});

it('set variables: local stays in the element scope, propagated finds the nearest scope', async () => {
  await harness.deploy(
    processBuilder('set-vars')
      .startEvent()
      .serviceTask('t', { type: 'set-vars' })
      .endEvent()
      .toXml(),
  );
  const instance = await harness.engine.createProcessInstance({
    bpmnProcessId: 'set-vars',
    variables: { x: 1 },
  });
  const [job] = await harness.engine.activateJobs({
    type: 'set-vars',
    worker: 't',
    timeoutMs: 1000,
    maxJobsToActivate: 1,
  });
  await harness.engine.setVariables(job!.elementInstanceKey, { onlyHere: true }, { local: true });
  await harness.engine.setVariables(job!.elementInstanceKey, { x: 2, y: 3 });
  const records = (await harness.records(instance.processInstanceKey)).filter(
    (r) => r.valueType === 'VARIABLE',
  );
  const scopes = Object.fromEntries(
    records.map((r) => [`${r.intent} ${String(r.value.name)}`, r.value.scopeKey]),
  );
  expect(scopes).toEqual({
    'CREATED x': instance.processInstanceKey,
    'CREATED onlyHere': job!.elementInstanceKey,
    'UPDATED x': instance.processInstanceKey,
    'CREATED y': instance.processInstanceKey,
  });
  await expect(harness.engine.setVariables('2251799813685000', { a: 1 })).rejects.toMatchObject({
    code: 'NOT_FOUND',
  });
});

it('refuses variables above the payload limit, naming the limit, and changes nothing', async () => {
  const big = { blob: 'x'.repeat(70 * 1024) };
  await expect(
    harness.engine.createProcessInstance({ bpmnProcessId: 'fetch', variables: big }),
  ).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
    message: expect.stringMatching(/at most 65536 bytes, but they are \d+ bytes/),
  });
  await expect(
    harness.engine.createProcessInstance({ bpmnProcessId: 'fetch', variables: [] as never }),
  ).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
    message: 'Expected variables to be a JSON object, but it was an array',
  });
});

it('an output mapping that fails raises an IO_MAPPING_ERROR incident on completion', async () => {
  const xml = processBuilder('bad-output')
    .startEvent()
    .serviceTask('t', {
      type: 'bad-output',
      outputs: [{ source: '=missing.deeper + 1', target: 'x' }],
    })
    .endEvent()
    .toXml();
  await harness.deploy(xml);
  const instance = await harness.engine.createProcessInstance({ bpmnProcessId: 'bad-output' });
  const [job] = await harness.engine.activateJobs({
    type: 'bad-output',
    worker: 't',
    timeoutMs: 1000,
    maxJobsToActivate: 1,
  });
  await harness.engine.completeJob(job!.key, {});
  const records = await harness.records(instance.processInstanceKey);
  // FEEL's null-propagation makes `missing.deeper + 1` null, which Camunda maps without an incident
  expect(records.some((r) => r.valueType === 'INCIDENT')).toBe(false);
  expect(records.find((r) => r.valueType === 'VARIABLE' && r.value.name === 'x')?.value.value).toBe(
    'null',
  );
});
