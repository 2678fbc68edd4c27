/**
 * DMN files as Camunda Modeler 5 writes them (DMN 1.3, DMNDI, the `modeler:` execution
 * platform attributes), written by hand for the rule editor's round-trip tests. They carry
 * what the editor does not show and must not lose: a business knowledge model, a text
 * annotation with its association, extension elements, foreign attributes, rule descriptions.
 */

/** "Partner assignment" reads "Claim risk" (a table) and the claim's region and amount. */
export const PARTNER_ASSIGNMENT = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:di="http://www.omg.org/spec/DMN/20180521/DI/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" xmlns:kontor="https://kontor.dev/schema/test" id="Definitions_0x1y2z3" name="Partner assignment" namespace="http://camunda.org/schema/1.0/dmn" exporter="Camunda Modeler" exporterVersion="5.28.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <decision id="partnerAssignment" name="Partner assignment" kontor:owner="claims-team">
    <extensionElements>
      <kontor:reviewNote text="checked by legal" />
    </extensionElements>
    <informationRequirement id="InformationRequirement_0a1">
      <requiredInput href="#InputData_region" />
    </informationRequirement>
    <informationRequirement id="InformationRequirement_0a2">
      <requiredDecision href="#claimRisk" />
    </informationRequirement>
    <decisionTable id="DecisionTable_0p1" hitPolicy="FIRST">
      <input id="Input_region" label="Region">
        <inputExpression id="InputExpression_region" typeRef="string">
          <text>region</text>
        </inputExpression>
        <inputValues id="UnaryTests_regionValues">
          <text>"north","south","east","west"</text>
        </inputValues>
      </input>
      <input id="Input_risk" label="Risk">
        <inputExpression id="InputExpression_risk" typeRef="string">
          <text>claimRisk</text>
        </inputExpression>
      </input>
      <output id="Output_partner" label="Partner" name="partner" typeRef="string" />
      <rule id="DecisionRule_north">
        <description>Nordhaus takes every northern claim</description>
        <inputEntry id="UnaryTests_n1">
          <text>"north"</text>
        </inputEntry>
        <inputEntry id="UnaryTests_n2">
          <text>-</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_n1">
          <text>"Nordhaus"</text>
        </outputEntry>
      </rule>
      <rule id="DecisionRule_high">
        <inputEntry id="UnaryTests_h1">
          <text>"south","east"</text>
        </inputEntry>
        <inputEntry id="UnaryTests_h2">
          <text>"high"</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_h1">
          <text>"Expert Partners"</text>
        </outputEntry>
      </rule>
      <rule id="DecisionRule_rest">
        <inputEntry id="UnaryTests_r1">
          <text>-</text>
        </inputEntry>
        <inputEntry id="UnaryTests_r2">
          <text>-</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_r1">
          <text>"Allround AG"</text>
        </outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <decision id="claimRisk" name="Claim risk">
    <informationRequirement id="InformationRequirement_0b1">
      <requiredInput href="#InputData_amount" />
    </informationRequirement>
    <knowledgeRequirement id="KnowledgeRequirement_0c1">
      <requiredKnowledge href="#riskPolicy" />
    </knowledgeRequirement>
    <decisionTable id="DecisionTable_0r1">
      <input id="Input_amount" label="Amount">
        <inputExpression id="InputExpression_amount" typeRef="number">
          <text>amount</text>
        </inputExpression>
      </input>
      <output id="Output_risk" label="Risk" name="claimRisk" typeRef="string" />
      <rule id="DecisionRule_low">
        <inputEntry id="UnaryTests_l1">
          <text>&lt; 10000</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_l1">
          <text>"low"</text>
        </outputEntry>
      </rule>
      <rule id="DecisionRule_highAmount">
        <inputEntry id="UnaryTests_ha1">
          <text>&gt;= 10000</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_ha1">
          <text>"high"</text>
        </outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <businessKnowledgeModel id="riskPolicy" name="Risk policy">
    <encapsulatedLogic id="FunctionDefinition_0k1">
      <formalParameter id="InformationItem_0k2" name="amount" typeRef="number" />
      <literalExpression id="LiteralExpression_0k3">
        <text>amount &gt; 10000</text>
      </literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>
  <inputData id="InputData_region" name="Region" />
  <inputData id="InputData_amount" name="Amount" />
  <textAnnotation id="TextAnnotation_0t1">
    <text>Owned by the claims team; change only after review</text>
  </textAnnotation>
  <association id="Association_0s1">
    <sourceRef href="#partnerAssignment" />
    <targetRef href="#TextAnnotation_0t1" />
  </association>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_0d1">
      <dmndi:DMNShape id="DMNShape_pa" dmnElementRef="partnerAssignment">
        <dc:Bounds height="80" width="180" x="250" y="80" />
      </dmndi:DMNShape>
      <dmndi:DMNShape id="DMNShape_cr" dmnElementRef="claimRisk">
        <dc:Bounds height="80" width="180" x="450" y="220" />
      </dmndi:DMNShape>
      <dmndi:DMNEdge id="DMNEdge_0e1" dmnElementRef="InformationRequirement_0a1">
        <di:waypoint x="212" y="370" />
        <di:waypoint x="310" y="180" />
        <di:waypoint x="310" y="160" />
      </dmndi:DMNEdge>
      <dmndi:DMNEdge id="DMNEdge_0e2" dmnElementRef="InformationRequirement_0a2">
        <di:waypoint x="540" y="220" />
        <di:waypoint x="370" y="180" />
        <di:waypoint x="370" y="160" />
      </dmndi:DMNEdge>
      <dmndi:DMNShape id="DMNShape_region" dmnElementRef="InputData_region">
        <dc:Bounds height="45" width="125" x="150" y="370" />
      </dmndi:DMNShape>
      <dmndi:DMNShape id="DMNShape_amount" dmnElementRef="InputData_amount">
        <dc:Bounds height="45" width="125" x="478" y="370" />
      </dmndi:DMNShape>
      <dmndi:DMNEdge id="DMNEdge_0e3" dmnElementRef="InformationRequirement_0b1">
        <di:waypoint x="540" y="370" />
        <di:waypoint x="540" y="320" />
        <di:waypoint x="540" y="300" />
      </dmndi:DMNEdge>
      <dmndi:DMNShape id="DMNShape_bkm" dmnElementRef="riskPolicy">
        <dc:Bounds height="46" width="135" x="700" y="237" />
      </dmndi:DMNShape>
      <dmndi:DMNEdge id="DMNEdge_0e4" dmnElementRef="KnowledgeRequirement_0c1">
        <di:waypoint x="700" y="260" />
        <di:waypoint x="630" y="260" />
      </dmndi:DMNEdge>
      <dmndi:DMNShape id="DMNShape_note" dmnElementRef="TextAnnotation_0t1">
        <dc:Bounds height="45" width="200" x="500" y="80" />
      </dmndi:DMNShape>
      <dmndi:DMNEdge id="DMNEdge_0e5" dmnElementRef="Association_0s1">
        <di:waypoint x="430" y="110" />
        <di:waypoint x="500" y="103" />
      </dmndi:DMNEdge>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;

