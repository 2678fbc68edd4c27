// Element semantics follow Camunda 8's BPMN reference ("BPMN coverage" and one page per element:
// service/user/script/manual/undefined tasks, exclusive/parallel/inclusive gateways, embedded
// sub-process, none/terminate end events).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(() => harness.stop());

const start = (xml: string, variables: Record<string, unknown> = {}) =>
  harness.start(xml, variables);
const work = (type: string, variables: Record<string, unknown> = {}) =>
  harness.completeJobs(type, variables);
const completed = (intents: string[], elementId: string) =>
  intents.includes(`PROCESS_INSTANCE ELEMENT_COMPLETED ${elementId}`);

describe('tasks', () => {
  it('a service task creates a job with its type, retries and headers', async () => {
    const instance = await start(
      processBuilder('service')
        .startEvent()
        .serviceTask('charge', { type: 'payment', retries: '5', headers: { method: 'card' } })
        .endEvent()
        .toXml(),
    );
    const [job] = await work('payment');
    expect(job).toMatchObject({
      retries: 5,
      customHeaders: { method: 'card' },
      elementId: 'charge',
      processInstanceKey: instance.processInstanceKey,
    });
    expect(await harness.intents(instance.processInstanceKey)).toEqual([
      'PROCESS_INSTANCE_CREATION CREATED service',
      'PROCESS_INSTANCE ELEMENT_ACTIVATED service',
      'PROCESS_INSTANCE ELEMENT_ACTIVATED start',
      'PROCESS_INSTANCE ELEMENT_COMPLETED start',
      'PROCESS_INSTANCE SEQUENCE_FLOW_TAKEN start-charge',
      'JOB CREATED charge',
      'PROCESS_INSTANCE ELEMENT_ACTIVATED charge',
      'JOB COMPLETED charge',
      'PROCESS_INSTANCE ELEMENT_COMPLETED charge',
      'PROCESS_INSTANCE SEQUENCE_FLOW_TAKEN charge-end',
      'PROCESS_INSTANCE ELEMENT_ACTIVATED end',
      'PROCESS_INSTANCE ELEMENT_COMPLETED end',
      'PROCESS_INSTANCE ELEMENT_COMPLETED service',
    ]);
  });

  it('a job type can be a FEEL expression', async () => {
    await start(
      processBuilder('dynamic-type')
        .startEvent()
        .serviceTask('t', { type: '="send-" + channel' })
        .endEvent()
        .toXml(),
      { channel: 'sms' },
    );
    expect(await work('send-sms')).toHaveLength(1);
  });

  it('a send task is a job as well', async () => {
    const instance = await start(
      processBuilder('send').startEvent().sendTask('notify', { type: 'mail' }).endEvent().toXml(),
    );
    await work('mail');
    expect(completed(await harness.intents(instance.processInstanceKey), 'send')).toBe(true);
  });

  it('a user task is a job of type io.camunda.zeebe:userTask with form, assignment and schedule headers', async () => {
    await start(
      processBuilder('user')
        .startEvent()
        .userTask('review', {
          formKey: 'claim-review',
          assignee: '=owner',
          candidateGroups: 'office-a, office-b',
          candidateUsers: '=["ann", "bob"]',
          dueDate: '2026-12-24T12:00:00Z',
          followUpDate: '="2026-12-20T08:00:00Z"',
        })
        .endEvent()
        .toXml(),
      { owner: 'carla' },
    );
    const [job] = await work('io.camunda.zeebe:userTask');
    expect(job?.customHeaders).toEqual({
      'io.camunda.zeebe:formKey': 'claim-review',
      'io.camunda.zeebe:assignee': 'carla',
      'io.camunda.zeebe:candidateGroups': '["office-a","office-b"]',
      'io.camunda.zeebe:candidateUsers': '["ann","bob"]',
      'io.camunda.zeebe:dueDate': '2026-12-24T12:00:00Z',
      'io.camunda.zeebe:followUpDate': '2026-12-20T08:00:00Z',
    });
  });

  it('a script task evaluates its expression into the result variable', async () => {
    const result = await harness.engine.createProcessInstanceWithResult({
      bpmnProcessId: (
        await harness.deploy(
          processBuilder('script')
            .startEvent()
            .scriptTask('sum', '=a + b', 'total')
            .endEvent()
            .toXml(),
        )
      ).processes[0]!.bpmnProcessId,
      variables: { a: 2, b: 40 },
    });
    expect(result.variables).toMatchObject({ total: 42 });
  });

  it('manual and undefined tasks pass through', async () => {
    const instance = await start(
      processBuilder('pass')
        .startEvent()
        .manualTask('sign')
        .undefinedTask('note')
        .endEvent()
        .toXml(),
    );
    const intents = await harness.intents(instance.processInstanceKey);
    expect(
      completed(intents, 'sign') && completed(intents, 'note') && completed(intents, 'pass'),
    ).toBe(true);
  });

  it('a job type expression without a value raises an incident that resolves after the variable is set', async () => {
    const instance = await start(
      processBuilder('type-incident')
        .startEvent()
        .serviceTask('calc', { type: '="calc-" + region' })
        .endEvent()
        .toXml(),
    );
    const records = await harness.records(instance.processInstanceKey);
    const incident = records.find((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED');
    expect(incident?.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'calc' });
    expect(incident?.value.errorMessage).toContain('="calc-" + region');
    await harness.engine.setVariables(instance.processInstanceKey, { region: 'north' });
    await harness.engine.resolveIncident(incident!.key);
    expect(await work('calc-north')).toHaveLength(1);
    const intents = await harness.intents(instance.processInstanceKey);
    expect(intents).toContain('INCIDENT RESOLVED calc');
    expect(completed(intents, 'type-incident')).toBe(true);
  });
});

describe('exclusive gateway', () => {
  const xml = processBuilder('route')
    .startEvent()
    .exclusiveGateway('amount')
    .condition('=amount > 100')
    .endEvent('large')
    .moveTo('amount')
    .condition('=amount > 10')
    .endEvent('medium')
    .moveTo('amount')
    .defaultFlow()
    .endEvent('small')
    .toXml();

  it.each([
    [500, 'large'],
    [50, 'medium'],
    [5, 'small'],
  ])('amount %i takes the first true flow or the default: %s', async (amount, end) => {
    const instance = await start(xml, { amount });
    const intents = await harness.intents(instance.processInstanceKey);
    expect(
      intents
        .filter((i) => i.startsWith('PROCESS_INSTANCE ELEMENT_COMPLETED'))
        .map((i) => i.split(' ')[2]),
    ).toEqual(['start', 'amount', end, 'route']);
  });

  it('no true condition and no default flow raises an incident; fixing the data and resolving continues', async () => {
    const instance = await start(
      processBuilder('no-default')
        .startEvent()
        .exclusiveGateway('gw')
        .condition('=ok')
        .endEvent('yes')
        .toXml(),
      { ok: false },
    );
    const incident = (await harness.records(instance.processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT',
    );
    expect(incident?.value).toMatchObject({
      errorType: 'CONDITION_ERROR',
      errorMessage:
        'Expected at least one condition to evaluate to true, or to have a default flow',
    });
    await harness.engine.setVariables(instance.processInstanceKey, { ok: true });
    await harness.engine.resolveIncident(incident!.key);
    expect(completed(await harness.intents(instance.processInstanceKey), 'yes')).toBe(true);
  });
});

describe('parallel gateway', () => {
  it('forks into every branch and joins when all arrived', async () => {
    const instance = await start(
      processBuilder('fork-join')
        .startEvent()
        .parallelGateway('fork')
        .serviceTask('a', { type: 'branch-a' })
        .parallelGateway('join')
        .endEvent()
        .moveTo('fork')
        .serviceTask('b', { type: 'branch-b' })
        .connectTo('join')
        .toXml(),
    );
    await work('branch-a');
    let intents = await harness.intents(instance.processInstanceKey);
    expect(intents).not.toContain('PROCESS_INSTANCE ELEMENT_ACTIVATED join');
    await work('branch-b');
    intents = await harness.intents(instance.processInstanceKey);
    expect(intents.filter((i) => i === 'PROCESS_INSTANCE ELEMENT_ACTIVATED join')).toHaveLength(1);
    expect(completed(intents, 'fork-join')).toBe(true);
  });
});

describe('inclusive gateway', () => {
  const xml = processBuilder('inclusive')
    .startEvent()
    .inclusiveGateway('split')
    .condition('=list contains(channels, "mail")')
    .serviceTask('mail', { type: 'inc-mail' })
    .inclusiveGateway('merge')
    .endEvent()
    .moveTo('split')
    .condition('=list contains(channels, "sms")')
    .serviceTask('sms', { type: 'inc-sms' })
    .connectTo('merge')
    .moveTo('split')
    .defaultFlow()
    .serviceTask('letter', { type: 'inc-letter' })
    .connectTo('merge')
    .toXml();

  it('takes every flow whose condition is true and joins only those', async () => {
    const instance = await start(xml, { channels: ['mail', 'sms'] });
    expect(await work('inc-mail')).toHaveLength(1);
    let intents = await harness.intents(instance.processInstanceKey);
    expect(intents).not.toContain('PROCESS_INSTANCE ELEMENT_ACTIVATED merge');
    expect(await work('inc-sms')).toHaveLength(1);
    intents = await harness.intents(instance.processInstanceKey);
    expect(intents.filter((i) => i === 'PROCESS_INSTANCE ELEMENT_ACTIVATED merge')).toHaveLength(1);
    expect(intents).not.toContain('JOB CREATED letter');
    expect(completed(intents, 'inclusive')).toBe(true);
  });

  it('takes the default flow when no condition is true, and the join does not wait for the others', async () => {
    const instance = await start(xml, { channels: [] });
    expect(await work('inc-letter')).toHaveLength(1);
    expect(completed(await harness.intents(instance.processInstanceKey), 'inclusive')).toBe(true);
  });
});

describe('embedded sub-process and terminate end event', () => {
  it('runs the sub-process with its own scope and continues after it', async () => {
    const instance = await start(
      processBuilder('outer')
        .startEvent()
        .subProcess(
          'inner',
          (sub) =>
            sub
              .startEvent('inner-start')
              .serviceTask('inner-task', { type: 'inner-work' })
              .endEvent('inner-end'),
          {
            inputs: [{ source: '=1', target: 'local' }],
          },
        )
        .endEvent()
        .toXml(),
    );
    const [job] = await work('inner-work');
    expect(job?.variables).toMatchObject({ local: 1 });
    const intents = await harness.intents(instance.processInstanceKey);
    expect(completed(intents, 'inner')).toBe(true);
    expect(completed(intents, 'outer')).toBe(true);
  });

  it('a terminate end event ends the other branches of its scope and completes the scope', async () => {
    const instance = await start(
      processBuilder('terminate')
        .startEvent()
        .parallelGateway('fork')
        .serviceTask('slow', { type: 'never-done' })
        .endEvent('normal-end')
        .moveTo('fork')
        .endEvent('stop', { terminate: true })
        .toXml(),
    );
    const intents = await harness.intents(instance.processInstanceKey);
    expect(intents).toContain('PROCESS_INSTANCE ELEMENT_TERMINATED slow');
    expect(intents).toContain('JOB CANCELED slow');
    expect(completed(intents, 'terminate')).toBe(true);
    expect(
      await harness.engine.activateJobs({
        type: 'never-done',
        worker: 't',
        timeoutMs: 1000,
        maxJobsToActivate: 1,
      }),
    ).toEqual([]);
  });
});
