/**
 * Builders for tests of the tasklist: a small process with one user task, deployed and started
 * through the engine, and a wait until the tasklist's intake has taken the tasks.
 *
 *   await deployReviewProcess(kontor.engine, 'claim-check', { candidateGroups: 'north' });
 *   const keys = await startInstances(kontor.engine, 'claim-check', [{ owner: 'cas' }]);
 *   const tasks = await waitForTasks(pool, keys);
 */
import { processBuilder, type UserTaskOptions } from '../../bpmn/process-builder.js';
import type { Engine } from '../../runtime/engine.js';
import type { Pool } from '../../state/database.js';

/** start → user task "review" (form claim-review) → end; options override the user task's. */
export function reviewProcessXml(bpmnProcessId: string, options: UserTaskOptions = {}): string {
  return processBuilder(bpmnProcessId)
    .startEvent()
    .userTask('review', { name: 'Review the claim', formKey: 'claim-review', ...options })
    .endEvent()
    .toXml();
}

/**
 * The same process as the modeler saves it: with its diagram (BPMNDI), so a viewer can draw it.
 * Candidate group and form are fixed: claims-north, claim-review.
 */
export function reviewProcessWithDiagramXml(bpmnProcessId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${bpmnProcessId}" name="Claim handling" isExecutable="true">
    <bpmn:startEvent id="start" name="Claim received"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review" name="Review the claim">
      <bpmn:extensionElements>
        <zeebe:formDefinition formKey="claim-review" />
        <zeebe:assignmentDefinition candidateGroups="claims-north" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="Claim decided"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="${bpmnProcessId}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

export async function deployReviewProcess(
  engine: Engine,
  bpmnProcessId: string,
  options: UserTaskOptions = {},
): Promise<void> {
  await engine.deployResources([
    { name: `${bpmnProcessId}.bpmn`, content: reviewProcessXml(bpmnProcessId, options) },
  ]);
}

/** Starts one instance per variables object; their process instance keys, in order. */
export async function startInstances(
  engine: Engine,
  bpmnProcessId: string,
  variables: Record<string, unknown>[],
): Promise<string[]> {
  const keys: string[] = [];
  for (const v of variables) {
    const { processInstanceKey } = await engine.createProcessInstance({
      bpmnProcessId,
      variables: v,
    });
    keys.push(processInstanceKey);
  }
  return keys;
}

/** Waits until the tasklist holds a user task of each instance; their job keys, in order. */
export async function waitForTasks(
  pool: Pool,
  processInstanceKeys: string[],
  timeoutMs = 15_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ job_key: string; process_instance_key: string }>(
      'SELECT job_key, process_instance_key FROM user_task WHERE process_instance_key = ANY($1)',
      [processInstanceKeys],
    );
    if (rows.length >= processInstanceKeys.length) {
      const byInstance = new Map(rows.map((r) => [r.process_instance_key, r.job_key]));
      return processInstanceKeys.map((k) => byInstance.get(k)!);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `The tasklist took ${rows.length} of ${processInstanceKeys.length} user tasks within ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
