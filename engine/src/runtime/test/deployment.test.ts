// Deployment semantics follow Camunda 8's docs "Deploy resources" (versioning, duplicates) and
// the gateway's DeployResource contract (atomic, INVALID_ARGUMENT listing every problem).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(() => harness.stop());

const simple = (id: string, taskType = 'work') =>
  processBuilder(id).startEvent().serviceTask('task', { type: taskType }).endEvent().toXml();

describe('versions', () => {
  it('gives changed content the next version and the same content no new version', async () => {
    // given
    const first = await harness.deploy(simple('versions'));
    // when
    const same = await harness.deploy(simple('versions'));
    const changed = await harness.deploy(simple('versions', 'other-work'));
    // then
    expect(first.processes[0]).toMatchObject({ bpmnProcessId: 'versions', version: 1 });
    expect(same.processes[0]).toEqual(first.processes[0]);
    expect(changed.processes[0]).toMatchObject({ bpmnProcessId: 'versions', version: 2 });
    expect(changed.processes[0]?.processDefinitionKey).not.toBe(
      first.processes[0]?.processDefinitionKey,
    );
  });

  it('starts the latest version, or the version asked for', async () => {
    const latest = await harness.engine.createProcessInstance({ bpmnProcessId: 'versions' });
    const older = await harness.engine.createProcessInstance({
      bpmnProcessId: 'versions',
      version: 1,
    });
    expect(latest.version).toBe(2);
    expect(older.version).toBe(1);
  });

  it('writes PROCESS CREATED and DEPLOYMENT CREATED records', async () => {
    const records = await harness.records();
    const kinds = records.map((r) => `${r.valueType} ${r.intent}`);
    expect(kinds.filter((k) => k === 'PROCESS CREATED')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'DEPLOYMENT CREATED')).toHaveLength(3);
  });
});

describe('invalid resources', () => {
  it('lists every problem with its element and deploys nothing', async () => {
    const broken = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
  <bpmn:process id="broken" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="noType"/>
    <bpmn:exclusiveGateway id="deadEnd"/>
    <bpmn:complexGateway id="complex"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="noType"/>
    <bpmn:sequenceFlow id="f2" sourceRef="noType" targetRef="deadEnd"/>
    <bpmn:scriptTask id="badFeel"><bpmn:extensionElements><zeebe:script expression="=1 +" resultVariable="x"/></bpmn:extensionElements></bpmn:scriptTask>
  </bpmn:process>
</bpmn:definitions>`;
    const good = simple('fine-but-together-with-broken');
    const error = await harness.engine
      .deployResources([
        { name: 'good.bpmn', content: good },
        { name: 'broken.bpmn', content: broken },
      ])
      .then(
        () => ({ code: 'deployed', message: '' }),
        (e: unknown) => e as { code: string; message: string },
      );
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(error.message).toContain("'broken.bpmn'");
    expect(error.message).toMatch(
      /Element: noType\n\s+- ERROR: must have a 'zeebe:taskDefinition'/,
    );
    expect(error.message).toMatch(
      /Element: deadEnd\n\s+- ERROR: gateway must have at least one outgoing/,
    );
    expect(error.message).toMatch(
      /Element: complex\n\s+- ERROR: element type ComplexGateway is not supported/,
    );
    expect(error.message).toMatch(
      /Element: badFeel\n\s+- ERROR: script expression '=1 \+' is not a valid FEEL expression/,
    );
    // atomic: the valid resource of the same deployment was not deployed either
    await expect(
      harness.engine.createProcessInstance({ bpmnProcessId: 'fine-but-together-with-broken' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a file that is not BPMN XML', async () => {
    await expect(
      harness.engine.deployResources([{ name: 'x.bpmn', content: 'not xml at all' }]),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("'x.bpmn'"),
    });
  });

  it('refuses elements that are not executed yet instead of ignoring them', async () => {
    const xml = processBuilder('listeners')
      .startEvent()
      .serviceTask('t', { type: 'x' })
      .endEvent()
      .toXml()
      .replace(
        '<zeebe:taskDefinition type="x"/>',
        '<zeebe:taskDefinition type="x"/><zeebe:executionListeners><zeebe:executionListener eventType="start" type="audit"/></zeebe:executionListeners>',
      );
    await expect(harness.deploy(xml)).rejects.toMatchObject({
      message: expect.stringMatching(
        /Element: t\n\s+- ERROR: execution and task listeners are not supported/,
      ),
    });
  });
});
