// Decisions follow Camunda 8's "Business rule tasks" and "Decisions" docs: DMN deployed next to
// BPMN, versioned per decision id; `zeebe:calledDecision` stores the result in the result
// variable; a failed evaluation is an incident; EvaluateDecision evaluates the latest version.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processBuilder } from '../../bpmn/process-builder.js';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';

let harness: EngineHarness;
beforeAll(async () => {
  harness = await startEngineHarness();
});
afterAll(() => harness.stop());

const dmn = (
  hitPolicy: string,
  rules: [string, string][],
) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="partner-rules" name="Partner rules" namespace="http://kontor.dev/dmn">
  <decision id="partner" name="Partner">
    <decisionTable id="table" hitPolicy="${hitPolicy}">
      <input id="in-amount" label="Amount"><inputExpression id="ie" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="out-partner" name="partner" typeRef="string"/>
      ${rules.map(([when, then], i) => `<rule id="r${i + 1}"><inputEntry id="r${i + 1}-in"><text>${when}</text></inputEntry><outputEntry id="r${i + 1}-out"><text>${then}</text></outputEntry></rule>`).join('')}
    </decisionTable>
  </decision>
</definitions>`;

it('deploys decisions with versions and duplicate detection, and evaluates them', async () => {
  const v1 = await harness.engine.deployResources([
    {
      name: 'partner.dmn',
      content: dmn('UNIQUE', [
        ['&lt; 1000', '"small-co"'],
        ['&gt;= 1000', '"big-co"'],
      ]),
    },
  ]);
  const same = await harness.engine.deployResources([
    {
      name: 'partner.dmn',
      content: dmn('UNIQUE', [
        ['&lt; 1000', '"small-co"'],
        ['&gt;= 1000', '"big-co"'],
      ]),
    },
  ]);
  expect(v1.decisions).toEqual([
    expect.objectContaining({
      dmnDecisionId: 'partner',
      version: 1,
      dmnDecisionRequirementsId: 'partner-rules',
    }),
  ]);
  expect(same.decisions).toEqual(v1.decisions);
  const evaluation = await harness.engine.evaluateDecision({
    decisionId: 'partner',
    variables: { amount: 5000 },
  });
  expect(evaluation).toMatchObject({
    decisionId: 'partner',
    decisionVersion: 1,
    decisionOutput: '"big-co"',
    failureMessage: '',
  });
  expect(evaluation.evaluatedDecisions).toEqual([
    expect.objectContaining({
      decisionId: 'partner',
      matchedRules: [expect.objectContaining({ ruleId: 'r2', ruleIndex: 2 })],
    }),
  ]);
  await expect(harness.engine.evaluateDecision({ decisionId: 'nope' })).rejects.toMatchObject({
    code: 'NOT_FOUND',
  });
});

it('a business rule task stores the result; an evaluation error is an incident naming decision and rules', async () => {
  await harness.engine.deployResources([
    {
      name: 'partner.dmn',
      content: dmn('UNIQUE', [
        ['&lt; 1000', '"small-co"'],
        ['&gt; 500', '"mid-co"'],
      ]),
    },
  ]);
  const xml = processBuilder('assign')
    .startEvent()
    .endEvent()
    .toXml()
    .replace(
      '<bpmn:endEvent id="end">',
      '<bpmn:businessRuleTask id="decide"><bpmn:extensionElements><zeebe:calledDecision decisionId="partner" resultVariable="partner"/></bpmn:extensionElements></bpmn:businessRuleTask><bpmn:endEvent id="end">',
    )
    .replace('sourceRef="start" targetRef="end"', 'sourceRef="start" targetRef="decide"')
    .replace(
      '</bpmn:process>',
      '<bpmn:sequenceFlow id="decide-end" sourceRef="decide" targetRef="end"/></bpmn:process>',
    );
  await harness.deploy(xml);
  const ok = await harness.engine.createProcessInstanceWithResult({
    bpmnProcessId: 'assign',
    variables: { amount: 100 },
  });
  expect(ok.variables).toMatchObject({ partner: 'small-co' });
  const records = await harness.records(ok.processInstanceKey);
  expect(records.find((r) => r.valueType === 'DECISION_EVALUATION')).toMatchObject({
    intent: 'EVALUATED',
    elementId: 'decide',
  });

  const clash = await harness.engine.createProcessInstance({
    bpmnProcessId: 'assign',
    variables: { amount: 700 },
  });
  const incident = (await harness.records(clash.processInstanceKey)).find(
    (r) => r.valueType === 'INCIDENT',
  );
  expect(incident?.value).toMatchObject({
    errorType: 'DECISION_EVALUATION_ERROR',
    elementId: 'decide',
  });
  expect(String(incident?.value.errorMessage)).toMatch(/partner.*UNIQUE.*'r1'.*'r2'/);
});

it('refuses an invalid DMN, naming the problem', async () => {
  await expect(
    harness.engine.deployResources([
      { name: 'bad.dmn', content: dmn('UNIQUE', [['[1..', '"x"']]) },
    ]),
  ).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
    message: expect.stringContaining("'bad.dmn'"),
  });
});

it('decisions survive a restart', async () => {
  await harness.restart();
  const evaluation = await harness.engine.evaluateDecision({
    decisionId: 'partner',
    variables: { amount: 10 },
  });
  expect(evaluation).toMatchObject({ decisionVersion: 2, decisionOutput: '"small-co"' });
});
