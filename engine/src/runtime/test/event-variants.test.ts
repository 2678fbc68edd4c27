// Interrupting and non-interrupting variants of every event kind, following Camunda 8's BPMN
// reference pages for message, timer, signal, escalation and error events, event sub-processes,
// call activities and multi-instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(() => harness.stop());

function bpmn(id: string, body: string, roots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="t">
${roots}<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
}
const flow = (from: string, to: string) =>
  `<bpmn:sequenceFlow id="${from}-${to}" sourceRef="${from}" targetRef="${to}"/>`;
const task = (id: string, type = id) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements></bpmn:serviceTask>`;
const message = (id: string, name: string, key?: string) =>
  `<bpmn:message id="${id}" name="${name}">${key ? `<bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements>` : ''}</bpmn:message>`;
const intents = (key: string) => harness.intents(key);

/** A process whose main path waits at a task, with an event sub-process started by `start`. */
const withEventSubProcess = (id: string, start: string, interrupting: boolean, roots: string) =>
  bpmn(
    id,
    `<bpmn:startEvent id="s"/>${task('main', `${id}-main`)}<bpmn:endEvent id="e"/>${flow('s', 'main')}${flow('main', 'e')}
     <bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="esp-start" isInterrupting="${interrupting}">${start}</bpmn:startEvent>
       <bpmn:endEvent id="esp-end"/>${flow('esp-start', 'esp-end')}</bpmn:subProcess>`,
    roots,
  );

describe('event sub-processes', () => {
  it.each([true, false])('a message starts one (interrupting: %s)', async (interrupting) => {
    const id = `esp-message-${interrupting}`;
    const instance = await harness.start(
      withEventSubProcess(
        id,
        '<bpmn:messageEventDefinition messageRef="m"/>',
        interrupting,
        message('m', `wake-${id}`, '=caseId'),
      ),
      { caseId: 'X' },
    );
    await harness.engine.publishMessage({
      name: `wake-${id}`,
      correlationKey: 'X',
      timeToLiveMs: 0,
      variables: { reason: 'customer called' },
    });
    const seen = await intents(instance.processInstanceKey);
    expect(seen).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED esp');
    if (interrupting) {
      expect(seen).toContain('PROCESS_INSTANCE ELEMENT_TERMINATED main');
      expect(seen.at(-1)).toBe(`PROCESS_INSTANCE ELEMENT_COMPLETED ${id}`);
    } else {
      expect(seen).not.toContain('PROCESS_INSTANCE ELEMENT_TERMINATED main');
      expect(await harness.completeJobs(`${id}-main`)).toHaveLength(1);
      expect(await harness.completed(instance.processInstanceKey, id)).toBe(true);
    }
  });

  it.each([true, false])('a timer starts one (interrupting: %s)', async (interrupting) => {
    const id = `esp-timer-${interrupting}`;
    const instance = await harness.start(
      withEventSubProcess(
        id,
        '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>',
        interrupting,
        '',
      ),
    );
    harness.advance(3_600_000);
    await harness.engine.runDueWork();
    const seen = await intents(instance.processInstanceKey);
    expect(seen).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED esp');
    expect(seen.includes('PROCESS_INSTANCE ELEMENT_TERMINATED main')).toBe(interrupting);
  });

  it('a signal starts one, and an escalation end event inside a sub-process reaches an escalation event sub-process', async () => {
    const signalled = await harness.start(
      withEventSubProcess(
        'esp-signal',
        '<bpmn:signalEventDefinition signalRef="sig"/>',
        false,
        '<bpmn:signal id="sig" name="audit-now"/>',
      ),
    );
    await harness.engine.broadcastSignal({ signalName: 'audit-now' });
    expect(await intents(signalled.processInstanceKey)).toContain(
      'PROCESS_INSTANCE ELEMENT_COMPLETED esp',
    );

    const xml = bpmn(
      'escalation-end',
      `<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/><bpmn:endEvent id="raise"><bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:endEvent>${flow('ss', 'raise')}</bpmn:subProcess>
       <bpmn:endEvent id="e"/>${flow('s', 'sub')}${flow('sub', 'e')}
       <bpmn:subProcess id="handler" triggeredByEvent="true"><bpmn:startEvent id="hs" isInterrupting="false"><bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:startEvent><bpmn:endEvent id="he"/>${flow('hs', 'he')}</bpmn:subProcess>`,
      '<bpmn:escalation id="esc" escalationCode="LATE"/>',
    );
    const instance = await harness.start(xml);
    const seen = await intents(instance.processInstanceKey);
    expect(seen).toEqual(
      expect.arrayContaining([
        'ESCALATION ESCALATED raise',
        'PROCESS_INSTANCE ELEMENT_COMPLETED handler',
        'PROCESS_INSTANCE ELEMENT_COMPLETED escalation-end',
      ]),
    );
  });
});

describe('boundary variants', () => {
  it('a non-interrupting message boundary runs beside the task each time the message comes', async () => {
    const xml = bpmn(
      'nudged',
      `<bpmn:startEvent id="s"/>${task('work', 'nudged-work')}<bpmn:boundaryEvent id="nudge" attachedToRef="work" cancelActivity="false"><bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>
       ${task('note', 'nudged-note')}<bpmn:endEvent id="e"/><bpmn:endEvent id="ne"/>${flow('s', 'work')}${flow('work', 'e')}${flow('nudge', 'note')}${flow('note', 'ne')}`,
      message('m', 'nudge', '=ticket'),
    );
    const instance = await harness.start(xml, { ticket: 'T-7' });
    await harness.engine.publishMessage({ name: 'nudge', correlationKey: 'T-7', timeToLiveMs: 0 });
    expect(await harness.completeJobs('nudged-note')).toHaveLength(1);
    expect(await harness.completeJobs('nudged-work')).toHaveLength(1);
    expect(await harness.completed(instance.processInstanceKey, 'nudged')).toBe(true);
  });

  it('a signal boundary interrupts; signal intermediate throw and end events broadcast', async () => {
    const waiting = await harness.start(
      bpmn(
        'stoppable',
        `<bpmn:startEvent id="s"/>${task('long', 'stoppable-long')}<bpmn:boundaryEvent id="stop" attachedToRef="long"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:boundaryEvent><bpmn:endEvent id="e"/><bpmn:endEvent id="stopped"/>${flow('s', 'long')}${flow('long', 'e')}${flow('stop', 'stopped')}`,
        '<bpmn:signal id="sig" name="stop-all"/>',
      ),
    );
    const thrower = await harness.start(
      bpmn(
        'stopper',
        `<bpmn:startEvent id="s"/><bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateThrowEvent><bpmn:endEvent id="e"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:endEvent>${flow('s', 'announce')}${flow('announce', 'e')}`,
        '<bpmn:signal id="sig" name="stop-all"/>',
      ),
    );
    expect(await harness.completed(thrower.processInstanceKey, 'stopper')).toBe(true);
    const seen = await intents(waiting.processInstanceKey);
    expect(seen).toEqual(
      expect.arrayContaining([
        'PROCESS_INSTANCE ELEMENT_TERMINATED long',
        'PROCESS_INSTANCE ELEMENT_COMPLETED stopped',
      ]),
    );
  });

  it('a signal start event starts an instance per broadcast', async () => {
    await harness.deploy(
      bpmn(
        'on-signal',
        `<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:startEvent>${task('react', 'on-signal-react')}<bpmn:endEvent id="e"/>${flow('s', 'react')}${flow('react', 'e')}`,
        '<bpmn:signal id="sig" name="year-end"/>',
      ),
    );
    await harness.engine.broadcastSignal({ signalName: 'year-end', variables: { year: 2026 } });
    await harness.engine.broadcastSignal({ signalName: 'year-end', variables: { year: 2027 } });
    const jobs = await harness.completeJobs('on-signal-react');
    expect(jobs.map((j) => j.variables.year).sort()).toEqual([2026, 2027]);
  });
});

describe('call activities and multi-instance, further', () => {
  it('an error thrown in a called process is caught at the call activity', async () => {
    await harness.deploy(
      bpmn(
        'failing-child',
        `<bpmn:startEvent id="s"/>${task('risky', 'child-risky')}<bpmn:endEvent id="e"/>${flow('s', 'risky')}${flow('risky', 'e')}`,
      ),
    );
    const parent = await harness.start(
      bpmn(
        'guarded-parent',
        `<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="failing-child"/></bpmn:extensionElements></bpmn:callActivity><bpmn:boundaryEvent id="failed" attachedToRef="call"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent><bpmn:endEvent id="e"/><bpmn:endEvent id="fe"/>${flow('s', 'call')}${flow('call', 'e')}${flow('failed', 'fe')}`,
        '<bpmn:error id="err" errorCode="REFUSED"/>',
      ),
    );
    const [job] = await harness.engine.activateJobs({
      type: 'child-risky',
      worker: 't',
      timeoutMs: 1000,
      maxJobsToActivate: 1,
    });
    await harness.engine.throwError(job!.key, { errorCode: 'REFUSED' });
    const seen = await intents(parent.processInstanceKey);
    expect(seen).toEqual(
      expect.arrayContaining([
        'PROCESS_INSTANCE ELEMENT_TERMINATED call',
        'PROCESS_INSTANCE ELEMENT_COMPLETED fe',
      ]),
    );
    expect(await intents(job!.processInstanceKey)).toContain(
      'PROCESS_INSTANCE ELEMENT_TERMINATED failing-child',
    );
  });

  it('a call activity with binding type versionTag calls the tagged version', async () => {
    const child = (tag: string, type: string) =>
      bpmn(
        'tagged-child',
        `<bpmn:extensionElements><zeebe:versionTag value="${tag}"/></bpmn:extensionElements><bpmn:startEvent id="s"/>${task('t', type)}<bpmn:endEvent id="e"/>${flow('s', 't')}${flow('t', 'e')}`,
      );
    await harness.deploy(child('v1.0', 'tagged-old'));
    await harness.deploy(child('v2.0', 'tagged-new'));
    await harness.start(
      bpmn(
        'tag-caller',
        `<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="tagged-child" bindingType="versionTag" versionTag="v1.0"/></bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e"/>${flow('s', 'call')}${flow('call', 'e')}`,
      ),
    );
    expect(await harness.completeJobs('tagged-old')).toHaveLength(1);
    expect(await harness.completeJobs('tagged-new')).toHaveLength(0);
  });

  it('a multi-instance sub-process runs its body once per item with its own scope', async () => {
    const xml = bpmn(
      'per-office',
      `<bpmn:startEvent id="s"/><bpmn:subProcess id="each"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=offices" inputElement="office" outputCollection="results" outputElement="=result"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
         <bpmn:startEvent id="es"/>${task('visit', 'visit-office')}<bpmn:endEvent id="ee"/>${flow('es', 'visit')}${flow('visit', 'ee')}</bpmn:subProcess>
       <bpmn:endEvent id="e"/>${flow('s', 'each')}${flow('each', 'e')}`,
    );
    const result = harness.engine.createProcessInstanceWithResult({
      bpmnProcessId: (await harness.deploy(xml)).processes[0]!.bpmnProcessId,
      variables: { offices: ['Bonn', 'Graz'] },
    });
    const jobs = await harness.engine.activateJobs({
      type: 'visit-office',
      worker: 't',
      timeoutMs: 1000,
      maxJobsToActivate: 5,
      requestTimeoutMs: 2000,
    });
    expect(jobs.map((j) => j.variables.office)).toEqual(['Bonn', 'Graz']);
    for (const job of jobs)
      await harness.engine.completeJob(job.key, {
        result: `visited ${String(job.variables.office)}`,
      });
    expect((await result).variables.results).toEqual(['visited Bonn', 'visited Graz']);
  });
});
