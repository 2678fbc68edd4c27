// Resource deletion follows Camunda 8.8's "Resource deletion" concept page
// (https://docs.camunda.io/docs/8.8/components/concepts/resource-deletion/): a deleted process
// definition cannot be started (NOT_FOUND); deleting the latest version makes the previous one the
// latest again and reopens its timer, message and signal start events; versions are never reused;
// a definition with running instances cannot be deleted (the 8.8 limitation); deleting a
// decision requirements graph deletes its decisions, and business rule tasks that call them get
// an incident. Deletions survive a restart; the rows stay, marked, for history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';
import { ProcessDefinitionsRepository } from '../../api/processes/process-definitions.repository.js';
import { DeployedDecisionsRepository } from '../../api/decisions/deployed-decisions.repository.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(() => harness.stop());

const simple = (id: string, taskType: string) =>
  processBuilder(id).startEvent().serviceTask('task', { type: taskType }).endEvent().toXml();

/** A process whose only start is an event start (`startEvent` is the start event's inner XML). */
const eventStarted = (id: string, startEvent: string, taskType: string, roots = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="t">
${roots}
<bpmn:process id="${id}" isExecutable="true">
  <bpmn:startEvent id="s">${startEvent}</bpmn:startEvent>
  <bpmn:serviceTask id="run"><bpmn:extensionElements><zeebe:taskDefinition type="${taskType}"/></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="s-run" sourceRef="s" targetRef="run"/>
  <bpmn:sequenceFlow id="run-e" sourceRef="run" targetRef="e"/>
</bpmn:process>
</bpmn:definitions>`;

const dmn = (requirementsId: string, decisionId: string, result: string) => ({
  name: `${requirementsId}.dmn`,
  content: `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${requirementsId}" name="${requirementsId}" namespace="http://kontor.dev/dmn">
  <decision id="${decisionId}" name="${decisionId}"><literalExpression id="l"><text>"${result}"</text></literalExpression></decision>
</definitions>`,
});

async function deployVersions(id: string, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let version = 1; version <= count; version += 1) {
    const deployed = await harness.deploy(simple(id, `${id}-v${version}`));
    keys.push(deployed.processes[0]!.processDefinitionKey);
  }
  return keys;
}

async function recordsOf(key: string): Promise<string[]> {
  return (await harness.records())
    .filter((r) => r.key === key && r.valueType !== 'USER_ACTION')
    .map((r) => `${r.valueType} ${r.intent}`);
}

async function elapse(ms: number) {
  harness.advance(ms);
  return harness.engine.runDueWork();
}

describe('deleting a process definition', () => {
  it('deletes the latest version: the previous one becomes the latest, the deleted one cannot be started', async () => {
    // given
    const [, v2, v3] = await deployVersions('three-versions', 3);

    // when
    await harness.engine.deleteResource(v3!);

    // then
    const started = await harness.engine.createProcessInstance({ bpmnProcessId: 'three-versions' });
    expect(started).toMatchObject({ version: 2, processDefinitionKey: v2 });
    await expect(
      harness.engine.createProcessInstance({ processDefinitionKey: v3 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(v3!) });
    await expect(
      harness.engine.createProcessInstance({ bpmnProcessId: 'three-versions', version: 3 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await recordsOf(v3!)).toEqual([
      'PROCESS CREATED',
      'PROCESS DELETING',
      'PROCESS DELETED',
      'RESOURCE_DELETION DELETED',
    ]);
    expect(
      harness.engine.listProcessDefinitions().filter((d) => d.bpmnProcessId === 'three-versions'),
    ).toEqual([expect.objectContaining({ version: 2 }), expect.objectContaining({ version: 1 })]);
  });

  it('never gives a deleted version again: the next deployment continues past it', async () => {
    // given
    const [, v2] = await deployVersions('no-reuse', 2);
    await harness.engine.deleteResource(v2!);

    // when
    const again = await harness.deploy(simple('no-reuse', 'no-reuse-v2'));

    // then
    expect(again.processes[0]).toMatchObject({ version: 3 });
    expect(again.processes[0]?.processDefinitionKey).not.toBe(v2);
  });

  it('refuses a definition with running instances, naming how many, and deletes it once they ended', async () => {
    // given
    const deployed = await harness.deploy(simple('busy', 'busy-work'));
    const key = deployed.processes[0]!.processDefinitionKey;
    await harness.engine.createProcessInstance({ processDefinitionKey: key });
    await harness.engine.createProcessInstance({ processDefinitionKey: key });

    // when
    const refused = harness.engine.deleteResource(key);

    // then
    await expect(refused).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(/2 running process instances/),
    });
    await harness.completeJobs('busy-work');
    await harness.engine.deleteResource(key);
    await expect(
      harness.engine.createProcessInstance({ bpmnProcessId: 'busy' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reopens the timer start event of the previous version and closes the deleted one', async () => {
    // given
    const timer =
      '<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>';
    await harness.deploy(eventStarted('hourly', timer, 'hourly-v1'));
    const v2 = await harness.deploy(eventStarted('hourly', timer, 'hourly-v2'));

    // when
    await harness.engine.deleteResource(v2.processes[0]!.processDefinitionKey);
    await elapse(60 * 60_000);

    // then
    expect(await harness.completeJobs('hourly-v2')).toHaveLength(0);
    expect(await harness.completeJobs('hourly-v1')).toHaveLength(1);
  });

  it('reopens message and signal start events of the previous version', async () => {
    // given
    const roots = '<bpmn:message id="m" name="order-placed"/><bpmn:signal id="sig" name="go"/>';
    await harness.deploy(
      eventStarted('by-message', '<bpmn:messageEventDefinition messageRef="m"/>', 'msg-v1', roots),
      eventStarted('by-signal', '<bpmn:signalEventDefinition signalRef="sig"/>', 'sig-v1', roots),
    );
    const v2 = await harness.deploy(
      simple('by-message', 'msg-v2'),
      processBuilder('by-signal').startEvent().serviceTask('t', { type: 'sig-v2' }).toXml(),
    );

    // when
    for (const process of v2.processes)
      await harness.engine.deleteResource(process.processDefinitionKey);
    await harness.engine.publishMessage({
      name: 'order-placed',
      correlationKey: '',
      timeToLiveMs: 0,
    });
    await harness.engine.broadcastSignal({ signalName: 'go' });

    // then
    expect(await harness.completeJobs('msg-v1')).toHaveLength(1);
    expect(await harness.completeJobs('sig-v1')).toHaveLength(1);
  });

  it('closes the start events of the only version, so nothing starts it any more', async () => {
    // given
    const timer =
      '<bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>';
    const deployed = await harness.deploy(eventStarted('lonely-timer', timer, 'lonely'));

    // when
    await harness.engine.deleteResource(deployed.processes[0]!.processDefinitionKey);
    await elapse(2 * 60 * 60_000);

    // then
    expect(await harness.completeJobs('lonely')).toHaveLength(0);
  });

  it('gives a call activity of a deleted process an incident', async () => {
    // given
    const called = await harness.deploy(simple('callee', 'callee-work'));
    await harness.engine.deleteResource(called.processes[0]!.processDefinitionKey);

    // when
    const parent = await harness.start(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-caller" targetNamespace="t">
<bpmn:process id="caller-of-deleted" isExecutable="true">
  <bpmn:startEvent id="s"/>
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="callee"/></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:sequenceFlow id="s-call" sourceRef="s" targetRef="call"/>
</bpmn:process>
</bpmn:definitions>`);

    // then
    const incident = (await harness.records(parent.processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT',
    );
    expect(incident?.value).toMatchObject({ errorType: 'CALLED_ELEMENT_ERROR' });
  });
});