/** A literal expression decision and a COLLECT SUM table with typed cells. */
export const FEES = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_fees" name="Fees" namespace="http://camunda.org/schema/1.0/dmn" exporter="Camunda Modeler" exporterVersion="5.28.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <decision id="fees" name="Fees">
    <decisionTable id="DecisionTable_fees" hitPolicy="COLLECT" aggregation="SUM">
      <input id="Input_amount" label="Amount">
        <inputExpression id="InputExpression_amount" typeRef="number">
          <text>amount</text>
        </inputExpression>
      </input>
      <input id="Input_filed" label="Filed on">
        <inputExpression id="InputExpression_filed" typeRef="date">
          <text>filedOn</text>
        </inputExpression>
      </input>
      <input id="Input_express" label="Express">
        <inputExpression id="InputExpression_express" typeRef="boolean">
          <text>express</text>
        </inputExpression>
      </input>
      <output id="Output_fee" label="Fee" name="fee" typeRef="number" />
      <rule id="DecisionRule_base">
        <inputEntry id="UnaryTests_b1">
          <text>[0..1000)</text>
        </inputEntry>
        <inputEntry id="UnaryTests_b2">
          <text>-</text>
        </inputEntry>
        <inputEntry id="UnaryTests_b3">
          <text>-</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_b1">
          <text>10</text>
        </outputEntry>
      </rule>
      <rule id="DecisionRule_express">
        <inputEntry id="UnaryTests_e1">
          <text>-</text>
        </inputEntry>
        <inputEntry id="UnaryTests_e2">
          <text>&gt;= date("2026-01-01")</text>
        </inputEntry>
        <inputEntry id="UnaryTests_e3">
          <text>true</text>
        </inputEntry>
        <outputEntry id="LiteralExpression_e1">
          <text>25</text>
        </outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <decision id="feeText" name="Fee text">
    <variable id="InformationItem_ft" name="feeText" typeRef="string" />
    <informationRequirement id="InformationRequirement_ft">
      <requiredDecision href="#fees" />
    </informationRequirement>
    <literalExpression id="LiteralExpression_ft" typeRef="string">
      <text>"Fee: " + string(fees)</text>
    </literalExpression>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_fees">
      <dmndi:DMNShape id="DMNShape_fees" dmnElementRef="fees">
        <dc:Bounds height="80" width="180" x="160" y="200" />
      </dmndi:DMNShape>
      <dmndi:DMNShape id="DMNShape_ft" dmnElementRef="feeText">
        <dc:Bounds height="80" width="180" x="160" y="40" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
