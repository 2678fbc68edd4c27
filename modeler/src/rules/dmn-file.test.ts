import { describe, expect, it } from 'vitest';
import { FEES, PARTNER_ASSIGNMENT } from './__fixtures__/camunda-modeler-files';
import { openDmn, saveDmn, UnreadableDmnError } from './dmn-file';
import {
  addRule,
  connect,
  deleteNode,
  duplicateRule,
  moveRule,
  newDmnXml,
  setCell,
  updateTable,
  type DecisionTable,
  type RuleDocument,
} from './rule-document';

const table = (doc: RuleDocument, id: string) =>
  doc.decisions.find((d) => d.id === id)!.logic as DecisionTable;
const texts = (t: DecisionTable) =>
  t.rules.map((r) => [...r.inputEntries, ...r.outputEntries].map((c) => c.text));

describe('DMN files from Camunda Modeler', () => {
  it('opens the decision graph: decisions, input data, requirements and their positions', async () => {
    // given a file as Camunda Modeler writes it
    // when
    const doc = await openDmn(PARTNER_ASSIGNMENT);
    // then
    expect(doc.name).toBe('Partner assignment');
    expect(doc.decisions.map((d) => [d.id, d.logic.kind])).toEqual([
      ['partnerAssignment', 'table'],
      ['claimRisk', 'table'],
    ]);
    expect(doc.inputData.map((i) => [i.id, i.bounds])).toEqual([
      ['InputData_region', { x: 150, y: 370, width: 125, height: 45 }],
      ['InputData_amount', { x: 478, y: 370, width: 125, height: 45 }],
    ]);
    expect(doc.decisions[0].requirements).toEqual([
      { id: 'InformationRequirement_0a1', kind: 'input', sourceId: 'InputData_region' },
      { id: 'InformationRequirement_0a2', kind: 'decision', sourceId: 'claimRisk' },
    ]);
    const partner = table(doc, 'partnerAssignment');
    expect(partner.hitPolicy).toBe('FIRST');
    expect(partner.inputs[0]).toEqual({
      id: 'Input_region',
      label: 'Region',
      expression: 'region',
      typeRef: 'string',
      inputValues: '"north","south","east","west"',
    });
    expect(partner.rules[0].description).toBe('Nordhaus takes every northern claim');
    expect(texts(partner)).toEqual([
      ['"north"', '-', '"Nordhaus"'],
      ['"south","east"', '"high"', '"Expert Partners"'],
      ['-', '-', '"Allround AG"'],
    ]);
    expect(table(doc, 'claimRisk').hitPolicy).toBe('UNIQUE');
    // the business knowledge model is shown, read only
    expect(doc.others).toEqual([
      {
        id: 'riskPolicy',
        name: 'Risk policy',
        kind: 'BusinessKnowledgeModel',
        bounds: { x: 700, y: 237, width: 135, height: 46 },
      },
    ]);
    expect(doc.decisions[1].knowledge).toEqual(['riskPolicy']);
  });

  it('saves unchanged without losing a rule, an annotation or an unknown attribute', async () => {
    // given
    const doc = await openDmn(PARTNER_ASSIGNMENT);
    // when
    const xml = await saveDmn(doc);
    // then the same document opens again
    const again = await openDmn(xml);
    expect({ ...again, sourceXml: '' }).toEqual({ ...doc, sourceXml: '' });
    // and what the editor does not show is still there
    for (const kept of [
      'xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"',
      'modeler:executionPlatform="Camunda Cloud"',
      'kontor:owner="claims-team"',
      '<kontor:reviewNote text="checked by legal"',
      '<businessKnowledgeModel id="riskPolicy" name="Risk policy">',
      '<knowledgeRequirement id="KnowledgeRequirement_0c1">',
      '<text>Owned by the claims team; change only after review</text>',
      '<association id="Association_0s1">',
      'dmnElementRef="riskPolicy"',
      'dmnElementRef="KnowledgeRequirement_0c1"',
      'dmnElementRef="Association_0s1"',
      '<description>Nordhaus takes every northern claim</description>',
      '<inputValues id="UnaryTests_regionValues">',
    ]) {
      expect(xml).toContain(kept);
    }
    // in the order of the file
    expect(xml.indexOf('<businessKnowledgeModel')).toBeLessThan(xml.indexOf('<inputData'));
    expect(xml.indexOf('id="claimRisk"')).toBeLessThan(xml.indexOf('<businessKnowledgeModel'));
  });

  it('keeps every rule when one is edited, and the edit survives re-opening', async () => {
    // given
    const doc = await openDmn(PARTNER_ASSIGNMENT);
    // when the analyst changes a cell, adds a rule and moves it up
    let edited = updateTable(doc, 'partnerAssignment', (t) =>
      setCell(t, 1, 'output', 0, '"Süd Experten"'),
    );
    edited = updateTable(edited, 'partnerAssignment', (t) => {
      let next = addRule(t, 1);
      next = setCell(next, 2, 'input', 0, '"west"');
      next = setCell(next, 2, 'output', 0, '"Westwind"');
      return moveRule(next, 2, -1);
    });
    const again = await openDmn(await saveDmn(edited));
    // then
    expect(texts(table(again, 'partnerAssignment'))).toEqual([
      ['"north"', '-', '"Nordhaus"'],
      ['"west"', '-', '"Westwind"'],
      ['"south","east"', '"high"', '"Süd Experten"'],
      ['-', '-', '"Allround AG"'],
    ]);
    expect(table(again, 'partnerAssignment').rules[0].id).toBe('DecisionRule_north');
    expect(table(again, 'partnerAssignment').rules[0].description).toBe(
      'Nordhaus takes every northern claim',
    );
    expect(texts(table(again, 'claimRisk'))).toEqual(texts(table(doc, 'claimRisk')));
  });

  it('reads typed cells, COLLECT with an aggregation and a literal expression', async () => {
    const doc = await openDmn(FEES);
    const fees = table(doc, 'fees');
    expect([fees.hitPolicy, fees.aggregation]).toEqual(['COLLECT', 'SUM']);
    expect(texts(fees)).toEqual([
      ['[0..1000)', '-', '-', '10'],
      ['-', '>= date("2026-01-01")', 'true', '25'],
    ]);
    expect(doc.decisions[1].logic).toEqual({
      kind: 'literal',
      id: 'LiteralExpression_ft',
      text: '"Fee: " + string(fees)',
      typeRef: 'string',
    });
    const xml = await saveDmn(
      updateTable(doc, 'fees', (t) => ({ ...t, hitPolicy: 'FIRST', aggregation: 'SUM' })),
    );
    // an aggregation is written only with COLLECT
    expect(xml).toContain('<decisionTable id="DecisionTable_fees" hitPolicy="FIRST">');
    expect(xml).toContain('<variable id="InformationItem_ft" name="feeText" typeRef="string" />');
  });

  it('draws shapes and edges for new decisions and requirements, and drops deleted ones', async () => {
    // given a graph without edges in its diagram
    const doc = await openDmn(FEES);
    // when a duplicate rule is added, an edge is drawn again, and the literal decision removed
    let edited = updateTable(doc, 'fees', (t) => duplicateRule(t, 0));
    edited = deleteNode(edited, 'feeText');
    edited = {
      ...edited,
      inputData: [
        {
          id: 'InputData_amount',
          name: 'Amount',
          bounds: { x: 180, y: 360, width: 125, height: 45 },
        },
      ],
    };
    edited = connect(edited, 'InputData_amount', 'fees');
    const xml = await saveDmn(edited);
    // then
    expect(xml).not.toContain('feeText');
    expect(xml).toContain('dmnElementRef="InputData_amount"');
    expect(xml).toMatch(
      /<dmndi:DMNEdge id="DMNEdge_\w+" dmnElementRef="InformationRequirement_\w+">/,
    );
    const again = await openDmn(xml);
    expect(table(again, 'fees').rules).toHaveLength(3);
    expect(again.decisions[0].requirements).toMatchObject([
      { kind: 'input', sourceId: 'InputData_amount' },
    ]);
  });

  it('refuses a requirement that would make a cycle', async () => {
    const doc = await openDmn(PARTNER_ASSIGNMENT);
    expect(connect(doc, 'partnerAssignment', 'claimRisk')).toBe(doc);
  });

  it('opens the file the editor creates for a new decision', async () => {
    const doc = await openDmn(newDmnXml('Dish', 'dish'));
    expect(doc.decisions.map((d) => [d.id, d.name, d.logic.kind])).toEqual([
      ['dish', 'Dish', 'table'],
    ]);
  });

  it('names the namespace it expected when a file is not DMN 1.3', async () => {
    await expect(
      openDmn('<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd" />'),
    ).rejects.toThrow(UnreadableDmnError);
  });
});