describe('deleting a decision requirements graph', () => {
  it('deletes its decisions: the previous version is evaluated again, the deleted key is not found', async () => {
    // given
    await harness.engine.deployResources([dmn('grading', 'grade', 'first')]);
    const v2 = await harness.engine.deployResources([dmn('grading', 'grade', 'second')]);
    const decision = v2.decisions![0]!;

    // when
    await harness.engine.deleteResource(decision.decisionRequirementsKey);

    // then
    expect(await harness.engine.evaluateDecision({ decisionId: 'grade' })).toMatchObject({
      decisionVersion: 1,
      decisionOutput: '"first"',
    });
    await expect(
      harness.engine.evaluateDecision({ decisionKey: decision.decisionKey }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await recordsOf(decision.decisionKey)).toEqual(['DECISION CREATED', 'DECISION DELETED']);
    expect(await recordsOf(decision.decisionRequirementsKey)).toEqual([
      'DECISION_REQUIREMENTS CREATED',
      'DECISION_REQUIREMENTS DELETED',
      'RESOURCE_DELETION DELETED',
    ]);
    const again = await harness.engine.deployResources([dmn('grading', 'grade', 'third')]);
    expect(again.decisions![0]).toMatchObject({ version: 3 });
  });

  it('gives a business rule task calling a decision whose every version is deleted an incident', async () => {
    // given
    const deployed = await harness.engine.deployResources([dmn('only-once', 'vanishing', 'x')]);
    await harness.engine.deleteResource(deployed.decisions![0]!.decisionRequirementsKey);

    // when
    const instance = await harness.start(
      processBuilder('calls-vanishing')
        .startEvent()
        .businessRuleTask('decide', { decisionId: 'vanishing', resultVariable: 'r' })
        .endEvent()
        .toXml(),
    );

    // then
    const incident = (await harness.records(instance.processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT',
    );
    expect(incident?.value).toMatchObject({
      errorType: 'CALLED_DECISION_ERROR',
      errorMessage: expect.stringContaining("'vanishing'"),
    });
  });
});

describe('bad input', () => {
  it('answers NOT_FOUND naming an unknown key, INVALID_ARGUMENT for a key that is no number', async () => {
    await expect(harness.engine.deleteResource('2251799813999999')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining("'2251799813999999'"),
    });
    await expect(harness.engine.deleteResource('abc')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("'abc'"),
    });
  });

  it('answers NOT_FOUND for a resource deleted already', async () => {
    const deployed = await harness.deploy(simple('twice', 'twice-work'));
    const key = deployed.processes[0]!.processDefinitionKey;
    await harness.engine.deleteResource(key);
    await expect(harness.engine.deleteResource(key)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('after a restart', () => {
  it('deleted resources stay deleted, versions continue past them, the rows stay for history', async () => {
    // given
    const [, v2] = await deployVersions('restarted', 2);
    await harness.engine.deployResources([dmn('restarted-rules', 'restarted-decision', 'a')]);
    const dmnV2 = await harness.engine.deployResources([
      dmn('restarted-rules', 'restarted-decision', 'b'),
    ]);
    await harness.engine.deleteResource(v2!);
    await harness.engine.deleteResource(dmnV2.decisions![0]!.decisionRequirementsKey);

    // when
    const engine = await harness.restart();

    // then
    expect(await engine.createProcessInstance({ bpmnProcessId: 'restarted' })).toMatchObject({
      version: 1,
    });
    await expect(engine.createProcessInstance({ processDefinitionKey: v2 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await engine.evaluateDecision({ decisionId: 'restarted-decision' })).toMatchObject({
      decisionVersion: 1,
    });
    expect((await harness.deploy(simple('restarted', 'restarted-v3'))).processes[0]).toMatchObject({
      version: 3,
    });
    const redeployed = await engine.deployResources([
      dmn('restarted-rules', 'restarted-decision', 'c'),
    ]);
    expect(redeployed.decisions![0]).toMatchObject({ version: 3 });
    const { rows } = await harness.database.pool.query<{ version: number; deleted: boolean }>(
      `SELECT version, deleted_at IS NOT NULL AS deleted FROM engine_process_definition
        WHERE bpmn_process_id = 'restarted' ORDER BY version`,
    );
    expect(rows).toEqual([
      { version: 1, deleted: false },
      { version: 2, deleted: true },
      { version: 3, deleted: false },
    ]);
  });
});

describe('read models', () => {
  it("the web app's lists leave deleted versions out", async () => {
    // given
    const [v1, v2] = await deployVersions('listed', 2);
    await harness.engine.deleteResource(v2!);
    const decisions = await harness.engine.deployResources([dmn('listed-rules', 'listed', 'x')]);
    await harness.engine.deleteResource(decisions.decisions![0]!.decisionRequirementsKey);

    // when
    const processes = await new ProcessDefinitionsRepository(harness.database.pool).list({
      limit: 1000,
      offset: 0,
    });
    const deployedDecisions = await new DeployedDecisionsRepository(harness.database.pool).list({
      limit: 1000,
      offset: 0,
    });

    // then
    expect(processes.items.find((p) => p.bpmnProcessId === 'listed')).toMatchObject({
      latestVersion: 1,
      versions: [expect.objectContaining({ processDefinitionKey: v1 })],
    });
    expect(deployedDecisions.items.find((d) => d.decisionId === 'listed')).toBeUndefined();
  });
});
