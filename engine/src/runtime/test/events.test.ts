// Event semantics follow Camunda 8's BPMN reference: "Message events" (correlation, buffering
// with TTL, once per process), "Timer events" (durations, dates, cycles), "Error events" (catch by
// code over catch-all, bubbling), "Event subprocesses", "Event-based gateways", "Signal events",
// "Escalation events", "Link events", "Call activities" and "Multi-instance".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(() => harness.stop());

/** A BPMN file around a process body; `roots` adds messages, errors, signals. */
function bpmn(id: string, body: string, roots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d-${id}" targetNamespace="t">
${roots}
<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
}
const flow = (from: string, to: string, condition?: string) =>
  `<bpmn:sequenceFlow id="${from}-${to}" sourceRef="${from}" targetRef="${to}">${condition ? `<bpmn:conditionExpression>${condition}</bpmn:conditionExpression>` : ''}</bpmn:sequenceFlow>`;
const task = (id: string, type = id) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements></bpmn:serviceTask>`;
const message = (id: string, name: string, key?: string) =>
  `<bpmn:message id="${id}" name="${name}">${key ? `<bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements>` : ''}</bpmn:message>`;

const start = (xml: string, variables: Record<string, unknown> = {}) =>
  harness.start(xml, variables);
const complete = (type: string, variables: Record<string, unknown> = {}) =>
  harness.completeJobs(type, variables);
const ended = (key: string, id: string) => harness.completed(key, id);
async function elapse(ms: number) {
  harness.advance(ms);
  return harness.engine.runDueWork();
}

describe('messages', () => {
  const waitForPayment = bpmn(
    'pay',
    `<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>${flow('s', 'paid')}${flow('paid', 'e')}`,
    message('m', 'payment-received', '=orderId'),
  );

  it('a message catch event correlates by name and correlation key, with the message variables', async () => {
    const instance = await start(waitForPayment, { orderId: 'A-1' });
    await harness.engine.publishMessage({
      name: 'payment-received',
      correlationKey: 'B-2',
      timeToLiveMs: 0,
    });
    expect(await ended(instance.processInstanceKey, 'pay')).toBe(false);
    await harness.engine.publishMessage({
      name: 'payment-received',
      correlationKey: 'A-1',
      timeToLiveMs: 0,
      variables: { amount: 10 },
    });
    const records = await harness.records(instance.processInstanceKey);
    expect(records.some((r) => r.valueType === 'VARIABLE' && r.value.name === 'amount')).toBe(true);
    expect(await ended(instance.processInstanceKey, 'pay')).toBe(true);
  });

  it('a buffered message correlates to a subscription opened later, once per process; duplicates by id are refused', async () => {
    await harness.engine.publishMessage({
      name: 'payment-received',
      correlationKey: 'C-3',
      timeToLiveMs: 60_000,
      messageId: 'm-1',
    });
    await expect(
      harness.engine.publishMessage({
        name: 'payment-received',
        correlationKey: 'C-3',
        timeToLiveMs: 60_000,
        messageId: 'm-1',
      }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    const first = await harness.engine.createProcessInstance({
      bpmnProcessId: 'pay',
      variables: { orderId: 'C-3' },
    });
    const second = await harness.engine.createProcessInstance({
      bpmnProcessId: 'pay',
      variables: { orderId: 'C-3' },
    });
    expect(await ended(first.processInstanceKey, 'pay')).toBe(true);
    expect(await ended(second.processInstanceKey, 'pay')).toBe(false);
    // after the TTL the message is gone
    await elapse(60_001);
    const third = await harness.engine.createProcessInstance({
      bpmnProcessId: 'pay',
      variables: { orderId: 'C-3' },
    });
    expect(await ended(third.processInstanceKey, 'pay')).toBe(false);
    expect(
      (await harness.records()).some((r) => r.valueType === 'MESSAGE' && r.intent === 'EXPIRED'),
    ).toBe(true);
  });

  it('a receive task and an interrupting message boundary event', async () => {
    const xml = bpmn(
      'cancelable',
      `<bpmn:startEvent id="s"/>${task('work', 'cancelable-work')}
       <bpmn:boundaryEvent id="canceled" attachedToRef="work"><bpmn:messageEventDefinition messageRef="c"/></bpmn:boundaryEvent>
       <bpmn:receiveTask id="confirm" messageRef="c2"/>
       <bpmn:endEvent id="done"/><bpmn:endEvent id="aborted"/>
       ${flow('s', 'work')}${flow('work', 'done')}${flow('canceled', 'confirm')}${flow('confirm', 'aborted')}`,
      message('c', 'cancel', '=caseId') + message('c2', 'confirm-cancel', '=caseId'),
    );
    const instance = await start(xml, { caseId: 'K-9' });
    await harness.engine.publishMessage({ name: 'cancel', correlationKey: 'K-9', timeToLiveMs: 0 });
    let intents = await harness.intents(instance.processInstanceKey);
    expect(intents).toEqual(
      expect.arrayContaining([
        'JOB CANCELED work',
        'PROCESS_INSTANCE ELEMENT_TERMINATED work',
        'PROCESS_INSTANCE ELEMENT_COMPLETED canceled',
      ]),
    );
    await harness.engine.publishMessage({
      name: 'confirm-cancel',
      correlationKey: 'K-9',
      timeToLiveMs: 0,
    });
    intents = await harness.intents(instance.processInstanceKey);
    expect(intents).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED aborted');
    expect(intents.at(-1)).toBe('PROCESS_INSTANCE ELEMENT_COMPLETED cancelable');
  });

  /** Deploys a process that a message starts and a job of `jobType` then waits in. */
  async function deployMessageStarted(id: string, messageName: string, jobType: string) {
    await harness.deploy(
      bpmn(
        id,
        `<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>${task('work', jobType)}<bpmn:endEvent id="e"/>${flow('s', 'work')}${flow('work', 'e')}`,
        message('m', messageName),
      ),
    );
    return (n: number, correlationKey: string, timeToLiveMs: number) =>
      harness.engine.publishMessage({
        name: messageName,
        correlationKey,
        timeToLiveMs,
        variables: { n },
      });
  }
  const completedNs = async (type: string) => (await complete(type)).map((j) => j.variables.n);

  it('a message start event starts one instance per correlation key at a time', async () => {
    const publish = await deployMessageStarted('by-message', 'letter-arrived', 'handle-letter');
    await publish(1, 'customer-1', 0);
    await publish(2, 'customer-1', 0);
    await publish(3, 'customer-2', 0);
    expect((await completedNs('handle-letter')).sort()).toEqual([1, 3]);
    await expect(
      harness.engine.createProcessInstance({ bpmnProcessId: 'by-message' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a message buffered while its correlation key had an active instance starts the next one when it ends', async () => {
    const publish = await deployMessageStarted('per-customer', 'customer-wrote', 'answer');
    // the first starts an instance; the second and third wait for it (buffered); the fourth has
    // no time to live and is dropped
    await publish(1, 'customer-7', 60_000);
    await publish(2, 'customer-7', 60_000);
    await publish(3, 'customer-7', 60_000);
    await publish(4, 'customer-7', 0);
    expect(await completedNs('answer')).toEqual([1]);
    // the first instance ended: the oldest buffered message starts the next, then the next
    expect(await completedNs('answer')).toEqual([2]);
    expect(await completedNs('answer')).toEqual([3]);
    expect(await completedNs('answer')).toEqual([]);
  });

  it('a buffered message also starts the next instance when the active one is canceled', async () => {
    const publish = await deployMessageStarted('per-order', 'order-placed', 'ship-order');
    await publish(1, 'order-1', 60_000);
    await publish(2, 'order-1', 60_000);
    const { rows } = await harness.database.pool.query<{ key: string }>(
      `SELECT process_instance_key::text AS key FROM engine_record
        WHERE value_type = 'PROCESS_INSTANCE' AND intent = 'ELEMENT_ACTIVATED'
          AND element_id = 'per-order' ORDER BY position`,
    );
    expect(rows).toHaveLength(1);

    await harness.engine.cancelProcessInstance(rows[0].key);

    expect(await completedNs('ship-order')).toEqual([2]);
  });
});

describe('timers', () => {
  it('an intermediate timer fires when due and never early', async () => {
    const instance = await start(
      bpmn(
        'wait',
        `<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>${flow('s', 't')}${flow('t', 'e')}`,
      ),
    );
    await elapse(59 * 60_000);
    expect(await ended(instance.processInstanceKey, 'wait')).toBe(false);
    await elapse(60_000);
    expect(await harness.intents(instance.processInstanceKey)).toEqual(
      expect.arrayContaining([
        'TIMER CREATED t',
        'TIMER TRIGGERED t',
        'PROCESS_INSTANCE ELEMENT_COMPLETED wait',
      ]),
    );
  });

  it('a non-interrupting cycle boundary fires repeatedly while the task runs; an interrupting date boundary ends it', async () => {
    const due = new Date(harness.now() + 10 * 60_000).toISOString().replace('.000', '');
    const xml = bpmn(
      'reminders',
      `<bpmn:startEvent id="s"/>${task('answer', 'answer-letter')}
       <bpmn:boundaryEvent id="remind" attachedToRef="answer" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT2M</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
       <bpmn:boundaryEvent id="deadline" attachedToRef="answer"><bpmn:timerEventDefinition><bpmn:timeDate>${due}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>
       <bpmn:endEvent id="reminded"/><bpmn:endEvent id="late"/><bpmn:endEvent id="done"/>
       ${flow('s', 'answer')}${flow('answer', 'done')}${flow('remind', 'reminded')}${flow('deadline', 'late')}`,
    );
    const instance = await start(xml);
    for (let i = 0; i < 5; i++) await elapse(2 * 60_000);
    const intents = await harness.intents(instance.processInstanceKey);
    expect(intents.filter((i) => i === 'PROCESS_INSTANCE ELEMENT_COMPLETED reminded')).toHaveLength(
      3,
    );
    expect(intents).toContain('PROCESS_INSTANCE ELEMENT_TERMINATED answer');
    expect(intents).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED late');
  });

  it('a timer start event with a cycle starts instances; a new version replaces the old timers', async () => {
    const timed = (type: string) =>
      bpmn(
        'scheduled',
        `<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>${task('run', type)}<bpmn:endEvent id="e"/>${flow('s', 'run')}${flow('run', 'e')}`,
      );
    await harness.deploy(timed('nightly-v1'));
    await elapse(60 * 60_000);
    expect(await complete('nightly-v1')).toHaveLength(1);
    await harness.deploy(timed('nightly-v2'));
    await elapse(60 * 60_000);
    expect(await complete('nightly-v1')).toHaveLength(0);
    expect(await complete('nightly-v2')).toHaveLength(1);
  });
});

describe('errors, escalations, signals, links', () => {
  it('a job error is caught by the boundary with its code rather than the catch-all, with bubbling from a sub-process', async () => {
    const xml = bpmn(
      'errors',
      `<bpmn:startEvent id="s"/>
       <bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>${task('charge', 'charge-card')}<bpmn:endEvent id="se"/>${flow('ss', 'charge')}${flow('charge', 'se')}</bpmn:subProcess>
       <bpmn:boundaryEvent id="any" attachedToRef="sub"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
       <bpmn:boundaryEvent id="declined" attachedToRef="sub"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
       <bpmn:endEvent id="e"/><bpmn:endEvent id="e-any"/><bpmn:endEvent id="e-declined"/>
       ${flow('s', 'sub')}${flow('sub', 'e')}${flow('any', 'e-any')}${flow('declined', 'e-declined')}`,
      '<bpmn:error id="err" errorCode="DECLINED"/>',
    );
    const instance = await start(xml);
    const [job] = await harness.engine.activateJobs({
      type: 'charge-card',
      worker: 't',
      timeoutMs: 1000,
      maxJobsToActivate: 1,
    });
    await harness.engine.throwError(job!.key, {
      errorCode: 'DECLINED',
      variables: { reason: 'limit' },
    });
    const intents = await harness.intents(instance.processInstanceKey);
    expect(intents).toContain('PROCESS_INSTANCE ELEMENT_TERMINATED sub');
    expect(intents).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED e-declined');
    expect(intents).not.toContain('PROCESS_INSTANCE ELEMENT_COMPLETED e-any');
    expect(intents.at(-1)).toBe('PROCESS_INSTANCE ELEMENT_COMPLETED errors');
  });

  it('an error end event is caught by an error event sub-process; an unknown code is an incident', async () => {
    const xml = (code: string) =>
      bpmn(
        `error-end-${code}`,
        `<bpmn:startEvent id="s"/><bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="e1"/></bpmn:endEvent>${flow('s', 'fail')}
       <bpmn:subProcess id="handler" triggeredByEvent="true"><bpmn:startEvent id="hs"><bpmn:errorEventDefinition errorRef="e2"/></bpmn:startEvent>${task('handle', `handle-${code}`)}<bpmn:endEvent id="he"/>${flow('hs', 'handle')}${flow('handle', 'he')}</bpmn:subProcess>`,
        `<bpmn:error id="e1" errorCode="${code}"/><bpmn:error id="e2" errorCode="KNOWN"/>`,
      );
    const caught = await start(xml('KNOWN'));
    await complete('handle-KNOWN');
    expect(await ended(caught.processInstanceKey, 'error-end-KNOWN')).toBe(true);
    const uncaught = await start(xml('OTHER'));
    const incident = (await harness.records(uncaught.processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT',
    );
    expect(incident?.value).toMatchObject({
      errorType: 'UNHANDLED_ERROR_EVENT',
      elementId: 'fail',
    });
  });

  it('a non-interrupting escalation boundary runs alongside; a signal reaches every waiting instance', async () => {
    const xml = bpmn(
      'escalate',
      `<bpmn:startEvent id="s"/>
       <bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/><bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:intermediateThrowEvent>
         <bpmn:intermediateCatchEvent id="go"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="se"/>${flow('ss', 'raise')}${flow('raise', 'go')}${flow('go', 'se')}</bpmn:subProcess>
       <bpmn:boundaryEvent id="noted" attachedToRef="sub" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:boundaryEvent>
       <bpmn:endEvent id="e"/><bpmn:endEvent id="en"/>${flow('s', 'sub')}${flow('sub', 'e')}${flow('noted', 'en')}`,
      '<bpmn:escalation id="esc" escalationCode="LATE"/><bpmn:signal id="sig" name="resume"/>',
    );
    const a = await start(xml);
    const b = await harness.engine.createProcessInstance({ bpmnProcessId: 'escalate' });
    expect(await harness.intents(a.processInstanceKey)).toContain(
      'PROCESS_INSTANCE ELEMENT_COMPLETED en',
    );
    await harness.engine.broadcastSignal({ signalName: 'resume' });
    expect(await ended(a.processInstanceKey, 'escalate')).toBe(true);
    expect(await ended(b.processInstanceKey, 'escalate')).toBe(true);
  });

  it('an event-based gateway takes the first event; a link jumps to its catch', async () => {
    const xml = bpmn(
      'race',
      `<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="gw"/>
       <bpmn:intermediateCatchEvent id="reply"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
       <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>P14D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
       <bpmn:intermediateThrowEvent id="jump"><bpmn:linkEventDefinition name="to-end"/></bpmn:intermediateThrowEvent>
       <bpmn:intermediateCatchEvent id="landing"><bpmn:linkEventDefinition name="to-end"/></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="answered"/><bpmn:endEvent id="e"/>
       ${flow('s', 'gw')}${flow('gw', 'reply')}${flow('gw', 'timeout')}${flow('reply', 'answered')}${flow('timeout', 'jump')}${flow('landing', 'e')}`,
      message('m', 'reply', '=ticket'),
    );
    const replied = await start(xml, { ticket: 'T1' });
    await harness.engine.publishMessage({ name: 'reply', correlationKey: 'T1', timeToLiveMs: 0 });
    expect(await harness.intents(replied.processInstanceKey)).toContain(
      'PROCESS_INSTANCE ELEMENT_COMPLETED answered',
    );
    const silent = await harness.engine.createProcessInstance({
      bpmnProcessId: 'race',
      variables: { ticket: 'T2' },
    });
    await elapse(14 * 86_400_000);
    const intents = await harness.intents(silent.processInstanceKey);
    expect(intents).toEqual(
      expect.arrayContaining([
        'PROCESS_INSTANCE ELEMENT_COMPLETED timeout',
        'PROCESS_INSTANCE ELEMENT_COMPLETED landing',
        'PROCESS_INSTANCE ELEMENT_COMPLETED race',
      ]),
    );
    expect(intents).toContain('PROCESS_MESSAGE_SUBSCRIPTION DELETED reply');
  });
});

describe('call activities and multi-instance', () => {
  it('a call activity passes variables both ways; canceling the parent cancels the child', async () => {
    await harness.deploy(
      bpmn(
        'child',
        `<bpmn:startEvent id="s"/>${task('child-work')}<bpmn:endEvent id="e"/>${flow('s', 'child-work')}${flow('child-work', 'e')}`,
      ),
    );
    const parentXml = bpmn(
      'parent',
      `<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="=childId"/></bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e"/>${flow('s', 'call')}${flow('call', 'e')}`,
    );
    const result = harness.engine.createProcessInstanceWithResult({
      bpmnProcessId: (await harness.deploy(parentXml)).processes[0]!.bpmnProcessId,
      variables: { childId: 'child', input: 1 },
    });
    const [job] = await harness.engine.activateJobs({
      type: 'child-work',
      worker: 't',
      timeoutMs: 1000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 2000,
    });
    expect(job?.variables).toMatchObject({ input: 1 });
    await harness.engine.completeJob(job!.key, { output: 2 });
    expect((await result).variables).toMatchObject({ input: 1, output: 2 });

    const canceled = await harness.engine.createProcessInstance({
      bpmnProcessId: 'parent',
      variables: { childId: 'child' },
    });
    const [childJob] = await harness.engine.activateJobs({
      type: 'child-work',
      worker: 't',
      timeoutMs: 1000,
      maxJobsToActivate: 1,
    });
    await expect(
      harness.engine.cancelProcessInstance(childJob!.processInstanceKey),
    ).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await harness.engine.cancelProcessInstance(canceled.processInstanceKey);
    expect(await harness.intents(childJob!.processInstanceKey)).toContain(
      'PROCESS_INSTANCE ELEMENT_TERMINATED child',
    );
  });

  it('parallel multi-instance collects outputs in input order and stops at the completion condition', async () => {
    const xml = bpmn(
      'fan-out',
      `<bpmn:startEvent id="s"/>
       <bpmn:serviceTask id="ask"><bpmn:extensionElements><zeebe:taskDefinition type="ask-office"/></bpmn:extensionElements>
         <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=offices" inputElement="office" outputCollection="answers" outputElement="=answer"/></bpmn:extensionElements>
         <bpmn:completionCondition>=count(answers[item != null]) >= 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
       <bpmn:endEvent id="e"/>${flow('s', 'ask')}${flow('ask', 'e')}`,
    );
    const instance = await start(xml, { offices: ['north', 'south', 'east'] });
    const jobs = await harness.engine.activateJobs({
      type: 'ask-office',
      worker: 't',
      timeoutMs: 1000,
      maxJobsToActivate: 10,
    });
    expect(jobs.map((j) => [j.variables.office, j.variables.loopCounter])).toEqual([
      ['north', 1],
      ['south', 2],
      ['east', 3],
    ]);
    await harness.engine.completeJob(jobs[2]!.key, { answer: 'E' });
    await harness.engine.completeJob(jobs[0]!.key, { answer: 'N' });
    const records = await harness.records(instance.processInstanceKey);
    const answers = records
      .filter(
        (r) =>
          r.valueType === 'VARIABLE' &&
          r.value.name === 'answers' &&
          r.value.scopeKey === instance.processInstanceKey,
      )
      .at(-1);
    expect(JSON.parse(String(answers?.value.value))).toEqual(['N', null, 'E']);
    expect(records.map((r) => `${r.valueType} ${r.intent} ${r.elementId}`)).toContain(
      'JOB CANCELED ask',
    );
    expect(await ended(instance.processInstanceKey, 'fan-out')).toBe(true);
  });

  it('sequential multi-instance runs one inner instance after the other', async () => {
    const xml = bpmn(
      'one-by-one',
      `<bpmn:startEvent id="s"/><bpmn:serviceTask id="step"><bpmn:extensionElements><zeebe:taskDefinition type="seq-step"/></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2,3]" inputElement="n"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask><bpmn:endEvent id="e"/>${flow('s', 'step')}${flow('step', 'e')}`,
    );
    const instance = await start(xml);
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const jobs = await complete('seq-step');
      expect(jobs).toHaveLength(1);
      seen.push(jobs[0]!.variables.n);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(await ended(instance.processInstanceKey, 'one-by-one')).toBe(true);
  });
});

