// Decisions follow Camunda 8's "Business rule tasks" and "Decisions" docs: DMN deployed next to
// BPMN, versioned per decision id; `zeebe:calledDecision` stores the result in the result
// variable; a failed evaluation is an incident; EvaluateDecision evaluates the latest version.
// Binding by version tag follows "Choosing the resource binding type": the latest version that
// carries the tag; a tag deployed again moves to the new version; no such decision is an incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder, type CalledDecisionSpec } from '../../bpmn/process-builder.js';
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

/** A decision requirements graph `<id>-rules` with one literal decision, tagged or not. */
const literalRules = (decisionId: string, result: string, versionTag?: string) => ({
  name: `${decisionId}.dmn`,
  content: `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${decisionId}-rules" name="${decisionId} rules" namespace="http://kontor.dev/dmn">
  <decision id="${decisionId}" name="${decisionId}">
    ${versionTag === undefined ? '' : `<extensionElements><zeebe:versionTag value="${versionTag}"/></extensionElements>`}
    <literalExpression id="${decisionId}-expression"><text>"${result}"</text></literalExpression>
  </decision>
</definitions>`,
});

/** A process that evaluates one decision into the variable `result`. */
const caller = (processId: string, called: Omit<CalledDecisionSpec, 'resultVariable'>) =>
  processBuilder(processId)
    .startEvent()
    .businessRuleTask('decide', { ...called, resultVariable: 'result' })
    .endEvent()
    .toXml();

const byTag = (decisionId: string, versionTag: string) =>
  ({ decisionId, bindingType: 'versionTag', versionTag }) as const;

describe('business rule tasks bound by version tag', () => {
  it('evaluate the latest version carrying the tag, whatever was deployed after it', async () => {
    // given
    for (const [result, tag] of [['bronze', 'v1'], ['silver', 'v2'], ['gold'], ['steel', 'v9']])
      await harness.engine.deployResources([literalRules('tier', result!, tag)]);
    await harness.deploy(
      caller('tier-v1', byTag('tier', 'v1')),
      caller('tier-v2', byTag('tier', 'v2')),
    );

    // when
    const v1 = await harness.engine.createProcessInstanceWithResult({ bpmnProcessId: 'tier-v1' });
    const v2 = await harness.engine.createProcessInstanceWithResult({ bpmnProcessId: 'tier-v2' });

    // then
    expect(v1.variables).toMatchObject({ result: 'bronze' });
    expect(v2.variables).toMatchObject({ result: 'silver' });
    const evaluation = (await harness.records(v1.processInstanceKey)).find(
      (r) => r.valueType === 'DECISION_EVALUATION',
    );
    expect(evaluation?.value).toMatchObject({ decisionId: 'tier', decisionVersion: 1 });
    const created = (await harness.records()).filter(
      (r) => r.valueType === 'DECISION' && r.value.dmnDecisionId === 'tier',
    );
    expect(created.map((r) => [r.value.version, r.value.versionTag])).toEqual([
      [1, 'v1'],
      [2, 'v2'],
      [3, ''],
      [4, 'v9'],
    ]);
  });

  it('a version tag deployed again moves to the new version; the deployment is not refused', async () => {
    // given
    await harness.engine.deployResources([literalRules('fee', 'low', 'v1')]);
    const again = await harness.engine.deployResources([literalRules('fee', 'high', 'v1')]);
    await harness.deploy(caller('fee-v1', byTag('fee', 'v1')));

    // when
    const instance = await harness.engine.createProcessInstanceWithResult({
      bpmnProcessId: 'fee-v1',
    });

    // then
    expect(again.decisions).toEqual([
      expect.objectContaining({ dmnDecisionId: 'fee', version: 2 }),
    ]);
    expect(instance.variables).toMatchObject({ result: 'high' });
  });

  it('takes the version tag from an expression', async () => {
    // given
    await harness.engine.deployResources([literalRules('route', 'road', 'release-1')]);
    await harness.engine.deployResources([literalRules('route', 'rail', 'release-2')]);
    await harness.deploy(
      caller('route-by-release', byTag('route', '="release-" + string(release)')),
    );

    // when
    const instance = await harness.engine.createProcessInstanceWithResult({
      bpmnProcessId: 'route-by-release',
      variables: { release: 1 },
    });

    // then
    expect(instance.variables).toMatchObject({ result: 'road' });
  });

  it('no decision with the tag is an incident naming decision and tag; deploying it and resolving the incident goes on', async () => {
    // given
    await harness.engine.deployResources([literalRules('risk', 'low', 'v1')]);
    await harness.deploy(caller('risk-v2', byTag('risk', 'v2')));

    // when
    const instance = await harness.engine.createProcessInstance({ bpmnProcessId: 'risk-v2' });

    // then
    const incident = (await harness.records(instance.processInstanceKey)).find(
      (r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED',
    );
    expect(incident?.value).toMatchObject({
      errorType: 'CALLED_DECISION_ERROR',
      elementId: 'decide',
      errorMessage:
        "Expected to evaluate decision 'risk' with version tag 'v2', but no such decision is deployed",
    });

    // when
    await harness.engine.deployResources([literalRules('risk', 'high', 'v2')]);
    await harness.engine.resolveIncident(incident!.key);

    // then
    expect(await harness.completed(instance.processInstanceKey, 'risk-v2')).toBe(true);
    const evaluation = (await harness.records(instance.processInstanceKey)).find(
      (r) => r.valueType === 'DECISION_EVALUATION',
    );
    expect(evaluation?.value).toMatchObject({ decisionId: 'risk', decisionVersion: 2 });
  });

  it('refuses a business rule task bound by version tag without a tag, or with a tag expression that does not parse', async () => {
    await expect(
      harness.deploy(caller('untagged-binding', { decisionId: 'tier', bindingType: 'versionTag' })),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("binding type versionTag needs a 'versionTag'"),
    });
    await expect(
      harness.deploy(caller('broken-tag', byTag('tier', '="v" +'))),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(`version tag '="v" +'`),
    });
  });

  it('version tags survive a restart: they are read again from the deployed DMN', async () => {
    // given
    for (const [result, tag] of [['100', 'v1'], ['200', 'v2'], ['300']])
      await harness.engine.deployResources([literalRules('limit', result!, tag)]);
    await harness.deploy(caller('limit-v1', byTag('limit', 'v1')));

    // when
    await harness.restart();
    const instance = await harness.engine.createProcessInstance({ bpmnProcessId: 'limit-v1' });

    // then
    const evaluation = (await harness.records(instance.processInstanceKey)).find(
      (r) => r.valueType === 'DECISION_EVALUATION',
    );
    expect(evaluation?.value).toMatchObject({ decisionVersion: 1, decisionOutput: '"100"' });
  });
});