describe('restart', () => {
  it('pending timers and buffered messages survive a restart; an overdue timer fires once', async () => {
    await harness.deploy(
      bpmn(
        'durable',
        `<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:intermediateCatchEvent id="m"><bpmn:messageEventDefinition messageRef="msg"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>${flow('s', 't')}${flow('t', 'm')}${flow('m', 'e')}`,
        message('msg', 'go-on', '=k'),
      ),
    );
    const instance = await harness.engine.createProcessInstance({
      bpmnProcessId: 'durable',
      variables: { k: 'r1' },
    });
    await harness.engine.publishMessage({
      name: 'go-on',
      correlationKey: 'r1',
      timeToLiveMs: 3_600_000,
    });
    await harness.restart();
    harness.advance(30 * 60_000);
    await harness.engine.runDueWork();
    await harness.engine.runDueWork();
    const intents = await harness.intents(instance.processInstanceKey);
    expect(intents.filter((i) => i === 'TIMER TRIGGERED t')).toHaveLength(1);
    expect(intents.at(-1)).toBe('PROCESS_INSTANCE ELEMENT_COMPLETED durable');
  });
});

describe('instance modification', () => {
  it('activates an element with variables and terminates another, then the instance continues', async () => {
    const xml = bpmn(
      'modify',
      `<bpmn:startEvent id="s"/>${task('first', 'mod-first')}${task('second', 'mod-second')}<bpmn:endEvent id="e"/>${flow('s', 'first')}${flow('first', 'second')}${flow('second', 'e')}`,
    );
    const instance = await start(xml);
    const [job] = await harness.engine.activateJobs({
      type: 'mod-first',
      worker: 't',
      timeoutMs: 1000,
      maxJobsToActivate: 1,
    });
    await harness.engine.modifyProcessInstance({
      processInstanceKey: instance.processInstanceKey,
      activateInstructions: [
        { elementId: 'second', variableInstructions: [{ variables: { skipped: true } }] },
      ],
      terminateInstructions: [{ elementInstanceKey: job!.elementInstanceKey }],
    });
    const [second] = await complete('mod-second');
    expect(second?.variables).toMatchObject({ skipped: true });
    const intents = await harness.intents(instance.processInstanceKey);
    expect(intents).toEqual(
      expect.arrayContaining([
        'PROCESS_INSTANCE_MODIFICATION MODIFIED modify',
        'PROCESS_INSTANCE ELEMENT_TERMINATED first',
      ]),
    );
    expect(intents.at(-1)).toBe('PROCESS_INSTANCE ELEMENT_COMPLETED modify');
  });

  it('refuses unknown elements and element instances, changing nothing', async () => {
    const instance = await harness.engine.createProcessInstance({ bpmnProcessId: 'modify' });
    await expect(
      harness.engine.modifyProcessInstance({
        processInstanceKey: instance.processInstanceKey,
        activateInstructions: [{ elementId: 'nope', variableInstructions: [] }],
        terminateInstructions: [],
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("activateInstructions[0].elementId: 'nope'"),
    });
    await expect(
      harness.engine.modifyProcessInstance({
        processInstanceKey: instance.processInstanceKey,
        activateInstructions: [],
        terminateInstructions: [{ elementInstanceKey: '2251799813999999' }],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('compensation', () => {
  // Camunda 8 "Compensation events": a throw event invokes the handlers of the completed
  // activities of its scope (all at once; here started most recently completed first) and waits
  // for them; handlers of activities that did not complete are not invoked.
  it('undoes completed activities, then continues', async () => {
    const undoable = (id: string) =>
      `${task(id, `comp-${id}`)}<bpmn:boundaryEvent id="${id}-comp" attachedToRef="${id}"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>` +
      `<bpmn:serviceTask id="undo-${id}" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="undo-${id}"/></bpmn:extensionElements></bpmn:serviceTask>` +
      `<bpmn:association id="${id}-assoc" associationDirection="One" sourceRef="${id}-comp" targetRef="undo-${id}"/>`;
    const xml = bpmn(
      'booking',
      `<bpmn:startEvent id="s"/>${undoable('hotel')}${undoable('flight')}
       <bpmn:intermediateThrowEvent id="cancel-all"><bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent><bpmn:endEvent id="e"/>
       ${flow('s', 'hotel')}${flow('hotel', 'flight')}${flow('flight', 'cancel-all')}${flow('cancel-all', 'e')}`,
    );
    const instance = await start(xml);
    await complete('comp-hotel');
    await complete('comp-flight');
    let intents = await harness.intents(instance.processInstanceKey);
    const activated = intents.filter((i) =>
      i.startsWith('PROCESS_INSTANCE ELEMENT_ACTIVATED undo-'),
    );
    expect(activated).toEqual([
      'PROCESS_INSTANCE ELEMENT_ACTIVATED undo-flight',
      'PROCESS_INSTANCE ELEMENT_ACTIVATED undo-hotel',
    ]);
    expect(await ended(instance.processInstanceKey, 'booking')).toBe(false);
    expect(await complete('undo-flight')).toHaveLength(1);
    expect(await ended(instance.processInstanceKey, 'booking')).toBe(false);
    expect(await complete('undo-hotel')).toHaveLength(1);
    intents = await harness.intents(instance.processInstanceKey);
    // the throw event completes only after both handlers did
    const thrown = intents.indexOf('PROCESS_INSTANCE ELEMENT_COMPLETED cancel-all');
    expect(thrown).toBeGreaterThan(
      intents.indexOf('PROCESS_INSTANCE ELEMENT_COMPLETED undo-hotel'),
    );
    expect(thrown).toBeGreaterThan(
      intents.indexOf('PROCESS_INSTANCE ELEMENT_COMPLETED undo-flight'),
    );
    expect(intents.at(-1)).toBe('PROCESS_INSTANCE ELEMENT_COMPLETED booking');
  });

  it('refuses a compensation boundary event without a handler, naming it', async () => {
    const xml = bpmn(
      'no-handler',
      `<bpmn:startEvent id="s"/>${task('a', 'nh-a')}<bpmn:boundaryEvent id="a-comp" attachedToRef="a"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent><bpmn:endEvent id="e"/>${flow('s', 'a')}${flow('a', 'e')}`,
    );
    await expect(harness.deploy(xml)).rejects.toMatchObject({
      message: expect.stringMatching(
        /Element: a-comp\n\s+- ERROR: a compensation boundary event must be associated/,
      ),
    });
  });
});
